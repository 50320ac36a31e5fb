import Formation
import FormationResources

/// Interface VPC endpoints for the AWS services a workload in private subnets calls (seed gotcha 4).
///
/// A VPC provisioned elsewhere often has these endpoints already, and creating a second one with
/// private DNS fails (`private-dns-enabled cannot be set because there is already a conflicting
/// DNS domain`). So endpoints are created only for the services the caller says are missing — the
/// environment table decides per environment — and none otherwise.
public struct InterfaceEndpoints {
    /// The construct node.
    public let node: Construct
    /// The endpoints created, by service suffix.
    public let endpoints: [(service: String, resource: Resource<EC2.VPCEndpoint>)]

    /// Creates one interface endpoint per entry of `services` (`bedrock-runtime`, `ecr.api`, …).
    public init(in scope: Construct, _ id: String, services: [String], vpcId: Value<String>,
                subnetIds: Value<[Value<String>]>, securityGroup: SecurityGroup) {
        node = scope.node(id)
        var created: [(String, Resource<EC2.VPCEndpoint>)] = []
        for service in services {
            let childID = service.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            let endpoint = node.add(childID, EC2.VPCEndpoint(
                vpcId: vpcId,
                privateDnsEnabled: true,
                securityGroupIds: .literal([securityGroup.groupId]),
                serviceName: "com.amazonaws.\(AWS.region).\(service)",
                subnetIds: subnetIds,
                vpcEndpointType: .literal(.interface)))
            created.append((service, endpoint))
        }
        endpoints = created
    }
}
