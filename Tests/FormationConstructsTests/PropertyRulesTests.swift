import Testing
@testable import FormationConstructs

/// The property rule family (`PropertyRules`): each row a rule ID, a resource it must flag with the
/// finding it must print, and a resource of the same type it must pass (the fix, a safe default, or
/// a value it must not guess). Property names are the registry schemas'.
@Suite struct PropertyRulesTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let id: String
        let type: String
        let failing: String
        let finding: String
        let passing: [String]
        var testDescription: String { id }
    }

    static let rows: [Row] = [
        Row(id: "FM4211", type: "AWS::OpenSearchService::Domain", failing: "{EncryptionAtRestOptions: {Enabled: false}}",
            finding: "warning FM4211 t.yaml/R: EncryptionAtRestOptions.Enabled: false — the domain's data is not encrypted at rest",
            passing: ["{EncryptionAtRestOptions: {Enabled: true}, NodeToNodeEncryptionOptions: {Enabled: true}, DomainEndpointOptions: {EnforceHTTPS: true}, LogPublishingOptions: {AUDIT_LOGS: {Enabled: true}}}",
                      "{EncryptionAtRestOptions: {Enabled: !Ref P}, NodeToNodeEncryptionOptions: {Enabled: true}, DomainEndpointOptions: {EnforceHTTPS: true}, LogPublishingOptions: !Ref P}"]),
        Row(id: "FM4212", type: "AWS::Kinesis::Stream", failing: "{ShardCount: 1}",
            finding: "warning FM4212 t.yaml/R: StreamEncryption: absent — the stream's records are not encrypted at rest",
            passing: ["{ShardCount: 1, StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}}"]),
        Row(id: "FM4213", type: "AWS::DAX::Cluster", failing: "{NodeType: dax.t3.small, ReplicationFactor: 1, IAMRoleARN: arn}",
            finding: "error FM4213 t.yaml/R: SSESpecification.SSEEnabled: absent — the cache's data is not encrypted at rest",
            passing: ["{NodeType: dax.t3.small, ReplicationFactor: 1, IAMRoleARN: arn, SSESpecification: {SSEEnabled: true}}"]),
        Row(id: "FM4214", type: "AWS::Redshift::Cluster", failing: "{Encrypted: false, LoggingProperties: {BucketName: b}}",
            finding: "warning FM4214 t.yaml/R: Encrypted: false — the cluster's data is not encrypted at rest",
            passing: ["{LoggingProperties: {BucketName: b}}", "{Encrypted: true, LoggingProperties: {BucketName: b}}"]),
        Row(id: "FM4215", type: "AWS::WorkSpaces::Workspace", failing: "{RootVolumeEncryptionEnabled: true}",
            finding: "error FM4215 t.yaml/R: UserVolumeEncryptionEnabled: absent — the user volume is not encrypted",
            passing: ["{RootVolumeEncryptionEnabled: true, UserVolumeEncryptionEnabled: true}"]),
        Row(id: "FM4216", type: "AWS::CodeBuild::Project", failing: "{Artifacts: {Type: S3, EncryptionDisabled: true}}",
            finding: "warning FM4216 t.yaml/R: Artifacts.EncryptionDisabled: true — the build artifacts are not encrypted",
            passing: ["{Artifacts: {Type: S3}}", "{Artifacts: {Type: S3, EncryptionDisabled: false}}",
                      "{Artifacts: {Type: CODEPIPELINE, EncryptionDisabled: true}}"]),
        Row(id: "FM4217", type: "AWS::Glue::DataCatalogEncryptionSettings",
            failing: "{CatalogId: \"111122223333\", DataCatalogEncryptionSettings: {EncryptionAtRest: {CatalogEncryptionMode: SSE-KMS}, ConnectionPasswordEncryption: {ReturnConnectionPasswordEncrypted: false}}}",
            finding: "warning FM4217 t.yaml/R: DataCatalogEncryptionSettings.ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted: false — connection passwords are returned in plain text",
            passing: ["{CatalogId: \"111122223333\", DataCatalogEncryptionSettings: {EncryptionAtRest: {CatalogEncryptionMode: SSE-KMS-WITH-SERVICE-ROLE}, ConnectionPasswordEncryption: {ReturnConnectionPasswordEncrypted: true}}}"]),
        Row(id: "FM4239", type: "AWS::Redshift::ClusterParameterGroup",
            failing: "{Description: d, ParameterGroupFamily: redshift-1.0, Parameters: [{ParameterName: require_ssl, ParameterValue: \"false\"}]}",
            finding: "warning FM4239 t.yaml/R: Parameters: require_ssl is \"false\" — clients may connect without SSL",
            passing: ["{Description: d, ParameterGroupFamily: redshift-1.0, Parameters: [{ParameterName: enable_user_activity_logging, ParameterValue: \"true\"}, {ParameterName: require_ssl, ParameterValue: \"true\"}]}"]),
        Row(id: "FM4230", type: "AWS::Elasticsearch::Domain",
            failing: "{EncryptionAtRestOptions: {Enabled: true}, DomainEndpointOptions: {EnforceHTTPS: true}, LogPublishingOptions: {X: {Enabled: true}}}",
            finding: "warning FM4230 t.yaml/R: NodeToNodeEncryptionOptions.Enabled: absent — the nodes talk to each other without TLS",
            passing: ["{EncryptionAtRestOptions: {Enabled: true}, NodeToNodeEncryptionOptions: {Enabled: \"true\"}, DomainEndpointOptions: {EnforceHTTPS: true}, LogPublishingOptions: {X: {Enabled: true}}}"]),
        Row(id: "FM4231", type: "AWS::OpenSearchService::Domain",
            failing: "{EncryptionAtRestOptions: {Enabled: true}, NodeToNodeEncryptionOptions: {Enabled: true}, DomainEndpointOptions: {EnforceHTTPS: false}, LogPublishingOptions: {X: {Enabled: true}}}",
            finding: "warning FM4231 t.yaml/R: DomainEndpointOptions.EnforceHTTPS: false — the endpoint accepts plain HTTP",
            passing: ["{EncryptionAtRestOptions: {Enabled: true}, NodeToNodeEncryptionOptions: {Enabled: true}, DomainEndpointOptions: {EnforceHTTPS: true}, LogPublishingOptions: {X: {Enabled: true}}}"]),
        Row(id: "FM4232", type: "AWS::ElasticLoadBalancingV2::Listener",
            failing: "{Protocol: HTTP, Port: 80, LoadBalancerArn: lb, DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
            finding: "warning FM4232 t.yaml/R: Protocol: \"HTTP\" — the listener serves plain HTTP and does not redirect to HTTPS",
            passing: ["{Protocol: HTTP, Port: 80, LoadBalancerArn: lb, DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: \"443\", StatusCode: HTTP_301}}]}",
                      "{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: TCP, Port: 5432, LoadBalancerArn: lb, DefaultActions: [{Type: forward, TargetGroupArn: tg}]}"]),
        Row(id: "FM4242", type: "AWS::ElasticLoadBalancingV2::Listener",
            failing: "{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
            finding: "warning FM4242 t.yaml/R: SslPolicy: absent — the HTTPS listener gets ELBSecurityPolicy-2016-08, which accepts TLSv1, TLSv1.1",
            passing: ["{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: TLS, Port: 443, LoadBalancerArn: lb, SslPolicy: ELBSecurityPolicy-TLS13-1-3-PQ-2025-09, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, SslPolicy: !Ref Policy, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, SslPolicy: ELBSecurityPolicy-FS-1-2-Res-2020-10, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: TCP, Port: 443, LoadBalancerArn: lb, DefaultActions: [{Type: forward, TargetGroupArn: tg}]}",
                      "{Protocol: HTTP, Port: 80, LoadBalancerArn: lb, DefaultActions: [{Type: forward, TargetGroupArn: tg}]}"]),
        Row(id: "FM4233", type: "AWS::CloudFront::Distribution",
            failing: "{DistributionConfig: {Enabled: true, Logging: {Bucket: b}, DefaultCacheBehavior: {ViewerProtocolPolicy: redirect-to-https}, CacheBehaviors: [{PathPattern: /a, ViewerProtocolPolicy: allow-all}]}}",
            finding: "warning FM4233 t.yaml/R: DistributionConfig.CacheBehaviors[0].ViewerProtocolPolicy: \"allow-all\" — viewers may use plain HTTP",
            passing: ["{DistributionConfig: {Enabled: true, Logging: {Bucket: b}, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, CacheBehaviors: [{PathPattern: /a, ViewerProtocolPolicy: redirect-to-https}]}}"]),
        Row(id: "FM4234", type: "AWS::CloudFront::Distribution",
            failing: "{DistributionConfig: {Enabled: true, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, ViewerCertificate: {AcmCertificateArn: c, SslSupportMethod: sni-only}}}",
            finding: "warning FM4234 t.yaml/R: DistributionConfig.ViewerCertificate.MinimumProtocolVersion: absent — viewers may connect with TLS below 1.2",
            passing: ["{DistributionConfig: {Enabled: true, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, ViewerCertificate: {AcmCertificateArn: c, SslSupportMethod: sni-only, MinimumProtocolVersion: TLSv1.2_2021}}}",
                      "{DistributionConfig: {Enabled: true, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, ViewerCertificate: {CloudFrontDefaultCertificate: true}}}"]),
        Row(id: "FM4235", type: "AWS::CloudFront::Distribution",
            failing: "{DistributionConfig: {Enabled: true, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, Origins: [{Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: http-only}}]}}",
            finding: "warning FM4235 t.yaml/R: DistributionConfig.Origins[0].CustomOriginConfig.OriginProtocolPolicy: \"http-only\" — CloudFront talks to the origin without TLS",
            passing: ["{DistributionConfig: {Enabled: true, DefaultCacheBehavior: {ViewerProtocolPolicy: https-only}, Origins: [{Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}, {Id: s, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}]}}"]),
        Row(id: "FM4236", type: "AWS::ECS::TaskDefinition",
            failing: "{Volumes: [{Name: a, EFSVolumeConfiguration: {FilesystemId: fs-1, TransitEncryption: ENABLED}}, {Name: b, EFSVolumeConfiguration: {FilesystemId: fs-1}}]}",
            finding: "warning FM4236 t.yaml/R: Volumes[1].EFSVolumeConfiguration.TransitEncryption: absent — the EFS volume is mounted without TLS",
            passing: ["{Volumes: [{Name: a, EFSVolumeConfiguration: {FilesystemId: fs-1, TransitEncryption: ENABLED}}, {Name: host}]}"]),
        Row(id: "FM4237", type: "AWS::MSK::Cluster",
            failing: "{LoggingInfo: {BrokerLogs: {}}, EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS_PLAINTEXT}}}",
            finding: "warning FM4237 t.yaml/R: EncryptionInfo.EncryptionInTransit.ClientBroker: \"TLS_PLAINTEXT\" — clients may connect without TLS",
            passing: ["{LoggingInfo: {BrokerLogs: {}}}", "{LoggingInfo: {BrokerLogs: {}}, EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS, InCluster: true}}}"]),
        Row(id: "FM4238", type: "AWS::DocDB::DBClusterParameterGroup", failing: "{Family: docdb5.0, Description: d, Parameters: {tls: disabled}}",
            finding: "warning FM4238 t.yaml/R: Parameters.tls: \"disabled\" — clients connect without TLS",
            passing: ["{Family: docdb5.0, Description: d, Parameters: {tls: enabled}}", "{Family: docdb5.0, Description: d, Parameters: {audit_logs: enabled}}"]),
        Row(id: "FM4240", type: "AWS::SageMaker::DataQualityJobDefinition",
            failing: "{JobResources: {ClusterConfig: {InstanceCount: 2, InstanceType: ml.m5.large, VolumeSizeInGB: 20}}}",
            finding: "warning FM4240 t.yaml/R: NetworkConfig.EnableInterContainerTrafficEncryption: absent — the instances talk to each other unencrypted",
            passing: ["{JobResources: {ClusterConfig: {InstanceCount: 2, InstanceType: ml.m5.large, VolumeSizeInGB: 20}}, NetworkConfig: {EnableInterContainerTrafficEncryption: true}}",
                      "{JobResources: {ClusterConfig: {InstanceCount: 1, InstanceType: ml.m5.large, VolumeSizeInGB: 20}}}"]),
        Row(id: "FM4810", type: "AWS::RDS::DBInstance", failing: "{Engine: mysql, StorageEncrypted: true, PubliclyAccessible: true}",
            finding: "warning FM4810 t.yaml/R: PubliclyAccessible: true — the instance has a public address",
            passing: ["{Engine: mysql, StorageEncrypted: true}", "{Engine: mysql, StorageEncrypted: true, PubliclyAccessible: false}"]),
        Row(id: "FM4811", type: "AWS::Redshift::Cluster", failing: "{PubliclyAccessible: \"true\", LoggingProperties: {BucketName: b}}",
            finding: "warning FM4811 t.yaml/R: PubliclyAccessible: \"true\" — the cluster has a public address",
            passing: ["{PubliclyAccessible: false, LoggingProperties: {BucketName: b}}"]),
        Row(id: "FM4812", type: "AWS::DMS::ReplicationInstance", failing: "{ReplicationInstanceClass: dms.t3.micro}",
            finding: "warning FM4812 t.yaml/R: PubliclyAccessible: absent — the instance has a public address (the default is true)",
            passing: ["{ReplicationInstanceClass: dms.t3.micro, PubliclyAccessible: false}", "{ReplicationInstanceClass: dms.t3.micro, PubliclyAccessible: !Ref P}"]),
        Row(id: "FM4813", type: "AWS::AmazonMQ::Broker", failing: "{PubliclyAccessible: true, Logs: {General: true}}",
            finding: "warning FM4813 t.yaml/R: PubliclyAccessible: true — the broker is reachable from the internet",
            passing: ["{PubliclyAccessible: false, Logs: {General: true}}"]),
        Row(id: "FM4814", type: "AWS::MSK::Cluster",
            failing: "{LoggingInfo: {BrokerLogs: {}}, BrokerNodeGroupInfo: {ConnectivityInfo: {PublicAccess: {Type: SERVICE_PROVIDED_EIPS}}}}",
            finding: "warning FM4814 t.yaml/R: BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type: \"SERVICE_PROVIDED_EIPS\" — the brokers have public addresses",
            passing: ["{LoggingInfo: {BrokerLogs: {}}, BrokerNodeGroupInfo: {ConnectivityInfo: {PublicAccess: {Type: DISABLED}}}}"]),
        Row(id: "FM4815", type: "AWS::EKS::Nodegroup", failing: "{ClusterName: c, NodeRole: r, Subnets: [s], RemoteAccess: {Ec2SshKey: k}}",
            finding: "error FM4815 t.yaml/R: RemoteAccess.SourceSecurityGroups: absent — SSH (port 22) on every node is open to the internet",
            passing: ["{ClusterName: c, NodeRole: r, Subnets: [s], RemoteAccess: {Ec2SshKey: k, SourceSecurityGroups: [sg-1]}}", "{ClusterName: c, NodeRole: r, Subnets: [s]}"]),
        Row(id: "FM4816", type: "AWS::Lambda::Url", failing: "{AuthType: NONE, TargetFunctionArn: f}",
            finding: "warning FM4816 t.yaml/R: AuthType: \"NONE\" — anyone can invoke the function",
            passing: ["{AuthType: AWS_IAM, TargetFunctionArn: f}"]),
        Row(id: "FM4817", type: "AWS::ApiGateway::Method", failing: "{HttpMethod: GET, AuthorizationType: NONE, ResourceId: r, RestApiId: a}",
            finding: "warning FM4817 t.yaml/R: AuthorizationType: \"NONE\" — anyone can call the method",
            passing: ["{HttpMethod: OPTIONS, AuthorizationType: NONE, ResourceId: r, RestApiId: a}",
                      "{HttpMethod: GET, AuthorizationType: NONE, ApiKeyRequired: true, ResourceId: r, RestApiId: a}",
                      "{HttpMethod: GET, AuthorizationType: AWS_IAM, ResourceId: r, RestApiId: a}"]),
        Row(id: "FM4818", type: "AWS::Cognito::IdentityPool", failing: "{AllowUnauthenticatedIdentities: true}",
            finding: "warning FM4818 t.yaml/R: AllowUnauthenticatedIdentities: true — anyone can get AWS credentials",
            passing: ["{AllowUnauthenticatedIdentities: false}"]),
        Row(id: "FM4819", type: "AWS::EC2::VPCEndpointService", failing: "{NetworkLoadBalancerArns: [n], AcceptanceRequired: false}",
            finding: "warning FM4819 t.yaml/R: AcceptanceRequired: false — endpoint connections are accepted automatically",
            passing: ["{NetworkLoadBalancerArns: [n], AcceptanceRequired: true}"]),
        Row(id: "FM4007", type: "AWS::KMS::Key",
            failing: "{EnableKeyRotation: true, KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: \"*\"}, Action: \"kms:*\", Resource: \"*\"}]}}",
            finding: "error FM4007 t.yaml/R: KeyPolicy.Statement[0].Principal: \"*\" with no Condition — any AWS principal can use the key",
            passing: ["{EnableKeyRotation: true, KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: \"*\"}, Action: kms:Decrypt, Resource: \"*\", Condition: {StringEquals: {kms:CallerAccount: \"111122223333\"}}}]}}",
                      "{EnableKeyRotation: true, KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub \"arn:aws:iam::${AWS::AccountId}:root\"}, Action: \"kms:*\", Resource: \"*\"}]}}"]),
        Row(id: "FM4008", type: "AWS::ECR::Repository",
            failing: "{ImageTagMutability: IMMUTABLE, ImageScanningConfiguration: {ScanOnPush: true}, RepositoryPolicyText: {Statement: [{Effect: Allow, Principal: \"*\", Action: [ecr:BatchGetImage]}]}}",
            finding: "error FM4008 t.yaml/R: RepositoryPolicyText.Statement[0].Principal: \"*\" with no Condition — any AWS principal can use the repository",
            passing: ["{ImageTagMutability: IMMUTABLE, ImageScanningConfiguration: {ScanOnPush: true}, RepositoryPolicyText: {Statement: [{Effect: Allow, Principal: {AWS: arn:aws:iam::111122223333:root}, Action: [ecr:BatchGetImage]}]}}"]),
        Row(id: "FM4009", type: "AWS::Lambda::Permission", failing: "{Action: lambda:InvokeFunction, FunctionName: f, Principal: s3.amazonaws.com}",
            finding: "warning FM4009 t.yaml/R: Principal: \"s3.amazonaws.com\" — with no SourceArn or SourceAccount, any s3.amazonaws.com resource can invoke the function",
            passing: ["{Action: lambda:InvokeFunction, FunctionName: f, Principal: s3.amazonaws.com, SourceAccount: !Ref AWS::AccountId}",
                      "{Action: lambda:InvokeFunction, FunctionName: f, Principal: events.amazonaws.com, SourceArn: arn}",
                      "{Action: lambda:InvokeFunction, FunctionName: f, Principal: \"111122223333\"}"]),
        Row(id: "FM4225", type: "AWS::CloudTrail::Trail", failing: "{IsLogging: true, S3BucketName: b, IsMultiRegionTrail: true}",
            finding: "warning FM4225 t.yaml/R: EnableLogFileValidation: absent — delivered log files cannot be verified",
            passing: ["{IsLogging: true, S3BucketName: b, IsMultiRegionTrail: true, EnableLogFileValidation: true}"]),
        Row(id: "FM4226", type: "AWS::CloudTrail::Trail", failing: "{IsLogging: true, S3BucketName: b, EnableLogFileValidation: true}",
            finding: "info FM4226 t.yaml/R: IsMultiRegionTrail: absent — other regions' activity is not recorded",
            passing: ["{IsLogging: true, S3BucketName: b, IsMultiRegionTrail: true, EnableLogFileValidation: true}"]),
        Row(id: "FM4227", type: "AWS::DocDB::DBCluster", failing: "{StorageEncrypted: true, BackupRetentionPeriod: 7, EnableCloudwatchLogsExports: []}",
            finding: "warning FM4227 t.yaml/R: EnableCloudwatchLogsExports: [] — the service's logs are not delivered anywhere",
            passing: ["{StorageEncrypted: true, BackupRetentionPeriod: 7, EnableCloudwatchLogsExports: [audit]}"]),
        Row(id: "FM4270", type: "AWS::DynamoDB::Table", failing: "{KeySchema: [], SSESpecification: {SSEEnabled: true}}",
            finding: "warning FM4270 t.yaml/R: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: absent — the table cannot be restored to a point in time",
            passing: ["{KeySchema: [], SSESpecification: {SSEEnabled: true}, PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}"]),
        Row(id: "FM4271", type: "AWS::Neptune::DBCluster", failing: "{StorageEncrypted: true, EnableCloudwatchLogsExports: [audit]}",
            finding: "info FM4271 t.yaml/R: BackupRetentionPeriod: absent — backups are kept 1 day",
            passing: ["{StorageEncrypted: true, EnableCloudwatchLogsExports: [audit], BackupRetentionPeriod: \"7\"}",
                      "{StorageEncrypted: true, EnableCloudwatchLogsExports: [audit], BackupRetentionPeriod: !Ref P}"]),
        Row(id: "FM4280", type: "AWS::EC2::LaunchTemplate", failing: "{LaunchTemplateData: {MetadataOptions: {HttpTokens: optional}}}",
            finding: "warning FM4280 t.yaml/R: LaunchTemplateData.MetadataOptions.HttpTokens: \"optional\" — instances answer IMDSv1 requests",
            passing: ["{LaunchTemplateData: {MetadataOptions: {HttpTokens: required}}}", "{LaunchTemplateData: {MetadataOptions: {HttpEndpoint: disabled}}}"]),
        Row(id: "FM4281", type: "AWS::ECR::Repository", failing: "{ImageTagMutability: MUTABLE, ImageScanningConfiguration: {ScanOnPush: true}}",
            finding: "info FM4281 t.yaml/R: ImageTagMutability: \"MUTABLE\" — tags can be overwritten",
            passing: ["{ImageTagMutability: IMMUTABLE_WITH_EXCLUSION, ImageScanningConfiguration: {ScanOnPush: true}}"]),
        Row(id: "FM4282", type: "AWS::ECR::Repository", failing: "{ImageTagMutability: IMMUTABLE}",
            finding: "info FM4282 t.yaml/R: ImageScanningConfiguration.ScanOnPush: absent — pushed images are not scanned",
            passing: ["{ImageTagMutability: IMMUTABLE, ImageScanningConfiguration: {ScanOnPush: true}}"]),
        Row(id: "FM4283", type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
            failing: "{LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: \"true\"}]}",
            finding: "info FM4283 t.yaml/R: LoadBalancerAttributes: routing.http.drop_invalid_header_fields.enabled is not \"true\" — invalid headers reach the targets",
            passing: ["{LoadBalancerAttributes: [{Key: routing.http.drop_invalid_header_fields.enabled, Value: \"true\"}]}", "{Type: network}"]),
    ]

    func findings(_ type: String, _ properties: String) throws -> [String] {
        let yaml = "Parameters:\n  P: {Type: String}\nResources:\n  R:\n    Type: \(type)\n    Properties: \(properties)\n"
        let template = try Template(document: YAMLParser.parse(yaml))
        return PropertyRules().check(template, ValidationContext(stackPath: "t.yaml")).map(\.description)
    }

    @Test(arguments: rows) func failsAndPasses(_ row: Row) throws {
        let failing = try findings(row.type, row.failing).filter { $0.contains(" \(row.id) ") }
        #expect(failing == [row.finding])
        for passing in row.passing {
            #expect(try findings(row.type, passing).filter { $0.contains(" \(row.id) ") } == [], "\(passing)")
        }
    }

    @Test func everyRuleHasARowAndItsOwnID() {
        let ids = PropertyRules.rules.map(\.info.id)
        #expect(Set(ids).count == ids.count)
        #expect(Set(Self.rows.map(\.id)) == Set(ids))
        let others = Set(RulePack.rules.filter { !($0 is PropertyRules) }.flatMap(\.catalog).map(\.id))
        #expect(others.isDisjoint(with: ids))
    }

    @Test func severitiesInTheCatalogMatchTheFindings() throws {
        for row in Self.rows {
            let info = try #require(PropertyRules.rules.first { $0.info.id == row.id }?.info)
            #expect(row.finding.hasPrefix("\(info.severity) \(row.id) "))
        }
    }

    /// FM4242 reads the protocols of the policy a listener names from the generated table
    /// (moto's DescribeSSLPolicies data): a named policy that accepts TLS 1.0 is reported with the
    /// protocols it accepts, on a TLS listener of a Network Load Balancer as on HTTPS.
    @Test func listenerPoliciesAreJudgedByTheirProtocols() throws {
        #expect(try findings("AWS::ElasticLoadBalancingV2::Listener",
                             "{Protocol: TLS, Port: 443, LoadBalancerArn: lb, SslPolicy: ELBSecurityPolicy-TLS13-1-0-2021-06, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}")
                == ["warning FM4242 t.yaml/R: SslPolicy: \"ELBSecurityPolicy-TLS13-1-0-2021-06\" — the TLS listener accepts TLSv1, TLSv1.1"])
        #expect(try findings("AWS::ElasticLoadBalancingV2::Listener",
                             "{Protocol: HTTPS, Port: 443, LoadBalancerArn: lb, SslPolicy: ELBSecurityPolicy-TLS-1-1-2017-01, Certificates: [{CertificateArn: c}], DefaultActions: [{Type: forward, TargetGroupArn: tg}]}")
                == ["warning FM4242 t.yaml/R: SslPolicy: \"ELBSecurityPolicy-TLS-1-1-2017-01\" — the HTTPS listener accepts TLSv1.1"])
        // The table holds the default policy and AWS's recommended one, with what AWS documents.
        #expect(ListenerTLSRule.policyProtocols["ELBSecurityPolicy-2016-08"] == ["TLSv1", "TLSv1.1", "TLSv1.2"])
        #expect(ListenerTLSRule.policyProtocols["ELBSecurityPolicy-TLS13-1-2-2021-06"] == ["TLSv1.2", "TLSv1.3"])
    }

    @Test func eachShapeOfTheFamilyOnMoreTypes() throws {
        // A global table's replicas each need PITR; a Neptune cluster its log exports; an MSK
        // cluster with InCluster false; a SageMaker notebook's IMDS version.
        #expect(try findings("AWS::DynamoDB::GlobalTable", "{Replicas: [{Region: us-east-1, PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}, {Region: eu-west-1}]}")
            .filter { $0.contains("FM4270") } == ["warning FM4270 t.yaml/R: Replicas[1].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: absent — the replica cannot be restored to a point in time"])
        #expect(try findings("AWS::MSK::Cluster", "{LoggingInfo: {BrokerLogs: {}}, EncryptionInfo: {EncryptionInTransit: {InCluster: false}}}")
            == ["warning FM4237 t.yaml/R: EncryptionInfo.EncryptionInTransit.InCluster: false — brokers talk to each other without TLS"])
        #expect(try findings("AWS::SageMaker::NotebookInstance", "{InstanceType: ml.t3.medium, RoleArn: r}")
            == ["warning FM4280 t.yaml/R: InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion: absent — the notebook answers IMDSv1 requests"])
        #expect(try findings("AWS::SageMaker::NotebookInstance", "{InstanceType: ml.t3.medium, RoleArn: r, InstanceMetadataServiceConfiguration: {MinimumInstanceMetadataServiceVersion: \"2\"}}") == [])
        #expect(try findings("AWS::Glue::DataCatalogEncryptionSettings", "{CatalogId: c, DataCatalogEncryptionSettings: {EncryptionAtRest: {CatalogEncryptionMode: DISABLED}, ConnectionPasswordEncryption: {ReturnConnectionPasswordEncrypted: true}}}")
            == ["warning FM4217 t.yaml/R: DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode: \"DISABLED\" — the catalog's metadata is not encrypted with KMS"])
        #expect(try findings("AWS::Redshift::ClusterParameterGroup", "{Description: d, ParameterGroupFamily: redshift-1.0}")
            == ["warning FM4239 t.yaml/R: Parameters: require_ssl is absent — clients may connect without SSL"])
        #expect(try findings("AWS::Redshift::Cluster", "{}") == ["warning FM4227 t.yaml/R: LoggingProperties: absent — the service's logs are not delivered anywhere"])
        // A computed policy or listener actions are not guessed.
        #expect(try findings("AWS::KMS::Key", "{EnableKeyRotation: true, KeyPolicy: !Ref P}") == [])
        #expect(try findings("AWS::ElasticLoadBalancingV2::Listener", "{Protocol: HTTP, Port: 80, LoadBalancerArn: lb, DefaultActions: !Ref P}") == [])
    }
}
