/// The resource types `FormationResources` ships typed (what this repository's constructs and
/// stacks use). `make codegen` generates `Sources/FormationResources/Generated/` for exactly
/// these; any other registry type is generated into a user's own target on request (the
/// `FormationTypes` build plugin, or `formation-codegen --types`). Add a type here, then run
/// `make codegen`.
public enum BuiltInTypes {
    /// The type names, sorted.
    public static let names: [String] = [
        "AWS::Bedrock::Guardrail",
        "AWS::Bedrock::GuardrailVersion",
        "AWS::BedrockAgentCore::Memory",
        "AWS::BedrockAgentCore::Runtime",
        "AWS::CloudWatch::Alarm",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::VPCEndpoint",
        "AWS::ECR::Repository",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::SubnetGroup",
        "AWS::Events::Rule",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::KMS::Key",
        "AWS::Lambda::Function",
        "AWS::Lambda::Permission",
        "AWS::Logs::LogGroup",
        "AWS::S3::Bucket",
        "AWS::SNS::Subscription",
        "AWS::SNS::Topic",
        "AWS::SSM::Parameter",
        "AWS::SecretsManager::Secret",
        "AWS::StepFunctions::StateMachine",
    ]
}
