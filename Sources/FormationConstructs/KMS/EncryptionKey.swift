import Formation
import FormationResources

/// A customer-managed KMS key with rotation on, kept on delete and on replacement, whose key
/// policy grows as it is handed to services (seed gotcha 5).
///
/// Handing the key to a log group with `encrypt(_:)` (or creating the group through `LogGroup`)
/// adds the `logs.<region>.amazonaws.com` statement, scoped to this account's log groups, that
/// CloudWatch Logs needs; without it log group creation fails with a KMS access error.
public struct EncryptionKey {
    /// The construct node.
    public let node: Construct
    /// The key resource.
    public let resource: Resource<KMS.Key>
    private let grants: Grants

    final class Grants {
        var logs = false
    }

    public init(in scope: Construct, _ id: String, description: String? = nil) {
        node = scope.node(id)
        resource = node.add("Default", KMS.Key(description: description.map { .literal($0) }, enableKeyRotation: true))
            .retainOnDelete()
        let grants = Grants()
        self.grants = grants
        let key = resource
        node.onPrepare {
            key.properties.keyPolicy = EncryptionKey.policy(logs: grants.logs).json
        }
    }

    /// The key's ARN.
    public var arn: Value<String> { resource.arn }

    /// Lets CloudWatch Logs in this account and region use the key for log groups.
    public func allowCloudWatchLogs() {
        grants.logs = true
    }

    /// Encrypts `group` with this key and grants CloudWatch Logs the use of it.
    public func encrypt(_ group: Resource<Logs.LogGroup>) {
        group.properties.kmsKeyId = arn
        allowCloudWatchLogs()
    }

    /// The key policy: the account administers the key (without this statement nobody could);
    /// CloudWatch Logs may use it for this account's log groups when granted.
    static func policy(logs: Bool) -> PolicyDocument {
        var statements: [PolicyStatement] = [
            PolicyStatement(sid: "AccountAdministersKey", principals: [.aws("arn:\(AWS.partition):iam::\(AWS.accountId):root")],
                            actions: ["kms:*"], resources: ["*"]),
        ]
        if logs {
            statements.append(PolicyStatement(
                sid: "CloudWatchLogsUseKey",
                principals: [.service("logs.\(AWS.region).\(AWS.urlSuffix)")],
                actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                resources: ["*"],
                conditions: [PolicyCondition("ArnLike", "kms:EncryptionContext:aws:logs:arn",
                                             ["arn:\(AWS.partition):logs:\(AWS.region):\(AWS.accountId):log-group:*"])]))
        }
        return PolicyDocument(statements)
    }
}
