import Formation

/// Resource types that hold data or identity which a new resource cannot get back: deleting or
/// replacing one loses something (stored objects, table rows, log history, secret values, keys
/// that decrypt existing data, a cache's contents). `formation diff` flags their deletion and
/// replacement. Hand-kept data: add a type here when a stack starts using one.
enum StatefulTypes {
    /// Exact type names, or a service prefix ending in `::*` (`AWS::RDS::*` is every RDS type).
    static let patterns: [String] = [
        "AWS::BedrockAgentCore::Memory",
        "AWS::Backup::BackupVault",
        "AWS::Cognito::UserPool",
        "AWS::DocDB::*",
        "AWS::DynamoDB::GlobalTable",
        "AWS::DynamoDB::Table",
        "AWS::EC2::Volume",
        "AWS::ECR::Repository",
        "AWS::EFS::FileSystem",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::ServerlessCache",
        "AWS::ElastiCache::SubnetGroup",
        "AWS::Elasticsearch::Domain",
        "AWS::FSx::FileSystem",
        "AWS::KMS::Key",
        "AWS::Kinesis::Stream",
        "AWS::Logs::LogGroup",
        "AWS::MemoryDB::Cluster",
        "AWS::Neptune::*",
        "AWS::OpenSearchService::Domain",
        "AWS::RDS::*",
        "AWS::Redshift::Cluster",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::SSM::Parameter",
        "AWS::SecretsManager::Secret",
    ]

    /// Whether resources of `type` are stateful.
    static func contains(_ type: String) -> Bool {
        patterns.contains { pattern in
            pattern.hasSuffix("::*") ? type.hasPrefix(String(pattern.dropLast())) : type == pattern
        }
    }

    /// The DeletionPolicy CloudFormation applies when a resource of `type` has none: `Snapshot` for
    /// RDS clusters, and for RDS instances outside a cluster (`DBClusterIdentifier` absent);
    /// `Delete` for everything else.
    static func defaultDeletionPolicy(type: String, properties: TemplateValue?) -> String {
        if type == "AWS::RDS::DBCluster" { return "Snapshot" }
        if type == "AWS::RDS::DBInstance" && properties?["DBClusterIdentifier"] == nil { return "Snapshot" }
        return "Delete"
    }
}
