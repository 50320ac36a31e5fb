import Formation

/// The create-only properties of each resource type, from the registry schemas Formation ships
/// (us-east-1's, or SAM's): changing one (adding, removing or modifying it) makes CloudFormation
/// replace the resource with a new one.
///
/// Values are JSON pointers into the resource, as the registry schemas write them
/// (`/properties/LogGroupName`; `*` stands for every element of a list), sorted. An empty list
/// means every property updates in place. A type the registry does not have is unknown: its
/// replacement rules are not guessed.
enum ReplacementRules {
    /// Where the rules come from.
    static var source: String {
        "\(SchemaRegistry.bundled.sourceVersion ?? "no") registry schemas (us-east-1)"
    }

    /// The create-only property pointers of `type`, or nil when the registry does not have it.
    static func createOnlyProperties(_ type: String) -> [String]? {
        guard let schema = SchemaRegistry.bundled.lookup(type).schemas.first?.schema as? RegistrySchema else { return nil }
        return schema.createOnlyProperties.sorted()
    }
}
