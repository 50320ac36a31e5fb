/// Escaping for XML 1.0 text and attribute values (JUnit reports). XML is neither JSON nor
/// YAML, so neither C library's escaping applies.
///
/// `&`, `<`, `>`, `"` and `'` become entities; in attributes, tab, line feed and carriage
/// return become character references so a reader's attribute normalization keeps them. A
/// character XML 1.0 cannot carry at all (controls other than tab, LF and CR; U+FFFE, U+FFFF)
/// becomes U+FFFD, since not even a character reference may name it.
enum XMLText {
    static func content(_ text: String) -> String { escape(text, attribute: false) }

    static func attribute(_ text: String) -> String { escape(text, attribute: true) }

    private static func escape(_ text: String, attribute: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where attribute: result.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where attribute: result.append(contentsOf: "&apos;".unicodeScalars)
            case "\t" where attribute: result.append(contentsOf: "&#9;".unicodeScalars)
            case "\n" where attribute: result.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": result.append(contentsOf: "&#13;".unicodeScalars)
            case "\t", "\n": result.append(scalar)
            default:
                if isAllowed(scalar) { result.append(scalar) } else { result.append("\u{FFFD}") }
            }
        }
        return String(result)
    }

    /// XML 1.0's Char production.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
