import Formation

extension ConstructDiagnosticCode {
    /// A bucket relying on S3's default encryption (SSE-S3) instead of declaring one.
    public static let bucketDefaultEncryption = "FM4904"
    /// A bucket kept on delete or replacement (Retain) without versioning.
    public static let retainedBucketWithoutVersioning = "FM4905"
}

/// FM4904 and FM4905: what a bucket keeps.
///
/// - FM4904 (info): a bucket without `BucketEncryption`. Since 2023-01-05 S3 encrypts every new
///   object with SSE-S3 whatever the bucket says, so this is not unencrypted data: only the key is
///   S3's own, with no key policy and no CloudTrail record of its use. Info, not a warning.
/// - FM4905 (warning): a bucket whose DeletionPolicy or UpdateReplacePolicy is `Retain` (its data
///   is meant to outlive the stack) without `VersioningConfiguration: {Status: Enabled}`: an
///   overwrite or a delete still loses the object.
public struct S3DataRules: TemplateRule {
    public init() {}

    static let encryption = RuleInfo(ConstructDiagnosticCode.bucketDefaultEncryption, .info, "bucket declares no encryption (S3 applies SSE-S3)",
        rationale: "objects are encrypted (S3's default since 2023-01-05), but with S3's key: no key policy, no CloudTrail record of its use",
        fix: "declare BucketEncryption with SSE-KMS (aws:kms and a KMSMasterKeyID, BucketKeyEnabled: true) where you need control of the key; SSE-S3 otherwise is fine")
    static let versioning = RuleInfo(ConstructDiagnosticCode.retainedBucketWithoutVersioning, .warning, "bucket kept on delete (Retain) without versioning",
        rationale: "Retain says the data matters, but without versioning an overwrite or delete of an object cannot be undone",
        fix: "set VersioningConfiguration: {Status: Enabled} (with a lifecycle rule expiring noncurrent versions)")

    public var catalog: [RuleInfo] { [Self.encryption, Self.versioning] }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for bucket in RuleSupport.resources(template, ["AWS::S3::Bucket"]) {
            let properties = bucket.properties
            if properties["BucketEncryption"] == nil {
                found.append(RuleSupport.finding(Self.encryption, context, bucket, property: "BucketEncryption",
                                                 "BucketEncryption: absent — objects get S3's default SSE-S3 encryption with a key S3 owns"))
            }
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
