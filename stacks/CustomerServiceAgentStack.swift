import FormationConstructs

/// `CustomerServiceAgentStack-<env>`: the AgentCore customer service agent (seed parts 2, 3, 5, 6).
///
/// KMS-encrypted runtime logs, model invocation logging, cost alarms to an email topic, a guardrail
/// with ordered filters, AgentCore memory with three strategies, the runtime in the caller's VPC
/// with a least-privilege execution role and an HTTPS-only security group, and the seven SSM
/// parameters plus outputs a CI/CD pipeline needs to update the runtime.
public enum CustomerServiceAgentStack {
    /// The SSM path prefix for an environment: `/customerServiceAgent/<env>/`.
    public static func parameterPrefix(_ environment: String) -> String { "/customerServiceAgent/\(environment)/" }

    /// The SSM parameter names, in order.
    public static let parameterSuffixes = [
        "runtime-id", "runtime-arn", "memory-id", "guardrail-id", "guardrail-version", "execution-role-arn", "security-group-id",
    ]

    /// The stack's name for an environment.
    public static func stackName(_ environment: String) -> String { "CustomerServiceAgentStack-\(environment)" }

    /// Adds the stack for `env` to `app`. Invalid settings (an environment name that cannot be
    /// part of an AgentCore name, an empty subnet list) are reported as synthesis errors.
    @discardableResult
    public static func add(to app: App, _ env: Environment) -> Stack {
        let stack = app.stack(stackName(env.name),
                              description: "Customer service agent on Bedrock AgentCore (\(env.name))",
                              environment: env.name, regions: env.regions)
        let names: (runtime: AgentCoreName, memory: AgentCoreName, strategies: [AgentCoreName])
        do {
            names = (try AgentCoreName("customerServiceAgent_\(env.name)"),
                     try AgentCoreName("customerServiceAgentMemory_\(env.name)"),
                     [try AgentCoreName("customerFacts_\(env.name)"), try AgentCoreName("sessionSummaries_\(env.name)"),
                      try AgentCoreName("userPreferences_\(env.name)")])
        } catch {
            stack.report(.error(ConstructDiagnosticCode.invalidAgentCoreName, path: stack.path, property: "environment",
                                "environment \(TemplateValue.string(env.name)) cannot be used in AgentCore names: \(error)"))
            return stack
        }
        if env.subnetIds.isEmpty {
            stack.report(.error(ConstructDiagnosticCode.emptySubnets, path: stack.path + "/Parameters/SubnetIds", property: "SubnetIds",
                                "SubnetIds: environment \(env.name) lists no subnets; the runtime needs at least one subnet in the VPC"))
        }

        // Network parameters: the template never looks anything up in an account.
        let vpcId = stack.parameter("VpcId", type: .vpcId, description: "The VPC the runtime runs in", deployValue: env.vpcId)
        let subnetIds = stack.parameter("SubnetIds", type: .subnetIds, description: "Private subnets for the runtime",
                                        deployValue: env.subnetIds.joined(separator: ","))
        let vpcCidr = stack.parameter("VpcCidr", type: .string, description: "The VPC's IPv4 CIDR block (HTTPS egress is limited to it)",
                                      allowedPattern: #"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"#,
                                      constraintDescription: "an IPv4 CIDR block such as 10.0.0.0/16", deployValue: env.vpcCidr)
        let alarmEmail = stack.parameter("AlarmEmail", type: .string, description: "Who receives the cost and latency alarms",
                                         allowedPattern: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#,
                                         constraintDescription: "an email address", deployValue: env.alarmEmail)

        // Logs: runtime logs and model invocation logs (every prompt and answer, so customers'
        // words) encrypted with a customer-managed key (gotcha 5).
        let key = EncryptionKey(in: stack, "LogKey", description: "Encrypts the customer service agent's runtime and model invocation logs (\(env.name))")
        let runtimeLogs = LogGroup.add(in: stack, "RuntimeLogs", name: .literal("/aws/bedrock-agentcore/runtimes/\(names.runtime)"),
                                       retentionDays: env.logRetentionDays, encryptionKey: key)
        let invocationLogName = "/aws/bedrock/model-invocations/\(names.runtime)"
        let invocationLogs = LogGroup.add(in: stack, "InvocationLogs", name: .literal(invocationLogName),
                                          retentionDays: env.logRetentionDays, encryptionKey: key)
        RuleDecisions.keepOnlyWhileTheStackLives(runtimeLogs)
        RuleDecisions.keepOnlyWhileTheStackLives(invocationLogs)
        _ = ModelInvocationLogging(in: stack, "ModelInvocationLogging", logGroup: invocationLogs, logGroupName: invocationLogs.ref)

        // Cost and latency alarms (seed part 6).
        let alerts = NotificationTopic(in: stack, "Alerts", displayName: "Customer service agent alarms (\(env.name))", email: alarmEmail.ref)
        RuleDecisions.plainNotifications(alerts)
        MetricAlarm.add(in: stack, "OutputTokenAlarm", name: .literal("customerServiceAgent-OutputTokenCount-\(env.name)"),
                        description: "Output tokens per 5 minutes above budget: a stuck agent loop costs money",
                        metric: Metric(namespace: "AWS/Bedrock", name: "OutputTokenCount",
                                       dimensions: [("ModelId", .literal(Models.primary))], aggregation: .sum, period: 300),
                        threshold: env.outputTokenAlarmThreshold, evaluationPeriods: 2, comparison: .greaterThanThreshold,
                        treatMissingData: .notBreaching, notify: [alerts.arn])
        MetricAlarm.add(in: stack, "LatencyAlarm", name: .literal("customerServiceAgent-InvocationLatencyP99-\(env.name)"),
                        description: "p99 invocation latency above 30 s: tool timeouts or a model iterating",
                        metric: Metric(namespace: "AWS/Bedrock", name: "InvocationLatency",
                                       dimensions: [("ModelId", .literal(Models.primary))], aggregation: .p99, period: 300),
                        threshold: env.latencyAlarmThresholdMs, evaluationPeriods: 3, comparison: .greaterThanThreshold,
                        treatMissingData: .notBreaching, notify: [alerts.arn])

        // Guardrail: filters in the order reviewers read and tests assert (gotcha 9).
        let guardrail = Guardrail(
            in: stack, "Guardrail", name: .literal("customerServiceAgentGuardrail-\(env.name)"),
            description: "Content and PII filters for the customer service agent",
            filters: [
                .init(.promptAttack, input: .high, output: .noneValue),
                .init(.hate, input: .high, output: .high),
                .init(.insults, input: .high, output: .high),
                .init(.sexual, input: .high, output: .high),
                .init(.violence, input: .high, output: .high),
            ],
            piiRules: [
                .init(.email, .anonymize), .init(.phone, .anonymize), .init(.address, .anonymize),
                .init(.creditDebitCardNumber, .block), .init(.usSocialSecurityNumber, .block), .init(.password, .block),
            ],
            blockedInputMessage: "Sorry, I can't help with that request.",
            blockedOutputMessage: "Sorry, I can't share that response.")

        // Memory with three strategies (seed part 3).
        let memory = AgentMemory(
            in: stack, "Memory", name: names.memory, description: "Customer facts, session summaries and preferences",
            eventExpiryDays: env.memoryEventExpiryDays,
            strategies: [
                .init(.semantic, name: names.strategies[0], description: "Facts about the customer", namespaces: ["/customers/{actorId}/facts"]),
                .init(.summary, name: names.strategies[1], description: "Compressed session history",
                      namespaces: ["/customers/{actorId}/sessions/{sessionId}"]),
                .init(.userPreference, name: names.strategies[2], description: "How the customer likes to be answered",
                      namespaces: ["/customers/{actorId}/preferences"]),
            ])

        // The image repository exists before the stack (gotcha 2): imported, never created.
        let repository = ImportedRepository(name: "customerserviceagent/runtime-\(env.name)")

        // Execution role: least privilege, no `*` actions.
        let role = Role(in: stack, "ExecutionRole", assumedBy: .service("bedrock-agentcore.amazonaws.com"),
                        roleName: .literal("customerServiceAgentExecutionRole-\(env.name)"),
                        description: "Assumed by the AgentCore runtime: pull its image, call its models, write its logs, use its memory",
                        trustConditions: [PolicyCondition("StringEquals", "aws:SourceAccount", [AWS.accountId])])
        role.grant(contentsOf: repository.pullStatements)
        role.grant(
            .allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                   on: [Models.foundationModelArn(Models.primary), Models.foundationModelArn(Models.background)], sid: "InvokeModels"),
            .allow(["bedrock:ApplyGuardrail"], on: [guardrail.arn], sid: "ApplyGuardrail"),
            .allow(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], on: [runtimeLogs.arn], sid: "WriteRuntimeLogs"),
            .allow(["bedrock-agentcore:CreateEvent", "bedrock-agentcore:GetEvent", "bedrock-agentcore:ListEvents",
                    "bedrock-agentcore:RetrieveMemoryRecords", "bedrock-agentcore:ListMemoryRecords", "bedrock-agentcore:GetMemoryRecord"],
                   on: [memory.arn], sid: "UseMemory"),
            PolicyStatement(sid: "PublishMetrics", actions: ["cloudwatch:PutMetricData"], resources: ["*"],
                            conditions: [PolicyCondition("StringEquals", "cloudwatch:namespace", ["bedrock-agentcore"])]))

        // HTTPS to the VPC only; the CIDR rule is inline, no separate egress resource (gotcha 6).
        let agentSg = SecurityGroup(in: stack, "AgentSg", vpcId: vpcId.ref, description: "Customer service agent runtime: HTTPS to the VPC only")
        agentSg.allowOutbound(to: .cidr(vpcCidr.ref), .tcp(443), description: "HTTPS to VPC endpoints")

        // Interface endpoints only where the VPC lacks them (gotcha 4).
        if env.createVpcEndpoints {
            let endpointSg = SecurityGroup(in: stack, "EndpointSg", vpcId: vpcId.ref, description: "Interface endpoints: HTTPS from the VPC")
            endpointSg.allowInbound(from: .cidr(vpcCidr.ref), .tcp(443), description: "HTTPS from the VPC")
            _ = InterfaceEndpoints(in: stack, "Endpoints", services: ["bedrock-runtime", "bedrock-agentcore", "ecr.api", "ecr.dkr", "logs"],
                               vpcId: vpcId.ref, subnetIds: subnetIds.ref, securityGroup: endpointSg)
        }

        let runtime = AgentRuntime(
            in: stack, "AgentRuntime", name: names.runtime, description: "Customer service agent (\(env.name))",
            image: repository.imageURI(tag: "latest"), executionRole: role, securityGroup: agentSg, subnetIds: subnetIds.ref,
            environment: [
                "AGENTCORE_MEMORY_ID": memory.memoryId,
                "BEDROCK_GUARDRAIL_ID": guardrail.guardrailId,
                "BEDROCK_GUARDRAIL_VERSION": guardrail.version,
                "AWS_REGION": AWS.region,
                "ENVIRONMENT": .literal(env.name),
                "PRIMARY_MODEL_ID": .literal(Models.primary),
                "BACKGROUND_MODEL_ID": .literal(Models.background),
            ],
            idleTimeoutSeconds: 900, maxLifetimeSeconds: 28_800)

        // Everything `update-agent-runtime` needs (gotcha 7), in SSM and as outputs.
        let prefix = parameterPrefix(env.name)
        _ = ParameterSet(in: stack, "Parameters", prefix: prefix, [
            ("runtime-id", runtime.runtimeId, "AgentCore runtime id"),
            ("runtime-arn", runtime.arn, "AgentCore runtime ARN"),
            ("memory-id", memory.memoryId, "AgentCore memory id"),
            ("guardrail-id", guardrail.guardrailId, "Bedrock guardrail id"),
            ("guardrail-version", guardrail.version, "Bedrock guardrail version"),
            ("execution-role-arn", role.arn, "Execution role ARN (update-agent-runtime --role-arn)"),
            ("security-group-id", agentSg.groupId, "Runtime security group (update-agent-runtime --network-configuration)"),
        ])
        stack.output("RuntimeId", runtime.runtimeId, description: "update-agent-runtime --agent-runtime-id")
        stack.output("RuntimeArn", runtime.arn)
        stack.output("ExecutionRoleArn", role.arn, description: "update-agent-runtime --role-arn")
        stack.output("SecurityGroupId", agentSg.groupId, description: "networkModeConfig.securityGroups")
        stack.output("SubnetIds", list: subnetIds.ref, description: "networkModeConfig.subnets (comma-separated)")
        stack.output("MemoryId", memory.memoryId)
        stack.output("GuardrailId", guardrail.guardrailId)
        stack.output("GuardrailVersion", guardrail.version)
        stack.output("ImageUri", repository.imageURI(tag: "latest"), description: "Push the agent image here before deploying")
        return stack
    }
}
