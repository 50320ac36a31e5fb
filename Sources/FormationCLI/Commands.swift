import ArgumentParser
import Formation

extension TemplateFormat: ExpressibleByArgument {}

/// Exit codes: 0 success, 1 diagnostics with errors or a failed check, 2 usage.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the stacks with environment, resource count and template size.")

    func run() throws {
        let app = AppProvider.shared.app()
        for stack in app.stacks {
            let synthesis = stack.synthesize()
            let size = (try? synthesis.render(.json).byteCount) ?? 0
            Console.out("\(stack.name)\t\(stack.environment ?? "-")\t\(synthesis.template.resources.count) resources\t\(size) bytes\n")
        }
    }
}

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth", abstract: "Synthesize stacks to templates (stdout for one stack, or files with --out).")

    @Argument(help: "Stacks to synthesize (all when none is named).")
    var stacks: [String] = []

    @Option(help: "Template format: json or yaml.")
    var format: TemplateFormat = .json

    @Option(help: "Directory to write <stack>.template.<format> files into.")
    var out: String?

    func run() throws {
        let app = AppProvider.shared.app()
        var selected: [Stack] = []
        for name in stacks {
            guard let stack = app.stack(named: name) else {
                Console.err("error: no stack named \(name)")
                throw ExitStatus.usage
            }
            selected.append(stack)
        }
        if selected.isEmpty { selected = app.stacks }
        if out == nil && selected.count != 1 {
            Console.err("error: \(selected.count) stacks selected; name one stack for stdout, or use --out DIR")
            throw ExitStatus.usage
        }
        var rendered: [(Stack, RenderedTemplate)] = []
        var failed = false
        for stack in selected {
            let synthesis = stack.synthesize()
            Console.report(synthesis.diagnostics)
            do {
                let text = try synthesis.render(format)
                Console.report(text.diagnostics)
                failed = failed || synthesis.hasErrors || text.diagnostics.hasErrors
                rendered.append((stack, text))
            } catch {
                Console.err("error: \(stack.name): \(error)")
                failed = true
            }
        }
        if failed { throw ExitStatus.failure }
        guard let out else {
            Console.out(rendered[0].1.text)
            return
        }
        do {
            try Files.makeDirectory(out)
            var staged: [StagedFile] = []
            do {
                for (stack, text) in rendered {
                    staged.append(try Files.stage(text.text, at: "\(out)/\(stack.name).template.\(format.fileExtension)"))
                }
            } catch {
                staged.forEach { $0.discard() }
                throw error
            }
            for file in staged { try file.commit() }
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Re-emit any CloudFormation template (JSON or YAML, long or short form) in the other format.")

    @Argument(help: "The template file to convert.")
    var file: String

    @Option(help: "Target format: json or yaml.")
    var to: TemplateFormat

    func run() throws {
        do {
            let text = try Files.read(file)
            let document = try TemplateDocument.parse(text, file: file)
            Console.out(to == .json ? try JSONEmitter.emit(document) : try YAMLEmitter.emit(document))
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }
}
