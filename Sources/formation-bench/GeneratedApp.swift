import FormationConstructs

/// The benchmark's generated app: the same resources, properties and references as
/// `bench/troposphere_app.py` builds with troposphere, so the two tools do the same work
/// (`bench/check_equivalence.py` compares one stack of each).
///
/// Each unit of 100 resources of 67 registry types is one service's slice of a real account: a
/// VPC with public and private subnets, routes, an internet gateway, a NAT gateway and flow logs;
/// security groups and rules; S3 and Secrets Manager endpoints; a KMS key; S3 buckets with
/// policies, a DynamoDB table, an EFS file system with mount targets and an access point; a
/// secret and SSM parameters; an SNS topic feeding an SQS queue with a dead-letter queue; a
/// Kinesis stream fed by a log subscription; a Lambda function with a version, an alias, event
/// source mappings and permissions; an ECS Fargate service behind an application load balancer
/// with HTTPS, DNS and a certificate, autoscaled; an API Gateway REST API with a Cognito
/// authorizer; an EventBridge bus and rules; a Step Functions state machine; CloudWatch alarms and
/// a dashboard. The 20 types Formation generates typed code for (`BuiltInTypes.swift`) are typed;
/// the other 47 are `RawResource`s, validated against the registry schemas like the typed ones.
/// Units are spread over stacks of at most 500 resources (five units a stack); the app has the
/// project's rules (least privilege, log-group keys) besides the built-in checks.
enum GeneratedApp {
    static let perStack = 500
    static let perUnit = 100
    static let handler = "def handler(event, context):\n    return {'ok': True}\n"
    static let lifecycle = #"{"rules":[{"rulePriority":1,"description":"keep 20 images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":20},"action":{"type":"expire"}}]}"#

    /// An app of `resources` resources (rounded down to whole units).
    static func make(resources: Int) -> App {
        let app = App(schemas: .bundled, rules: [LeastPrivilegeRule(), LogGroupKeyPolicyRule()])
        let units = resources / perUnit
        let unitsPerStack = perStack / perUnit
        var first = 0
        while first < units {
            addStack(to: app, firstUnit: first, units: min(unitsPerStack, units - first))
            first += unitsPerStack
        }
        return app
    }

    static func addStack(to app: App, firstUnit: Int, units: Int) {
        let stack = app.stack("Bench\(firstUnit / (perStack / perUnit))",
                              description: "Generated benchmark stack from unit \(firstUnit)")
        for unit in firstUnit..<(firstUnit + units) {
            addUnit(to: stack, unit)
        }
    }

    // MARK: - Helpers

    /// A raw resource.
    static func raw(_ type: String, _ properties: OrderedMap) -> RawResource {
        RawResource(type: type, properties: properties)
    }

    /// An Allow statement.
    static func allow(_ actions: [String], _ resource: TemplateValue) -> TemplateValue {
        ["Effect": "Allow", "Action": .list(actions.map { .string($0) }), "Resource": resource]
    }

    static func document(_ statements: TemplateValue...) -> TemplateValue {
        ["Version": "2012-10-17", "Statement": .list(statements)]
    }

    /// A trust policy for a service principal.
    static func trust(_ service: String) -> TemplateValue {
        document(["Effect": "Allow", "Principal": ["Service": .string(service)], "Action": "sts:AssumeRole"])
    }

    static func managed(_ name: String) -> Value<String> {
        "arn:\(AWS.partition):iam::aws:policy/\(name)"
    }

    static func nameTag(_ value: String) -> TemplateValue {
        [["Key": "Name", "Value": .string(value)]]
    }

    // MARK: - One service: 100 resources

    static func addUnit(to stack: Stack, _ u: Int) {
        let name = "svc\(u)"
        let net = "10.\(u % 250)"

        // Network: VPC, two public and two private subnets, routes, internet and NAT gateways, flow logs.
        let vpc = stack.add("Vpc\(u)", raw("AWS::EC2::VPC", [
            "CidrBlock": .string("\(net).0.0/16"), "EnableDnsHostnames": true, "EnableDnsSupport": true,
            "Tags": nameTag("\(name)-vpc"),
        ]))
        let igw = stack.add("InternetGateway\(u)", raw("AWS::EC2::InternetGateway", ["Tags": nameTag("\(name)-igw")]))
        let attachment = stack.add("GatewayAttachment\(u)", raw("AWS::EC2::VPCGatewayAttachment", [
            "VpcId": vpc.ref.json, "InternetGatewayId": igw.ref.json,
        ]))
        var subnets: [String: Resource<RawResource>] = [:]
        for (index, (label, isPublic)) in [("PublicA", true), ("PublicB", true), ("PrivateA", false), ("PrivateB", false)].enumerated() {
            subnets[label] = stack.add("\(label)Subnet\(u)", raw("AWS::EC2::Subnet", [
                "VpcId": vpc.ref.json, "CidrBlock": .string("\(net).\(index * 16).0/20"),
                "AvailabilityZone": Fn.select(index % 2, Fn.getAZs()).json, "MapPublicIpOnLaunch": .bool(isPublic),
                "Tags": nameTag("\(name)-\(label.lowercased())"),
            ]))
        }
        let publicRoutes = stack.add("PublicRouteTable\(u)", raw("AWS::EC2::RouteTable", [
            "VpcId": vpc.ref.json, "Tags": nameTag("\(name)-public"),
        ]))
        let privateRoutes = stack.add("PrivateRouteTable\(u)", raw("AWS::EC2::RouteTable", [
            "VpcId": vpc.ref.json, "Tags": nameTag("\(name)-private"),
        ]))
        stack.add("PublicDefaultRoute\(u)", raw("AWS::EC2::Route", [
            "RouteTableId": publicRoutes.ref.json, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.ref.json,
        ])).dependsOn(attachment)
        let eip = stack.add("NatAddress\(u)", raw("AWS::EC2::EIP", ["Domain": "vpc"])).dependsOn(attachment)
        let nat = stack.add("NatGateway\(u)", raw("AWS::EC2::NatGateway", [
            "AllocationId": eip.getAtt("AllocationId").json, "SubnetId": subnets["PublicA"]!.ref.json,
            "Tags": nameTag("\(name)-nat"),
        ]))
        stack.add("PrivateDefaultRoute\(u)", raw("AWS::EC2::Route", [
            "RouteTableId": privateRoutes.ref.json, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat.ref.json,
        ]))
        for (label, table) in [("PublicA", publicRoutes), ("PublicB", publicRoutes), ("PrivateA", privateRoutes), ("PrivateB", privateRoutes)] {
            stack.add("\(label)Routes\(u)", raw("AWS::EC2::SubnetRouteTableAssociation", [
                "SubnetId": subnets[label]!.ref.json, "RouteTableId": table.ref.json,
            ]))
        }
        let flowGroup = stack.add("FlowLogGroup\(u)", Logs.LogGroup(logGroupName: "/\(name)/vpc-flow-logs", retentionInDays: 90))
        let flowRole = stack.add("FlowLogRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("vpc-flow-logs.amazonaws.com"),
            policies: [IAM.Role.Policy(policyDocument: document(
                allow(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], flowGroup.arn.json)),
                                       policyName: "flow-logs")]))
        stack.add("FlowLog\(u)", raw("AWS::EC2::FlowLog", [
            "ResourceId": vpc.ref.json, "ResourceType": "VPC", "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs", "LogGroupName": flowGroup.ref.json,
            "DeliverLogsPermissionArn": flowRole.arn.json, "MaxAggregationInterval": 60,
        ]))

        // Security groups and the rules between them.
        let albGroup = stack.add("LoadBalancerSecurityGroup\(u)", EC2.SecurityGroup(
            groupDescription: "\(name) load balancer",
            securityGroupIngress: [
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp", cidrIp: "0.0.0.0/0", description: "HTTPS", fromPort: 443, toPort: 443),
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp", cidrIp: "0.0.0.0/0", description: "HTTP, redirected", fromPort: 80, toPort: 80),
            ],
            tags: [EC2.SecurityGroup.Tag(key: "Name", value: "\(name)-alb")],
            vpcId: vpc.ref))
        let serviceGroup = stack.add("ServiceSecurityGroup\(u)", EC2.SecurityGroup(
            groupDescription: "\(name) tasks and function", tags: [EC2.SecurityGroup.Tag(key: "Name", value: "\(name)-service")],
            vpcId: vpc.ref))
        let endpointGroup = stack.add("EndpointSecurityGroup\(u)", EC2.SecurityGroup(
            groupDescription: "\(name) interface endpoints",
            securityGroupIngress: [EC2.SecurityGroup.Ingress(ipProtocol: "tcp", cidrIp: vpc.getAtt("CidrBlock"), fromPort: 443, toPort: 443)],
            tags: [EC2.SecurityGroup.Tag(key: "Name", value: "\(name)-endpoints")],
            vpcId: vpc.ref))
        let dataGroup = stack.add("DataSecurityGroup\(u)", EC2.SecurityGroup(
            groupDescription: "\(name) file system", tags: [EC2.SecurityGroup.Tag(key: "Name", value: "\(name)-data")],
            vpcId: vpc.ref))
        stack.add("ServiceFromLoadBalancer\(u)", EC2.SecurityGroupIngress(
            ipProtocol: "tcp", fromPort: 8080, groupId: serviceGroup.ref, sourceSecurityGroupId: albGroup.ref, toPort: 8080))
        stack.add("DataFromService\(u)", EC2.SecurityGroupIngress(
            ipProtocol: "tcp", fromPort: 2049, groupId: dataGroup.ref, sourceSecurityGroupId: serviceGroup.ref, toPort: 2049))
        stack.add("LoadBalancerToService\(u)", EC2.SecurityGroupEgress(
            groupId: albGroup.ref, ipProtocol: "tcp", destinationSecurityGroupId: serviceGroup.ref, fromPort: 8080, toPort: 8080))

        // Encryption key.
        let key = stack.add("Key\(u)", KMS.Key(
            description: "\(name) data", enableKeyRotation: true,
            keyPolicy: document(
                ["Sid": "Account", "Effect": "Allow",
                 "Principal": ["AWS": Value<String>("arn:\(AWS.partition):iam::\(AWS.accountId):root").json],
                 "Action": "kms:*", "Resource": "*"],
                ["Sid": "Services", "Effect": "Allow",
                 "Principal": ["Service": ["sns.amazonaws.com", "events.amazonaws.com", "sqs.amazonaws.com"]],
                 "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"])))
        stack.add("KeyAlias\(u)", raw("AWS::KMS::Alias", ["AliasName": .string("alias/\(name)"), "TargetKeyId": key.ref.json]))

        // Endpoints.
        stack.add("S3Endpoint\(u)", EC2.VPCEndpoint(
            vpcId: vpc.ref, routeTableIds: [privateRoutes.ref], serviceName: "com.amazonaws.\(AWS.region).s3",
            vpcEndpointType: .gateway))
        stack.add("SecretsEndpoint\(u)", EC2.VPCEndpoint(
            vpcId: vpc.ref, privateDnsEnabled: true, securityGroupIds: [endpointGroup.ref],
            serviceName: "com.amazonaws.\(AWS.region).secretsmanager",
            subnetIds: [subnets["PrivateA"]!.ref, subnets["PrivateB"]!.ref], vpcEndpointType: .interface))

        // Storage.
        let logsBucket = stack.add("AccessLogsBucket\(u)", S3.Bucket(
            bucketEncryption: .init(serverSideEncryptionConfiguration: [
                .init(serverSideEncryptionByDefault: .init(sseAlgorithm: .aes256)),
            ]),
            lifecycleConfiguration: .init(rules: [.init(status: .enabled, expirationInDays: 365, id: "expire")]),
            ownershipControls: .init(rules: [.init(objectOwnership: .bucketOwnerEnforced)]),
            publicAccessBlockConfiguration: .init(blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true)))
        let bucket = stack.add("DataBucket\(u)", S3.Bucket(
            bucketEncryption: .init(serverSideEncryptionConfiguration: [
                .init(bucketKeyEnabled: true, serverSideEncryptionByDefault: .init(sseAlgorithm: .awsKms, kmsMasterKeyID: key.arn)),
            ]),
            lifecycleConfiguration: .init(rules: [
                .init(status: .enabled, id: "old-versions", noncurrentVersionExpiration: .init(noncurrentDays: 30)),
            ]),
            loggingConfiguration: .init(destinationBucketName: logsBucket.ref, logFilePrefix: "data/"),
            publicAccessBlockConfiguration: .init(blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            tags: [S3.Bucket.Tag(key: "Name", value: "\(name)-data")],
            versioningConfiguration: .init(status: .enabled)))
        stack.add("AccessLogsBucketPolicy\(u)", raw("AWS::S3::BucketPolicy", [
            "Bucket": logsBucket.ref.json,
            "PolicyDocument": document([
                "Sid": "ServerAccessLogs", "Effect": "Allow", "Principal": ["Service": "logging.s3.amazonaws.com"],
                "Action": "s3:PutObject", "Resource": Value<String>("\(logsBucket.arn)/*").json,
                "Condition": ["ArnLike": ["aws:SourceArn": bucket.arn.json],
                              "StringEquals": ["aws:SourceAccount": AWS.accountId.json]],
            ]),
        ]))
        stack.add("DataBucketPolicy\(u)", raw("AWS::S3::BucketPolicy", [
            "Bucket": bucket.ref.json,
            "PolicyDocument": document([
                "Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [bucket.arn.json, Value<String>("\(bucket.arn)/*").json],
                "Condition": ["Bool": ["aws:SecureTransport": "false"]],
            ]),
        ]))
        let table = stack.add("Table\(u)", raw("AWS::DynamoDB::Table", [
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [["AttributeName": "pk", "AttributeType": "S"], ["AttributeName": "sk", "AttributeType": "S"]],
            "KeySchema": [["AttributeName": "pk", "KeyType": "HASH"], ["AttributeName": "sk", "KeyType": "RANGE"]],
            "SSESpecification": ["SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": key.arn.json],
            "PointInTimeRecoverySpecification": ["PointInTimeRecoveryEnabled": true],
            "StreamSpecification": ["StreamViewType": "NEW_AND_OLD_IMAGES"],
            "Tags": nameTag("\(name)-table"),
        ]))
        let fileSystem = stack.add("FileSystem\(u)", raw("AWS::EFS::FileSystem", [
            "Encrypted": true, "KmsKeyId": key.arn.json, "PerformanceMode": "generalPurpose", "ThroughputMode": "elastic",
            "BackupPolicy": ["Status": "ENABLED"], "LifecyclePolicies": [["TransitionToIA": "AFTER_30_DAYS"]],
            "FileSystemTags": nameTag("\(name)-files"),
        ]))
        for label in ["PrivateA", "PrivateB"] {
            stack.add("MountTarget\(label.last!)\(u)", raw("AWS::EFS::MountTarget", [
                "FileSystemId": fileSystem.ref.json, "SubnetId": subnets[label]!.ref.json, "SecurityGroups": [dataGroup.ref.json],
            ]))
        }
        let accessPoint = stack.add("AccessPoint\(u)", raw("AWS::EFS::AccessPoint", [
            "FileSystemId": fileSystem.ref.json, "PosixUser": ["Uid": "1000", "Gid": "1000"],
            "RootDirectory": ["Path": "/data", "CreationInfo": ["OwnerUid": "1000", "OwnerGid": "1000", "Permissions": "750"]],
        ]))

        // Configuration.
        let secret = stack.add("DatabaseSecret\(u)", SecretsManager.Secret(
            description: "\(name) database credentials",
            generateSecretString: .init(excludePunctuation: true, generateStringKey: "password", passwordLength: 32,
                                        secretStringTemplate: #"{"username":"app"}"#),
            kmsKeyId: key.ref))

        // Messaging.
        let topic = stack.add("Topic\(u)", SNS.Topic(displayName: "\(name) events", kmsMasterKeyId: key.ref))
        stack.add("TopicPolicy\(u)", raw("AWS::SNS::TopicPolicy", [
            "Topics": [topic.ref.json],
            "PolicyDocument": document([
                "Sid": "EventBridge", "Effect": "Allow", "Principal": ["Service": "events.amazonaws.com"],
                "Action": "sns:Publish", "Resource": topic.ref.json,
            ]),
        ]))
        let deadLetters = stack.add("DeadLetterQueue\(u)", raw("AWS::SQS::Queue", [
            "MessageRetentionPeriod": 1_209_600, "KmsMasterKeyId": key.ref.json,
        ]))
        let queue = stack.add("WorkQueue\(u)", raw("AWS::SQS::Queue", [
            "VisibilityTimeout": 180, "MessageRetentionPeriod": 345_600, "KmsMasterKeyId": key.ref.json,
            "RedrivePolicy": ["deadLetterTargetArn": deadLetters.getAtt("Arn").json, "maxReceiveCount": 5],
        ]))
        stack.add("QueuePolicy\(u)", raw("AWS::SQS::QueuePolicy", [
            "Queues": [queue.ref.json],
            "PolicyDocument": document([
                "Sid": "Topic", "Effect": "Allow", "Principal": ["Service": "sns.amazonaws.com"],
                "Action": "sqs:SendMessage", "Resource": queue.getAtt("Arn").json,
                "Condition": ["ArnEquals": ["aws:SourceArn": topic.ref.json]],
            ]),
        ]))
        stack.add("QueueSubscription\(u)", SNS.Subscription(
            protocol: "sqs", topicArn: topic.ref, endpoint: queue.getAtt("Arn"), rawMessageDelivery: true))
        stack.add("QueueUrlParameter\(u)", SSM.Parameter(
            type: .string, value: queue.ref, description: "Work queue URL", name: "/\(name)/queue-url"))
        let stream = stack.add("LogStream\(u)", raw("AWS::Kinesis::Stream", [
            "RetentionPeriodHours": 48, "StreamModeDetails": ["StreamMode": "ON_DEMAND"],
            "StreamEncryption": ["EncryptionType": "KMS", "KeyId": key.arn.json],
        ]))

        // Logs.
        let functionLogs = stack.add("FunctionLogGroup\(u)", Logs.LogGroup(logGroupName: "/\(name)/function", retentionInDays: 30))
        let serviceLogs = stack.add("ServiceLogGroup\(u)", Logs.LogGroup(logGroupName: "/\(name)/service", retentionInDays: 30))
        let apiLogs = stack.add("ApiAccessLogGroup\(u)", Logs.LogGroup(logGroupName: "/\(name)/api-access", retentionInDays: 30))
        stack.add("ServiceErrors\(u)", raw("AWS::Logs::MetricFilter", [
            "LogGroupName": serviceLogs.ref.json, "FilterPattern": "ERROR",
            "MetricTransformations": [[
                "MetricName": "ServiceErrors", "MetricNamespace": .string("Service/\(name)"), "MetricValue": "1", "DefaultValue": 0,
            ]],
        ]))
        let logsRole = stack.add("LogsToStreamRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("logs.amazonaws.com"),
            policies: [IAM.Role.Policy(policyDocument: document(
                allow(["kinesis:PutRecord", "kinesis:PutRecords"], stream.getAtt("Arn").json),
                allow(["kms:GenerateDataKey"], key.arn.json)), policyName: "stream")]))
        stack.add("ServiceLogSubscription\(u)", raw("AWS::Logs::SubscriptionFilter", [
            "LogGroupName": serviceLogs.ref.json, "FilterPattern": "", "DestinationArn": stream.getAtt("Arn").json,
            "RoleArn": logsRole.arn.json,
        ]))

        // Lambda.
        let functionRole = stack.add("FunctionRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("lambda.amazonaws.com"),
            managedPolicyArns: [managed("service-role/AWSLambdaVPCAccessExecutionRole")],
            policies: [IAM.Role.Policy(policyDocument: document(
                allow(["logs:CreateLogStream", "logs:PutLogEvents"], functionLogs.arn.json),
                allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
                      queue.getAtt("Arn").json),
                allow(["sqs:SendMessage"], deadLetters.getAtt("Arn").json),
                allow(["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"],
                      table.getAtt("StreamArn").json),
                allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], table.getAtt("Arn").json),
                allow(["secretsmanager:GetSecretValue"], secret.ref.json),
                allow(["kms:Decrypt", "kms:GenerateDataKey"], key.arn.json),
                allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*")), policyName: "function")]))
        let function = stack.add("Function\(u)", Lambda.Function(
            code: .init(zipFile: .literal(handler)),
            role: functionRole.arn,
            environment: .init(variables: ["TABLE_NAME": table.ref, "SECRET_ARN": secret.ref, "BUCKET": bucket.ref]),
            functionName: "\(name)-worker",
            handler: "index.handler",
            loggingConfig: .init(logGroup: functionLogs.ref),
            memorySize: 256,
            runtime: .python3_12,
            timeout: 30,
            tracingConfig: .init(mode: .active),
            vpcConfig: .init(securityGroupIds: [serviceGroup.ref], subnetIds: [subnets["PrivateA"]!.ref, subnets["PrivateB"]!.ref])))
        let version = stack.add("FunctionVersion\(u)", raw("AWS::Lambda::Version", [
            "FunctionName": function.ref.json, "Description": "release",
        ]))
        let alias = stack.add("FunctionAlias\(u)", raw("AWS::Lambda::Alias", [
            "FunctionName": function.ref.json, "FunctionVersion": version.getAtt("Version").json, "Name": "live",
        ]))
        stack.add("QueueMapping\(u)", raw("AWS::Lambda::EventSourceMapping", [
            "EventSourceArn": queue.getAtt("Arn").json, "FunctionName": alias.ref.json, "BatchSize": 10,
            "MaximumBatchingWindowInSeconds": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"],
        ]))
        stack.add("TableStreamMapping\(u)", raw("AWS::Lambda::EventSourceMapping", [
            "EventSourceArn": table.getAtt("StreamArn").json, "FunctionName": alias.ref.json,
            "StartingPosition": "LATEST", "BatchSize": 100, "MaximumRetryAttempts": 3, "BisectBatchOnFunctionError": true,
            "DestinationConfig": ["OnFailure": ["Destination": deadLetters.getAtt("Arn").json]],
        ]))

        // Containers: repository, cluster, roles, task definition, load balancer, service, scaling.
        let repository = stack.add("Repository\(u)", ECR.Repository(
            encryptionConfiguration: .init(encryptionType: .kms, kmsKey: key.arn),
            imageScanningConfiguration: .init(scanOnPush: true),
            imageTagMutability: .immutable,
            lifecyclePolicy: .init(lifecyclePolicyText: .literal(lifecycle)),
            repositoryName: "\(name)/app"))
        let cluster = stack.add("Cluster\(u)", raw("AWS::ECS::Cluster", [
            "ClusterSettings": [["Name": "containerInsights", "Value": "enabled"]],
        ]))
        let executionRole = stack.add("TaskExecutionRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("ecs-tasks.amazonaws.com"),
            managedPolicyArns: [managed("service-role/AmazonECSTaskExecutionRolePolicy")],
            policies: [IAM.Role.Policy(policyDocument: document(
                allow(["secretsmanager:GetSecretValue"], secret.ref.json),
                allow(["kms:Decrypt"], key.arn.json)), policyName: "secrets")]))
        let taskRole = stack.add("TaskRole\(u)", IAM.Role(assumeRolePolicyDocument: trust("ecs-tasks.amazonaws.com")))
        stack.add("TaskPolicy\(u)", IAM.Policy(
            policyDocument: document(
                allow(["s3:GetObject", "s3:PutObject"], Value<String>("\(bucket.arn)/*").json),
                allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], table.getAtt("Arn").json),
                ["Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                 "Resource": fileSystem.getAtt("Arn").json,
                 "Condition": ["StringEquals": ["elasticfilesystem:AccessPointArn": accessPoint.getAtt("Arn").json]]],
                allow(["kms:Decrypt", "kms:GenerateDataKey"], key.arn.json)),
            policyName: "task", roles: [taskRole.ref]))
        stack.add("ReadConfigPolicy\(u)", IAM.ManagedPolicy(
            policyDocument: document(
                allow(["ssm:GetParameter", "ssm:GetParametersByPath"],
                      Value<String>("arn:\(AWS.partition):ssm:\(AWS.region):\(AWS.accountId):parameter/\(name)/*").json),
                allow(["s3:ListBucket"], bucket.arn.json)),
            description: "\(name): read its parameters and list its bucket",
            roles: [functionRole.ref, taskRole.ref]))
        let task = stack.add("TaskDefinition\(u)", raw("AWS::ECS::TaskDefinition", [
            "Family": .string("\(name)-app"), "Cpu": "512", "Memory": "1024", "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"], "ExecutionRoleArn": executionRole.arn.json, "TaskRoleArn": taskRole.arn.json,
            "RuntimePlatform": ["OperatingSystemFamily": "LINUX", "CpuArchitecture": "ARM64"],
            "ContainerDefinitions": [[
                "Name": "app", "Image": Value<String>("\(repository.repositoryUri):1.0.0").json, "Essential": true,
                "PortMappings": [["ContainerPort": 8080, "Protocol": "tcp"]],
                "Environment": [["Name": "TABLE_NAME", "Value": table.ref.json], ["Name": "BUCKET", "Value": bucket.ref.json]],
                "Secrets": [["Name": "DB_PASSWORD", "ValueFrom": Value<String>("\(secret.ref):password::").json]],
                "LogConfiguration": ["LogDriver": "awslogs", "Options": [
                    "awslogs-group": serviceLogs.ref.json, "awslogs-region": AWS.region.json, "awslogs-stream-prefix": "app",
                ]],
                "MountPoints": [["SourceVolume": "data", "ContainerPath": "/data", "ReadOnly": false]],
                "HealthCheck": ["Command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                                "Interval": 30, "Timeout": 5, "Retries": 3],
            ]],
            "Volumes": [["Name": "data", "EFSVolumeConfiguration": [
                "FilesystemId": fileSystem.ref.json, "TransitEncryption": "ENABLED",
                "AuthorizationConfig": ["AccessPointId": accessPoint.ref.json, "IAM": "ENABLED"],
            ]]],
        ]))
        let zone = stack.add("Zone\(u)", raw("AWS::Route53::HostedZone", [
            "Name": .string("\(name).example.com"), "HostedZoneConfig": ["Comment": .string("\(name) public zone")],
        ]))
        let certificate = stack.add("Certificate\(u)", raw("AWS::CertificateManager::Certificate", [
            "DomainName": .string("api.\(name).example.com"), "ValidationMethod": "DNS",
            "DomainValidationOptions": [["DomainName": .string("api.\(name).example.com"), "HostedZoneId": zone.ref.json]],
        ]))
        let balancer = stack.add("LoadBalancer\(u)", raw("AWS::ElasticLoadBalancingV2::LoadBalancer", [
            "Type": "application", "Scheme": "internet-facing",
            "Subnets": [subnets["PublicA"]!.ref.json, subnets["PublicB"]!.ref.json], "SecurityGroups": [albGroup.ref.json],
            "LoadBalancerAttributes": [
                ["Key": "idle_timeout.timeout_seconds", "Value": "60"],
                ["Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"],
            ],
        ]))
        let targetGroup = stack.add("TargetGroup\(u)", raw("AWS::ElasticLoadBalancingV2::TargetGroup", [
            "Port": 8080, "Protocol": "HTTP", "TargetType": "ip", "VpcId": vpc.ref.json, "HealthCheckPath": "/health",
            "HealthCheckIntervalSeconds": 15, "Matcher": ["HttpCode": "200"],
            "TargetGroupAttributes": [["Key": "deregistration_delay.timeout_seconds", "Value": "30"]],
        ]))
        let https = stack.add("HttpsListener\(u)", raw("AWS::ElasticLoadBalancingV2::Listener", [
            "LoadBalancerArn": balancer.ref.json, "Port": 443, "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [["CertificateArn": certificate.ref.json]],
            "DefaultActions": [["Type": "forward", "TargetGroupArn": targetGroup.ref.json]],
        ]))
        stack.add("HttpListener\(u)", raw("AWS::ElasticLoadBalancingV2::Listener", [
            "LoadBalancerArn": balancer.ref.json, "Port": 80, "Protocol": "HTTP",
            "DefaultActions": [["Type": "redirect", "RedirectConfig": ["Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"]]],
        ]))
        stack.add("PingRule\(u)", raw("AWS::ElasticLoadBalancingV2::ListenerRule", [
            "ListenerArn": https.ref.json, "Priority": 10,
            "Conditions": [["Field": "path-pattern", "PathPatternConfig": ["Values": ["/ping"]]]],
            "Actions": [["Type": "fixed-response", "FixedResponseConfig": [
                "StatusCode": "200", "ContentType": "text/plain", "MessageBody": "ok",
            ]]],
        ]))
        stack.add("ApiRecord\(u)", raw("AWS::Route53::RecordSet", [
            "HostedZoneId": zone.ref.json, "Name": .string("api.\(name).example.com."), "Type": "A",
            "AliasTarget": ["DNSName": balancer.getAtt("DNSName").json, "HostedZoneId": balancer.getAtt("CanonicalHostedZoneID").json],
        ]))
        let service = stack.add("Service\(u)", raw("AWS::ECS::Service", [
            "Cluster": cluster.ref.json, "TaskDefinition": task.ref.json, "DesiredCount": 2, "LaunchType": "FARGATE",
            "HealthCheckGracePeriodSeconds": 60,
            "NetworkConfiguration": ["AwsvpcConfiguration": [
                "AssignPublicIp": "DISABLED", "Subnets": [subnets["PrivateA"]!.ref.json, subnets["PrivateB"]!.ref.json],
                "SecurityGroups": [serviceGroup.ref.json],
            ]],
            "LoadBalancers": [["ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": targetGroup.ref.json]],
            "DeploymentConfiguration": [
                "MinimumHealthyPercent": 100, "MaximumPercent": 200,
                "DeploymentCircuitBreaker": ["Enable": true, "Rollback": true],
            ],
        ])).dependsOn(https)
        let scaling = stack.add("ScalableTarget\(u)", raw("AWS::ApplicationAutoScaling::ScalableTarget", [
            "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": Value<String>("service/\(cluster.ref)/\(service.getAtt("Name"))").json, "MinCapacity": 2, "MaxCapacity": 10,
        ]))
        stack.add("CpuScaling\(u)", raw("AWS::ApplicationAutoScaling::ScalingPolicy", [
            "PolicyName": .string("\(name)-cpu"), "PolicyType": "TargetTrackingScaling", "ScalingTargetId": scaling.ref.json,
            "TargetTrackingScalingPolicyConfiguration": [
                "TargetValue": 60, "ScaleInCooldown": 120, "ScaleOutCooldown": 60,
                "PredefinedMetricSpecification": ["PredefinedMetricType": "ECSServiceAverageCPUUtilization"],
            ],
        ]))

        // Users and the API.
        let pool = stack.add("UserPool\(u)", raw("AWS::Cognito::UserPool", [
            "UserPoolName": .string("\(name)-users"), "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "OFF",
            "Policies": ["PasswordPolicy": [
                "MinimumLength": 12, "RequireLowercase": true, "RequireUppercase": true, "RequireNumbers": true, "RequireSymbols": true,
            ]],
            "AccountRecoverySetting": ["RecoveryMechanisms": [["Name": "verified_email", "Priority": 1]]],
        ]))
        stack.add("UserPoolClient\(u)", raw("AWS::Cognito::UserPoolClient", [
            "UserPoolId": pool.ref.json, "ClientName": .string("\(name)-web"), "GenerateSecret": false,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], "PreventUserExistenceErrors": "ENABLED",
            "AccessTokenValidity": 60, "TokenValidityUnits": ["AccessToken": "minutes"],
        ]))
        let api = stack.add("RestApi\(u)", raw("AWS::ApiGateway::RestApi", [
            "Name": .string("\(name)-api"), "Description": .string("\(name) public API"),
            "EndpointConfiguration": ["Types": ["REGIONAL"]],
        ]))
        let items = stack.add("ItemsResource\(u)", raw("AWS::ApiGateway::Resource", [
            "RestApiId": api.ref.json, "ParentId": api.getAtt("RootResourceId").json, "PathPart": "items",
        ]))
        let authorizer = stack.add("Authorizer\(u)", raw("AWS::ApiGateway::Authorizer", [
            "Name": .string("\(name)-users"), "Type": "COGNITO_USER_POOLS", "RestApiId": api.ref.json,
            "IdentitySource": "method.request.header.Authorization", "ProviderARNs": [pool.getAtt("Arn").json],
        ]))
        let method = stack.add("ItemsGet\(u)", raw("AWS::ApiGateway::Method", [
            "RestApiId": api.ref.json, "ResourceId": items.ref.json, "HttpMethod": "GET",
            "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": authorizer.ref.json,
            "Integration": [
                "Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
                "Uri": Value<String>("arn:\(AWS.partition):apigateway:\(AWS.region):lambda:path/2015-03-31/functions/\(alias.ref)/invocations").json,
            ],
        ]))
        let deployment = stack.add("ApiDeployment\(u)", raw("AWS::ApiGateway::Deployment", [
            "RestApiId": api.ref.json, "Description": "release",
        ])).dependsOn(method)
        stack.add("ApiStage\(u)", raw("AWS::ApiGateway::Stage", [
            "RestApiId": api.ref.json, "DeploymentId": deployment.ref.json, "StageName": "prod", "TracingEnabled": true,
            "AccessLogSetting": [
                "DestinationArn": apiLogs.arn.json,
                "Format": #"{"requestId":"$context.requestId","status":"$context.status"}"#,
            ],
            "MethodSettings": [[
                "ResourcePath": "/*", "HttpMethod": "*", "MetricsEnabled": true,
                "ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 200,
            ]],
        ]))
        stack.add("ApiPermission\(u)", Lambda.Permission(
            action: "lambda:InvokeFunction", functionName: alias.ref, principal: "apigateway.amazonaws.com",
            sourceArn: "arn:\(AWS.partition):execute-api:\(AWS.region):\(AWS.accountId):\(api.ref)/*/GET/items"))
        stack.add("ApiUrlParameter\(u)", SSM.Parameter(
            type: .string, value: "https://\(api.ref).execute-api.\(AWS.region).\(AWS.urlSuffix)/prod",
            description: "API base URL", name: "/\(name)/api-url"))

        // Events and workflows.
        let bus = stack.add("EventBus\(u)", raw("AWS::Events::EventBus", ["Name": .string("\(name)-events")]))
        let workflowRole = stack.add("StateMachineRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("states.amazonaws.com"),
            policies: [IAM.Role.Policy(policyDocument: document(
                allow(["lambda:InvokeFunction"], alias.ref.json),
                allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], "*")),
                                       policyName: "workflow")]))
        let workflow = stack.add("StateMachine\(u)", StepFunctions.StateMachine(
            roleArn: workflowRole.arn,
            definition: [
                "Comment": .string("\(name) nightly compaction"), "StartAt": "Compact",
                "States": ["Compact": [
                    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": ["FunctionName": alias.ref.json, "Payload.$": "$"],
                    "Retry": [["ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2]],
                    "End": true,
                ]],
            ],
            stateMachineType: .standard,
            tracingConfiguration: .init(enabled: true)))
        let eventsRole = stack.add("EventsRole\(u)", IAM.Role(
            assumeRolePolicyDocument: trust("events.amazonaws.com"),
            policies: [IAM.Role.Policy(policyDocument: document(allow(["states:StartExecution"], workflow.ref.json)), policyName: "start")]))
        let orders = stack.add("OrderRule\(u)", Events.Rule(
            eventBusName: bus.ref,
            eventPattern: ["source": [.string("\(name).orders")], "detail-type": ["OrderPlaced"]],
            state: .enabled,
            targets: [
                Events.Rule.Target(arn: alias.ref, id: "function", retryPolicy: .init(maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 4)),
                Events.Rule.Target(arn: topic.ref, id: "topic"),
            ]))
        stack.add("ScheduleRule\(u)", Events.Rule(
            scheduleExpression: "rate(1 hour)", state: .enabled,
            targets: [Events.Rule.Target(arn: workflow.ref, id: "workflow", roleArn: eventsRole.arn)]))
        stack.add("EventsPermission\(u)", Lambda.Permission(
            action: "lambda:InvokeFunction", functionName: alias.ref, principal: "events.amazonaws.com", sourceArn: orders.arn))

        // Alarms and a dashboard.
        stack.add("FunctionErrors\(u)", CloudWatch.Alarm(
            alarmActions: [topic.ref], alarmName: "\(AWS.stackName)-\(name)-function-errors",
            comparisonOperator: .greaterThanOrEqualToThreshold,
            dimensions: [CloudWatch.Alarm.Dimension(name: "FunctionName", value: function.ref)],
            evaluationPeriods: 1, metricName: "Errors", namespace: "AWS/Lambda", period: 300, statistic: .sum,
            threshold: 1, treatMissingData: .notBreaching))
        stack.add("QueueAge\(u)", CloudWatch.Alarm(
            alarmActions: [topic.ref], alarmName: "\(AWS.stackName)-\(name)-queue-age",
            comparisonOperator: .greaterThanThreshold,
            dimensions: [CloudWatch.Alarm.Dimension(name: "QueueName", value: queue.getAtt("QueueName"))],
            evaluationPeriods: 3, metricName: "ApproximateAgeOfOldestMessage", namespace: "AWS/SQS", period: 300,
            statistic: .maximum, threshold: 900))
        stack.add("Target5xx\(u)", CloudWatch.Alarm(
            alarmActions: [topic.ref], alarmName: "\(AWS.stackName)-\(name)-5xx",
            comparisonOperator: .greaterThanThreshold, datapointsToAlarm: 3,
            dimensions: [CloudWatch.Alarm.Dimension(name: "LoadBalancer", value: balancer.getAtt("LoadBalancerFullName"))],
            evaluationPeriods: 5, metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB", period: 60,
            statistic: .sum, threshold: 10, treatMissingData: .notBreaching))
        let region = AWS.region, functionName = function.ref, queueName = queue.getAtt("QueueName")
        let body: Value<String> = #"{"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"region":"\#(region)","title":"Function","metrics":[["AWS/Lambda","Invocations","FunctionName","\#(functionName)"],["AWS/Lambda","Errors","FunctionName","\#(functionName)"]]}},{"type":"metric","x":12,"y":0,"width":12,"height":6,"properties":{"region":"\#(region)","title":"Queue","metrics":[["AWS/SQS","ApproximateAgeOfOldestMessage","QueueName","\#(queueName)"]]}}]}"#
        stack.add("Dashboard\(u)", raw("AWS::CloudWatch::Dashboard", [
            "DashboardName": Value<String>("\(AWS.stackName)-\(name)").json, "DashboardBody": body.json,
        ]))
    }
}
