#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Formation

/// FM4502 and FM4503: a Lambda function on a runtime AWS has deprecated, or on which Lambda
/// blocks creating or updating functions, by the dates cfn-lint's W2531/E2531/E2533 use
/// (`LambdaRuntimeRule.lifecycle`, from the pinned cfn-lint by `make schemas`).
///
/// The findings depend on the date: the rule compares with today (UTC) unless given one.
public struct LambdaRuntimeRule: TemplateRule {
    /// One runtime's lifecycle.
    public struct RuntimeLifecycle: Sendable, Hashable {
        /// When AWS deprecated it (no more security patches), `YYYY-MM-DD`.
        public let deprecated: String?
        /// From when Lambda refuses to create functions with it.
        public let createBlock: String?
        /// From when Lambda refuses to update functions with it.
        public let updateBlock: String?
        /// The runtime AWS suggests instead.
        public let successor: String?
    }

    /// The date the rule compares with (`YYYY-MM-DD`).
    public let today: String

    /// The rule as of today (UTC).
    public init() { today = Self.currentDate() }

    /// The rule as of `today` (`YYYY-MM-DD`), for tests and reproducible runs.
    public init(today: String) { self.today = today }

    public var catalog: [RuleInfo] {
        [
            RuleInfo(ConstructDiagnosticCode.deprecatedRuntime, .warning, "Lambda function on a deprecated runtime",
                     rationale: "a deprecated runtime gets no security patches, and Lambda will soon block creating and then updating it",
                     fix: "move to the successor runtime the message names"),
            RuleInfo(ConstructDiagnosticCode.blockedRuntime, .error, "Lambda function on a runtime Lambda blocks creating or updating",
                     rationale: "the deploy fails: Lambda refuses to create (and later update) functions with it",
                     fix: "move to the successor runtime the message names"),
        ]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"],
                  type == "AWS::Lambda::Function" || type == "AWS::Serverless::Function",
                  case .string(let runtime)? = body["Properties"]?["Runtime"], let life = Self.lifecycle[runtime] else { continue }
            let path = context.path(ofResource: entry.key)
            let instead = life.successor.map { "; move to \($0)" } ?? ""
            if let update = life.updateBlock, update <= today {
                diagnostics.append(.error(ConstructDiagnosticCode.blockedRuntime, path: path, property: "Runtime",
                                          "Runtime: Lambda has refused to create or update functions on \(runtime) since \(update)\(instead)"))
            } else if let create = life.createBlock, create <= today {
                let until = life.updateBlock.map { ", and will refuse updates from \($0)" } ?? ""
                diagnostics.append(.error(ConstructDiagnosticCode.blockedRuntime, path: path, property: "Runtime",
                                          "Runtime: Lambda has refused to create functions on \(runtime) since \(create)\(until)\(instead)"))
            } else if let deprecated = life.deprecated, deprecated <= today {
                let next = life.createBlock.map { "; Lambda refuses to create functions on it from \($0)" } ?? ""
                diagnostics.append(.warning(ConstructDiagnosticCode.deprecatedRuntime, path: path, property: "Runtime",
                                            "Runtime: \(runtime) has been deprecated since \(deprecated)\(next)\(instead)"))
            }
        }
        return diagnostics
    }

    /// Today's date in UTC, `YYYY-MM-DD`.
    static func currentDate() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
    }
}
