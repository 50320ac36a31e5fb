import Formation

/// FM4901–FM4903: S3 buckets open to the public or reachable over plain HTTP.
///
/// - FM4901 (error): a bucket policy Allow for everyone (`Principal: "*"`) with no Condition.
/// - FM4902 (warning): a bucket's `PublicAccessBlockConfiguration` that turns a block off
///   (`false`). A bucket without the property gets all four blocks: AWS's default for new buckets
///   since April 2023, so its absence is not a finding.
/// - FM4903 (warning): a bucket no policy of the template restricts to TLS (a Deny on
///   `aws:SecureTransport: false`); a policy names its bucket by `Ref`, or by the same value as
///   the bucket's `BucketName` (Rain's bucket module writes the same `Fn::Sub` in both).
public struct S3BucketRules: TemplateRule {
    public init() {}

    public var catalog: [RuleInfo] {
        [
            RuleInfo(ConstructDiagnosticCode.publicBucketPolicy, .error, "bucket policy allows everyone (`Principal: \"*\"` without a Condition)",
                     rationale: "anyone on the internet can do what the statement allows to the bucket's objects",
                     fix: "name the principals, add a Condition (aws:SourceVpce, aws:PrincipalOrgID), or serve public content through CloudFront with origin access control"),
            RuleInfo(ConstructDiagnosticCode.publicAccessBlockOff, .warning, "bucket turns off an S3 Block Public Access setting",
                     rationale: "the block is what stops a later ACL or policy from making the bucket public by mistake",
                     fix: "set BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets to true (or leave PublicAccessBlockConfiguration out: AWS blocks all four by default)"),
            RuleInfo(ConstructDiagnosticCode.bucketWithoutTLSOnly, .warning, "bucket reachable over plain HTTP (no Deny on aws:SecureTransport false)",
                     rationale: "without the Deny, requests and data can travel unencrypted",
                     fix: "add an AWS::S3::BucketPolicy statement: Effect Deny, Principal \"*\", Action s3:*, Condition Bool aws:SecureTransport \"false\""),
        ]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var buckets: [ResourceView] = []
        /// Logical IDs of buckets a policy of this template restricts to TLS.
        var tlsOnly: Set<String> = []
        /// Bucket names (literal, or an expression such as a `Fn::Sub`) a TLS-only policy names
        /// instead of a `Ref`: such a policy covers the bucket whose `BucketName` is the same value.
        var tlsOnlyNames: [TemplateValue] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"], type.hasPrefix("AWS::S3::") else { continue }
            let resource = ResourceView(logicalID: entry.key, body: body)
            switch type {
            case "AWS::S3::Bucket":
                buckets.append(resource)
                let block = resource.properties["PublicAccessBlockConfiguration"]?.mapValue ?? [:]
                let off = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"].filter {
                    block[$0] == .bool(false) || block[$0] == "false"
                }
                if !off.isEmpty {
                    diagnostics.append(.warning(ConstructDiagnosticCode.publicAccessBlockOff, path: context.path(ofResource: resource.logicalID),
                                                property: "PublicAccessBlockConfiguration",
                                                "PublicAccessBlockConfiguration: \(off.joined(separator: ", ")) \(off.count == 1 ? "is" : "are") false; the bucket can be made public"))
                }
            case "AWS::S3::BucketPolicy":
                let statements = PolicyText.statements(resource.properties["PolicyDocument"])
                for (offset, statement) in statements.enumerated()
                where PolicyText.allows(statement) && PolicyText.principalIsEveryone(statement) && statement["Condition"] == nil {
                    let at = "PolicyDocument.Statement[\(offset)]"
                    diagnostics.append(.error(ConstructDiagnosticCode.publicBucketPolicy, path: context.path(ofResource: resource.logicalID),
                                              property: at + ".Principal",
                                              "\(at).Principal: \"*\" with no Condition allows \(PolicyText.strings(statement["Action"]).joined(separator: ", ")) to anyone"))
                }
                if statements.contains(where: Self.deniesInsecureTransport), let bucket = resource.properties["Bucket"] {
                    if case .fn(.ref(let logicalID)) = bucket { tlsOnly.insert(logicalID) } else { tlsOnlyNames.append(bucket) }
                }
            default:
                break
            }
        }
        for bucket in buckets where !tlsOnly.contains(bucket.logicalID) {
            if let name = bucket.properties["BucketName"], tlsOnlyNames.contains(name) { continue }
            diagnostics.append(.warning(ConstructDiagnosticCode.bucketWithoutTLSOnly, path: context.path(ofResource: bucket.logicalID),
                                        "no bucket policy of the template denies requests without TLS (aws:SecureTransport false)"))
        }
        return diagnostics
    }

    /// `Effect: Deny` with `Condition: {Bool: {aws:SecureTransport: false}}` (the key in any case).
    static func deniesInsecureTransport(_ statement: TemplateValue) -> Bool {
        guard statement["Effect"] == "Deny", let tests = statement["Condition"]?["Bool"]?.mapValue else { return false }
        return tests.entries.contains { entry in
            entry.key.lowercased() == "aws:securetransport" && PolicyText.values(entry.value).contains { $0 == .bool(false) || $0 == "false" }
        }
    }
}
