import Formation
import FormationConstructs

/// An app built for the command-line tests: one stack per behaviour the CLI must handle.
///
/// | stack | what it exercises |
/// |---|---|
/// | `Good-test` | a clean stack (KMS key, log group, output, parameters with and without deploy values) |
/// | `Warn-test` | one warning (the documented type outside the registry schemas) |
/// | `Broken-test` | one error (a Ref to nothing) |
/// | `NamedIam-test` | a named IAM role; NoEcho, required, defaulted and shell-hostile parameters |
/// | `UnnamedIam-test` | IAM role and managed policy without names |
/// | `Big-test` | a template over CloudFormation's 51,200-byte inline limit |
/// | `Stateful-test` | stateful and replaceable resources for `diff` and `snapshot` (key, bucket, parameter, security group and rule, table) |
enum CLITestApp {
    /// A value that must never appear in any output (the NoEcho parameter's deploy value).
    static let secret = "s3cr3t-never-printed"
    /// A deploy value full of characters a shell would interpret.
    static let hostile = #"it's a "quoted" $HOME `value` \ & more"#

    static func make() -> App {
        let app = App(schemas: SchemaRegistry([
            PermissiveSchema("AWS::KMS::Key", attributes: ["Arn", "KeyId"]),
            PermissiveSchema("AWS::Logs::LogGroup", attributes: ["Arn"]),
            PermissiveSchema("AWS::IAM::Role", attributes: ["Arn", "RoleId"]),
            PermissiveSchema("AWS::IAM::ManagedPolicy", attributes: ["PolicyArn"]),
            PermissiveSchema("AWS::SSM::Parameter", attributes: ["Type", "Value"]),
            PermissiveSchema("AWS::S3::Bucket", attributes: ["Arn", "DomainName"]),
            PermissiveSchema("AWS::EC2::SecurityGroup", attributes: ["GroupId", "VpcId"]),
            PermissiveSchema("AWS::EC2::SecurityGroupIngress", attributes: ["Id"]),
            PermissiveSchema("AWS::DynamoDB::Table", attributes: ["Arn", "StreamArn"]),
        ]))
        good(app)
        warn(app)
        broken(app)
        namedIAM(app)
        unnamedIAM(app)
        big(app)
        stateful(app)
        return app
    }

    /// With `FORMATION_TESTAPP=stack-set`: a baseline stack deployed as a StackSet into two
    /// accounts × two regions (self-managed), and one into an organizational unit.
    static func makeStackSets() -> App {
        let app = App(schemas: SchemaRegistry([
            PermissiveSchema("AWS::SNS::Topic", attributes: ["TopicArn", "TopicName"]),
            PermissiveSchema("AWS::IAM::Role", attributes: ["Arn", "RoleId"]),
        ]))
        let accounts = app.stackSet("Baseline-x", description: "Alerts in every account", deployment: StackSetDeployment(
            targets: .accounts(["111111111111", "222222222222"]), regions: ["us-east-1", "eu-west-1"],
            permissionModel: .selfManaged(administrationRoleARN: "arn:aws:iam::999999999999:role/AWSCloudFormationStackSetAdministrationRole",
                                          executionRoleName: "AWSCloudFormationStackSetExecutionRole"),
            failureToleranceCount: 1, maxConcurrentCount: 2, regionConcurrency: .parallel))
        let email = accounts.parameter("AlertEmail", type: .string, description: "Where alerts go", deployValue: "ops@example.com")
        // Named: moto names an instance's stack `StackSet:<name>`, and refuses a topic named after it.
        accounts.add("Alerts", RawResource(type: "AWS::SNS::Topic", properties: ["TopicName": "formation-baseline-alerts",
                                                                                "DisplayName": .fn(.ref("AlertEmail"))],
                                           tokens: [email.ref.tokenValue].compactMap { $0 }))
        let organization = app.stackSet("Guard-x", deployment: StackSetDeployment(
            targets: .organizationalUnits(["ou-abcd-11112222"]), regions: ["us-east-1"],
            permissionModel: .serviceManaged(autoDeployment: true), maxConcurrentPercentage: 25))
        organization.add("Role", RawResource(type: "AWS::IAM::Role", properties: [
            "RoleName": "guard", "AssumeRolePolicyDocument": ["Version": "2012-10-17", "Statement": []],
        ]))
        return app
    }

    /// With `FORMATION_TESTAPP=nested`: `Parent-x`, whose network is a nested stack (the CIDR
    /// passed down as a parameter, the VPC's outputs read back through `Fn::GetAtt
    /// Network.Outputs.X` by an SSM parameter and an output), and `Regional-x`, declared for one account and two
    /// regions (deploy-args names the account and gives one command per region).
    static func makeNested() -> App {
        let app = App(schemas: .bundled)
        let parent = app.stack("Parent-x", description: "A parent with a nested network", environment: "x")
        let network = NestedStack(parent, "Network", description: "The parent's network")
        let cidr = network.parameter("Cidr", value: "10.42.0.0/16", description: "The VPC's range")
        let vpc = network.template.add("Vpc", RawResource(type: "AWS::EC2::VPC", properties: ["CidrBlock": .fn(.ref("Cidr"))],
                                                          tokens: [cidr.tokenValue].compactMap { $0 }))
        network.template.output("VpcId", vpc.ref, description: "The VPC")
        network.template.output("VpcCidr", vpc.getAtt("CidrBlock"), description: "The VPC's range")
        parent.add("NetworkSetting", RawResource(type: "AWS::SSM::Parameter", properties: [
            "Type": "String", "Value": network.output("VpcCidr").json,
        ]))
        parent.output("NetworkVpcId", network.output("VpcId"), description: "The nested stack's VPC")
        let regional = app.stack("Regional-x", description: "One account, two regions", environment: "x",
                                 regions: ["us-east-1", "eu-west-1"], account: "123456789012")
        regional.add("Alerts", RawResource(type: "AWS::SNS::Topic", properties: ["DisplayName": "alerts"]))
        return app
    }

    /// With `FORMATION_TESTAPP=cross-stack`: three stacks that import from each other, added
    /// consumers first (`Service-x` uses `Data-x`'s table and `Network-x`'s group; `Data-x` uses
    /// `Network-x`'s group), for the deploy order in `list` and `deploy-args`.
    static func makeCrossStack() -> App {
        let app = App(schemas: SchemaRegistry([
            PermissiveSchema("AWS::EC2::SecurityGroup", attributes: ["GroupId", "VpcId"]),
            PermissiveSchema("AWS::DynamoDB::Table", attributes: ["Arn", "StreamArn"]),
            PermissiveSchema("AWS::SSM::Parameter", attributes: ["Type", "Value"]),
        ]))
        let service = app.stack("Service-x", environment: "x")
        let data = app.stack("Data-x", environment: "x")
        let network = app.stack("Network-x", environment: "x")
        let group = network.add("Group", RawResource(type: "AWS::EC2::SecurityGroup", properties: ["GroupDescription": "shared"]))
        let table = data.add("Table", RawResource(type: "AWS::DynamoDB::Table", properties: [
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
            "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        ]))
        data.output("GroupOfData", group.getAtt("GroupId"))
        service.add("Settings", RawResource(
            type: "AWS::SSM::Parameter",
            properties: ["Type": "String", "Value": .fn(.getAtt("Table", "Arn"))],
            tokens: [table.getAtt("Arn").tokenValue].compactMap { $0 }))
        service.output("GroupOfService", group.getAtt("GroupId"))
        return app
    }

    static func good(_ app: App) {
        let stack = app.stack("Good-test", description: "A clean stack", environment: "test")
        let retention = stack.parameter("RetentionDays", type: .number, default: 30)
        let env = stack.parameter("Env", type: .string, deployValue: "test")
        let key = stack.add("LogKey", RawResource(type: "AWS::KMS::Key", properties: [
            "EnableKeyRotation": true,
            "KeyPolicy": keyPolicy,
        ])).retainOnDelete()
        let logs = stack.add("AppLogs", RawResource(type: "AWS::Logs::LogGroup", properties: [
            "LogGroupName": Value<String>("/formation/cli-test/\(env.ref)").json,
            "RetentionInDays": retention.ref.json,
            "KmsKeyId": key.getAtt("Arn").json,
        ]))
        stack.output("LogGroupName", logs.ref, description: "The log group")
    }

    static func warn(_ app: App) {
        let stack = app.stack("Warn-test", description: "A stack with one warning", environment: "test")
        stack.add("Logging", RawResource(type: "AWS::Bedrock::ModelInvocationLoggingConfiguration", properties: [
            "LoggingConfig": ["TextDataDeliveryEnabled": true],
        ]))
    }

    static func broken(_ app: App) {
        let stack = app.stack("Broken-test", description: "A stack with one error", environment: "test")
        stack.add("Logs", RawResource(type: "AWS::Logs::LogGroup", properties: [
            "KmsKeyId": .fn(.ref("MissingKey")),
        ]))
    }

    static func namedIAM(_ app: App) {
        let stack = app.stack("NamedIam-test", description: "A named IAM role", environment: "test")
        stack.parameter("GitHubAppPrivateKey", type: .string, noEcho: true, deployValue: secret)
        stack.parameter("NotificationEmail", type: .string, allowedPattern: "^[^@]+@[^@]+$")
        stack.parameter("Greeting", type: .string, deployValue: hostile)
        stack.parameter("GitHubBranch", type: .string, default: "main")
        stack.parameter("WebhookToken", type: .string, default: "unused", noEcho: true)
        stack.add("FunctionRole", RawResource(type: "AWS::IAM::Role", properties: [
            "RoleName": "formation-cli-test-role",
            "AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
        ]))
    }

    static func unnamedIAM(_ app: App) {
        let stack = app.stack("UnnamedIam-test", description: "IAM without names", environment: "test")
        let role = stack.add("FunctionRole", RawResource(type: "AWS::IAM::Role", properties: [
            "AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
        ]))
        stack.add("ReadPolicy", RawResource(type: "AWS::IAM::ManagedPolicy", properties: [
            "Roles": [role.ref.json],
            "PolicyDocument": [
                "Version": "2012-10-17",
                "Statement": [["Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:*:*:parameter/x"]],
            ],
        ]))
    }

    static func big(_ app: App) {
        let stack = app.stack("Big-test", description: "Over the inline body limit", environment: "test")
        let filler = String(repeating: "0123456789", count: 100)
        for index in 1...60 {
            stack.add("Parameter\(index)", RawResource(type: "AWS::SSM::Parameter", properties: [
                "Type": "String",
                "Value": .string(filler),
            ]))
        }
    }

    static func stateful(_ app: App) {
        let stack = app.stack("Stateful-test", description: "Stateful resources", environment: "test")
        stack.add("DataKey", RawResource(type: "AWS::KMS::Key", properties: [
            "EnableKeyRotation": true,
        ])).retainOnDelete()
        stack.add("Data", RawResource(type: "AWS::S3::Bucket", properties: [
            "BucketName": "formation-cli-test-data",
            "VersioningConfiguration": ["Status": "Enabled"],
        ]))
        stack.add("Setting", RawResource(type: "AWS::SSM::Parameter", properties: [
            "Name": "/formation/cli-test/setting",
            "Type": "String",
            "Value": "on",
        ]))
        let group = stack.add("CacheSg", RawResource(type: "AWS::EC2::SecurityGroup", properties: [
            "GroupDescription": "cache clients",
            "VpcId": "vpc-0123456789abcdef0",
        ]))
        stack.add("CacheIngress", RawResource(type: "AWS::EC2::SecurityGroupIngress", properties: [
            "GroupId": group.getAtt("GroupId").json,
            "IpProtocol": "tcp",
            "FromPort": 6379,
            "ToPort": 6379,
            "CidrIp": "10.0.0.0/16",
        ]))
        stack.add("Table", RawResource(type: "AWS::DynamoDB::Table", properties: [
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
            "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        ]))
    }

    static let keyPolicy: TemplateValue = [
        "Version": "2012-10-17",
        "Statement": [[
            "Effect": "Allow",
            "Principal": ["AWS": .fn(.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", nil))],
            "Action": "kms:*",
            "Resource": "*",
        ]],
    ]

    static func trust(_ service: String) -> TemplateValue {
        [
            "Version": "2012-10-17",
            "Statement": [[
                "Effect": "Allow",
                "Principal": ["Service": .string(service)],
                "Action": "sts:AssumeRole",
            ]],
        ]
    }
}

/// A schema that accepts any properties: it only tells the validator which types and
/// attributes exist (other types are unknown: errors).
struct PermissiveSchema: ResourceSchema {
    let typeName: String
    let attributeNames: Set<String>

    init(_ typeName: String, attributes: Set<String>) {
        self.typeName = typeName
        self.attributeNames = attributes
    }

    func validate(_ properties: OrderedMap) -> [SchemaViolation] { [] }
}
