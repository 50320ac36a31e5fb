import Formation

extension ConstructDiagnosticCode {
    /// A stateful resource that deletion or replacement would destroy with its data.
    public static let statefulWithoutRetain = "FM4260"
}

/// FM4260 (warning): a stateful resource (cfn-lint's list, `StatefulTypes.needingPolicies`) whose
/// DeletionPolicy or UpdateReplacePolicy is not `Retain` or `Snapshot` (or `RetainExceptOnCreate`
/// for deletion) — written or by CloudFormation's default (`Snapshot` for RDS clusters and for RDS
/// instances outside a cluster, `Delete` for everything else, `Delete` for every replacement).
///
/// S3 buckets are left out, as cfn-lint's I3011 leaves them: CloudFormation cannot delete a
/// bucket that holds objects, so the data is not lost by mistake (FM4905 asks a retained bucket
/// for versioning). A warning: deleting a dev stack's log group is often what one wants.
public struct DeletionPolicyRule: TemplateRule {
    public init() {}

    static let rule = RuleInfo(ConstructDiagnosticCode.statefulWithoutRetain, .warning, "stateful resource without DeletionPolicy and UpdateReplacePolicy Retain or Snapshot",
        rationale: "removing the resource from the template, deleting the stack or a replacing update destroys the data with it",
        fix: "set DeletionPolicy and UpdateReplacePolicy to Retain or Snapshot (resource.retainOnDelete() in Swift); Delete on purpose? suppress with the reason")

    public var catalog: [RuleInfo] { [Self.rule] }

    static let keepsOnDelete: Set<String> = ["Retain", "RetainExceptOnCreate", "Snapshot"]
    static let keepsOnReplace: Set<String> = ["Retain", "Snapshot"]

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        RuleSupport.resources(template, StatefulTypes.needingPolicies).compactMap { resource in
            let type = resource.type ?? ""
            let deletion = resource.body["DeletionPolicy"]
            let replace = resource.body["UpdateReplacePolicy"]
            // A policy chosen by Fn::If or a parameter is not guessed.
            if RuleSupport.isComputed(deletion) || RuleSupport.isComputed(replace) { return nil }
            let onDelete = deletion?.stringValue ?? StatefulTypes.defaultDeletionPolicy(type: type, properties: resource.body["Properties"])
            let onReplace = replace?.stringValue ?? "Delete"
            var gaps: [String] = []
            if !Self.keepsOnDelete.contains(onDelete) { gaps.append("DeletionPolicy \(deletion == nil ? "absent (\(onDelete))" : onDelete)") }
            if !Self.keepsOnReplace.contains(onReplace) { gaps.append("UpdateReplacePolicy \(replace == nil ? "absent (Delete)" : onReplace)") }
            guard !gaps.isEmpty else { return nil }
            // The attributes are missing or wrong on the resource itself: the finding points at it.
            return RuleSupport.finding(Self.rule, context, resource,
                                       "\(gaps.joined(separator: ", ")) — deleting or replacing this \(type) destroys its data")
        }
    }
}
