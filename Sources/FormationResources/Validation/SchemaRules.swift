import Formation

/// The compiled rules of one resource type: the generated validation table, read once.
///
/// The table is the JSON that `formation-codegen` writes into each generated file: `readOnly`
/// (pointers to read-only properties) and `nodes`, a flat list of rule nodes whose children are
/// node indices (`$ref`s resolved, annotations dropped); node 0 is the resource's properties.
/// Patterns are compiled once per table and shared by the nodes that use them.
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

    /// Reads `table`. A table that cannot be read gives rules that report exactly that.
    public init(typeName: String, table: String) {
        self.typeName = typeName
        var nodes: [SchemaNode] = []
        var readOnly = Set<String>()
        var cache: [String: SchemaPattern] = [:]
        var loadError: String?
        do {
            let parsed = try JSONParser.parse(table, file: typeName)
            guard let root = parsed.mapValue, let list = root["nodes"]?.listValue, !list.isEmpty else {
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
        } catch let error as SchemaTableError {
            loadError = error.description
            nodes = []
        } catch {
            loadError = "\(error)"
            nodes = []
        }
        self.nodes = nodes
        self.readOnly = NameSet(readOnly)
        self.loadError = loadError
        self.patterns = cache.keys.sorted().compactMap { cache[$0] }
    }

    /// Every rule broken by `properties`.
    public func validate(_ properties: OrderedMap) -> [SchemaViolation] {
        if let loadError {
            return [SchemaViolation(code: SchemaDiagnosticCode.schemaUnusable, property: "",
                                    message: "the bundled schema table cannot be read (\(loadError)); the properties were not validated")]
        }
        var validator = SchemaValidator(rules: self)
        validator.validateRoot(properties)
        return validator.violations
    }
}

/// A registry schema as `Formation` uses it: type name, `Fn::GetAtt` attribute names, and the
/// rules, compiled on first use.
///
/// ```swift
/// let app = App(schemas: .bundled)           // raw resources of bundled types are validated too
/// KMS.Key.registrySchema.attributeNames      // ["Arn", "KeyId"]
/// ```
public struct RegistrySchema: ResourceSchema {
    /// The CloudFormation type name (`AWS::KMS::Key`).
    public let typeName: String
    /// The names `Fn::GetAtt` accepts: the schema's read-only properties (objects also by their
    /// members, `PrimaryEndPoint.Address`), as cfn-lint 1.51.0 counts them.
    public let attributeNames: Set<String>
    private let rules: @Sendable () -> SchemaRules

    /// A schema whose rules `rules` returns (a generated type's lazily-read static table).
    public init(typeName: String, attributeNames: Set<String>, rules: @escaping @Sendable () -> SchemaRules) {
        self.typeName = typeName
        self.attributeNames = attributeNames
        self.rules = rules
    }

    /// The compiled rules (reading the table the first time).
    public var compiledRules: SchemaRules { rules() }

    /// Every rule `properties` breaks (see `SchemaRules.validate`).
    public func validate(_ properties: OrderedMap) -> [SchemaViolation] {
        rules().validate(properties)
    }
}
