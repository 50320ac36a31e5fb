import Formation

/// Formation's security and best-practice rules, for `App(rules:)`. Each rule declares its IDs,
/// default severities, rationale and fix (`TemplateRule.catalog`; the README's rule table); an
/// app turns one off or changes its severity with `App.configureRule`.
///
/// ```swift
/// let app = App(rules: RulePack.rules)
/// app.configureRule("FM4903", .severity(.info))
/// ```
public enum RulePack {
    /// Every rule of the pack.
    public static let rules: [any TemplateRule] = [
        LeastPrivilegeRule(), AdminAccessRule(), OpenTrustPolicyRule(),
        S3BucketRules(), OpenIngressRule(), LambdaRuntimeRule(),
        LogGroupKeyPolicyRule(), EncryptionRules(), S3VersioningRule(), OpenEgressRule(), LoggingRules(),
        LambdaDeadLetterRule(), SecretRules(), DeletionPolicyRule(), PropertyRules(), UserDataSecretRule(), DatabaseTLSRule(),
    ]

    /// Every rule's description, in the order of `rules`.
    public static var catalog: [RuleInfo] { rules.flatMap(\.catalog) }
}
