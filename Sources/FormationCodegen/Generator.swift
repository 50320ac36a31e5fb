import FormationRegistry
import FormationTemplate

/// A problem reading a schema or writing generated code (file and message).
public typealias GeneratorError = RegistryError

/// Generates typed Swift for registry resource types from the schemas in Formation's registry
/// bundle (us-east-1's schema of each type, or SAM's).
///
/// Two uses:
/// - `builtIn()`: `Sources/FormationResources/Generated/` (the types in `BuiltInTypes`), the
///   namespace of every service, and the catalog of generated types (`make codegen`);
/// - `types(_:)`: the types a user lists, for their own target (the `FormationTypes` build
///   plugin, `formation-codegen --types`); types `FormationResources` already has are left out.
///
/// ```swift
/// let files = try Generator().builtIn()          // [(fileName, contents)], sorted
/// let mine = try Generator().types(["AWS::SQS::Queue", "AWS::DynamoDB::*"])
/// ```
public struct Generator: Sendable {
    let schemas: BundledSchemas

    /// A generator over the registry bundle embedded in this binary.
    public init() throws(GeneratorError) {
        schemas = try BundledSchemas.embedded.get()
    }

    /// A generator over `schemas`.
    public init(schemas: BundledSchemas) {
        self.schemas = schemas
    }

    /// Every file of `Sources/FormationResources/Generated/`, as (file name, contents), sorted by
    /// file name.
    public func builtIn() throws(GeneratorError) -> [(fileName: String, contents: String)] {
        var models: [ResourceModel] = []
        for name in BuiltInTypes.names.sorted() {
            models.append(try model(name))
        }
        var files: [(fileName: String, contents: String)] = []
        for model in models {
            files.append((Generator.fileName(model.typeName), SwiftWriter.resourceFile(model, imports: ["Formation"])))
        }
        files.append(("Namespaces.swift", SwiftWriter.namespacesFile(serviceNamespaces())))
        files.append(("GeneratedCatalog.swift", SwiftWriter.catalogFile(models)))
        return files.sorted { $0.fileName < $1.fileName }
    }

    /// The files for the types a user lists (`AWS::SQS::Queue`, or `AWS::DynamoDB::*` for every
    /// type of a service), one file per listed line, in list order; built-in types are skipped
    /// with a note in the file (they are in `FormationResources`). An unknown name is an error
    /// with the closest real one.
    public func types(_ requested: [String]) throws(GeneratorError) -> [(fileName: String, contents: String)] {
        let builtIn = Set(BuiltInTypes.names)
        var files: [(fileName: String, contents: String)] = []
        var seenFiles: Set<String> = []
        for request in requested {
            let names = try expand(request)
            var parts: [String] = []
            var skipped: [String] = []
            for name in names {
                if builtIn.contains(name) {
                    skipped.append(name)
                    continue
                }
                parts.append(SwiftWriter.resourceBody(try model(name)))
            }
            let fileName = Generator.fileName(request)
            guard seenFiles.insert(fileName).inserted else {
                throw GeneratorError(file: "types list", message: "\(request) is listed twice")
            }
            files.append((fileName, SwiftWriter.userFile(request: request, bodies: parts, builtIn: skipped)))
        }
        return files
    }

    /// Every registry type Swift can be generated for, sorted: the `Vendor::Service::Type` names
    /// of every region and SAM's (`AWS::Serverless::Function`), the two whose vendor is not AWS
    /// (`Alexa::ASK::Skill`, `AMZN::SDC::Deployment`) included.
    public var registryTypeNames: [String] {
        schemas.typeNames.filter { Self.isTypeName($0) }
    }

    /// Whether `name` is `Vendor::Service::Type` with letters and digits in each part.
    static func isTypeName(_ name: String) -> Bool {
        let parts = name.split(separator: ":", omittingEmptySubsequences: true)
        return parts.count == 3 && name.utf8.count == parts.reduce(4) { $0 + $1.utf8.count }
            && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(Naming.isAlphanumeric) }
    }

    /// One file per type of `names` (built-in types left out: `FormationResources` has them), and
    /// every type whose generation failed with its error, instead of stopping at the first; for
    /// checking the generator over the whole registry (`make codegen-all`).
    public func eachType(_ names: [String]) -> (files: [(fileName: String, contents: String)],
                                                  failures: [(typeName: String, error: GeneratorError)]) {
        let builtIn = Set(BuiltInTypes.names)
        var files: [(fileName: String, contents: String)] = []
        var failures: [(typeName: String, error: GeneratorError)] = []
        for name in names where !builtIn.contains(name) {
            do {
                let body = SwiftWriter.resourceBody(try model(name))
                files.append((Generator.fileName(name), SwiftWriter.userFile(request: name, bodies: [body], builtIn: [])))
            } catch {
                failures.append((name, error))
            }
        }
        return (files, failures)
    }

    /// The file a type (or a `Service::*` request) is written to: `SQS_Queue.swift`, `DynamoDB.swift`.
    public static func fileName(_ request: String) -> String {
        let parts = request.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 3 && parts[2] == "*" { return "\(Naming.typeName(parts[1])).swift" }
        if parts.count == 3 { return "\(Naming.typeName(parts[1]))_\(Naming.typeName(parts[2])).swift" }
        return parts.map(Naming.typeName).joined(separator: "_") + ".swift"
    }

    /// The type names a request stands for.
    func expand(_ request: String) throws(GeneratorError) -> [String] {
        let parts = request.split(separator: ":", omittingEmptySubsequences: true)
        if parts.count == 3 && parts[2] == "*" {
            let prefix = parts[0] + "::" + parts[1] + "::"
            let names = schemas.typeNames.filter { $0.hasPrefix(prefix) && $0.split(separator: ":").count == 3 }
            guard !names.isEmpty else {
                throw GeneratorError(file: "types list", message: "no registry type starts with \(prefix)")
            }
            return names
        }
        guard schemas.bundle.typeIndex(request) != nil else {
            var message = "\(request) is not a CloudFormation registry type"
            if let suggestion = schemas.suggestion(for: request) { message += "; did you mean \(suggestion)?" }
            throw GeneratorError(file: "types list", message: message)
        }
        return [request]
    }

    /// The service namespace of every registry type (`AWS::SQS::Queue` → `SQS`,
    /// `Alexa::ASK::Skill` → `ASK`) with its vendor, sorted by service.
    func serviceNamespaces() -> [(vendor: String, service: String)] {
        var services: [String: String] = [:]
        for name in registryTypeNames {
            let parts = name.split(separator: ":", omittingEmptySubsequences: true)
            services[String(parts[1])] = String(parts[0])
        }
        return services.keys.sorted().map { (services[$0] ?? "AWS", $0) }
    }

    /// The model of one type, from its us-east-1 schema (or SAM's, or any region's).
    func model(_ typeName: String) throws(GeneratorError) -> ResourceModel {
        let parts = typeName.split(separator: ":", omittingEmptySubsequences: true)
        guard Self.isTypeName(typeName) else {
            throw GeneratorError(file: "types list", message: "\(typeName) is not a Vendor::Service::Type name (AWS::SQS::Queue)")
        }
        guard let text = try schemaText(typeName) else {
            throw GeneratorError(file: schemas.bundle.source, message: "the bundle has no schema of \(typeName)")
        }
        let fileName = "\(typeName) (\(schemas.bundle.source))"
        let document = try SchemaDocument(typeName: typeName, fileName: fileName, text: text)
        var builder = TypeBuilder(document: document, resourceName: TypeBuilder.resourceStructName(String(parts[2])))
        return try builder.build(service: String(parts[1]))
    }

    func schemaText(_ typeName: String) throws(GeneratorError) -> String? {
        if let text = try schemas.schemaText(typeName) { return text }
        guard let type = schemas.bundle.typeIndex(typeName) else { return nil }
        for region in 0..<schemas.bundle.regionCount {
            if let index = schemas.bundle.schemaIndex(type: type, region: region) { return try schemas.bundle.schemaText(index) }
        }
        return nil
    }
}
