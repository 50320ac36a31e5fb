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
            Parse errors are reported as file:line:col.

            The template is validated as 'formation validate --template' validates it (us-east-1): \
            its diagnostics go to stderr, and a template with validity errors is not converted \
            (exit 1, nothing on stdout). Rule findings are printed and do not stop the \
            conversion. --no-validate converts without validating.

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

    @Flag(help: "Convert without validating the template.")
    var noValidate = false

    func run() throws {
        let reporter = Reporter(output)
        let name = Files.displayName(file)
        let document: TemplateValue
        let template: Template
        var positions = SourcePositions()
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
            let limits = ParseLimits(aliases: .expand, maximumBytes: input.maximumBytes)
            if noValidate {
                template = try TemplateDocument.parseTemplate(text, file: name, limits: limits)
            } else {
                (template, positions) = try TemplateDocument.parseTemplateWithPositions(text, file: name, limits: limits)
            }
            document = template.document
        } catch let error as TemplateError {
            reporter.report(error: error, file: name)
            throw ExitCode(ExitStatus.failure)
        }
        if !noValidate {
            // The same checks as validate --template; validity errors stop the conversion.
            let app = try AppProvider.shared.app()
            let context = ValidationContext(stackPath: name, schemas: app.schemas, declaredTypes: app.declaredTypes)
            let diagnostics = app.validate(template, context)
            reporter.report(diagnostics, locator: DiagnosticLocator(file: name, positions: positions, origins: LoopOrigins(template, context)))
            if diagnostics.contains(where: { $0.isError && !app.isFinding($0) }) {
                reporter.error("\(name) is not a valid template: not converted (--no-validate converts it anyway)")
                throw ExitCode(ExitStatus.failure)
            }
        }
        do {
            Console.out(to == .json ? try JSONEmitter.emit(document) : try YAMLEmitter.emit(document))
        } catch {
            reporter.report(error: error, file: name)
            throw ExitCode(ExitStatus.failure)
        }
    }
}
