import Formation
import FormationResources

/// A Bedrock guardrail and a published version of it, built from filters in the order written.
///
/// Content filters keep their order in the template (the order a reviewer reads and the order
/// tests assert — seed gotcha 9). A filter type listed twice, a PII entity listed twice, and a
/// prompt-attack filter with an output strength other than NONE (Bedrock rejects it) are
/// synthesis errors naming the guardrail and the entry.
public struct Guardrail {
    /// One content filter.
    public struct ContentFilter: Sendable {
        public var type: Bedrock.Guardrail.ContentFilterType
        public var input: Bedrock.Guardrail.FilterStrength
        public var output: Bedrock.Guardrail.FilterStrength

        public init(_ type: Bedrock.Guardrail.ContentFilterType, input: Bedrock.Guardrail.FilterStrength,
                    output: Bedrock.Guardrail.FilterStrength) {
            self.type = type
            self.input = input
            self.output = output
        }
    }

    /// One sensitive-information (PII) rule.
    public struct PIIRule: Sendable {
        public var type: Bedrock.Guardrail.PiiEntityType
        public var action: Bedrock.Guardrail.SensitiveInformationAction

        public init(_ type: Bedrock.Guardrail.PiiEntityType, _ action: Bedrock.Guardrail.SensitiveInformationAction) {
            self.type = type
            self.action = action
        }
    }

    /// The construct node.
    public let node: Construct
    /// The guardrail.
    public let resource: Resource<Bedrock.Guardrail>
    /// The published version.
    public let versionResource: Resource<Bedrock.GuardrailVersion>

    public init(
        in scope: Construct, _ id: String,
        name: Value<String>,
        description: String? = nil,
        filters: [ContentFilter],
        piiRules: [PIIRule] = [],
        blockedInputMessage: String,
        blockedOutputMessage: String,
        kmsKeyArn: Value<String>? = nil
    ) {
        node = scope.node(id)
        let path = node.path + "/Default"
        var seenFilters = Set<String>()
        for (offset, filter) in filters.enumerated() {
            let at = "ContentPolicyConfig.FiltersConfig[\(offset)]"
            if !seenFilters.insert(filter.type.rawValue).inserted {
                node.stack.report(.error(ConstructDiagnosticCode.duplicateGuardrailFilter, path: path, property: at + ".Type",
                                         "\(at).Type: content filter \(filter.type.rawValue) is listed twice; each filter type may appear once"))
            }
            if filter.type == .promptAttack && filter.output != .noneValue {
                node.stack.report(.error(ConstructDiagnosticCode.invalidSetting, path: path, property: at + ".OutputStrength",
                                         "\(at).OutputStrength: the PROMPT_ATTACK filter applies to input only; its output strength must be NONE, not \(filter.output.rawValue)"))
            }
        }
        var seenEntities = Set<String>()
        for (offset, rule) in piiRules.enumerated() where !seenEntities.insert(rule.type.rawValue).inserted {
            let at = "SensitiveInformationPolicyConfig.PiiEntitiesConfig[\(offset)]"
            node.stack.report(.error(ConstructDiagnosticCode.duplicateGuardrailEntity, path: path, property: at + ".Type",
                                     "\(at).Type: PII entity \(rule.type.rawValue) is listed twice; each entity type may appear once"))
        }
        let content = filters.isEmpty ? nil : Bedrock.Guardrail.ContentPolicyConfig(filtersConfig: .literal(filters.map {
            Bedrock.Guardrail.ContentFilterConfig(inputStrength: .literal($0.input), outputStrength: .literal($0.output), type: .literal($0.type))
        }))
        let sensitive = piiRules.isEmpty ? nil : Bedrock.Guardrail.SensitiveInformationPolicyConfig(piiEntitiesConfig: .literal(piiRules.map {
            Bedrock.Guardrail.PiiEntityConfig(action: .literal($0.action), type: .literal($0.type))
        }))
        resource = node.add("Default", Bedrock.Guardrail(
            blockedInputMessaging: .literal(blockedInputMessage),
            blockedOutputsMessaging: .literal(blockedOutputMessage),
            name: name,
            contentPolicyConfig: content,
            description: description.map { .literal($0) },
            kmsKeyArn: kmsKeyArn,
            sensitiveInformationPolicyConfig: sensitive))
        versionResource = node.add("Version", Bedrock.GuardrailVersion(
            guardrailIdentifier: resource.guardrailId,
            description: description.map { .literal($0) }))
    }

    /// The guardrail's id.
    public var guardrailId: Value<String> { resource.guardrailId }
    /// The guardrail's ARN.
    public var arn: Value<String> { resource.guardrailArn }
    /// The published version number.
    public var version: Value<String> { versionResource.version }
}
