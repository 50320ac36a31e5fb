import FormationConstructs
import FormationTesting
import Stacks
import Testing

@Suite struct BedrockCacheStackTests {
    func template(_ env: String) -> TemplateAssertions {
        TemplateAssertions(synthesize { BedrockCacheStack.add(to: $0, environment(env)) })
    }

    @Test(arguments: environmentNames)
    func synthesizesWithoutDiagnostics(_ env: String) {
        let synthesis = synthesize { BedrockCacheStack.add(to: $0, environment(env)) }
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics.map(\.description))")
        #expect(synthesis.stackName == "BedrockCacheStack-\(env)")
    }

    @Test(arguments: environmentNames)
    func networkParametersLikeTheAgentStack(_ env: String) {
        let t = template(env)
        t.hasParameter("VpcId", ["Type": "AWS::EC2::VPC::Id"])
        t.hasParameter("SubnetIds", ["Type": "List<AWS::EC2::Subnet::Id>"])
        t.hasParameter("VpcCidr", ["Type": "String", "AllowedPattern": .anyValue])
        t.hasParameter("AlarmEmail", ["Type": "String", "AllowedPattern": .anyValue])
        t.hasParameter("AssetBucket", ["Type": "String", "Default": .absent])
        #expect(t.template.parameters.keys == ["VpcId", "SubnetIds", "VpcCidr", "AlarmEmail", "AssetBucket"])
        let app = App(schemas: .bundled, rules: FormationApp.rules)
        let values = BedrockCacheStack.add(to: app, environment(env)).deploymentValues
        let e = environment(env)
        #expect(values == ["VpcId": e.vpcId, "SubnetIds": e.subnetIds.joined(separator: ","), "VpcCidr": e.vpcCidr, "AlarmEmail": e.alarmEmail])
    }

    @Test(arguments: environmentNames)
    func redisIsEncryptedAndHighlyAvailableInPrdOnly(_ env: String) {
        let t = template(env)
        let ha = env == "prd"
        t.resourceCount("AWS::ElastiCache::ReplicationGroup", is: 1)
        t.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", .objectExactly([
            "AtRestEncryptionEnabled": true,
            "TransitEncryptionEnabled": true,
            "Engine": "redis",
            "EngineVersion": "7.1",
            "CacheNodeType": .exact(.string(environment(env).cacheNodeType)),
            "AutomaticFailoverEnabled": .exact(.bool(ha)),
            "MultiAZEnabled": .exact(.bool(ha)),
            "NumCacheClusters": .exact(.int(ha ? 2 : 1)),
            "Port": 6379,
            "CacheSubnetGroupName": .ref("CacheSubnets"),
            "SecurityGroupIds": [.getAtt("CacheSg", "GroupId")],
            "ReplicationGroupDescription": .anyValue,
        ]))
        t.hasResourceProperties("AWS::ElastiCache::SubnetGroup", ["SubnetIds": .ref("SubnetIds")], logicalID: "CacheSubnets")
    }

    @Test func redisAdmitsPort6379OnlyFromTheFunctionSecurityGroup() {
        let t = template("dev")
        // The function runs with FunctionSg.
        t.hasResourceProperties("AWS::Lambda::Function", [
            "VpcConfig": ["SecurityGroupIds": [.getAtt("FunctionSg", "GroupId")], "SubnetIds": .ref("SubnetIds")],
        ], logicalID: "CacheFunction")
        // The cache's group has no inline ingress at all (so no CIDR ingress), no outbound rule.
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupIngress": .absent,
            "SecurityGroupEgress": [["CidrIp": "255.255.255.255/32", "IpProtocol": "icmp", "FromPort": 252, "ToPort": 86]],
        ], logicalID: "CacheSg")
        // Exactly one ingress rule in the stack: 6379 into the cache's group from the function's group.
        t.resourceCount("AWS::EC2::SecurityGroupIngress", is: 1)
        t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", .objectExactly([
            "GroupId": .getAtt("CacheSg", "GroupId"),
            "SourceSecurityGroupId": .getAtt("FunctionSg", "GroupId"),
            "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379,
            "Description": .anyValue,
        ]))
        // The function's side: a separate egress resource to the cache's group on 6379 ...
        t.resourceCount("AWS::EC2::SecurityGroupEgress", is: 1)
        t.hasResourceProperties("AWS::EC2::SecurityGroupEgress", [
            "GroupId": .getAtt("FunctionSg", "GroupId"), "DestinationSecurityGroupId": .getAtt("CacheSg", "GroupId"),
            "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379,
        ])
        // ... and HTTPS to the VPC CIDR inline, nothing else.
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupIngress": .absent,
            "SecurityGroupEgress": [["CidrIp": .ref("VpcCidr"), "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Description": .anyValue]],
        ], logicalID: "FunctionSg")
        #expect(t.findResources("AWS::EC2::SecurityGroupIngress", properties: ["CidrIp": .anyValue]).isEmpty)
    }

    @Test(arguments: environmentNames)
    func functionEnvironmentComesFromTheTableAndTheCluster(_ env: String) {
        let e = environment(env)
        template(env).hasResourceProperties("AWS::Lambda::Function", [
            "Runtime": "python3.12",
            "Handler": "handler.lambda_handler",
            "Timeout": 30,
            "Code": .objectExactly(["S3Bucket": .ref("AssetBucket"), "S3Key": .stringMatching("[0-9a-f]{64}\\.zip")]),
            "LoggingConfig": ["LogGroup": .ref("CacheFunctionLogs")],
            "Environment": ["Variables": .objectExactly([
                "REDIS_HOST": .getAtt("Cache", "PrimaryEndPoint.Address"),
                "REDIS_PORT": .getAtt("Cache", "PrimaryEndPoint.Port"),
                "GENERATION_MODEL_ID": .exact(.string(Models.cacheGeneration)),
                "EMBEDDING_MODEL_ID": "amazon.titan-embed-text-v2:0",
                "SIMILARITY_THRESHOLD": .exact(.string(NumberFormatting.shortest(e.similarityThreshold))),
                "CACHE_TTL_SECONDS": .exact(.string(String(e.cacheTTLSeconds))),
            ])],
        ], logicalID: "CacheFunction")
    }

    @Test func thresholdAndTTLAreWrittenAsTheHandlerReadsThem() {
        let dev = template("dev")
        dev.hasResourceProperties("AWS::Lambda::Function", ["Environment": ["Variables": ["SIMILARITY_THRESHOLD": "0.9", "CACHE_TTL_SECONDS": "3600"]]])
        template("prd").hasResourceProperties("AWS::Lambda::Function", ["Environment": ["Variables": ["SIMILARITY_THRESHOLD": "0.92"]]])
    }

    @Test(arguments: environmentNames)
    func roleIsLeastPrivilege(_ env: String) throws {
        let t = template(env)
        t.resourceCount("AWS::IAM::Role", is: 1)
        #expect(roleOfFunction("CacheFunction", in: t.template) == "CacheFunctionRole")
        #expect(actions(ofRole: "CacheFunctionRole", in: t.template) == [
            "logs:CreateLogStream", "logs:PutLogEvents",
            "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces",
            "bedrock:InvokeModel",
        ])
        t.hasResourceProperties("AWS::IAM::Role", [
            "AssumeRolePolicyDocument": ["Statement": [["Effect": "Allow", "Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]]],
            "Policies": [["PolicyDocument": ["Statement": .arrayExactly([
                logStatement(for: "CacheFunctionLogs"),
                ["Sid": "VpcNetworkInterfaces", "Resource": .intrinsic("Fn::Sub", "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*")],
                .objectExactly(["Sid": "DescribeVpcNetworkInterfaces", "Effect": "Allow", "Action": "ec2:DescribeNetworkInterfaces", "Resource": "*"]),
                .objectExactly([
                    "Sid": "InvokeGenerationAndEmbeddingModels", "Effect": "Allow", "Action": "bedrock:InvokeModel",
                    "Resource": [
                        .intrinsic("Fn::Sub", "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/amazon.nova-micro-v1:0"),
                        .intrinsic("Fn::Sub", "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/amazon.titan-embed-text-v2:0"),
                    ],
                ]),
            ])]]],
        ], logicalID: "CacheFunctionRole")
        // "*" only for actions that accept no resource ARN (IAM's action table).
        let table = try IAMActionTable.embedded.get()
        for statement in statements(ofRole: "CacheFunctionRole", in: t.template) where strings(statement["Resource"]).contains("*") {
            for action in strings(statement["Action"]) {
                #expect(try table.action(action)?.acceptsResourceARNs == false, "\(action)")
            }
        }
        #expect(!actions(ofRole: "CacheFunctionRole", in: t.template).contains { $0 == "*" || $0.hasSuffix(":*") })
    }

    @Test(arguments: environmentNames)
    func logGroupAndAlarms(_ env: String) {
        let t = template(env)
        t.hasResourceProperties("AWS::Logs::LogGroup", .objectExactly([
            "LogGroupName": .exact(.string("/aws/lambda/bedrock-semantic-cache-\(env)")),
            "RetentionInDays": .exact(.int(Int64(environment(env).logRetentionDays))),
        ]))
        t.resourceCount("AWS::CloudWatch::Alarm", is: 2)
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum", "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Dimensions": [["Name": "FunctionName", "Value": .ref("CacheFunction")]],
            "AlarmActions": [.ref("Alarms")],
        ])
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "Namespace": "AWS/Lambda", "MetricName": "Duration", "ExtendedStatistic": "p99",
            "Threshold": 24000.0, "ComparisonOperator": "GreaterThanThreshold",  // 80 % of the 30 s timeout
            "Dimensions": [["Name": "FunctionName", "Value": .ref("CacheFunction")]],
            "AlarmActions": [.ref("Alarms")],
        ])
        t.hasResourceProperties("AWS::SNS::Subscription", ["Protocol": "email", "Endpoint": .ref("AlarmEmail"), "TopicArn": .ref("Alarms")])
    }

    @Test func outputs() {
        let t = template("dev")
        t.hasOutput("FunctionName", ["Value": .ref("CacheFunction")])
        t.hasOutput("FunctionArn", ["Value": .getAtt("CacheFunction", "Arn")])
        t.hasOutput("RedisHost", ["Value": .getAtt("Cache", "PrimaryEndPoint.Address")])
        t.hasOutput("RedisPort", ["Value": .getAtt("Cache", "PrimaryEndPoint.Port")])
        t.hasOutput("AlarmTopicArn", ["Value": .ref("Alarms")])
    }

    @Test func theCodeIsAStackAssetNamedByItsContent() throws {
        let synthesis = synthesize { BedrockCacheStack.add(to: $0, .dev) }
        let asset = try #require(synthesis.assets.first)
        #expect(synthesis.assets.count == 1)
        let packaged = try FunctionCode.semanticCache.package()
        #expect(asset.fileName == packaged.asset.zip?.fileName)
        #expect(asset.bytes == packaged.asset.zip?.bytes)
        TemplateAssertions(synthesis).hasResourceProperties("AWS::Lambda::Function", ["Code": ["S3Key": .exact(.string(asset.fileName))]])
    }

    // MARK: - Settings errors

    @Test(arguments: [1.5, 0, -0.2, Double.nan])
    func aThresholdOutsideZeroToOneIsASynthesisError(_ threshold: Double) {
        var env = Environment.dev
        env.similarityThreshold = threshold
        let synthesis = synthesize { BedrockCacheStack.add(to: $0, env) }
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM4402 BedrockCacheStack-dev/CacheFunction/Default: Environment.Variables.SIMILARITY_THRESHOLD: environment dev sets similarityThreshold \(NumberFormatting.shortest(threshold)); a cosine similarity threshold must be greater than 0 and at most 1",
        ])
        #expect(synthesis.diagnostics.first?.property == "Environment.Variables.SIMILARITY_THRESHOLD")
    }

    @Test(arguments: [1.0, 0.5, 0.0001])
    func thresholdsInsideTheRangeAreAccepted(_ threshold: Double) {
        var env = Environment.dev
        env.similarityThreshold = threshold
        #expect(synthesize { BedrockCacheStack.add(to: $0, env) }.diagnostics.isEmpty)
    }

    @Test func aNonPositiveTTLIsASynthesisError() {
        var env = Environment.stg
        env.cacheTTLSeconds = 0
        #expect(synthesize { BedrockCacheStack.add(to: $0, env) }.diagnostics.map(\.description) == [
            "error FM4402 BedrockCacheStack-stg/CacheFunction/Default: Environment.Variables.CACHE_TTL_SECONDS: environment stg sets cacheTTLSeconds 0; a cache lifetime must be a positive number of seconds",
        ])
    }

    @Test func aMalformedNodeTypeIsASynthesisError() {
        var env = Environment.dev
        env.cacheNodeType = "t4g.micro"
        #expect(synthesize { BedrockCacheStack.add(to: $0, env) }.diagnostics.map(\.description) == [
            #"error FM4402 BedrockCacheStack-dev/Cache/Default: CacheNodeType: "t4g.micro" is not a cache node type; node types are written cache.<family>.<size>, as in cache.t4g.micro"#,
        ])
    }

    @Test func aMissingHandlerFileIsOneClearDiagnostic() {
        let missing = FunctionCode(paths: ["stacks/functions/no-such-function"], entryPoint: "handler.lambda_handler")
        let synthesis = synthesize { BedrockCacheStack.add(to: $0, .dev, code: missing) }
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM5001 BedrockCacheStack-dev/CacheFunction/Default: Code: asset path 'stacks/functions/no-such-function' does not exist",
        ])
        #expect(synthesis.diagnostics.first?.property == "Code")
    }

    @Test func anEntryPointTheCodeDoesNotDefineIsOneClearDiagnostic() {
        let wrong = FunctionCode(paths: ["stacks/functions/semantic-cache"], entryPoint: "handler.main")
        #expect(synthesize { BedrockCacheStack.add(to: $0, .dev, code: wrong) }.diagnostics.map(\.description) == [
            "error FM5006 BedrockCacheStack-dev/CacheFunction/Default: Code: handler 'handler.main' not found: 'handler.py' defines no top-level 'main'",
        ])
    }
}
