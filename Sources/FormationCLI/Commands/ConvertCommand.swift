import ArgumentParser
import Formation

/// `formation convert`: a template re-emitted in the other format, as cfn-flip does.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Re-emit any CloudFormation template (JSON or YAML, long or short form) as JSON or YAML.",
        discussion: """
            The input may use long-form intrinsics (Fn::GetAtt: [A, B]) or YAML short forms \
            (!GetAtt A.B, !Sub, !If, …); JSON output is long form, YAML output short form. The \
            meaning is unchanged: converting back gives the same document. Key order is kept. \
            Parse errors are reported as file:line:col. Nothing is validated (use \
            'formation validate --template').

            EXAMPLES:
              formation convert template.yaml --to json > template.json
              formation convert template.json --to yaml
              cat template.yaml | formation convert - --to json
            """
    )

    @Argument(help: ArgumentHelp("The template file to convert (`-` reads stdin).", valueName: "file"))
    var file: String

    @Option(help: "Target format: json or yaml.")
    var to: TemplateFormat

    @OptionGroup var output: OutputOptions

    func run() throws {
        let reporter = Reporter(output)
        let name = Files.displayName(file)
        let text = try Files.readText(file)
        let document: TemplateValue
        do {
            document = try TemplateDocument.parse(text, file: name)
        } catch {
            reporter.report(error: error, file: name)
            throw ExitCode(ExitStatus.failure)
        }
        do {
            Console.out(to == .json ? try JSONEmitter.emit(document) : try YAMLEmitter.emit(document))
        } catch {
            reporter.report(error: error, file: name)
            throw ExitCode(ExitStatus.failure)
        }
    }
}
