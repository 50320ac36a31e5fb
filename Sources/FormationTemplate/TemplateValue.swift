/// A value in a CloudFormation document: JSON data plus intrinsic functions.
///
/// Integers and doubles are distinct so that `443` never becomes `443.0`; maps keep key order.
/// An intrinsic function is its own case so emitters can choose the short YAML form (`!Ref X`)
/// and validators can find references without pattern-matching maps.
public enum TemplateValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    /// A number read from text whose exact value neither `Int64` nor `Double` holds
    /// (`99999999999999999999999`, `3.14159265358979323846`), kept as its text in JSON's number
    /// grammar (with a `.` and a signed exponent when it has an exponent, so YAML 1.1 reads it
    /// as a number too) and written back exactly so: nothing clamps or rounds it.
    case number(String)
    case bool(Bool)
    case null
    case list([TemplateValue])
    case map(OrderedMap)
    case fn(Intrinsic)

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The map, if this is a map.
    public var mapValue: OrderedMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The list, if this is a list.
    public var listValue: [TemplateValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// The intrinsic function, if this is one.
    public var intrinsic: Intrinsic? {
        if case .fn(let f) = self { return f }
        return nil
    }

    /// The boolean, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer, if this is an integer.
    public var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// A short name of the value's kind, for messages ("string", "integer", "map", …).
    public var kindName: String {
        switch self {
        case .string: "string"
        case .int: "integer"
        case .double: "number"
        case .number(let text): text.contains(where: { $0 == "." || $0 == "e" }) ? "number" : "integer"
        case .bool: "boolean"
        case .null: "null"
        case .list: "list"
        case .map: "map"
        case .fn(let f): f.name
        }
    }

    /// Member access for maps: `value["Properties"]`; `nil` for other kinds or absent keys.
    public subscript(key: String) -> TemplateValue? {
        mapValue?[key]
    }

    /// Element access for lists; `nil` when out of range or not a list.
    public subscript(index: Int) -> TemplateValue? {
        guard let list = listValue, list.indices.contains(index) else { return nil }
        return list[index]
    }
}

extension TemplateValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .map(OrderedMap(elements))
    }
}

extension TemplateValue: CustomStringConvertible {
    /// Compact single-line JSON-like rendering, for messages (not for templates).
    public var description: String {
        switch self {
        case .string(let s): return quoted(s)
        case .int(let i): return String(i)
        case .double(let d): return NumberFormatting.shortest(d)
        case .number(let text): return text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .map(let m):
            return "{" + m.entries.map { quoted($0.key) + ": " + $0.value.description }.joined(separator: ", ") + "}"
        case .fn(let f): return TemplateValue.map(f.longForm).description
        }
    }
}

/// Quotes a string for messages, escaping quotes, backslashes and control characters.
func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Number rendering shared by the emitters and messages.
public enum NumberFormatting {
    /// The shortest decimal text that reads back as exactly `value`, always with a `.` or an
    /// exponent so that JSON and YAML 1.1 readers both see a float (`1.0`, `1.0e+20`).
    public static func shortest(_ value: Double) -> String {
        var text = "\(value)"
        if text.contains("e") && !text.contains(".") {
            // "1e+20" is a string to a YAML 1.1 reader; "1.0e+20" is a float to everyone.
            if let e = text.firstIndex(of: "e") {
                text.insert(contentsOf: ".0", at: e)
            }
        } else if !text.contains(".") && !text.contains("e") && value.isFinite {
            text += ".0"
        }
        return text
    }
}
