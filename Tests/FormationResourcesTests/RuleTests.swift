import Testing
import Formation
@testable import FormationRegistry
import FormationResources

/// Each rule kind of the registry schemas, passing and failing, at the top level and nested,
/// against the bundled schemas (and hand-written tables for rules the bundled types do not use).
@Suite struct RuleTests {
    let runtime = "AWS::BedrockAgentCore::Runtime"

    // MARK: required

    @Test func required() {
        #expect(violations(runtime, validRuntime()) == [])
        #expect(violations(runtime, validRuntime().with("RoleArn", nil)) == ["FM3001 RoleArn is required"])
        #expect(violations(runtime, validRuntime().with("NetworkConfiguration", ["NetworkModeConfig": ["SecurityGroups": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123456789abcdef0"]]])) == [
            "FM3001 NetworkConfiguration.NetworkMode is required",
        ])
        // AWS::NoValue removes a property, so it does not satisfy `required`.
        #expect(violations(runtime, validRuntime().with("RoleArn", .fn(.ref("AWS::NoValue")))) == ["FM3001 RoleArn is required"])
    }

    // MARK: type

    @Test func type() {
        #expect(violations("AWS::Logs::LogGroup", ["RetentionInDays": "thirty"]) == [
            "FM3002 RetentionInDays \"thirty\" is not an integer",
        ])
        // CloudFormation converts scalars: "30" is an integer, 30 a string, "true" a boolean.
        #expect(violations("AWS::Logs::LogGroup", ["RetentionInDays": "30", "LogGroupName": 42, "DeletionProtectionEnabled": "true"]) == [])
        #expect(violations(runtime, validRuntime().with("LifecycleConfiguration", ["IdleRuntimeSessionTimeout": "soon"])) == [
            "FM3002 LifecycleConfiguration.IdleRuntimeSessionTimeout \"soon\" is not an integer",
        ])
        #expect(violations(runtime, validRuntime().with("LifecycleConfiguration", [900, 28800])) == [
            "FM3002 LifecycleConfiguration is a list, not an object",
        ])
        #expect(violations(runtime, validRuntime().with("NetworkConfiguration", "VPC")) == [
            "FM3002 NetworkConfiguration \"VPC\" is not an object",
        ])
    }

    /// Each value an Fn::If may choose meets the rules; AWS::NoValue removes the property.
    @Test func fnIfBranchesAreChecked() {
        let noValue = TemplateValue.fn(.ref("AWS::NoValue"))
        #expect(violations("AWS::SQS::Queue", ["DelaySeconds": .fn(.if("IsProd", 5, noValue))]) == [])
        #expect(violations("AWS::SQS::Queue", ["DelaySeconds": .fn(.if("IsProd", 5, .fn(.if("IsDev", "ten", 9999))))]) == [
            "FM3002 DelaySeconds \"ten\" is not an integer",
            "FM3006 DelaySeconds 9999 is greater than maximum 900",
        ])
        // Inside lists and objects too, and each branch is held to a oneOf on its own.
        let tags: TemplateValue = .list([.fn(.if("IsProd", ["Key": "k", "Value": "v"], ["Key": "k"]))])
        #expect(violations("AWS::SQS::Queue", ["Tags": tags]) == ["FM3001 Tags[0].Value is required"])
        func bucket(_ format: TemplateValue) -> OrderedMap {
            ["LoggingConfiguration": ["DestinationBucketName": "logs", "TargetObjectKeyFormat": format]]
        }
        #expect(violations("AWS::S3::Bucket", bucket(.fn(.if("IsProd", ["SimplePrefix": [:]], ["PartitionedPrefix": ["PartitionDateSource": "EventTime"]])))) == [])
    }

    /// A dynamic reference is resolved at deploy time: its text is not the value the rules see.
    @Test func dynamicReferencesAreNotChecked() {
        let database: OrderedMap = [
            "DBInstanceClass": "db.t3.micro", "Engine": "mysql",
            "AllocatedStorage": "{{resolve:ssm:/db/size:1}}",
            "MasterUsername": "{{resolve:secretsmanager:MySecret:SecretString:username}}",
            "MasterUserPassword": "{{resolve:secretsmanager:MySecret:SecretString:password}}",
        ]
        #expect(violations("AWS::RDS::DBInstance", database) == [])
        #expect(violations("AWS::Logs::LogGroup", ["RetentionInDays": "{{resolve:ssm:/logs/retention}}"]) == [])
        // Plain text in the same places is still checked.
        #expect(violations("AWS::Logs::LogGroup", ["RetentionInDays": "resolve:ssm:/logs/retention"]) == [
            "FM3002 RetentionInDays \"resolve:ssm:/logs/retention\" is not an integer",
        ])
    }

    // MARK: enum

    /// cfn-lint's `enumCaseInsensitive` (in the bundled schemas): the listed strings, any case.
    @Test func enumerationWithoutCase() {
        let configuration: OrderedMap = ["Name": "c", "EngineType": "ActiveMQ", "AuthenticationStrategy": "LDAP"]
        #expect(violations("AWS::AmazonMQ::Configuration", configuration) == [])
        #expect(violations("AWS::AmazonMQ::Configuration", configuration.with("AuthenticationStrategy", "kerberos")) == [
            "FM3003 AuthenticationStrategy \"kerberos\" is not one of config_managed, ldap, simple (in any case)",
        ])
    }

    @Test func enumeration() {
        #expect(violations(runtime, validRuntime().with("NetworkConfiguration", ["NetworkMode": "PRIVATE"])) == [
            "FM3003 NetworkConfiguration.NetworkMode \"PRIVATE\" is not one of PUBLIC, VPC",
        ])
        #expect(violations("AWS::Logs::LogGroup", ["RetentionInDays": 31]) == [
            "FM3003 RetentionInDays 31 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        ])
        let filters: [TemplateValue] = ["PROMPT_ATTACK", "HATE", "VIOLENT"].map { type in
            ["Type": .string(type), "InputStrength": "HIGH", "OutputStrength": type == "PROMPT_ATTACK" ? "NONE" : "HIGH"]
        }
        let guardrail: OrderedMap = [
            "Name": "customerServiceGuardrail", "BlockedInputMessaging": "No.", "BlockedOutputsMessaging": "No.",
            "ContentPolicyConfig": ["FiltersConfig": .list(filters)],
        ]
        #expect(violations("AWS::Bedrock::Guardrail", guardrail) == [
            "FM3003 ContentPolicyConfig.FiltersConfig[2].Type \"VIOLENT\" is not one of SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT, PROMPT_ATTACK; did you mean VIOLENCE?",
        ])
    }

    // MARK: pattern

    @Test func pattern() {
        let memory: OrderedMap = [
            "Name": "customerServiceAgentMemory_dev", "EventExpiryDuration": 30,
            "MemoryStrategies": [["SemanticMemoryStrategy": ["Name": "semantic-facts"]]],
        ]
        #expect(violations("AWS::BedrockAgentCore::Memory", memory) == [
            "FM3004 MemoryStrategies[0].SemanticMemoryStrategy.Name \"semantic-facts\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$",
        ])
        #expect(violations("AWS::BedrockAgentCore::Memory", memory.with("MemoryStrategies", [["SemanticMemoryStrategy": ["Name": "semanticFacts"]]])) == [])
        // An anchored pattern is applied as written.
        #expect(violations(runtime, validRuntime().with("RoleArn", "role/execution")) == [
            "FM3004 RoleArn \"role/execution\" does not match ^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+$",
        ])
        // Names are 48 characters at most: the bounded repetition is part of the whole match.
        let longName = "a" + String(repeating: "b", count: 48)
        #expect(violations(runtime, validRuntime().with("AgentRuntimeName", .string(longName))) == [
            "FM3004 AgentRuntimeName \"\(longName)\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$",
        ])
    }

    // MARK: minLength / maxLength

    @Test func length() {
        #expect(violations(runtime, validRuntime().with("Description", "")) == [
            "FM3005 Description \"\" is 0 characters long; minLength is 1",
        ])
        let long = String(repeating: "x", count: 2049)
        let shown = "\"" + String(repeating: "x", count: 117) + "…\""
        #expect(violations(runtime, validRuntime().with("EnvironmentVariables", ["MODEL_ID": .string(long)])) == [
            "FM3005 EnvironmentVariables.MODEL_ID \(shown) is 2049 characters long; maxLength is 2048",
        ])
        #expect(violations(runtime, validRuntime().with("EnvironmentVariables", ["MODEL_ID": .string(String(long.dropLast()))])) == [])
    }

    // MARK: minimum / maximum

    @Test func range() {
        #expect(violations("AWS::KMS::Key", ["PendingWindowInDays": 3]) == ["FM3006 PendingWindowInDays 3 is less than minimum 7"])
        #expect(violations("AWS::KMS::Key", ["PendingWindowInDays": "31"]) == ["FM3006 PendingWindowInDays \"31\" is greater than maximum 30"])
        #expect(violations("AWS::KMS::Key", ["PendingWindowInDays": 7]) == [])
        // cfn-lint 1.58.0's schema: both 60 to 1209600 seconds.
        #expect(violations(runtime, validRuntime().with("LifecycleConfiguration", ["IdleRuntimeSessionTimeout": 30, "MaxLifetime": 1_209_601])) == [
            "FM3006 LifecycleConfiguration.IdleRuntimeSessionTimeout 30 is less than minimum 60",
            "FM3006 LifecycleConfiguration.MaxLifetime 1209601 is greater than maximum 1209600",
        ])
    }

    // MARK: minItems / maxItems / uniqueItems

    @Test func itemCounts() {
        let function: OrderedMap = ["Code": ["ZipFile": "def handler(e, c): pass"], "Role": "arn:aws:iam::123456789012:role/fn"]
        #expect(violations("AWS::Lambda::Function", function.with("Architectures", [])) == [
            "FM3007 Architectures has 0 items; minItems is 1",
        ])
        #expect(violations("AWS::Lambda::Function", function.with("Architectures", ["arm64"])) == [])
        var code = validRuntime()
        code["AgentRuntimeArtifact"] = ["CodeConfiguration": [
            "Code": ["S3": ["Bucket": "artifacts", "Prefix": "agent.zip"]],
            "EntryPoint": ["main.py", "other.py", "third.py"], "Runtime": "PYTHON_3_12",
        ]]
        #expect(violations(runtime, code) == [
            "FM3007 AgentRuntimeArtifact.CodeConfiguration.EntryPoint has 3 items; maxItems is 2",
        ])
    }

    @Test func uniqueItems() {
        let function: OrderedMap = ["Code": ["ZipFile": "x"], "Role": "arn:aws:iam::123456789012:role/fn"]
        #expect(violations("AWS::Lambda::Function", function.with("Architectures", ["arm64", "arm64"])) == [
            "FM3007 Architectures has 2 items; maxItems is 1",
            "FM3008 Architectures[1] \"arm64\" repeats Architectures[0]; items must be unique",
        ])
        let headers = validRuntime().with("RequestHeaderConfiguration", ["RequestHeaderAllowlist": ["Authorization", "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant", "Authorization"]])
        #expect(violations(runtime, headers) == [
            "FM3008 RequestHeaderConfiguration.RequestHeaderAllowlist[2] \"Authorization\" repeats RequestHeaderConfiguration.RequestHeaderAllowlist[0]; items must be unique",
        ])
    }

    // MARK: additionalProperties / patternProperties

    @Test func unknownProperties() {
        #expect(violations(runtime, validRuntime().with("Zebra", 1)) == [
            "FM3009 Zebra is not a known property (known: AgentRuntimeArtifact, AgentRuntimeName, AuthorizerConfiguration, CapacityProviderConfiguration, Description, EnvironmentVariables, FilesystemConfigurations, LifecycleConfiguration, NetworkConfiguration, PlatformVersion, ProtocolConfiguration, RequestHeaderConfiguration, …)",
        ])
        #expect(violations(runtime, validRuntime().with("AgentRuntimeName", nil).with("AgentRuntimeNme", "x")) == [
            "FM3001 AgentRuntimeName is required",
            "FM3009 AgentRuntimeNme is not a known property; did you mean AgentRuntimeName?",
        ])
        // Open objects (no additionalProperties: false) accept any name.
        #expect(violations("AWS::IAM::Role", ["AssumeRolePolicyDocument": ["Version": "2012-10-17", "Anything": ["goes"]]]) == [])
    }

    @Test func patternProperties() {
        #expect(violations(runtime, validRuntime().with("EnvironmentVariables", ["MEMORY-ID": "m-1", "GUARDRAIL_ID": "g-1"])) == [
            "FM3004 EnvironmentVariables key \"MEMORY-ID\" does not match ^[a-zA-Z_][a-zA-Z0-9_]*$",
        ])
        let function: OrderedMap = ["Code": ["ZipFile": "x"], "Role": "arn:aws:iam::123456789012:role/fn"]
        #expect(violations("AWS::Lambda::Function", function.with("Environment", ["Variables": ["SIMILARITY_THRESHOLD": "0.90", "CACHE_TTL_SECONDS": "3600"]])) == [])
        // Lambda's key pattern [a-zA-Z][a-zA-Z0-9_]+ has no anchors: as a key selector it is
        // searched for (JSON Schema), so a one-character key, which has no match, is refused.
        #expect(violations("AWS::Lambda::Function", function.with("Environment", ["Variables": ["X": "1", "-": "h"]])) == [
            "FM3004 Environment.Variables key \"X\" does not match [a-zA-Z][a-zA-Z0-9_]+",
            "FM3004 Environment.Variables key \"-\" does not match [a-zA-Z][a-zA-Z0-9_]+",
        ])
    }

    /// Unanchored patternProperties patterns select keys and are searched for, not matched whole:
    /// the keys AWS documents for these maps contain characters the patterns do not list.
    /// (From cfn-lint 1.58.0's test/fixtures/templates/good/functions/sub_needed.yaml and
    /// good/resources/elasticache/cache_cluster_failover.yaml, which Formation rejected.)
    @Test func patternPropertiesKeysAreSearched() {
        let method: OrderedMap = [
            "HttpMethod": "GET", "ResourceId": "abc123", "RestApiId": "def456", "AuthorizationType": "NONE",
            "RequestParameters": ["method.request.querystring.name": false],
            "Integration": ["Type": "AWS", "IntegrationHttpMethod": "POST",
                            "RequestTemplates": ["application/json": "{\"name\": \"$input.params('name')\"}"]],
        ]
        #expect(violations("AWS::ApiGateway::Method", method) == [])
        let parameters: OrderedMap = ["CacheParameterGroupFamily": "redis7", "Description": "d",
                                      "Properties": ["cluster-enabled": "yes", "cas_disabled": "1"]]
        #expect(violations("AWS::ElastiCache::ParameterGroup", parameters) == [])
        // A key with no match at all is still refused (additionalProperties: false).
        #expect(violations("AWS::ElastiCache::ParameterGroup", parameters.with("Properties", ["--": "x"])) == [
            "FM3004 Properties key \"--\" does not match [a-zA-Z0-9]+",
        ])
    }

    // MARK: anyOf / oneOf / allOf / not

    @Test func anyOfRequiredNames() {
        let policy: OrderedMap = ["PolicyName": "p", "PolicyDocument": ["Version": "2012-10-17", "Statement": []]]
        #expect(violations("AWS::IAM::Policy", policy) == ["FM3010 at least one of Users, Groups, Roles is required; found none"])
        #expect(violations("AWS::IAM::Policy", policy.with("Roles", ["executionRole"])) == [])
    }

    @Test func anyOfNested() {
        func bucket(_ condition: TemplateValue) -> OrderedMap {
            ["WebsiteConfiguration": ["IndexDocument": "index.html", "RoutingRules": [
                ["RedirectRule": ["HostName": "example.com"], "RoutingRuleCondition": condition],
            ]]]
        }
        #expect(violations("AWS::S3::Bucket", bucket(["KeyPrefixEquals": "docs/"])) == [])
        #expect(violations("AWS::S3::Bucket", bucket([:])) == [
            "FM3010 WebsiteConfiguration.RoutingRules[0].RoutingRuleCondition: at least one of HttpErrorCodeReturnedEquals, KeyPrefixEquals is required; found none",
        ])
    }

    @Test func oneOfNested() {
        func bucket(_ format: TemplateValue) -> OrderedMap {
            ["LoggingConfiguration": ["DestinationBucketName": "logs", "TargetObjectKeyFormat": format]]
        }
        #expect(violations("AWS::S3::Bucket", bucket(["SimplePrefix": [:]])) == [])
        #expect(violations("AWS::S3::Bucket", bucket(["PartitionedPrefix": ["PartitionDateSource": "EventTime"]])) == [])
        #expect(violations("AWS::S3::Bucket", bucket(["SimplePrefix": [:], "PartitionedPrefix": [:]])) == [
            "FM3010 LoggingConfiguration.TargetObjectKeyFormat matches none of the 2 allowed forms; closest form: LoggingConfiguration.TargetObjectKeyFormat.PartitionedPrefix is not a known property (known: SimplePrefix)",
        ])
    }

    @Test func combinatorsInTables() {
        // Node 0: {Mode: 1, Size: 2}; oneOf [3, 4]; allOf [5]; not 6.
        let table = #"""
        {"readOnly":[],"nodes":[
          {"type":["object"],"properties":[["Mode",1],["Size",2]],"oneOf":[3,4],"allOf":[5],"not":6},
          {"type":["string"],"enum":["fast","slow"]},
          {"type":["integer"]},
          {"required":["Mode"]},
          {"required":["Size"]},
          {"minProperties":1},
          {"required":["Forbidden"]}
        ]}
        """#
        #expect(violations(table: table, ["Mode": "fast"]) == [])
        #expect(violations(table: table, ["Size": 3]) == [])
        #expect(violations(table: table, ["Mode": "fast", "Size": 3]) == ["FM3010 exactly one of Mode, Size is required; found Mode and Size"])
        #expect(violations(table: table, [:]) == [
            "FM3012 Properties has 0 properties; minProperties is 1",
            "FM3010 exactly one of Mode, Size is required; found none",
        ])
        #expect(violations(table: table, ["Mode": "fast", "Forbidden": true]) == [
            "FM3010 the properties match a form the schema forbids",
        ])
    }

    @Test func nestedTablesWithOneOfObjects() {
        // A list of objects, each exactly one of two shapes; exclusive bounds and const.
        let table = #"""
        {"readOnly":[],"nodes":[
          {"type":["object"],"properties":[["Items",1],["Version",5],["Ratio",6]],"additionalProperties":false},
          {"type":["array"],"items":2},
          {"type":["object"],"oneOf":[3,4]},
          {"type":["object"],"properties":[["Cidr",7]],"required":["Cidr"],"additionalProperties":false},
          {"type":["object"],"properties":[["PeerGroup",7]],"required":["PeerGroup"],"additionalProperties":false},
          {"const":"2012-10-17"},
          {"type":["number"],"exclusiveMinimum":0,"exclusiveMaximum":1},
          {"type":["string"]}
        ]}
        """#
        #expect(violations(table: table, ["Items": [["Cidr": "10.0.0.0/16"], ["PeerGroup": "sg-1"]], "Version": "2012-10-17", "Ratio": 0.5]) == [])
        #expect(violations(table: table, ["Items": [["Cidr": "10.0.0.0/16"], ["Cidr": "x", "PeerGroup": "sg-1"]]]) == [
            "FM3010 Items[1] matches none of the 2 allowed forms; closest form: Items[1].PeerGroup is not a known property (known: Cidr)",
        ])
        #expect(violations(table: table, ["Version": "2008-10-17", "Ratio": 1]) == [
            "FM3003 Version \"2008-10-17\" must be \"2012-10-17\"",
            "FM3006 Ratio 1 is not less than 1",
        ])
    }

    // MARK: requiredXor / requiredOr / dependencies / property counts

    @Test func requiredXor() {
        let egress: OrderedMap = ["GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]
        #expect(violations("AWS::EC2::SecurityGroupEgress", egress.with("CidrIp", "10.0.0.0/16")) == [])
        #expect(violations("AWS::EC2::SecurityGroupEgress", egress) == [
            "FM3010 exactly one of CidrIp, CidrIpv6, DestinationPrefixListId, DestinationSecurityGroupId is required; found none",
        ])
        #expect(violations("AWS::EC2::SecurityGroupEgress", egress.with("CidrIp", "10.0.0.0/16").with("CidrIpv6", "::/0")) == [
            "FM3010 exactly one of CidrIp, CidrIpv6, DestinationPrefixListId, DestinationSecurityGroupId is required; found CidrIp and CidrIpv6",
        ])
        let group: OrderedMap = ["GroupDescription": "agent", "VpcId": "vpc-1", "SecurityGroupEgress": [["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]]]
        #expect(violations("AWS::EC2::SecurityGroup", group) == [
            "FM3010 SecurityGroupEgress[0]: exactly one of CidrIp, CidrIpv6, DestinationSecurityGroupId, DestinationPrefixListId is required; found none",
        ])
    }

    @Test func requiredOr() {
        let rule: OrderedMap = ["State": "ENABLED"]
        #expect(violations("AWS::Events::Rule", rule) == ["FM3010 at least one of EventPattern, ScheduleExpression is required; found none"])
        #expect(violations("AWS::Events::Rule", rule.with("ScheduleExpression", "cron(0 9,21 * * ? *)")) == [])
    }

    @Test func dependentRequiredAndExcluded() {
        let group: OrderedMap = ["GroupDescription": "agent", "SecurityGroupEgress": [["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"]]]
        #expect(violations("AWS::EC2::SecurityGroup", group) == ["FM3011 SecurityGroupEgress requires VpcId"])
        #expect(violations("AWS::EC2::SecurityGroup", group.with("VpcId", "vpc-1")) == [])
        let alarm: OrderedMap = [
            "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 2, "Threshold": 50000,
            "MetricName": "OutputTokenCount", "Namespace": "AWS/Bedrock", "Period": 300, "Statistic": "Sum",
        ]
        #expect(violations("AWS::CloudWatch::Alarm", alarm) == [])
        #expect(violations("AWS::CloudWatch::Alarm", alarm.with("ExtendedStatistic", "p99")) == [
            "FM3011 ExtendedStatistic cannot be used together with Statistic",
            "FM3011 Statistic cannot be used together with ExtendedStatistic",
        ])
    }

    @Test func dependentExcludedNested() {
        let rule: TemplateValue = ["Status": "Enabled", "ObjectSizeGreaterThan": "1024", "AbortIncompleteMultipartUpload": ["DaysAfterInitiation": 7]]
        #expect(violations("AWS::S3::Bucket", ["LifecycleConfiguration": ["Rules": [rule]]]) == [
            "FM3011 LifecycleConfiguration.Rules[0].ObjectSizeGreaterThan cannot be used together with AbortIncompleteMultipartUpload",
        ])
        #expect(violations("AWS::S3::Bucket", ["LifecycleConfiguration": ["Rules": [["Status": "Enabled", "ObjectSizeGreaterThan": "1024"]]]]) == [])
        // ObjectSizeGreaterThan's pattern [0-9]+ has no anchors: the whole value must be digits.
        #expect(violations("AWS::S3::Bucket", ["LifecycleConfiguration": ["Rules": [["Status": "Enabled", "ObjectSizeGreaterThan": "1024 bytes"]]]]) == [
            "FM3004 LifecycleConfiguration.Rules[0].ObjectSizeGreaterThan \"1024 bytes\" does not match ^[0-9]+$",
        ])
    }

    @Test func allOfNested() {
        // Node 2 refines node 3 (a `$ref` with its own keywords compiles to allOf).
        let table = #"""
        {"readOnly":[],"nodes":[
          {"type":["object"],"properties":[["Settings",1]]},
          {"type":["object"],"properties":[["Name",2]]},
          {"maxLength":5,"allOf":[3]},
          {"type":["string"],"pattern":"[a-z]+"}
        ]}
        """#
        #expect(violations(table: table, ["Settings": ["Name": "abc"]]) == [])
        #expect(violations(table: table, ["Settings": ["Name": "abcdefG"]]) == [
            "FM3005 Settings.Name \"abcdefG\" is 7 characters long; maxLength is 5",
            "FM3004 Settings.Name \"abcdefG\" does not match ^[a-z]+$",
        ])
    }

    @Test func propertyCount() {
        let memory: OrderedMap = [
            "Name": "customerServiceAgentMemory_dev", "EventExpiryDuration": 30,
            "MemoryStrategies": [["SemanticMemoryStrategy": ["Name": "facts"], "SummaryMemoryStrategy": ["Name": "summary"]]],
        ]
        #expect(violations("AWS::BedrockAgentCore::Memory", memory) == [
            "FM3012 MemoryStrategies[0] has 2 properties (SemanticMemoryStrategy, SummaryMemoryStrategy); maxProperties is 1",
        ])
    }

    // MARK: read-only, intrinsics, unusable tables

    @Test func readOnlyPropertiesWarn() {
        let found = SchemaRegistry.bundled.schema(for: runtime)?.validate(validRuntime().with("AgentRuntimeId", "x-0123456789")) ?? []
        #expect(found.map(\.severity) == [.warning])
        #expect(found.map(\.message) == ["AgentRuntimeId is read-only: CloudFormation sets it, and reads of it go through Fn::GetAtt; leave it out"])
    }

    @Test func intrinsicsAreSkippedNotGuessed() {
        var properties = validRuntime()
        properties["AgentRuntimeName"] = .fn(.sub("customer-service-${Env}", nil))
        // An Fn::If's branches are values, checked (fnIfBranchesAreChecked); the functions in them are not.
        properties["LifecycleConfiguration"] = .fn(.if("IsProd", ["IdleRuntimeSessionTimeout": .fn(.ref("Timeout"))], .fn(.ref("AWS::NoValue"))))
        properties["NetworkConfiguration"] = ["NetworkMode": .fn(.ref("Mode"))]
        #expect(violations(runtime, properties) == [])
    }

    @Test func unreadableTableIsReportedNotFatal() {
        let rules = SchemaRules(typeName: "Broken::Table::Type", table: "{\"nodes\": [")
        #expect(rules.loadError != nil)
        #expect(rules.validate(["A": 1]).map(\.code) == [SchemaDiagnosticCode.schemaUnusable])
        let outOfRange = SchemaRules(typeName: "Broken::Table::Type", table: #"{"nodes":[{"items":7}]}"#)
        #expect(outOfRange.validate([:]).map(\.code) == [SchemaDiagnosticCode.schemaUnusable])
    }
}

/// Properties are looked up in schema order first (how generated types write them); any other
/// order, and keys the schema lacks, must give the same findings.
@Suite struct PropertyOrderTests {
    @Test func everyOrderOfTheSamePropertiesGivesTheSameFindings() {
        let properties: [(String, TemplateValue)] = [
            ("Code", ["ZipFile": "x"]), ("Description", "d"), ("Environment", ["Variables": ["A": "1"]]),
            ("FunctionName", "bench-fn"), ("Handler", "index.handler"), ("MemorySize", 100_000),
            ("Role", "not-an-arn"), ("Runtime", "python3.12"), ("Timeout", "thirty"), ("Tags", [["Key": "k", "Value": "v"]]),
            ("Colour", "blue"), ("TracingConfig", ["Mode": "Sometimes"]), ("Arn", "arn:aws:lambda:x"),
        ]
        let inOrder = violations("AWS::Lambda::Function", OrderedMap(properties)).sorted()
        #expect(inOrder.count >= 5, "\(inOrder)")
        // Every rotation, forwards and backwards, and odd positions before even ones.
        var orders: [[(String, TemplateValue)]] = []
        for shift in properties.indices {
            let rotated = Array(properties[shift...] + properties[..<shift])
            orders += [rotated, rotated.reversed()]
        }
        orders.append(properties.indices.filter { $0 % 2 == 1 }.map { properties[$0] } + properties.indices.filter { $0 % 2 == 0 }.map { properties[$0] })
        for order in orders {
            #expect(violations("AWS::Lambda::Function", OrderedMap(order)).sorted() == inOrder, "\(order.map(\.0))")
        }
    }
}

@Suite struct ScalarCountTests {
    /// Lengths count Unicode scalars; counting them from UTF-8 lead bytes agrees with Swift's
    /// own scalar view on every kind of scalar.
    @Test func scalarCountFromUTF8EqualsTheScalarView() {
        let samples = ["", "a", "é", "日本語", "🎉 emoji", "e\u{301}", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
                       String(repeating: "ab€😀", count: 50), "\u{0}nul"]
        for text in samples {
            #expect(SchemaValidator.scalarCount(text) == text.unicodeScalars.count, "\(text.debugDescription)")
        }
    }
}

@Suite struct NameSetTests {
    /// Membership is the same whether the set keeps a short list or hashes.
    @Test(arguments: [0, 1, 8, 9, 30])
    func membershipMatchesASet(_ count: Int) {
        let names = (0..<count).map { "Name\($0)" }
        let set = NameSet(names + names.prefix(2))
        for name in names { #expect(set.contains(name)) }
        for other in ["", "Name", "name0", "Name\(count)", "Name0 "] { #expect(!set.contains(other)) }
    }
}
