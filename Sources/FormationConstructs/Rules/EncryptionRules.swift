import Formation

extension ConstructDiagnosticCode {
    /// Database storage (RDS, Aurora, DocumentDB, Neptune) without encryption at rest.
    public static let unencryptedDatabase = "FM4202"
    /// An EBS volume or block device mapping without encryption.
    public static let unencryptedVolume = "FM4203"
    /// An EFS file system without encryption at rest.
    public static let unencryptedFileSystem = "FM4204"
    /// An SNS topic without server-side encryption.
    public static let unencryptedTopic = "FM4205"
    /// An SQS queue with server-side encryption turned off.
    public static let unencryptedQueue = "FM4206"
    /// A DynamoDB table encrypted with an AWS-owned key rather than a KMS key.
    public static let tableWithoutKMSKey = "FM4207"
    /// An ElastiCache replication group without encryption at rest.
    public static let unencryptedCache = "FM4208"
    /// An ElastiCache cache without encryption in transit.
    public static let cacheWithoutTransitEncryption = "FM4209"
    /// A symmetric KMS key without automatic rotation.
    public static let keyWithoutRotation = "FM4210"
}

/// FM4202–FM4210: encryption at rest (and ElastiCache's in transit), with each severity set by
/// what AWS does when the template says nothing:
///
/// - errors where storage stays unencrypted and cannot be encrypted in place (RDS/Aurora,
///   DocumentDB, Neptune, EFS, ElastiCache replication groups: each needs a new resource);
/// - warnings where the data may be unencrypted but the fix is cheap or the account may cover it
///   (EBS: the account's "encryption by default" setting is not in the template; SNS topics; SQS
///   queues that turn SSE-SQS off; ElastiCache in transit; KMS key rotation);
/// - info where AWS encrypts anyway and only the key's owner differs (DynamoDB tables use an
///   AWS-owned key unless `SSESpecification.SSEEnabled` is true).
///
/// Values written as intrinsics (a parameter, a condition) are not guessed: they are skipped.
public struct EncryptionRules: TemplateRule {
    public init() {}

    static let database = RuleInfo(ConstructDiagnosticCode.unencryptedDatabase, .error, "database storage not encrypted at rest (RDS, Aurora, DocumentDB, Neptune)",
        rationale: "StorageEncrypted defaults to false, and an unencrypted database can only be encrypted by restoring a snapshot into a new one",
        fix: "set StorageEncrypted: true (and KmsKeyId for a key you control) before the first deploy")
    static let volume = RuleInfo(ConstructDiagnosticCode.unencryptedVolume, .warning, "EBS volume or block device not encrypted",
        rationale: "the volume and its snapshots are unencrypted unless the account turned on EBS encryption by default, which the template cannot show",
        fix: "set Encrypted: true (and KmsKeyId) on the volume or the block device mapping's Ebs")
    static let fileSystem = RuleInfo(ConstructDiagnosticCode.unencryptedFileSystem, .error, "EFS file system not encrypted at rest",
        rationale: "CloudFormation creates EFS file systems unencrypted unless Encrypted is true, and encryption cannot be turned on later",
        fix: "set Encrypted: true (and KmsKeyId for a key you control)")
    static let topic = RuleInfo(ConstructDiagnosticCode.unencryptedTopic, .warning, "SNS topic without server-side encryption",
        rationale: "without KmsMasterKeyId, SNS does not encrypt stored messages with a KMS key",
        fix: "set KmsMasterKeyId (alias/aws/sns, or a key whose policy lets the publishing services, such as cloudwatch.amazonaws.com, use it)")
    static let queue = RuleInfo(ConstructDiagnosticCode.unencryptedQueue, .warning, "SQS queue with server-side encryption turned off",
        rationale: "new queues get SSE-SQS by default; SqsManagedSseEnabled: false without KmsMasterKeyId stores messages unencrypted",
        fix: "remove SqsManagedSseEnabled: false, or set KmsMasterKeyId")
    static let table = RuleInfo(ConstructDiagnosticCode.tableWithoutKMSKey, .info, "DynamoDB table encrypted with an AWS-owned key",
        rationale: "DynamoDB always encrypts at rest; an AWS-owned key cannot be audited in CloudTrail or revoked by you",
        fix: "set SSESpecification: {SSEEnabled: true} (AWS-managed key) or add KMSMasterKeyId (your key) if you need that control")
    static let cache = RuleInfo(ConstructDiagnosticCode.unencryptedCache, .error, "ElastiCache replication group not encrypted at rest",
        rationale: "AtRestEncryptionEnabled defaults to false and can only be set when the replication group is created",
        fix: "set AtRestEncryptionEnabled: true (and KmsKeyId for a key you control)")
    static let transit = RuleInfo(ConstructDiagnosticCode.cacheWithoutTransitEncryption, .warning, "ElastiCache cache without encryption in transit",
        rationale: "cache traffic, including any AUTH token, crosses the VPC in plain text",
        fix: "set TransitEncryptionEnabled: true and connect with TLS")
    static let rotation = RuleInfo(ConstructDiagnosticCode.keyWithoutRotation, .warning, "symmetric KMS key without automatic rotation",
        rationale: "without rotation one key material protects the data for the key's whole life",
        fix: "set EnableKeyRotation: true (yearly by default; RotationPeriodInDays changes it)")

    public var catalog: [RuleInfo] { [Self.database, Self.volume, Self.fileSystem, Self.topic, Self.queue, Self.table, Self.cache, Self.transit, Self.rotation] }

    static let types: Set<String> = [
        "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster",
        "AWS::EC2::Volume", "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration", "AWS::EFS::FileSystem",
        "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",
        "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster", "AWS::KMS::Key",
    ]

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in RuleSupport.resources(template, Self.types) {
            let properties = resource.properties
            func report(_ rule: RuleInfo, _ property: String?, _ message: String) {
                found.append(RuleSupport.finding(rule, context, resource, property: property, message))
            }
            /// A flag that must be true: reported when absent or literally false, skipped when computed.
            func requireTrue(_ rule: RuleInfo, _ property: String, _ message: String) {
                let value = properties[property]
                guard !RuleSupport.isTrue(value), !RuleSupport.isComputed(value) else { return }
                report(rule, property, "\(property): \(value.map { $0.description } ?? "absent") — \(message)")
            }
            switch resource.type ?? "" {
            case "AWS::RDS::DBInstance":
                // An instance in a cluster, a read replica and a restored snapshot take their
                // encryption from the cluster or the source; Aurora instances are always in a cluster.
                let inherited = ["DBClusterIdentifier", "SourceDBInstanceIdentifier", "SourceDBClusterIdentifier", "DBSnapshotIdentifier",
                                 "DBClusterSnapshotIdentifier"].contains { properties[$0] != nil }
                let aurora = properties["Engine"]?.stringValue?.lowercased().hasPrefix("aurora") ?? false
                if !inherited && !aurora { requireTrue(Self.database, "StorageEncrypted", "the database instance's storage is not encrypted") }
            case "AWS::RDS::DBCluster":
                // Aurora Serverless v1 is always encrypted; a restored or cloned cluster inherits.
                let serverlessV1 = properties["EngineMode"]?.stringValue?.lowercased() == "serverless"
                let inherited = ["SnapshotIdentifier", "SourceDBClusterIdentifier"].contains { properties[$0] != nil }
                if !serverlessV1 && !inherited { requireTrue(Self.database, "StorageEncrypted", "the cluster's storage is not encrypted") }
            case "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster":
                if properties["SnapshotIdentifier"] == nil { requireTrue(Self.database, "StorageEncrypted", "the cluster's storage is not encrypted") }
            case "AWS::EC2::Volume":
                // A volume made from a snapshot takes the snapshot's encryption unless Encrypted is true.
                if properties["SnapshotId"] == nil { requireTrue(Self.volume, "Encrypted", "the volume is not encrypted (unless the account encrypts EBS by default)") }
            case "AWS::EC2::Instance":
                found += Self.unencryptedMappings(properties["BlockDeviceMappings"], "BlockDeviceMappings", resource, context)
            case "AWS::AutoScaling::LaunchConfiguration":
                found += Self.unencryptedMappings(properties["BlockDeviceMappings"], "BlockDeviceMappings", resource, context)
            case "AWS::EC2::LaunchTemplate":
                found += Self.unencryptedMappings(properties["LaunchTemplateData"]?["BlockDeviceMappings"], "LaunchTemplateData.BlockDeviceMappings",
                                                  resource, context)
            case "AWS::EFS::FileSystem":
                requireTrue(Self.fileSystem, "Encrypted", "the file system is not encrypted at rest")
            case "AWS::SNS::Topic":
                if !RuleSupport.isSet(properties["KmsMasterKeyId"]) {
                    report(Self.topic, "KmsMasterKeyId", "KmsMasterKeyId: absent — the topic's messages are not encrypted with a KMS key")
                }
            case "AWS::SQS::Queue":
                if RuleSupport.isFalse(properties["SqsManagedSseEnabled"]) && !RuleSupport.isSet(properties["KmsMasterKeyId"]) {
                    report(Self.queue, "SqsManagedSseEnabled", "SqsManagedSseEnabled: false with no KmsMasterKeyId — the queue's messages are stored unencrypted")
                }
            case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
                let enabled = properties["SSESpecification"]?["SSEEnabled"]
                if !RuleSupport.isTrue(enabled) && !RuleSupport.isComputed(enabled) {
                    report(Self.table, "SSESpecification", "SSESpecification.SSEEnabled: \(enabled.map { $0.description } ?? "absent") — encrypted with an AWS-owned key")
                }
            case "AWS::ElastiCache::ReplicationGroup":
                requireTrue(Self.cache, "AtRestEncryptionEnabled", "the cache's data and backups are not encrypted at rest")
                requireTrue(Self.transit, "TransitEncryptionEnabled", "clients reach the cache without TLS")
            case "AWS::ElastiCache::CacheCluster":
                // Of single clusters, only Memcached takes TransitEncryptionEnabled (Redis and Valkey
                // encrypt through a replication group, which FM4208/FM4209 check).
                if properties["Engine"]?.stringValue?.lowercased() == "memcached" {
                    requireTrue(Self.transit, "TransitEncryptionEnabled", "clients reach the cache without TLS")
                }
            case "AWS::KMS::Key":
                // Only symmetric encryption keys with key material from KMS rotate automatically.
                let spec = properties["KeySpec"]?.stringValue ?? "SYMMETRIC_DEFAULT"
                let origin = properties["Origin"]?.stringValue ?? "AWS_KMS"
                if spec == "SYMMETRIC_DEFAULT" && origin == "AWS_KMS" && !RuleSupport.isComputed(properties["KeySpec"]) {
                    requireTrue(Self.rotation, "EnableKeyRotation", "the key's material is never rotated")
                }
            default:
                break
            }
        }
        return found
    }

    /// FM4203 for each `Ebs` mapping of `mappings` that is not encrypted and not from a snapshot.
    static func unencryptedMappings(_ mappings: TemplateValue?, _ property: String, _ resource: ResourceView,
                                    _ context: ValidationContext) -> [Diagnostic] {
        (mappings?.listValue ?? []).enumerated().compactMap { offset, mapping in
            guard let ebs = mapping["Ebs"], ebs["SnapshotId"] == nil,
                  !RuleSupport.isTrue(ebs["Encrypted"]), !RuleSupport.isComputed(ebs["Encrypted"]) else { return nil }
            let at = "\(property)[\(offset)].Ebs.Encrypted"
            return RuleSupport.finding(volume, context, resource, property: at,
                                       "\(at): \(ebs["Encrypted"].map { $0.description } ?? "absent") — the block device is not encrypted (unless the account encrypts EBS by default)")
        }
    }
}
