import Formation

/// FM4005: an IAM identity granted administrator access — an Allow of every action (`*` or
/// `*:*`) on every resource, or AWS's `AdministratorAccess` managed policy.
public struct AdminAccessRule: TemplateRule {
    public init() {}

    public var catalog: [RuleInfo] {
        [RuleInfo(ConstructDiagnosticCode.adminAccess, .error, "IAM identity with administrator access (`*` on `*`, or AdministratorAccess)",
                  rationale: "whoever uses the identity can do anything in the account, including granting itself more",
                  fix: "grant the actions and resources the workload uses; keep administrator access to people, outside templates")]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"], type.hasPrefix("AWS::IAM::") else { continue }
            let resource = ResourceView(logicalID: entry.key, body: body)
            for (property, document) in LeastPrivilegeRule.policyDocuments(of: resource) {
                for (offset, statement) in PolicyText.statements(document).enumerated() where PolicyText.allows(statement) {
                    let actions = PolicyText.strings(statement["Action"])
                    if actions.contains(where: { $0 == "*" || $0 == "*:*" }), PolicyText.strings(statement["Resource"]).contains("*") {
                        let at = "\(property).Statement[\(offset)]"
                        diagnostics.append(.error(ConstructDiagnosticCode.adminAccess, path: context.path(ofResource: resource.logicalID),
                                                  property: at, "\(at): allows every action on every resource: administrator access"))
                    }
                }
            }
            for (offset, arn) in (resource.properties["ManagedPolicyArns"]?.listValue ?? []).enumerated() where Self.isAdministratorAccess(arn) {
                diagnostics.append(.error(ConstructDiagnosticCode.adminAccess, path: context.path(ofResource: resource.logicalID),
                                          property: "ManagedPolicyArns[\(offset)]",
                                          "ManagedPolicyArns[\(offset)]: AWS's AdministratorAccess policy: administrator access"))
            }
        }
        return diagnostics
    }

    /// `arn:aws:iam::aws:policy/AdministratorAccess`, literally or through `Fn::Sub` (`${AWS::Partition}`).
    static func isAdministratorAccess(_ value: TemplateValue) -> Bool {
        let text: String
        switch value {
        case .string(let literal): text = literal
        case .fn(.sub(let template, _)): text = template
        default: return false
        }
        return text.hasSuffix(":iam::aws:policy/AdministratorAccess")
    }
}

/// FM4006: a role whose trust policy lets anyone assume it — `Principal: "*"` (or `AWS: "*"`) in
/// an Allow with no Condition.
public struct OpenTrustPolicyRule: TemplateRule {
    public init() {}

    public var catalog: [RuleInfo] {
        [RuleInfo(ConstructDiagnosticCode.openTrustPolicy, .error, "role assumable by anyone (`Principal: \"*\"` without a Condition)",
                  rationale: "any AWS account can assume the role and act with its permissions",
                  fix: "name the accounts, roles or services that assume it, or add a Condition (aws:PrincipalOrgID, sts:ExternalId)")]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string("AWS::IAM::Role")? = body["Type"] else { continue }
            let resource = ResourceView(logicalID: entry.key, body: body)
            for (offset, statement) in PolicyText.statements(resource.properties["AssumeRolePolicyDocument"]).enumerated()
            where PolicyText.allows(statement) && PolicyText.principalIsEveryone(statement) && statement["Condition"] == nil {
                let at = "AssumeRolePolicyDocument.Statement[\(offset)]"
                diagnostics.append(.error(ConstructDiagnosticCode.openTrustPolicy, path: context.path(ofResource: resource.logicalID),
                                          property: at + ".Principal",
                                          "\(at).Principal: \"*\" with no Condition lets any AWS account assume the role"))
            }
        }
        return diagnostics
    }
}
