import Formation

extension ConstructDiagnosticCode {
    /// A bucket kept on delete or replacement (Retain) without versioning.
    public static let retainedBucketWithoutVersioning = "FM4905"
}

/// FM4905 (warning): a bucket whose DeletionPolicy or UpdateReplacePolicy is `Retain` (its data is
/// meant to outlive the stack) without `VersioningConfiguration: {Status: Enabled}`: an overwrite
/// or a delete still loses the object.
///
/// There is no rule for S3 encryption: since 2023-01-05 S3 encrypts every new object (SSE-S3 at
/// least) whatever the template says, and no template can turn it off; a bucket without
/// `BucketEncryption` is encrypted (checkov 3.3.30's CKV_AWS_19 passes it too). Choosing SSE-KMS
/// is a key-management requirement, like the customer-managed keys docs/checkov.md discusses.
public struct S3VersioningRule: TemplateRule {
    public init() {}

    static let versioning = RuleInfo(ConstructDiagnosticCode.retainedBucketWithoutVersioning, .warning, "bucket kept on delete (Retain) without versioning",
        rationale: "Retain says the data matters, but without versioning an overwrite or delete of an object cannot be undone",
        fix: "set VersioningConfiguration: {Status: Enabled} (with a lifecycle rule expiring noncurrent versions)")

    public var catalog: [RuleInfo] { [Self.versioning] }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for bucket in RuleSupport.resources(template, ["AWS::S3::Bucket"]) {
            let properties = bucket.properties
            let retained = ["DeletionPolicy", "UpdateReplacePolicy"].filter { bucket.body[$0]?.stringValue?.hasPrefix("Retain") ?? false }
            let status = properties["VersioningConfiguration"]?["Status"]
            if let policy = retained.first, status != "Enabled", !RuleSupport.isComputed(status) {
                found.append(RuleSupport.finding(Self.versioning, context, bucket, property: "VersioningConfiguration",
                                                 "VersioningConfiguration.Status: \(status.map { $0.description } ?? "absent") — the bucket is kept (\(policy): \(bucket.body[policy]?.stringValue ?? "")) but an overwritten or deleted object is gone"))
            }
        }
        return found
    }
}
