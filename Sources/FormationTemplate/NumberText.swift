/// Numbers read from text whose exact value neither `Int64` nor `Double` holds
/// (`99999999999999999999999`, `3.14159265358979323846`, `1e400`): the parsers keep them as
/// `TemplateValue.number` with their text, so that nothing clamps or rounds them.
enum NumberText {
    /// A finite decimal as sign, significant digits (no leading or trailing zeros) and the
    /// position of the decimal point: the value is `0.d₁d₂… × 10^point` (zero has no digits).
    struct Decimal: Equatable {
        var negative: Bool
        var digits: [UInt8]
        var point: Int
    }

    /// The decimal that `text` writes (`-12.50e+3`, `.5`, `7.`, `1_000`), or nil when `text` is
    /// not a decimal number. Exponents beyond a billion are clamped (their values are far
    /// outside what a double holds either way).
    static func decimal(_ text: some StringProtocol) -> Decimal? {
        var negative = false
        var all: [UInt8] = []  // every digit of the mantissa
        var integerDigits: Int?  // digits before the `.`
        var exponent = 0
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var index = bytes.startIndex
        scan: while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                all.append(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "."):
                guard integerDigits == nil else { return nil }
                integerDigits = all.count
            case UInt8(ascii: "_"):
                break
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var rest = bytes[bytes.index(after: index)...]
                var exponentNegative = false
                if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    exponentNegative = sign == UInt8(ascii: "-")
                    rest = rest.dropFirst()
                }
                guard !rest.isEmpty else { return nil }
                for byte in rest {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    exponent = min(exponent * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000_000)
                }
                if exponentNegative { exponent = -exponent }
                break scan
            default:
                return nil
            }
            index = bytes.index(after: index)
        }
        guard !all.isEmpty else { return nil }
        // all × 10^(k − n) = 0.D × 10^(k − m), D the digits after m leading zeros.
        let leadingZeros = all.prefix { $0 == 0 }.count
        var digits = Array(all.dropFirst(leadingZeros))
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { return Decimal(negative: false, digits: [], point: 0) }
        return Decimal(negative: negative, digits: digits, point: (integerDigits ?? all.count) - leadingZeros + exponent)
    }

    /// Whether `double` is exactly the number `text` writes (`0.1` is: it is the double nearest
    /// 0.1 and reads back as such; `3.14159265358979323846` is not).
    static func isExact(_ double: Double, _ text: some StringProtocol) -> Bool {
        guard double.isFinite, let written = decimal(text), let held = decimal("\(double)") else { return false }
        return written == held
    }

    /// `text` (JSON or YAML 1.1 number syntax) in the one form that JSON and YAML 1.1 readers
    /// both read as that number: no `_`, no `+` sign, no leading zero, a digit on both sides of
    /// a `.`, an exponent written `e` with a sign, and a `.` whenever there is an exponent.
    static func canonical(_ text: some StringProtocol) -> String {
        var out = ""
        var body = Substring(text).filter { $0 != "_" }[...]
        if body.first == "+" { body = body.dropFirst() }
        if body.first == "-" { out = "-"; body = body.dropFirst() }
        var mantissa = body
        var exponent: Substring?
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]
            exponent = body[body.index(after: e)...]
        }
        // YAML 1.1 floats may start with zeros (`0012.5`); JSON's numbers may not.
        while mantissa.first == "0", let next = mantissa.dropFirst().first, next.isASCIIDigit {
            mantissa = mantissa.dropFirst()
        }
        if mantissa.hasPrefix(".") { out += "0" }
        out += mantissa
        if mantissa.hasSuffix(".") { out += "0" }
        if var exponent {
            if !mantissa.contains(".") { out += ".0" }
            out += "e"
            if exponent.first == "+" || exponent.first == "-" { out.append(exponent.removeFirst()) } else { out += "+" }
            out += exponent
        }
        return out
    }

    /// Whether `text` is a number in JSON's grammar (what `.number` may hold).
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// The decimal digits of the unsigned integer `digits` written in `radix` (2, 8 or 16),
    /// however long: YAML 1.1 reads `0x…`, `0…` and `0b…` integers of any size.
    static func decimalDigits(_ digits: some StringProtocol, radix: Int) -> String? {
        // Little-endian limbs of 10^9.
        var limbs: [UInt64] = [0]
        let base: UInt64 = 1_000_000_000
        for character in digits {
            guard let digit = character.hexDigitValue, digit < radix else { return nil }
            var carry = UInt64(digit)
            for index in limbs.indices {
                let value = limbs[index] * UInt64(radix) + carry
                limbs[index] = value % base
                carry = value / base
            }
            while carry > 0 {
                limbs.append(carry % base)
                carry /= base
            }
        }
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
