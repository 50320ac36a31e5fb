import ArgumentParser
import Formation

/// `formation diff`: what changed between the committed templates and a fresh synth, resource by
/// resource, and what CloudFormation would replace, delete or orphan if it were deployed.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare a fresh synth with the committed templates, resource by resource.",
        discussion: """
            Each selected stack is synthesized and compared with its committed template (old → \
            synthesized): sections, resources added [+], removed [-] and changed [~], and each \
            changed property path with its old and new value. Under a resource, '!' lines say \
            what CloudFormation would do on deploy: REPLACE it (a create-only property or its \
            type changes, or a create-only property refers to a replaced resource, marked [!]), \
            DELETE a removed stateful resource (S3 buckets, log groups, keys, secrets, tables, \
            caches, …), retain and orphan one whose DeletionPolicy is Retain, or create a new one \
            and drop the old when a logical ID is renamed.

            Against a directory, exports are checked across the app's stacks (the "deadly \
            embrace"): an export the synthesized stack removes or changes while another stack's \
            committed template still imports it is an error, with the two-step fix; so is an \
            import of an export that does not exist yet when its producer deploys later.

            --against names the baseline: a directory holding <stack>.json|yaml (snapshots, the \
            default) or <stack>.template.json|yaml (synth --out), or one template FILE (then \
            exactly one stack). In a directory, --format picks the file; without it JSON is \
            preferred to YAML. Templates are compared as data: a file with the same template \
            formatted differently has no differences (a note says so).

            The report goes to stdout (in color on a terminal); diagnostics and notes to stderr. \
            Stacks without differences print nothing.

            EXAMPLES:
              formation diff                           # every stack against snapshots/
              formation diff MyStack-dev
              formation diff MyStack-dev --against out # against synth --out files
              formation diff MyStack-dev --against old/MyStack-dev.yaml
              # against what is deployed (a stack deployed from YAML):
              aws cloudformation get-template --stack-name MyStack-dev \\
                --query TemplateBody --output text > live.yaml
              formation diff MyStack-dev --against live.yaml

            EXIT STATUS:
              0  no differences
              1  differences found; or a baseline is missing or unreadable, or a
                 stack fails validation
              2  usage error
            """
    )

    @Argument(help: "Stacks to compare (all when none is named).")
    var stacks: [String] = []

    @Option(help: ArgumentHelp("The committed templates: a directory (snapshots, or synth --out) or one template file.", valueName: "snapshots|dir|file"))
    var against: String = Baseline.defaultDirectory

    @Option(help: "In a directory, read <stack>.<format> (json or yaml); without it JSON is preferred, else YAML.")
    var format: TemplateFormat?

    @OptionGroup var checks: CheckOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        if against.isEmpty { throw ValidationError("--against needs a directory or file path") }
    }

    func run() throws {
        let app = try AppProvider.shared.app()
        let selected = try StackSelection.resolve(stacks, in: app)
        if selected.isEmpty {
            throw CLIError.failure("the app has no stacks to compare")
        }
        let baseline = try Baseline(against)
        if case .file(let file) = baseline, selected.count != 1 {
            throw CLIError.usage("--against \(file) is one template but \(plural(selected.count, "stack")) \(stacks.isEmpty ? "are in the app" : "are named"); name the one stack it belongs to")
        }
        let reporter = Reporter(checks)
        var differing: [String] = []
        var failed: [String] = []
        var exportProblemCount = 0
        // The whole app at once (one pass: a stack's exports depend on every stack that imports);
        // the export check below reads the same syntheses.
        let syntheses = Stack.synthesize(app.stacks)
        let byName = Dictionary(syntheses.map { ($0.stackName, $0) }, uniquingKeysWith: { first, _ in first })
        for stack in selected {
            guard let synthesis = byName[stack.name] else { continue }
            switch Self.compare(stack, synthesis, baseline: baseline, format: format, maximumBytes: input.maximumBytes, reporter: reporter) {
            case .same:
                break
            case .differs(let report):
                Console.out((differing.isEmpty ? "" : "\n") + report.rendered(.stdout))
                differing.append(stack.name)
                if let summary = report.impactSummary {
                    reporter.warning("deploying \(stack.name) as synthesized: \(summary) (the '!' lines)")
                }
            case .failed:
                failed.append(stack.name)
            }
        }
        if case .directory = baseline {
            // Exports removed or changed while a stack still imports them, and imports whose
            // export does not exist yet: CloudFormation refuses these deploys.
            let problems = Self.exportProblems(app: app, syntheses: syntheses, selected: selected, baseline: baseline, format: format, maximumBytes: input.maximumBytes)
            for message in problems { reporter.error(message) }
            exportProblemCount = problems.count
        }
        if !differing.isEmpty {
            reporter.progress("\(StackRenderer.list(differing)) \(differing.count == 1 ? "differs" : "differ") from \(against)")
        }
        if !failed.isEmpty || !differing.isEmpty || exportProblemCount > 0 {
            throw ExitCode(ExitStatus.failure)
        }
        reporter.progress("no differences: \(plural(selected.count, "stack")) \(selected.count == 1 ? "matches" : "match") \(against)")
    }

    /// The export problems of deploying `selected` as synthesized over the baseline directory:
    /// every stack of the app that has a baseline template says what it imports today.
    static func exportProblems(app: App, syntheses: [Synthesis], selected: [Stack], baseline: Baseline, format: TemplateFormat?, maximumBytes: Int) -> [String] {
        var old: [String: Template] = [:]
        for stack in app.stacks {
            guard let path = try? baseline.path(for: stack.name, format: format), let text = try? TemplateInput.text(path, maximumBytes: maximumBytes),
                  let template = try? Template(document: TemplateDocument.parse(text, file: path)) else { continue }
            old[stack.name] = template
        }
        var new: [String: Template] = [:]
        for synthesis in syntheses where selected.contains(where: { $0.name == synthesis.stackName }) {
            new[synthesis.stackName] = synthesis.template
        }
        let order = CrossStackPlan(syntheses).deployOrder(app.stacks).map(\.name)
        return ExportCheck.problems(stacks: selected.map(\.name), old: old, new: new, order: order)
    }

    /// The outcome of comparing one stack.
    enum Outcome {
        /// The committed template is the same document.
        case same
        /// It differs.
        case differs(DiffReport)
        /// It could not be compared (reported already).
        case failed
    }

    /// Reads `stack`'s baseline and compares it with `synthesis`, reporting problems.
    static func compare(_ stack: Stack, _ synthesis: Synthesis, baseline: Baseline, format: TemplateFormat?, maximumBytes: Int, reporter: Reporter) -> Outcome {
        reporter.report(synthesis.diagnostics)
        if reporter.fails(synthesis.diagnostics) {
            reporter.error("\(stack.name) failed validation\(reporter.strict && !synthesis.hasErrors ? " (warnings fail with --strict)" : ""); not compared")
            return .failed
        }
        let path: String
        let text: String
        let old: Template
        do {
            path = try baseline.path(for: stack.name, format: format)
        } catch {
            for message in error.messages { reporter.error(message) }
            return .failed
        }
        do {
            // Within the limits on input, like any template nobody vetted.
            text = try TemplateInput.text(path, maximumBytes: maximumBytes)
        } catch {
            switch error {
            case .unreadable(let messages): for message in messages { reporter.error(message) }
            case .invalid(let error): reporter.report(error: error, file: path)
            }
            return .failed
        }
        do {
            old = try Template(document: TemplateDocument.parse(text, file: path))
        } catch {
            reporter.report(error: error, file: path)
            return .failed
        }
        let report = DiffReport(stack: stack.name, source: path, old: old, new: synthesis.template)
        if !report.isEmpty { return .differs(report) }
        let fileFormat = TemplateFormat.guess(fromPath: path) ?? (text.first(where: { !$0.isWhitespace }) == "{" ? .json : .yaml)
        if let rendered = try? synthesis.render(fileFormat), rendered.text != text {
            reporter.note("\(path) holds the same template as \(stack.name), formatted differently from what formation writes")
        }
        return .same
    }
}
