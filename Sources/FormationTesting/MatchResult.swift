import FormationTemplate

/// The outcome of matching a value against a ``Match``: empty failures means it matched.
public struct MatchResult: Sendable {
    /// Every place the value differs from the pattern, in document order.
    public let failures: [MatchFailure]
    /// Values recorded by ``Match/capture(_:_:)`` while matching (kept only when it matched).
    let captured: [CapturedValue]

    init(failures: [MatchFailure], captured: [CapturedValue]) {
        self.failures = failures
        self.captured = failures.isEmpty ? captured : []
    }

    /// A successful match with `captured` values.
    static func success(_ captured: [CapturedValue] = []) -> MatchResult {
        MatchResult(failures: [], captured: captured)
    }

    /// A failed match.
    static func failure(_ failures: [MatchFailure]) -> MatchResult {
        MatchResult(failures: failures, captured: [])
    }

    /// Whether the value matched.
    public var isMatch: Bool { failures.isEmpty }

    /// How far from matching: the number of pattern leaves that failed (a missing object counts
    /// each key it was expected to have), so the candidate with the lowest distance is closest.
    public var distance: Int { failures.reduce(0) { $0 + $1.weight } }

    /// The failures, one per line (empty when it matched).
    public var message: String {
        failures.map(\.description).joined(separator: "\n")
    }
}

/// One place where a value differs from its pattern.
public struct MatchFailure: Sendable, Hashable, CustomStringConvertible {
    /// The path to the differing value (`Resources.AgentSg.Properties.SecurityGroupEgress[0].FromPort`).
    public let path: String
    /// What was expected and what was found there.
    public let message: String
    /// How many pattern leaves this failure stands for.
    let weight: Int

    init(path: String, message: String, weight: Int = 1) {
        self.path = path
        self.message = message
        self.weight = max(0, weight)
    }

    /// `path: message` (just the message when the path is empty).
    public var description: String {
        path.isEmpty ? message : path + ": " + message
    }
}

/// A value a capture recorded, before the assertion decides to keep it.
struct CapturedValue: Sendable {
    let capture: Capture
    let value: TemplateValue
}
