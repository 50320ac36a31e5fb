import FormationConstructs

/// `BedrockCacheStack-<env>`: the three-layer Bedrock cost cache (seed: bedrock-3-layer-caching-pipeline).
///
/// One Python 3.12 function in the caller's VPC (hash cache → semantic cache → prompt
/// compression → Bedrock → cache write) backed by an ElastiCache Redis 7.1 replication group,
/// encrypted in transit and at rest, that admits port 6379 from the function's security group
/// only. The function reaches Bedrock over HTTPS through the VPC's `bedrock-runtime` interface
/// endpoint (the AgentCore stack creates it where the VPC lacks one; this stack never duplicates
/// it), and may invoke exactly two models: the generation model and Titan embeddings v2. Errors
/// and p99 duration near the timeout alarm to an email topic.
public enum BedrockCacheStack {
    /// The stack's name for an environment.
    public static func stackName(_ environment: String) -> String { "BedrockCacheStack-\(environment)" }

    /// The function's name for an environment.
    public static func functionName(_ environment: String) -> String { "bedrock-semantic-cache-\(environment)" }

    /// The function's timeout: embedding, a scan of the stored vectors and one generation.
    public static let timeoutSeconds = 30

    /// Adds the stack for `env` to `app`, its function packaged from `code`. Settings the handler
    /// would reject (a similarity threshold outside (0, 1], a non-positive TTL), an empty subnet
    /// list, a bad node type and code that cannot be packaged are synthesis errors.
    @discardableResult
    public static func add(to app: App, _ env: Environment, code: FunctionCode = .semanticCache) -> Stack {
        let stack = app.stack(stackName(env.name),
                              description: "Three-layer Bedrock response cache: Lambda and ElastiCache Redis 7.1 (\(env.name))",
                              environment: env.name, regions: env.regions)
        let functionPath = stack.path + "/CacheFunction/Default"
        guard let packaged = code.package(reportingTo: stack, at: functionPath) else { return stack }

        if !(env.similarityThreshold > 0 && env.similarityThreshold <= 1) {
            stack.report(.error(ConstructDiagnosticCode.invalidSetting, path: functionPath,
                                property: "Environment.Variables.SIMILARITY_THRESHOLD",
                                "Environment.Variables.SIMILARITY_THRESHOLD: environment \(env.name) sets similarityThreshold \(NumberFormatting.shortest(env.similarityThreshold)); a cosine similarity threshold must be greater than 0 and at most 1"))
        }
        if env.cacheTTLSeconds <= 0 {
            stack.report(.error(ConstructDiagnosticCode.invalidSetting, path: functionPath,
                                property: "Environment.Variables.CACHE_TTL_SECONDS",
                                "Environment.Variables.CACHE_TTL_SECONDS: environment \(env.name) sets cacheTTLSeconds \(env.cacheTTLSeconds); a cache lifetime must be a positive number of seconds"))
        }
        if env.subnetIds.isEmpty {
            stack.report(.error(ConstructDiagnosticCode.emptySubnets, path: stack.path + "/Parameters/SubnetIds", property: "SubnetIds",
                                "SubnetIds: environment \(env.name) lists no subnets; the function and the cache need subnets in the VPC"))
        }

        // Network parameters: the template never looks anything up in an account.
        let vpcId = stack.parameter("VpcId", type: .vpcId, description: "The VPC the function and the cache run in", deployValue: env.vpcId)
        let subnetIds = stack.parameter("SubnetIds", type: .subnetIds, description: "Private subnets for the function and the cache",
                                        deployValue: env.subnetIds.joined(separator: ","))
        let vpcCidr = stack.parameter("VpcCidr", type: .string, description: "The VPC's IPv4 CIDR block (HTTPS egress is limited to it)",
                                      allowedPattern: #"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"#,
                                      constraintDescription: "an IPv4 CIDR block such as 10.0.0.0/16", deployValue: env.vpcCidr)
        let alarmEmail = stack.parameter("AlarmEmail", type: .string, description: "Who receives the function's alarms",
                                         allowedPattern: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#,
                                         constraintDescription: "an email address", deployValue: env.alarmEmail)

        let alarms = NotificationTopic(in: stack, "Alarms", displayName: "Bedrock cache alarms (\(env.name))", email: alarmEmail.ref)
        RuleDecisions.plainNotifications(alarms)

        // The function's group: HTTPS to the VPC (Bedrock endpoint) inline; Redis to the cache's
        // group as separate cross-group resources (made by allowConnections below).
        let functionSg = SecurityGroup(in: stack, "FunctionSg", vpcId: vpcId.ref,
                                       description: "Bedrock cache function: HTTPS to the VPC, Redis to the cache")
        functionSg.allowOutbound(to: .cidr(vpcCidr.ref), .tcp(443), description: "HTTPS to the VPC's Bedrock runtime endpoint")

        let cache = RedisCache(in: stack, "Cache", description: "Bedrock response cache (\(env.name))", vpcId: vpcId.ref,
                               subnetIds: subnetIds.ref, nodeType: env.cacheNodeType, engineVersion: "7.1",
                               highAvailability: env.cacheHighAvailability)
        cache.allowConnections(from: functionSg, description: "Redis over TLS from the Bedrock cache function")
        cache.replicationGroup.suppress("FM4260", reason: "a response cache: a lost entry is recomputed from Bedrock on the next miss, costing tokens, not data")

        let function = PythonFunction(
            in: stack, "CacheFunction", functionName: functionName(env.name),
            description: "Hash cache, semantic cache and prompt compression in front of Bedrock (\(env.name))",
            asset: packaged.asset, handler: packaged.handler,
            environment: [
                "REDIS_HOST": cache.host,
                "REDIS_PORT": cache.portAttribute,
                "GENERATION_MODEL_ID": .literal(Models.cacheGeneration),
                "EMBEDDING_MODEL_ID": .literal(Models.titanEmbeddingsV2),
                "SIMILARITY_THRESHOLD": .literal(NumberFormatting.shortest(env.similarityThreshold)),
                "CACHE_TTL_SECONDS": .literal(String(env.cacheTTLSeconds)),
            ],
            memorySize: 512, timeoutSeconds: timeoutSeconds, logRetentionDays: env.logRetentionDays,
            network: .init(securityGroup: functionSg, subnetIds: subnetIds.ref))
        // The Converse API is authorized as bedrock:InvokeModel; exactly the two models.
        function.role.grant(.allow(["bedrock:InvokeModel"],
                                   on: [Models.foundationModelArn(Models.cacheGeneration), Models.foundationModelArn(Models.titanEmbeddingsV2)],
                                   sid: "InvokeGenerationAndEmbeddingModels"))

        RuleDecisions.keepOnlyWhileTheStackLives(function.logGroup)
        function.alarmOnErrors(name: .literal("bedrockSemanticCache-Errors-\(env.name)"), notify: [alarms.arn])
        function.alarmOnDuration(name: .literal("bedrockSemanticCache-DurationP99-\(env.name)"), notify: [alarms.arn])

        stack.output("FunctionName", function.name, description: "aws lambda invoke --function-name")
        stack.output("FunctionArn", function.arn)
        stack.output("RedisHost", cache.host, description: "The replication group's primary endpoint (TLS)")
        stack.output("RedisPort", cache.portAttribute)
        stack.output("AlarmTopicArn", alarms.arn)
        return stack
    }
}
