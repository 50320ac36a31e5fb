import Formation
import FormationResources
import Testing

/// Registry rules on types this repository's stacks do not use, raw (any registry type is
/// validated, typed or not): for each service a misspelled property (with the suggestion), a
/// wrong enum value, an out-of-range number, a missing nested required property, a pattern
/// mismatch and a value of the wrong type, where the service's schemas have such a rule. The
/// expected rules were read from cfn-lint 1.58.0's schemas (noted per case).
@Suite struct ServiceRuleTests {
    /// The printed diagnostics of one raw resource in a stack deploying to us-east-1.
    func check(_ type: String, _ properties: OrderedMap) -> [String] {
        let stack = App().stack("Services-dev")
        stack.add("Subject", RawResource(type: type, properties: properties))
        return stack.synthesize().diagnostics.map(\.description)
    }

    func expectOne(_ type: String, _ properties: OrderedMap, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(check(type, properties) == ["error \(message.prefix(6)) Services-dev/Subject:\(message.dropFirst(6)) (\(type))"],
                sourceLocation: sourceLocation)
    }

    static let keySchema: TemplateValue = [["AttributeName": "id", "KeyType": "HASH"]]

    @Test func dynamoDB() {
        let table = "AWS::DynamoDB::Table"
        #expect(check(table, ["KeySchema": Self.keySchema]) == [])
        expectOne(table, ["KeySchema": Self.keySchema, "TimeToLiveSpecificaton": ["Enabled": true, "AttributeName": "ttl"]],
                  "FM3009 TimeToLiveSpecificaton is not a known property; did you mean TimeToLiveSpecification?")
        expectOne(table, ["KeySchema": Self.keySchema, "BillingMode": "ON_DEMAND"],
                  "FM3003 BillingMode \"ON_DEMAND\" is not one of PAY_PER_REQUEST, PROVISIONED")
        // RecoveryPeriodInDays: 1 to 35.
        expectOne(table, ["KeySchema": Self.keySchema, "PointInTimeRecoverySpecification": ["PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 36]],
                  "FM3006 PointInTimeRecoverySpecification.RecoveryPeriodInDays 36 is greater than maximum 35")
        expectOne(table, ["KeySchema": Self.keySchema, "SSESpecification": ["SSEType": "KMS"]],
                  "FM3001 SSESpecification.SSEEnabled is required")
        expectOne(table, ["KeySchema": Self.keySchema, "DeletionProtectionEnabled": "maybe"],
                  "FM3002 DeletionProtectionEnabled \"maybe\" is not a boolean")
        expectOne(table, [:], "FM3001 KeySchema is required")
        // DynamoDB's schemas have no pattern on a property of a table; a global table's name has
        // none either: the pattern case is covered by the other services.
    }

    @Test func sqs() {
        let queue = "AWS::SQS::Queue"
        #expect(check(queue, ["QueueName": "jobs", "VisibilityTimeout": 30]) == [])
        expectOne(queue, ["VisibilityTimout": 30], "FM3009 VisibilityTimout is not a known property; did you mean VisibilityTimeout?")
        // DelaySeconds 0 to 900, ReceiveMessageWaitTimeSeconds 0 to 20.
        #expect(check(queue, ["DelaySeconds": 901, "ReceiveMessageWaitTimeSeconds": -1]) == [
            "error FM3006 Services-dev/Subject: DelaySeconds 901 is greater than maximum 900 (AWS::SQS::Queue)",
            "error FM3006 Services-dev/Subject: ReceiveMessageWaitTimeSeconds -1 is less than minimum 0 (AWS::SQS::Queue)",
        ])
        expectOne(queue, ["FifoQueue": [true]], "FM3002 FifoQueue is a list, not a boolean")
        expectOne(queue, ["RedrivePolicy": ["deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq", "maxReceiveCount": "many"]],
                  "FM3002 RedrivePolicy.maxReceiveCount \"many\" is not an integer")
        // The queue schema has no enum, no pattern and no required nested property.
    }

    @Test func ecs() {
        let service = "AWS::ECS::Service"
        #expect(check(service, ["DesiredCount": 2, "LaunchType": "FARGATE"]) == [])
        expectOne(service, ["DesiredCont": 2], "FM3009 DesiredCont is not a known property; did you mean DesiredCount?")
        expectOne(service, ["LaunchType": "LAMBDA"], "FM3003 LaunchType \"LAMBDA\" is not one of EC2, FARGATE, EXTERNAL")
        expectOne(service, ["DeploymentConfiguration": ["BakeTimeInMinutes": 1441]],
                  "FM3006 DeploymentConfiguration.BakeTimeInMinutes 1441 is greater than maximum 1440")
        #expect(check(service, ["DeploymentConfiguration": ["Alarms": ["Enable": true]]]) == [
            "error FM3001 Services-dev/Subject: DeploymentConfiguration.Alarms.AlarmNames is required (AWS::ECS::Service)",
            "error FM3001 Services-dev/Subject: DeploymentConfiguration.Alarms.Rollback is required (AWS::ECS::Service)",
        ])
        expectOne(service, ["DesiredCount": "two"], "FM3002 DesiredCount \"two\" is not an integer")
        // A task definition's containers need an image.
        expectOne("AWS::ECS::TaskDefinition", ["ContainerDefinitions": [["Name": "web"]]],
                  "FM3001 ContainerDefinitions[0].Image is required")
    }

    @Test func rds() {
        let instance = "AWS::RDS::DBInstance"
        #expect(check(instance, ["DBInstanceClass": "db.t3.micro", "Engine": "mysql", "MultiAZ": true]) == [])
        expectOne(instance, ["MultiAz": true], "FM3009 MultiAz is not a known property; did you mean MultiAZ?")
        expectOne(instance, ["DatabaseInsightsMode": "full"], "FM3003 DatabaseInsightsMode \"full\" is not one of advanced, standard")
        expectOne(instance, ["PromotionTier": 16], "FM3006 PromotionTier 16 is greater than maximum 15")
        expectOne(instance, ["AssociatedRoles": [["RoleArn": "arn:aws:iam::123456789012:role/r"]]],
                  "FM3001 AssociatedRoles[0].FeatureName is required")
        #expect(check(instance, ["DBInstanceIdentifier": "1db--name", "MasterUsername": "admin-user"]) == [
            #"error FM3004 Services-dev/Subject: DBInstanceIdentifier "1db--name" does not match ^$|^[a-zA-Z]{1}(?:-?[a-zA-Z0-9]){0,62}$ (AWS::RDS::DBInstance)"#,
            #"error FM3004 Services-dev/Subject: MasterUsername "admin-user" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,127}$ (AWS::RDS::DBInstance)"#,
        ])
        expectOne(instance, ["MultiAZ": ["Enabled": true]], "FM3002 MultiAZ is an object, not a boolean")
    }

    @Test func ec2() {
        let instance = "AWS::EC2::Instance"
        #expect(check(instance, ["ImageId": "ami-12345678", "InstanceType": "t3.micro"]) == [])
        expectOne(instance, ["InstanceTyp": "t3.micro"], "FM3009 InstanceTyp is not a known property; did you mean InstanceType?")
        expectOne(instance, ["MetadataOptions": ["HttpTokens": "mandatory"]],
                  "FM3003 MetadataOptions.HttpTokens \"mandatory\" is not one of optional, required")
        expectOne(instance, ["MetadataOptions": ["HttpPutResponseHopLimit": 65]],
                  "FM3006 MetadataOptions.HttpPutResponseHopLimit 65 is greater than maximum 64")
        expectOne(instance, ["BlockDeviceMappings": [["Ebs": ["VolumeSize": 20]]]], "FM3001 BlockDeviceMappings[0].DeviceName is required")
        expectOne(instance, ["SecurityGroupIds": "sg-12345678"], "FM3002 SecurityGroupIds \"sg-12345678\" is not a list")
    }

    @Test func apiGateway() {
        #expect(check("AWS::ApiGateway::RestApi", ["Name": "api", "EndpointConfiguration": ["Types": ["REGIONAL"]]]) == [])
        expectOne("AWS::ApiGateway::RestApi", ["Name": "api", "EndpointConfiguraton": ["Types": ["REGIONAL"]]],
                  "FM3009 EndpointConfiguraton is not a known property; did you mean EndpointConfiguration?")
        expectOne("AWS::ApiGateway::RestApi", ["Name": "api", "MinimumCompressionSize": "large"],
                  "FM3002 MinimumCompressionSize \"large\" is not an integer")
        let method = "AWS::ApiGateway::Method"
        let base: OrderedMap = ["RestApiId": "a1b2c3", "ResourceId": "r1", "HttpMethod": "GET"]
        expectOne(method, base.with("Integration", ["Type": "HTTP_PROXY", "ConnectionType": "PRIVATE_LINK"]),
                  "FM3003 Integration.ConnectionType \"PRIVATE_LINK\" is not one of INTERNET, VPC_LINK; did you mean VPC_LINK?")
        expectOne(method, base.with("Integration", ["Type": "MOCK", "TimeoutInMillis": 10]),
                  "FM3006 Integration.TimeoutInMillis 10 is less than minimum 50")
        expectOne(method, base.with("Integration", ["IntegrationHttpMethod": "POST"]), "FM3001 Integration.Type is required")
        expectOne("AWS::ApiGateway::Stage", ["RestApiId": "a1b2c3", "CanarySetting": ["PercentTraffic": 101]],
                  "FM3006 CanarySetting.PercentTraffic 101 is greater than maximum 100")
        // API Gateway's REST API schemas have no string pattern: the pattern case is covered elsewhere.
    }

    @Test func eventBridge() {
        let rule = "AWS::Events::Rule"
        let schedule: TemplateValue = "rate(5 minutes)"
        #expect(check(rule, ["ScheduleExpression": schedule, "State": "ENABLED"]) == [])
        #expect(check(rule, ["ScheduleExpresion": schedule]) == [
            "error FM3009 Services-dev/Subject: ScheduleExpresion is not a known property; did you mean ScheduleExpression? (AWS::Events::Rule)",
            "error FM3010 Services-dev/Subject: at least one of EventPattern, ScheduleExpression is required; found none (AWS::Events::Rule)",
        ])
        expectOne(rule, ["ScheduleExpression": schedule, "State": "ENABLE"],
                  "FM3003 State \"ENABLE\" is not one of DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; did you mean ENABLED?")
        let queue: TemplateValue = "arn:aws:sqs:us-east-1:123456789012:q"
        expectOne(rule, ["ScheduleExpression": schedule, "Targets": [["Id": "t", "Arn": queue, "RetryPolicy": ["MaximumRetryAttempts": 186]]]],
                  "FM3006 Targets[0].RetryPolicy.MaximumRetryAttempts 186 is greater than maximum 185")
        expectOne(rule, ["ScheduleExpression": schedule, "Targets": [["Arn": queue]]], "FM3001 Targets[0].Id is required")
        #expect(check(rule, ["Name": "my rule", "ScheduleExpression": "every 5 minutes"]) == [
            #"error FM3004 Services-dev/Subject: Name "my rule" does not match ^[\.\-_A-Za-z0-9]+$ (AWS::Events::Rule)"#,
            #"error FM3004 Services-dev/Subject: ScheduleExpression "every 5 minutes" does not match ^(rate\(.+\)|cron\(.+\))?$ (AWS::Events::Rule)"#,
        ])
        expectOne(rule, ["ScheduleExpression": schedule, "Targets": ["Id": "t", "Arn": queue]], "FM3002 Targets is an object, not a list")
    }

    @Test func lambdaEventSourceMapping() {
        let mapping = "AWS::Lambda::EventSourceMapping"
        let queue: TemplateValue = "arn:aws:sqs:us-east-1:123456789012:jobs"
        #expect(check(mapping, ["FunctionName": "worker", "EventSourceArn": queue, "BatchSize": 10]) == [])
        expectOne(mapping, ["FunctionName": "worker", "BatchSise": 10], "FM3009 BatchSise is not a known property; did you mean BatchSize?")
        expectOne(mapping, ["FunctionName": "worker", "FunctionResponseTypes": ["ReportItemFailures"]],
                  "FM3003 FunctionResponseTypes[0] \"ReportItemFailures\" is not one of ReportBatchItemFailures; did you mean ReportBatchItemFailures?")
        #expect(check(mapping, ["FunctionName": "worker", "BatchSize": 10001, "ScalingConfig": ["MaximumConcurrency": 1]]) == [
            "error FM3006 Services-dev/Subject: BatchSize 10001 is greater than maximum 10000 (AWS::Lambda::EventSourceMapping)",
            "error FM3006 Services-dev/Subject: ScalingConfig.MaximumConcurrency 1 is less than minimum 2 (AWS::Lambda::EventSourceMapping)",
        ])
        expectOne(mapping, ["FunctionName": "worker", "Tags": [["Value": "v"]]], "FM3001 Tags[0].Key is required")
        // The schema's patterns have no anchors: Formation holds the whole value to them, so the
        // space in "my function" is caught (a search would find "my" and pass).
        expectOne(mapping, ["FunctionName": "my function"],
                  #"FM3004 FunctionName "my function" does not match ^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$"#)
        expectOne(mapping, ["FunctionName": "worker", "Enabled": "yes please"], "FM3002 Enabled \"yes please\" is not a boolean")
    }
}

/// Keywords of the registry's schemas beyond the common ones, each on a real type that uses it.
@Suite struct SchemaKeywordTests {
    func check(_ type: String, _ properties: OrderedMap) -> [String] {
        let stack = App().stack("Keywords-dev")
        stack.add("Subject", RawResource(type: type, properties: properties))
        return stack.synthesize().diagnostics.map(\.description)
    }

    /// `prefixItems`: DynamoDB's first key is the HASH key, the second the RANGE key.
    @Test func prefixItems() {
        #expect(check("AWS::DynamoDB::Table", ["KeySchema": [["AttributeName": "id", "KeyType": "PRIMARY"]]]) == [
            #"error FM3010 Keywords-dev/Subject: KeySchema matches none of the 2 allowed forms; closest form: KeySchema[0].KeyType "PRIMARY" must be "HASH" (AWS::DynamoDB::Table)"#,
        ])
        #expect(check("AWS::DynamoDB::Table", ["KeySchema": [["AttributeName": "id", "KeyType": "HASH"], ["AttributeName": "at", "KeyType": "RANGE"]]]) == [])
    }

    /// cfn-lint's `uniqueKeys`: two keys on one attribute.
    @Test func uniqueKeys() {
        #expect(check("AWS::DynamoDB::Table", ["KeySchema": [["AttributeName": "id", "KeyType": "HASH"], ["AttributeName": "id", "KeyType": "RANGE"]]]) == [
            #"error FM3010 Keywords-dev/Subject: KeySchema matches none of the 2 allowed forms; closest form: KeySchema[1] repeats KeySchema[0]'s AttributeName "id"; items must differ in AttributeName (AWS::DynamoDB::Table)"#,
        ])
    }

    /// `if`/`then`: a table with local secondary indexes needs a composite key.
    @Test func ifThen() {
        let base: OrderedMap = [
            "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"], ["AttributeName": "at", "AttributeType": "N"]],
            "KeySchema": [["AttributeName": "id", "KeyType": "HASH"], ["AttributeName": "at", "KeyType": "RANGE"]],
            "LocalSecondaryIndexes": [["IndexName": "byAt", "KeySchema": [["AttributeName": "id", "KeyType": "HASH"], ["AttributeName": "at", "KeyType": "RANGE"]],
                                       "Projection": ["ProjectionType": "ALL"]]],
        ]
        #expect(check("AWS::DynamoDB::Table", base) == [])
        #expect(check("AWS::DynamoDB::Table", base.with("KeySchema", [["AttributeName": "id", "KeyType": "HASH"]])) == [
            "error FM3007 Keywords-dev/Subject: KeySchema has 1 item; minItems is 2 (AWS::DynamoDB::Table)",
        ])
        // Without local indexes the `then` does not apply.
        #expect(check("AWS::DynamoDB::Table", ["KeySchema": [["AttributeName": "id", "KeyType": "HASH"]]]) == [])
        // RDS: a PostgreSQL cluster's master user may not be called admin.
        #expect(check("AWS::RDS::DBCluster", ["Engine": "aurora-postgresql", "MasterUsername": "admin"]) == [
            #"error FM3010 Keywords-dev/Subject: MasterUsername "admin" matches a form the schema forbids (AWS::RDS::DBCluster)"#,
        ])
        #expect(check("AWS::RDS::DBCluster", ["Engine": "aurora-mysql", "MasterUsername": "admin"]) == [])
    }

    /// `multipleOf`: CloudFront TTLs are whole seconds.
    @Test func multipleOf() {
        let config: OrderedMap = [
            "Name": "policy", "DefaultTTL": 1.5, "MaxTTL": 10, "MinTTL": 0,
            "ParametersInCacheKeyAndForwardedToOrigin": [
                "EnableAcceptEncodingGzip": true, "CookiesConfig": ["CookieBehavior": "none"],
                "HeadersConfig": ["HeaderBehavior": "none"], "QueryStringsConfig": ["QueryStringBehavior": "none"],
            ],
        ]
        #expect(check("AWS::CloudFront::CachePolicy", ["CachePolicyConfig": .map(config)]) == [
            "error FM3006 Keywords-dev/Subject: CachePolicyConfig.DefaultTTL 1.5 is not a multiple of 1 (AWS::CloudFront::CachePolicy)",
        ])
        #expect(check("AWS::CloudFront::CachePolicy", ["CachePolicyConfig": .map(config.with("DefaultTTL", 2))]) == [])
    }
}
