@testable import FormationTemplate
@_exported import TestSupport

/// Strings that YAML 1.1/1.2 readers could take for something else, or that stress quoting.
let hostileStrings: [String] = [
    "yes", "Yes", "YES", "no", "No", "on", "On", "off", "OFF", "true", "False", "y", "n", "Y", "N",
    "null", "Null", "NULL", "~", "", " ", "  ", "1.0", "0123", "1e3", "1E3", "0x1F", "0o17", "0b101",
    "+1", "-1", "1_000", "1:30", "12:30:00", ".inf", "-.inf", ".NaN", ".nan", "2012-10-17",
    "2001-12-14t21:59:43.10-05:00", "=", "<<", "*star", "&anchor", "!bang", "%percent", "@at", "`tick",
    "a: b", "key:", "a #b", "#comment", " lead", "trail ", "- dash", "-", "? q", "?", "|", ">", "[a]",
    "{a}", ",", "a,b", "'single'", "\"double\"", "back\\slash", "${Literal}", "${!Escaped}",
    "multi\nline", "multi\nline\n", "multi\n\nblank\n\n", "\nleading newline", "trailing spaces \nx",
    " indented\nfirst", "tab\there", "\t", "cr\rhere", "crlf\r\nhere", "nul\u{0}here", "\u{1}\u{7F}",
    "nel\u{85}x", "ls\u{2028}x", "ps\u{2029}x", "bom\u{FEFF}x", "é", "日本語", "🎉 emoji", "Ω≈ç√",
    "arn:aws:iam::123456789012:role/x", "10.0.0.0/16", "http://example.com/a?b=c#d", "/aws/service/x",
    "cron(0 9,21 * * ? *)", "Fn::Sub", "Ref", "!Ref X", "!GetAtt A.B",
]

enum Generate {
    static func string<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        if Int.random(in: 0..<3, using: &rng) == 0 {
            return hostileStrings.randomElement(using: &rng) ?? ""
        }
        let length = Int.random(in: 0..<12, using: &rng)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let pick = Int.random(in: 0..<10, using: &rng)
            let value: UInt32
            switch pick {
            case 0: value = UInt32.random(in: 0..<0x20, using: &rng)              // control
            case 1: value = UInt32.random(in: 0x80..<0x800, using: &rng)          // 2-byte
            case 2: value = UInt32.random(in: 0x800..<0xD800, using: &rng)        // BMP
            case 3: value = UInt32.random(in: 0x1_0000..<0x10_FFFF, using: &rng)  // astral
            default: value = UInt32.random(in: 0x20..<0x7F, using: &rng)          // printable ASCII
            }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static func key<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        String(string(&rng).unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init))
    }

    static func scalar<R: RandomNumberGenerator>(_ rng: inout R) -> TemplateValue {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 1: return .int(Int64.random(in: -1000...1000, using: &rng))
        case 2:
            let d = Double.random(in: -1e6...1e6, using: &rng)
            return .double([d, 0.9, 1.0, 1e20, Double.leastNonzeroMagnitude, -0.5, 123456789.125].randomElement(using: &rng) ?? d)
        case 3: return .bool(Bool.random(using: &rng))
        case 4: return .null
        case 5: return .number(longNumber(&rng))
        default: return .string(string(&rng))
        }
    }

    /// A number neither Int64 nor Double holds exactly, in the canonical text the parsers keep
    /// (`TemplateValue.number`): a long integer, a long decimal, or an exponent out of range.
    static func longNumber<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let sign = Bool.random(using: &rng) ? "-" : ""
        let digits = String((0..<Int.random(in: 20..<40, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        let lead = String(Int.random(in: 1...9, using: &rng))
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return sign + lead + digits
        case 1: return sign + lead + "." + digits + "1"
        case 2: return sign + lead + "." + digits + "1e+" + String(Int.random(in: 400...999, using: &rng))
        default: return sign + "0." + digits + "1e-" + String(Int.random(in: 400...999, using: &rng))
        }
    }

    static func name<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "Res" + String((0..<Int.random(in: 1..<8, using: &rng)).map { _ in letters.randomElement(using: &rng) ?? "A" })
    }

    static func intrinsic<R: RandomNumberGenerator>(depth: Int, _ rng: inout R) -> Intrinsic {
        func v() -> TemplateValue { value(depth: depth - 1, &rng) }
        switch Int.random(in: 0..<18, using: &rng) {
        case 0: return .ref(name(&rng))
        case 1: return .getAtt(name(&rng), ["Arn", "Endpoint.Address", "A.B.C"].randomElement(using: &rng) ?? "Arn")
        case 2: return .sub(string(&rng), nil)
        case 3: return .sub(string(&rng), OrderedMap([(name(&rng), v())]))
        case 4: return .join(string(&rng), .list([v(), v()]))
        case 5: return .select(.int(Int64.random(in: 0..<3, using: &rng)), .list([v()]))
        case 6: return .split(string(&rng), v())
        case 7: return .if(name(&rng), v(), v())
        case 8: return .equals(v(), v())
        case 9: return .and([v(), v()])
        case 10: return .or([v(), v(), v()])
        case 11: return .not(v())
        case 12: return .condition(name(&rng))
        case 13: return .importValue(v())
        case 14: return .findInMap(v(), v(), v())
        case 15: return .getAZs(v())
        case 16: return .base64(v())
        default:
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: return .cidr(v(), v(), v())
            case 1: return .length(v())
            case 2: return .toJsonString(v())
            case 3: return .findInMapDefault(v(), v(), v(), v())
            case 4: return .transformList([["Name": "AWS::Include", "Parameters": .map(OrderedMap([("Location", v())]))]])
            default: return .transform("AWS::Include", OrderedMap([("Location", v())]))
            }
        }
    }

    static func value<R: RandomNumberGenerator>(depth: Int, _ rng: inout R) -> TemplateValue {
        if depth <= 0 { return scalar(&rng) }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:
            return .list((0..<Int.random(in: 0..<4, using: &rng)).map { _ in value(depth: depth - 1, &rng) })
        case 2, 3:
            var map = OrderedMap()
            for _ in 0..<Int.random(in: 0..<4, using: &rng) {
                // NUL cannot appear in a JSON key written by json-c (the emitter refuses it).
                map[key(&rng)] = value(depth: depth - 1, &rng)
            }
            // A one-key map whose key is an intrinsic name would read back as the intrinsic.
            if map.count == 1, let key = map.keys.first, Intrinsic.longFormNames.contains(key) {
                map["extra"] = .null
            }
            return .map(map)
        case 4, 5:
            return .fn(intrinsic(depth: depth, &rng))
        default:
            return scalar(&rng)
        }
    }

    /// A value nested `depth` levels deep (alternating lists and maps).
    static func deep(_ depth: Int) -> TemplateValue {
        var value: TemplateValue = "bottom"
        for level in 0..<depth {
            value = level % 2 == 0 ? .list([value]) : .map(["k\(level)": value])
        }
        return value
    }
}
