import Formation
import FormationResources

/// A port or port range of a security group rule.
public struct Port: Sendable, Hashable {
    /// The IP protocol (`tcp`, `udp`, `icmp`, `-1`).
    public let ipProtocol: String
    public let from: Int
    public let to: Int

    /// One TCP port.
    public static func tcp(_ port: Int) -> Port { Port(ipProtocol: "tcp", from: port, to: port) }
    /// A TCP port range.
    public static func tcpRange(_ from: Int, _ to: Int) -> Port { Port(ipProtocol: "tcp", from: from, to: to) }
    /// One UDP port.
    public static func udp(_ port: Int) -> Port { Port(ipProtocol: "udp", from: port, to: port) }
    /// Every protocol and port.
    public static let allTraffic = Port(ipProtocol: "-1", from: -1, to: -1)

    /// A readable id fragment: `Tcp443`, `Tcp1024to2048`, `All`.
    var idFragment: String {
        if ipProtocol == "-1" { return "All" }
        let name = ipProtocol.prefix(1).uppercased() + ipProtocol.dropFirst()
        return from == to ? "\(name)\(from)" : "\(name)\(from)to\(to)"
    }
}

/// Where a rule's traffic goes to or comes from.
public enum Peer {
    /// An IPv4 CIDR block (a literal or a parameter such as the VPC CIDR).
    case cidr(Value<String>)
    /// Another security group of this app.
    case securityGroup(SecurityGroup)
}

/// A security group that allows no outbound traffic unless told to (CDK's `allowAllOutbound:
/// false`), with the rule layout CloudFormation expects (seed gotcha 6):
///
/// - rules to or from a **CIDR** are written inline, in the group's `SecurityGroupEgress` /
///   `SecurityGroupIngress`; no separate resource is created for them;
/// - rules whose peer is **another security group** become separate
///   `AWS::EC2::SecurityGroupEgress` / `AWS::EC2::SecurityGroupIngress` resources (inline
///   cross-group rules make cycles when two groups refer to each other);
/// - a group with no outbound rule at all gets CDK's "disallow all" placeholder rule, because
///   CloudFormation adds an allow-all egress rule to a group whose egress list is empty.
public struct SecurityGroup {
    /// The construct node.
    public let node: Construct
    /// The security group resource.
    public let resource: Resource<EC2.SecurityGroup>
    private let rules: Rules

    final class Rules {
        var egress: [EC2.SecurityGroup.Egress] = []
        var ingress: [EC2.SecurityGroup.Ingress] = []
        var separateEgress = 0
    }

    public init(in scope: Construct, _ id: String, vpcId: Value<String>, description: String, allowAllOutbound: Bool = false) {
        node = scope.node(id)
        resource = node.add("Default", EC2.SecurityGroup(groupDescription: .literal(description), vpcId: vpcId))
        let rules = Rules()
        self.rules = rules
        if allowAllOutbound {
            rules.egress.append(EC2.SecurityGroup.Egress(ipProtocol: "-1", cidrIp: "0.0.0.0/0", description: "Allow all outbound traffic"))
        }
        let group = resource
        node.onPrepare {
            var egress = rules.egress
            if egress.isEmpty {
                egress = [SecurityGroup.disallowAll]
            }
            group.properties.securityGroupEgress = .literal(egress)
            group.properties.securityGroupIngress = rules.ingress.isEmpty ? nil : .literal(rules.ingress)
        }
    }

    /// CDK's placeholder that matches no traffic: keeps CloudFormation from adding allow-all egress.
    static let disallowAll = EC2.SecurityGroup.Egress(
        ipProtocol: "icmp", cidrIp: "255.255.255.255/32", description: "Disallow all traffic", fromPort: 252, toPort: 86)

    /// The group's id (`Fn::GetAtt GroupId`).
    public var groupId: Value<String> { resource.groupId }

    /// Allows outbound traffic to `peer` on `port`.
    public func allowOutbound(to peer: Peer, _ port: Port, description: String) {
        switch peer {
        case .cidr(let block):
            rules.egress.append(EC2.SecurityGroup.Egress(
                ipProtocol: .literal(port.ipProtocol), cidrIp: block, description: .literal(description),
                fromPort: .literal(port.from), toPort: .literal(port.to)))
        case .securityGroup(let other):
            node.add("EgressTo\(other.resource.logicalID)\(port.idFragment)", EC2.SecurityGroupEgress(
                groupId: groupId, ipProtocol: .literal(port.ipProtocol), description: .literal(description),
                destinationSecurityGroupId: other.groupId, fromPort: .literal(port.from), toPort: .literal(port.to)))
            rules.separateEgress += 1
        }
    }

    /// Allows inbound traffic from `peer` on `port`.
    public func allowInbound(from peer: Peer, _ port: Port, description: String) {
        switch peer {
        case .cidr(let block):
            rules.ingress.append(EC2.SecurityGroup.Ingress(
                ipProtocol: .literal(port.ipProtocol), cidrIp: block, description: .literal(description),
                fromPort: .literal(port.from), toPort: .literal(port.to)))
        case .securityGroup(let other):
            node.add("IngressFrom\(other.resource.logicalID)\(port.idFragment)", EC2.SecurityGroupIngress(
                ipProtocol: .literal(port.ipProtocol), description: .literal(description), fromPort: .literal(port.from),
                groupId: groupId, sourceSecurityGroupId: other.groupId, toPort: .literal(port.to)))
        }
    }

    /// Lets this group's members reach `other`'s members on `port`: egress here, ingress there,
    /// both as separate resources.
    public func connect(to other: SecurityGroup, _ port: Port, description: String) {
        allowOutbound(to: .securityGroup(other), port, description: description)
        other.allowInbound(from: .securityGroup(self), port, description: description)
    }
}
