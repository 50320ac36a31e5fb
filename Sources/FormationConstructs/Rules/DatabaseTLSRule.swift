import Formation

extension ConstructDiagnosticCode {
    /// A MySQL, MariaDB or PostgreSQL database whose parameter group lets clients connect without TLS.
    public static let databaseWithoutForcedTLS = "FM4241"
}

/// FM4241 (warning): an RDS instance or cluster whose engine accepts unencrypted connections
/// unless its parameter group says otherwise, and whose parameter group, as the template shows
/// it, does not: `require_secure_transport` ON for MySQL, MariaDB and Aurora MySQL, and
/// `rds.force_ssl` 1 for PostgreSQL and Aurora PostgreSQL. Reported when the resource names no
/// parameter group (the engine's default group) and that default does not force TLS, or names a
/// parameter group of the template that does not set it. RDS for PostgreSQL 15 and later sets
/// `rds.force_ssl` to 1 by default, so a PostgreSQL instance without a group passes unless its
/// EngineVersion is older; Aurora PostgreSQL's default differs by version, so without a group it
/// is not judged. A group named by a parameter or a literal name (not in the template) is not judged.
public struct DatabaseTLSRule: TemplateRule {
    public init() {}

    static let info = RuleInfo(ConstructDiagnosticCode.databaseWithoutForcedTLS, .warning, "database accepts connections without TLS",
        rationale: "the engine lets clients connect in plain text unless its parameter group forces TLS; credentials and data then cross the network unencrypted",
        fix: "give the database a parameter group with require_secure_transport ON (MySQL, MariaDB) or rds.force_ssl 1 (PostgreSQL)")

    public var catalog: [RuleInfo] { [Self.info] }

    /// Where a type names its parameter group, and the group types that property may name.
    static let groupProperty: [String: (property: String, groupType: String)] = [
        "AWS::RDS::DBInstance": ("DBParameterGroupName", "AWS::RDS::DBParameterGroup"),
        "AWS::RDS::DBCluster": ("DBClusterParameterGroupName", "AWS::RDS::DBClusterParameterGroup"),
    ]

    /// The parameter that forces TLS per engine, and the values that mean it does.
    static func tlsParameter(engine: String) -> (name: String, forcing: Set<String>)? {
        switch engine.lowercased() {
        case "mysql", "mariadb", "aurora-mysql", "aurora": ("require_secure_transport", ["on", "1", "true"])
        case "postgres", "aurora-postgresql": ("rds.force_ssl", ["1", "on", "true"])
        default: nil
        }
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in RuleSupport.resources(template, Set(Self.groupProperty.keys)) {
            guard let (property, groupType) = Self.groupProperty[resource.type ?? ""],
                  case .string(let engine)? = resource.properties["Engine"],
                  let (parameter, forcing) = Self.tlsParameter(engine: engine) else { continue }
            // An instance of an Aurora cluster takes TLS settings from the cluster's group.
            if resource.type == "AWS::RDS::DBInstance", engine.lowercased().hasPrefix("aurora") { continue }
            let named = resource.properties[property]
            if named == nil {
                guard Self.defaultAllowsPlainText(engine: engine, version: resource.properties["EngineVersion"]) else { continue }
                found.append(RuleSupport.finding(Self.info, context, resource, property: property,
                    "\(property): absent — the default parameter group of \(engine) does not set \(parameter), so clients may connect without TLS"))
                continue
            }
            guard let groupID = RuleSupport.resourceNamed(by: named), case .map(let group)? = template.resources[groupID],
                  group["Type"]?.stringValue == groupType else { continue }
            let value = group["Properties"]?["Parameters"]?[parameter]
            if RuleSupport.isComputed(value) { continue }
            let text: String? = switch value {
            case .string(let text)?: text
            case .int(let number)?: String(number)
            case .bool(let flag)?: flag ? "true" : "false"
            default: nil
            }
            if let text, forcing.contains(text.lowercased()) { continue }
            if text == nil, !Self.defaultAllowsPlainText(engine: engine, version: resource.properties["EngineVersion"]) { continue }
            found.append(RuleSupport.finding(Self.info, context, resource, property: property,
                "\(property): parameter group \(groupID) \(text.map { "sets \(parameter) to \(TemplateValue.string($0))" } ?? "does not set \(parameter)") — clients may connect without TLS"))
        }
        return found
    }

    /// Whether the engine's default lets clients connect without TLS: yes for MySQL and MariaDB;
    /// for RDS PostgreSQL only before 15 (a literal EngineVersion); Aurora PostgreSQL not judged.
    static func defaultAllowsPlainText(engine: String, version: TemplateValue?) -> Bool {
        switch engine.lowercased() {
        case "mysql", "mariadb", "aurora-mysql", "aurora": return true
        case "postgres":
            guard case .string(let text)? = version, let major = Int(text.split(separator: ".").first ?? "") else { return false }
            return major < 15
        default: return false
        }
    }
}
