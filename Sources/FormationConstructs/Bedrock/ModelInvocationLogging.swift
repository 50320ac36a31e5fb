import Formation
import FormationResources

/// Bedrock model invocation logging to CloudWatch Logs (seed gotcha 3).
///
/// `AWS::Bedrock::ModelInvocationLoggingConfiguration` has no registry schema (CDK has no L1 for
/// it either), so it is a raw resource: synthesis warns FM3000 that it cannot validate it, and its
/// Metadata carries a resource-scoped cfn-lint suppression of E3006 (unknown type) so the lint
/// gate stays meaningful for everything else. The role it uses is trusted by
/// `bedrock.amazonaws.com` and may only create streams and put events in its log group.
public struct ModelInvocationLogging {
    /// The raw resource's type name.
    public static let resourceType = "AWS::Bedrock::ModelInvocationLoggingConfiguration"

    /// The construct node.
    public let node: Construct
    /// The logging role.
    public let role: Role
    /// The logging configuration resource.
    public let resource: Resource<RawResource>

    public init(in scope: Construct, _ id: String, logGroup: Resource<Logs.LogGroup>, logGroupName: Value<String>,
                text: Bool = true, image: Bool = false, embedding: Bool = false) {
        node = scope.node(id)
        role = Role(in: node, "Role", assumedBy: .service("bedrock.amazonaws.com"),
                    description: "Lets Bedrock write model invocation logs",
                    trustConditions: [PolicyCondition("StringEquals", "aws:SourceAccount", [AWS.accountId])])
        role.grantLogWriting(to: logGroup)
        let context = EncodingContext(stackName: node.stack.name)
        let roleArn = role.arn
        let properties: OrderedMap = [
            "LoggingConfig": [
                "CloudWatchConfig": ["LogGroupName": logGroupName.encode(context), "RoleArn": roleArn.encode(context)],
                "TextDataDeliveryEnabled": .bool(text),
                "ImageDataDeliveryEnabled": .bool(image),
                "EmbeddingDataDeliveryEnabled": .bool(embedding),
            ],
        ]
        let tokens = [logGroupName.tokenValue, roleArn.tokenValue].compactMap { $0 }
        resource = node.add("Default", RawResource(type: Self.resourceType, properties: properties, tokens: tokens))
            .metadata("cfn-lint", ["config": ["ignore_checks": ["E3006"]]])
    }
}
