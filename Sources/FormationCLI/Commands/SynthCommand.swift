import ArgumentParser
import Formation

/// `formation synth`: templates to stdout (one stack) or to files (`--out`), all or nothing.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize stacks to templates: one stack to stdout, or any number to files with --out.",
        discussion: """
            Every selected stack is synthesized and validated before any file is written. With \
            --out each template is written as <out>/<stack>.template.<json|yaml> (both with --format both) under a temporary \
            name and renamed into place; if any stack fails (or any write fails) no file of the \
            run is changed. Files whose bytes would not change are left untouched. Warnings are \
            printed and do not fail, unless --strict.

            A stack's code assets (Lambda code too large to inline, as <sha256>.zip) are written \
            into the same directory in the same all-or-nothing step; upload them to the bucket \
            the stack's AssetBucket parameter names ('formation deploy-args STACK' shows how). \
            Without --out no asset is written.

            EXAMPLES:
              formation synth MyStack-dev                  # JSON to stdout
              formation synth MyStack-dev --format yaml > MyStack-dev.yaml
              formation synth --out out                    # every stack, JSON
              formation synth --out out --format both      # JSON and YAML from one synthesis
              formation synth MyStack-dev MyStack-prd --out out --format yaml
              formation synth --out out --strict           # warnings fail too
              formation synth MyStack-dev --format yaml |
                aws cloudformation create-stack --stack-name MyStack-dev \\
                  --template-body file:///dev/stdin
            """
    )

    @Argument(help: "Stacks to synthesize (all when none is named; one only without --out).")
    var stacks: [String] = []

    @Option(help: "Template format: json, yaml, or both (both needs --out).")
    var format: FormatChoice = .json

    @Option(help: ArgumentHelp("Directory to write <stack>.template.<format> files into (created if missing).", valueName: "dir"))
    var out: String?

    @OptionGroup var checks: CheckOptions

    func validate() throws {
        if out == nil && stacks.count > 1 {
            throw ValidationError("\(stacks.count) stacks named but stdout takes one template; name one stack, or add --out DIR")
        }
        if let out, out.isEmpty {
            throw ValidationError("--out needs a directory path")
        }
        if out == nil && format == .both {
            throw ValidationError("--format both writes two files per stack; add --out DIR")
        }
    }

    func run() throws {
        let app = try AppProvider.shared.app()
        let selected = try StackSelection.resolve(stacks, in: app)
        if selected.isEmpty {
            throw CLIError.failure("the app has no stacks to synthesize")
        }
        if out == nil && selected.count > 1 {
            throw CLIError.usage("the app has \(selected.count) stacks but stdout takes one template; name one stack, or add --out DIR")
        }
        let reporter = Reporter(checks)
        let result = StackRenderer.render(selected, formats: format.formats, reporter: reporter)
        if !result.failed.isEmpty {
            let strictNote = checks.strict && reporter.errorCount == 0 ? " (warnings fail with --strict)" : ""
            reporter.error("\(StackRenderer.list(result.failed)) failed validation\(strictNote); \(out == nil ? "no template printed" : "no file written")")
            throw ExitCode(ExitStatus.failure)
        }
        guard let out else {
            if let only = result.passed.first {
                Console.out(only.rendered.text)
                let assets = only.synthesis.assets
                if !assets.isEmpty {
                    reporter.note("\(only.stack.name) has \(plural(assets.count, assets.allSatisfy { $0.fileName.hasSuffix(".zip") } ? "code asset" : "asset")) (\(assets.map(\.fileName).joined(separator: ", "))), not written to stdout: write \(assets.count == 1 ? "it" : "them") with --out DIR")
                }
            }
            return
        }
        let assets = try Self.assets(of: result.passed)
        try Files.makeDirectory(out)
        var transaction = FileTransaction()
        for output in result.passed {
            for (format, rendered) in zip(format.formats, output.renderings) {
                try transaction.stage(rendered.text, at: Self.path(out: out, stack: output.stack.name, format: format))
            }
        }
        for asset in assets {
            try transaction.stage(bytes: asset.bytes, at: Self.assetPath(out: out, asset: asset))
        }
        for file in try transaction.commit() {
            reporter.progress("\(file.outcome == .written ? "wrote" : "unchanged") \(file.path) (\(file.bytes) bytes)")
        }
    }

    /// `<out>/<stack>.template.<ext>`.
    static func path(out: String, stack: String, format: TemplateFormat) -> String {
        (out.hasSuffix("/") ? out : out + "/") + "\(stack).template.\(format.fileExtension)"
    }

    /// `<out>/<asset file name>` (content-addressed, so stacks sharing code share the file).
    static func assetPath(out: String, asset: StackAsset) -> String {
        (out.hasSuffix("/") ? out : out + "/") + asset.fileName
    }

    /// The assets of every stack, each file once, sorted by name. One name with two different
    /// contents (which content addressing rules out) is an error rather than a silent choice.
    static func assets(of outputs: [StackRenderer.Output]) throws(CLIError) -> [StackAsset] {
        var byName: [String: (asset: StackAsset, stack: String)] = [:]
        for output in outputs {
            for asset in output.synthesis.assets {
                if let existing = byName[asset.fileName] {
                    if existing.asset.bytes != asset.bytes {
                        throw .failure("asset \(asset.fileName) of \(output.stack.name) differs from the one of \(existing.stack) with the same name; no file written")
                    }
                } else {
                    byName[asset.fileName] = (asset, output.stack.name)
                }
            }
        }
        return byName.values.map(\.asset).sorted { $0.fileName < $1.fileName }
    }
}
