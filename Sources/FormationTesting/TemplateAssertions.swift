import Formation
import FormationTemplate

/// Assertions over a synthesized stack or a template file, for a user's own tests.
///
/// Each assertion reports a failure at the caller's file and line — as a Swift Testing issue
/// inside a `@Test`, as `XCTFail` under XCTest — and returns the ``AssertionResult``.
/// ``check`` has the same assertions without the reporting.
///
/// ```swift
/// @Test func agentSecurityGroupAllowsOnlyHTTPSOut() {
///     let template = TemplateAssertions(app.stack(named: "CustomerServiceAgentStack-dev")!.synthesize())
///     template.resourceCount("AWS::EC2::SecurityGroupEgress", is: 0)
///     template.hasResourceProperties("AWS::EC2::SecurityGroup", [
///         "SecurityGroupEgress": .arrayContainingInAnyOrder([
///             ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443],
///         ]),
///     ])
/// }
/// ```
public struct TemplateAssertions: Sendable {
    /// The same assertions, returning results without reporting them.
    public let check: TemplateCheck

    /// The template under test.
    public var template: Template { check.template }
    /// The stack or file name, used in messages.
    public var name: String { check.name }

    /// Assertions over a synthesized stack (its diagnostics feed ``hasNoErrors(fileID:filePath:line:column:)``).
    public init(_ synthesis: Synthesis) {
        check = TemplateCheck(synthesis.template, name: synthesis.stackName, diagnostics: synthesis.diagnostics)
    }

    /// Assertions over `template`, called `name` in messages.
    public init(_ template: Template, name: String = "the template") {
        check = TemplateCheck(template, name: name)
    }

    /// Assertions over template text, JSON or YAML.
    public init(parsing text: String, name: String = "the template") throws(TemplateError) {
        let document = try TemplateDocument.parse(text, file: name)
        check = TemplateCheck(try Template(document: document), name: name)
    }

    /// Assertions over the template file at `path` (JSON or YAML), called by its path in messages.
    public init(contentsOfFile path: String) throws(TemplateError) {
        guard let text = try FileSystem.read(path) else {
            throw TemplateError.io(path: path, message: "no such file")
        }
        try self.init(parsing: text, name: path)
    }

    /// Asserts that the template has exactly `expected` resources of `type`.
    @discardableResult
    public func resourceCount(
        _ type: String, is expected: Int,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.resourceCount(type, is: expected).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that a resource of `type` (the one named `logicalID`, when given) has properties
    /// matching `properties`; on failure the message shows the closest resource and where it differs.
    @discardableResult
    public func hasResourceProperties(
        _ type: String, _ properties: Match, logicalID: String? = nil,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasResourceProperties(type, properties, logicalID: logicalID)
            .report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that a resource of `type` (the one named `logicalID`, when given) matches
    /// `resource` as a whole, attributes such as `DependsOn` and `DeletionPolicy` included.
    @discardableResult
    public func hasResource(
        _ type: String, _ resource: Match, logicalID: String? = nil,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasResource(type, resource, logicalID: logicalID)
            .report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that there is a resource of `type` and that every one has properties matching `properties`.
    @discardableResult
    public func allResourcesHaveProperties(
        _ type: String, _ properties: Match,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.allResourcesHaveProperties(type, properties)
            .report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that the output `name` exists and its body matches `output`.
    @discardableResult
    public func hasOutput(
        _ name: String, _ output: Match = .anyValue,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasOutput(name, output).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that some output's body matches `output`.
    @discardableResult
    public func hasOutput(
        matching output: Match,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasOutput(matching: output).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that the parameter `name` exists and its body matches `parameter`.
    @discardableResult
    public func hasParameter(
        _ name: String, _ parameter: Match = .anyValue,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasParameter(name, parameter).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that some parameter's body matches `parameter`.
    @discardableResult
    public func hasParameter(
        matching parameter: Match,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasParameter(matching: parameter).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that the whole document matches `pattern`.
    @discardableResult
    public func templateMatches(
        _ pattern: Match,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.templateMatches(pattern).report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// Asserts that synthesis reported no error.
    @discardableResult
    public func hasNoErrors(
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> AssertionResult {
        check.hasNoErrors().report(fileID: fileID, filePath: filePath, line: line, column: column)
    }

    /// The resources of `type` whose properties match `properties` (all of them when nil).
    public func findResources(_ type: String, properties: Match? = nil) -> [ResourceView] {
        check.findResources(type, properties: properties)
    }

    /// The outputs whose bodies match `output` (all of them when nil).
    public func findOutputs(_ output: Match? = nil) -> OrderedMap {
        check.findOutputs(output)
    }

    /// The parameters whose bodies match `parameter` (all of them when nil).
    public func findParameters(_ parameter: Match? = nil) -> OrderedMap {
        check.findParameters(parameter)
    }
}
