/// A fast matcher for the most common shape of schema pattern: a run of single-character atoms
/// with fixed counts, then one atom with any count, matched against the whole value
/// (`[a-zA-Z][a-zA-Z0-9_]{0,47}`, `^sg-[0-9a-zA-Z]{8,17}$`, `^[.\-_/#A-Za-z0-9]{1,512}\Z`,
/// `[\u0009\u000A\u000D\u0020-\u00FF]+`).
///
/// Such a pattern needs no backtracking: each fixed atom takes exactly its count of characters
/// and the last atom takes the rest. One pass over the value's Unicode scalars decides it, in
/// tens of nanoseconds where glibc's `regexec` spends microseconds on bounded repetitions such as
/// `{1,512}`. Classes use ASCII meanings for `\d`, `\w`, `\s` (as AWS's Java-based validation
/// does); `.` is anything but a line break.
struct SimplePattern: Sendable {
    /// A set of Unicode scalars as sorted, inclusive ranges, possibly negated.
    struct CharacterSet: Sendable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            var found = false
            for range in ranges where range.contains(value) {
                found = true
                break
            }
            return found != negated
        }
    }

    struct Atom: Sendable {
        var set: CharacterSet
        var minimum: Int
        var maximum: Int  // Int.max for unbounded
    }

    let atoms: [Atom]

    /// The matcher for a pattern of the supported shape (`whole`: the pattern must match the
    /// whole value; otherwise it must be anchored at both ends), nil for anything else.
    init?(_ source: String, wholeValue: Bool) {
        var scalars = Array(source.unicodeScalars)
        if !wholeValue {
            // Only ^…$ (or ^…\Z / \z) is the same as a whole match.
            guard scalars.first == "^" else { return nil }
            scalars.removeFirst()
            if scalars.last == "$" {
                scalars.removeLast()
            } else if scalars.count >= 2, scalars[scalars.count - 2] == "\\",
                      scalars[scalars.count - 1] == "Z" || scalars[scalars.count - 1] == "z" {
                scalars.removeLast(2)
            } else {
                return nil
            }
        }
        var parser = Parser(scalars: scalars)
        guard let atoms = parser.atoms(), !atoms.isEmpty else { return nil }
        // Deterministic only when every atom but the last has a fixed count.
        guard atoms.dropLast().allSatisfy({ $0.minimum == $0.maximum }) else { return nil }
        self.atoms = atoms
    }

    func matches(_ value: String) -> Bool {
        var iterator = value.unicodeScalars.makeIterator()
        for (offset, atom) in atoms.enumerated() {
            let isLast = offset == atoms.count - 1
            var count = 0
            if isLast {
                while let scalar = iterator.next() {
                    guard atom.set.contains(scalar) else { return false }
                    count += 1
                    if count > atom.maximum { return false }
                }
                return count >= atom.minimum
            }
            while count < atom.minimum {
                guard let scalar = iterator.next(), atom.set.contains(scalar) else { return false }
                count += 1
            }
        }
        return iterator.next() == nil
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        static let digits: [ClosedRange<UInt32>] = [0x30...0x39]
        static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
        static let lineBreaks: [ClosedRange<UInt32>] = [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]
        static let special: Set<Unicode.Scalar> = ["(", ")", "|", "^", "$", "{", "}", "*", "+", "?"]

        init(scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        mutating func atoms() -> [Atom]? {
            var result: [Atom] = []
            while position < scalars.count {
                guard let set = characterSet() else { return nil }
                guard let (minimum, maximum) = quantifier() else { return nil }
                result.append(Atom(set: set, minimum: minimum, maximum: maximum))
            }
            return result
        }

        /// One atom's set: a literal, `.`, an escape, or a class.
        mutating func characterSet() -> CharacterSet? {
            let scalar = scalars[position]
            position += 1
            switch scalar {
            case ".":
                return CharacterSet(ranges: Parser.lineBreaks, negated: true)
            case "[":
                return bracket()
            case "\\":
                guard position < scalars.count else { return nil }
                let escaped = scalars[position]
                position += 1
                if let set = Parser.classEscape(escaped) { return set }
                guard let value = singleEscape(escaped) else { return nil }
                return CharacterSet(ranges: [value...value], negated: false)
            default:
                if Parser.special.contains(scalar) || scalar == "]" { return nil }
                return CharacterSet(ranges: [scalar.value...scalar.value], negated: false)
            }
        }

        static func classEscape(_ scalar: Unicode.Scalar) -> CharacterSet? {
            switch scalar {
            case "d": CharacterSet(ranges: digits, negated: false)
            case "D": CharacterSet(ranges: digits, negated: true)
            case "w": CharacterSet(ranges: word, negated: false)
            case "W": CharacterSet(ranges: word, negated: true)
            case "s": CharacterSet(ranges: space, negated: false)
            case "S": CharacterSet(ranges: space, negated: true)
            default: nil
            }
        }

        /// The code point of a single-character escape (`\.`, `\t`, `\x41`, `\u00FF`).
        mutating func singleEscape(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar {
            case "t": return 0x09
            case "n": return 0x0A
            case "r": return 0x0D
            case "f": return 0x0C
            case "v": return 0x0B
            case "x", "u":
                let count = scalar == "x" ? 2 : 4
                guard position + count <= scalars.count, scalars[position] != "{" else { return nil }
                let digits = String(String.UnicodeScalarView(scalars[position..<(position + count)]))
                position += count
                return UInt32(digits, radix: 16)
            default:
                let value = scalar.value
                let isAlphanumeric = (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                return isAlphanumeric ? nil : value  // \b, \p, back-references… are not single characters
            }
        }

        /// A `[…]` class (the `[` consumed).
        mutating func bracket() -> CharacterSet? {
            var negated = false
            if position < scalars.count, scalars[position] == "^" {
                negated = true
                position += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard position < scalars.count else { return nil }
                let scalar = scalars[position]
                position += 1
                if scalar == "]" && !first { break }
                if scalar == "[" { return nil }  // POSIX classes or nesting: leave to the engines
                first = false
                var low: UInt32
                if scalar == "\\" {
                    guard position < scalars.count else { return nil }
                    let escaped = scalars[position]
                    position += 1
                    if let set = Parser.classEscape(escaped) {
                        guard !set.negated else { return nil }
                        ranges += set.ranges
                        continue
                    }
                    if escaped == "b" { low = 0x08 } else {
                        guard let value = singleEscape(escaped) else { return nil }
                        low = value
                    }
                } else {
                    low = scalar.value
                }
                // A range low-high (a `-` before `]` is a literal dash).
                if position + 1 < scalars.count, scalars[position] == "-", scalars[position + 1] != "]" {
                    position += 1
                    var high: UInt32
                    let next = scalars[position]
                    position += 1
                    if next == "\\" {
                        guard position < scalars.count else { return nil }
                        let escaped = scalars[position]
                        position += 1
                        guard Parser.classEscape(escaped) == nil, let value = singleEscape(escaped) else { return nil }
                        high = value
                    } else {
                        high = next.value
                    }
                    guard low <= high else { return nil }
                    ranges.append(low...high)
                } else {
                    ranges.append(low...low)
                }
            }
            return CharacterSet(ranges: ranges, negated: negated)
        }

        /// The quantifier after an atom: (1, 1) when there is none; nil when malformed or lazy
        /// or possessive (which cannot matter here, but keep the shape strict).
        mutating func quantifier() -> (Int, Int)? {
            guard position < scalars.count else { return (1, 1) }
            var result: (Int, Int)
            switch scalars[position] {
            case "?": result = (0, 1); position += 1
            case "*": result = (0, Int.max); position += 1
            case "+": result = (1, Int.max); position += 1
            case "{":
                let (low, second, index) = BraceQuantifier.scan(scalars, from: position + 1)
                // `{m}` is m to m; `{m,}` has no maximum.
                let high: String? = second.map { $0.isEmpty ? nil : $0 } ?? low
                guard index < scalars.count, scalars[index] == "}", let minimum = Int(low.isEmpty ? "0" : low) else { return nil }
                let maximum = high.map { Int($0) } ?? Int.max
                guard let maximum, maximum >= minimum else { return nil }
                result = (minimum, maximum)
                position = index + 1
            default:
                return (1, 1)
            }
            if position < scalars.count, scalars[position] == "?" || scalars[position] == "+" { return nil }
            return result
        }
    }
}

/// The numbers of a brace quantifier, `{m}`, `{m,}`, `{m,n}` or `{,n}`, as written.
enum BraceQuantifier {
    /// From `start` (just after the `{`): the first number's digits (maybe none), the second's
    /// when a comma follows (maybe none: `{m,}`), nil without a comma (`{m}`), and the index after
    /// them, where a well-formed quantifier has its `}`.
    static func scan(_ scalars: [Unicode.Scalar], from start: Int) -> (first: String, second: String?, end: Int) {
        var index = start
        func digits() -> String {
            var text = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
            return text
        }
        let first = digits()
        guard index < scalars.count, scalars[index] == "," else { return (first, nil, index) }
        index += 1
        return (first, digits(), index)
    }
}
