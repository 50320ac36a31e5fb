import Formation
import FormationResources

/// An AgentCore runtime running a container image in the caller's VPC, over HTTP.
///
/// Its name is an `AgentCoreName` (gotcha 1); its image comes from an `ImportedRepository`
/// (gotcha 2); its network configuration is always given, so the values `update-agent-runtime`
/// needs (gotcha 7) exist in the template. A literal, empty subnet list is a synthesis error.
public struct AgentRuntime {
    /// The construct node.
    public let node: Construct
    /// The runtime resource.
    public let resource: Resource<BedrockAgentCore.Runtime>

    public init(
        in scope: Construct, _ id: String,
        name: AgentCoreName,
        description: String? = nil,
        image: Value<String>,
        executionRole: Role,
        securityGroup: SecurityGroup,
        subnetIds: Value<[Value<String>]>,
        environment: [String: Value<String>],
        idleTimeoutSeconds: Int,
        maxLifetimeSeconds: Int,
        protocol serverProtocol: BedrockAgentCore.Runtime.ProtocolConfiguration = .http
    ) {
        node = scope.node(id)
        if case .literal(let subnets) = subnetIds, subnets.isEmpty {
            node.stack.report(.error(ConstructDiagnosticCode.emptySubnets, path: node.path + "/Default",
                                     property: "NetworkConfiguration.NetworkModeConfig.Subnets",
                                     "NetworkConfiguration.NetworkModeConfig.Subnets: the subnet list is empty; a runtime in VPC mode needs at least one subnet"))
        }
        resource = node.add("Default", BedrockAgentCore.Runtime(
            agentRuntimeArtifact: .init(containerConfiguration: .init(containerUri: image)),
            agentRuntimeName: name.value,
            roleArn: executionRole.arn,
            description: description.map { .literal($0) },
            environmentVariables: .literal(environment),
            lifecycleConfiguration: .init(idleRuntimeSessionTimeout: .literal(idleTimeoutSeconds), maxLifetime: .literal(maxLifetimeSeconds)),
            networkConfiguration: .init(networkMode: .vpc, networkModeConfig: .init(
                securityGroups: .literal([securityGroup.groupId]), subnets: subnetIds)),
            protocolConfiguration: .literal(serverProtocol)))
    }

    /// The runtime id.
    public var runtimeId: Value<String> { resource.agentRuntimeId }
    /// The runtime ARN.
    public var arn: Value<String> { resource.agentRuntimeArn }
}
