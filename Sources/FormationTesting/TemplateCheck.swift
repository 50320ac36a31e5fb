import Formation
import FormationTemplate

/// The assertions of ``TemplateAssertions`` as pure functions: each returns an
/// ``AssertionResult`` and reports nothing.
///
/// Use it to test what an assertion says, or to combine results before reporting:
///
/// ```swift
/// let result = template.check.resourceCount("AWS::SSM::Parameter", is: 7)
/// #expect(result.passed, "\(result.message)")
/// ```
public struct TemplateCheck: Sendable {
    /// The template under test.
    public let template: Template
    /// The stack or file name, used in messages.
    public let name: String
    /// The synthesis diagnostics (empty for a template read from a file).
    public let diagnostics: [Diagnostic]

    /// Checks over `template`, called `name` in messages.
    public init(_ template: Template, name: String, diagnostics: [Diagnostic] = []) {
        self.template = template
        self.name = name
        self.diagnostics = diagnostics
    }

    // MARK: - Resources

    /// Passes when the template has exactly `expected` resources of `type`.
    public func resourceCount(_ type: String, is expected: Int) -> AssertionResult {
        let found = template.resourceViews.filter { $0.type == type }.map(\.logicalID)
        if found.count == expected { return .pass }
        let noun = expected == 1 ? "resource" : "resources"
        let list = found.isEmpty ? "" : ": " + found.joined(separator: ", ")
        return .fail("expected \(expected) \(type) \(noun) in \(name), found \(found.count)\(list)")
    }

    /// Passes when a resource of `type` (the one named `logicalID`, when given) has properties
    /// matching `properties`; a dictionary pattern is object-like, so other properties may exist.
    /// A resource without a `Properties` section is matched as an empty map.
    public func hasResourceProperties(_ type: String, _ properties: Match, logicalID: String? = nil) -> AssertionResult {
        firstMatching(type, logicalID: logicalID, pattern: properties) { view in
            (.map(view.properties), "Resources." + view.logicalID + ".Properties")
        }
    }

    /// Passes when a resource of `type` (the one named `logicalID`, when given) matches `resource`
    /// as a whole: `Properties`, `DependsOn`, `DeletionPolicy`, `UpdateReplacePolicy`,
    /// `Condition`, `Metadata`, ….
    public func hasResource(_ type: String, _ resource: Match, logicalID: String? = nil) -> AssertionResult {
        firstMatching(type, logicalID: logicalID, pattern: resource) { view in
            (.map(view.body), "Resources." + view.logicalID)
        }
    }

    /// Passes when there is at least one resource of `type` and every one has properties matching
    /// `properties` (no resource of the type is a failure, not a vacuous pass).
    public func allResourcesHaveProperties(_ type: String, _ properties: Match) -> AssertionResult {
        let candidates = template.resourceViews.filter { $0.type == type }
        if candidates.isEmpty {
            Self.record(properties, [])
            return .fail(noResource(type))
        }
        var captured: [CapturedValue] = []
        var failing: [(String, MatchResult)] = []
        for view in candidates {
            let result = properties.evaluate(.map(view.properties), path: "Resources." + view.logicalID + ".Properties")
            if result.isMatch { captured += result.captured } else { failing.append((view.logicalID, result)) }
        }
        if failing.isEmpty {
            Self.record(properties, captured)
            return .pass
        }
        Self.record(properties, [])
        let noun = candidates.count == 1 ? "resource does" : "resources do"
        let header = "\(failing.count) of \(candidates.count) \(type) \(noun) not match: " + failing.map(\.0).joined(separator: ", ")
        return .fail(([header] + failing.flatMap { Self.indented($0.1) }).joined(separator: "\n"))
    }

    /// The resources of `type` whose properties match `properties` (all of them when nil), in
    /// template order.
    public func findResources(_ type: String, properties: Match? = nil) -> [ResourceView] {
        template.resourceViews.filter { view in
            view.type == type && (properties?.evaluate(.map(view.properties)).isMatch ?? true)
        }
    }

    // MARK: - Outputs and parameters

    /// Passes when the output `name` exists and its body (`Value`, `Export`, `Description`,
    /// `Condition`) matches `output`.
    public func hasOutput(_ name: String, _ output: Match = .anyValue) -> AssertionResult {
        named(name, in: "Outputs", kind: "output", pattern: output)
    }

    /// Passes when some output's body matches `output`.
    public func hasOutput(matching output: Match) -> AssertionResult {
        anyNamed(in: "Outputs", kind: "output", pattern: output)
    }

    /// Passes when the parameter `name` exists and its body (`Type`, `Default`, `NoEcho`,
    /// `AllowedPattern`, …) matches `parameter`.
    public func hasParameter(_ name: String, _ parameter: Match = .anyValue) -> AssertionResult {
        named(name, in: "Parameters", kind: "parameter", pattern: parameter)
    }

    /// Passes when some parameter's body matches `parameter`.
    public func hasParameter(matching parameter: Match) -> AssertionResult {
        anyNamed(in: "Parameters", kind: "parameter", pattern: parameter)
    }

    /// The outputs whose bodies match `output` (all of them when nil), in template order.
    public func findOutputs(_ output: Match? = nil) -> OrderedMap {
        OrderedMap(template.outputs.entries.filter { output?.evaluate($0.value).isMatch ?? true }.map { ($0.key, $0.value) })
    }

    /// The parameters whose bodies match `parameter` (all of them when nil), in template order.
    public func findParameters(_ parameter: Match? = nil) -> OrderedMap {
        OrderedMap(template.parameters.entries.filter { parameter?.evaluate($0.value).isMatch ?? true }.map { ($0.key, $0.value) })
    }

    // MARK: - Whole template

    /// Passes when the whole document matches `pattern` (paths start at the section names).
    public func templateMatches(_ pattern: Match) -> AssertionResult {
        let result = pattern.evaluate(template.document)
        Self.record(pattern, result.captured)
        if result.isMatch { return .pass }
        return .fail((["\(name) does not match:"] + Self.indented(result)).joined(separator: "\n"))
    }

    /// Passes when synthesis reported no error (warnings are allowed).
    public func hasNoErrors() -> AssertionResult {
        let errors = diagnostics.errors
        if errors.isEmpty { return .pass }
        let noun = errors.count == 1 ? "error" : "errors"
        return .fail((["\(name) has \(errors.count) synthesis \(noun):"] + errors.map { "  " + $0.description }).joined(separator: "\n"))
    }

    // MARK: - Helpers

    /// Evaluates `pattern` on each candidate resource; passes on the first match, otherwise
    /// fails showing the closest candidate and where it differs.
    private func firstMatching(
        _ type: String, logicalID: String?, pattern: Match,
        subject: (ResourceView) -> (TemplateValue, String)
    ) -> AssertionResult {
        let candidates = template.resourceViews.filter { $0.type == type && (logicalID == nil || $0.logicalID == logicalID) }
        guard !candidates.isEmpty else {
            Self.record(pattern, [])
            if let logicalID {
                if let view = template.resource(logicalID) {
                    return .fail("resource \(logicalID) in \(name) is \(view.type ?? "a resource without a Type"), not \(type)")
                }
                return .fail("no resource \(logicalID) in \(name)")
            }
            return .fail(noResource(type))
        }
        var results: [MatchResult] = []
        for view in candidates {
            let (value, path) = subject(view)
            let result = pattern.evaluate(value, path: path)
            if result.isMatch {
                Self.record(pattern, result.captured)
                return .pass
            }
            results.append(result)
        }
        Self.record(pattern, [])
        let best = Self.closest(results)
        let header: String
        if logicalID != nil {
            header = "resource \(candidates[best].logicalID) (\(type)) does not match:"
        } else if candidates.count == 1 {
            header = "the only \(type), \(candidates[best].logicalID), does not match:"
        } else {
            header = "no \(type) matches (\(candidates.count) candidates); closest is \(candidates[best].logicalID):"
        }
        return .fail(([header] + Self.indented(results[best])).joined(separator: "\n"))
    }

    private func named(_ entryName: String, in section: String, kind: String, pattern: Match) -> AssertionResult {
        let entries = template.section(section)
        guard let body = entries[entryName] else {
            Self.record(pattern, [])
            let present = entries.isEmpty ? "it has no \(kind)s" : "\(kind)s present: " + entries.keys.joined(separator: ", ")
            return .fail("no \(kind) \(entryName) in \(name); \(present)")
        }
        let result = pattern.evaluate(body, path: section + "." + entryName)
        Self.record(pattern, result.captured)
        if result.isMatch { return .pass }
        return .fail((["\(kind) \(entryName) does not match:"] + Self.indented(result)).joined(separator: "\n"))
    }

    private func anyNamed(in section: String, kind: String, pattern: Match) -> AssertionResult {
        let entries = template.section(section)
        guard !entries.isEmpty else {
            Self.record(pattern, [])
            return .fail("no \(kind) in \(name); it has no \(kind)s")
        }
        var results: [MatchResult] = []
        for entry in entries.entries {
            let result = pattern.evaluate(entry.value, path: section + "." + entry.key)
            if result.isMatch {
                Self.record(pattern, result.captured)
                return .pass
            }
            results.append(result)
        }
        Self.record(pattern, [])
        let best = Self.closest(results)
        let header = "no \(kind) matches (\(entries.count) candidates); closest is \(entries.keys[best]):"
        return .fail(([header] + Self.indented(results[best])).joined(separator: "\n"))
    }

    private func noResource(_ type: String) -> String {
        var types: [String] = []
        for view in template.resourceViews {
            let present = view.type ?? "(no Type)"
            if !types.contains(present) { types.append(present) }
        }
        if types.isEmpty { return "no \(type) in \(name); it has no resources" }
        return "no \(type) in \(name); types present: " + types.joined(separator: ", ")
    }

    /// The index of the result with the lowest distance (the first on a tie).
    static func closest(_ results: [MatchResult]) -> Int {
        results.indices.min { results[$0].distance < results[$1].distance } ?? 0
    }

    /// The failures of `result`, each on its own line, indented two spaces.
    static func indented(_ result: MatchResult) -> [String] {
        result.failures.map { "  " + $0.description }
    }

    /// Sets every capture in `pattern` to the values `captured` holds for it (none when the
    /// assertion failed).
    static func record(_ pattern: Match, _ captured: [CapturedValue]) {
        for capture in captures(in: pattern) {
            capture.record(captured.filter { $0.capture === capture }.map(\.value))
        }
    }

    /// The distinct captures a pattern uses, in pattern order.
    static func captures(in pattern: Match) -> [Capture] {
        var found: [Capture] = []
        func visit(_ pattern: Match) {
            switch pattern.kind {
            case .exact, .absent, .anyValue, .regex:
                break
            case .objectLike(let entries), .objectExactly(let entries):
                entries.forEach { visit($0.1) }
            case .arrayExactly(let patterns), .arrayContainingInOrder(let patterns), .arrayContainingInAnyOrder(let patterns):
                patterns.forEach(visit)
            case .serializedJSON(let inner), .not(let inner), .intrinsic(_, let inner):
                visit(inner)
            case .capture(let capture, let inner):
                if !found.contains(where: { $0 === capture }) { found.append(capture) }
                visit(inner)
            }
        }
        visit(pattern)
        return found
    }
}
