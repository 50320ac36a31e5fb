import Formation

/// FM4242, a row of `PropertyRules`: an HTTPS or TLS listener of an Application or Network Load
/// Balancer whose security policy accepts TLS below 1.2. The protocols of each predefined policy
/// come from `policyProtocols` (generated from the pinned moto's DescribeSSLPolicies table by
/// scripts/refresh-elb-policies.py). A listener without `SslPolicy` gets ELBSecurityPolicy-2016-08:
/// AWS's "Security policies for your Application Load Balancer" page says that is the default for
/// listeners created other than in the console (the CLI, CloudFormation, the CDK). A policy the
/// table does not list, or one given by an intrinsic, is not judged.
enum ListenerTLSRule {
    /// The policy a listener created by CloudFormation without `SslPolicy` gets.
    static let defaultPolicy = "ELBSecurityPolicy-2016-08"

    /// The protocols older than TLS 1.2, in the order a message names them.
    static let weakProtocols = ["SSLv3", "TLSv1", "TLSv1.1"]

    static let info = RuleInfo("FM4242", .warning, "load balancer listener accepts TLS below 1.2",
        rationale: "TLS 1.0 and 1.1 have known weaknesses, browsers no longer offer them and PCI DSS forbids them; an HTTPS or TLS listener created without SslPolicy gets ELBSecurityPolicy-2016-08, which accepts both",
        fix: "set SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06 (or another policy that accepts TLS 1.2 and later only)")

    /// The finding for a listener's properties, if its policy accepts a protocol below TLS 1.2.
    static func findings(_ properties: TemplateValue) -> [PropertyFinding] {
        guard let proto = properties["Protocol"]?.stringValue, proto == "HTTPS" || proto == "TLS" else { return [] }
        let policy = properties["SslPolicy"]
        if RuleSupport.isComputed(policy) { return [] }
        let name = RuleSupport.isSet(policy) ? policy?.stringValue : nil
        if RuleSupport.isSet(policy), name == nil { return [] }
        guard let protocols = policyProtocols[name ?? defaultPolicy] else { return [] }
        let weak = weakProtocols.filter(protocols.contains)
        guard !weak.isEmpty else { return [] }
        let accepted = weak.joined(separator: ", ")
        let message = name.map { "SslPolicy: \(TemplateValue.string($0)) — the \(proto) listener accepts \(accepted)" }
            ?? "SslPolicy: absent — the \(proto) listener gets \(defaultPolicy), which accepts \(accepted)"
        return [PropertyFinding(property: "SslPolicy", message: message)]
    }
}
