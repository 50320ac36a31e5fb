import Formation
import FormationResources

/// An IAM role with one inline policy that grows by `grant`. Its trust policy names the service
/// that assumes it; its statements are checked by `LeastPrivilegeRule`.
public struct Role {
    /// The construct node.
    public let node: Construct
    /// The role resource.
    public let resource: Resource<IAM.Role>
    private let statements: Statements

    final class Statements {
        var items: [PolicyStatement] = []
    }

    /// A role assumed by `principal` (a service such as `bedrock-agentcore.amazonaws.com`).
    public init(in scope: Construct, _ id: String, assumedBy principal: Principal, roleName: Value<String>? = nil,
                description: String? = nil, trustConditions: [PolicyCondition] = []) {
        node = scope.node(id)
        resource = node.add("Default", IAM.Role(
            assumeRolePolicyDocument: PolicyDocument.trust(principal, conditions: trustConditions).json,
            description: description.map { .literal($0) },
            roleName: roleName))
        let statements = Statements()
        self.statements = statements
        let role = resource
        let policyName = LogicalID.derive(fromPath: id) + "Policy"
        node.onPrepare {
            role.properties.policies = statements.items.isEmpty ? nil
                : .literal([IAM.Role.Policy(policyDocument: PolicyDocument(statements.items).json, policyName: .literal(policyName))])
        }
    }

    /// The role's ARN.
    public var arn: Value<String> { resource.arn }

    /// Adds statements to the role's inline policy.
    public func grant(_ added: PolicyStatement...) {
        statements.items.append(contentsOf: added)
    }

    /// Adds a list of statements to the role's inline policy.
    public func grant(contentsOf added: [PolicyStatement]) {
        statements.items.append(contentsOf: added)
    }

    /// Lets the role write to one log group (create streams, put events), and nothing else there.
    public func grantLogWriting(to group: Resource<Logs.LogGroup>) {
        grant(.allow(["logs:CreateLogStream", "logs:PutLogEvents"], on: [group.arn]))
    }

    /// The statements granted so far.
    public var grantedStatements: [PolicyStatement] { statements.items }
}
