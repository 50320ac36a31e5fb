import FormationTemplate

/// The compiled rules of one resource type: a validation table, read once.
///
/// The table is what `TableCompiler` makes of a registry schema: `readOnly` (pointers to
/// read-only properties) and `nodes`, a flat list of rule nodes whose children are node indices
/// (`$ref`s resolved, annotations dropped); node 0 is the resource's properties. Patterns are
/// compiled once per table and shared by the nodes that use them.
public final class SchemaRules: Sendable {
    /// The CloudFormation type name.
    public let typeName: String
    let nodes: [SchemaNode]
    /// Top-level read-only property names (given a value: a warning).
    let readOnly: NameSet
    /// Why the table could not be read, if it could not (every violation report says so).
    public let loadError: String?
    /// Every distinct pattern of the table.
    public let patterns: [SchemaPattern]

    /// Reads a table given as JSON text. A table that cannot be read gives rules that report
    /// exactly that.
    public convenience init(typeName: String, table: String) {
        do {
            self.init(typeName: typeName, table: try JSONParser.parse(table, file: typeName))
        } catch {
            self.init(typeName: typeName, failure: error.description)
        }
    }

    /// Reads a compiled table (`TableCompiler.compile()`).
    public init(typeName: String, table: TemplateValue) {
        self.typeName = typeName
        var nodes: [SchemaNode] = []
        var readOnly = Set<String>()
        var cache: [String: SchemaPattern] = [:]
        var loadError: String?
        do throws(SchemaTableError) {
            guard let root = table.mapValue, let list = root["nodes"]?.listValue, !list.isEmpty else {
                throw SchemaTableError("the table has no nodes")
            }
            for item in list {
                guard let map = item.mapValue else { throw SchemaTableError("a node is not an object: \(item)") }
                nodes.append(try SchemaNode(map, nodeCount: list.count, patterns: &cache))
            }
            for pointer in root["readOnly"]?.listValue?.compactMap(\.stringValue) ?? [] {
                let parts = pointer.split(separator: "/")
                if parts.count == 2, parts[0] == "properties" { readOnly.insert(String(parts[1])) }
            }
        } catch {
            loadError = error.description
            nodes = []
        }
        self.nodes = nodes
        self.readOnly = NameSet(readOnly)
        self.loadError = loadError
        self.patterns = cache.keys.sorted().compactMap { cache[$0] }
    }

    private init(typeName: String, failure: String) {
        self.typeName = typeName
        nodes = []
        readOnly = NameSet([])
        loadError = failure
        patterns = []
    }

    /// Every rule broken by `properties`.
    public func validate(_ properties: OrderedMap) -> [SchemaViolation] {
        if let loadError {
            return [SchemaViolation(code: SchemaDiagnosticCode.schemaUnusable, property: "",
                                    message: "the schema table of \(typeName) cannot be read (\(loadError)); the properties were not validated")]
        }
        var validator = SchemaValidator(rules: self)
        validator.validateRoot(properties)
        return validator.violations
    }
}

/// A registry schema, compiled: the type name, the names `Fn::GetAtt` accepts, the rules, and
/// the property pointers other checks use (create-only properties replace the resource).
///
/// ```swift
/// let schema = try SchemaRegistry.bundled.lookup("AWS::KMS::Key").schemas[0].schema
/// schema.attributeNames      // ["Arn", "KeyId"]
/// ```
public final class RegistrySchema: ResourceSchema {
    /// The CloudFormation type name (`AWS::KMS::Key`).
    public let typeName: String
    /// The names `Fn::GetAtt` accepts, as cfn-lint computes them (read-only properties, objects
    /// also by their members, `PrimaryEndPoint.Address`), without the families below.
    public let attributeNames: Set<String>
    /// Families of attribute names (`Outputs\..*` of a nested stack), matched whole.
    let attributePatterns: [SchemaPattern]
    /// The compiled rules.
    public let compiledRules: SchemaRules
    /// Pointers to the properties whose change replaces the resource (`/properties/BucketName`).
    public let createOnlyProperties: [String]
    /// Pointers to the properties CloudFormation sets (the resource's attributes).
    public let readOnlyProperties: [String]
    /// Pointers to the properties CloudFormation never returns.
    public let writeOnlyProperties: [String]
    /// The schema's own property names, in schema order.
    public let propertyNames: [String]

    /// Compiles `document` (see `RegistrySchema.table(_:)`).
    public convenience init(document: SchemaDocument) throws(RegistryError) {
        try self.init(table: RegistrySchema.table(document), source: document.fileName)
    }

    /// The complete compiled form of a schema, as the registry bundle stores it: the validation
    /// table (`readOnly`, `nodes`: see `TableCompiler`) plus `typeName`, `attributes` (the names
    /// `Fn::GetAtt` accepts: the schema's `formationGetAtt` list, which `make schemas` computes
    /// with cfn-lint, or for schema files from elsewhere its read-only properties), `createOnly`,
    /// `writeOnly` (pointers) and `propertyNames` (schema order).
    public static func table(_ document: SchemaDocument) throws(RegistryError) -> TemplateValue {
        var compiler = TableCompiler(document: document)
        guard case .map(var table) = try compiler.compile() else {
            throw RegistryError(file: document.fileName, message: "the schema of \(document.typeName) does not compile to a table")
        }
        let names: [String]
        if let listed = document.root["formationGetAtt"]?.listValue {
            names = listed.compactMap(\.stringValue)
        } else {
            names = document.readOnlyPointers.map { $0.split(separator: "/").dropFirst().joined(separator: ".") }
        }
        table["typeName"] = .string(document.typeName)
        table["attributes"] = .list(names.map(TemplateValue.string))
        table["createOnly"] = .list(SchemaDocument.strings(document.root["createOnlyProperties"]).map(TemplateValue.string))
        table["writeOnly"] = .list(SchemaDocument.strings(document.root["writeOnlyProperties"]).map(TemplateValue.string))
        table["propertyNames"] = .list((SchemaDocument.object(document.root["properties"])?.keys ?? []).map(TemplateValue.string))
        return .map(table)
    }

    /// Reads a compiled schema (`RegistrySchema.table(_:)`, as the bundle stores it); `source`
    /// names it in errors.
    public init(table: TemplateValue, source: String) throws(RegistryError) {
        guard let map = table.mapValue, let typeName = map["typeName"]?.stringValue else {
            throw RegistryError(file: source, message: "the compiled schema has no typeName")
        }
        self.typeName = typeName
        compiledRules = SchemaRules(typeName: typeName, table: table)
        if let loadError = compiledRules.loadError {
            throw RegistryError(file: source, message: "the schema of \(typeName) does not compile: \(loadError)")
        }
        func strings(_ key: String) -> [String] { map[key]?.listValue?.compactMap(\.stringValue) ?? [] }
        var plain = Set<String>()
        var patterns: [SchemaPattern] = []
        for name in strings("attributes") where !name.isEmpty {
            if name.utf8.allSatisfy({ RegistrySchema.isPlainAttributeByte($0) }) {
                plain.insert(name)
            } else {
                patterns.append(SchemaPattern("^(?:" + name + ")$"))
            }
        }
        attributeNames = plain
        attributePatterns = patterns
        createOnlyProperties = strings("createOnly")
        readOnlyProperties = strings("readOnly")
        writeOnlyProperties = strings("writeOnly")
        propertyNames = strings("propertyNames")
    }

    /// Reads and compiles a registry schema file (a third-party or private type's schema).
    public convenience init(file path: String, displayName: String? = nil) throws(RegistryError) {
        let name = displayName ?? path
        let text: String
        do {
            text = try TextFile.read(path, limit: 16 * 1_048_576)  // a registry schema is far smaller; /dev/zero is not one
        } catch {
            if case .io(_, let message) = error { throw RegistryError(file: name, message: message) }
            throw RegistryError(file: name, message: error.description)
        }
        let parsed: TemplateValue
        do {
            parsed = try JSONParser.parse(text, file: name)
        } catch {
            throw RegistryError(file: name, message: "not a JSON schema: \(error.description)")
        }
        guard let typeName = SchemaDocument.object(parsed)?["typeName"]?.stringValue else {
            throw RegistryError(file: name, message: "the schema has no typeName string")
        }
        try self.init(document: SchemaDocument(typeName: typeName, fileName: name, value: parsed))
    }

    private static func isPlainAttributeByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F
    }

    /// Whether `Fn::GetAtt` accepts `name`.
    public func hasAttribute(_ name: String) -> Bool {
        attributeNames.contains(name) || attributePatterns.contains { $0.matches(name) }
    }

    /// Every rule `properties` breaks (see `SchemaRules.validate`).
    public func validate(_ properties: OrderedMap) -> [SchemaViolation] {
        compiledRules.validate(properties)
    }
}
