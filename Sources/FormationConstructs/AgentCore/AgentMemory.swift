import Formation
import FormationResources

/// An AgentCore memory with named strategies. Names are `AgentCoreName`s, so a hyphen cannot
/// reach the template (seed gotcha 1 applies to memory and strategy names too).
///
/// If a deploy fails while the memory is still CREATING, the rollback cannot delete it (seed
/// gotcha 8): see the README's troubleshooting section for the recovery steps.
public struct AgentMemory {
    /// A memory strategy: its kind, name and namespaces.
    public struct Strategy: Sendable {
        public enum Kind: Sendable { case semantic, summary, userPreference }

        public var kind: Kind
        public var name: AgentCoreName
        public var description: String?
        public var namespaces: [String]

        public init(_ kind: Kind, name: AgentCoreName, description: String? = nil, namespaces: [String]) {
            self.kind = kind
            self.name = name
            self.description = description
            self.namespaces = namespaces
        }
    }

    /// The construct node.
    public let node: Construct
    /// The memory resource.
    public let resource: Resource<BedrockAgentCore.Memory>

    public init(in scope: Construct, _ id: String, name: AgentCoreName, description: String? = nil,
                eventExpiryDays: Int, strategies: [Strategy], encryptionKeyArn: Value<String>? = nil) {
        node = scope.node(id)
        let entries = strategies.map { strategy -> BedrockAgentCore.Memory.MemoryStrategy in
            let namespaces: Value<[Value<String>]> = .literal(strategy.namespaces.map { .literal($0) })
            let description = strategy.description.map { Value<String>.literal($0) }
            switch strategy.kind {
            case .semantic:
                return .init(semanticMemoryStrategy: .init(name: strategy.name.value, description: description, namespaces: namespaces))
            case .summary:
                return .init(summaryMemoryStrategy: .init(name: strategy.name.value, description: description, namespaces: namespaces))
            case .userPreference:
                return .init(userPreferenceMemoryStrategy: .init(name: strategy.name.value, description: description, namespaces: namespaces))
            }
        }
        resource = node.add("Default", BedrockAgentCore.Memory(
            eventExpiryDuration: .literal(eventExpiryDays),
            name: name.value,
            description: description.map { .literal($0) },
            encryptionKeyArn: encryptionKeyArn,
            memoryStrategies: .literal(entries)))
    }

    /// The memory id.
    public var memoryId: Value<String> { resource.memoryId }
    /// The memory ARN.
    public var arn: Value<String> { resource.memoryArn }
}
