/// How plain (unquoted, untagged) YAML scalars are read, and which strings must therefore be
/// quoted when written.
///
/// Reading follows YAML 1.1 as PyYAML does (the loader cfn-lint and most CloudFormation tooling
/// use): `yes`/`on`/`true` are booleans, `0x1F` and `017` are integers, `1.5` is a float, `~` is
/// null. Timestamps such as `2012-10-17` stay strings, as CloudFormation reads them.
/// Writing is more cautious than reading: any string that *any* YAML 1.1 or 1.2 reader could take
/// for something other than a string is quoted.
enum YAMLScalars {
    private static let booleanTrue: Set<String> = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let booleanFalse: Set<String> = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// The value of a plain scalar under YAML 1.1 (PyYAML) resolution.
    static func resolvePlain(_ text: String) -> TemplateValue {
        if nulls.contains(text) { return .null }
        if booleanTrue.contains(text) { return .bool(true) }
        if booleanFalse.contains(text) { return .bool(false) }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return .string(text)
        }
        return parseNumber(text) ?? .string(text)
    }

    /// A YAML 1.1 integer or float: `.int` or `.double` when that holds its exact value, `.number`
    /// with its text (in decimal) otherwise; nil when `text` is not a number.
    static func parseNumber(_ text: String) -> TemplateValue? {
        if let integer = parseInteger(text) { return .int(integer) }
        if let number = parseFloat(text) {
            if !number.isFinite && !text.contains(where: \.isASCIIDigit) { return .double(number) }  // .inf, .nan
            return NumberText.isExact(number, text) ? .double(number) : .number(NumberText.canonical(text))
        }
        return longInteger(text).map(TemplateValue.number)
    }

    /// An integer beyond 64 bits in YAML 1.1's syntax (decimal, `0x`, `0b` or leading-zero
    /// octal, `_` separators), in decimal: PyYAML reads it as the exact integer it is.
    static func longInteger(_ text: String) -> String? {
        var body = Substring(text)
        var sign = ""
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        guard body.first?.isASCIIDigit == true, !body.hasPrefix("0o") else { return nil }
        let radix: Int, digits: Substring
        if body.hasPrefix("0x") {
            radix = 16; digits = body.dropFirst(2)
        } else if body.hasPrefix("0b") {
            radix = 2; digits = body.dropFirst(2)
        } else if body.count > 1 && body.hasPrefix("0") {
            radix = 8; digits = body.dropFirst()
        } else {
            radix = 10; digits = body
        }
        let cleaned = digits.filter { $0 != "_" }
        guard !cleaned.isEmpty else { return nil }
        if radix == 10 {
            guard cleaned.allSatisfy(\.isASCIIDigit) else { return nil }
            return sign + cleaned
        }
        guard let decimal = NumberText.decimalDigits(cleaned, radix: radix) else { return nil }
        return sign + decimal
    }

    /// YAML 1.1 integers: decimal, `0b` binary, leading-zero octal, `0x` hex, `_` separators.
    /// Sexagesimal forms are left as strings. Values beyond 64 bits are not integers here.
    static func parseInteger(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let digits: Substring
        let radix: Int
        if body.hasPrefix("0b") {
            digits = body.dropFirst(2); radix = 2
        } else if body.hasPrefix("0x") {
            digits = body.dropFirst(2); radix = 16
        } else if body.hasPrefix("0o") {
            // YAML 1.2 octal; PyYAML reads it as a string, so do we.
            return nil
        } else if body.count > 1 && body.hasPrefix("0") {
            digits = body.dropFirst(1); radix = 8
        } else {
            guard body.first != "_" else { return nil }
            digits = body; radix = 10
        }
        let cleaned = digits.filter { $0 != "_" }
        guard !cleaned.isEmpty, let magnitude = UInt64(cleaned, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// YAML 1.1 floats: a `.` is required (`1.5`, `1.`, `.5`, `1.0e+3`), or `.inf`/`.nan` forms.
    static func parseFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var body = Substring(text)
        if let sign = body.first, sign == "-" || sign == "+" { body = body.dropFirst() }
        guard let dot = body.firstIndex(of: ".") else { return nil }
        let whole = body[..<dot]
        var rest = body[body.index(after: dot)...]
        var exponent: Substring = ""
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = rest[rest.index(after: e)...]
            rest = rest[..<e]
            guard let sign = exponent.first, sign == "-" || sign == "+",
                  exponent.count > 1, exponent.dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
        }
        let wholeOK = whole.isEmpty ? !rest.isEmpty && rest.first?.isASCIIDigit == true
            : whole.first?.isASCIIDigit == true && whole.allSatisfy { $0.isASCIIDigit || $0 == "_" }
        guard wholeOK, rest.allSatisfy({ $0.isASCIIDigit || $0 == "_" }) else { return nil }
        return Double(text.filter { $0 != "_" })
    }

    /// Whether a string must be quoted so that YAML readers do not take it for a boolean, null,
    /// number, date, merge key or value key. (Syntax — indicators, `: `, ` #`, leading spaces —
    /// is libyaml's business: its emitter refuses the plain style where the syntax needs quotes.)
    static func mustQuote(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let firstByte = utf8.first else { return true }
        // The words below are at most five bytes, or start with `.`, `-` or `+`.
        if utf8.count <= 5 || firstByte == UInt8(ascii: ".") || firstByte == UInt8(ascii: "-") || firstByte == UInt8(ascii: "+") {
            if nulls.contains(text) || text == "<<" || text == "=" { return true }
            let lower = text.lowercased()
            if ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"].contains(lower) { return true }
            if lower.hasPrefix(".") || lower.hasPrefix("-.") || lower.hasPrefix("+.") {
                let rest = lower.drop { $0 == "-" || $0 == "+" || $0 == "." }
                if rest == "inf" || rest == "nan" { return true }
            }
        }
        // Anything number-like or date-like: starts with a digit (after an optional sign or dot)
        // and uses only characters that numbers, dates and times are written with (all ASCII, so
        // bytes decide: a byte of a multi-byte character is never one of them).
        var rest = utf8[...]
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
        if rest.first == UInt8(ascii: ".") { rest = rest.dropFirst() }
        guard let first = rest.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return false }
        return utf8.allSatisfy { $0 < 128 && numericBytes[Int($0)] }
    }

    /// Whether `text` has a `\n`, and whether it has a line break other than `\n` (CR, NEL,
    /// LS, PS), in one pass over its UTF-8: CR is 0D, NEL C2 85, LS and PS E2 80 A8/A9.
    static func lineBreaks(_ text: String) -> (newline: Bool, other: Bool) {
        var newline = false
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case 0x0A: newline = true
            case 0x0D: return (newline, true)
            case 0x85 where previous == 0xC2: return (newline, true)
            case 0xA8, 0xA9: if previous == 0x80 && beforePrevious == 0xE2 { return (newline, true) }
            default: break
            }
            beforePrevious = previous
            previous = byte
        }
        return (newline, false)
    }

    /// The ASCII bytes numbers, dates and times are written with: `0-9a-fA-FxXoO_.:+-eE tTzZ`.
    private static let numericBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in "0123456789abcdefABCDEFxXoO_.:+-eE tTzZ".utf8 { table[Int(byte)] = true }
        return table
    }()
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
