/// Parsing a template whose format is not known in advance.
public enum TemplateDocument {
    /// Parses `text` as JSON when it starts with `{` (after white space), as YAML otherwise
    /// (every JSON document is also YAML, but json-c gives better positions for JSON errors).
    public static func parse(_ text: String, file: String? = nil) throws(TemplateError) -> TemplateValue {
        let first = text.unicodeScalars.first { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}") }
        if first == "{" {
            return try JSONParser.parse(text, file: file)
        }
        return try YAMLParser.parse(text, file: file)
    }

    /// Parses like `parse`, with the YAML aliases the document uses (none for JSON).
    public static func parseNotingAliases(_ text: String, file: String? = nil) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias]) {
        let first = text.unicodeScalars.first { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}") }
        if first == "{" {
            return (try JSONParser.parse(text, file: file), [])
        }
        return try YAMLParser.parseNotingAliases(text, file: file)
    }

    /// Parses like `parseNotingAliases`, with where each mapping key and list item starts
    /// (`SourcePositions`; for JSON, one more pass over the text json-c accepted).
    public static func parseWithPositions(_ text: String, file: String? = nil) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias], positions: SourcePositions) {
        let first = text.unicodeScalars.first { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}") }
        if first == "{" {
            let value = try JSONParser.parse(text, file: file)
            return (value, [], SourcePositions.scanJSON(text))
        }
        return try YAMLParser.parseWithPositions(text, file: file)
    }
}
