/// The outcome of synthesizing one stack: its template and every diagnostic found.
public struct Synthesis: Sendable {
    /// The stack's name.
    public let stackName: String
    /// The stack's environment, if it has one.
    public let environment: String?
    /// The synthesized template (present even when there are errors, for inspection).
    public let template: Template
    /// Diagnostics, in the order they were found.
    public let diagnostics: [Diagnostic]
    /// Files to write beside the template (code zips, nested templates), sorted by name.
    public var assets: [StackAsset] = []
    /// The templates of the stack's nested stacks (`NestedStack`), sorted by construct path:
    /// snapshotted beside the stack's own (their text is also among ``assets``).
    public var nestedTemplates: [NestedTemplate] = []
    /// The other stacks' tokens this stack uses (what the app's cross-stack plan needs).
    var imports: [CrossStackPlan.Import] = []
    /// The rule findings suppressions silenced (`resource.suppress(id, reason:)`), for reports
    /// that list them as suppressed (SARIF); not in `diagnostics`.
    public var suppressed: [Suppressions.Suppressed] = []

    /// Whether any diagnostic is an error (nothing may be written then).
    public var hasErrors: Bool { diagnostics.hasErrors }

    /// The template as text in `format`, with the size diagnostics that depend on that text.
    public func render(_ format: TemplateFormat) throws(TemplateError) -> RenderedTemplate {
        let text = switch format {
        case .json: try JSONEmitter.emit(template)
        case .yaml: try YAMLEmitter.emit(template)
        }
        return RenderedTemplate(text: text, diagnostics: TemplateLimits.bodySize(of: text, path: stackName, format: format))
    }
}

/// The template of a nested stack, as its parent's synthesis carries it.
public struct NestedTemplate: Sendable {
    /// The nested stack's construct path (`Parent-dev/Network`).
    public let path: String
    /// Its synthesized template.
    public let template: Template

    public init(path: String, template: Template) {
        self.path = path
        self.template = template
    }

    /// The name its snapshot goes by: the path with `.` for `/` (`Parent-dev.Network`), so it
    /// sorts beside the parent's.
    public var snapshotName: String { path.split(separator: "/", omittingEmptySubsequences: false).joined(separator: ".") }

    /// The template as text in `format`.
    public func render(_ format: TemplateFormat) throws(TemplateError) -> String {
        switch format {
        case .json: try JSONEmitter.emit(template)
        case .yaml: try YAMLEmitter.emit(template)
        }
    }
}

/// A template rendered to text.
public struct RenderedTemplate: Sendable {
    /// The document text (LF line endings, trailing newline).
    public let text: String
    /// Size findings for this text (over 51,200 bytes needs S3; over 1 MB cannot deploy).
    public let diagnostics: [Diagnostic]

    /// The size in bytes.
    public var byteCount: Int { text.utf8.count }
}

/// Turns a stack's construct tree into a template and runs every validation.
enum Synthesizer {
    /// `plan`: who refers to whom among the app's stacks; nil computes it (for one stack alone).
    static func synthesize(_ stack: Stack, schemas: SchemaRegistry, prepare: Bool = true, plan: CrossStackPlan? = nil) -> Synthesis {
        if prepare { stack.runPrepareHooks() }
        // A nested template takes no part in the app's references across stacks.
        let plan = plan ?? (stack.nestingParent == nil ? stack.app?.crossStackPlan() : nil) ?? CrossStackPlan()
        var diagnostics = stack.nestingParent == nil ? stack.app?.diagnostics(forStack: stack.name) ?? [] : []
        diagnostics += stack.constructionDiagnostics
        diagnostics += stack.providedDiagnostics()

        var imports: [CrossStackPlan.Import] = []
        var resources = OrderedMap()
        var paths: [String: String] = [:]
        var typedSchemas: [String: any ResourceSchema] = [:]
        for resource in stack.allResources {
            let context = EncodingContext(stackName: stack.name)
            let (definition, schema) = resource.definition(context)
            diagnostics += importDiagnostics(context.foreignTokens, path: resource.path, stack: stack)
            imports += context.foreignTokens.map { CrossStackPlan.Import(path: resource.path, token: $0) }
            for problem in context.problems {
                diagnostics.append(.error(DiagnosticCode.unencodableValue, path: resource.path, property: problem.property,
                                          problem.property.isEmpty ? problem.message : "\(problem.property): \(problem.message)"))
            }
            guard resources.appendIfAbsent(resource.logicalID, resource.applyingAttributeOverrides(definition.templateValue)) else { continue }  // collision already reported
            // A resource right under the stack named by its id has the path diagnostics name by
            // default (`Stack/LogicalID`); only the others are recorded.
            if !(resource.logicalID == resource.id && resource.parent === stack) {
                paths[resource.logicalID] = resource.path
            }
            if let schema { typedSchemas[resource.logicalID] = schema }
        }

        var (outputs, outputTokens) = stack.outputsSection()
        for entry in outputTokens {
            diagnostics += importDiagnostics(entry.tokens, path: entry.path, stack: stack)
            imports += entry.tokens.map { CrossStackPlan.Import(path: entry.path, token: $0) }
        }
        diagnostics += addExports(to: &outputs, of: stack, plan)
        if let app = stack.app {
            for cycle in plan.cycles(among: app.stacks.map(\.name)) where cycle.contains(stack.name) {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: stack.name,
                                          "stacks \(cycle.joined(separator: " → ")) import from each other in a cycle: none of them can be deployed first; move what they share into a stack of its own"))
            }
        }

        var conditions = stack.conditionsSection()
        for loop in stack.loopEntries {
            switch loop.section {
            case "Resources": _ = resources.appendIfAbsent(loop.key, loop.value)
            case "Conditions": conditions[loop.key] = loop.value
            default: outputs[loop.key] = loop.value
            }
        }

        let template = Template.canonical(
            description: stack.templateDescription,
            metadata: stack.metadata,
            parameters: stack.parametersSection(),
            rules: stack.rules,
            mappings: stack.mappingsSection(),
            conditions: conditions,
            transform: stack.transformDeclaringLoops(),
            resources: resources,
            outputs: outputs)

        let context = ValidationContext(stackPath: stack.name, resourcePaths: paths, schemas: schemas, typedSchemas: typedSchemas,
                                        regions: stack.regions, declaredTypes: stack.app?.declaredTypes ?? DeclaredTypes())
        let checked = stack.app?.validateKeepingSuppressed(template, context) ?? (diagnostics: TemplateValidator.validate(template, context), suppressed: [])
        var validated = checked.diagnostics
        if diagnostics.hasErrors && resources.isEmpty {
            // The constructs whose errors are above added no resource: an empty Resources
            // section is their consequence, not one more thing to fix.
            validated.removeAll { $0.message == SectionCheck.emptyResources }
        }
        // A construct that already refused a parameter's value said why, more precisely.
        let refused = Set(diagnostics.filter(\.isError).map(\.path))
        validated.removeAll { $0.code == DiagnosticCode.invalidParameter && refused.contains($0.path) }
        diagnostics += validated
        var synthesis = Synthesis(stackName: stack.name, environment: stack.environment, template: template, diagnostics: diagnostics)
        synthesis.assets = stack.assets
        synthesis.nestedTemplates = stack.nestedTemplates
        synthesis.imports = imports
        synthesis.suppressed = checked.suppressed
        return synthesis
    }

    /// Checks each of `stack`'s uses of another stack's token: that stack must be in the app and
    /// deploy to the same account and regions (an export is visible in its own account and region
    /// only).
    private static func importDiagnostics(_ tokens: [Token], path: String, stack: Stack) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for token in tokens {
            let producerName = token.stackName ?? "?"
            if let parent = stack.nestingParent, parent.name == producerName {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: path,
                                          "\(token) refers to \(parent.name), the stack this nested stack is part of: a nested template sees only its own parameters; pass the value with NestedStack.parameter"))
                continue
            }
            guard let producer = stack.app?.stack(named: producerName) else {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: path,
                                          "\(token) refers to stack \(producerName), which is not in this app: a reference across stacks is wired through an export, so both stacks must be in one app"))
                continue
            }
            if producer.stackSetDeployment != nil || stack.stackSetDeployment != nil {
                let setName = producer.stackSetDeployment != nil ? producer.name : stack.name
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: path,
                                          "\(token) of \(producerPath(token, producer)) is used in \(stack.name), but \(setName) is a StackSet, whose instances deploy into other accounts where no export of one stack reaches: pass the value as a parameter, or through an SSM parameter in each account"))
                continue
            }
            if producer.account != stack.account {
                let describe = { (s: Stack) in s.account.map { "account \($0)" } ?? "no account (the deploying credentials')" }
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: path,
                                          "\(token) of \(producerPath(token, producer)) (\(describe(producer))) is used in \(stack.name) (\(describe(stack))): an export can be imported only in its own account and region; give both stacks the same account, or share the value through a parameter or an SSM parameter the consumer's account can read"))
                continue
            }
            let producerRegions = producer.regions.isEmpty ? ["us-east-1"] : producer.regions
            let consumerRegions = stack.regions.isEmpty ? ["us-east-1"] : stack.regions
            if Set(producerRegions) != Set(consumerRegions) {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: path,
                                          "\(token) of \(producerPath(token, producer)) (regions \(producerRegions.joined(separator: ", "))) is used in \(stack.name) (regions \(consumerRegions.joined(separator: ", "))): an export can be imported only in its own account and region; across regions, write the value to an SSM parameter in the producer's region and read it with a custom resource or at deploy time"))
            }
        }
        return diagnostics
    }

    /// The construct path of what `token` names in `producer` (its resource's path), or the
    /// stack's path for a value built of several.
    private static func producerPath(_ token: Token, _ producer: Stack) -> String {
        let name: String
        switch token.intrinsic {
        case .ref(let target), .getAtt(let target, _): name = target
        default: return producer.path
        }
        return producer.allResources.first { $0.logicalID == name }?.path ?? producer.path
    }

    /// Adds to `outputs` an Output with an Export for each of `stack`'s tokens that other stacks
    /// use; reports names that are too long or clash.
    private static func addExports(to outputs: inout OrderedMap, of stack: Stack, _ plan: CrossStackPlan) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let declaredExports = Set(outputs.entries.compactMap { $0.value["Export"]?["Name"]?.stringValue })
        for export in plan.exports(of: stack.name) {
            let outputPath = stack.path + "/Outputs/" + CrossStack.outputName(exportName: export.exportName)
            let users = export.consumers.joined(separator: ", ")
            if export.tokens.count > 1 {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: outputPath,
                                          "export name \(export.exportName) stands for \(export.tokens.count) different values used by \(users); give the values outputs of their own with distinct export names"))
                continue
            }
            if export.exportName.utf8.count > CrossStack.maximumExportNameLength {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: outputPath,
                                          "export name \(export.exportName) for \(users) is \(export.exportName.utf8.count) characters; CloudFormation allows \(CrossStack.maximumExportNameLength): shorten the stack name or the logical ID"))
                continue
            }
            if declaredExports.contains(export.exportName) {
                diagnostics.append(.error(DiagnosticCode.crossStackReference, path: outputPath,
                                          "export name \(export.exportName), used for \(users), is already declared by an output of \(stack.name); rename that export"))
                continue
            }
            let name = CrossStack.outputName(exportName: export.exportName)
            guard outputs[name] == nil else {
                diagnostics.append(.error(DiagnosticCode.logicalIDCollision, path: outputPath,
                                          "output \(name), which exports \(export.exportName) for \(users), is already declared; rename the declared output"))
                continue
            }
            let definition = OutputDefinition(value: .fn(export.tokens[0].intrinsic), description: "Imported by \(users)",
                                              exportName: .string(export.exportName))
            outputs[name] = definition.templateValue
        }
        return diagnostics
    }
}

/// A file a stack needs beside its template, such as a function's code zip.
public struct StackAsset: Sendable, Hashable {
    /// The name of the stack parameter that names the S3 bucket a stack's assets are uploaded to
    /// (declared by the constructs that use assets; `formation deploy-args` asks for its value).
    public static let bucketParameter = "AssetBucket"

    /// The file name (content-addressed, e.g. `<sha256>.zip`).
    public let fileName: String
    /// The file's bytes.
    public let bytes: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }
}
