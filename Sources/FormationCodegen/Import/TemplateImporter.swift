import FormationRegistry
import FormationTemplate

/// Something in a template the generated Swift does not express: the template path
/// (`Resources/Bucket/DependsOn`) and what happened to it.
public struct ImportFinding: Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let message: String

    public var description: String { "\(path): \(message)" }
}

/// The Swift source `formation import` writes for one template.
public struct ImportedStack: Sendable {
    /// The Swift type that adds the stack (`NetworkStack`).
    public let typeName: String
    /// The stack's name.
    public let stackName: String
    /// The file's contents.
    public let source: String
    /// Registry types the source uses typed that `FormationResources` does not have: the lines
    /// of the `formation-types.txt` of the module the source imports.
    public let typesToGenerate: [String]
    /// What the source does not express, each with its template path.
    public let findings: [ImportFinding]
    /// Resources written with their typed properties struct.
    public let typedResources: Int
    /// Resources written as `RawResource` (no typed form exists).
    public let rawResources: Int
    /// Property values written raw over a typed resource (`overrideProperty`).
    public let rawProperties: Int
}

/// Turns a CloudFormation template into Swift source for a Formation stack that synthesizes the
/// same template: typed resources with their enums and nested structs, references as typed
/// tokens, `Fn::Sub` as string interpolation, parameters, mappings, conditions and outputs with
/// their handles, resource attributes as the handle's methods.
///
/// ```swift
/// let imported = try TemplateImporter().importTemplate(template, stackName: "network", typeName: "NetworkStack",
///                                                     source: "network.yaml", typesModule: nil)
/// ```
public struct TemplateImporter {
    let generator: Generator
    private var models: [String: ResourceModel?] = [:]

    /// An importer over the registry bundle embedded in this binary.
    public init() throws(GeneratorError) {
        generator = try Generator()
    }

    /// The typed model of `typeName`, when the registry has it and the generator can build it.
    mutating func model(_ typeName: String) -> ResourceModel? {
        if let known = models[typeName] { return known }
        var model: ResourceModel?
        if Generator.isTypeName(typeName), !typeName.hasPrefix("Custom::"),
           generator.schemas.bundle.typeIndex(typeName) != nil {
            model = try? generator.model(typeName)
        }
        models[typeName] = model
        return model
    }

    /// Whether `FormationResources` has `typeName` typed.
    static func isBuiltIn(_ typeName: String) -> Bool { BuiltInTypes.names.contains(typeName) }

    /// The Swift source of `template` as a stack named `stackName`, in an enum `typeName`;
    /// `source` names the template file in comments; `typesModule` is imported when the stack
    /// uses types `FormationResources` lacks.
    public mutating func importTemplate(_ template: Template, stackName: String, typeName: String, source: String,
                                        typesModule: String?) -> ImportedStack {
        var writer = StackWriter(template: template, importer: self)
        writer.write()
        self = writer.importer
        var out = Lines()
        out.add("// Imported from \(SwiftWriter.literal(source).dropFirst().dropLast()) by `formation import`: \(writer.resourceCount) resources, \(writer.typed) typed, \(writer.raw) raw.")
        if !writer.findings.isEmpty {
            out.add("// Not expressed (see the notes at each place):")
            for finding in writer.findings { out.add("//   \(Self.comment(finding.description))") }
        }
        out.add("")
        out.add("import Formation")
        out.add("import FormationResources")
        let types = writer.typesToGenerate
        if let typesModule, !types.isEmpty { out.add("import \(typesModule)") }
        out.add("")
        out.add("/// The stack imported from `\(Self.comment(source))`.")
        out.add("public enum \(typeName) {")
        out.add("/// Adds the stack to `app` as `name`.", indent: 1)
        out.add("@discardableResult", indent: 1)
        out.add("public static func add(to app: App, name: String = \(SwiftWriter.literal(stackName))) -> Stack {", indent: 1)
        for line in writer.body { out.add(line.text) }
        out.add("return stack", indent: 2)
        out.add("}", indent: 1)
        out.add("}")
        return ImportedStack(typeName: typeName, stackName: stackName, source: out.text, typesToGenerate: types,
                             findings: writer.findings, typedResources: writer.typed, rawResources: writer.raw,
                             rawProperties: writer.overrideCount)
    }

    /// `text` safe on one comment line.
    static func comment(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

/// A line of the generated function body; `handle` is the name a declaration is bound to when
/// something uses it (`let name = …`), otherwise the statement stands alone.
struct BodyLine {
    var text: String
}
