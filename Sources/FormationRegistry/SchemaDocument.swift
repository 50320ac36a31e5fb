import FormationTemplate

/// One registry schema as parsed JSON, with `$ref` resolution inside the document.
public struct SchemaDocument: Sendable {
    /// The type name (`AWS::KMS::Key`).
    public let typeName: String
    /// The schema's file name (`<hash>.json`).
    public let fileName: String
    /// The whole schema.
    public let root: OrderedMap

    /// Parses `text` (JSON) as the schema of `typeName`.
    public init(typeName: String, fileName: String, text: String) throws(RegistryError) {
        let parsed: TemplateValue
        do {
            parsed = try JSONParser.parse(text, file: fileName)
        } catch {
            throw RegistryError(file: fileName, message: error.description)
        }
        try self.init(typeName: typeName, fileName: fileName, value: parsed)
    }

    /// The schema `value` (parsed JSON) of `typeName`.
    public init(typeName: String, fileName: String, value: TemplateValue) throws(RegistryError) {
        guard let root = SchemaDocument.object(value) else {
            throw RegistryError(file: fileName, message: "the schema is not a JSON object")
        }
        if let declared = root["typeName"]?.stringValue, declared != typeName {
            throw RegistryError(file: fileName, message: "the schema is for \(declared), not \(typeName)")
        }
        self.typeName = typeName
        self.fileName = fileName
        self.root = root
    }

    /// A value as a JSON object. The template parser reads a one-key object such as
    /// `{"Ref": "x"}` as an intrinsic function; in a schema that is still just an object.
    public static func object(_ value: TemplateValue?) -> OrderedMap? {
        switch value {
        case .map(let map)?: map
        case .fn(let function)?: function.longForm
        default: nil
        }
    }

    /// The strings of a list value (non-strings skipped).
    public static func strings(_ value: TemplateValue?) -> [String] {
        value?.listValue?.compactMap(\.stringValue) ?? []
    }

    /// The schema a local `$ref` (`#/definitions/Name`) points at, with its pointer.
    public func resolve(_ reference: String) throws(RegistryError) -> (schema: OrderedMap, pointer: String) {
        guard reference.hasPrefix("#") else {
            throw RegistryError(file: fileName, message: "$ref \(reference) is not local to the schema; only #/… references are supported")
        }
        var node: TemplateValue = .map(root)
        for raw in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let token = raw.utf8.contains(UInt8(ascii: "~")) ? String(raw).replacingAll("~1", with: "/").replacingAll("~0", with: "~") : String(raw)
            if let map = SchemaDocument.object(node), let next = map[token] {
                node = next
            } else if let list = node.listValue, let index = Int(token), list.indices.contains(index) {
                node = list[index]
            } else {
                throw RegistryError(file: fileName, message: "$ref \(reference) does not resolve")
            }
        }
        guard let schema = SchemaDocument.object(node) else {
            throw RegistryError(file: fileName, message: "$ref \(reference) does not point at a schema object")
        }
        return (schema, reference)
    }

    /// Follows `$ref` chains until a schema with its own content; returns it, its pointer and the
    /// last definition name on the way (used to name generated types).
    public func dereference(_ schema: OrderedMap, pointer: String) throws(RegistryError) -> (schema: OrderedMap, pointer: String, definition: String?) {
        var current = schema
        var currentPointer = pointer
        var definition: String?
        var seen: Set<String> = []
        while let reference = current["$ref"]?.stringValue, !SchemaDocument.hasShape(current) {
            guard seen.insert(reference).inserted else {
                throw RegistryError(file: fileName, message: "$ref cycle through \(reference)")
            }
            let resolved = try resolve(reference)
            current = resolved.schema
            currentPointer = resolved.pointer
            if reference.hasPrefix("#/definitions/") {
                definition = String(reference.dropFirst("#/definitions/".count))
            }
        }
        return (current, currentPointer, definition)
    }

    /// Whether a schema says what shape its value has (not just `$ref` plus annotations).
    public static func hasShape(_ schema: OrderedMap) -> Bool {
        schema["type"] != nil || schema["properties"] != nil || schema["items"] != nil || schema["enum"] != nil
    }

    /// Pointers to read-only properties (`/properties/Arn`, `/properties/A/*/B`).
    public var readOnlyPointers: [String] { SchemaDocument.strings(root["readOnlyProperties"]) }
    /// Pointers to create-only properties (changing them replaces the resource).
    public var createOnlyPointers: Set<String> { Set(SchemaDocument.strings(root["createOnlyProperties"])) }
    /// Pointers to write-only properties (never returned by CloudFormation).
    public var writeOnlyPointers: Set<String> { Set(SchemaDocument.strings(root["writeOnlyProperties"])) }
    /// Pointers to deprecated properties.
    public var deprecatedPointers: Set<String> { Set(SchemaDocument.strings(root["deprecatedProperties"])) }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation).
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
