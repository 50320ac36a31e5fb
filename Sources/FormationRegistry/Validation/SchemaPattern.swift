import FormationTemplate
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
/// The common shape `[class]{m,n}` (a few fixed atoms, then one repeated atom) is matched in one
/// pass by `SimplePattern`. Otherwise ASCII values without line breaks (nearly all values in
/// templates) are matched with POSIX `regexec` on a translation of the pattern
/// (`PosixTranslation`); other values, and patterns POSIX cannot express, use Swift `Regex` with
/// Unicode-scalar semantics. Look-around at the
/// ends of a pattern (`^(?=.{2,256}$)…`, `…(?<!\.)$`; POSIX has none, Swift `Regex` has no
/// look-behind) is split into separate conditions.
///
/// Measured in a release build on this project's machine (2 cores), per match, Swift
/// `Regex.wholeMatch` / glibc `regexec` / single pass: `[a-zA-Z][a-zA-Z0-9_]{0,47}` on a
/// 24-character name 1.8 µs / 1.6 µs / 0.12 µs; `^[.\-_/#A-Za-z0-9]{1,512}\Z` on a
/// 56-character log group name 11.5 µs / 36 µs / 0.6 µs; `[\u0009\u000A\u000D\u0020-\u00FF]+`
/// 13.9 µs / 1.2 µs / 0.27 µs; an IAM role ARN pattern (not single-pass) 2.8 µs / 1.4 µs; the ECR
/// image URI pattern 8.4 µs / 1.4 µs.
public final class SchemaPattern: @unchecked Sendable {
    // @unchecked: `compiled` is written once, under `lock`, and never changed after.
    /// The pattern as written in the schema.
    public let source: String
    /// The pattern as applied (anchored when the source has no anchors), for messages.
    public let applied: String
    /// Whether the whole value must match (the source has no anchors and is not `searched`).
    public let wholeValue: Bool
    /// Whether the pattern is searched for as written: it selects map keys (`patternProperties`),
    /// or the schema shows it is no spelling of the whole value.
    public let searched: Bool
    /// The engines, compiled on first match: a schema table names many patterns a template never
    /// exercises, and compiling them all made loading a table the larger part of its first use.
    private var compiled: Parts?
    private let lock = Matcher.makeLock()

    /// The pattern, or the pattern without its look-around, plus the look-around as separate
    /// conditions that must hold (`(?=…)`) or must not (`(?!…)`, `(?<!…)`).
    private struct Parts {
        let main: Matcher
        let conditions: [(matcher: Matcher, mustMatch: Bool)]
    }

    /// Reads `source`; the engines are compiled when first needed. With `searched`, the pattern
    /// is searched for in the value even without anchors, as JSON Schema says: the form for
    /// `patternProperties`, whose unanchored patterns select keys rather than spell them out
    /// (API Gateway's `[a-zA-Z0-9]+` selects `application/json` and
    /// `method.request.querystring.name`, ElastiCache's selects `cluster-enabled`, Macie's `\w`
    /// selects `resourcesAffected.s3Bucket.name`: the keys AWS documents for those maps), and for
    /// a value's pattern the schema shows is no spelling of the whole value
    /// (`PatternAnchoring.appliesAsSearch`: `\S`, or `\{####\}` under a `maxLength` of 140).
    public init(_ source: String, searched: Bool = false) {
        self.source = source
        self.searched = searched
        wholeValue = !searched && !PatternAnchoring.isAnchored(source)
        applied = searched ? source : PatternAnchoring.anchored(source)
    }

    private var parts: Parts {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let compiled { return compiled }
        let built: Parts
        if !wholeValue, let split = SchemaPattern.splitLookaround(source) {
            built = Parts(main: Matcher(split.main, wholeValue: false),
                          conditions: split.conditions.map { (Matcher($0.pattern, wholeValue: false), $0.mustMatch) })
        } else {
            built = Parts(main: Matcher(source, wholeValue: wholeValue), conditions: [])
        }
        compiled = built
        return built
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    private var main: Matcher { parts.main }
    private var conditions: [(matcher: Matcher, mustMatch: Bool)] { parts.conditions }

    /// Whether some engine compiled every part of the pattern (every bundled pattern; a test checks).
    public var isUsable: Bool { main.isUsable && conditions.allSatisfy { $0.matcher.isUsable } }

    /// Whether ASCII values are matched without Swift `Regex` (single pass or POSIX) for every part.
    public var usesPOSIX: Bool {
        ([main] + conditions.map(\.matcher)).allSatisfy { $0.simple != nil || $0.posix != nil }
    }

    /// Whether every part is a single-pass `SimplePattern` (neither regex engine runs).
    public var isSimple: Bool { main.simple != nil && conditions.allSatisfy { $0.matcher.simple != nil } }

    /// The single-pass matcher's answer alone (nil when some part has none), for tests.
    func simpleMatches(_ value: String) -> Bool? {
        guard let first = main.simple?.matches(value) else { return nil }
        var result = first
        for condition in conditions {
            guard let answer = condition.matcher.simple?.matches(value) else { return nil }
            result = result && answer == condition.mustMatch
        }
        return result
    }

    /// Whether `value` satisfies the pattern. A part no engine can compile accepts every value:
    /// Formation skips what it cannot check rather than guess.
    public func matches(_ value: String) -> Bool {
        let parts = parts
        guard parts.main.matches(value) else { return false }
        return parts.conditions.allSatisfy { $0.matcher.matches(value) == $0.mustMatch }
    }

    /// The POSIX engine's answer alone (nil when some part has no POSIX form or the value is not
    /// plain ASCII), for tests that compare the engines.
    func posixMatches(_ value: String) -> Bool? {
        guard let first = main.referenceAnswers(value).posix else { return nil }
        var result = first
        for condition in conditions {
            guard let answer = condition.matcher.referenceAnswers(value).posix else { return nil }
            result = result && answer == condition.mustMatch
        }
        return result
    }

    /// Swift `Regex`'s answer alone (nil when it cannot compile some part).
    func regexMatches(_ value: String) -> Bool? {
        guard let first = main.referenceAnswers(value).regex else { return nil }
        var result = first
        for condition in conditions {
            guard let answer = condition.matcher.referenceAnswers(value).regex else { return nil }
            result = result && answer == condition.mustMatch
        }
        return result
    }

    /// ASCII without NUL, CR or LF: what the POSIX translation is exact for.
    static func isPlainASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 != 0 && $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
    }


    /// Splits look-around that POSIX cannot express into separate anchored conditions:
    /// `^(?=A)B` → `^B` and `^A`; `^(?!A)B` → `^B` and not `^A`; `A(?<!c)$` → `A$` and not `c$`;
    /// `A(?<=c)$` → `A$` and `c$`. Nil when the pattern has no such look-around.
    static func splitLookaround(_ pattern: String) -> (main: String, conditions: [(pattern: String, mustMatch: Bool)])? {
        var scalars = Array(pattern.unicodeScalars)
        var conditions: [(pattern: String, mustMatch: Bool)] = []
        // Leading look-aheads right after ^.
        while scalars.count > 4, scalars[0] == "^", scalars[1] == "(", scalars[2] == "?", scalars[3] == "=" || scalars[3] == "!",
              let close = closingParenthesis(scalars, from: 1) {
            let inner = String(String.UnicodeScalarView(scalars[4..<close]))
            conditions.append(("^" + inner, scalars[3] == "="))
            scalars = ["^"] + Array(scalars[(close + 1)...])
        }
        // A trailing look-behind right before $.
        if scalars.last == "$", let open = openingOfLastGroup(scalars, endingAt: scalars.count - 2),
           scalars.count - open > 5, scalars[open + 1] == "?", scalars[open + 2] == "<",
           scalars[open + 3] == "!" || scalars[open + 3] == "=" {
            let inner = String(String.UnicodeScalarView(scalars[(open + 4)..<(scalars.count - 2)]))
            conditions.append((inner + "$", scalars[open + 3] == "="))
            scalars = Array(scalars[..<open]) + ["$"]
        }
        guard !conditions.isEmpty else { return nil }
        return (String(String.UnicodeScalarView(scalars)), conditions)
    }

    /// The index of the `)` that closes the `(` at `from`, skipping escapes and classes.
    private static func closingParenthesis(_ scalars: [Unicode.Scalar], from: Int) -> Int? {
        var depth = 0
        var index = from
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }

    /// The index of the `(` whose group ends with the `)` at `endingAt`.
    private static func openingOfLastGroup(_ scalars: [Unicode.Scalar], endingAt end: Int) -> Int? {
        guard end >= 0, end < scalars.count, scalars[end] == ")" else { return nil }
        var start = end - 1
        while start >= 0 {
            if scalars[start] == "(", let close = closingParenthesis(scalars, from: start), close == end { return start }
            start -= 1
        }
        return nil
    }
}

/// One compiled regular expression, with both engines.
final class Matcher: @unchecked Sendable {
    // @unchecked: `simple` and `posix` are immutable after init (glibc's regexec takes a lock
    // inside the compiled regex_t, so concurrent matching is safe); the Swift Regex is built on
    // first use under `lock` and immutable after.
    let source: String
    let simple: SimplePattern?
    let posix: UnsafeMutablePointer<regex_t>?
    let wholeValue: Bool
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var regexState: RegexState

    private enum RegexState {
        case notBuilt
        case built(Regex<AnyRegexOutput>?)
    }

    /// Swift `Regex` for what POSIX cannot match; built on first use (about 0.15 ms a pattern,
    /// and most values never need it).
    var regex: Regex<AnyRegexOutput>? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if case .built(let regex) = regexState { return regex }
        let regex = (try? Regex(source))?.matchingSemantics(.unicodeScalar)
        regexState = .built(regex)
        return regex
    }

    /// Compiles `source`. A pattern of the single-pass shape needs neither regex engine (and
    /// glibc's `regcomp` is slow on bounded repetitions such as `{1,512}`), so neither is built.
    convenience init(_ source: String, wholeValue: Bool) {
        self.init(source, wholeValue: wholeValue, simple: SimplePattern(source, wholeValue: wholeValue))
    }

    /// With `simple`, neither regex engine is built; without it, POSIX is compiled now (when the
    /// pattern translates) and Swift `Regex` on first use.
    private init(_ source: String, wholeValue: Bool, simple: SimplePattern?) {
        self.source = source
        self.wholeValue = wholeValue
        self.simple = simple
        lock = Matcher.makeLock()
        guard simple == nil else {
            posix = nil
            regexState = .built(nil)
            return
        }
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
        regexState = .notBuilt
    }

    deinit {
        if let posix {
            regfree(posix)
            posix.deallocate()
        }
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    static func makeLock() -> UnsafeMutablePointer<pthread_mutex_t> {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }

    var isUsable: Bool { simple != nil || posix != nil || regex != nil }

    func matches(_ value: String) -> Bool {
        if let simple { return simple.matches(value) }
        if let answer = posixMatches(value) { return answer }
        return regexMatches(value) ?? true
    }

    func posixMatches(_ value: String) -> Bool? {
        guard let posix, SchemaPattern.isPlainASCII(value) else { return nil }
        return value.withCString { regexec(posix, $0, 0, nil, 0) == 0 }
    }

    func regexMatches(_ value: String) -> Bool? {
        guard let regex else { return nil }
        return wholeValue ? (try? regex.wholeMatch(in: value)) != nil : (try? regex.firstMatch(in: value)) != nil
    }

    /// For tests: each engine's answer, compiling the engines a single-pass pattern skipped.
    func referenceAnswers(_ value: String) -> (posix: Bool?, regex: Bool?) {
        guard simple != nil else { return (posixMatches(value), regexMatches(value)) }
        let full = Matcher(source, wholeValue: wholeValue, simple: nil)
        return (full.posixMatches(value), full.regexMatches(value))
    }
}
