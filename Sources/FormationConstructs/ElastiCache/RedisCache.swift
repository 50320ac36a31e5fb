import Formation
import FormationResources

/// An ElastiCache for Redis replication group in private subnets, encrypted in transit and at
/// rest, behind a security group that admits nobody until told to.
///
/// - Encryption is not optional: `TransitEncryptionEnabled` and `AtRestEncryptionEnabled` are
///   always true (clients connect with TLS).
/// - High availability is one switch: automatic failover, Multi-AZ and two cache clusters
///   (a primary and a replica in another zone) together, or none of them with one cluster — the
///   combinations ElastiCache rejects cannot be written.
/// - Clients are admitted by security group only (``allowConnections(from:description:)``): the
///   rule is a cross-group one, so it becomes a separate `AWS::EC2::SecurityGroupIngress` here and
///   a separate `AWS::EC2::SecurityGroupEgress` on the client's group; the cache's group has no
///   CIDR rule and no outbound rule.
/// - A node type that is not `cache.<family>.<size>` is a synthesis error naming the value.
public struct RedisCache {
    /// The construct node.
    public let node: Construct
    /// The cache's security group.
    public let securityGroup: SecurityGroup
    /// The subnet group over the given subnets.
    public let subnetGroup: Resource<ElastiCache.SubnetGroup>
    /// The replication group.
    public let replicationGroup: Resource<ElastiCache.ReplicationGroup>
    /// The port clients connect to.
    public let port: Int

    /// Whether `nodeType` has the form of a node type: `cache.<family>.<size>` (`cache.t4g.micro`,
    /// `cache.r7g.large`), lowercase letters and digits.
    static func isNodeType(_ nodeType: String) -> Bool {
        let parts = nodeType.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cache", let familyStart = parts[1].first, ("a"..."z").contains(familyStart) else { return false }
        return parts[1...].allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// A replication group under `scope` in `subnetIds` of `vpcId`, of `nodeType` nodes, running
    /// Redis `engineVersion` on `port`; `highAvailability` adds a replica in another zone with
    /// automatic failover and Multi-AZ.
    public init(
        in scope: Construct, _ id: String,
        description: String,
        vpcId: Value<String>,
        subnetIds: Value<[Value<String>]>,
        nodeType: String,
        engineVersion: String = "7.1",
        highAvailability: Bool,
        port: Int = 6379
    ) {
        node = scope.node(id)
        self.port = port
        if !Self.isNodeType(nodeType) {
            node.stack.report(.error(ConstructDiagnosticCode.invalidSetting, path: node.path + "/Default", property: "CacheNodeType",
                                     "CacheNodeType: \(TemplateValue.string(nodeType)) is not a cache node type; node types are written cache.<family>.<size>, as in cache.t4g.micro"))
        }
        securityGroup = SecurityGroup(in: node, "Sg", vpcId: vpcId, description: "\(description): Redis clients by security group only")
        subnetGroup = node.add("Subnets", ElastiCache.SubnetGroup(description: .literal("\(description): private subnets"),
                                                                   subnetIds: subnetIds))
        replicationGroup = node.add("Default", ElastiCache.ReplicationGroup(
            replicationGroupDescription: .literal(description),
            atRestEncryptionEnabled: true,
            automaticFailoverEnabled: .literal(highAvailability),
            cacheNodeType: .literal(nodeType),
            cacheSubnetGroupName: subnetGroup.ref,
            engine: "redis",
            engineVersion: .literal(engineVersion),
            multiAZEnabled: .literal(highAvailability),
            numCacheClusters: .literal(highAvailability ? 2 : 1),
            port: .literal(port),
            securityGroupIds: .literal([securityGroup.groupId]),
            transitEncryptionEnabled: true))
    }

    /// Lets members of `clients` connect: egress from `clients` and ingress here, on the cache
    /// port, as separate cross-group rule resources.
    public func allowConnections(from clients: SecurityGroup, description: String) {
        clients.connect(to: securityGroup, .tcp(port), description: description)
    }

    /// The primary endpoint's host name (`PrimaryEndPoint.Address`).
    public var host: Value<String> { replicationGroup.primaryEndPointAddress }
    /// The primary endpoint's port (`PrimaryEndPoint.Port`), as CloudFormation returns it: a string.
    public var portAttribute: Value<String> { replicationGroup.primaryEndPointPort }
}
