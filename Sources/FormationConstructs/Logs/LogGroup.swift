import Formation
import FormationResources

/// Log group helpers: a group named and retained as the caller says, optionally encrypted with an
/// `EncryptionKey` (which then grants CloudWatch Logs the key).
public enum LogGroup {
    /// Adds a log group under `scope`.
    @discardableResult
    public static func add(in scope: Construct, _ id: String, name: Value<String>, retentionDays: Int,
                           encryptionKey: EncryptionKey? = nil) -> Resource<Logs.LogGroup> {
        let group = scope.add(id, Logs.LogGroup(logGroupName: name, retentionInDays: .literal(retentionDays)))
        encryptionKey?.encrypt(group)
        return group
    }
}

/// Gotcha 5 for templates not built through `EncryptionKey`: a log group encrypted with a KMS key
/// of the same template whose key policy does not let the CloudWatch Logs service use it.
public struct LogGroupKeyPolicyRule: TemplateRule {
    public init() {}

    public var catalog: [RuleInfo] {
        [RuleInfo(ConstructDiagnosticCode.logGroupKeyWithoutLogsGrant, .error, "log group encrypted with a key whose policy does not admit CloudWatch Logs",
                  rationale: "CloudWatch Logs cannot use the key, so the log group fails to create (seed gotcha 5)",
                  fix: "let logs.<region>.amazonaws.com use the key (EncryptionKey.encrypt does it)")]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string("AWS::Logs::LogGroup")? = body["Type"] else { continue }
            let group = ResourceView(logicalID: entry.key, body: body)
            guard case .fn(.getAtt(let keyID, "Arn"))? = group.properties["KmsKeyId"],
                  let key = template.resource(keyID), key.type == "AWS::KMS::Key" else { continue }
            if !Self.grantsLogs(key.properties["KeyPolicy"]) {
                diagnostics.append(.error(ConstructDiagnosticCode.logGroupKeyWithoutLogsGrant, path: context.path(ofResource: group.logicalID),
                                          property: "KmsKeyId",
                                          "KmsKeyId: key \(keyID) does not let logs.<region>.amazonaws.com use it; CloudWatch Logs cannot encrypt the group (give the key to the group with EncryptionKey.encrypt)"))
            }
        }
        return diagnostics
    }

    static func grantsLogs(_ policy: TemplateValue?) -> Bool {
        let statements: [TemplateValue]
        switch policy?["Statement"] {
        case .list(let items)?: statements = items
        case let one?: statements = [one]
        case nil: return false
        }
        return statements.contains { statement in
            guard statement["Effect"] != "Deny", let service = statement["Principal"]?["Service"] else { return false }
            let names: [TemplateValue] = service.listValue ?? [service]
            return names.contains { name in
                switch name {
                case .string(let text): return text.hasPrefix("logs.")
                case .fn(.sub(let text, _)): return text.hasPrefix("logs.")
                default: return false
                }
            }
        }
    }
}
