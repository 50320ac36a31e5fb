#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A schema `pattern`, compiled once and matched as AWS applies it: a pattern without `^`/`$`
/// anchors must match the **whole** value (cfn-lint searches instead, and so misses
/// `customer-service-agent-dev` against `[a-zA-Z][a-zA-Z0-9_]{0,47}`); an anchored pattern is
/// searched for, as JSON Schema says.
///
/// ASCII values without line breaks (nearly all values in templates) are matched with POSIX
/// `regexec` on a translation of the pattern (`PosixTranslation`); other values, and patterns
/// POSIX cannot express, use Swift `Regex` with Unicode-scalar semantics.
///
/// Measured in a release build on this project's machine (2 cores), per match:
/// `[a-zA-Z][a-zA-Z0-9_]{0,47}` on a 24-character name 1.9 µs with `Regex.wholeMatch` against
/// 1.7 µs with `regexec`; an IAM role ARN pattern 3.0 µs against 0.75 µs;
/// `[\u0009\u000A\u000D\u0020-\u00FF]+` on a 55-character path 16.6 µs against 0.23 µs.
public final class SchemaPattern: @unchecked Sendable {
    // @unchecked: both matchers are immutable after init. glibc's regexec takes a lock inside
    // the compiled regex_t, so concurrent matching is safe; Regex is a value type.

    /// The pattern as written in the schema.
    public let source: String
    /// The pattern as applied (anchored when the source has no anchors), for messages.
    public let applied: String
    /// Whether the whole value must match (the source has no anchors).
    public let wholeValue: Bool
    private let posix: UnsafeMutablePointer<regex_t>?
    private let regex: Regex<AnyRegexOutput>?

    /// Compiles `source`; `isUsable` is false when neither engine accepts it.
    public init(_ source: String) {
        self.source = source
        wholeValue = !SchemaPattern.isAnchored(source)
        applied = wholeValue
            ? (SchemaPattern.hasTopLevelAlternation(source) ? "^(?:" + source + ")$" : "^" + source + "$")
            : source

        var compiled: UnsafeMutablePointer<regex_t>?
        if let translated = PosixTranslation.translate(source) {
            let expression = wholeValue ? "^(" + translated + ")$" : translated
            let pointer = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
            if regcomp(pointer, expression, REG_EXTENDED | REG_NOSUB) == 0 {
                compiled = pointer
            } else {
                pointer.deallocate()
            }
        }
        posix = compiled
        regex = (try? Regex(source))?.matchingSemantics(.unicodeScalar)
    }

    deinit {
        if let posix {
            regfree(posix)
            posix.deallocate()
        }
    }

    /// Whether some engine compiled the pattern (every bundled pattern does; a test checks).
    public var isUsable: Bool { posix != nil || regex != nil }

    /// Whether POSIX matches ASCII values (else everything goes through Swift `Regex`).
    public var usesPOSIX: Bool { posix != nil }

    /// Whether `value` satisfies the pattern. A pattern no engine can compile accepts every
    /// value: Formation skips what it cannot check rather than guess.
    public func matches(_ value: String) -> Bool {
        if let posix, SchemaPattern.isPlainASCII(value) {
            return value.withCString { regexec(posix, $0, 0, nil, 0) == 0 }
        }
        guard let regex else { return true }
        if wholeValue {
            return (try? regex.wholeMatch(in: value)) != nil
        }
        return (try? regex.firstMatch(in: value)) != nil
    }

    /// ASCII without NUL, CR or LF: what the POSIX translation is exact for.
    static func isPlainASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 != 0 && $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
    }

    /// Whether the pattern has a `^` or `$` anchor outside a character class.
    public static func isAnchored(_ pattern: String) -> Bool {
        scan(pattern) { character, _ in character == "^" || character == "$" }
    }

    /// Whether the pattern has a `|` outside groups and classes.
    static func hasTopLevelAlternation(_ pattern: String) -> Bool {
        scan(pattern) { character, depth in character == "|" && depth == 0 }
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
