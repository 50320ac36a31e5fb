import Formation

/// The least-privilege rule for IAM policies: no `*` or `service:*` actions, no `NotAction`
/// allows, and `Resource: "*"` only for actions AWS authorizes on no narrower resource.
///
/// Applies to inline role policies, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`; trust
/// policies and KMS key policies (whose `Resource: "*"` means the key itself) are not IAM grants.
public struct LeastPrivilegeRule: TemplateRule {
    /// Actions that AWS does not authorize against a resource ARN, so `Resource: "*"` is the only
    /// way to grant them (each is documented as supporting no resource types).
    public static let actionsRequiringAnyResource: Set<String> = [
        "ecr:GetAuthorizationToken",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeVpcs",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "cloudwatch:PutMetricData",
    ]

    public init() {}

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            // Only IAM types grant policies: the Type is read first, the rest only for them.
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"], type.hasPrefix("AWS::IAM::") else { continue }
            let resource = ResourceView(logicalID: entry.key, body: body)
            for (property, document) in Self.policyDocuments(of: resource) {
                diagnostics += Self.check(document, property: property, path: context.path(ofResource: resource.logicalID))
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

    static func check(_ document: TemplateValue, property: String, path pathOf: @autoclosure () -> String) -> [Diagnostic] {
        let statements: [TemplateValue]
        switch document["Statement"] {
        case .list(let items)?: statements = items
        case let single?: statements = [single]
        case nil: statements = []
        }
        var diagnostics: [Diagnostic] = []
        for (offset, statement) in statements.enumerated() where statement["Effect"] != "Deny" {
            // The path and the statement's property path are made only for a finding.
            var at: String { "\(property).Statement[\(offset)]" }
            var path: String { pathOf() }
            if statement["NotAction"] != nil {
                diagnostics.append(.error(ConstructDiagnosticCode.notActionAllow, path: path, property: at + ".NotAction",
                                          "\(at).NotAction: an Allow with NotAction grants every other action; list the actions instead"))
            }
            let actions = strings(statement["Action"])
            for action in actions where action == "*" || action.hasSuffix(":*") {
                diagnostics.append(.error(ConstructDiagnosticCode.wildcardAction, path: path, property: at + ".Action",
                                          "\(at).Action: \(TemplateValue.string(action)) grants every action\(action == "*" ? "" : " of the service"); least privilege names the actions"))
            }
            let resources = strings(statement["Resource"])
            if resources.contains("*") {
                let broad = actions.filter { !actionsRequiringAnyResource.contains($0) }
                if !broad.isEmpty {
                    diagnostics.append(.error(ConstructDiagnosticCode.wildcardResource, path: path, property: at + ".Resource",
                                              "\(at).Resource: \"*\" for \(broad.joined(separator: ", ")), which AWS authorizes on specific resources; name their ARNs"))
                }
            }
        }
        return diagnostics
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
    public static let invalidAgentCoreName = "FM4101"
    public static let logGroupKeyWithoutLogsGrant = "FM4201"
    public static let duplicateGuardrailFilter = "FM4301"
    public static let duplicateGuardrailEntity = "FM4302"
    public static let emptySubnets = "FM4401"
    public static let invalidSetting = "FM4402"
    public static let functionCode = "FM4501"
    /// An EventBridge schedule expression that is not valid `rate(…)` or `cron(…)`.
    public static let invalidSchedule = "FM4601"
    /// A Step Functions definition that Step Functions would reject.
    public static let invalidStateMachine = "FM4701"
}
