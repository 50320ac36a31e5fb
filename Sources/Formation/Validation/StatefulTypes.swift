import FormationTemplate

/// Resource types that hold data or identity which a new resource cannot get back: deleting or
/// replacing one loses something (stored objects, table rows, log history, secret values, keys
/// that decrypt existing data, a cache's contents).
///
/// The list is cfn-lint's (`cfnLint`, generated from its StatefulResources.json by
/// `make schemas`), which FM4260 checks for DeletionPolicy and UpdateReplacePolicy. `formation
/// diff` flags deletion and replacement of those and of `additions`: types cfn-lint's list lacks
/// that this repository's stacks (or their neighbours) use.
public enum StatefulTypes {
    /// Types or service prefixes (`AWS::RDS::*`) `formation diff` treats as stateful beyond
    /// cfn-lint's list, each for the reason given.
    public static let additions: [String] = [
        "AWS::BedrockAgentCore::Memory",       // an agent's stored conversation events and long-term memory
        "AWS::DocDB::*",                        // every DocumentDB type: clusters, instances, global clusters
        "AWS::ECR::Repository",                 // images pushed outside the stack
        "AWS::ElastiCache::ServerlessCache",    // cached data (cfn-lint lists only the node-based caches)
        "AWS::ElastiCache::SubnetGroup",        // a cache cannot move to a replaced subnet group without replacement
        "AWS::MemoryDB::Cluster",               // a durable in-memory database
        "AWS::Neptune::*",                      // every Neptune type
        "AWS::RDS::*",                          // every RDS type, e.g. global clusters and proxies' targets
        "AWS::SSM::Parameter",                  // values edited outside the stack after creation
    ]

    /// Exact type names, or a service prefix ending in `::*` (`AWS::RDS::*` is every RDS type).
    public static let patterns: [String] = (cfnLint.map(\.type) + additions).sorted()

    /// Whether resources of `type` are stateful (cfn-lint's list or `additions`): what `formation
    /// diff` warns about.
    public static func contains(_ type: String) -> Bool {
        patterns.contains { pattern in
            pattern.hasSuffix("::*") ? type.hasPrefix(String(pattern.dropLast())) : type == pattern
        }
    }

    /// The types FM4260 asks for DeletionPolicy and UpdateReplacePolicy: cfn-lint's list less the
    /// types CloudFormation cannot delete while they hold data (a non-empty S3 bucket), as
    /// cfn-lint's I3011 does.
    public static let needingPolicies: Set<String> = Set(cfnLint.filter { !$0.deleteRequiresEmpty }.map(\.type))

    /// The DeletionPolicy CloudFormation applies when a resource of `type` has none: `Snapshot` for
    /// RDS clusters, and for RDS instances outside a cluster (`DBClusterIdentifier` absent);
    /// `Delete` for everything else.
    public static func defaultDeletionPolicy(type: String, properties: TemplateValue?) -> String {
        if type == "AWS::RDS::DBCluster" { return "Snapshot" }
        if type == "AWS::RDS::DBInstance" && properties?["DBClusterIdentifier"] == nil { return "Snapshot" }
        return "Delete"
    }
}
