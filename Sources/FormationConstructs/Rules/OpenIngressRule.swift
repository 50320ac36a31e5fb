import Formation

/// FM4801: a security group admitting the whole internet (`0.0.0.0/0` or `::/0`) on an
/// administrative or database port, in `AWS::EC2::SecurityGroup`'s `SecurityGroupIngress` or an
/// `AWS::EC2::SecurityGroupIngress` resource. All traffic (`IpProtocol: -1`) and port ranges that
/// contain such a port count.
public struct OpenIngressRule: TemplateRule {
    /// The ports the rule guards, with what listens on them.
    public static let sensitivePorts: [(port: Int, service: String)] = [
        (22, "SSH"), (23, "Telnet"), (3389, "RDP"), (5985, "WinRM"), (5986, "WinRM over HTTPS"),
        (1433, "SQL Server"), (1521, "Oracle"), (3306, "MySQL"), (5432, "PostgreSQL"), (5439, "Redshift"),
        (6379, "Redis"), (9042, "Cassandra"), (9200, "Elasticsearch"), (11211, "Memcached"), (27017, "MongoDB"),
    ]

    public init() {}

    public var catalog: [RuleInfo] {
        [RuleInfo(ConstructDiagnosticCode.openIngress, .error, "security group open to the internet on an administrative or database port",
                  rationale: "SSH, RDP and database ports facing 0.0.0.0/0 or ::/0 are scanned and attacked within minutes",
                  fix: "admit a known CIDR or a security group; reach hosts through SSM Session Manager or a bastion")]
    }

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"] else { continue }
            let resource: ResourceView
            let rules: [(String, TemplateValue)]
            switch type {
            case "AWS::EC2::SecurityGroup":
                resource = ResourceView(logicalID: entry.key, body: body)
                rules = (resource.properties["SecurityGroupIngress"]?.listValue ?? []).enumerated().map { ("SecurityGroupIngress[\($0)]", $1) }
            case "AWS::EC2::SecurityGroupIngress":
                resource = ResourceView(logicalID: entry.key, body: body)
                rules = [("", .map(resource.properties))]
            default:
                continue
            }
            for (property, rule) in rules {
                guard let cidr = [rule["CidrIp"], rule["CidrIpv6"]].compactMap({ Self.openRange($0, template) }).first,
                      let exposed = Self.exposedPorts(rule), !exposed.isEmpty else { continue }
                let names = exposed.map { "\($0.port) (\($0.service))" }.joined(separator: ", ")
                let prefix = property.isEmpty ? "" : property + ": "
                diagnostics.append(.error(ConstructDiagnosticCode.openIngress, path: context.path(ofResource: resource.logicalID),
                                          property: property.isEmpty ? "CidrIp" : property,
                                          "\(prefix)admits \(cidr) on \(names)"))
            }
        }
        return diagnostics
    }

    /// `0.0.0.0/0` or `::/0` when the value is that literal, or a `Ref` to a parameter whose
    /// Default is that (what a deploy that does not override the parameter opens, as AWS's
    /// samples' `SSHLocation` does; checkov reads defaults too): `0.0.0.0/0 (the Default of
    /// parameter SSHLocation)`.
    static func openRange(_ value: TemplateValue?, _ template: Template) -> String? {
        func isOpen(_ text: String?) -> Bool { text == "0.0.0.0/0" || text == "::/0" }
        if let text = value?.stringValue { return isOpen(text) ? text : nil }
        guard case .fn(.ref(let name))? = value, let text = template.root["Parameters"]?[name]?["Default"]?.stringValue, isOpen(text) else { return nil }
        return "\(text) (the Default of parameter \(name))"
    }

    /// The sensitive ports a rule opens; nil when its protocol or ports are not literals.
    static func exposedPorts(_ rule: TemplateValue) -> [(port: Int, service: String)]? {
        guard let proto = scalar(rule["IpProtocol"])?.lowercased() else { return nil }
        if proto == "-1" || proto == "all" { return sensitivePorts }
        guard ["tcp", "6", "udp", "17"].contains(proto) else { return [] }
        guard let from = scalar(rule["FromPort"]).flatMap({ Int($0) }), let to = scalar(rule["ToPort"]).flatMap({ Int($0) }) else { return nil }
        // -1 as a port means every port (EC2's form for "all").
        if from == -1 || to == -1 { return sensitivePorts }
        return sensitivePorts.filter { $0.port >= from && $0.port <= to }
    }

    private static func scalar(_ value: TemplateValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        default: nil
        }
    }
}
