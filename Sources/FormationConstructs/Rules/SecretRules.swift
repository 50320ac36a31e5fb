import Formation

extension ConstructDiagnosticCode {
    /// A parameter named like a secret without NoEcho.
    public static let secretParameterWithoutNoEcho = "FM4250"
    /// A secret in a plain environment variable.
    public static let secretInEnvironment = "FM4251"
}

/// FM4250 and FM4251: secrets where anyone who can read the stack or the function can see them.
///
/// A name "looks like a secret" when one of its words (split at `_`, `-`, `.` and camelCase) is
/// password, passwd, passphrase, secret, token, credential(s) or apikey, or two adjacent words are
/// api key or private key — unless its last word says it holds a pointer or a setting rather
/// than the value (`…Arn`, `…Name`, `…Id`, `…Length`, `…Ttl`, `…Url`, …: `SECRET_ARN` is fine), or
/// it ends in `KmsKey` (a KMS key's ARN, ID or alias: `SecretsKMSKey` is fine).
///
/// - FM4250 (warning): such a parameter without `NoEcho: true` — CloudFormation shows its value in
///   the console, `describe-stacks` and events. Parameters of `AWS::SSM::Parameter::Value<…>` types
///   hold a parameter's name and are not flagged.
/// - FM4251 (warning): a Lambda function's `Environment.Variables`, an ECS container's
///   `Environment`, or an AgentCore runtime's `EnvironmentVariables` entry named like a secret whose
///   value is a literal, a `{{resolve:secretsmanager|ssm-secure:…}}` dynamic reference, or a `Ref` to
///   a parameter (each ends up as plain text in the function's or task's configuration), and any
///   literal value shaped like an AWS access key ID (`AKIA`/`ASIA` and 16 characters) whatever its
///   name. References to resources (an ARN, a name) are pointers and are fine.
///
/// Warnings, not errors: both rules read names, and a name can mislead.
public struct SecretRules: TemplateRule {
    public init() {}

    static let parameter = RuleInfo(ConstructDiagnosticCode.secretParameterWithoutNoEcho, .warning, "parameter named like a secret without NoEcho",
        rationale: "CloudFormation shows the value in the console, describe-stacks and stack events to anyone who can read the stack",
        fix: "set NoEcho: true (and no Default), or better pass the secret's name and read it from Secrets Manager or SSM SecureString at run time")
    static let environment = RuleInfo(ConstructDiagnosticCode.secretInEnvironment, .warning, "secret in a plain environment variable (Lambda, ECS, AgentCore)",
        rationale: "environment variables are plain text in the function's or task's configuration, readable with lambda:GetFunctionConfiguration or ecs:DescribeTaskDefinition",
        fix: "pass the secret's ARN or name and read it at run time (Secrets Manager, SSM SecureString), or use ECS Secrets (valueFrom) instead of Environment")

    public var catalog: [RuleInfo] { [Self.parameter, Self.environment] }

    static let secretWords: Set<String> = ["password", "passwd", "passphrase", "secret", "secrets", "token", "credential", "credentials", "apikey"]
    static let secretPairs: Set<String> = ["api key", "private key"]
    /// Last words that make a name a pointer to a secret or a setting about one.
    static let pointerWords: Set<String> = [
        "arn", "arns", "name", "names", "id", "ids", "length", "ttl", "path", "parameter", "param", "version", "url", "uri", "endpoint",
        "header", "field", "type", "expiry", "expiration", "seconds", "minutes", "hours", "days", "policy", "rotation", "enabled", "region",
        "file", "location", "prefix",
    ]

    /// The words of a name: split at non-alphanumerics and lower-to-upper case changes, lowercased.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in name {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if character.isUppercase && previousLower && !current.isEmpty {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Whether `name` looks like it holds a secret's value.
    static func looksSecret(_ name: String) -> Bool {
        let words = words(name)
        guard let last = words.last else { return false }
        let secret = words.contains { secretWords.contains($0) }
            || words.indices.dropLast().contains { secretPairs.contains(words[$0] + " " + words[$0 + 1]) }
        // "…KmsKey" names a KMS key (an ARN, ID or alias; KMS never hands out key material).
        // (`KMSKey` is one word: the split is at lower-to-upper changes only.)
        let kmsKey = last == "kmskey" || last == "key" && words.count >= 2 && words[words.count - 2] == "kms"
        return secret && !pointerWords.contains(last) && !kmsKey
    }

    /// Whether a literal is shaped like an AWS access key ID.
    static func isAccessKeyID(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        guard characters.count == 20, text.hasPrefix("AKIA") || text.hasPrefix("ASIA") else { return false }
        return characters.allSatisfy { (65...90).contains($0) || (48...57).contains($0) }
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let parameters = template.root["Parameters"]?.mapValue ?? [:]
        for entry in parameters.entries where Self.looksSecret(entry.key) {
            let type = entry.value["Type"]?.stringValue ?? ""
            guard !type.hasPrefix("AWS::SSM::Parameter::Value"), !RuleSupport.isTrue(entry.value["NoEcho"]) else { continue }
            found.append(Diagnostic(Self.parameter.severity, Self.parameter.id, path: context.path(section: "Parameters", name: entry.key), property: "NoEcho",
                                    message: "NoEcho: absent — parameter \(entry.key) looks like a secret and its value is shown wherever the stack is"))
        }
        for resource in RuleSupport.resources(template, ["AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::ECS::TaskDefinition",
                                                         "AWS::BedrockAgentCore::Runtime"]) {
            var variables: [(property: String, name: String, value: TemplateValue)] = []
            switch resource.type {
            case "AWS::ECS::TaskDefinition":
                for (container, definition) in (resource.properties["ContainerDefinitions"]?.listValue ?? []).enumerated() {
                    for (offset, pair) in (definition["Environment"]?.listValue ?? []).enumerated() {
                        guard let name = pair["Name"]?.stringValue, let value = pair["Value"] else { continue }
                        variables.append(("ContainerDefinitions[\(container)].Environment[\(offset)]", name, value))
                    }
                }
            case "AWS::BedrockAgentCore::Runtime":
                for pair in resource.properties["EnvironmentVariables"]?.mapValue?.entries ?? [] {
                    variables.append(("EnvironmentVariables.\(pair.key)", pair.key, pair.value))
                }
            default:
                for pair in resource.properties["Environment"]?["Variables"]?.mapValue?.entries ?? [] {
                    variables.append(("Environment.Variables.\(pair.key)", pair.key, pair.value))
                }
            }
            for variable in variables {
                let problem: String?
                if let text = variable.value.stringValue, Self.isAccessKeyID(text) {
                    problem = "holds a literal AWS access key ID"
                } else if Self.looksSecret(variable.name) {
                    problem = Self.plainSecret(variable.value, parameters)
                } else {
                    problem = nil
                }
                if let problem {
                    found.append(RuleSupport.finding(Self.environment, context, resource, property: variable.property,
                                                     "\(variable.property): \(problem); it is plain text in the configuration"))
                }
            }
        }
        return found
    }

    /// Why a secret-named variable's value is a plain secret, or nil when it is a pointer.
    static func plainSecret(_ value: TemplateValue, _ parameters: OrderedMap) -> String? {
        let dynamic = ["{{resolve:secretsmanager:", "{{resolve:ssm-secure:"]
        switch value {
        case .string(let text) where text.isEmpty:
            return nil
        case .string(let text):
            return dynamic.contains(where: text.contains) ? "resolves a secret into the variable" : "is a literal secret"
        case .int, .double, .number:
            return "is a literal secret"
        case .fn(.ref(let name)) where parameters[name] != nil:
            return "is the value of parameter \(name)"
        case .fn(.sub(let text, _)) where dynamic.contains(where: text.contains):
            return "resolves a secret into the variable"
        default:
            return nil
        }
    }
}
