import Formation

/// A name AgentCore accepts for runtimes, memories and memory strategies:
/// `^[a-zA-Z][a-zA-Z0-9_]{0,47}$` — letters, digits and underscores, starting with a letter, at
/// most 48 characters. No hyphens (seed gotcha 1: CloudFormation only says so at deploy time).
///
/// A value of this type cannot hold an invalid name: the only way to make one is `init(_:)`,
/// which throws for anything else, so constructs that take an `AgentCoreName` never see one.
public struct AgentCoreName: Sendable, Hashable, CustomStringConvertible {
    /// The rule, as AgentCore applies it (to the whole name).
    public static let rule = "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
    public static let maximumLength = 48

    /// The validated name.
    public let rawValue: String

    /// Validates `name`; throws `AgentCoreNameError` naming the rule when it does not fit.
    public init(_ name: String) throws(AgentCoreNameError) {
        guard let first = name.unicodeScalars.first else {
            throw AgentCoreNameError(name: name, problem: "it is empty")
        }
        guard Self.isLetter(first) else {
            throw AgentCoreNameError(name: name, problem: "it must start with a letter")
        }
        if let bad = name.unicodeScalars.first(where: { !Self.isLetter($0) && !("0"..."9").contains($0) && $0 != "_" }) {
            let shown = bad == "-" ? "a hyphen" : "\(TemplateValue.string(String(bad)))"
            throw AgentCoreNameError(name: name, problem: "it contains \(shown); only letters, digits and underscores are allowed")
        }
        guard name.unicodeScalars.count <= Self.maximumLength else {
            throw AgentCoreNameError(name: name, problem: "it is \(name.unicodeScalars.count) characters long; at most \(Self.maximumLength) are allowed")
        }
        rawValue = name
    }

    public var description: String { rawValue }

    /// The name as a property value.
    public var value: Value<String> { .literal(rawValue) }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}

/// Why a string is not a valid AgentCore name.
public struct AgentCoreNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rejected name.
    public let name: String
    /// What is wrong with it.
    public let problem: String

    public var description: String {
        "\(TemplateValue.string(name)) is not a valid AgentCore name: \(problem) (rule \(AgentCoreName.rule))"
    }

    /// The same finding as a synthesis diagnostic for `path` and `property`.
    public func diagnostic(path: String, property: String) -> Diagnostic {
        .error(ConstructDiagnosticCode.invalidAgentCoreName, path: path, property: property, "\(property) \(description)")
    }
}
