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
            meaning is unchanged: converting back gives the same document. Key order is kept, and \
            numbers no 64-bit integer or double holds exactly keep their text. YAML aliases are \
            expanded, as aws cloudformation package does, up to one node per byte of --max-size. \
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

    @OptionGroup var input: InputOptions

    func run() throws {
        let reporter = Reporter(output)
        let name = Files.displayName(file)
        let document: TemplateValue
        do {
            let text: String
            do {
                text = try TemplateInput.text(file, maximumBytes: input.maximumBytes)
            } catch {
                switch error {
                case .unreadable(let messages): throw CLIError.failure(messages)
                case .invalid(let error): throw error
                }
            }
            // Aliases are expanded, as aws cloudformation package does, within the node budget.
            document = try TemplateDocument.parseTemplate(text, file: name, limits: ParseLimits(aliases: .expand, maximumBytes: input.maximumBytes)).document
        } catch let error as TemplateError {
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
