/// Translates a registry-schema pattern (ECMA-262 / Python syntax) into a POSIX extended regular
/// expression for glibc's `regcomp`, for matching **ASCII values without line breaks** only.
///
/// Because the values are ASCII, anything non-ASCII in a character class can be dropped or
/// clamped (`[\u0020-\u00FF]` → `[ -\x7F]`) without changing which values match. What POSIX
/// cannot express (look-around, `\b`, `\p{…}`, back-references, possessive quantifiers, flags,
/// `\D` inside a class, a non-ASCII literal outside a class) returns nil, and the caller uses
/// Swift `Regex` instead.
///
/// - `(?:` → `(`; lazy quantifiers lose their `?` (it cannot change whether a value matches);
///   `{,n}` → `{0,n}`; `\A` → `^`, `\Z` and `\z` → `$`.
/// - `\d` `\w` `\s` (and `\D` `\W` `\S` outside classes) → bracket expressions.
/// - `\xHH`, `\uHHHH`, `\u{H…}`, `\t` `\n` `\r` `\f` `\v` → the character.
/// - Character classes are rebuilt from the set of ASCII characters they match, in the order
///   POSIX needs (`]` first, `-` last, `^` never first).
enum PosixTranslation {
    static func translate(_ pattern: String) -> String? {
        var parser = Parser(Array(pattern.unicodeScalars))
        return parser.run()
    }

    private static let special: Set<Unicode.Scalar> = [".", "[", "]", "(", ")", "*", "+", "?", "{", "}", "|", "^", "$", "\\"]

    /// The ERE text for one literal character outside a class.
    static func literal(_ scalar: Unicode.Scalar) -> String? {
        guard scalar.value > 0, scalar.value < 0x80 else { return nil }
        if special.contains(scalar) { return "\\" + String(scalar) }
        return String(scalar)
    }

    /// A POSIX bracket expression matching exactly `set` (ASCII code points), negated or not.
    static func bracket(_ set: Set<UInt32>, negated: Bool) -> String? {
        let members = set.filter { $0 > 0 && $0 < 0x80 }
        if !negated {
            if members.isEmpty { return nil }  // matches nothing; leave it to Swift Regex
            if members.count == 1, let only = members.first, let scalar = Unicode.Scalar(only) {
                return literal(scalar)
            }
        } else if members.isEmpty {
            return "[^\u{1}]"  // any character but NUL (values never contain NUL on this path)
        }
        let close: UInt32 = 0x5D, dash: UInt32 = 0x2D, caret: UInt32 = 0x5E, open: UInt32 = 0x5B
        var out = negated ? "[^" : "["
        if members.contains(close) { out += "]" }
        let plain = members.subtracting([close, dash, caret, open]).sorted()
        var index = 0
        while index < plain.count {
            var end = index
            while end + 1 < plain.count && plain[end + 1] == plain[end] + 1 { end += 1 }
            guard let low = Unicode.Scalar(plain[index]), let high = Unicode.Scalar(plain[end]) else { return nil }
            if end - index >= 2 {
                out += String(low) + "-" + String(high)
            } else {
                for value in plain[index...end] {
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    out.unicodeScalars.append(scalar)
                }
            }
            index = end + 1
        }
        if members.contains(open) { out += "[" }
        if members.contains(caret) {
            // `^` must not come first: only possible if nothing else precedes it.
            if out == "[" { return members.count == 1 ? "\\^" : nil }
            out += "^"
        }
        if members.contains(dash) { out += "-" }
        return out + "]"
    }

    static let digits = Set<UInt32>(0x30...0x39)
    static let word = Set<UInt32>(0x30...0x39).union(0x41...0x5A).union(0x61...0x7A).union([0x5F])
    static let space: Set<UInt32> = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0
        var out = ""

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        var atEnd: Bool { position >= scalars.count }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }

        mutating func run() -> String? {
            while !atEnd {
                let scalar = scalars[position]
                position += 1
                switch scalar {
                case "\\":
                    guard let text = escapeOutsideClass() else { return nil }
                    out += text
                case "(":
                    if peek() == "?" {
                        guard peek(1) == ":" else { return nil }  // look-around, names, flags
                        position += 2
                    }
                    out += "("
                case ")", "|", "^", "$", ".":
                    out.unicodeScalars.append(scalar)
                case "[":
                    guard let text = characterClass() else { return nil }
                    out += text
                case "*", "+", "?":
                    out.unicodeScalars.append(scalar)
                    guard quantifierSuffix() else { return nil }
                case "{":
                    if let quantifier = braces() {
                        out += quantifier
                        guard quantifierSuffix() else { return nil }
                    } else {
                        out += "\\{"
                    }
                case "}":
                    out += "\\}"
                case "]":
                    out += "\\]"
                default:
                    guard let text = PosixTranslation.literal(scalar) else { return nil }
                    out += text
                }
            }
            return out
        }

        /// After a quantifier: drop a lazy `?`; refuse a possessive `+`.
        mutating func quantifierSuffix() -> Bool {
            if peek() == "?" {
                position += 1
            } else if peek() == "+" {
                return false
            }
            return true
        }

        /// `{m}`, `{m,}`, `{m,n}`, `{,n}` → ERE text; nil when the brace is a literal.
        mutating func braces() -> String? {
            let (first, second, index) = BraceQuantifier.scan(scalars, from: position)
            guard index < scalars.count, scalars[index] == "}", !(first.isEmpty && (second ?? "").isEmpty) else { return nil }
            position = index + 1
            let low = first.isEmpty ? "0" : first
            switch second {
            case nil: return "{\(low)}"
            case let high? where high.isEmpty: return "{\(low),}"
            case let high?: return "{\(low),\(high)}"
            }
        }

        /// A code point from `\x`, `\u`; nil when malformed.
        mutating func hexEscape(_ kind: Unicode.Scalar) -> UInt32? {
            var digits = ""
            if kind == "u", peek() == "{" {
                position += 1
                while let next = peek(), next != "}" {
                    digits.unicodeScalars.append(next)
                    position += 1
                }
                guard peek() == "}" else { return nil }
                position += 1
            } else {
                let count = kind == "x" ? 2 : 4
                for _ in 0..<count {
                    guard let next = peek() else { return nil }
                    digits.unicodeScalars.append(next)
                    position += 1
                }
            }
            return UInt32(digits, radix: 16)
        }

        /// The single character an escape stands for, if it stands for one.
        mutating func escapedCharacter(_ scalar: Unicode.Scalar, inClass: Bool) -> UInt32?? {
            switch scalar {
            case "t": return 0x09
            case "n": return 0x0A
            case "r": return 0x0D
            case "f": return 0x0C
            case "v": return 0x0B
            case "0": return 0x00
            case "b" where inClass: return 0x08
            case "x", "u": return .some(hexEscape(scalar))
            default:
                let value = scalar.value
                let isLetterOrDigit = (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                if isLetterOrDigit { return nil }  // not a single-character escape
                return value
            }
        }

        mutating func escapeOutsideClass() -> String? {
            guard let scalar = peek() else { return nil }
            position += 1
            switch scalar {
            case "d": return "[0-9]"
            case "D": return "[^0-9]"
            case "w": return "[A-Za-z0-9_]"
            case "W": return "[^A-Za-z0-9_]"
            case "s": return PosixTranslation.bracket(PosixTranslation.space, negated: false)
            case "S": return PosixTranslation.bracket(PosixTranslation.space, negated: true)
            case "A": return "^"
            case "Z", "z": return "$"  // the values matched here have no line breaks
            default:
                guard case .some(.some(let value)) = escapedCharacter(scalar, inClass: false),
                      let character = Unicode.Scalar(value) else { return nil }
                return PosixTranslation.literal(character)
            }
        }

        /// Parses `[…]` (the `[` already consumed) into the set of ASCII characters it matches.
        mutating func characterClass() -> String? {
            var negated = false
            if peek() == "^" {
                negated = true
                position += 1
            }
            var set = Set<UInt32>()
            var first = true
            var previous: UInt32?  // the last single character, for ranges
            while true {
                guard let scalar = peek() else { return nil }  // unterminated
                position += 1
                if scalar == "]" && !first { break }
                first = false
                var single: UInt32?
                if scalar == "\\" {
                    guard let escaped = peek() else { return nil }
                    position += 1
                    switch escaped {
                    case "d": set.formUnion(PosixTranslation.digits)
                    case "w": set.formUnion(PosixTranslation.word)
                    case "s": set.formUnion(PosixTranslation.space)
                    default:
                        guard case .some(.some(let value)) = escapedCharacter(escaped, inClass: true) else { return nil }
                        single = value
                    }
                } else if scalar == "-", let low = previous, let next = peek(), next != "]" {
                    // A range: low was already added; add the rest up to high.
                    position += 1
                    var high: UInt32
                    if next == "\\" {
                        guard let escaped = peek() else { return nil }
                        position += 1
                        guard case .some(.some(let value)) = escapedCharacter(escaped, inClass: true) else { return nil }
                        high = value
                    } else {
                        high = next.value
                    }
                    guard high >= low else { return nil }
                    high = min(high, 0x7F)
                    if low <= high { for value in low...high { set.insert(value) } }
                    previous = nil
                    continue
                } else {
                    single = scalar.value
                }
                if let single {
                    set.insert(single)
                    previous = single
                } else {
                    previous = nil
                }
            }
            return PosixTranslation.bracket(set, negated: negated)
        }
    }
}
