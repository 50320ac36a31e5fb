/// Swift source text for values: string literals (one line, or multi-line for text with line
/// breaks), interpolations, and the names of handles.
enum SwiftSource {
    /// One part of an interpolated string: text, or a Swift expression put in `\(…)`.
    enum Part: Equatable {
        case text(String)
        case expression(String)
    }

    /// A string literal of `text`: multi-line (`"""`) when it has a line break, one line otherwise.
    static func string(_ text: String, indent: Int) -> String {
        interpolated([.text(text)], indent: indent)
    }

    /// A string literal of `parts`, each expression interpolated.
    static func interpolated(_ parts: [Part], indent: Int) -> String {
        let multiline = parts.contains { part in
            if case .text(let text) = part { return text.contains("\n") }
            return false
        }
        if !multiline {
            var out = "\""
            for part in parts {
                switch part {
                case .text(let text): out += escaped(text, multiline: false)
                case .expression(let expression): out += "\\(" + expression + ")"
                }
            }
            return out + "\""
        }
        // A multi-line literal: the content lines between the delimiter lines, each indented as
        // the closing delimiter is (Swift strips that much from every line).
        let pad = String(repeating: "    ", count: indent)
        var body = ""
        for part in parts {
            switch part {
            case .text(let text): body += escaped(text, multiline: true)
            case .expression(let expression): body += "\\(" + expression + ")"
            }
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var out = "\"\"\"\n"
        for line in lines {
            out += (line.isEmpty ? "" : pad + line) + "\n"
        }
        return out + pad + "\"\"\""
    }

    /// `text` escaped for a Swift string literal: backslashes, quotes (in a one-line literal),
    /// `"""` (in a multi-line one), control characters but tab and (multi-line) line feed.
    static func escaped(_ text: String, multiline: Bool) -> String {
        var out = ""
        var quotes = 0
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                if !multiline {
                    out += "\\\""
                    continue
                }
                quotes += 1
                if quotes == 3 {
                    // `"""` cannot appear in a multi-line literal: write its last quote escaped.
                    out += "\\\""
                    quotes = 0
                    continue
                }
                out += "\""
                continue
            }
            quotes = 0
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += multiline ? "\n" : "\\n"
            case "\t": out += multiline ? "\t" : "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Swift keywords (and names that would read as something else) a handle cannot be named.
    static let reservedNames: Set<String> = Set([
        "stack", "app", "name", "Fn", "AWS", "Value", "Stack", "App", "RawResource", "TemplateValue", "OrderedMap",
        "ParameterType", "ConditionExpression",
    ])
}

/// Gives every handle a distinct Swift name: the logical ID in lowerCamelCase (`MyVPC` →
/// `myVpc`), a keyword backticked (`` `default` ``), a collision numbered (`bucket2`) or, for a
/// second kind of thing, suffixed by its kind (`bucketParameter`).
struct HandleNames {
    private var taken: Set<String> = []

    init(reserving names: Set<String> = []) {
        taken = names
    }

    /// A fresh name for `logicalID`; `kind` is appended when the plain name is taken.
    mutating func claim(_ logicalID: String, kind: String = "") -> String {
        var base = Naming.bare(Naming.memberName(logicalID))
        if base.isEmpty { base = "value" }
        if ["stack", "app", "name", "self", "super", "init", "Type", "_"].contains(base) { base += kind.isEmpty ? "Resource" : kind }
        if ["self", "Self", "Any", "_"].contains(base) { base += kind.isEmpty ? "Resource" : kind }
        var candidate = base
        if taken.contains(candidate), !kind.isEmpty { candidate = base + kind }
        let stem = candidate
        var counter = 2
        while taken.contains(candidate) {
            candidate = stem + "\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return Naming.keywords.contains(candidate) ? "`\(candidate)`" : candidate
    }
}
