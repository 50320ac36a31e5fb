import FormationTemplate

/// Compiles a registry schema into Formation's validation table: a flat list of rule nodes with
/// `$ref`s resolved to node indices, annotations (descriptions, formats, tagging, …) dropped.
///
/// The table is JSON (`{"readOnly": [...], "nodes": [...]}`, node 0 is the resource's
/// properties); `FormationResources.SchemaRules` reads it back. A node holds only the keywords
/// it uses: `type` (list), `enum`, `enumCaseInsensitive` (cfn-lint's: the allowed strings,
/// lowercase, compared without case), `const`, `pattern`, `minLength`, `maxLength`, `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minItems`, `maxItems`,
/// `uniqueItems`, `uniqueKeys` (cfn-lint's: items unique by these keys), `minProperties`,
/// `maxProperties`, `properties` (`[[name, node]]`, schema order), `required`,
/// `additionalProperties` (`false` or a node), `patternProperties` (`[[pattern, node]]`), `items`,
/// `prefixItems` (a node per leading item), `allOf`/`anyOf`/`oneOf` (node lists), `not`,
/// `if`/`then`/`else` (nodes), `requiredXor`, `requiredOr`,
/// `dependentRequired` and `dependentExcluded` (`[[name, [names]]]`), `dependentSchemas`
/// (`[[name, node]]`). Lists of pairs are used instead of objects so that key order and key
/// names never matter to the reader.
public struct TableCompiler {
    /// Keywords that constrain values; anything else in a schema is an annotation.
    public static let validating: Set<String> = [
        "type", "enum", "enumCaseInsensitive", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "uniqueKeys",
        "minProperties", "maxProperties", "properties", "required", "additionalProperties",
        "patternProperties", "items", "prefixItems", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "requiredXor", "requiredOr",
        "dependentRequired", "dependentExcluded", "dependencies", "$ref",
    ]

    public let document: SchemaDocument
    private var nodes: [OrderedMap] = []
    private var memo: [String: Int] = [:]
    private var resolvingReferences: Set<String> = []
    /// Nodes being compiled further up the stack (empty for now, not empty for good).
    private var building: Set<Int> = []

    public init(document: SchemaDocument) {
        self.document = document
    }

    /// The table for the whole document.
    public mutating func compile() throws(RegistryError) -> TemplateValue {
        nodes = []
        memo = [:]
        _ = try node(document.root, pointer: "#")
        var table = OrderedMap()
        table["readOnly"] = .list(document.readOnlyPointers.map(TemplateValue.string))
        table["nodes"] = .list(nodes.map(TemplateValue.map))
        return .map(table)
    }

    private static func validatingKeys(_ schema: OrderedMap) -> [String] {
        schema.keys.filter { validating.contains($0) }
    }

    private mutating func node(_ schema: OrderedMap, pointer: String) throws(RegistryError) -> Int {
        if let index = memo[pointer] { return index }
        let keys = TableCompiler.validatingKeys(schema)
        if keys == ["$ref"], let reference = schema["$ref"]?.stringValue {
            // A bare reference is the node it points at.
            guard resolvingReferences.insert(pointer).inserted else {
                throw RegistryError(file: document.fileName, message: "$ref cycle at \(pointer)")
            }
            defer { resolvingReferences.remove(pointer) }
            let target = try document.resolve(reference)
            let index = try node(target.schema, pointer: target.pointer)
            memo[pointer] = index
            return index
        }
        let index = nodes.count
        nodes.append(OrderedMap())
        memo[pointer] = index
        building.insert(index)
        defer { building.remove(index) }
        var out = OrderedMap()

        if let type = schema["type"] {
            let names = type.stringValue.map { [$0] } ?? SchemaDocument.strings(type)
            out["type"] = .list(names.map(TemplateValue.string))
        }
        for key in ["enum", "enumCaseInsensitive", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
                    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
                    "minProperties", "maxProperties"] {
            if let value = schema[key] { out[key] = value }
        }
        if schema["uniqueItems"]?.boolValue == true { out["uniqueItems"] = true }
        if let keys = schema["uniqueKeys"]?.listValue, !keys.isEmpty, keys.allSatisfy({ $0.stringValue != nil }) {
            out["uniqueKeys"] = .list(keys)
        }
        if let properties = SchemaDocument.object(schema["properties"]) {
            var pairs: [TemplateValue] = []
            for entry in properties.entries {
                guard let child = SchemaDocument.object(entry.value) else { continue }
                let childIndex = try node(child, pointer: pointer + "/properties/" + escape(entry.key))
                pairs.append(.list([.string(entry.key), .int(Int64(childIndex))]))
            }
            out["properties"] = .list(pairs)
        }
        if let required = schema["required"]?.listValue { out["required"] = .list(required) }
        switch schema["additionalProperties"] {
        case .bool(false)?:
            out["additionalProperties"] = false
        case let value? where SchemaDocument.object(value) != nil:
            if let child = SchemaDocument.object(value) {
                out["additionalProperties"] = .int(Int64(try node(child, pointer: pointer + "/additionalProperties")))
            }
        default:
            break
        }
        if let patterns = SchemaDocument.object(schema["patternProperties"]) {
            var pairs: [TemplateValue] = []
            for entry in patterns.entries {
                guard let child = SchemaDocument.object(entry.value) else { continue }
                let childIndex = try node(child, pointer: pointer + "/patternProperties/" + escape(entry.key))
                pairs.append(.list([.string(entry.key), .int(Int64(childIndex))]))
            }
            out["patternProperties"] = .list(pairs)
        }
        if let items = SchemaDocument.object(schema["items"]) {
            out["items"] = .int(Int64(try node(items, pointer: pointer + "/items")))
        }
        if let prefix = schema["prefixItems"]?.listValue {
            var indices: [TemplateValue] = []
            for (offset, item) in prefix.enumerated() {
                guard let itemSchema = SchemaDocument.object(item) else { break }
                indices.append(.int(Int64(try node(itemSchema, pointer: pointer + "/prefixItems/\(offset)"))))
            }
            if !indices.isEmpty { out["prefixItems"] = .list(indices) }
        }
        if let condition = SchemaDocument.object(schema["if"]) {
            let thenSchema = SchemaDocument.object(schema["then"])
            let elseSchema = SchemaDocument.object(schema["else"])
            if thenSchema != nil || elseSchema != nil {
                out["if"] = .int(Int64(try node(condition, pointer: pointer + "/if")))
                if let thenSchema { out["then"] = .int(Int64(try node(thenSchema, pointer: pointer + "/then"))) }
                if let elseSchema { out["else"] = .int(Int64(try node(elseSchema, pointer: pointer + "/else"))) }
            }
        }
        var allOf: [TemplateValue] = []
        if let reference = schema["$ref"]?.stringValue {
            let target = try document.resolve(reference)
            allOf.append(.int(Int64(try node(target.schema, pointer: target.pointer))))
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            guard let branches = schema[key]?.listValue else { continue }
            // A branch with no rules accepts everything: such an anyOf (for example a list of
            // `format` annotations) constrains nothing and is left out.
            if key == "anyOf" && branches.contains(where: { TableCompiler.validatingKeys(SchemaDocument.object($0) ?? [:]).isEmpty }) {
                continue
            }
            var indices: [Int] = []
            for (offset, branch) in branches.enumerated() {
                guard let branchSchema = SchemaDocument.object(branch) else { continue }
                indices.append(try node(branchSchema, pointer: pointer + "/\(key)/\(offset)"))
            }
            if key == "anyOf" && indices.contains(where: { nodes[$0].isEmpty && !building.contains($0) }) {
                continue  // a referenced branch turned out empty
            }
            if key == "allOf" {
                allOf += indices.map { TemplateValue.int(Int64($0)) }
            } else if !indices.isEmpty {
                out[key] = .list(indices.map { TemplateValue.int(Int64($0)) })
            }
        }
        if !allOf.isEmpty { out["allOf"] = .list(allOf) }
        if let negated = SchemaDocument.object(schema["not"]) {
            out["not"] = .int(Int64(try node(negated, pointer: pointer + "/not")))
        }
        for key in ["requiredXor", "requiredOr"] {
            if let names = schema[key]?.listValue { out[key] = .list(names) }
        }
        var dependentRequired: [TemplateValue] = []
        var dependentSchemas: [TemplateValue] = []
        for key in ["dependentRequired", "dependencies"] {
            guard let table = SchemaDocument.object(schema[key]) else { continue }
            for entry in table.entries {
                if let names = entry.value.listValue {
                    dependentRequired.append(.list([.string(entry.key), .list(names)]))
                } else if let child = SchemaDocument.object(entry.value) {
                    let childIndex = try node(child, pointer: pointer + "/\(key)/" + escape(entry.key))
                    dependentSchemas.append(.list([.string(entry.key), .int(Int64(childIndex))]))
                }
            }
        }
        if !dependentRequired.isEmpty { out["dependentRequired"] = .list(dependentRequired) }
        if !dependentSchemas.isEmpty { out["dependentSchemas"] = .list(dependentSchemas) }
        if let excluded = SchemaDocument.object(schema["dependentExcluded"]) {
            out["dependentExcluded"] = .list(excluded.entries.map { .list([.string($0.key), $0.value]) })
        }
        nodes[index] = out
        return index
    }

    private func escape(_ key: String) -> String {
        // Nearly every key is a plain name: check its bytes before building anything.
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
    }
}
