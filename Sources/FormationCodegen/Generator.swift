import FormationTemplate

/// Generates `Sources/FormationResources/Generated/` from `data/schemas/`: one file per resource
/// type, the service namespaces, and `SchemaRegistry.bundled`.
///
/// ```swift
/// let files = try Generator(root: ".").generate()   // [(fileName, contents)], sorted
/// ```
public struct Generator: Sendable {
    /// The package root (holding `data/schemas/`).
    public let root: String

    /// A generator reading `root/data/schemas/`.
    public init(root: String) {
        self.root = root
    }

    /// One listed type.
    public struct TypeEntry: Sendable, Hashable {
        /// `AWS::KMS::Key`.
        public let typeName: String
        /// The schema file's hash (`data/schemas/resources/<hash>.json`).
        public let hash: String
    }

    /// The types in `data/schemas/types.txt`, sorted by name.
    public func types() throws(GeneratorError) -> [TypeEntry] {
        let path = root + "/data/schemas/types.txt"
        let text: String
        do {
            text = try FileSystem.read(path)
        } catch {
            throw GeneratorError(file: path, message: error.description)
        }
        var entries: [TypeEntry] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw GeneratorError(file: path, message: "line \(number + 1): expected `TYPE HASH`; run `make schemas` to fill in the hash")
            }
            entries.append(TypeEntry(typeName: String(fields[0]), hash: String(fields[1])))
        }
        return entries.sorted { $0.typeName < $1.typeName }
    }

    /// Every generated file, as (file name, contents), sorted by file name.
    public func generate() throws(GeneratorError) -> [(fileName: String, contents: String)] {
        var models: [ResourceModel] = []
        for entry in try types() {
            models.append(try model(entry))
        }
        var files: [(fileName: String, contents: String)] = []
        for model in models {
            files.append(("\(model.service)_\(model.name).swift", SwiftWriter.resourceFile(model)))
        }
        let services = Array(Set(models.map(\.service))).sorted()
        files.append(("Namespaces.swift", SwiftWriter.namespacesFile(services)))
        files.append(("SchemaRegistry+Bundled.swift", SwiftWriter.registryFile(models)))
        return files.sorted { $0.fileName < $1.fileName }
    }

    private func model(_ entry: TypeEntry) throws(GeneratorError) -> ResourceModel {
        let parts = entry.typeName.split(separator: ":", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "AWS",
              parts[1].unicodeScalars.allSatisfy(Naming.isAlphanumeric),
              parts[2].unicodeScalars.allSatisfy(Naming.isAlphanumeric) else {
            throw GeneratorError(file: "data/schemas/types.txt", message: "\(entry.typeName) is not an AWS::Service::Type name")
        }
        let fileName = entry.hash + ".json"
        let path = root + "/data/schemas/resources/" + fileName
        let text: String
        do {
            text = try FileSystem.read(path)
        } catch {
            throw GeneratorError(file: path, message: error.description)
        }
        let document = try SchemaDocument(typeName: entry.typeName, fileName: fileName, text: text)
        var compiler = TableCompiler(document: document)
        let tableValue = try compiler.compile()
        let table: String
        do {
            table = try JSONEmitter.emitCompact(tableValue)
        } catch {
            throw GeneratorError(file: fileName, message: error.description)
        }
        var builder = TypeBuilder(document: document, resourceName: String(parts[2]))
        return try builder.build(service: String(parts[1]), table: table)
    }
}
