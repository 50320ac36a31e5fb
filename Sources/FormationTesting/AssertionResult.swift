/// The outcome of one assertion: passed, or failed with a message that says where and why.
///
/// ``TemplateCheck`` and ``Snapshots/check(_:format:filePath:)`` return these without reporting
/// anything, so a test can check that an assertion fails and what it says;
/// ``TemplateAssertions`` and ``Snapshots/assertMatches(_:format:fileID:filePath:line:column:)``
/// report failed ones as test failures at the caller.
public struct AssertionResult: Sendable, Hashable, CustomStringConvertible {
    /// Whether the assertion held.
    public let passed: Bool
    /// Why it failed (empty when it passed).
    public let message: String

    /// A passed assertion.
    public static let pass = AssertionResult(passed: true, message: "")

    /// A failed assertion saying `message`.
    public static func fail(_ message: String) -> AssertionResult {
        AssertionResult(passed: false, message: message)
    }

    /// `passed`, or the failure message.
    public var description: String { passed ? "passed" : message }

    /// Reports this result as a test failure at the caller's location when it failed (an issue
    /// in Swift Testing, `XCTFail` under XCTest); returns it unchanged.
    @discardableResult
    public func report(
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        if !passed {
            FailureReporter.record(message, at: CallSite(fileID: fileID, filePath: filePath, line: line, column: column))
        }
        return self
    }
}
