import Formation
import FormationResources

/// A set of SSM String parameters under one path prefix, e.g. `/customerServiceAgent/dev/`, one
/// per value a deploy pipeline needs to read back (seed gotcha 7: `update-agent-runtime` needs the
/// runtime id, the execution role ARN, the security group and the subnets).
public struct ParameterSet {
    /// The construct node.
    public let node: Construct
    /// The parameters, by name suffix, in order.
    public let parameters: [(suffix: String, resource: Resource<SSM.Parameter>)]

    /// One parameter `prefix + suffix` per entry.
    public init(in scope: Construct, _ id: String, prefix: String, _ entries: [(suffix: String, value: Value<String>, description: String)]) {
        let node = scope.node(id)
        self.node = node
        parameters = entries.map { entry in
            let childID = entry.suffix.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            let parameter = node.add(childID, SSM.Parameter(
                type: .literal(.string), value: entry.value, description: .literal(entry.description),
                name: .literal(prefix + entry.suffix)))
            return (entry.suffix, parameter)
        }
    }

    /// The full parameter names, in order.
    public func names(prefix: String) -> [String] { parameters.map { prefix + $0.suffix } }
}
