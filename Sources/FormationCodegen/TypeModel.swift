/// The Swift shape of a schema value.
indirect enum SwiftType: Equatable, Sendable {
    case string
    case int
    case double
    case bool
    /// Free-form JSON (policy documents, unions Swift cannot name): `TemplateValue`.
    case json
    /// A nested enum of the resource's struct.
    case enumeration(String)
    /// A nested struct of the resource's struct.
    case structure(String)
    /// A nested struct that contains, without a list or map in between, the struct holding this
    /// member (`NotStatement.Statement` in WAFv2, whose `Statement` has a `NotStatement`): a
    /// struct cannot contain itself, so the member is stored out of line (in an array of at most
    /// one element) behind a property of the struct's type.
    case recursive(String)
    case list(SwiftType)
    case map(SwiftType)

    /// The Swift type of a member (or element) holding such a value.
    var swift: String {
        switch self {
        case .string: "Value<String>"
        case .int: "Value<Int>"
        case .double: "Value<Double>"
        case .bool: "Value<Bool>"
        case .json: "TemplateValue"
        case .enumeration(let name): "Value<\(name)>"
        case .structure(let name), .recursive(let name): name
        case .list(let element): "Value<[\(element.swift)]>"
        case .map(let value): "Value<[String: \(value.swift)]>"
        }
    }

    /// A few words for documentation.
    var prose: String {
        switch self {
        case .string: "string"
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        case .json: "JSON value"
        case .enumeration(let name): "`\(name)` value"
        case .structure(let name), .recursive(let name): "`\(name)` object"
        case .list(let element): "list of \(element.pluralProse)"
        case .map(let value): "map of names to \(value.pluralProse)"
        }
    }

    private var pluralProse: String {
        switch self {
        case .string: "strings"
        case .int: "integers"
        case .double: "numbers"
        case .bool: "booleans"
        case .json: "JSON values"
        case .enumeration(let name): "`\(name)` values"
        case .structure(let name), .recursive(let name): "`\(name)` objects"
        case .list, .map: prose + "s"
        }
    }
}

/// A generated string enum.
struct EnumModel {
    var name: String
    /// Swift case name and raw value, in schema order.
    var cases: [(name: String, raw: String)]
    var summary: String
}

/// One stored property of a generated struct.
struct MemberModel {
    /// The CloudFormation property name.
    var jsonName: String
    /// The Swift member name (escaped when a keyword).
    var swiftName: String
    var type: SwiftType
    var required: Bool
    /// Documentation lines (without `///`).
    var doc: [String]

    var declaredType: String { required ? type.swift : type.swift + "?" }

    /// Whether the value is stored out of line (`SwiftType.recursive`).
    var isOutOfLine: Bool {
        if case .recursive = type { return true }
        return false
    }

    /// The stored property behind an out-of-line member (`_statement`).
    var storageName: String { "_" + Naming.bare(swiftName) }
}

/// A generated struct: the resource's properties or a nested object.
struct StructModel {
    var name: String
    var members: [MemberModel]
    var summary: [String]
}

/// A typed attribute (`Fn::GetAtt`).
struct AttributeModel {
    /// The attribute name as `Fn::GetAtt` writes it (`PrimaryEndPoint.Address`).
    var attribute: String
    var swiftName: String
    var isList: Bool
}

/// Everything generated for one resource type.
struct ResourceModel {
    var typeName: String
    /// The service namespace (`KMS`).
    var service: String
    /// The struct name (`Key`).
    var name: String
    var properties: StructModel
    var structs: [StructModel]
    var enums: [EnumModel]
    var attributes: [AttributeModel]

    var qualifiedName: String { "\(service).\(name)" }
}
