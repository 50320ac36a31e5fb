import FormationTemplate

/// JSON types a schema node allows.
struct TypeSet: OptionSet, Sendable {
    let rawValue: UInt8

    static let string = TypeSet(rawValue: 1)
    static let integer = TypeSet(rawValue: 2)
    static let number = TypeSet(rawValue: 4)
    static let boolean = TypeSet(rawValue: 8)
    static let object = TypeSet(rawValue: 16)
    static let array = TypeSet(rawValue: 32)
    static let null = TypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "string": self = .string
        case "integer": self = .integer
        case "number": self = .number
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "null": self = .null
        default: return nil
        }
    }

    /// `a string`, `an integer or a string`, for messages.
    var prose: String {
        let names: [(TypeSet, String)] = [(.object, "an object"), (.array, "a list"), (.string, "a string"),
                                          (.integer, "an integer"), (.number, "a number"), (.boolean, "a boolean"),
                                          (.null, "null")]
        let parts = names.filter { contains($0.0) }.map(\.1)
        if parts.count <= 1 { return parts.first ?? "nothing" }
        return parts.dropLast().joined(separator: ", ") + " or " + (parts.last ?? "")
    }
}

/// What `additionalProperties` says about names not in `properties`/`patternProperties`.
enum AdditionalProperties: Sendable {
    case allowed
    case forbidden
    case schema(Int)
}

/// One compiled rule node of a validation table; children are indices into the table.
final class SchemaNode: Sendable {
    let types: TypeSet?
    let enumValues: [TemplateValue]?
    /// The enum values in canonical text form (`30` and `"30"` are the same), for lookup.
    let enumKeys: NameSet?
    /// `enumCaseInsensitive`: the allowed values as listed, and lowercased for lookup.
    let caseInsensitiveValues: [String]?
    let caseInsensitiveKeys: NameSet?
    let constValue: TemplateValue?
    let pattern: SchemaPattern?
    let minLength: Int?
    let maxLength: Int?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Double?
    let exclusiveMaximum: Double?
    let multipleOf: Double?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
    /// cfn-lint's `uniqueKeys`: list items (objects) must differ in the values of these keys.
    let uniqueKeys: [String]
    let minProperties: Int?
    let maxProperties: Int?
    /// Property name → node, and the names in schema order.
    let properties: [String: Int]
    let propertyOrder: [String]
    /// The node of each name in `propertyOrder`, position for position.
    private let propertyNodes: [Int]
    let required: [String]
    let additional: AdditionalProperties
    let patternProperties: [(pattern: SchemaPattern, node: Int)]
    let items: Int?
    /// A node for each leading item, position for position.
    let prefixItems: [Int]
    let allOf: [Int]
    let anyOf: [Int]
    let oneOf: [Int]
    let not: Int?
    /// `if`/`then`/`else`: when the value satisfies `condition`, `then` applies, else `otherwise`.
    let condition: Int?
    let then: Int?
    let otherwise: Int?
    let requiredXor: [String]
    let requiredOr: [String]
    let dependentRequired: [(name: String, requires: [String])]
    let dependentExcluded: [(name: String, excludes: [String])]
    let dependentSchemas: [(name: String, node: Int)]

    /// Whether the node has any object-level rule (so a map value needs the object pass).
    let hasObjectRules: Bool

    /// The node of property `name`, if the node declares it. Maps written by generated types
    /// list their keys in schema order, so the search first compares the few names after
    /// `cursor` (which it moves past a name it finds), and only then hashes.
    func property(_ name: String, after cursor: inout Int) -> Int? {
        var position = cursor
        let end = min(propertyOrder.count, cursor + 8)
        while position < end {
            if propertyOrder[position] == name {
                cursor = position + 1
                return propertyNodes[position]
            }
            position += 1
        }
        return properties[name]
    }

    /// Reads one node of a table; `nodeCount` bounds the child indices.
    init(_ map: OrderedMap, nodeCount: Int, patterns: inout [String: SchemaPattern]) throws(SchemaTableError) {
        func index(_ value: TemplateValue?, _ key: String) throws(SchemaTableError) -> Int? {
            guard let value else { return nil }
            guard case .int(let number) = value, number >= 0, number < Int64(nodeCount) else {
                throw SchemaTableError("\(key) is not a node index: \(value)")
            }
            return Int(number)
        }
        func indices(_ key: String) throws(SchemaTableError) -> [Int] {
            var result: [Int] = []
            for item in map[key]?.listValue ?? [] {
                if let child = try index(item, key) { result.append(child) }
            }
            return result
        }
        func integer(_ key: String) -> Int? {
            switch map[key] {
            case .int(let number)?: Int(number)
            case .double(let number)? where number.isFinite: Int(number)
            default: nil
            }
        }
        func number(_ key: String) -> Double? {
            switch map[key] {
            case .int(let number)?: Double(number)
            case .double(let number)?: number
            case .number(let text)?: Double(text)
            default: nil
            }
        }
        func names(_ value: TemplateValue?) -> [String] {
            value?.listValue?.compactMap(\.stringValue) ?? []
        }
        func pattern(_ source: String, searched: Bool = false) -> SchemaPattern {
            // Searched patterns (patternProperties) are cached apart from whole-value ones.
            let key = searched ? "\u{0}search\u{0}" + source : source
            if let cached = patterns[key] { return cached }
            let compiled = SchemaPattern(source, searched: searched)
            patterns[key] = compiled
            return compiled
        }

        if let typeList = map["type"]?.listValue {
            var set = TypeSet()
            for name in typeList.compactMap(\.stringValue) {
                guard let type = TypeSet(name: name) else { throw SchemaTableError("unknown type \(name)") }
                set.insert(type)
            }
            types = set
        } else {
            types = nil
        }
        enumValues = map["enum"]?.listValue
        enumKeys = enumValues.map { NameSet($0.map(SchemaNode.canonicalKey)) }
        caseInsensitiveValues = map["enumCaseInsensitive"]?.listValue.map { $0.map(SchemaNode.canonicalKey) }
        caseInsensitiveKeys = caseInsensitiveValues.map { NameSet($0.map { $0.lowercased() }) }
        constValue = map["const"]
        minLength = integer("minLength")
        let longest = integer("maxLength")
        maxLength = longest
        // A pattern the schema shows is not a spelling of the whole value is searched for.
        self.pattern = map["pattern"]?.stringValue.map {
            pattern($0, searched: PatternAnchoring.appliesAsSearch($0, maxLength: longest))
        }
        minimum = number("minimum")
        maximum = number("maximum")
        exclusiveMinimum = number("exclusiveMinimum")
        exclusiveMaximum = number("exclusiveMaximum")
        minItems = integer("minItems")
        maxItems = integer("maxItems")
        uniqueItems = map["uniqueItems"]?.boolValue == true
        uniqueKeys = names(map["uniqueKeys"])
        multipleOf = number("multipleOf").flatMap { $0 > 0 ? $0 : nil }
        minProperties = integer("minProperties")
        maxProperties = integer("maxProperties")

        var properties: [String: Int] = [:]
        var order: [String] = []
        for pair in map["properties"]?.listValue ?? [] {
            guard let name = pair[0]?.stringValue, let child = try index(pair[1], "properties") else {
                throw SchemaTableError("malformed properties entry \(pair)")
            }
            properties[name] = child
            order.append(name)
        }
        self.properties = properties
        propertyOrder = order
        propertyNodes = order.compactMap { properties[$0] }
        required = names(map["required"])
        let additional: AdditionalProperties
        switch map["additionalProperties"] {
        case .bool(false)?: additional = .forbidden
        case let value?: additional = .schema(try index(value, "additionalProperties") ?? 0)
        case nil: additional = .allowed
        }
        self.additional = additional
        let restrictsNames: Bool
        if case .allowed = additional { restrictsNames = false } else { restrictsNames = true }
        var patternProperties: [(pattern: SchemaPattern, node: Int)] = []
        for pair in map["patternProperties"]?.listValue ?? [] {
            guard let source = pair[0]?.stringValue, let child = try index(pair[1], "patternProperties") else {
                throw SchemaTableError("malformed patternProperties entry \(pair)")
            }
            patternProperties.append((pattern(source, searched: true), child))
        }
        self.patternProperties = patternProperties
        items = try index(map["items"], "items")
        prefixItems = try indices("prefixItems")
        condition = try index(map["if"], "if")
        then = try index(map["then"], "then")
        otherwise = try index(map["else"], "else")
        allOf = try indices("allOf")
        anyOf = try indices("anyOf")
        oneOf = try indices("oneOf")
        not = try index(map["not"], "not")
        requiredXor = names(map["requiredXor"])
        requiredOr = names(map["requiredOr"])
        dependentRequired = (map["dependentRequired"]?.listValue ?? []).compactMap { pair in
            pair[0]?.stringValue.map { ($0, names(pair[1])) }
        }
        dependentExcluded = (map["dependentExcluded"]?.listValue ?? []).compactMap { pair in
            pair[0]?.stringValue.map { ($0, names(pair[1])) }
        }
        var dependentSchemas: [(name: String, node: Int)] = []
        for pair in map["dependentSchemas"]?.listValue ?? [] {
            guard let name = pair[0]?.stringValue, let child = try index(pair[1], "dependentSchemas") else { continue }
            dependentSchemas.append((name, child))
        }
        self.dependentSchemas = dependentSchemas
        hasObjectRules = !properties.isEmpty || !required.isEmpty || !patternProperties.isEmpty
            || minProperties != nil || maxProperties != nil || !requiredXor.isEmpty || !requiredOr.isEmpty
            || !dependentRequired.isEmpty || !dependentExcluded.isEmpty || !dependentSchemas.isEmpty
            || restrictsNames
    }

    /// A scalar's text for enum comparison: `"30"` and `30` are the same (CloudFormation
    /// converts between them); containers compare by their description.
    static func canonicalKey(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 9e15 { return String(Int64(number)) }
            return "\(number)"
        case .bool(let flag): return flag ? "true" : "false"
        default: return value.description
        }
    }
}

/// A validation table that cannot be read (a defect in generated code, reported, never fatal).
struct SchemaTableError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
