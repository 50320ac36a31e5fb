import Formation

/// A template document edited by path, for writing baselines that differ from a fresh synth in
/// known ways.
struct EditableTemplate {
    /// The document.
    var document: TemplateValue

    /// The template in `text` (JSON or YAML).
    init(_ text: String) throws {
        document = try TemplateDocument.parse(text)
    }

    /// Sets (or with nil removes) the value at `path` (map keys), creating maps on the way; a new
    /// key goes last.
    mutating func set(_ path: String..., to value: TemplateValue?) {
        document = Self.setting(value, at: path[...], in: document)
    }

    /// Moves resource `old` to the logical ID `new` (last in the section), unchanged.
    mutating func rename(resource old: String, to new: String) {
        let body = document["Resources"]?[old]
        set("Resources", old, to: nil)
        set("Resources", new, to: body)
    }

    /// The document as JSON.
    func json() throws -> String {
        try JSONEmitter.emit(document)
    }

    /// The document as YAML.
    func yaml() throws -> String {
        try YAMLEmitter.emit(document)
    }

    private static func setting(_ value: TemplateValue?, at path: ArraySlice<String>, in node: TemplateValue) -> TemplateValue {
        guard let key = path.first else { return value ?? node }
        var map = node.mapValue ?? [:]
        if path.count == 1 {
            map[key] = value
        } else {
            map[key] = setting(value, at: path.dropFirst(), in: map[key] ?? .map([:]))
        }
        return .map(map)
    }
}
