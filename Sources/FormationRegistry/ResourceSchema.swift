import FormationTemplate

/// How bad a finding is: errors stop every write, warnings are printed, infos are printed as
/// advice (a rule an app lowered to `info`). Ordered `info < warning < error`.
///
/// `Formation` names it `Diagnostic.Severity`.
public enum FindingSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// Validation rules for one resource type's properties (from the CloudFormation registry schema).
///
/// Synthesis applies them to typed and raw resources alike, after encoding, so both are held to
/// the same rules.
public protocol ResourceSchema: Sendable {
    /// The CloudFormation type name.
    var typeName: String { get }
    /// The attribute names `Fn::GetAtt` may use (`Arn`, `Endpoint.Address`, …).
    var attributeNames: Set<String> { get }
    /// Whether `Fn::GetAtt` accepts `name` (some types accept families, such as a nested
    /// stack's `Outputs.Name`).
    func hasAttribute(_ name: String) -> Bool
    /// Checks `properties`; each violation names the property path, the value and the rule.
    func validate(_ properties: OrderedMap) -> [SchemaViolation]
}

extension ResourceSchema {
    /// Whether `attributeNames` holds `name`.
    public func hasAttribute(_ name: String) -> Bool { attributeNames.contains(name) }
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
    public let severity: FindingSeverity

    public init(code: String, property: String, message: String, severity: FindingSeverity = .error) {
        self.code = code
        self.property = property
        self.message = message
        self.severity = severity
    }
}

/// Codes of the registry rules (`FM3xxx`).
public enum SchemaDiagnosticCode {
    /// A resource type the registry does not have (with the closest real type), or one that
    /// needs a transform the template does not declare.
    public static let unknownType = "FM3000"
    public static let required = "FM3001"
    public static let type = "FM3002"
    public static let enumeration = "FM3003"
    public static let pattern = "FM3004"
    public static let length = "FM3005"
    public static let range = "FM3006"
    public static let itemCount = "FM3007"
    public static let uniqueItems = "FM3008"
    public static let unknownProperty = "FM3009"
    public static let combination = "FM3010"
    public static let dependency = "FM3011"
    /// An object has more or fewer properties than `maxProperties`/`minProperties` allow.
    public static let propertyCount = "FM3012"
    /// A read-only property (an attribute CloudFormation sets) is given a value (warning).
    public static let readOnly = "FM3013"
    /// A registry schema could not be read (a damaged bundle or schema file, not the template).
    public static let schemaUnusable = "FM3014"
    /// A resource type that does not exist in a region the stack deploys to.
    public static let unavailableInRegion = "FM3015"
    /// A region name the registry has no type table for.
    public static let unknownRegion = "FM3016"
}
