import FormationTemplate

/// The logical IDs SAM's transform adds to a template, which `Ref`, `Fn::GetAtt`, `Fn::Sub` and
/// `DependsOn` may name although the template does not declare them (SAM's translator:
/// model/sam_resources.py, model/naming.py, model/preferences/).
///
/// - Every resource SAM generates for an `AWS::Serverless::*` resource is named after it:
///   `MyFunctionRole`, `MyFunctionAliaslive`, `MyFunctionVersion<hash>`, `MyApiProdStage`,
///   `MyApiDeployment<hash>`, `MyFunction<Event>Permission`, … So a name that starts with a SAM
///   resource's logical ID and goes on is accepted.
/// - A SAM resource's referable properties, named after a dot: `!Ref MyFunction.Alias`,
///   `!GetAtt MyFunction.Version.Arn`, `${MyApi.Stage}` (`ServerlessSpec.referableProperties`).
/// - The template-wide ones: `ServerlessRestApi` and `ServerlessHttpApi` (the implicit APIs of
///   functions' Api/HttpApi events) with their stages and deployments, CodeDeploy's
///   `ServerlessDeploymentApplication` and `CodeDeployServiceRole` (`ServerlessSpec.generatedLogicalIDs`).
///
/// What a generated resource's attributes are is not known here: an `Fn::GetAtt` on one is not
/// checked further. The GetAtt names of the SAM resources themselves are in their schemas.
struct ServerlessNames: Sendable {
    /// SAM resources' logical IDs and types, sorted by logical ID.
    let resources: [(logicalID: String, type: String)]

    /// nil unless the template declares the SAM transform.
    init?(_ template: Template, transforms: [String], types: [String]) {
        guard transforms.contains(SchemaCheck.serverlessTransform) else { return nil }
        var found: [(String, String)] = []
        for (position, entry) in template.resources.entries.enumerated() where position < types.count {
            if types[position].hasPrefix("AWS::Serverless::") { found.append((entry.key, types[position])) }
        }
        resources = found.sorted { $0.0 < $1.0 }
    }

    /// Whether SAM generates a resource (or a referable property) named `name`.
    func generates(_ name: String) -> Bool {
        for generated in ServerlessSpec.generatedLogicalIDs where name.hasPrefix(generated) { return true }
        for (logicalID, type) in resources where name.count > logicalID.count && name.hasPrefix(logicalID) {
            let rest = name.dropFirst(logicalID.count)
            guard rest.first == "." else { return true }
            let property = rest.dropFirst().prefix { $0 != "." }
            if ServerlessSpec.referableProperties[type]?.contains(String(property)) == true { return true }
        }
        return false
    }
}

extension ServerlessNames {
    /// The SAM types that generate an execution role `<LogicalID>Role` (an `AWS::IAM::Role`) when
    /// they have no `Role` (model/sam_resources.py, model/stepfunctions/generators.py).
    static let rolesGenerated: Set<String> = ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"]

    /// FM1004 for a resource of the template that has the logical ID of the role SAM would
    /// generate: SAM's translator refuses the template (verify_logical_id.py: an `AWS::IAM::Role` may
    /// replace no existing resource).
    static func collisions(_ template: Template, _ context: ValidationContext, globals: [String: OrderedMap]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let resources = template.resources
        for entry in resources.entries {
            guard let body = entry.value.mapValue, let type = body["Type"]?.stringValue, rolesGenerated.contains(type) else { continue }
            let properties = body["Properties"]?.mapValue ?? [:]
            let merged = ServerlessGlobals.resolved(properties, type: type, resource: body, globals: globals).properties
            if merged["Role"] != nil { continue }
            let role = entry.key + "Role"
            guard let other = resources[role] else { continue }
            let otherType = other.mapValue?["Type"]?.stringValue ?? "?"
            diagnostics.append(.error(DiagnosticCode.logicalIDCollision, path: context.path(ofResource: role),
                                      "\(role) (\(otherType)) has the logical ID of the AWS::IAM::Role SAM generates for \(entry.key) (\(type) without Role); SAM's transform refuses the template: rename \(role), or give \(entry.key) a Role"))
        }
        return diagnostics
    }
}
