import Formation

extension ConstructDiagnosticCode {
    /// A security group egress rule allowing all traffic to the whole internet.
    public static let openEgress = "FM4802"
}

/// FM4802 (warning): a security group egress rule written as all traffic (`IpProtocol: -1`) to
/// `0.0.0.0/0` or `::/0`, in `AWS::EC2::SecurityGroup`'s `SecurityGroupEgress` or an
/// `AWS::EC2::SecurityGroupEgress` resource.
///
/// Only rules the template writes are checked. A security group without `SecurityGroupEgress` gets
/// the same rule from EC2 by default; flagging every such group would flag nearly every template,
/// so the rule asks for what reviewers can see and narrow (Formation's `SecurityGroup` construct
/// writes its egress rules out, so its groups never rely on the default).
public struct OpenEgressRule: TemplateRule {
    public init() {}

    static let rule = RuleInfo(ConstructDiagnosticCode.openEgress, .warning, "security group allows all traffic out to the internet",
        rationale: "code running in the group (or an attacker's) can send data anywhere, on any port and protocol",
        fix: "allow the protocols, ports and destinations the workload uses (e.g. tcp 443 to a VPC endpoint's prefix list or security group)")

    public var catalog: [RuleInfo] { [Self.rule] }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in RuleSupport.resources(template, ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"]) {
            let rules: [(String, TemplateValue)] = resource.type == "AWS::EC2::SecurityGroup"
                ? (resource.properties["SecurityGroupEgress"]?.listValue ?? []).enumerated().map { ("SecurityGroupEgress[\($0)]", $1) }
                : [("", .map(resource.properties))]
            for (property, rule) in rules {
                let proto: String? = switch rule["IpProtocol"] {
                case .string(let text)?: text.lowercased()
                case .int(let number)?: String(number)
                default: nil
                }
                guard proto == "-1" || proto == "all",
                      let cidr = [rule["CidrIp"], rule["CidrIpv6"]].compactMap({ $0?.stringValue }).first(where: { $0 == "0.0.0.0/0" || $0 == "::/0" })
                else { continue }
                let prefix = property.isEmpty ? "" : property + ": "
                found.append(RuleSupport.finding(Self.rule, context, resource, property: property.isEmpty ? "IpProtocol" : property,
                                                 "\(prefix)allows all traffic (IpProtocol -1) to \(cidr)"))
            }
        }
        return found
    }
}
