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
            let advice = section == "Resources"
                ? "split the stack, or move a part into a nested stack (FormationConstructs' NestedStack), which counts as one resource here"
                : "split the stack"
            diagnostics.append(.error(code, path: context.stackPath, property: section,
                                      "the template has \(count) \(section.lowercased()); CloudFormation allows at most \(limit) per template (\(advice))"))
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

/// Schema rules from the registry for every resource: the type must exist (in every region
/// the template deploys to), and its properties must satisfy that region's schema.
enum SchemaCheck {
    /// The registry type every `Custom::*` resource is validated as (CloudFormation treats them
    /// alike: a `ServiceToken` and any other properties).
    static let customResourceType = "AWS::CloudFormation::CustomResource"
    /// The transform that makes SAM's `AWS::Serverless::*` types legal.
    static let serverlessTransform = "AWS::Serverless-2016-10-31"
    /// Transforms CloudFormation itself runs that do not introduce resource types.
    static let builtInTransforms: Set<String> = ["AWS::LanguageExtensions", "AWS::Include", "AWS::CodeDeployBlueGreen", serverlessTransform]

    /// Types CloudFormation deploys that the registry schemas do not describe, each with the
    /// reason; they get a warning that nothing checks them, not an error.
    static let unregisteredTypes: [String: String] = [
        "AWS::Bedrock::ModelInvocationLoggingConfiguration":
            "CloudFormation deploys it, but it is not in the CloudFormation registry schemas Formation bundles; its properties are not validated",
    ]

    static func isCustomResource(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || type == customResourceType
    }

    /// The template's transforms (`Transform` as a string or a list of strings).
    static func transforms(_ template: Template) -> [String] {
        switch template.root["Transform"] {
        case .string(let name)?: [name]
        case .list(let items)?: items.compactMap(\.stringValue)
        default: []
        }
    }

    static func run(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let registry = context.schemas
        if let loadError = registry.loadError {
            diagnostics.append(.error(SchemaDiagnosticCode.schemaUnusable, path: context.stackPath,
                                      "the registry schemas cannot be read (\(loadError)); no resource was validated against them"))
        }
        let regions = context.effectiveRegions
        let transforms = transforms(template)
        let serverless = transforms.contains(serverlessTransform)
        let macros = transforms.filter { !builtInTransforms.contains($0) }
        var lookups: [String: TypeLookup] = [:]
        var reportedFailures: Set<String> = []
        var packagedPaths: [String] = []

        let declaresTypes = !context.declaredTypes.names.isEmpty
        let hasTypedSchemas = !context.typedSchemas.isEmpty
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"] else { continue }
            let logicalID = entry.key
            // Properties as a map, or each map an Fn::If may choose (nil: a macro's output).
            let variants = propertyVariants(body["Properties"])
            let typed = hasTypedSchemas ? context.typedSchemas[entry.key] : nil

            func validate(with schemas: [(regions: [String], schema: any ResourceSchema)]) {
                guard let variants else { return }
                var seen = Set<String>()
                for properties in variants {
                    // A local path for aws cloudformation package: validated as package leaves it.
                    let (properties, localPaths) = Packaging.packaged(properties, type: type)
                    for path in localPaths where !packagedPaths.contains("\(path) of \(logicalID)") {
                        packagedPaths.append("\(path) of \(logicalID)")
                    }
                    for diagnostic in violations(schemas, properties, type: type, logicalID: logicalID, context)
                    where seen.insert(diagnostic.description).inserted {
                        diagnostics.append(diagnostic)
                    }
                }
            }

            if declaresTypes {
                if let declared = context.declaredTypes.schemas[type] ?? (context.declaredTypes.contains(type) ? typed : nil) {
                    validate(with: [(regions, declared)])
                    continue
                }
                if context.declaredTypes.contains(type) { continue }
            }
            if registry.isEmpty {
                if let typed { validate(with: [(regions, typed)]) }
                continue
            }
            let lookupType = isCustomResource(type) ? customResourceType : type
            let lookup: TypeLookup
            if let cached = lookups[lookupType] {
                lookup = cached
            } else {
                lookup = registry.lookup(lookupType, regions: regions)
                lookups[lookupType] = lookup
            }
            for failure in lookup.failures where reportedFailures.insert(lookupType).inserted {
                diagnostics.append(.error(SchemaDiagnosticCode.schemaUnusable, path: context.path(ofResource: logicalID), property: "Type",
                                          "the schema of \(lookupType) cannot be read (\(failure)); resources of this type are not validated"))
            }
            guard lookup.exists else {
                if registry.loadError == nil {
                    diagnostics.append(unknownType(type, path: context.path(ofResource: logicalID), registry: registry, macros: macros))
                }
                if let typed { validate(with: [(regions, typed)]) }
                continue
            }
            if lookup.isServerless && !serverless {
                diagnostics.append(.error(SchemaDiagnosticCode.unknownType, path: context.path(ofResource: logicalID), property: "Type",
                                          "type \(type) is a SAM type: it exists only in a template with Transform: \(serverlessTransform); add the transform, or use the CloudFormation types SAM expands it to"))
                continue
            }
            if !lookup.missingRegions.isEmpty {
                let available = lookup.availableRegions
                let whereItIs = available.isEmpty ? "no region" : available.joined(separator: ", ")
                diagnostics.append(.error(SchemaDiagnosticCode.unavailableInRegion, path: context.path(ofResource: logicalID), property: "Type",
                                          "type \(type) does not exist in \(lookup.missingRegions.joined(separator: ", ")); it exists in \(whereItIs)"))
            }
            if let typed {
                validate(with: [(lookup.schemas.flatMap(\.regions), typed)])
            } else {
                validate(with: lookup.schemas)
            }
        }
        if !packagedPaths.isEmpty {
            let shown = packagedPaths.prefix(3).joined(separator: ", ") + (packagedPaths.count > 3 ? ", …" : "")
            diagnostics.append(.warning(DiagnosticCode.needsPackaging, path: context.stackPath,
                                        "the template needs packaging: \(packagedPaths.count == 1 ? "a local path" : "\(packagedPaths.count) local paths") (\(shown)) \(packagedPaths.count == 1 ? "stands" : "stand") where aws cloudformation package writes S3 locations; validated as package leaves them. Run aws cloudformation package (or sam package) before deploying"))
        }
        return diagnostics
    }

    /// The property maps a resource's `Properties` may turn out to be: the map itself; for
    /// `Fn::If`, each branch's (`AWS::NoValue`: no properties); nil when they are not known
    /// before deploy (`Fn::Transform`) or not a map at all (the structure check reports that).
    static func propertyVariants(_ properties: TemplateValue?) -> [OrderedMap]? {
        switch properties {
        case nil: return [[:]]
        case .map(let map)?: return [map]
        case .fn(.ref(let name))? where name == PseudoParameter.noValue.rawValue: return [[:]]
        case .fn(.if(_, let whenTrue, let whenFalse))?:
            guard let first = propertyVariants(whenTrue), let second = propertyVariants(whenFalse) else { return nil }
            return first + second
        default: return nil
        }
    }

    /// Whether `Properties` has a form CloudFormation accepts: a map, an `Fn::If` choosing
    /// between maps (or `AWS::NoValue`), or a macro's `Fn::Transform`.
    static func isPropertiesForm(_ properties: TemplateValue) -> Bool {
        switch properties {
        case .map, .fn(.transform), .fn(.transformList): return true
        case .fn(.ref(let name)): return name == PseudoParameter.noValue.rawValue
        case .fn(.if(_, let whenTrue, let whenFalse)): return isPropertiesForm(whenTrue) && isPropertiesForm(whenFalse)
        default: return false
        }
    }

    /// FM3000 for a type the registry does not have: an error with the closest real type, a
    /// warning where a macro may define it or for the documented unregistered types.
    private static func unknownType(_ type: String, path: String, registry: SchemaRegistry, macros: [String]) -> Diagnostic {
        if let reason = unregisteredTypes[type] {
            return .warning(SchemaDiagnosticCode.unknownType, path: path, property: "Type", "type \(type): \(reason)")
        }
        let isAWS = type.hasPrefix("AWS::") || type.hasPrefix("Alexa::")
        var message: String
        if isAWS {
            message = "type \(type) is not a CloudFormation resource type"
            if let suggestion = registry.suggestion(for: type) { message += "; did you mean \(suggestion)?" }
        } else {
            message = "type \(type) is not in the CloudFormation registry; a third-party, private or module type must be declared (app.declareType(\"\(type)\") in Swift, --declare-type or --type-schema for validate --template; with its schema file it is validated too)"
            if let suggestion = registry.suggestion(for: type) { message += "; or did you mean \(suggestion)?" }
        }
        if !macros.isEmpty {
            let names = macros.joined(separator: ", ")
            return .warning(SchemaDiagnosticCode.unknownType, path: path, property: "Type",
                            "\(message) (a warning: the template's transform \(names) may define or rewrite it)")
        }
        return .error(SchemaDiagnosticCode.unknownType, path: path, property: "Type", message)
    }

    /// The violations of `properties` against each schema. With one schema (the usual case)
    /// they are reported as they are; when regions have different schemas, a violation found
    /// under every schema is reported once and one found under some is tagged with its regions.
    private static func violations(_ schemas: [(regions: [String], schema: any ResourceSchema)], _ properties: OrderedMap,
                                   type: String, logicalID: String, _ context: ValidationContext) -> [Diagnostic] {
        func diagnostic(_ violation: SchemaViolation, regions: [String]?, path: String) -> Diagnostic {
            let scope = regions.map { " in \($0.joined(separator: ", "))" } ?? ""
            return Diagnostic(violation.severity, violation.code, path: path, property: violation.property,
                              message: "\(violation.message) (\(type)\(scope))")
        }
        if schemas.count == 1 {
            let found = schemas[0].schema.validate(properties)
            if found.isEmpty { return [] }
            let path = context.path(ofResource: logicalID)
            return found.map { diagnostic($0, regions: nil, path: path) }
        }
        let path = context.path(ofResource: logicalID)
        var order: [SchemaViolation] = []
        var regionsOf: [SchemaViolation: [String]] = [:]
        var countOf: [SchemaViolation: Int] = [:]
        for (regions, schema) in schemas {
            var seen: Set<SchemaViolation> = []
            for violation in schema.validate(properties) where seen.insert(violation).inserted {
                if regionsOf[violation] == nil { order.append(violation) }
                regionsOf[violation, default: []] += regions
                countOf[violation, default: 0] += 1
            }
        }
        return order.map { violation in
            diagnostic(violation, regions: countOf[violation] == schemas.count ? nil : regionsOf[violation], path: path)
        }
    }
}
