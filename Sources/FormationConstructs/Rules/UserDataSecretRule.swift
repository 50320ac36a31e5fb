import Formation

extension ConstructDiagnosticCode {
    /// A secret written into EC2 user data.
    public static let secretInUserData = "FM4252"
}

/// FM4252 (warning): a secret in the user data of an instance, launch template or launch
/// configuration. User data is plain text to anyone who can call ec2:DescribeInstanceAttribute
/// (or read the launch template), and to every process on the instance through the metadata
/// service. Reported: a word shaped like an AWS access key ID; a `{{resolve:secretsmanager:…}}`
/// dynamic reference (CloudFormation writes the secret's value into the user data); a shell
/// assignment (`NAME=value`, `export NAME=value`) whose name looks like a secret (as FM4251
/// reads names) and whose value is a literal rather than `$…` (a variable or a command that
/// fetches it at boot). The text read is a literal, or `Fn::Base64` of a literal, an `Fn::Sub`
/// template or an `Fn::Join` of literals; other intrinsics are skipped.
public struct UserDataSecretRule: TemplateRule {
    public init() {}

    static let info = RuleInfo(ConstructDiagnosticCode.secretInUserData, .warning, "secret in EC2 user data",
        rationale: "user data is plain text to anyone allowed ec2:DescribeInstanceAttribute or to read the launch template, and to every process on the instance",
        fix: "fetch the secret at boot (aws secretsmanager get-secret-value, or SSM SecureString) with the instance role, and keep only its name in the user data")

    public var catalog: [RuleInfo] { [Self.info] }

    static let places: [String: String] = [
        "AWS::EC2::Instance": "UserData", "AWS::AutoScaling::LaunchConfiguration": "UserData",
        "AWS::EC2::LaunchTemplate": "LaunchTemplateData.UserData",
    ]

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in RuleSupport.resources(template, Set(Self.places.keys)) {
            guard let property = Self.places[resource.type ?? ""] else { continue }
            var value: TemplateValue? = .map(resource.properties)
            for key in property.split(separator: ".") { value = value?[String(key)] }
            guard let text = Self.text(of: value), let problem = Self.problem(in: text) else { continue }
            found.append(RuleSupport.finding(Self.info, context, resource, property: property, "\(property): \(problem); user data is plain text"))
        }
        return found
    }

    /// The literal text of user data, where the template shows it.
    static func text(of value: TemplateValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .fn(.base64(let inner))?: return text(of: inner)
        case .fn(.sub(let text, _))?: return text
        case .fn(.join(let separator, .list(let parts)))?:
            return parts.map { text(of: $0) ?? "" }.joined(separator: separator)
        default: return nil
        }
    }

    /// `text` without the characters of `set` at either end.
    static func trimmed(_ text: Substring, _ set: String) -> String {
        String(text.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }

    static func trimmed(_ text: String, _ set: String) -> String { trimmed(Substring(text), set) }

    /// What in `text` is a secret, or nil.
    static func problem(in text: String) -> String? {
        if text.contains("{{resolve:secretsmanager:") || text.contains("{{resolve:ssm-secure:") {
            return "resolves a secret into the script"
        }
        let words = text.split { !($0.isLetter || $0.isNumber) }
        if words.contains(where: { SecretRules.isAccessKeyID(String($0)) }) { return "holds a literal AWS access key ID" }
        for line in text.split(separator: "\n") {
            var statement = trimmed(line, " \t")
            if statement.hasPrefix("export ") { statement = trimmed(statement.dropFirst(7), " \t") }
            guard let equals = statement.firstIndex(of: "=") else { continue }
            let name = String(statement[..<equals])
            let value = trimmed(statement[statement.index(after: equals)...], "\"' \t")
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), SecretRules.looksSecret(name),
                  !value.isEmpty, !value.hasPrefix("$") else { continue }
            return "assigns a literal to \(name)"
        }
        return nil
    }
}
