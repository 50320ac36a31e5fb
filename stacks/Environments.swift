import FormationConstructs

/// One deployment environment (dev, stg, prd) and the values every stack takes from it.
///
/// The VPC, subnet and CIDR values are *deploy values*: they fill the stacks' parameters in
/// `formation deploy-args`, never the templates, so one template deploys into any account's VPC.
/// The ones below are examples; replace them with your account's before deploying.
public struct Environment: Sendable {
    /// The environment's name; it flows into AgentCore names, so it must fit their rule.
    public var name: String
    /// Log retention for every log group, in days.
    public var logRetentionDays: Int
    /// Whether the VPC lacks interface endpoints for Bedrock, ECR and CloudWatch Logs, so the
    /// AgentCore stack must create them (seed gotcha 4: never duplicate existing ones).
    public var createVpcEndpoints: Bool

    // Deploy values for the network parameters.
    public var vpcId: String
    public var subnetIds: [String]
    public var vpcCidr: String
    public var alarmEmail: String

    // AgentCore stack.
    public var outputTokenAlarmThreshold: Double
    public var latencyAlarmThresholdMs: Double
    public var memoryEventExpiryDays: Int

    // Caching stack.
    public var similarityThreshold: Double
    public var cacheTTLSeconds: Int
    public var cacheNodeType: String

    // AMI update stack.
    public var eksVersion: String

    /// dev: its own demo VPC without endpoints, short retention, eager alarms.
    public static let dev = Environment(
        name: "dev", logRetentionDays: 30, createVpcEndpoints: true,
        vpcId: "vpc-0a1b2c3d4e5f60001", subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
        vpcCidr: "10.10.0.0/16", alarmEmail: "agent-alerts-dev@example.com",
        outputTokenAlarmThreshold: 50_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 30,
        similarityThreshold: 0.90, cacheTTLSeconds: 3_600, cacheNodeType: "cache.t4g.micro", eksVersion: "1.34")

    /// stg: the shared VPC (endpoints exist already), production-like alarms.
    public static let stg = Environment(
        name: "stg", logRetentionDays: 90, createVpcEndpoints: false,
        vpcId: "vpc-0a1b2c3d4e5f60002", subnetIds: ["subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"],
        vpcCidr: "10.20.0.0/16", alarmEmail: "agent-alerts-stg@example.com",
        outputTokenAlarmThreshold: 50_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 90,
        similarityThreshold: 0.90, cacheTTLSeconds: 21_600, cacheNodeType: "cache.t4g.small", eksVersion: "1.34")

    /// prd: the shared VPC, long retention, higher token budget.
    public static let prd = Environment(
        name: "prd", logRetentionDays: 365, createVpcEndpoints: false,
        vpcId: "vpc-0a1b2c3d4e5f60003",
        subnetIds: ["subnet-0a1b2c3d4e5f60031", "subnet-0a1b2c3d4e5f60032", "subnet-0a1b2c3d4e5f60033"],
        vpcCidr: "10.30.0.0/16", alarmEmail: "agent-alerts@example.com",
        outputTokenAlarmThreshold: 150_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 365,
        similarityThreshold: 0.92, cacheTTLSeconds: 86_400, cacheNodeType: "cache.r7g.large", eksVersion: "1.34")

    /// Every environment, in promotion order.
    public static let all: [Environment] = [dev, stg, prd]
}

/// Settings shared by every environment.
public enum Models {
    /// The main conversation model (seed part 3/6).
    public static let primary = "anthropic.claude-sonnet-4-6-20251001-v1:0"
    /// The cheap background model for classification and summaries.
    public static let background = "amazon.nova-pro-v1:0"
    /// The caching stack's generation model (seed: Nova Micro).
    public static let cacheGeneration = "amazon.nova-micro-v1:0"
    /// Titan text embeddings v2, for the semantic cache.
    public static let titanEmbeddingsV2 = "amazon.titan-embed-text-v2:0"
    /// The AMI analyzer's model (seed: Claude 3.5 Haiku).
    public static let amiAnalysis = "anthropic.claude-3-5-haiku-20241022-v1:0"

    /// The ARN of a foundation model in the stack's region.
    public static func foundationModelArn(_ modelId: String) -> Value<String> {
        "arn:\(AWS.partition):bedrock:\(AWS.region)::foundation-model/\(modelId)"
    }
}
