import FormationConstructs

/// One deployment environment (dev, stg, prd) and the values every stack takes from it.
///
/// The VPC, subnet and CIDR values are *deploy values*: they fill the stacks' parameters in
/// `formation deploy-args`, never the templates, so one template deploys into any account's VPC.
/// The ones below are examples; replace them with your account's before deploying.
public struct Environment: Sendable {
    /// The environment's name; it flows into AgentCore names, so it must fit their rule.
    public var name: String
    /// The regions the environment's stacks deploy to: every resource type must exist in each
    /// (AgentCore does not exist everywhere), and is validated against each region's schema.
    public var regions: [String] = ["us-east-1"]
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
    /// The semantic cache's cosine similarity threshold: greater than 0, at most 1 (the seed's
    /// default is 0.90; lower catches more paraphrases and risks wrong answers).
    public var similarityThreshold: Double
    /// How long cached answers live, in seconds (positive).
    public var cacheTTLSeconds: Int
    /// The ElastiCache node type (`cache.<family>.<size>`).
    public var cacheNodeType: String
    /// Whether the Redis replication group has a replica in another zone with automatic
    /// failover and Multi-AZ (two cache clusters), or a single cluster.
    public var cacheHighAvailability: Bool = false

    // AMI update stack.
    /// The EKS version whose AMIs are watched (the EKSVersion parameter's default).
    public var eksVersion: String
    /// The EventBridge schedule the detector runs on (the PollingSchedule parameter's default):
    /// 09:00 and 21:00 UTC, as in the seed.
    public var amiPollingSchedule: String = "cron(0 9,21 * * ? *)"
    /// Deploy values of the AMI update stack's parameters (never the GitHub App private key).
    public var amiUpdate: AmiUpdateSettings

    /// dev: its own demo VPC without endpoints, short retention, eager alarms.
    public static let dev = Environment(
        name: "dev", logRetentionDays: 30, createVpcEndpoints: true,
        vpcId: "vpc-0a1b2c3d4e5f60001", subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
        vpcCidr: "10.10.0.0/16", alarmEmail: "agent-alerts-dev@example.com",
        outputTokenAlarmThreshold: 50_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 30,
        similarityThreshold: 0.90, cacheTTLSeconds: 3_600, cacheNodeType: "cache.t4g.micro", eksVersion: "1.34",
        amiUpdate: AmiUpdateSettings(
            notificationEmail: "platform-ami-dev@example.com", gitHubAppId: "1234567", gitHubAppInstallationId: "76543210",
            gitHubRepoOwner: "example-org", gitHubRepoName: "karpenter-configs",
            gitHubFilePath: "karpenter-configs/clusters/dev/nodeclass.yaml", gitHubBranch: "main"))

    /// stg: the shared VPC (endpoints exist already), production-like alarms.
    public static let stg = Environment(
        name: "stg", logRetentionDays: 90, createVpcEndpoints: false,
        vpcId: "vpc-0a1b2c3d4e5f60002", subnetIds: ["subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"],
        vpcCidr: "10.20.0.0/16", alarmEmail: "agent-alerts-stg@example.com",
        outputTokenAlarmThreshold: 50_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 90,
        similarityThreshold: 0.90, cacheTTLSeconds: 21_600, cacheNodeType: "cache.t4g.small", eksVersion: "1.34",
        amiUpdate: AmiUpdateSettings(
            notificationEmail: "platform-ami-stg@example.com", gitHubAppId: "1234567", gitHubAppInstallationId: "76543210",
            gitHubRepoOwner: "example-org", gitHubRepoName: "karpenter-configs",
            gitHubFilePath: "karpenter-configs/clusters/stg/nodeclass.yaml", gitHubBranch: "main"))

    /// prd: the shared VPC, long retention, higher token budget.
    public static let prd = Environment(
        name: "prd", logRetentionDays: 365, createVpcEndpoints: false,
        vpcId: "vpc-0a1b2c3d4e5f60003",
        subnetIds: ["subnet-0a1b2c3d4e5f60031", "subnet-0a1b2c3d4e5f60032", "subnet-0a1b2c3d4e5f60033"],
        vpcCidr: "10.30.0.0/16", alarmEmail: "agent-alerts@example.com",
        outputTokenAlarmThreshold: 150_000, latencyAlarmThresholdMs: 30_000, memoryEventExpiryDays: 365,
        similarityThreshold: 0.92, cacheTTLSeconds: 86_400, cacheNodeType: "cache.r7g.large", cacheHighAvailability: true,
        eksVersion: "1.34",
        amiUpdate: AmiUpdateSettings(
            notificationEmail: "platform-ami@example.com", gitHubAppId: "1234567", gitHubAppInstallationId: "76543210",
            gitHubRepoOwner: "example-org", gitHubRepoName: "karpenter-configs",
            gitHubFilePath: "karpenter-configs/clusters/prd/nodeclass.yaml", gitHubBranch: "main"))

    /// Every environment, in promotion order.
    public static let all: [Environment] = [dev, stg, prd]
}

/// Deploy values for the AMI update stack's parameters in one environment. The GitHub App's
/// private key is not here: it is a NoEcho parameter, filled in at deploy time and never written
/// anywhere by Formation.
public struct AmiUpdateSettings: Sendable {
    /// Who receives the pull request notifications and alarms.
    public var notificationEmail: String
    /// The GitHub App's numeric id.
    public var gitHubAppId: String
    /// The App installation's numeric id on the repository's owner.
    public var gitHubAppInstallationId: String
    /// The owner (user or organization) of the repository holding the Karpenter node class.
    public var gitHubRepoOwner: String
    /// The repository holding the Karpenter node class.
    public var gitHubRepoName: String
    /// The node class file in the repository.
    public var gitHubFilePath: String
    /// The branch pull requests are opened against.
    public var gitHubBranch: String

    /// The values for one environment.
    public init(notificationEmail: String, gitHubAppId: String, gitHubAppInstallationId: String, gitHubRepoOwner: String,
                gitHubRepoName: String, gitHubFilePath: String, gitHubBranch: String = "main") {
        self.notificationEmail = notificationEmail
        self.gitHubAppId = gitHubAppId
        self.gitHubAppInstallationId = gitHubAppInstallationId
        self.gitHubRepoOwner = gitHubRepoOwner
        self.gitHubRepoName = gitHubRepoName
        self.gitHubFilePath = gitHubFilePath
        self.gitHubBranch = gitHubBranch
    }
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
