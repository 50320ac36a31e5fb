/// What CloudFormation requires of the template's own keys before it looks at any resource:
/// the top-level sections, `AWSTemplateFormatVersion`, `Description`, `Transform`, a non-empty
/// `Resources`, logical IDs not shared by a parameter and a resource, and each resource's
/// attributes (known names; `DeletionPolicy` and `UpdateReplacePolicy` values).
enum SectionCheck {
    /// Top-level keys CloudFormation accepts (`Hooks` for CodeDeploy blue/green deployments).
    static let sections: [String] = Template.sectionOrder + ["Hooks"]
    /// Top-level keys the SAM transform adds.
    static let serverlessSections: [String] = ["Globals"]
    /// The attributes a resource may have.
    static let resourceAttributes: [String] = [
        "Type", "Properties", "Condition", "DependsOn", "Metadata", "CreationPolicy", "UpdatePolicy",
        "DeletionPolicy", "UpdateReplacePolicy", "Version",
    ]
    /// Resource attributes the SAM transform adds.
    static let serverlessAttributes: [String] = ["Connectors", "IgnoreGlobals"]
    /// The values `DeletionPolicy` and `UpdateReplacePolicy` take (besides `Snapshot` for the
    /// types that snapshot).
    static let policyValues: [(String, [String])] = [
        ("DeletionPolicy", ["Delete", "Retain", "RetainExceptOnCreate"]), ("UpdateReplacePolicy", ["Delete", "Retain"]),
    ]
    /// The functions a `DeletionPolicy` or `UpdateReplacePolicy` may come from (with
    /// `AWS::LanguageExtensions`).
    static let policyFunctions: Set<String> = ["Ref", "Fn::If", "Fn::FindInMap", "Fn::Sub", "Fn::Select"]
    /// The finding for `Resources: {}`.
    static let emptyResources = "the Resources section is empty; CloudFormation requires at least one resource"
    /// The only template format version there is.
    static let formatVersion = "2010-09-09"
    /// Largest `Description` CloudFormation accepts, in bytes.
    static let maximumDescriptionBytes = 1_024
    /// Types whose `DeletionPolicy`/`UpdateReplacePolicy` may be `Snapshot` (AWS's list).
    static let snapshotTypes: Set<String> = [
        "AWS::DocDB::DBCluster", "AWS::EC2::Volume", "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup", "AWS::Neptune::DBCluster", "AWS::RDS::DBCluster",
        "AWS::RDS::DBInstance", "AWS::Redshift::Cluster",
    ]

    static func run(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let transforms = SchemaCheck.transforms(template)
        let serverless = transforms.contains(SchemaCheck.serverlessTransform)
        let macros = transforms.contains { !SchemaCheck.builtInTransforms.contains($0) }
        func error(_ code: String, _ path: String, property: String? = nil, _ message: String) {
            diagnostics.append(.error(code, path: path, property: property, message))
        }

        let allowed = sections + (serverless ? serverlessSections : [])
        for key in template.root.keys where !allowed.contains(key) && !macros {
            let hint = Suggestion.closest(to: key, among: allowed).map { "; did you mean \($0)?" } ?? ""
            error(DiagnosticCode.malformedTemplate, context.stackPath, property: key, "\(key) is not a template section\(hint)")
        }
        if let version = template.root["AWSTemplateFormatVersion"], version != .string(formatVersion) {
            error(DiagnosticCode.malformedTemplate, context.stackPath, property: "AWSTemplateFormatVersion",
                  "AWSTemplateFormatVersion must be \"\(formatVersion)\", found \(shown(version))")
        }
        if let description = template.root["Description"] {
            if case .string(let text) = description {
                if text.utf8.count > maximumDescriptionBytes {
                    error(DiagnosticCode.malformedTemplate, context.stackPath, property: "Description",
                          "the Description is \(text.utf8.count) bytes; CloudFormation accepts at most \(maximumDescriptionBytes)")
                }
            } else {
                error(DiagnosticCode.malformedTemplate, context.stackPath, property: "Description",
                      "the Description must be a string, found \(description.kindName)")
            }
        }
        if let transform = template.root["Transform"], !isTransform(transform) {
            error(DiagnosticCode.malformedTemplate, context.stackPath, property: "Transform",
                  "Transform must be a transform name, a {Name, Parameters} map or a list of them, found \(shown(transform))")
        }
        if case .map(let resources)? = template.root["Resources"], resources.isEmpty {
            error(DiagnosticCode.malformedTemplate, context.stackPath, property: "Resources", emptyResources)
        }
        let parameters = template.parameters
        if !parameters.isEmpty {
            for entry in template.resources.entries where parameters[entry.key] != nil {
                let name = entry.key
                error(DiagnosticCode.malformedTemplate, context.path(ofResource: name),
                      "\(name) is both a parameter and a resource; a logical ID must be unique in the template")
            }
        }

        for entry in template.conditions.entries {
            for problem in conditionProblems(entry.value, top: true) {
                error(DiagnosticCode.malformedIntrinsic, context.path(section: "Conditions", name: entry.key), problem)
            }
        }

        let attributes = resourceAttributes + (serverless ? serverlessAttributes : [])
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value else { continue }
            // Most resources have only Type, Properties and DependsOn: the path is looked up,
            // and the policies read, only when there is something to say.
            var policies = false
            for member in body.entries {
                let key = member.key
                if key == "Type" || key == "Properties" || key == "DependsOn" { continue }
                if key == "DeletionPolicy" || key == "UpdateReplacePolicy" { policies = true }
                if !macros && !attributes.contains(key) {
                    let hint = Suggestion.closest(to: key, among: attributes).map { "; did you mean \($0)?" } ?? ""
                    error(DiagnosticCode.invalidResourceAttribute, context.path(ofResource: entry.key), property: key,
                          "\(key) is not a resource attribute\(hint)")
                }
            }
            guard policies else { continue }
            let snapshots = body["Type"]?.stringValue.map(snapshotTypes.contains) ?? false
            for (attribute, values) in policyValues {
                guard let value = body[attribute] else { continue }
                let allowed = values + (snapshots ? ["Snapshot"] : [])
                for problem in policyProblems(value, allowed: allowed, snapshotsSupported: snapshots) {
                    error(DiagnosticCode.invalidResourceAttribute, context.path(ofResource: entry.key), property: attribute,
                          "\(attribute): \(problem)")
                }
            }
        }
        return diagnostics
    }

    /// What is wrong with a condition: it must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or a
    /// `Condition` naming another (cfn-lint's good conditions.yaml); Fn::And and Fn::Or take 2 to 10
    /// conditions; Fn::Equals compares two strings, made by no other function than `Ref`,
    /// `Fn::FindInMap`, `Fn::Sub`, `Fn::Join`, `Fn::Select` and `Fn::Split`. A malformed function
    /// is the reference check's to report (FM1109).
    static func conditionProblems(_ value: TemplateValue, top: Bool = false) -> [String] {
        switch value {
        case .fn(.equals(let first, let second)):
            return [first, second].compactMap { operand in
                switch operand {
                case .string, .int, .double, .bool: return nil
                case .fn(.ref), .fn(.findInMap), .fn(.sub), .fn(.join), .fn(.select), .fn(.split): return nil
                case .fn(let function): return "Fn::Equals cannot compare \(function.name); use Ref, Fn::FindInMap, Fn::Sub, Fn::Join, Fn::Select or Fn::Split"
                default: return isMalformedFunction(operand) ? nil : "Fn::Equals compares strings, found \(operand.kindName)"
                }
            }
        case .fn(.and(let items)), .fn(.or(let items)):
            let name = value.kindName
            var problems: [String] = []
            if items.count < 2 || items.count > 10 {
                problems.append("\(name) takes 2 to 10 conditions, found \(items.count)")
            }
            return problems + items.flatMap { conditionProblems($0) }
        case .fn(.not(let item)):
            return conditionProblems(item)
        case .fn(.condition), .bool:
            return []
        default:
            if isMalformedFunction(value) { return [] }
            let expected = top ? "a condition must be Fn::Equals, Fn::And, Fn::Or or Fn::Not"
                : "Fn::And, Fn::Or and Fn::Not take conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)"
            return ["\(expected), found \(shown(value))"]
        }
    }

    /// A one-key map named like a function (the reference check reports it).
    private static func isMalformedFunction(_ value: TemplateValue) -> Bool {
        guard case .map(let map) = value, map.count == 1, let key = map.keys.first else { return false }
        return Intrinsic.longFormNames.contains(key) || key.hasPrefix("Fn::")
    }

    /// Whether `value` is a form `Transform` takes.
    private static func isTransform(_ value: TemplateValue) -> Bool {
        switch value {
        case .string(let name): return !name.isEmpty
        case .map(let map): return map["Name"]?.stringValue != nil && map.keys.allSatisfy { $0 == "Name" || $0 == "Parameters" }
        case .list(let items): return !items.isEmpty && items.allSatisfy { if case .list = $0 { false } else { isTransform($0) } }
        default: return false
        }
    }

    /// What is wrong with a DeletionPolicy or UpdateReplacePolicy value: a string of `allowed`,
    /// or a function CloudFormation resolves there (`Ref`, `Fn::If` of such values,
    /// `Fn::FindInMap`, `Fn::Sub`, `Fn::Select`).
    private static func policyProblems(_ value: TemplateValue, allowed: [String], snapshotsSupported: Bool) -> [String] {
        switch value {
        case .string(let text):
            if allowed.contains(text) { return [] }
            if text == "Snapshot" && !snapshotsSupported {
                return ["Snapshot applies only to \(snapshotTypes.sorted().joined(separator: ", "))"]
            }
            let hint = Suggestion.closest(to: text, among: allowed).map { "; did you mean \($0)?" } ?? ""
            return ["\(shown(value)) is not one of \(allowed.joined(separator: ", "))\(hint)"]
        case .fn(.if(_, let whenTrue, let whenFalse)):
            return policyProblems(whenTrue, allowed: allowed, snapshotsSupported: snapshotsSupported)
                + policyProblems(whenFalse, allowed: allowed, snapshotsSupported: snapshotsSupported)
        case .fn(.ref), .fn(.findInMap), .fn(.findInMapDefault), .fn(.sub), .fn(.select):
            return []
        case .fn(let function):
            return ["\(function.name) cannot give a policy; use a string, Ref, Fn::If, Fn::FindInMap, Fn::Sub or Fn::Select"]
        default:
            return ["the policy must be a string, found \(value.kindName)"]
        }
    }

    private static func shown(_ value: TemplateValue) -> String {
        switch value {
        case .list, .map, .fn: value.kindName
        default: value.description
        }
    }
}
