import FormationTemplate

/// Pulls a value out of a template during an assertion, for further checks.
///
/// ```swift
/// let role = Capture()
/// template.hasResourceProperties("AWS::Lambda::Function", ["Role": .capture(role)])
/// #expect(role.value == .fn(.getAtt("DetectorRole", "Arn")))
/// ```
///
/// Values are recorded when the assertion passes, from the resource (or output, parameter) that
/// matched — the first one in template order. A failed assertion clears the capture.
public final class Capture: @unchecked Sendable {
    private let lock = PThreadLock()
    private var recorded: [TemplateValue] = []

    /// An empty capture.
    public init() {}

    /// Every value recorded by the last assertion that used this capture, in document order
    /// (several when the capture sits in a pattern applied to many list elements).
    public var values: [TemplateValue] {
        lock.withLock { recorded }
    }

    /// The first recorded value, if any.
    public var value: TemplateValue? {
        values.first
    }

    /// The first recorded value, if it is a string.
    public var stringValue: String? {
        value?.stringValue
    }

    /// The first recorded value, if it is a list.
    public var listValue: [TemplateValue]? {
        value?.listValue
    }

    /// The first recorded value, if it is a map.
    public var mapValue: OrderedMap? {
        value?.mapValue
    }

    /// The logical ID the first recorded value refers to, when it is a `Ref` or `Fn::GetAtt`
    /// (to follow a reference to the resource it names).
    public var referencedLogicalID: String? {
        switch value {
        case .fn(.ref(let logicalID))?, .fn(.getAtt(let logicalID, _))?: logicalID
        default: nil
        }
    }

    /// A pattern that matches what `pattern` matches and records the value here.
    public func matching(_ pattern: Match = .anyValue) -> Match {
        .capture(self, pattern)
    }

    /// Replaces the recorded values.
    func record(_ values: [TemplateValue]) {
        lock.withLock { recorded = values }
    }
}
