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
    /// Files to write beside the template (code zips), sorted by name.
    public var assets: [StackAsset] = []

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
    static func synthesize(_ stack: Stack, schemas: SchemaRegistry, prepare: Bool = true) -> Synthesis {
        if prepare { stack.runPrepareHooks() }
        var diagnostics = stack.app?.diagnostics(forStack: stack.name) ?? []
        diagnostics += stack.constructionDiagnostics

        var resources = OrderedMap()
        var paths: [String: String] = [:]
        var typedSchemas: [String: any ResourceSchema] = [:]
        for resource in stack.allResources {
            let context = EncodingContext(stackName: stack.name)
            let (definition, schema) = resource.definition(context)
            diagnostics += foreignReferenceDiagnostics(context.foreignTokens, path: resource.path, stack: stack.name)
            for problem in context.problems {
                diagnostics.append(.error(DiagnosticCode.unencodableValue, path: resource.path, property: problem.property,
                                          problem.property.isEmpty ? problem.message : "\(problem.property): \(problem.message)"))
            }
            guard resources.appendIfAbsent(resource.logicalID, definition.templateValue) else { continue }  // collision already reported
            // A resource right under the stack named by its id has the path diagnostics name by
            // default (`Stack/LogicalID`); only the others are recorded.
            if !(resource.logicalID == resource.id && resource.parent === stack) {
                paths[resource.logicalID] = resource.path
            }
            if let schema { typedSchemas[resource.logicalID] = schema }
        }

        let (outputs, outputTokens) = stack.outputsSection()
        for entry in outputTokens {
            diagnostics += foreignReferenceDiagnostics(entry.tokens, path: entry.path, stack: stack.name)
        }

        let template = Template.canonical(
            description: stack.templateDescription,
            metadata: stack.metadata,
            parameters: stack.parametersSection(),
            mappings: stack.mappingsSection(),
            conditions: stack.conditionsSection(),
            transform: stack.transform,
            resources: resources,
            outputs: outputs)

        let context = ValidationContext(stackPath: stack.name, resourcePaths: paths, schemas: schemas, typedSchemas: typedSchemas,
                                        regions: stack.regions, declaredTypes: stack.app?.declaredTypes ?? DeclaredTypes())
        var validated = stack.app?.validate(template, context) ?? TemplateValidator.validate(template, context)
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
        return synthesis
    }

    private static func foreignReferenceDiagnostics(_ tokens: [Token], path: String, stack: String) -> [Diagnostic] {
        tokens.map { token in
            .error(DiagnosticCode.crossStackReference, path: path,
                   "\(token) refers to a resource of stack \(token.stackName ?? "?"), not \(stack); a reference across stacks needs an Output with an Export there and Fn::ImportValue here")
        }
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
