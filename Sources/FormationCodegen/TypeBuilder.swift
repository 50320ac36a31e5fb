import FormationRegistry
import FormationTemplate

/// Builds the Swift model of one resource type from its schema: the properties struct, nested
/// structs and enums, typed attributes.
struct TypeBuilder {
    let document: SchemaDocument
    /// The resource struct's name (`Key` for `AWS::KMS::Key`).
    let resourceName: String

    private var structs: [String: StructModel] = [:]
    private var enums: [String: EnumModel] = [:]
    private var typeByPointer: [String: SwiftType] = [:]
    private var nameByPointer: [String: String] = [:]
    private var takenNames: Set<String> = []
    /// The schemas being resolved, with how many lists and maps enclosed each when it began.
    private var inProgress: [String: Int] = [:]
    /// How many lists and maps enclose the schema being resolved.
    private var containerDepth = 0
    /// Every data path (`/properties/A/*/B`) at which each schema pointer is used.
    private var dataPaths: [String: Set<String>] = [:]
    private let readOnly: Set<String>
    private let createOnly: Set<String>
    private let writeOnly: Set<String>
    private let deprecated: Set<String>

    /// Names a nested type must not take: they would hide the types generated code uses.
    static let reservedTypeNames: Set<String> = [
        "Value", "String", "Int", "Double", "Bool", "Array", "Dictionary", "Optional", "TemplateValue",
        "TemplateEncodable", "TemplateEnum", "EncodingContext", "OrderedMap", "Token", "Type", "Protocol",
        "Self", "Any", "Resource", "Error", "ResourceSchema", "ResourceProperties", "RegistrySchema",
        "SchemaRules", "Never", "Set",
    ]

    /// Resource names that cannot name the properties struct as they are: `Service.Type` and
    /// `Service.Protocol` mean metatypes, and inside a service's namespace the others would hide
    /// the types every generated declaration uses. Such a struct is `<Name>Resource`
    /// (`AWS::AppSync::Type` → `AppSync.TypeResource`).
    static let reservedResourceNames: Set<String> = [
        "Type", "Protocol", "Self", "Any", "Value", "String", "Int", "Double", "Bool", "TemplateValue",
        "TemplateEncodable", "TemplateEnum", "EncodingContext", "OrderedMap", "ResourceProperties",
    ]

    /// The properties struct's name for a type's last name part (`Queue`, `TypeResource`).
    static func resourceStructName(_ name: String) -> String {
        reservedResourceNames.contains(name) ? name + "Resource" : name
    }

    /// Member names the resource struct already uses for `ResourceProperties`.
    static let reservedResourceMembers: Set<String> = ["resourceType", "schema", "encode", "registrySchema", "init"]
    /// Member names nested structs already use.
    static let reservedStructMembers: Set<String> = ["encode", "init"]
    /// Enum case names that would clash with `Optional`'s or `Value`'s own members when written
    /// as `.name` (`.none` would silently mean `nil` for an optional value).
    static let reservedCaseNames: Set<String> = [
        "none", "some", "literal", "token", "init", "rawValue", "allCases", "hashValue", "hash", "encode",
        "self", "Type", "`self`", "`Type`",
    ]
    /// Names `Resource`, `AnyResource` and `Construct` already use; attributes with these names
    /// get the suffix `Attribute`.
    static let reservedResourceHandleMembers: Set<String> = [
        "id", "parent", "children", "path", "stack", "node", "onPrepare", "subtree", "logicalID",
        "dependencies", "conditionName", "deletion", "updateReplace", "metadataEntries", "creation",
        "update", "resourceType", "erasedProperties", "ref", "getAtt", "getAttList", "properties",
        "retainOnDelete", "deletionPolicy", "updateReplacePolicy", "dependsOn", "condition", "metadata",
        "creationPolicy", "updatePolicy", "add", "definition", "init", "self", "Type",
    ]

    /// Where the registry schema's types are looser than the service's API, and the looser form
    /// would make typed code worse. Keyed by type name + data path.
    static let typeOverrides: [String: SwiftType] = [
        // The schema allows any JSON type for environment variable values; Lambda's API takes
        // strings (`Map<String, String>`), and CloudFormation sends strings.
        "AWS::Lambda::Function/properties/Environment/Variables/*": .string,
    ]

    init(document: SchemaDocument, resourceName: String) {
        self.document = document
        self.resourceName = resourceName
        readOnly = Set(document.readOnlyPointers)
        createOnly = document.createOnlyPointers
        writeOnly = document.writeOnlyPointers
        deprecated = document.deprecatedPointers
        takenNames = [resourceName]
    }

    // MARK: - Data paths

    /// Records where each schema is used, so a nested struct leaves out the members that are
    /// read-only everywhere it appears.
    private mutating func collectPaths(_ raw: OrderedMap, pointer rawPointer: String, dataPath: String,
                                       stack: Set<String>, visited: inout Set<String>) throws(GeneratorError) {
        let (schema, pointer, _) = try document.dereference(raw, pointer: rawPointer)
        dataPaths[pointer, default: []].insert(dataPath)
        guard !stack.contains(pointer), visited.insert(pointer + "|" + dataPath).inserted else { return }
        let inner = stack.union([pointer])
        if let properties = SchemaDocument.object(schema["properties"]) {
            for entry in properties.entries {
                guard let child = SchemaDocument.object(entry.value) else { continue }
                try collectPaths(child, pointer: pointer + "/properties/" + entry.key, dataPath: dataPath + "/" + entry.key,
                                 stack: inner, visited: &visited)
            }
        }
        if let items = SchemaDocument.object(schema["items"]) {
            try collectPaths(items, pointer: pointer + "/items", dataPath: dataPath + "/*", stack: inner, visited: &visited)
        }
        if let patterns = SchemaDocument.object(schema["patternProperties"]) {
            for entry in patterns.entries {
                guard let child = SchemaDocument.object(entry.value) else { continue }
                try collectPaths(child, pointer: pointer + "/patternProperties/" + entry.key, dataPath: dataPath + "/*",
                                 stack: inner, visited: &visited)
            }
        }
        if let additional = SchemaDocument.object(schema["additionalProperties"]) {
            try collectPaths(additional, pointer: pointer + "/additionalProperties", dataPath: dataPath + "/*",
                             stack: inner, visited: &visited)
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for (offset, branch) in (schema[key]?.listValue ?? []).enumerated() {
                guard let branchSchema = SchemaDocument.object(branch) else { continue }
                try collectPaths(branchSchema, pointer: pointer + "/\(key)/\(offset)", dataPath: dataPath,
                                 stack: inner, visited: &visited)
            }
        }
    }

    /// Whether member `name` of the schema at `pointer` is read-only wherever that schema is used.
    private func isReadOnly(member name: String, of pointer: String) -> Bool {
        guard let paths = dataPaths[pointer], !paths.isEmpty else { return false }
        return paths.allSatisfy { readOnly.contains($0 + "/" + name) }
    }

    // MARK: - Build

    /// The whole model.
    mutating func build(service: String) throws(GeneratorError) -> ResourceModel {
        var visited = Set<String>()
        try collectPaths(document.root, pointer: "#", dataPath: "/properties", stack: [], visited: &visited)
        let properties = try members(of: document.root, pointer: "#", owner: resourceName,
                                     reserved: TypeBuilder.reservedResourceMembers)
        let root = StructModel(
            name: resourceName,
            members: properties,
            summary: ["The properties of an `\(document.typeName)` resource.",
                      "",
                      "Generated from the CloudFormation registry schema, whose rules synthesis checks."])
        let attributes = try buildAttributes()
        return ResourceModel(
            typeName: document.typeName,
            service: service,
            name: resourceName,
            properties: root,
            structs: structs.keys.sorted().compactMap { structs[$0] },
            enums: enums.keys.sorted().compactMap { enums[$0] },
            attributes: attributes)
    }

    /// The members of an object schema, required first is left to the writer (order here is the
    /// schema's).
    private mutating func members(of schema: OrderedMap, pointer: String, owner: String,
                                  reserved: Set<String>) throws(GeneratorError) -> [MemberModel] {
        guard let properties = SchemaDocument.object(schema["properties"]) else { return [] }
        let required = Set(SchemaDocument.strings(schema["required"]))
        var result: [MemberModel] = []
        var usedNames: Set<String> = []
        let dataPath = (dataPaths[pointer]?.sorted().first) ?? "/properties"
        for entry in properties.entries {
            guard let child = SchemaDocument.object(entry.value) else { continue }
            if isReadOnly(member: entry.key, of: pointer) { continue }
            let type = try resolve(child, pointer: pointer + "/properties/" + entry.key,
                                   dataPath: dataPath + "/" + entry.key, hint: entry.key, owner: owner)
            var swiftName = Naming.memberName(entry.key)
            if reserved.contains(Naming.bare(swiftName)) { swiftName = Naming.bare(swiftName) + "Property" }
            var unique = swiftName
            var counter = 2
            while usedNames.contains(unique) {
                unique = Naming.bare(swiftName) + "\(counter)"
                counter += 1
            }
            usedNames.insert(unique)
            let memberPath = dataPath + "/" + entry.key
            result.append(MemberModel(
                jsonName: entry.key,
                swiftName: unique,
                type: type,
                required: required.contains(entry.key),
                doc: try documentation(entry.key, child, pointer: pointer + "/properties/" + entry.key,
                                       type: type, required: required.contains(entry.key), dataPath: memberPath)))
        }
        return result
    }

    /// The Swift type for a schema.
    private mutating func resolve(_ raw: OrderedMap, pointer rawPointer: String, dataPath: String,
                                  hint: String, owner: String) throws(GeneratorError) -> SwiftType {
        if let override = TypeBuilder.typeOverrides[document.typeName + dataPath] { return override }
        let (schema, pointer, definition) = try document.dereference(raw, pointer: rawPointer)
        if let known = typeByPointer[pointer] { return known }
        if let depth = inProgress[pointer] {
            // A recursive schema (`Configuration.Configurations: [Configuration]`). Through a list
            // or a map the struct can hold itself (arrays and dictionaries store their elements
            // out of line); directly (`NotStatement.Statement: Statement`) the member is stored
            // out of line itself (`SwiftType.recursive`).
            guard let name = nameByPointer[pointer], structs[name] == nil else { return .json }
            return containerDepth > depth ? .structure(name) : .recursive(name)
        }
        inProgress[pointer] = containerDepth
        defer { inProgress[pointer] = nil }
        let result = try shape(schema, pointer: pointer, dataPath: dataPath, name: definition ?? hint, owner: owner)
        typeByPointer[pointer] = result
        return result
    }

    private static func typeNames(_ schema: OrderedMap) -> [String] {
        if let single = schema["type"]?.stringValue { return [single] }
        return SchemaDocument.strings(schema["type"])
    }

    private mutating func shape(_ schema: OrderedMap, pointer: String, dataPath: String, name: String,
                                owner: String) throws(GeneratorError) -> SwiftType {
        var types = TypeBuilder.typeNames(schema).filter { $0 != "null" }
        if types.isEmpty {
            if schema["properties"] != nil || schema["patternProperties"] != nil {
                types = ["object"]
            } else if schema["items"] != nil {
                types = ["array"]
            } else if let values = schema["enum"]?.listValue, !values.isEmpty, values.allSatisfy({ $0.stringValue != nil }) {
                types = ["string"]
            } else {
                return try unionType(schema, pointer: pointer, dataPath: dataPath, name: name, owner: owner)
            }
        }
        guard types.count == 1 else { return .json }
        switch types[0] {
        case "string":
            if let values = schema["enum"]?.listValue, !values.isEmpty, values.allSatisfy({ $0.stringValue != nil }) {
                return .enumeration(makeEnum(values.compactMap(\.stringValue), pointer: pointer, name: name, owner: owner))
            }
            return .string
        case "integer":
            return .int
        case "number":
            return .double
        case "boolean":
            return .bool
        case "array":
            guard let items = SchemaDocument.object(schema["items"]) else { return .list(.json) }
            containerDepth += 1
            defer { containerDepth -= 1 }
            let element = try resolve(items, pointer: pointer + "/items", dataPath: dataPath + "/*",
                                      hint: TypeBuilder.singular(name), owner: owner)
            return .list(element)
        case "object":
            if let properties = SchemaDocument.object(schema["properties"]), !properties.isEmpty {
                let structName = claimName(name, pointer: pointer, owner: owner)
                let members = try self.members(of: schema, pointer: pointer, owner: structName,
                                               reserved: TypeBuilder.reservedStructMembers)
                guard !members.isEmpty else {
                    takenNames.remove(structName)
                    nameByPointer[pointer] = nil
                    return .json
                }
                structs[structName] = StructModel(
                    name: structName, members: members,
                    summary: ["The `\(name)` object of `\(document.typeName)`."])
                return .structure(structName)
            }
            if schema["oneOf"] != nil || schema["anyOf"] != nil || schema["allOf"] != nil { return .json }
            var valueSchemas: [(OrderedMap, String)] = []
            if let patterns = SchemaDocument.object(schema["patternProperties"]) {
                for entry in patterns.entries {
                    if let value = SchemaDocument.object(entry.value) {
                        valueSchemas.append((value, pointer + "/patternProperties/" + entry.key))
                    }
                }
            }
            if let additional = SchemaDocument.object(schema["additionalProperties"]) {
                valueSchemas.append((additional, pointer + "/additionalProperties"))
            }
            guard !valueSchemas.isEmpty else { return .json }
            var valueTypes: [SwiftType] = []
            containerDepth += 1
            defer { containerDepth -= 1 }
            for (value, valuePointer) in valueSchemas {
                valueTypes.append(try resolve(value, pointer: valuePointer, dataPath: dataPath + "/*",
                                              hint: name + "Value", owner: owner))
            }
            let first = valueTypes[0]
            return .map(valueTypes.allSatisfy { $0 == first } ? first : .json)
        default:
            return .json
        }
    }

    /// `oneOf`/`anyOf` without a `type`: one scalar type when every branch agrees, JSON otherwise.
    private mutating func unionType(_ schema: OrderedMap, pointer: String, dataPath: String, name: String,
                                    owner: String) throws(GeneratorError) -> SwiftType {
        var branches: [SwiftType] = []
        for key in ["oneOf", "anyOf"] {
            for (offset, branch) in (schema[key]?.listValue ?? []).enumerated() {
                guard let branchSchema = SchemaDocument.object(branch) else { continue }
                let type = try resolve(branchSchema, pointer: pointer + "/\(key)/\(offset)", dataPath: dataPath,
                                       hint: name, owner: owner)
                branches.append(type)
            }
        }
        guard let first = branches.first, branches.allSatisfy({ $0 == first }) else { return .json }
        switch first {
        case .string, .int, .double, .bool: return first
        default: return .json
        }
    }

    // MARK: - Names

    private mutating func claimName(_ desired: String, pointer: String, owner: String) -> String {
        if let existing = nameByPointer[pointer] { return existing }
        var candidate = Naming.typeName(desired)
        if TypeBuilder.reservedTypeNames.contains(candidate) || takenNames.contains(candidate) {
            candidate = Naming.typeName(owner) + candidate
        }
        let base = candidate
        var counter = 2
        while TypeBuilder.reservedTypeNames.contains(candidate) || takenNames.contains(candidate) {
            candidate = base + "\(counter)"
            counter += 1
        }
        takenNames.insert(candidate)
        nameByPointer[pointer] = candidate
        return candidate
    }

    private mutating func makeEnum(_ values: [String], pointer: String, name: String, owner: String) -> String {
        let enumName = claimName(name, pointer: pointer, owner: owner)
        var cases: [(name: String, raw: String)] = []
        var used: Set<String> = []
        for raw in values {
            guard !cases.contains(where: { $0.raw == raw }) else { continue }
            var caseName = Naming.caseName(raw)
            if TypeBuilder.reservedCaseNames.contains(caseName) { caseName = Naming.bare(caseName) + "Value" }
            let base = caseName
            var counter = 2
            while used.contains(caseName) {
                caseName = Naming.bare(base) + "_\(counter)"
                counter += 1
            }
            used.insert(caseName)
            cases.append((caseName, raw))
        }
        enums[enumName] = EnumModel(name: enumName, cases: cases,
                                    summary: "The values of `\(name)` in `\(document.typeName)`.")
        return enumName
    }

    static func singular(_ name: String) -> String {
        if name.hasSuffix("ies") && name.count > 4 { return String(name.dropLast(3)) + "y" }
        if name.hasSuffix("sses") { return String(name.dropLast(2)) }
        if name.hasSuffix("s") && !name.hasSuffix("ss") && name.count > 3 { return String(name.dropLast()) }
        return name + "Item"
    }

    // MARK: - Documentation

    private func documentation(_ jsonName: String, _ raw: OrderedMap, pointer: String, type: SwiftType,
                               required: Bool, dataPath: String) throws(GeneratorError) -> [String] {
        let (resolved, _, _) = try document.dereference(raw, pointer: pointer)
        // A property's own keywords refine what its reference says.
        var schema = resolved
        for entry in raw.entries where entry.key != "$ref" { schema[entry.key] = entry.value }
        var facts: [String] = []
        let minLength = schema["minLength"]?.intValue
        let maxLength = schema["maxLength"]?.intValue
        if let pattern = schema["pattern"]?.stringValue {
            facts.append(PatternAnchoring.appliesAsSearch(pattern, maxLength: maxLength.map { Int($0) })
                ? "containing a match of `\(pattern)`" : "matching `\(PatternAnchoring.anchored(pattern))`")
        }
        switch (minLength, maxLength) {
        case let (low?, high?): facts.append("\(low) to \(high) characters")
        case let (low?, nil): facts.append("at least \(low) characters")
        case let (nil, high?): facts.append("at most \(high) characters")
        default: break
        }
        let minimum = schema["minimum"].map(TypeBuilder.number)
        let maximum = schema["maximum"].map(TypeBuilder.number)
        switch (minimum, maximum) {
        case let (low?, high?): facts.append("\(low) to \(high)")
        case let (low?, nil): facts.append("at least \(low)")
        case let (nil, high?): facts.append("at most \(high)")
        default: break
        }
        let minItems = schema["minItems"]?.intValue
        let maxItems = schema["maxItems"]?.intValue
        switch (minItems, maxItems) {
        case let (low?, high?): facts.append("\(low) to \(high) items")
        case let (low?, nil): facts.append("at least \(low) item\(low == 1 ? "" : "s")")
        case let (nil, high?): facts.append("at most \(high) item\(high == 1 ? "" : "s")")
        default: break
        }
        if schema["uniqueItems"]?.boolValue == true { facts.append("unique items") }
        if case .enumeration = type {} else if let values = schema["enum"]?.listValue, !values.isEmpty {
            facts.append("one of " + values.map { TypeBuilder.number($0) }.joined(separator: ", "))
        }
        var summary = "`\(jsonName)`: " + (required ? "required " : "") + type.prose
        if !facts.isEmpty { summary += ", " + facts.joined(separator: ", ") }
        var lines = [PatternDisplay.docSafe(summary + ".")]
        var notes: [String] = []
        if createOnly.contains(dataPath) { notes.append("Changing it replaces the resource.") }
        if writeOnly.contains(dataPath) { notes.append("Write-only: CloudFormation never returns it.") }
        if deprecated.contains(dataPath) { notes.append("Deprecated.") }
        if !notes.isEmpty {
            lines.append("")
            lines.append(notes.joined(separator: " "))
        }
        return lines
    }

    private static func number(_ value: TemplateValue) -> String {
        switch value {
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .string(let text): text
        default: value.description
        }
    }

    // MARK: - Attributes

    /// Typed attributes for the names `Fn::GetAtt` accepts, as the registry bundle lists them
    /// (computed by cfn-lint when the bundle is made): a scalar list is a list attribute, an
    /// object or a name family (`Outputs\\..*`) has no typed accessor (its members do, when
    /// they are listed), anything else is a string.
    private func buildAttributes() throws(GeneratorError) -> [AttributeModel] {
        var names = SchemaDocument.strings(document.root["formationGetAtt"])
        if document.root["formationGetAtt"] == nil {
            names = document.readOnlyPointers.map { $0.split(separator: "/").dropFirst().joined(separator: ".") }
        }
        var leaves: [(name: String, isList: Bool)] = []
        for name in names.sorted() {
            let components = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(Naming.isAlphanumeric) }) else {
                continue
            }
            guard let (schema, schemaPointer) = try schemaAt(components) else {
                leaves.append((name, false))
                continue
            }
            let (resolved, resolvedPointer, _) = try document.dereference(schema, pointer: schemaPointer)
            let types = TypeBuilder.typeNames(resolved)
            if types.contains("object") || (types.isEmpty && resolved["properties"] != nil) { continue }
            if types.contains("array") {
                if let items = SchemaDocument.object(resolved["items"]) {
                    let (itemSchema, _, _) = try document.dereference(items, pointer: resolvedPointer + "/items")
                    let itemTypes = TypeBuilder.typeNames(itemSchema)
                    if itemTypes.contains("object") || itemTypes.contains("array") || itemSchema["properties"] != nil { continue }
                }
                leaves.append((name, true))
                continue
            }
            leaves.append((name, false))
        }
        var usedSwift: Set<String> = []
        var attributes: [AttributeModel] = []
        for leaf in leaves {
            var swiftName = Naming.memberName(leaf.name.split(separator: ".").joined())
            if TypeBuilder.reservedResourceHandleMembers.contains(Naming.bare(swiftName)) {
                swiftName = Naming.bare(swiftName) + "Attribute"
            }
            let base = swiftName
            var counter = 2
            while usedSwift.contains(swiftName) {
                swiftName = Naming.bare(base) + "\(counter)"
                counter += 1
            }
            usedSwift.insert(swiftName)
            attributes.append(AttributeModel(attribute: leaf.name, swiftName: swiftName, isList: leaf.isList))
        }
        return attributes
    }

    /// The schema of a property path below the root (`PrimaryEndPoint`, `Address`).
    private func schemaAt(_ components: [String]) throws(GeneratorError) -> (OrderedMap, String)? {
        var schema = document.root
        var pointer = "#"
        for component in components {
            let (resolved, resolvedPointer, _) = try document.dereference(schema, pointer: pointer)
            guard let child = SchemaDocument.object(SchemaDocument.object(resolved["properties"])?[component]) else { return nil }
            schema = child
            pointer = resolvedPointer + "/properties/" + component
        }
        return (schema, pointer)
    }
}
