import Formation

/// One property fact a rule of `PropertyRules` reads: where it was found and what is wrong.
struct PropertyFinding: Sendable {
    /// The property path, `DistributionConfig.CacheBehaviors[1].ViewerProtocolPolicy`.
    let property: String
    /// The message after the path: `allow-all — viewers may use plain HTTP`.
    let message: String
}

/// One rule of the family: a catalog entry, the resource types it reads and the test.
struct PropertyRule: Sendable {
    let info: RuleInfo
    let types: Set<String>
    let test: @Sendable (_ type: String, _ properties: TemplateValue) -> [PropertyFinding]

    init(_ info: RuleInfo, _ types: Set<String>, _ test: @escaping @Sendable (_ type: String, _ properties: TemplateValue) -> [PropertyFinding]) {
        self.info = info
        self.types = types
        self.test = test
    }
}

/// The shapes most rules of `PropertyRules` take: a flag that must be true, a value that must not
/// be one of some literals, a block that must be present. A path's components are property names
/// and `*` for every element of a list. Intrinsic values (a parameter, a condition) are skipped,
/// never guessed.
enum PropertyFacts {
    /// The values at `path` under `root`, with their printed paths; a missing map key yields nil at
    /// the full path, a missing (or computed) list yields nothing for `*`.
    static func values(_ root: TemplateValue, _ path: String) -> [(String, TemplateValue?)] {
        var current: [(String, TemplateValue?)] = [("", root)]
        for component in path.split(separator: ".").map(String.init) {
            var next: [(String, TemplateValue?)] = []
            for (at, value) in current {
                if component == "*" {
                    guard case .list(let items)? = value else { continue }
                    for (offset, item) in items.enumerated() { next.append(("\(at)[\(offset)]", item)) }
                } else {
                    let name = at.isEmpty ? component : "\(at).\(component)"
                    if case .fn? = value { continue }
                    next.append((name, value?[component]))
                }
            }
            current = next
        }
        return current
    }

    static func show(_ value: TemplateValue?) -> String { value.map(\.description) ?? "absent" }

    /// A check of the value at `path` (every match, `[*]` included): reported, with `what`, where
    /// `reported` says so.
    static func flag(_ path: String, _ what: String,
                     when reported: @escaping @Sendable (TemplateValue?) -> Bool) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        { _, properties in
            values(properties, path).compactMap { at, value in
                reported(value) ? PropertyFinding(property: at, message: "\(at): \(show(value)) — \(what)") : nil
            }
        }
    }

    /// Reported when the value is absent or a literal false (or `"false"`).
    static func requireTrue(_ path: String, _ what: String) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        flag(path, what) { !RuleSupport.isTrue($0) && !RuleSupport.isComputed($0) }
    }

    /// Reported when the value is a literal true (an absent value takes a safe default).
    static func forbidTrue(_ path: String, _ what: String) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        flag(path, what) { RuleSupport.isTrue($0) }
    }

    /// Reported when the value is a literal string among `bad` (compared without case).
    static func forbid(_ path: String, _ bad: Set<String>, _ what: String) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        flag(path, what) { value in value?.stringValue.map { bad.contains($0.lowercased()) } ?? false }
    }

    /// Reported when the value is a literal false (`false` or `"false"`); absent takes a safe default.
    static func forbidFalse(_ path: String, _ what: String) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        flag(path, what) { RuleSupport.isFalse($0) }
    }

    /// Reported when the value is absent, null, an empty string, list or map.
    static func requirePresent(_ path: String, _ what: String) -> @Sendable (String, TemplateValue) -> [PropertyFinding] {
        flag(path, what) { value in
            switch value {
            case nil, .null?: true
            case .string(let text)?: text.isEmpty
            case .list(let items)?: items.isEmpty
            case .map(let map)?: map.isEmpty
            default: false
            }
        }
    }

    /// A literal whole number (`7`, `"7"`), nil when absent or computed.
    static func number(_ value: TemplateValue?) -> Int64? {
        switch value {
        case .int(let number)?: number
        case .string(let text)?: Int64(text)
        case .number(let text)?: Int64(text)
        default: nil
        }
    }
}

/// A family of rules that each read one property fact of one kind of resource — encryption at
/// rest and in transit, public exposure, logging, backups and instance hardening — written as a
/// table rather than a type per rule. Each row has its own ID, severity, rationale and fix; the
/// property names are the registry schemas' (cfn-lint's bundle). The severities follow the pack's
/// rule: an error where the template is unsafe whatever the context and the setting cannot be
/// changed in place (DAX and WorkSpaces encryption, a node group's SSH open to the internet, key
/// and repository policies open to everyone); a warning where the context may justify the
/// setting or the fix is cheap later; info where AWS protects the data anyway.
public struct PropertyRules: TemplateRule {
    public init() {}

    static let domains: Set<String> = ["AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"]

    static let rules: [PropertyRule] = encryption + transit + exposure + policies + logging + backups + hardening

    // MARK: encryption at rest

    static let encryption: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4211", .warning, "OpenSearch domain not encrypted at rest",
                              rationale: "EncryptionAtRestOptions defaults to off: indices, logs, swap and snapshots are stored unencrypted",
                              fix: "set EncryptionAtRestOptions: {Enabled: true} (and KmsKeyId for a key you control)"),
                     domains, PropertyFacts.requireTrue("EncryptionAtRestOptions.Enabled", "the domain's data is not encrypted at rest")),
        PropertyRule(RuleInfo("FM4212", .warning, "Kinesis data stream without server-side encryption",
                              rationale: "records are stored unencrypted for the stream's whole retention period unless StreamEncryption is set",
                              fix: "set StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis (or your key)}"),
                     ["AWS::Kinesis::Stream"], PropertyFacts.requirePresent("StreamEncryption", "the stream's records are not encrypted at rest")),
        PropertyRule(RuleInfo("FM4213", .error, "DAX cluster not encrypted at rest",
                              rationale: "SSESpecification defaults to off and can only be set when the cluster is created",
                              fix: "set SSESpecification: {SSEEnabled: true} before the first deploy"),
                     ["AWS::DAX::Cluster"], PropertyFacts.requireTrue("SSESpecification.SSEEnabled", "the cache's data is not encrypted at rest")),
        PropertyRule(RuleInfo("FM4214", .warning, "Redshift cluster with encryption turned off",
                              rationale: "new clusters are encrypted by default since January 2025; Encrypted: false stores the warehouse unencrypted",
                              fix: "remove Encrypted: false, or set Encrypted: true (and KmsKeyId for a key you control)"),
                     ["AWS::Redshift::Cluster"], PropertyFacts.forbidFalse("Encrypted", "the cluster's data is not encrypted at rest")),
        PropertyRule(RuleInfo("FM4215", .error, "WorkSpaces volume not encrypted",
                              rationale: "root and user volumes can only be encrypted when the WorkSpace is launched; the user's files stay unencrypted",
                              fix: "set RootVolumeEncryptionEnabled and UserVolumeEncryptionEnabled to true, with VolumeEncryptionKey"),
                     ["AWS::WorkSpaces::Workspace"], { type, properties in
                         PropertyFacts.requireTrue("RootVolumeEncryptionEnabled", "the root volume is not encrypted")(type, properties)
                             + PropertyFacts.requireTrue("UserVolumeEncryptionEnabled", "the user volume is not encrypted")(type, properties)
                     }),
        PropertyRule(RuleInfo("FM4216", .warning, "CodeBuild artifacts with encryption turned off",
                              rationale: "EncryptionDisabled: true writes build outputs to S3 without the project's KMS key",
                              fix: "remove Artifacts.EncryptionDisabled (artifacts are then encrypted with the project's key)"),
                     ["AWS::CodeBuild::Project"], { type, properties in
                         // The setting applies to S3 artifacts only (CodeBuild refuses it for other types;
                         // CodePipeline's artifacts are encrypted by the pipeline's store).
                         guard properties["Artifacts"]?["Type"]?.stringValue == "S3" else { return [] }
                         return PropertyFacts.forbidTrue("Artifacts.EncryptionDisabled", "the build artifacts are not encrypted")(type, properties)
                     }),
        PropertyRule(RuleInfo("FM4217", .warning, "Glue Data Catalog settings leave metadata or connection passwords unencrypted",
                              rationale: "without SSE-KMS the catalog's metadata is stored without your key, and without password encryption GetConnection returns connection passwords in plain text",
                              fix: "set DataCatalogEncryptionSettings: {EncryptionAtRest: {CatalogEncryptionMode: SSE-KMS}, ConnectionPasswordEncryption: {ReturnConnectionPasswordEncrypted: true, KmsKeyId}}"),
                     ["AWS::Glue::DataCatalogEncryptionSettings"], { type, properties in
                         PropertyFacts.values(properties, "DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode").compactMap { at, value in
                             guard !RuleSupport.isComputed(value), value?.stringValue?.hasPrefix("SSE-KMS") != true else { return nil }
                             return PropertyFinding(property: at, message: "\(at): \(PropertyFacts.show(value)) — the catalog's metadata is not encrypted with KMS")
                         } + PropertyFacts.requireTrue("DataCatalogEncryptionSettings.ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted",
                                                       "connection passwords are returned in plain text")(type, properties)
                     }),
    ]

    // MARK: encryption in transit

    static let transit: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4230", .warning, "OpenSearch domain without node-to-node encryption",
                              rationale: "traffic between the domain's nodes, including indexed documents, crosses the VPC in plain text",
                              fix: "set NodeToNodeEncryptionOptions: {Enabled: true}"),
                     domains, PropertyFacts.requireTrue("NodeToNodeEncryptionOptions.Enabled", "the nodes talk to each other without TLS")),
        PropertyRule(RuleInfo("FM4231", .warning, "OpenSearch domain endpoint accepts plain HTTP",
                              rationale: "without EnforceHTTPS, clients may send queries and credentials unencrypted",
                              fix: "set DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07}"),
                     domains, PropertyFacts.requireTrue("DomainEndpointOptions.EnforceHTTPS", "the endpoint accepts plain HTTP")),
        PropertyRule(RuleInfo("FM4232", .warning, "load balancer listener serves plain HTTP without redirecting to HTTPS",
                              rationale: "requests, cookies and credentials travel unencrypted between the client and the load balancer",
                              fix: "use Protocol: HTTPS with a certificate, or make the HTTP listener's default action a redirect to HTTPS"),
                     ["AWS::ElasticLoadBalancingV2::Listener"], { _, properties in
                         guard properties["Protocol"]?.stringValue == "HTTP" else { return [] }
                         let actions = properties["DefaultActions"]?.listValue ?? []
                         let redirects = actions.contains { action in
                             action["Type"]?.stringValue == "redirect" && action["RedirectConfig"]?["Protocol"]?.stringValue == "HTTPS"
                         }
                         let computed = actions.isEmpty && properties["DefaultActions"] != nil
                         if redirects || computed { return [] }
                         return [PropertyFinding(property: "Protocol", message: "Protocol: \"HTTP\" — the listener serves plain HTTP and does not redirect to HTTPS")]
                     }),
        PropertyRule(RuleInfo("FM4233", .warning, "CloudFront cache behavior allows plain HTTP viewers",
                              rationale: "ViewerProtocolPolicy allow-all lets viewers fetch the content, and send cookies, over unencrypted HTTP",
                              fix: "set ViewerProtocolPolicy: redirect-to-https (or https-only)"),
                     ["AWS::CloudFront::Distribution"], { type, properties in
                         PropertyFacts.forbid("DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy", ["allow-all"], "viewers may use plain HTTP")(type, properties)
                             + PropertyFacts.forbid("DistributionConfig.CacheBehaviors.*.ViewerProtocolPolicy", ["allow-all"], "viewers may use plain HTTP")(type, properties)
                     }),
        PropertyRule(RuleInfo("FM4234", .warning, "CloudFront distribution with a custom certificate accepts TLS below 1.2",
                              rationale: "TLS 1.0 and 1.1 have known weaknesses and are retired by browsers; the default minimum for a custom certificate is TLSv1",
                              fix: "set ViewerCertificate.MinimumProtocolVersion: TLSv1.2_2021 (or later)"),
                     ["AWS::CloudFront::Distribution"], { _, properties in
                         guard let certificate = properties["DistributionConfig"]?["ViewerCertificate"],
                               RuleSupport.isSet(certificate["AcmCertificateArn"]) || RuleSupport.isSet(certificate["IamCertificateId"]) else { return [] }
                         let version = certificate["MinimumProtocolVersion"]
                         if RuleSupport.isComputed(version) { return [] }
                         if let text = version?.stringValue, text.hasPrefix("TLSv1.2") || text.hasPrefix("TLSv1.3") { return [] }
                         let at = "DistributionConfig.ViewerCertificate.MinimumProtocolVersion"
                         return [PropertyFinding(property: at, message: "\(at): \(PropertyFacts.show(version)) — viewers may connect with TLS below 1.2")]
                     }),
        PropertyRule(RuleInfo("FM4235", .warning, "CloudFront reaches a custom origin over plain HTTP",
                              rationale: "OriginProtocolPolicy http-only sends every request and response between CloudFront and the origin unencrypted",
                              fix: "set CustomOriginConfig.OriginProtocolPolicy: https-only (an S3 website endpoint, HTTP-only, is better served as an S3 origin with origin access control)"),
                     ["AWS::CloudFront::Distribution"], PropertyFacts.forbid("DistributionConfig.Origins.*.CustomOriginConfig.OriginProtocolPolicy", ["http-only"],
                                                                              "CloudFront talks to the origin without TLS")),
        PropertyRule(RuleInfo("FM4236", .warning, "ECS task mounts EFS without encryption in transit",
                              rationale: "file data crosses the network to the mount target in plain text",
                              fix: "set EFSVolumeConfiguration.TransitEncryption: ENABLED"),
                     ["AWS::ECS::TaskDefinition"], { _, properties in
                         PropertyFacts.values(properties, "Volumes.*.EFSVolumeConfiguration").compactMap { at, volume in
                             guard let volume, volume.mapValue != nil else { return nil }
                             let value = volume["TransitEncryption"]
                             guard value?.stringValue != "ENABLED", !RuleSupport.isComputed(value) else { return nil }
                             return PropertyFinding(property: at + ".TransitEncryption",
                                                    message: "\(at).TransitEncryption: \(PropertyFacts.show(value)) — the EFS volume is mounted without TLS")
                         }
                     }),
        PropertyRule(RuleInfo("FM4237", .warning, "MSK cluster accepts plaintext traffic",
                              rationale: "ClientBroker PLAINTEXT or TLS_PLAINTEXT, or InCluster false, lets records cross the network unencrypted",
                              fix: "set EncryptionInfo.EncryptionInTransit: {ClientBroker: TLS, InCluster: true} (the defaults)"),
                     ["AWS::MSK::Cluster"], { type, properties in
                         let inCluster = properties["EncryptionInfo"]?["EncryptionInTransit"]?["InCluster"]
                         return PropertyFacts.forbid("EncryptionInfo.EncryptionInTransit.ClientBroker", ["plaintext", "tls_plaintext"],
                                                     "clients may connect without TLS")(type, properties)
                             + (RuleSupport.isFalse(inCluster)
                                ? [PropertyFinding(property: "EncryptionInfo.EncryptionInTransit.InCluster",
                                                   message: "EncryptionInfo.EncryptionInTransit.InCluster: \(PropertyFacts.show(inCluster)) — brokers talk to each other without TLS")] : [])
                     }),
        PropertyRule(RuleInfo("FM4238", .warning, "DocumentDB cluster parameter group turns TLS off",
                              rationale: "with tls disabled, clients connect and send queries and credentials unencrypted",
                              fix: "set Parameters.tls to enabled (the default), or remove it"),
                     ["AWS::DocDB::DBClusterParameterGroup"], PropertyFacts.forbid("Parameters.tls", ["disabled"], "clients connect without TLS")),
        PropertyRule(RuleInfo("FM4239", .warning, "Redshift parameter group does not require SSL",
                              rationale: "without require_ssl true, clients may connect and send queries and credentials unencrypted",
                              fix: "add Parameters {ParameterName: require_ssl, ParameterValue: \"true\"}"),
                     ["AWS::Redshift::ClusterParameterGroup"], { _, properties in
                         guard case .list(let parameters)? = properties["Parameters"] ?? .list([]) else { return [] }
                         let setting = parameters.first { $0["ParameterName"]?.stringValue == "require_ssl" }?["ParameterValue"]
                         if RuleSupport.isTrue(setting) || RuleSupport.isComputed(setting) { return [] }
                         return [PropertyFinding(property: "Parameters", message: "Parameters: require_ssl is \(PropertyFacts.show(setting)) — clients may connect without SSL")]
                     }),
        PropertyRule(RuleInfo("FM4240", .warning, "SageMaker monitoring job on several instances without inter-container encryption",
                              rationale: "the job's instances exchange the captured data in plain text across the network",
                              fix: "set NetworkConfig: {EnableInterContainerTrafficEncryption: true}"),
                     ["AWS::SageMaker::DataQualityJobDefinition"], { type, properties in
                         // One instance has no inter-container traffic to encrypt.
                         guard let count = PropertyFacts.number(properties["JobResources"]?["ClusterConfig"]?["InstanceCount"]), count > 1 else { return [] }
                         return PropertyFacts.requireTrue("NetworkConfig.EnableInterContainerTrafficEncryption", "the instances talk to each other unencrypted")(type, properties)
                     }),
        PropertyRule(ListenerTLSRule.info, ["AWS::ElasticLoadBalancingV2::Listener"], { _, properties in ListenerTLSRule.findings(properties) }),
    ]

    // MARK: public exposure

    static let exposure: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4810", .warning, "database instance publicly accessible",
                              rationale: "PubliclyAccessible gives the instance a public address; only its security group then stands between it and the internet",
                              fix: "remove PubliclyAccessible: true; reach the database from inside the VPC (bastion, SSM port forwarding, VPN)"),
                     ["AWS::RDS::DBInstance"], PropertyFacts.forbidTrue("PubliclyAccessible", "the instance has a public address")),
        PropertyRule(RuleInfo("FM4811", .warning, "Redshift cluster publicly accessible",
                              rationale: "PubliclyAccessible gives the cluster a public address; only its security group then stands between it and the internet",
                              fix: "remove PubliclyAccessible: true (false is the default since January 2025); connect from inside the VPC"),
                     ["AWS::Redshift::Cluster"], PropertyFacts.forbidTrue("PubliclyAccessible", "the cluster has a public address")),
        PropertyRule(RuleInfo("FM4812", .warning, "DMS replication instance publicly accessible",
                              rationale: "PubliclyAccessible defaults to true: the instance, which holds credentials to both databases, gets a public address",
                              fix: "set PubliclyAccessible: false and place the instance in a private subnet group"),
                     ["AWS::DMS::ReplicationInstance"], { _, properties in
                         let value = properties["PubliclyAccessible"]
                         guard !RuleSupport.isFalse(value), !RuleSupport.isComputed(value) else { return [] }
                         return [PropertyFinding(property: "PubliclyAccessible", message: "PubliclyAccessible: \(PropertyFacts.show(value)) — the instance has a public address (the default is true)")]
                     }),
        PropertyRule(RuleInfo("FM4813", .warning, "Amazon MQ broker publicly accessible",
                              rationale: "a public broker's endpoints are reachable from the internet, guarded only by its users' passwords",
                              fix: "set PubliclyAccessible: false and give the broker private subnets and a security group"),
                     ["AWS::AmazonMQ::Broker"], PropertyFacts.forbidTrue("PubliclyAccessible", "the broker is reachable from the internet")),
        PropertyRule(RuleInfo("FM4814", .warning, "MSK brokers with public addresses",
                              rationale: "PublicAccess SERVICE_PROVIDED_EIPS makes every broker reachable from the internet",
                              fix: "set BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type: DISABLED; reach the cluster from the VPC or with PrivateLink"),
                     ["AWS::MSK::Cluster"], PropertyFacts.forbid("BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type", ["service_provided_eips"],
                                                                 "the brokers have public addresses")),
        PropertyRule(RuleInfo("FM4815", .error, "EKS node group SSH open to the internet",
                              rationale: "RemoteAccess with an SSH key and no SourceSecurityGroups opens port 22 of every node to 0.0.0.0/0",
                              fix: "name RemoteAccess.SourceSecurityGroups, or remove RemoteAccess and reach nodes through SSM Session Manager"),
                     ["AWS::EKS::Nodegroup"], { _, properties in
                         guard let access = properties["RemoteAccess"], access.mapValue != nil, access["Ec2SshKey"] != nil,
                               access["SourceSecurityGroups"] == nil else { return [] }
                         return [PropertyFinding(property: "RemoteAccess.SourceSecurityGroups",
                                                 message: "RemoteAccess.SourceSecurityGroups: absent — SSH (port 22) on every node is open to the internet")]
                     }),
        PropertyRule(RuleInfo("FM4816", .warning, "Lambda function URL without authentication",
                              rationale: "AuthType NONE lets anyone on the internet invoke the function, and pay for it",
                              fix: "set AuthType: AWS_IAM; for a public endpoint (a webhook) verify the caller in the function and suppress with the reason"),
                     ["AWS::Lambda::Url"], PropertyFacts.forbid("AuthType", ["none"], "anyone can invoke the function")),
        PropertyRule(RuleInfo("FM4817", .warning, "API Gateway method without authorization",
                              rationale: "AuthorizationType NONE without an API key lets anyone on the internet call the method",
                              fix: "set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizer), or ApiKeyRequired for metering; public on purpose? suppress with the reason"),
                     ["AWS::ApiGateway::Method"], { _, properties in
                         guard properties["AuthorizationType"]?.stringValue?.uppercased() == "NONE",
                               properties["HttpMethod"]?.stringValue?.uppercased() != "OPTIONS",
                               !RuleSupport.isTrue(properties["ApiKeyRequired"]), !RuleSupport.isComputed(properties["ApiKeyRequired"]) else { return [] }
                         return [PropertyFinding(property: "AuthorizationType", message: "AuthorizationType: \"NONE\" — anyone can call the method")]
                     }),
        PropertyRule(RuleInfo("FM4818", .warning, "Cognito identity pool hands out credentials to unauthenticated users",
                              rationale: "anyone can obtain AWS credentials for the pool's unauthenticated role",
                              fix: "set AllowUnauthenticatedIdentities: false, or keep the unauthenticated role's policy to what guests may do and suppress with the reason"),
                     ["AWS::Cognito::IdentityPool"], PropertyFacts.forbidTrue("AllowUnauthenticatedIdentities", "anyone can get AWS credentials")),
        PropertyRule(RuleInfo("FM4819", .warning, "VPC endpoint service accepts connections without approval",
                              rationale: "with AcceptanceRequired false, any principal allowed by the service's permissions connects without review",
                              fix: "set AcceptanceRequired: true, or restrict AWS::EC2::VPCEndpointServicePermissions to known accounts"),
                     ["AWS::EC2::VPCEndpointService"], PropertyFacts.requireTrue("AcceptanceRequired", "endpoint connections are accepted automatically")),
    ]

    // MARK: resource policies

    static let policies: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4007", .error, "KMS key policy allows everyone (`Principal: \"*\"` without a Condition)",
                              rationale: "any AWS principal, in any account, gets what the statement allows on the key",
                              fix: "name the account root or roles as principals, or add a Condition (kms:CallerAccount, kms:ViaService, aws:PrincipalOrgID)"),
                     ["AWS::KMS::Key"], { _, properties in openStatements(properties["KeyPolicy"], "KeyPolicy", "any AWS principal can use the key") }),
        PropertyRule(RuleInfo("FM4008", .error, "ECR repository policy allows everyone (`Principal: \"*\"` without a Condition)",
                              rationale: "any AWS principal, in any account, can pull (or push) the repository's images",
                              fix: "name the accounts or roles that pull, or add a Condition (aws:PrincipalOrgID); public images belong in ECR Public"),
                     ["AWS::ECR::Repository"], { _, properties in
                         openStatements(properties["RepositoryPolicyText"], "RepositoryPolicyText", "any AWS principal can use the repository")
                     }),
        PropertyRule(RuleInfo("FM4009", .warning, "Lambda permission for an AWS service without SourceArn or SourceAccount",
                              rationale: "any resource of that service, in any account, can invoke the function (the confused deputy problem)",
                              fix: "set SourceArn to the bucket, topic, rule or API that invokes the function (and SourceAccount for S3)"),
                     ["AWS::Lambda::Permission"], { _, properties in
                         guard let principal = properties["Principal"]?.stringValue, principal.hasSuffix(".amazonaws.com"),
                               properties["SourceArn"] == nil, properties["SourceAccount"] == nil else { return [] }
                         return [PropertyFinding(property: "Principal", message: "Principal: \"\(principal)\" — with no SourceArn or SourceAccount, any \(principal) resource can invoke the function")]
                     }),
    ]

    /// The Allow statements of a policy document open to everyone with no Condition.
    static func openStatements(_ document: TemplateValue?, _ property: String, _ what: String) -> [PropertyFinding] {
        PolicyText.statements(document).enumerated().compactMap { offset, statement in
            guard PolicyText.allows(statement), PolicyText.principalIsEveryone(statement), statement["Condition"] == nil else { return nil }
            let at = "\(property).Statement[\(offset)]"
            return PropertyFinding(property: at + ".Principal", message: "\(at).Principal: \"*\" with no Condition — \(what)")
        }
    }

    // MARK: logging

    static let logging: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4225", .warning, "CloudTrail trail without log file validation",
                              rationale: "without digest files nobody can prove the trail's logs were not altered or deleted after delivery",
                              fix: "set EnableLogFileValidation: true"),
                     ["AWS::CloudTrail::Trail"], PropertyFacts.requireTrue("EnableLogFileValidation", "delivered log files cannot be verified")),
        PropertyRule(RuleInfo("FM4226", .info, "CloudTrail trail records one region only",
                              rationale: "activity in other regions, where an attacker would go, is not recorded by this trail",
                              fix: "set IsMultiRegionTrail: true (an organization trail or another multi-region trail may already cover it)"),
                     ["AWS::CloudTrail::Trail"], PropertyFacts.requireTrue("IsMultiRegionTrail", "other regions' activity is not recorded")),
        PropertyRule(RuleInfo("FM4227", .warning, "database, stream or API service without log delivery",
                              rationale: "the service's audit, error or slow-query logs stay inside it and leave no record for incident response",
                              fix: "DocumentDB/Neptune: EnableCloudwatchLogsExports (audit); Redshift: LoggingProperties; MSK: LoggingInfo.BrokerLogs; OpenSearch: LogPublishingOptions; AppSync: LogConfig; Amazon MQ: Logs {General: true}"),
                     Set(["AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster", "AWS::Redshift::Cluster", "AWS::MSK::Cluster", "AWS::AppSync::GraphQLApi",
                      "AWS::AmazonMQ::Broker"]).union(domains), { type, properties in
                         let path: String
                         switch type {
                         case "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster": path = "EnableCloudwatchLogsExports"
                         case "AWS::Redshift::Cluster": path = "LoggingProperties"
                         case "AWS::MSK::Cluster": path = "LoggingInfo"
                         case "AWS::AppSync::GraphQLApi": path = "LogConfig"
                         case "AWS::AmazonMQ::Broker": path = "Logs"
                         default: path = "LogPublishingOptions"
                         }
                         return PropertyFacts.requirePresent(path, "the service's logs are not delivered anywhere")(type, properties)
                     }),
    ]

    // MARK: backups

    static let backups: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4270", .warning, "DynamoDB table without point-in-time recovery",
                              rationale: "without PITR a bad write or delete of items can only be undone from an on-demand backup, if one exists",
                              fix: "set PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true} (per replica on a global table)"),
                     ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"], { type, properties in
                         type == "AWS::DynamoDB::Table"
                             ? PropertyFacts.requireTrue("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", "the table cannot be restored to a point in time")(type, properties)
                             : PropertyFacts.requireTrue("Replicas.*.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", "the replica cannot be restored to a point in time")(type, properties)
                     }),
        PropertyRule(RuleInfo("FM4271", .info, "database cluster keeps automated backups less than 7 days",
                              rationale: "BackupRetentionPeriod defaults to 1 day: a problem noticed after a weekend cannot be undone",
                              fix: "set BackupRetentionPeriod to 7 or more (up to 35)"),
                     ["AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster"], { _, properties in
                         let value = properties["BackupRetentionPeriod"]
                         if RuleSupport.isComputed(value) { return [] }
                         let days = PropertyFacts.number(value) ?? (value == nil ? 1 : 7)
                         guard days < 7 else { return [] }
                         return [PropertyFinding(property: "BackupRetentionPeriod", message: "BackupRetentionPeriod: \(PropertyFacts.show(value)) — backups are kept \(days) day\(days == 1 ? "" : "s")")]
                     }),
    ]

    // MARK: instance and image hardening

    static let hardening: [PropertyRule] = [
        PropertyRule(RuleInfo("FM4280", .warning, "instance metadata reachable with IMDSv1",
                              rationale: "IMDSv1 answers any GET, so a server-side request forgery in the workload can read the instance role's credentials",
                              fix: "launch templates: MetadataOptions {HttpTokens: required}; SageMaker notebooks: InstanceMetadataServiceConfiguration {MinimumInstanceMetadataServiceVersion: \"2\"}"),
                     ["AWS::EC2::LaunchTemplate", "AWS::SageMaker::NotebookInstance"], { type, properties in
                         if type == "AWS::EC2::LaunchTemplate" {
                             let data = properties["LaunchTemplateData"]
                             let options = data?["MetadataOptions"]
                             let tokens = options?["HttpTokens"]
                             if options?["HttpEndpoint"]?.stringValue == "disabled" || tokens?.stringValue == "required" || RuleSupport.isComputed(tokens)
                                 || RuleSupport.isComputed(options) || RuleSupport.isComputed(data) { return [] }
                             return [PropertyFinding(property: "LaunchTemplateData.MetadataOptions.HttpTokens",
                                                     message: "LaunchTemplateData.MetadataOptions.HttpTokens: \(PropertyFacts.show(tokens)) — instances answer IMDSv1 requests")]
                         }
                         let version = properties["InstanceMetadataServiceConfiguration"]?["MinimumInstanceMetadataServiceVersion"]
                         if RuleSupport.isComputed(version) || version?.stringValue == "2" { return [] }
                         return [PropertyFinding(property: "InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion",
                                                 message: "InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion: \(PropertyFacts.show(version)) — the notebook answers IMDSv1 requests")]
                     }),
        PropertyRule(RuleInfo("FM4281", .info, "ECR repository with mutable image tags",
                              rationale: "a pushed tag can be overwritten, so the image a deployment names may change under it",
                              fix: "set ImageTagMutability: IMMUTABLE and deploy by new tags (or by digest)"),
                     ["AWS::ECR::Repository"], { _, properties in
                         let value = properties["ImageTagMutability"]
                         if RuleSupport.isComputed(value) || value?.stringValue?.hasPrefix("IMMUTABLE") == true { return [] }
                         return [PropertyFinding(property: "ImageTagMutability", message: "ImageTagMutability: \(PropertyFacts.show(value)) — tags can be overwritten")]
                     }),
        PropertyRule(RuleInfo("FM4282", .info, "ECR repository without scan on push",
                              rationale: "images are pushed without a vulnerability scan (unless the registry's scanning configuration scans them)",
                              fix: "set ImageScanningConfiguration: {ScanOnPush: true}, or turn on enhanced scanning for the registry"),
                     ["AWS::ECR::Repository"], PropertyFacts.requireTrue("ImageScanningConfiguration.ScanOnPush", "pushed images are not scanned")),
        PropertyRule(RuleInfo("FM4283", .info, "Application Load Balancer forwards invalid HTTP headers",
                              rationale: "headers that are not valid HTTP reach the targets, where they can smuggle requests past the load balancer",
                              fix: "add LoadBalancerAttributes {Key: routing.http.drop_invalid_header_fields.enabled, Value: \"true\"}"),
                     ["AWS::ElasticLoadBalancingV2::LoadBalancer"], { _, properties in
                         let type = properties["Type"]
                         if RuleSupport.isComputed(type) || (type != nil && type?.stringValue != "application") { return [] }
                         guard case .list(let attributes)? = properties["LoadBalancerAttributes"] ?? .list([]) else { return [] }
                         let drops = attributes.contains { attribute in
                             attribute["Key"]?.stringValue == "routing.http.drop_invalid_header_fields.enabled"
                                 && (RuleSupport.isTrue(attribute["Value"]) || RuleSupport.isComputed(attribute["Value"]))
                         }
                         if drops { return [] }
                         return [PropertyFinding(property: "LoadBalancerAttributes",
                                                 message: "LoadBalancerAttributes: routing.http.drop_invalid_header_fields.enabled is not \"true\" — invalid headers reach the targets")]
                     }),
    ]

    public var catalog: [RuleInfo] { Self.rules.map(\.info) }

    static let allTypes: Set<String> = Self.rules.reduce(into: []) { $0.formUnion($1.types) }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in RuleSupport.resources(template, Self.allTypes) {
            guard let type = resource.type else { continue }
            let properties = TemplateValue.map(resource.properties)
            for rule in Self.rules where rule.types.contains(type) {
                for finding in rule.test(type, properties) {
                    found.append(RuleSupport.finding(rule.info, context, resource, property: finding.property, finding.message))
                }
            }
        }
        return found
    }
}
