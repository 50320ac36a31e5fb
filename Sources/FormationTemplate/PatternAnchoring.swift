/// How a registry-schema `pattern` is applied: AWS matches a pattern without anchors against the
/// **whole** value, so such a pattern is applied as `^…$`; an anchored one is searched for, as
/// JSON Schema says. Shared by the validator (`FormationResources.SchemaPattern`) and the code
/// generator's documentation, so both show and apply the same form.
public enum PatternAnchoring {
    /// Whether the pattern has an anchor (`^`, `$`, `\A`, `\Z`, `\z`) outside a character class.
    public static func isAnchored(_ pattern: String) -> Bool {
        scan(pattern) { character, _ in character == "^" || character == "$" }
    }

    /// Whether the pattern has a `|` outside groups and classes.
    public static func hasTopLevelAlternation(_ pattern: String) -> Bool {
        scan(pattern) { character, depth in character == "|" && depth == 0 }
    }

    /// The pattern as it is applied: unchanged when anchored, otherwise `^…$` (with a group
    /// when the pattern has a top-level `|`).
    public static func anchored(_ pattern: String) -> String {
        if isAnchored(pattern) { return pattern }
        return hasTopLevelAlternation(pattern) ? "^(?:" + pattern + ")$" : "^" + pattern + "$"
    }

    /// Whether an unanchored pattern is searched for in the value (as JSON Schema and cfn-lint
    /// do) rather than matched against the whole of it, because the schema itself shows it is
    /// not a spelling of the whole value: the longest string it can match is one character or
    /// none (`\S`, the registry's "not blank", on WAF's `VendorName`, ElastiCache's
    /// `AccessString`, …; the empty pattern of Batch's names), or shorter than the schema's own
    /// `maxLength` (Cognito's `\{####\}` on messages of up to 140 characters that must contain
    /// the code's placeholder). A pattern with a bound no shorter than `maxLength`, or with no
    /// bound (`[a-zA-Z][a-zA-Z0-9_]{0,47}`, the AgentCore name rule), still matches the whole
    /// value.
    public static func appliesAsSearch(_ pattern: String, maxLength: Int?) -> Bool {
        if isAnchored(pattern) { return false }
        guard let longest = longestMatch(pattern) else { return false }
        if longest <= 1 { return true }
        if let maxLength { return longest < maxLength }
        return false
    }

    /// The length in characters of the longest string `pattern` can match, or nil when it has
    /// no bound (`*`, `+`, `{n,}`, a back-reference) or cannot be read.
    public static func longestMatch(_ pattern: String) -> Int? {
        var reader = WidthReader(characters: Array(pattern))
        guard let width = reader.alternation(), reader.position == reader.characters.count else { return nil }
        return width
    }

    /// Reads a pattern for `longestMatch`: alternatives, groups, classes, escapes, quantifiers.
    private struct WidthReader {
        let characters: [Character]
        var position = 0

        /// The widest alternative up to a `)` or the end; nil when unbounded or unreadable.
        mutating func alternation() -> Int? {
            var widest = 0
            var current = 0
            while position < characters.count {
                let character = characters[position]
                if character == ")" { break }
                if character == "|" {
                    widest = max(widest, current)
                    current = 0
                    position += 1
                    continue
                }
                guard let atom = atom(), let repeated = quantified(atom) else { return nil }
                current += repeated
            }
            return max(widest, current)
        }

        /// One atom's width: a literal, an escape, `.`, a class, or a group.
        mutating func atom() -> Int? {
            let character = characters[position]
            position += 1
            switch character {
            case "\\":
                guard position < characters.count else { return nil }
                let escaped = characters[position]
                position += 1
                if escaped.isNumber { return nil }  // a back-reference
                if "bB".contains(escaped) { return 0 }
                if escaped == "u" || escaped == "x" {  // \uXXXX, \xXX, \u{…}
                    if position < characters.count, characters[position] == "{" {
                        while position < characters.count, characters[position] != "}" { position += 1 }
                        position += 1
                    } else {
                        var digits = 0
                        while digits < (escaped == "u" ? 4 : 2), position < characters.count, characters[position].isHexDigit {
                            position += 1
                            digits += 1
                        }
                    }
                }
                return 1
            case "[":
                if position < characters.count, characters[position] == "^" { position += 1 }
                if position < characters.count, characters[position] == "]" { position += 1 }
                while position < characters.count, characters[position] != "]" {
                    if characters[position] == "\\" { position += 1 }
                    position += 1
                }
                guard position < characters.count else { return nil }
                position += 1
                return 1
            case "(":
                var lookaround = false
                if position < characters.count, characters[position] == "?" {
                    position += 1
                    guard position < characters.count else { return nil }
                    switch characters[position] {
                    case ":": position += 1
                    case "=", "!":
                        lookaround = true
                        position += 1
                    case "<":
                        position += 1
                        if position < characters.count, characters[position] == "=" || characters[position] == "!" {
                            lookaround = true
                            position += 1
                        } else {
                            while position < characters.count, characters[position] != ">" { position += 1 }
                            position += 1
                        }
                    default: return nil  // flags and other extensions: not read
                    }
                }
                guard let inner = alternation(), position < characters.count, characters[position] == ")" else { return nil }
                position += 1
                return lookaround ? 0 : inner
            case "^", "$": return 0
            case "*", "+", "?", "|", ")": return nil  // a quantifier with nothing before it
            default: return 1
            }
        }

        /// `width` times the most the following quantifier allows (nil when unbounded).
        mutating func quantified(_ width: Int) -> Int? {
            guard position < characters.count else { return width }
            var result: Int?
            switch characters[position] {
            case "?":
                position += 1
                result = width
            case "*", "+":
                position += 1
                result = width == 0 ? 0 : nil
            case "{":
                var end = position + 1
                while end < characters.count, characters[end] != "}" { end += 1 }
                guard end < characters.count else { return width }  // a literal "{"
                let bounds = String(characters[(position + 1)..<end]).split(separator: ",", omittingEmptySubsequences: false)
                let numbers = bounds.map { Int(String($0.filter { $0 != " " })) }
                guard !bounds.isEmpty, bounds.count <= 2, numbers[0] != nil || bounds.count == 2 else { return width }  // a literal "{"
                position = end + 1
                if bounds.count == 1 { result = width * numbers[0]! }
                else if let upper = numbers[1] { result = width * upper }
                else { result = width == 0 ? 0 : nil }
            default:
                return width
            }
            // A lazy or possessive suffix changes nothing about the longest match.
            if position < characters.count, characters[position] == "?" || characters[position] == "+" { position += 1 }
            return result
        }
    }

    /// Calls `found` for each unescaped character outside classes, with the group depth.
    private static func scan(_ pattern: String, _ found: (Character, Int) -> Bool) -> Bool {
        var escaped = false
        var inClass = false
        var classStart = false
        var depth = 0
        for character in pattern {
            if escaped {
                escaped = false
                classStart = false
                if !inClass {
                    if character == "A" && found("^", depth) { return true }
                    if (character == "Z" || character == "z") && found("$", depth) { return true }
                }
                continue
            }
            if inClass {
                if character == "\\" {
                    escaped = true
                } else if character == "]" && !classStart {
                    inClass = false
                }
                classStart = classStart && character == "^"
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[":
                inClass = true
                classStart = true
                continue
            case "(": depth += 1
            case ")": depth -= 1
            default: if found(character, depth) { return true }
            }
        }
        return false
    }
}
