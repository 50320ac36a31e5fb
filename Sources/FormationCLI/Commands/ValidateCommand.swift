import ArgumentParser
import Formation

/// `formation validate`: synthesize (or parse) and validate, writing nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate stacks, or template files (JSON or YAML), without writing anything.",
        discussion: """
            With STACK names (or none: every stack), each stack is synthesized and validated. With \
            --template, each file is parsed (JSON or YAML, long or short form) and checked by the \
            same validator, with this app's registry schemas and rules: references, cycles, limits \
            and schema rules. Diagnostics name the file and the logical ID. Exits 1 when the \
            template is invalid (any error that is not a rule's finding, or any warning with \
            --strict) or when a rule finds something at or above --fail-on (default: error).

            Every resource type is checked against the CloudFormation registry for the regions the \
            template deploys to: a stack's own regions, or --region for files. With no region \
            given, validation uses us-east-1. A type that does not exist in a region is an error \
            naming the regions where it does. Third-party, private-registry and module types \
            (Org::Service::Thing) are errors unless declared: --declare-type NAME accepts one \
            without checking its properties, --type-schema FILE declares the type a registry \
            schema file describes and validates its resources against it.

            EXAMPLES:
              formation validate
              formation validate MyStack-dev --strict
              formation validate --template out/MyStack-dev.template.yaml
              formation validate --template a.json b.yaml --region us-east-1 --region eu-west-1
              formation validate --template app.yaml --type-schema schemas/myorg-queue-thing.json
              formation validate --template app.yaml --fail-on warning
            """
    )

    @Argument(help: "Stacks to validate (all when none is named and no --template is given).")
    var stacks: [String] = []

    @Option(name: .customLong("template"), parsing: .upToNextOption,
            help: ArgumentHelp("Template files to validate instead of stacks (`-` reads stdin).", valueName: "file"))
    var templates: [String] = []

    @Option(help: "The format whose body-size limit applies to stacks: json or yaml.")
    var format: TemplateFormat = .json

    @Option(name: .customLong("region"),
            help: ArgumentHelp("A region the --template files deploy to (repeatable; default us-east-1).", valueName: "region"))
    var regions: [String] = []

    @Option(name: .customLong("declare-type"),
            help: ArgumentHelp("A third-party, private or module type the --template files may use, unchecked (repeatable).", valueName: "type"))
    var declaredTypes: [String] = []

    @Option(name: .customLong("type-schema"),
            help: ArgumentHelp("A registry schema file of a type outside the registry: declares the type and validates its resources (repeatable).", valueName: "file"))
    var typeSchemas: [String] = []

    @Option(name: .customLong("fail-on"),
            help: ArgumentHelp("The lowest severity of a rule finding that fails: error, warning or info (validity errors always fail).", valueName: "severity"))
    var failOn: FindingSeverity = .error

    @Option(name: .customLong("output-format"),
            help: ArgumentHelp("text (diagnostics on stderr), or one document on stdout: json, sarif (SARIF 2.1.0, for code scanning) or junit (JUnit XML).", valueName: "format"))
    var outputFormat: OutputFormat = .text

    @OptionGroup var checks: CheckOptions

    @OptionGroup var input: InputOptions

    func validate() throws {
        if !stacks.isEmpty && !templates.isEmpty {
            throw ValidationError("name stacks or give --template files, not both")
        }
        if templates.isEmpty && !(regions.isEmpty && declaredTypes.isEmpty && typeSchemas.isEmpty) {
            throw ValidationError("--region, --declare-type and --type-schema apply to --template files; a stack's regions and declared types come from the app")
        }
    }

    func run() throws {
        let app = try AppProvider.shared.app()
        let reporter = Reporter(checks)
        reporter.isFinding = app.isFinding
        reporter.failOn = failOn
        let noun: String
        let failed: [String]
        if outputFormat != .text {
            reporter.printsDiagnostics = false
            let report: ValidationReport
            if templates.isEmpty {
                let selected = try StackSelection.resolve(stacks, in: app)
                report = Self.stackReport(selected, format: format, reporter: reporter)
                noun = plural(selected.count, "stack")
            } else {
                let setting = try fileSetting(app)
                let outcomes = Parallel.map(templates) { Self.evaluate(file: $0, app: app, setting: setting) }
                report = ValidationReport(units: zip(templates, outcomes).map { file, outcome in
                    _ = Self.report(outcome, reporter: reporter)
                    let resources: [String]
                    if case .validated(_, _, let ids, _) = outcome { resources = ids } else { resources = [] }
                    return .template(file: file, outcome: outcome, resources: resources, reporter: reporter)
                })
                noun = plural(templates.count, "template")
            }
            switch outputFormat {
            case .json: print(try JSONEmitter.emit(report.json(failOn: failOn)), terminator: "")
            case .sarif: print(try JSONEmitter.emit(report.sarif(catalog: app.rules.flatMap(\.catalog), settings: app.ruleSettings)), terminator: "")
            case .junit: print(report.junit(), terminator: "")
            case .text: break
            }
            failed = report.units.filter(\.failed).map(\.name)
        } else if templates.isEmpty {
            let selected = try StackSelection.resolve(stacks, in: app)
            failed = StackRenderer.render(selected, format: format, reporter: reporter).failed
            noun = plural(selected.count, "stack")
        } else {
            let setting = try fileSetting(app)
            // Files are read, parsed and validated concurrently; their results are reported in
            // the order the files were given, so the output does not depend on the threads.
            let outcomes = Parallel.map(templates) { Self.evaluate(file: $0, app: app, setting: setting) }
            failed = zip(templates, outcomes).filter { !Self.report($0.1, reporter: reporter) }.map { Files.displayName($0.0) }
            noun = plural(templates.count, "template")
        }
        if !failed.isEmpty {
            let strictNote = checks.strict && reporter.errorCount == 0 ? " (warnings fail with --strict)" : ""
            Console.err("\(Style.red("error")): \(StackRenderer.list(failed)) failed validation\(strictNote): \(reporter.counts)")
            throw ExitCode(ExitStatus.failure)
        }
        reporter.progress("validated \(noun): \(reporter.counts)")
    }

    /// The regions and declared types that apply to template files: the options', on top of the
    /// app's declarations. An unknown region or an unusable schema file is a usage error.
    func fileSetting(_ app: App) throws -> FileSetting {
        var declared = app.declaredTypes
        for name in declaredTypes { declared.declare(name) }
        for file in typeSchemas {
            do {
                let schema = try RegistrySchema(file: file, displayName: Files.displayName(file))
                declared.declare(schema.typeName, schema: schema)
            } catch {
                throw CLIError.usage(["--type-schema \(error)"])
            }
        }
        for region in regions where !app.schemas.isEmpty && !app.schemas.knowsRegion(region) {
            var message = "--region \(region) is not a region the registry knows"
            if let suggestion = app.schemas.regionSuggestion(for: region) { message += "; did you mean \(suggestion)?" }
            throw CLIError.usage([message])
        }
        return FileSetting(regions: regions, declaredTypes: declared, maximumBytes: input.maximumBytes)
    }

    /// Regions and declared types for template files.
    struct FileSetting {
        var regions: [String] = []
        var declaredTypes = DeclaredTypes()
        var maximumBytes = ParseLimits.cloudFormationMaximumBytes
    }

    /// What checking one template file found.
    enum FileOutcome {
        /// The file could not be read: the messages.
        case unreadable([String])
        /// The file is not a template (a syntax or structure error).
        case unparsable(TemplateError, file: String)
        /// The template's diagnostics, where in the file each one points, its logical IDs, and
        /// the findings its suppressions silenced (SARIF lists them as suppressed).
        case validated([Diagnostic], DiagnosticLocator, resources: [String], suppressed: [Suppressions.Suppressed])
    }

    /// Reads, parses and validates one template file, reporting nothing (files are checked
    /// concurrently; `report` prints the outcomes in order).
    static func evaluate(file: String, app: App, setting: FileSetting = FileSetting()) -> FileOutcome {
        let name = Files.displayName(file)
        let text: String
        let template: Template
        let positions: SourcePositions
        do {
            text = try TemplateInput.text(file, maximumBytes: setting.maximumBytes)
        } catch {
            switch error {
            case .unreadable(let messages): return .unreadable(messages)
            case .invalid(let error): return .unparsable(error, file: name)
            }
        }
        do {
            // CloudFormation refuses YAML aliases: the first one is an error at its line.
            (template, positions) = try TemplateDocument.parseTemplateWithPositions(text, file: name, limits: .cloudFormation)
        } catch {
            return .unparsable(error, file: name)
        }
        let format = TemplateFormat.guess(fromPath: file) ?? (text.first(where: { !$0.isWhitespace }) == "{" ? .json : .yaml)
        // checkov's `# checkov:skip=ID:reason` comments, by the resource whose lines hold them.
        var blocks = template.resources.keys.compactMap { id in positions.position(of: ["Resources", id]).map { (logicalID: id, line: $0.line) } }
        for section in template.root.keys where section != "Resources" {
            if let start = positions.position(of: [section]) { blocks.append((logicalID: "", line: start.line)) }
        }
        let context = ValidationContext(stackPath: name, schemas: app.schemas, regions: setting.regions, declaredTypes: setting.declaredTypes)
        let validated = app.validateKeepingSuppressed(template, context,
                                                      commentSkips: Suppressions.checkovComments(in: text, resourceLines: blocks))
        var diagnostics = validated.diagnostics
        // Nested templates named by a local path: the parameters passed against the file's.
        if file != "-" {
            diagnostics += NestedTemplateParameters.check(template, file: file, context: context, maximumBytes: setting.maximumBytes)
        }
        diagnostics += TemplateLimits.bodySize(of: text, path: name, format: format)
        let locator = DiagnosticLocator(file: name, positions: positions, origins: LoopOrigins(template, context))
        return .validated(diagnostics, locator, resources: template.resources.keys, suppressed: validated.suppressed)
    }

    /// Prints one file's outcome; false when the file fails.
    static func report(_ outcome: FileOutcome, reporter: Reporter) -> Bool {
        switch outcome {
        case .unreadable(let messages):
            for message in messages { reporter.error(message) }
            return false
        case .unparsable(let error, let file):
            reporter.report(error: error, file: file)
            return false
        case .validated(let diagnostics, let locator, _, let suppressed):
            reporter.report(diagnostics, locator: locator)
            reporter.suppressedCount += suppressed.count
            return !reporter.fails(diagnostics)
        }
    }
}

extension Reporter {
    /// Prints a template parse error compiler-style: `file:line:col: error: message`.
    func report(error: TemplateError, file: String) {
        switch error {
        case .syntax(let errorFile, let line, let column, let message):
            self.error(at: "\(errorFile ?? file):\(line):\(column)", message)
        case .structure(let path, let message):
            self.error(at: path.isEmpty ? file : "\(file): \(path)", message)
        case .unrepresentable(let path, let message), .io(let path, let message):
            self.error(at: path.isEmpty ? file : path, message)
        }
    }
}

extension ValidateCommand {
    /// Every stack synthesized and rendered in `format`, with each diagnostic located in the
    /// template as `synth --out` writes it (`Stack.template.json`) and by construct path.
    static func stackReport(_ stacks: [Stack], format: TemplateFormat, reporter: Reporter) -> ValidationReport {
        let (syntheses, renderings) = StackRenderer.synthesizeAndRender(stacks, formats: [format])
        var report = ValidationReport()
        for (index, stack) in stacks.enumerated() {
            let synthesis = syntheses[index]
            var diagnostics = synthesis.diagnostics
            let file = "\(stack.name).template.\(format.fileExtension)"
            var locator: DiagnosticLocator?
            var renderFailed = false
            switch renderings[index][0] {
            case .success(let rendered):
                diagnostics += rendered.diagnostics.filter { !synthesis.diagnostics.contains($0) }
                if let positions = try? TemplateDocument.parseWithPositions(rendered.text).positions {
                    locator = DiagnosticLocator(file: file, positions: positions, prefix: stack.name,
                                                logicalIDs: Dictionary(stack.allResources.map { ($0.path, $0.logicalID) }, uniquingKeysWith: { first, _ in first }),
                                                origins: LoopOrigins(synthesis.template, ValidationContext(stackPath: stack.name)))
                }
            case .failure(let error):
                renderFailed = true
                diagnostics.append(.error(ReportCode.notATemplate, path: stack.name, "cannot render the template as \(format.rawValue.uppercased()): \(error)"))
            }
            reporter.report(diagnostics)
            let results = diagnostics.map { diagnostic in
                ValidationReport.Result(diagnostic: diagnostic, location: locator?.locate(diagnostic) ?? DiagnosticLocation(file: file, position: nil, entry: []),
                                        isFinding: reporter.isFinding(diagnostic), fails: reporter.fails([diagnostic]))
            }
            var unit = ValidationReport.Unit(name: stack.name, kind: .stack, artifact: ArtifactURI.encode(file), resources: synthesis.template.resources.keys,
                                             results: results, failed: renderFailed || results.contains(where: \.fails))
            unit.suppressed = synthesis.suppressed.map { entry in
                let location = locator?.locate(entry.diagnostic) ?? DiagnosticLocation(file: file, position: nil, entry: [])
                return (ValidationReport.Result(diagnostic: entry.diagnostic, location: location, isFinding: true, fails: false), entry)
            }
            report.units.append(unit)
        }
        return report
    }
}
