/// Parsing a template whose format is not known in advance.
public enum TemplateDocument {
    /// Parses `text` as JSON when it starts with `{` (after white space), as YAML otherwise
    /// (every JSON document is also YAML, but json-c gives better positions for JSON errors).
    /// `limits` say what YAML aliases do; nesting is bounded either way.
    public static func parse(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> TemplateValue {
        if isJSON(text) {
            return try JSONParser.parse(text, file: file)
        }
        return try YAMLParser.parse(text, file: file, limits: limits)
    }

    /// Parses like `parse`, with the YAML aliases the document uses (none for JSON).
    public static func parseNotingAliases(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias]) {
        if isJSON(text) {
            return (try JSONParser.parse(text, file: file), [])
        }
        return try YAMLParser.parseNotingAliases(text, file: file, limits: limits)
    }

    /// Parses `text` as a template: one document, a map at the top level. Anything else (an
    /// empty input, a scalar, a list) is a syntax error at the position of what is there.
    public static func parseTemplate(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> Template {
        try template(text, file: file, limits: limits, positions: false).template
    }

    /// Parses like `parseTemplate`, with where each mapping key and list item starts
    /// (`SourcePositions`; for JSON, one more pass over the text json-c accepted).
    public static func parseTemplateWithPositions(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError)
        -> (template: Template, positions: SourcePositions) {
        let parsed = try template(text, file: file, limits: limits, positions: true)
        return (parsed.template, parsed.positions ?? SourcePositions())
    }

    private static func template(_ text: String, file: String?, limits: ParseLimits, positions: Bool) throws(TemplateError)
        -> (template: Template, positions: SourcePositions?) {
        guard let start = text.unicodeScalars.firstIndex(where: { !isSpace($0) }) else {
            throw TemplateError.syntax(file: file, line: 1, column: 1, message: "the input is empty; a template is a JSON or YAML map (AWSTemplateFormatVersion, Resources, …)")
        }
        let value: TemplateValue
        let root: (line: Int, column: Int)
        var found: SourcePositions?
        if text.unicodeScalars[start] == "{" {
            value = try JSONParser.parse(text, file: file)
            let prefix = text.unicodeScalars[..<start]
            let line = prefix.count { $0 == "\n" } + 1
            root = (line, prefix.reversed().prefix { $0 != "\n" }.count + 1)
            if positions { found = SourcePositions.scanJSON(text) }
        } else {
            (value, _, root, found) = try YAMLParser.parseDocument(text, file: file, limits: limits, positions: positions)
        }
        guard case .map = value else {
            throw TemplateError.syntax(file: file, line: root.line, column: root.column,
                                       message: "a template must be a map at the top level (AWSTemplateFormatVersion, Resources, …), found \(described(value))")
        }
        return (try Template(document: value), found)
    }

    /// `a string`, `an integer`, `null`, `the function Ref`: what a value is, for messages.
    private static func described(_ value: TemplateValue) -> String {
        switch value {
        case .null: return "null"
        case .fn(let function): return "the function \(function.name)"
        default:
            let kind = value.kindName
            return (kind.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + kind
        }
    }

    /// White space before a document, and the byte order mark.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == "\u{FEFF}"
    }

    /// Whether the first character after white space (and a byte order mark) is `{`.
    static func isJSON(_ text: String) -> Bool {
        text.unicodeScalars.first { !isSpace($0) } == "{"
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
