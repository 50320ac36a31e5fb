import Testing
@testable import FormationConstructs

/// The rules for encryption, S3 data, egress, logging, Lambda dead-letter queues, secrets and
/// deletion policies, each on templates it must fail and templates it must pass.
@Suite struct RulePackCoverageTests {
    func findings(_ rule: some TemplateRule, _ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml))
        return rule.check(template, ValidationContext(stackPath: "t.yaml")).map(\.description)
    }

    // MARK: - Encryption at rest

    @Test func unencryptedDatabasesFail() throws {
        #expect(try findings(EncryptionRules(), """
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: "20"}
          Disabled:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-postgresql, StorageEncrypted: false}
          Docs:
            Type: AWS::DocDB::DBCluster
            Properties: {StorageEncrypted: "False"}
          Graph:
            Type: AWS::Neptune::DBCluster
        """) == [
            "error FM4202 t.yaml/Db: StorageEncrypted: absent — the database instance's storage is not encrypted",
            "error FM4202 t.yaml/Disabled: StorageEncrypted: false — the cluster's storage is not encrypted",
            "error FM4202 t.yaml/Docs: StorageEncrypted: \"False\" — the cluster's storage is not encrypted",
            "error FM4202 t.yaml/Graph: StorageEncrypted: absent — the cluster's storage is not encrypted",
        ])
    }

    @Test func encryptedInheritedOrComputedDatabasesPass() throws {
        #expect(try findings(EncryptionRules(), """
        Parameters:
          Encrypt: {Type: String}
        Resources:
          Cluster:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, StorageEncrypted: true}
          Member:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r7g.large}
          Replica:
            Type: AWS::RDS::DBInstance
            Properties: {SourceDBInstanceIdentifier: primary, DBInstanceClass: db.t4g.micro}
          Restored:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, SnapshotIdentifier: snap}
          ServerlessV1:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, EngineMode: serverless}
          FromParameter:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, StorageEncrypted: !Ref Encrypt}
          Plain:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, StorageEncrypted: "true"}
        """).isEmpty)
    }

    @Test func volumesAndFileSystems() throws {
        #expect(try findings(EncryptionRules(), """
        Resources:
          Volume:
            Type: AWS::EC2::Volume
            Properties: {AvailabilityZone: us-east-1a, Size: 10}
          FromSnapshot:
            Type: AWS::EC2::Volume
            Properties: {AvailabilityZone: us-east-1a, SnapshotId: snap-1}
          Sealed:
            Type: AWS::EC2::Volume
            Properties: {AvailabilityZone: us-east-1a, Size: 10, Encrypted: true}
          Host:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-12345678
              BlockDeviceMappings:
                - {DeviceName: /dev/xvda, Ebs: {VolumeSize: 20, Encrypted: true}}
                - {DeviceName: /dev/xvdb, Ebs: {VolumeSize: 20}}
                - {DeviceName: /dev/xvdc, VirtualName: ephemeral0}
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties:
              LaunchTemplateData: {BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {Encrypted: false}}]}
          Config:
            Type: AWS::AutoScaling::LaunchConfiguration
            Properties: {ImageId: ami-12345678, InstanceType: t3.micro, BlockDeviceMappings: [{DeviceName: /dev/sdk, Ebs: {VolumeSize: 5}}, {DeviceName: /dev/sdl, Ebs: {SnapshotId: snap-1}}]}
          Files:
            Type: AWS::EFS::FileSystem
          SealedFiles:
            Type: AWS::EFS::FileSystem
            Properties: {Encrypted: true}
        """) == [
            "warning FM4203 t.yaml/Volume: Encrypted: absent — the volume is not encrypted (unless the account encrypts EBS by default)",
            "warning FM4203 t.yaml/Host: BlockDeviceMappings[1].Ebs.Encrypted: absent — the block device is not encrypted (unless the account encrypts EBS by default)",
            "warning FM4203 t.yaml/Template: LaunchTemplateData.BlockDeviceMappings[0].Ebs.Encrypted: false — the block device is not encrypted (unless the account encrypts EBS by default)",
            "warning FM4203 t.yaml/Config: BlockDeviceMappings[0].Ebs.Encrypted: absent — the block device is not encrypted (unless the account encrypts EBS by default)",
            "error FM4204 t.yaml/Files: Encrypted: absent — the file system is not encrypted at rest",
        ])
    }

    @Test func messagingAndTables() throws {
        #expect(try findings(EncryptionRules(), """
        Resources:
          Topic:
            Type: AWS::SNS::Topic
          SealedTopic:
            Type: AWS::SNS::Topic
            Properties: {KmsMasterKeyId: alias/aws/sns}
          DefaultQueue:
            Type: AWS::SQS::Queue
          OffQueue:
            Type: AWS::SQS::Queue
            Properties: {SqsManagedSseEnabled: false}
          KeyedQueue:
            Type: AWS::SQS::Queue
            Properties: {SqsManagedSseEnabled: false, KmsMasterKeyId: alias/aws/sqs}
          Owned:
            Type: AWS::DynamoDB::Table
            Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}
          Managed:
            Type: AWS::DynamoDB::Table
            Properties: {SSESpecification: {SSEEnabled: true}, KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}]}
        """) == [
            "warning FM4205 t.yaml/Topic: KmsMasterKeyId: absent — the topic's messages are not encrypted with a KMS key",
            "warning FM4206 t.yaml/OffQueue: SqsManagedSseEnabled: false with no KmsMasterKeyId — the queue's messages are stored unencrypted",
            "info FM4207 t.yaml/Owned: SSESpecification.SSEEnabled: absent — encrypted with an AWS-owned key",
        ])
    }

    @Test func cachesAndKeys() throws {
        #expect(try findings(EncryptionRules(), """
        Resources:
          Plain:
            Type: AWS::ElastiCache::ReplicationGroup
            Properties: {ReplicationGroupDescription: plain, Engine: redis}
          Sealed:
            Type: AWS::ElastiCache::ReplicationGroup
            Properties: {ReplicationGroupDescription: sealed, AtRestEncryptionEnabled: true, TransitEncryptionEnabled: true}
          Memcached:
            Type: AWS::ElastiCache::CacheCluster
            Properties: {Engine: memcached, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1}
          RedisNode:
            Type: AWS::ElastiCache::CacheCluster
            Properties: {Engine: redis, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1}
          Key:
            Type: AWS::KMS::Key
            Properties: {KeyPolicy: {}}
          Rotating:
            Type: AWS::KMS::Key
            Properties: {KeyPolicy: {}, EnableKeyRotation: true}
          Signing:
            Type: AWS::KMS::Key
            Properties: {KeyPolicy: {}, KeySpec: ECC_NIST_P256, KeyUsage: SIGN_VERIFY}
          Imported:
            Type: AWS::KMS::Key
            Properties: {KeyPolicy: {}, Origin: EXTERNAL}
        """) == [
            "error FM4208 t.yaml/Plain: AtRestEncryptionEnabled: absent — the cache's data and backups are not encrypted at rest",
            "warning FM4209 t.yaml/Plain: TransitEncryptionEnabled: absent — clients reach the cache without TLS",
            "warning FM4209 t.yaml/Memcached: TransitEncryptionEnabled: absent — clients reach the cache without TLS",
            "warning FM4210 t.yaml/Key: EnableKeyRotation: absent — the key's material is never rotated",
        ])
    }

    // MARK: - S3 versioning

    @Test func retainedBucketsNeedVersioning() throws {
        #expect(try findings(S3VersioningRule(), """
        Resources:
          Default:
            Type: AWS::S3::Bucket
          Kept:
            Type: AWS::S3::Bucket
            DeletionPolicy: Retain
            Properties:
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}}]}
          KeptOnReplace:
            Type: AWS::S3::Bucket
            UpdateReplacePolicy: Retain
            Properties:
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}
              VersioningConfiguration: {Status: Suspended}
          Versioned:
            Type: AWS::S3::Bucket
            DeletionPolicy: RetainExceptOnCreate
            Properties:
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}
              VersioningConfiguration: {Status: Enabled}
        """) == [
            "warning FM4905 t.yaml/Kept: VersioningConfiguration.Status: absent — the bucket is kept (DeletionPolicy: Retain) but an overwritten or deleted object is gone",
            "warning FM4905 t.yaml/KeptOnReplace: VersioningConfiguration.Status: \"Suspended\" — the bucket is kept (UpdateReplacePolicy: Retain) but an overwritten or deleted object is gone",
        ])
    }

    // MARK: - Network

    @Test func allTrafficEgressToTheInternet() throws {
        #expect(try findings(OpenEgressRule(), """
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: out
              SecurityGroupEgress:
                - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
                - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}
                - {IpProtocol: "-1", CidrIp: 10.0.0.0/8}
          Six:
            Type: AWS::EC2::SecurityGroupEgress
            Properties: {GroupId: !Ref Sg, IpProtocol: -1, CidrIpv6: "::/0"}
          Default:
            Type: AWS::EC2::SecurityGroup
            Properties: {GroupDescription: default egress}
        """) == [
            "warning FM4802 t.yaml/Sg: SecurityGroupEgress[1]: allows all traffic (IpProtocol -1) to 0.0.0.0/0",
            "warning FM4802 t.yaml/Six: allows all traffic (IpProtocol -1) to ::/0",
        ])
    }

    // MARK: - Logging

    @Test func logRetentionAndAccessLogs() throws {
        #expect(try findings(LoggingRules(), """
        Resources:
          Forever:
            Type: AWS::Logs::LogGroup
          Month:
            Type: AWS::Logs::LogGroup
            Properties: {RetentionInDays: 30}
          Data:
            Type: AWS::S3::Bucket
            Properties: {LoggingConfiguration: {DestinationBucketName: !Ref Logs}}
          Logs:
            Type: AWS::S3::Bucket
          Other:
            Type: AWS::S3::Bucket
          Alb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {LoadBalancerAttributes: [{Key: idle_timeout.timeout_seconds, Value: "60"}]}
          LoggedAlb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: "true"}, {Key: access_logs.s3.bucket, Value: !Ref Logs}]}
          Nlb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {Type: network}
          Classic:
            Type: AWS::ElasticLoadBalancing::LoadBalancer
            Properties: {Listeners: [{LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}]}
          Cdn:
            Type: AWS::CloudFront::Distribution
            Properties: {DistributionConfig: {Enabled: true}}
          CdnV2:
            Type: AWS::CloudFront::Distribution
            Properties: {DistributionConfig: {Enabled: true}}
          CdnV2Source:
            Type: AWS::Logs::DeliverySource
            Properties: {Name: cdn, LogType: ACCESS_LOGS, ResourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${CdnV2}"}
          Stage:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: api, DeploymentId: d, StageName: prod}
          LoggedStage:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: api, DeploymentId: d, AccessLogSetting: {DestinationArn: !GetAtt Month.Arn}}
          Deployment:
            Type: AWS::ApiGateway::Deployment
            Properties: {RestApiId: api, StageName: v1}
          HttpStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: api, StageName: $default}
        """) == [
            "warning FM4220 t.yaml/Forever: RetentionInDays: absent — the log group keeps every event forever",
            "info FM4221 t.yaml/Other: LoggingConfiguration: absent — requests to the bucket are not logged",
            "warning FM4222 t.yaml/Alb: LoadBalancerAttributes: access_logs.s3.enabled is absent — requests are not logged",
            "warning FM4222 t.yaml/Classic: AccessLoggingPolicy.Enabled: absent — requests are not logged",
            "warning FM4223 t.yaml/Cdn: DistributionConfig.Logging: absent, and no AWS::Logs::DeliverySource names the distribution — viewer requests are not logged",
            "warning FM4224 t.yaml/Stage: AccessLogSetting.DestinationArn: absent — API calls are not logged",
            "warning FM4224 t.yaml/Deployment: StageDescription.AccessLogSetting.DestinationArn: absent — the stage this deployment creates does not log API calls",
            "warning FM4224 t.yaml/HttpStage: AccessLogSettings.DestinationArn: absent — API calls are not logged",
        ])
    }

    // MARK: - Lambda

    @Test func asyncFunctionsNeedADeadLetterQueue() throws {
        #expect(try findings(LambdaDeadLetterRule(), """
        Resources:
          FromRule:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}}
          Rule:
            Type: AWS::Events::Rule
            Properties: {ScheduleExpression: rate(1 hour), Targets: [{Arn: !GetAtt FromRule.Arn, Id: f}]}
          FromTopic:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}}
          Subscription:
            Type: AWS::SNS::Subscription
            Properties: {Protocol: lambda, Endpoint: !GetAtt FromTopic.Arn, TopicArn: t}
          FromBucket:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}}
          BucketPermission:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref FromBucket, Principal: s3.amazonaws.com}
          WithQueue:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq}}
          WithQueuePermission:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref WithQueue, Principal: sns.amazonaws.com}
          WithDestination:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}}
          WithDestinationRule:
            Type: AWS::Events::Rule
            Properties: {ScheduleExpression: rate(1 hour), Targets: [{Arn: !Sub "${WithDestination.Arn}", Id: f}]}
          WithDestinationConfig:
            Type: AWS::Lambda::EventInvokeConfig
            Properties: {FunctionName: !Ref WithDestination, Qualifier: $LATEST, DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:123456789012:dlq}}}
          BehindApi:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: r, Code: {ZipFile: x}}
          ApiPermission:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: !GetAtt BehindApi.Arn, Principal: apigateway.amazonaws.com}
          Sam:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.12, Handler: i.h, CodeUri: s3://b/k, Events: {Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}}}
          SamQueue:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.12, Handler: i.h, CodeUri: s3://b/k, Events: {Work: {Type: SQS, Properties: {Queue: q}}}}
        """) == [
            "warning FM4504 t.yaml/FromRule: DeadLetterConfig: absent — invoked asynchronously by Rule (AWS::Events::Rule), and no on-failure destination; events that keep failing are dropped",
            "warning FM4504 t.yaml/FromTopic: DeadLetterConfig: absent — invoked asynchronously by Subscription (AWS::SNS::Subscription), and no on-failure destination; events that keep failing are dropped",
            "warning FM4504 t.yaml/FromBucket: DeadLetterConfig: absent — invoked asynchronously by BucketPermission (a permission for s3.amazonaws.com), and no on-failure destination; events that keep failing are dropped",
            "warning FM4504 t.yaml/Sam: DeadLetterQueue: absent — invoked asynchronously by its Schedule event Nightly, and no on-failure destination; events that keep failing are dropped",
        ])
    }

    // MARK: - Secrets

    @Test func secretLookingNames() {
        for name in ["DbPassword", "DB_PASSWORD", "GitHubAppPrivateKey", "API_KEY", "apiKey", "SlackToken", "ClientSecret", "Credentials", "PRIVATE_KEY_PEM",
                     "SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "StripeSecretKey"] {
            #expect(SecretRules.looksSecret(name), "\(name)")
        }
        for name in ["SECRET_ARN", "DbPasswordParameterName", "TokenTtl", "PasswordLength", "SecretId", "KeyName", "MonkeyBusiness", "Tokenizer", "ApiKeyId",
                     // AWS's sample ADCONNECTOR.cfn.yaml: a KMS key ARN, not a secret (docs/aws-samples.md).
                     "SecretsManagerDomainCredentialsSecretsKMSKey", "TokenKmsKey"] {
            #expect(!SecretRules.looksSecret(name), "\(name)")
        }
        #expect(SecretRules.isAccessKeyID("AKIAIOSFODNN7EXAMPLE") && !SecretRules.isAccessKeyID("AKIAiosfodnn7EXAMPLE") && !SecretRules.isAccessKeyID("AKIA123"))
    }

    @Test func secretParametersAndEnvironments() throws {
        #expect(try findings(SecretRules(), """
        Parameters:
          DbPassword: {Type: String}
          HiddenPassword: {Type: String, NoEcho: true}
          TokenFromSsm: {Type: "AWS::SSM::Parameter::Value<String>"}
          SecretArn: {Type: String}
        Resources:
          Function:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: i.h
              Role: r
              Code: {ZipFile: x}
              Environment:
                Variables:
                  DB_PASSWORD: hunter2
                  API_TOKEN: "{{resolve:secretsmanager:prod/api:SecretString:token}}"
                  HIDDEN_PASSWORD: !Ref HiddenPassword
                  SECRET_ARN: !Ref SecretArn
                  SECRET: !Ref Store
                  LOG_LEVEL: debug
                  SOMETHING: AKIAIOSFODNN7EXAMPLE
          Task:
            Type: AWS::ECS::TaskDefinition
            Properties:
              ContainerDefinitions:
                - Name: app
                  Image: app
                  Environment: [{Name: STRIPE_API_KEY, Value: sk_live_123}, {Name: PORT, Value: "8080"}]
                  Secrets: [{Name: DB_PASSWORD, ValueFrom: arn:aws:secretsmanager:us-east-1:123456789012:secret:db}]
          Store:
            Type: AWS::SecretsManager::Secret
        """) == [
            "warning FM4250 t.yaml/Parameters/DbPassword: NoEcho: absent — parameter DbPassword looks like a secret and its value is shown wherever the stack is",
            "warning FM4251 t.yaml/Function: Environment.Variables.DB_PASSWORD: is a literal secret; it is plain text in the configuration",
            "warning FM4251 t.yaml/Function: Environment.Variables.API_TOKEN: resolves a secret into the variable; it is plain text in the configuration",
            "warning FM4251 t.yaml/Function: Environment.Variables.HIDDEN_PASSWORD: is the value of parameter HiddenPassword; it is plain text in the configuration",
            "warning FM4251 t.yaml/Function: Environment.Variables.SOMETHING: holds a literal AWS access key ID; it is plain text in the configuration",
            "warning FM4251 t.yaml/Task: ContainerDefinitions[0].Environment[0]: is a literal secret; it is plain text in the configuration",
        ])
    }

    // MARK: - Deletion

    @Test func statefulResourcesNeedRetainOrSnapshot() throws {
        #expect(try findings(DeletionPolicyRule(), """
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}]}
          HalfKept:
            Type: AWS::Logs::LogGroup
            DeletionPolicy: Retain
          Database:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres}
          Kept:
            Type: AWS::DynamoDB::Table
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
          Snapshotted:
            Type: AWS::RDS::DBCluster
            UpdateReplacePolicy: Snapshot
          Bucket:
            Type: AWS::S3::Bucket
          Role:
            Type: AWS::IAM::Role
          Chosen:
            Type: AWS::Logs::LogGroup
            DeletionPolicy: !If [IsProd, Retain, Delete]
            UpdateReplacePolicy: Retain
        """) == [
            "warning FM4260 t.yaml/Table: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::DynamoDB::Table destroys its data",
            "warning FM4260 t.yaml/HalfKept: UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::Logs::LogGroup destroys its data",
            "warning FM4260 t.yaml/Database: UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::RDS::DBInstance destroys its data",
        ])
    }

    @Test func statefulTypesComeFromCfnLint() {
        #expect(StatefulTypes.cfnLintSource == "cfn-lint 1.58.0" && StatefulTypes.cfnLint.count == 29)
        #expect(StatefulTypes.needingPolicies.contains("AWS::DynamoDB::Table") && !StatefulTypes.needingPolicies.contains("AWS::S3::Bucket"))
        #expect(StatefulTypes.contains("AWS::S3::Bucket") && StatefulTypes.contains("AWS::SSM::Parameter") && StatefulTypes.contains("AWS::QLDB::Ledger"))
    }
}
