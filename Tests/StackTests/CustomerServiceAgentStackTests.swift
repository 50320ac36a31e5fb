import FormationConstructs
import FormationTesting
import Stacks
import Testing

/// One synthesized AgentCore stack per environment.
func agentStack(_ env: Environment) -> Synthesis {
    let app = App(schemas: .bundled, rules: FormationApp.rules)
    return CustomerServiceAgentStack.add(to: app, env).synthesize()
}

/// The tests the seed's test strategy asks for (part 2), for every environment, plus one test per
/// gotcha that the stack could hit.
@Suite struct CustomerServiceAgentStackTests {
    static let environments = Environment.all.map(\.name)

    func template(_ name: String) throws -> TemplateAssertions {
        let env = try #require(Environment.all.first { $0.name == name })
        return TemplateAssertions(agentStack(env))
    }

    @Test(arguments: environments)
    func synthesizesWithOnlyTheInvocationLoggingWarning(_ env: String) throws {
        let synthesis = agentStack(try #require(Environment.all.first { $0.name == env }))
        #expect(synthesis.diagnostics.map(\.description) == [
            "warning FM3000 CustomerServiceAgentStack-\(env)/ModelInvocationLogging/Default: type AWS::Bedrock::ModelInvocationLoggingConfiguration: CloudFormation deploys it, but it is not in the CloudFormation registry schemas Formation bundles; its properties are not validated",
        ])
    }

    @Test(arguments: environments)
    func matchesItsSnapshots(_ env: String) throws {
        let synthesis = agentStack(try #require(Environment.all.first { $0.name == env }))
        Snapshots().assertMatches(synthesis, format: .json)
        Snapshots().assertMatches(synthesis, format: .yaml)
    }

    /// Gotcha 1: every AgentCore name — runtime, memory, each memory strategy — fits the rule.
    @Test(arguments: environments)
    func everyAgentCoreNameMatchesTheNamingRule(_ env: String) throws {
        let t = try template(env)
        let rule = "[a-zA-Z][a-zA-Z0-9_]{0,47}"
        t.hasResourceProperties("AWS::BedrockAgentCore::Runtime", ["AgentRuntimeName": .stringMatching(rule)])
        t.hasResourceProperties("AWS::BedrockAgentCore::Memory", ["Name": .stringMatching(rule)])
        let memory = try #require(t.findResources("AWS::BedrockAgentCore::Memory").first)
        let strategies = memory.properties["MemoryStrategies"]?.listValue ?? []
        #expect(strategies.count == 3)
        for strategy in strategies {
            let body = try #require(strategy.mapValue?.values.first)
            #expect(Match.stringMatching(rule).evaluate(body["Name"]).isMatch, "\(body)")
        }
        t.hasResourceProperties("AWS::BedrockAgentCore::Runtime", ["AgentRuntimeName": .exact(.string("customerServiceAgent_\(env)"))])
        t.hasResourceProperties("AWS::BedrockAgentCore::Memory", ["Name": .exact(.string("customerServiceAgentMemory_\(env)"))])
    }

    @Test(arguments: environments)
    func memoryHasTheThreeStrategies(_ env: String) throws {
        try template(env).hasResourceProperties("AWS::BedrockAgentCore::Memory", [
            "MemoryStrategies": .arrayContainingInAnyOrder([
                ["SemanticMemoryStrategy": .anyValue], ["SummaryMemoryStrategy": .anyValue], ["UserPreferenceMemoryStrategy": .anyValue],
            ]),
        ])
    }

    @Test(arguments: environments)
    func rolesTrustTheRightServices(_ env: String) throws {
        let t = try template(env)
        t.hasResourceProperties("AWS::IAM::Role", [
            "RoleName": .exact(.string("customerServiceAgentExecutionRole-\(env)")),
            "AssumeRolePolicyDocument": ["Statement": [["Principal": ["Service": "bedrock-agentcore.amazonaws.com"], "Action": "sts:AssumeRole"]]],
        ])
        t.hasResourceProperties("AWS::IAM::Role", [
            "AssumeRolePolicyDocument": ["Statement": [["Principal": ["Service": "bedrock.amazonaws.com"]]]],
            "Policies": [["PolicyDocument": ["Statement": [["Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                                             "Resource": .getAtt("InvocationLogs", "Arn")]]]]],
        ], logicalID: "ModelInvocationLoggingRole")
    }

    /// Gotcha 6: the CIDR egress rule is inline in the security group; there is no separate
    /// egress resource, and no default allow-all rule.
    @Test(arguments: environments)
    func securityGroupHasTheInlineHTTPSEgressOnly(_ env: String) throws {
        let t = try template(env)
        t.resourceCount("AWS::EC2::SecurityGroupEgress", is: 0)
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupEgress": .arrayExactly([
                ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": .ref("VpcCidr")],
            ]),
        ], logicalID: "AgentSg")
    }

    /// Gotcha 7 (and seed part 5): the seven SSM parameters with their exact paths, and outputs for
    /// everything `update-agent-runtime` needs.
    @Test(arguments: environments)
    func theSevenSSMParametersAndTheUpdateOutputsExist(_ env: String) throws {
        let t = try template(env)
        t.resourceCount("AWS::SSM::Parameter", is: 7)
        let names = t.findResources("AWS::SSM::Parameter").compactMap { $0.properties["Name"]?.stringValue }
        #expect(names == CustomerServiceAgentStack.parameterSuffixes.map { "/customerServiceAgent/\(env)/\($0)" })
        t.hasResourceProperties("AWS::SSM::Parameter", ["Name": .exact(.string("/customerServiceAgent/\(env)/runtime-id")),
                                                       "Value": .getAtt("AgentRuntime", "AgentRuntimeId")])
        t.hasResourceProperties("AWS::SSM::Parameter", ["Name": .exact(.string("/customerServiceAgent/\(env)/execution-role-arn")),
                                                       "Value": .getAtt("ExecutionRole", "Arn")])
        t.hasOutput("RuntimeId", ["Value": .getAtt("AgentRuntime", "AgentRuntimeId")])
        t.hasOutput("ExecutionRoleArn", ["Value": .getAtt("ExecutionRole", "Arn")])
        t.hasOutput("SecurityGroupId", ["Value": .getAtt("AgentSg", "GroupId")])
        t.hasOutput("SubnetIds", ["Value": .fn(.join(",", .fn(.ref("SubnetIds"))))])
    }

    @Test(arguments: environments)
    func runtimeSpeaksHTTPInTheVPCWithItsLifecycle(_ env: String) throws {
        try template(env).hasResourceProperties("AWS::BedrockAgentCore::Runtime", [
            "ProtocolConfiguration": "HTTP",
            "NetworkConfiguration": ["NetworkMode": "VPC", "NetworkModeConfig": [
                "SecurityGroups": [.getAtt("AgentSg", "GroupId")], "Subnets": .ref("SubnetIds"),
            ]],
            "LifecycleConfiguration": ["IdleRuntimeSessionTimeout": 900, "MaxLifetime": 28800],
            "RoleArn": .getAtt("ExecutionRole", "Arn"),
            "EnvironmentVariables": [
                "AGENTCORE_MEMORY_ID": .getAtt("Memory", "MemoryId"),
                "BEDROCK_GUARDRAIL_ID": .getAtt("Guardrail", "GuardrailId"),
                "BEDROCK_GUARDRAIL_VERSION": .getAtt("GuardrailVersion", "Version"),
                "AWS_REGION": .ref("AWS::Region"),
                "ENVIRONMENT": .exact(.string(env)),
            ],
        ])
    }

    /// Gotcha 9: the guardrail's filters keep the order they were written in — checked with the
    /// matcher whose name says order matters.
    @Test(arguments: environments)
    func guardrailFiltersAreInOrder(_ env: String) throws {
        let t = try template(env)
        t.hasResourceProperties("AWS::Bedrock::Guardrail", [
            "ContentPolicyConfig": ["FiltersConfig": .arrayExactly([
                ["Type": "PROMPT_ATTACK", "OutputStrength": "NONE"], ["Type": "HATE"], ["Type": "INSULTS"],
                ["Type": "SEXUAL"], ["Type": "VIOLENCE"],
            ])],
            "SensitiveInformationPolicyConfig": ["PiiEntitiesConfig": .arrayContainingInAnyOrder([
                ["Type": "EMAIL", "Action": "ANONYMIZE"], ["Type": "PHONE", "Action": "ANONYMIZE"],
            ])],
        ])
        // The same filters in another order are *not* what the template holds.
        let swapped = t.check.hasResourceProperties("AWS::Bedrock::Guardrail", [
            "ContentPolicyConfig": ["FiltersConfig": .arrayContainingInOrder([["Type": "HATE"], ["Type": "PROMPT_ATTACK"]])],
        ])
        #expect(!swapped.passed)
        t.hasResourceProperties("AWS::Bedrock::GuardrailVersion", ["GuardrailIdentifier": .getAtt("Guardrail", "GuardrailId")])
    }

    /// Gotcha 5: the key that encrypts the runtime logs lets CloudWatch Logs use it, scoped to
    /// this account's log groups; it rotates and is kept on delete.
    @Test(arguments: environments)
    func keyPolicyGrantsTheLogsServiceAndTheKeyIsRetained(_ env: String) throws {
        let t = try template(env)
        t.hasResource("AWS::KMS::Key", [
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": [
                "EnableKeyRotation": true,
                "KeyPolicy": ["Statement": .arrayContainingInAnyOrder([[
                    "Principal": ["Service": .fn(.sub("logs.${AWS::Region}.${AWS::URLSuffix}", nil))],
                    "Action": .arrayContainingInAnyOrder(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]),
                    "Condition": ["ArnLike": ["kms:EncryptionContext:aws:logs:arn":
                        .fn(.sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*", nil))]],
                ]])],
            ],
        ])
        t.hasResourceProperties("AWS::Logs::LogGroup", [
            "LogGroupName": .exact(.string("/aws/bedrock-agentcore/runtimes/customerServiceAgent_\(env)")),
            "KmsKeyId": .getAtt("LogKey", "Arn"),
            "RetentionInDays": .exact(.int(Int64(try #require(Environment.all.first { $0.name == env }).logRetentionDays))),
        ])
        t.hasResourceProperties("AWS::Logs::LogGroup", [
            "LogGroupName": .exact(.string("/aws/bedrock/model-invocations/customerServiceAgent_\(env)")),
            "RetentionInDays": .anyValue,
        ])
    }

    /// No IAM statement grants `*` actions; `Resource: "*"` appears only for
    /// `ecr:GetAuthorizationToken` (no resource type in IAM's action table) and
    /// `cloudwatch:PutMetricData` (its only resource type, a dataset, is optional; the statement
    /// is scoped by namespace instead).
    @Test(arguments: environments)
    func noIAMStatementGrantsWildcardActions(_ env: String) throws {
        let t = try template(env)
        var wildcardResourceActions: Set<String> = []
        for role in t.findResources("AWS::IAM::Role") {
            for policy in role.properties["Policies"]?.listValue ?? [] {
                for statement in policy["PolicyDocument"]?["Statement"]?.listValue ?? [] {
                    let actions = statement["Action"].map { $0.listValue ?? [$0] } ?? []
                    for action in actions.compactMap(\.stringValue) {
                        #expect(action != "*" && !action.hasSuffix(":*"), "\(role.logicalID): \(action)")
                    }
                    if statement["Resource"] == "*" { wildcardResourceActions.formUnion(actions.compactMap(\.stringValue)) }
                }
            }
        }
        // ECR login has no resource-level permission; PutMetricData is scoped by a namespace condition.
        #expect(wildcardResourceActions == ["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"])
    }

    /// Gotcha 2: the image repository is imported, never created; the runtime pulls `:latest`.
    @Test(arguments: environments)
    func imageRepositoryIsImportedNotCreated(_ env: String) throws {
        let t = try template(env)
        t.resourceCount("AWS::ECR::Repository", is: 0)
        t.hasResourceProperties("AWS::BedrockAgentCore::Runtime", [
            "AgentRuntimeArtifact": ["ContainerConfiguration": ["ContainerUri": .fn(.sub(
                "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/customerserviceagent/runtime-\(env):latest", nil))]],
        ])
    }

    /// Gotcha 3: invocation logging is the raw type, wired to its log group and role, and carries a
    /// resource-scoped cfn-lint suppression of E3006 only.
    @Test(arguments: environments)
    func invocationLoggingIsARawResourceWithAScopedLintSuppression(_ env: String) throws {
        try template(env).hasResource("AWS::Bedrock::ModelInvocationLoggingConfiguration", [
            "Properties": ["LoggingConfig": [
                "CloudWatchConfig": ["LogGroupName": .ref("InvocationLogs"), "RoleArn": .getAtt("ModelInvocationLoggingRole", "Arn")],
                "TextDataDeliveryEnabled": true, "ImageDataDeliveryEnabled": false, "EmbeddingDataDeliveryEnabled": false,
            ]],
            "Metadata": .exact(["cfn-lint": ["config": ["ignore_checks": ["E3006"]]]]),
        ])
    }

    /// Gotcha 4: interface endpoints only where the environment says the VPC lacks them.
    @Test func endpointsAreCreatedOnlyWhereTheVPCLacksThem() throws {
        try template("dev").resourceCount("AWS::EC2::VPCEndpoint", is: 5)
        try template("stg").resourceCount("AWS::EC2::VPCEndpoint", is: 0)
        try template("prd").resourceCount("AWS::EC2::VPCEndpoint", is: 0)
    }

    @Test(arguments: environments)
    func alarmsWatchTokensAndLatencyAndNotifyTheTopic(_ env: String) throws {
        let t = try template(env)
        let environment = try #require(Environment.all.first { $0.name == env })
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "Namespace": "AWS/Bedrock", "MetricName": "OutputTokenCount", "Statistic": "Sum", "Period": 300,
            "Threshold": .exact(.double(environment.outputTokenAlarmThreshold)), "EvaluationPeriods": 2,
            "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
            "Dimensions": [["Name": "ModelId", "Value": .exact(.string(Models.primary))]],
            "AlarmActions": [.ref("Alerts")],
        ])
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "MetricName": "InvocationLatency", "ExtendedStatistic": "p99", "Period": 300, "Threshold": 30000.0,
            "EvaluationPeriods": 3, "Statistic": .absent, "AlarmActions": [.ref("Alerts")],
        ])
        t.hasResourceProperties("AWS::SNS::Subscription", ["Protocol": "email", "Endpoint": .ref("AlarmEmail"), "TopicArn": .ref("Alerts")])
    }

    @Test(arguments: environments)
    func networkComesFromParametersWithAWSTypes(_ env: String) throws {
        let t = try template(env)
        t.hasParameter("VpcId", ["Type": "AWS::EC2::VPC::Id"])
        t.hasParameter("SubnetIds", ["Type": "List<AWS::EC2::Subnet::Id>"])
        t.hasParameter("VpcCidr", ["Type": "String", "AllowedPattern": .anyValue])
    }
}

/// Bad input: each a clear synthesis error.
@Suite struct CustomerServiceAgentStackBadInputTests {
    @Test func anEnvironmentNameWithAHyphenCannotReachAnAgentCoreName() {
        var env = Environment.dev
        env.name = "dev-blue"
        let synthesis = agentStack(env)
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM4101 CustomerServiceAgentStack-dev-blue: environment \"dev-blue\" cannot be used in AgentCore names: \"customerServiceAgent_dev-blue\" is not a valid AgentCore name: it contains a hyphen; only letters, digits and underscores are allowed (rule ^[a-zA-Z][a-zA-Z0-9_]{0,47}$)",
        ])
    }

    @Test func anEmptySubnetListIsAnError() {
        var env = Environment.stg
        env.subnetIds = []
        let errors = agentStack(env).diagnostics.errors.map(\.description)
        #expect(errors == [
            "error FM4401 CustomerServiceAgentStack-stg/Parameters/SubnetIds: SubnetIds: environment stg lists no subnets; the runtime needs at least one subnet in the VPC",
        ])
    }

    @Test func aLiteralEmptySubnetListOnTheRuntimeIsAnError() throws {
        let stack = App(schemas: .bundled).stack("S")
        let role = Role(in: stack, "Role", assumedBy: .service("bedrock-agentcore.amazonaws.com"))
        let sg = SecurityGroup(in: stack, "Sg", vpcId: "vpc-1", description: "sg")
        _ = AgentRuntime(in: stack, "Runtime", name: try AgentCoreName("agent"), image: "img:latest", executionRole: role,
                         securityGroup: sg, subnetIds: [], environment: [:], idleTimeoutSeconds: 900, maxLifetimeSeconds: 28_800)
        let errors = stack.synthesize().diagnostics.errors.map(\.description)
        #expect(errors.first == "error FM4401 S/Runtime/Default: NetworkConfiguration.NetworkModeConfig.Subnets: the subnet list is empty; a runtime in VPC mode needs at least one subnet")
    }

    @Test func aGuardrailWithDuplicateFilterTypesIsAnError() {
        let stack = App(schemas: .bundled).stack("S")
        _ = Guardrail(in: stack, "Guardrail", name: "g", filters: [
            .init(.promptAttack, input: .high, output: .noneValue),
            .init(.hate, input: .high, output: .high),
            .init(.hate, input: .low, output: .low),
        ], piiRules: [.init(.email, .anonymize), .init(.email, .block)], blockedInputMessage: "no", blockedOutputMessage: "no")
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM4301 S/Guardrail/Default: ContentPolicyConfig.FiltersConfig[2].Type: content filter HATE is listed twice; each filter type may appear once",
            "error FM4302 S/Guardrail/Default: SensitiveInformationPolicyConfig.PiiEntitiesConfig[1].Type: PII entity EMAIL is listed twice; each entity type may appear once",
        ])
    }

    @Test func aPromptAttackFilterWithAnOutputStrengthIsAnError() {
        let stack = App(schemas: .bundled).stack("S")
        _ = Guardrail(in: stack, "Guardrail", name: "g", filters: [.init(.promptAttack, input: .high, output: .high)],
                      blockedInputMessage: "no", blockedOutputMessage: "no")
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM4402 S/Guardrail/Default: ContentPolicyConfig.FiltersConfig[0].OutputStrength: the PROMPT_ATTACK filter applies to input only; its output strength must be NONE, not HIGH",
        ])
    }

    /// Gotcha 1 in typed code without the name type: the schema's pattern, applied to the whole
    /// value, catches the hyphen at synth time.
    @Test func aHyphenatedRuntimeNameInTypedCodeIsCaughtBySchemaValidation() {
        let stack = App(schemas: .bundled).stack("CustomerServiceAgentStack-dev")
        stack.add("AgentRuntime", BedrockAgentCore.Runtime(
            agentRuntimeArtifact: .init(containerConfiguration: .init(containerUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest")),
            agentRuntimeName: "customer-service-agent-dev",
            roleArn: "arn:aws:iam::123456789012:role/x",
            networkConfiguration: .init(networkMode: .public)))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM3004 CustomerServiceAgentStack-dev/AgentRuntime: AgentRuntimeName \"customer-service-agent-dev\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ (AWS::BedrockAgentCore::Runtime)",
        ])
    }
}
