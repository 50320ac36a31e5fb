/// CloudFormation's quotas, checked at synthesis rather than discovered at deploy.
public enum TemplateLimits {
    public static let maximumResources = 500
    public static let maximumParameters = 200
    public static let maximumOutputs = 200
    public static let maximumMappings = 200
    /// Largest template body `--template-body` accepts; larger ones must be uploaded to S3.
    public static let maximumInlineBodyBytes = 51_200
    /// Largest template CloudFormation accepts at all (from S3).
    public static let maximumBodyBytes = 1_048_576

    /// Count limits on resources, parameters, outputs and mappings.
    static func counts(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let checks: [(String, Int, Int, String)] = [
            ("Resources", template.resources.count, maximumResources, DiagnosticCode.tooManyResources),
            ("Parameters", template.parameters.count, maximumParameters, DiagnosticCode.tooManyParameters),
            ("Outputs", template.outputs.count, maximumOutputs, DiagnosticCode.tooManyOutputs),
            ("Mappings", template.mappings.count, maximumMappings, DiagnosticCode.tooManyMappings),
        ]
        for (section, count, limit, code) in checks where count > limit {
            diagnostics.append(.error(code, path: context.stackPath,
                                      "the template has \(count) \(section.lowercased()); CloudFormation allows at most \(limit) per template (split the stack)"))
        }
        return diagnostics
    }

    /// Body-size findings for rendered text.
    public static func bodySize(of text: String, path: String, format: TemplateFormat) -> [Diagnostic] {
        let bytes = text.utf8.count
        if bytes > maximumBodyBytes {
            return [.error(DiagnosticCode.bodyTooLarge, path: path,
                           "the \(format.rawValue.uppercased()) template is \(bytes) bytes; CloudFormation accepts at most \(maximumBodyBytes) bytes even from S3 (split the stack)")]
        }
        if bytes > maximumInlineBodyBytes {
            return [.warning(DiagnosticCode.bodyNeedsS3, path: path,
                             "the \(format.rawValue.uppercased()) template is \(bytes) bytes, over the \(maximumInlineBodyBytes)-byte limit for --template-body; deploy it with --s3-bucket (aws cloudformation deploy uploads it)")]
        }
        return []
    }
}

/// Schema rules from the registry, for every resource whose type has a schema.
enum SchemaCheck {
    /// Types that legitimately have no registry schema.
    static func isSchemaless(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource"
    }

    static func run(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard let body = entry.value.mapValue, let type = body["Type"]?.stringValue else { continue }
            let path = context.path(ofResource: entry.key)
            guard let schema = context.schema(logicalID: entry.key, type: type) else {
                if !context.schemas.isEmpty && !isSchemaless(type) {
                    diagnostics.append(.warning(SchemaDiagnosticCode.unknownType, path: path, property: "Type",
                                                "type \(type) is not in the CloudFormation registry schemas bundled with Formation; its properties are not validated and deploy may fail"))
                }
                continue
            }
            let properties = body["Properties"]?.mapValue ?? [:]
            for violation in schema.validate(properties) {
                diagnostics.append(Diagnostic(violation.severity, violation.code, path: path, property: violation.property,
                                              message: "\(violation.message) (\(type))"))
            }
        }
        return diagnostics
    }
}

/// Codes of the schema rules (`FM3xxx`).
public enum SchemaDiagnosticCode {
    public static let unknownType = "FM3000"
    public static let required = "FM3001"
    public static let type = "FM3002"
    public static let enumeration = "FM3003"
    public static let pattern = "FM3004"
    public static let length = "FM3005"
    public static let range = "FM3006"
    public static let itemCount = "FM3007"
    public static let uniqueItems = "FM3008"
    public static let unknownProperty = "FM3009"
    public static let combination = "FM3010"
    public static let dependency = "FM3011"
    /// An object has more or fewer properties than `maxProperties`/`minProperties` allow.
    public static let propertyCount = "FM3012"
    /// A read-only property (an attribute CloudFormation sets) is given a value (warning).
    public static let readOnly = "FM3013"
    /// A bundled schema table could not be read (a defect in Formation, not in the template).
    public static let schemaUnusable = "FM3014"
}
