import FormationTemplate

/// A pattern a template value is matched against in assertions.
///
/// Every matcher's name says what it does. Swift literals are patterns too: a scalar literal
/// matches that exact value, an array literal matches a list of exactly those elements (each a
/// pattern, in order), and a dictionary literal is ``objectLike(_:)`` — the listed keys must
/// match, other keys are ignored.
///
/// ```swift
/// let egress: Match = .arrayContainingInAnyOrder([
///     ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443],
/// ])
/// let role: Match = ["Role": .getAtt("ExecutionRole", "Arn"), "Runtime": "python3.12"]
/// ```
///
/// Intrinsic functions are understood: ``ref(_:)``, ``getAtt(_:_:)`` and ``fn(_:)`` match them
/// exactly, ``intrinsic(_:_:)`` matches a function's argument with a pattern, and a dictionary
/// pattern written in long form (`["Fn::GetAtt": ["Key", "Arn"]]`) matches the function too.
public struct Match: Sendable {
    indirect enum Kind: Sendable {
        case exact(TemplateValue)
        case objectLike([(String, Match)])
        case objectExactly([(String, Match)])
        case absent
        case anyValue
        case regex(String)
        case arrayExactly([Match])
        case arrayContainingInOrder([Match])
        case arrayContainingInAnyOrder([Match])
        case serializedJSON(Match)
        case not(Match)
        case intrinsic(String, Match)
        case capture(Capture, Match)
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// Matches a value equal to `value`: same kinds, same scalars, lists element by element in
    /// order, maps with the same keys (key order ignored, as CloudFormation ignores it).
    public init(_ value: TemplateValue) {
        self.init(.exact(value))
    }

    /// Matches a value equal to `value` (see ``init(_:)``).
    public static func exact(_ value: TemplateValue) -> Match {
        Match(.exact(value))
    }

    /// Matches JSON `null`.
    public static let null = Match(.exact(.null))

    /// Matches a map (or an intrinsic, seen in long form) that has every listed key with a value
    /// matching its pattern; keys not listed are ignored. A key whose pattern is ``absent``
    /// must not be there.
    public static func objectLike(_ entries: KeyValuePairs<String, Match>) -> Match {
        Match(.objectLike(entries.map { ($0.key, $0.value) }))
    }

    /// Matches a map that has exactly the listed keys, each value matching its pattern.
    public static func objectExactly(_ entries: KeyValuePairs<String, Match>) -> Match {
        Match(.objectExactly(entries.map { ($0.key, $0.value) }))
    }

    /// ``objectLike(_:)`` with entries assembled at run time (a list of key–pattern pairs).
    public static func objectLike(_ entries: [(String, Match)]) -> Match {
        Match(.objectLike(entries))
    }

    /// ``objectExactly(_:)`` with entries assembled at run time (a list of key–pattern pairs).
    public static func objectExactly(_ entries: [(String, Match)]) -> Match {
        Match(.objectExactly(entries))
    }

    /// Matches when there is no value: the key is not in its map (or the index is past the end).
    public static let absent = Match(.absent)

    /// Matches any value that is present and not `null`.
    public static let anyValue = Match(.anyValue)

    /// Matches a string the regular expression `pattern` matches **as a whole**, as AgentCore's
    /// name rules do (`^` and `$` are implied; write `.*x.*` to search). An invalid expression
    /// never matches, and says why.
    public static func stringMatching(_ pattern: String) -> Match {
        Match(.regex(pattern))
    }

    /// Matches a list of exactly as many elements as `patterns`, element `i` matching pattern `i`.
    public static func arrayExactly(_ patterns: [Match]) -> Match {
        Match(.arrayExactly(patterns))
    }

    /// Matches a list that contains elements matching `patterns` **in this order** (an ordered
    /// subsequence: other elements may come before, between and after). This is CDK's
    /// `Match.arrayWith`; use it only where the order is the point, as for guardrail filters.
    public static func arrayContainingInOrder(_ patterns: [Match]) -> Match {
        Match(.arrayContainingInOrder(patterns))
    }

    /// Matches a list that contains, **in any order**, a distinct element for each of `patterns`
    /// (other elements are allowed). Order-insensitive, unlike CDK's `Match.arrayWith`.
    public static func arrayContainingInAnyOrder(_ patterns: [Match]) -> Match {
        Match(.arrayContainingInAnyOrder(patterns))
    }

    /// Matches a string holding JSON (a policy document or state machine definition) whose parsed
    /// value matches `pattern`; also the string of an `Fn::Sub`, whose `${…}` placeholders stay
    /// as text inside the parsed strings.
    public static func serializedJSON(_ pattern: Match) -> Match {
        Match(.serializedJSON(pattern))
    }

    /// Matches whenever `pattern` does not (including when the value is absent, unless `pattern`
    /// is ``absent``).
    public static func not(_ pattern: Match) -> Match {
        Match(.not(pattern))
    }

    /// Matches exactly this intrinsic function: `.fn(.getAtt("Key", "Arn"))`.
    public static func fn(_ intrinsic: Intrinsic) -> Match {
        Match(.exact(.fn(intrinsic)))
    }

    /// Matches `{"Ref": logicalID}`: a reference to that resource or parameter.
    public static func ref(_ logicalID: String) -> Match {
        Match(.exact(.fn(.ref(logicalID))))
    }

    /// Matches `{"Fn::GetAtt": [logicalID, attribute]}`.
    public static func getAtt(_ logicalID: String, _ attribute: String) -> Match {
        Match(.exact(.fn(.getAtt(logicalID, attribute))))
    }

    /// Matches an intrinsic function named `name` (long form: `Fn::Sub`, `Fn::Join`, `Ref`, …)
    /// whose argument matches `argument`: `.intrinsic("Fn::Sub", .stringMatching("arn:.*:log-group:.*"))`.
    public static func intrinsic(_ name: String, _ argument: Match = .anyValue) -> Match {
        Match(.intrinsic(name, argument))
    }

    /// Matches what `pattern` matches and, when the assertion passes, records the value in
    /// `capture` for further checks.
    public static func capture(_ capture: Capture, _ pattern: Match = .anyValue) -> Match {
        Match(.capture(capture, pattern))
    }

    /// Matches `value` against this pattern; paths in failures start at `path`.
    public func evaluate(_ value: TemplateValue?, path: String = "") -> MatchResult {
        Matcher.evaluate(self, value, path: path)
    }
}

extension Match: ExpressibleByStringLiteral {
    /// The exact string.
    public init(stringLiteral value: String) { self.init(.exact(.string(value))) }
}

extension Match: ExpressibleByIntegerLiteral {
    /// The exact integer.
    public init(integerLiteral value: Int64) { self.init(.exact(.int(value))) }
}

extension Match: ExpressibleByFloatLiteral {
    /// The exact double.
    public init(floatLiteral value: Double) { self.init(.exact(.double(value))) }
}

extension Match: ExpressibleByBooleanLiteral {
    /// The exact boolean.
    public init(booleanLiteral value: Bool) { self.init(.exact(.bool(value))) }
}

extension Match: ExpressibleByArrayLiteral {
    /// A list of exactly these elements, in order (``arrayExactly(_:)``).
    public init(arrayLiteral elements: Match...) { self.init(.arrayExactly(elements)) }
}

extension Match: ExpressibleByDictionaryLiteral {
    /// A map with at least these keys (``objectLike(_:)``).
    public init(dictionaryLiteral elements: (String, Match)...) { self.init(.objectLike(elements)) }
}

extension Match: CustomStringConvertible {
    /// The pattern in compact form, as failure messages print it: literal values as JSON,
    /// `{"A": 1, …}` for object-like, `a string wholly matching /re/`, and so on.
    public var description: String {
        switch kind {
        case .exact(let value):
            return value.description
        case .objectLike(let entries):
            let body = entries.map { TemplateValue.string($0.0).description + ": " + $0.1.description }
            return "{" + (body + ["…"]).joined(separator: ", ") + "}"
        case .objectExactly(let entries):
            return "{" + entries.map { TemplateValue.string($0.0).description + ": " + $0.1.description }
                .joined(separator: ", ") + "}"
        case .absent:
            return "no value"
        case .anyValue:
            return "any value"
        case .regex(let pattern):
            return "a string wholly matching /" + pattern + "/"
        case .arrayExactly(let patterns):
            return "[" + patterns.map(\.description).joined(separator: ", ") + "]"
        case .arrayContainingInOrder(let patterns):
            return "a list containing, in this order, [" + patterns.map(\.description).joined(separator: ", ") + "]"
        case .arrayContainingInAnyOrder(let patterns):
            return "a list containing, in any order, [" + patterns.map(\.description).joined(separator: ", ") + "]"
        case .serializedJSON(let pattern):
            return "a JSON string encoding " + pattern.description
        case .not(let pattern):
            return "anything but " + pattern.description
        case .intrinsic(let name, let argument):
            return "{" + TemplateValue.string(name).description + ": " + argument.description + "}"
        case .capture(_, let pattern):
            return pattern.description
        }
    }
}
