/// Validation rules for one resource type's properties (from the CloudFormation registry schema).
///
/// `FormationResources` generates one per supported type; synthesis applies them to typed and
/// raw resources alike, after encoding, so both are held to the same rules.
public protocol ResourceSchema: Sendable {
    /// The CloudFormation type name.
    var typeName: String { get }
    /// The attribute names `Fn::GetAtt` may use (`Arn`, `Endpoint.Address`, …).
    var attributeNames: Set<String> { get }
    /// Checks `properties`; each violation names the property path, the value and the rule.
    func validate(_ properties: OrderedMap) -> [SchemaViolation]
}

/// One schema rule broken by one value.
public struct SchemaViolation: Sendable, Hashable {
    /// The diagnostic code of the rule (`FM3xxx`).
    public let code: String
    /// The property path, e.g. `LifecycleConfiguration.IdleRuntimeSessionTimeout`.
    public let property: String
    /// The message: property path, value, rule.
    public let message: String
    /// Warnings do not stop synthesis.
    public let severity: Diagnostic.Severity

    public init(code: String, property: String, message: String, severity: Diagnostic.Severity = .error) {
        self.code = code
        self.property = property
        self.message = message
        self.severity = severity
    }
}

/// Looks up schemas by CloudFormation type name, for raw resources and template files.
public struct SchemaRegistry: Sendable {
    private let schemas: [String: any ResourceSchema]

    /// A registry of the given schemas.
    public init(_ schemas: [any ResourceSchema]) {
        var byType: [String: any ResourceSchema] = [:]
        for schema in schemas { byType[schema.typeName] = schema }
        self.schemas = byType
    }

    /// A registry with no schemas (typed resources still carry their own).
    public static let empty = SchemaRegistry([])

    /// The schema for `typeName`, if the registry has it.
    public func schema(for typeName: String) -> (any ResourceSchema)? {
        schemas[typeName]
    }

    /// Whether the registry knows `typeName`.
    public func contains(_ typeName: String) -> Bool {
        schemas[typeName] != nil
    }

    /// The type names the registry knows, sorted.
    public var typeNames: [String] { schemas.keys.sorted() }

    /// Whether the registry has any schemas at all (an empty registry cannot judge types).
    public var isEmpty: Bool { schemas.isEmpty }
}
