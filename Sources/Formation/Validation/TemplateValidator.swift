/// Where a template came from, for naming things in diagnostics, and which schemas apply.
public struct ValidationContext: Sendable {
    /// The stack name, or the file name for a template read from disk.
    public var stackPath: String
    /// Construct paths by logical ID where they are not `stackPath/logicalID` (a resource right
    /// under its stack is not listed; empty for template files). `path(ofResource:)` reads it.
    public var resourcePaths: [String: String]
    /// Schemas by type name and region.
    public var schemas: SchemaRegistry
    /// Schemas that typed resources carry, by logical ID (take precedence over the registry).
    public var typedSchemas: [String: any ResourceSchema]
    /// The regions the template deploys to (us-east-1 when empty): every resource type must
    /// exist in each, and is validated against each region's schema.
    public var regions: [String]
    /// Types outside the registry that the app declares (third-party, private and module
    /// types), with a schema when one was given.
    public var declaredTypes: DeclaredTypes

    public init(
        stackPath: String,
        resourcePaths: [String: String] = [:],
        schemas: SchemaRegistry = .empty,
        typedSchemas: [String: any ResourceSchema] = [:],
        regions: [String] = [],
        declaredTypes: DeclaredTypes = DeclaredTypes()
    ) {
        self.stackPath = stackPath
        self.resourcePaths = resourcePaths
        self.schemas = schemas
        self.typedSchemas = typedSchemas
        self.regions = regions
        self.declaredTypes = declaredTypes
    }

    /// The regions validation uses: the given ones, or us-east-1.
    public var effectiveRegions: [String] {
        regions.isEmpty ? [BundledSchemas.defaultRegion] : regions
    }

    /// The path to print for a resource.
    public func path(ofResource logicalID: String) -> String {
        resourcePaths[logicalID] ?? "\(stackPath)/\(logicalID)"
    }

    /// The path to print for an entry of another section (`Stack/Outputs/Name`).
    public func path(section: String, name: String) -> String {
        "\(stackPath)/\(section)/\(name)"
    }

    /// The schema whose attribute names apply to a resource (the first region's), if any.
    public func schema(logicalID: String, type: String) -> (any ResourceSchema)? {
        if !typedSchemas.isEmpty, let typed = typedSchemas[logicalID] { return typed }
        return schema(type: type)
    }

    /// The schema whose attribute names apply to resources of `type` that carry no typed schema
    /// (a declared type's, or the registry's for the first region), if any.
    public func schema(type: String) -> (any ResourceSchema)? {
        if !declaredTypes.schemas.isEmpty, let declared = declaredTypes.schemas[type] { return declared }
        if SchemaCheck.isCustomResource(type) {
            return schemas.lookup(SchemaCheck.customResourceType, regions: effectiveRegions).schemas.first?.schema
        }
        return schemas.lookup(type, regions: effectiveRegions).schemas.first?.schema
    }
}

/// Resource types outside the CloudFormation registry that an app uses on purpose: third-party
/// and private-registry types (`Org::Service::Thing`) and modules (`Org::Service::Thing::MODULE`).
/// A declared type is legal; with a schema it is validated like a registry type.
public struct DeclaredTypes: Sendable {
    /// Every declared type name.
    public private(set) var names: Set<String> = []
    /// The schemas given with declarations, by type name.
    public private(set) var schemas: [String: any ResourceSchema] = [:]

    public init() {}

    /// Declares `typeName`, validated with `schema` when one is given.
    public mutating func declare(_ typeName: String, schema: (any ResourceSchema)? = nil) {
        names.insert(typeName)
        if let schema { schemas[typeName] = schema }
    }

    /// Whether `typeName` is declared.
    public func contains(_ typeName: String) -> Bool { names.contains(typeName) }
}

/// Runs every template-level check: structure, references, cycles, limits and schemas.
/// Works on any template, synthesized or parsed from a file, in one pass per check.
public enum TemplateValidator {
    /// Every diagnostic for `template` (its `AWS::LanguageExtensions` loops expanded, what macros
    /// rewrite skipped: `TemplatePreparation`).
    public static func validate(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        TemplatePreparation.validate(template, context, checks)
    }

    /// Every check on a template as CloudFormation validates it (after its transforms).
    public static func checks(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        // The reference check's walk over each resource's Properties also gathers what the
        // structure and cycle checks need from Properties; the findings keep their order.
        let references = ReferenceCheck.run(template, context)
        var diagnostics = StructureCheck.run(template, context, propertyScans: references.scans)
        diagnostics += SectionCheck.run(template, context)
        diagnostics += ParameterCheck.run(template, context)
        diagnostics += references.diagnostics
        diagnostics += CycleCheck.run(template, context, propertyScans: references.scans)
        diagnostics += TemplateLimits.counts(template, context)
        diagnostics += SchemaCheck.run(template, context)
        return diagnostics
    }
}

/// The shape of the template: sections are maps, resources have a string Type.
enum StructureCheck {
    /// `propertyScans[i]`, when present, holds the stringified tokens found in the Properties of
    /// resource entry `i` (so Properties is not walked a second time).
    static func run(_ template: Template, _ context: ValidationContext, propertyScans: [ReferenceCheck.PropertyScan?]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for section in ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"] {
            if let value = template.root[section], value.mapValue == nil {
                diagnostics.append(.error(DiagnosticCode.malformedTemplate, path: context.path(section: section, name: ""),
                                          "section \(section) must be a map, found \(value.kindName)"))
            }
        }
        if template.root["Resources"] == nil {
            diagnostics.append(.error(DiagnosticCode.malformedTemplate, path: context.stackPath,
                                      "the template has no Resources section; CloudFormation requires at least one resource"))
        }
        for (position, entry) in template.resources.entries.enumerated() {
            var path: String { context.path(ofResource: entry.key) }
            for (property, text) in markedStrings(entry.value, scan: position < propertyScans.count ? propertyScans[position] : nil) {
                diagnostics.append(.error(DiagnosticCode.stringifiedToken, path: path, property: property,
                                          "\(property): \(TemplateValue.string(text)) holds a token turned into plain text; interpolate it into a Value<String> (which builds Fn::Sub), not a Swift String"))
            }
            if !LogicalID.isValid(entry.key) {
                diagnostics.append(.error(DiagnosticCode.invalidLogicalID, path: path,
                                          "logical ID \(quotedForMessage(entry.key)) is invalid: it must be 1 to \(LogicalID.maximumLength) ASCII letters and digits"))
            }
            guard let body = entry.value.mapValue else {
                diagnostics.append(.error(DiagnosticCode.malformedTemplate, path: path,
                                          "a resource must be a map with a Type, found \(entry.value.kindName)"))
                continue
            }
            if body["Type"]?.stringValue == nil {
                diagnostics.append(.error(DiagnosticCode.malformedTemplate, path: path, property: "Type",
                                          "the resource has no Type string"))
            }
            if let properties = body["Properties"], !SchemaCheck.isPropertiesForm(properties) {
                diagnostics.append(.error(DiagnosticCode.propertiesNotAMap, path: path, property: "Properties",
                                          "Properties must be a map (or an Fn::If between maps), found \(properties.kindName)"))
            }
        }
        return diagnostics
    }

    /// The strings of a resource entry holding a stringified token, in document order, with
    /// property paths relative to Properties (as everywhere else) and other attributes' paths
    /// starting with the attribute. Properties' findings come from `scan` when given.
    private static let marker = Array(TokenMarker.prefix.utf8)

    private static func markedStrings(_ resource: TemplateValue, scan: ReferenceCheck.PropertyScan?) -> [(path: String, text: String)] {
        var found: [(steps: [PathStep], text: String)] = []
        if let scan, let body = resource.mapValue {
            for entry in body.entries {
                // Most entries hold no marker: they are checked before anything is gathered.
                if entry.key != "Properties" && !entry.value.hasString(containingBytes: marker) { continue }
                let hits = entry.key == "Properties" ? scan.markedStrings : entry.value.stringSteps(containingBytes: marker)
                if !hits.isEmpty { found += hits.map { ([.key(entry.key)] + $0.steps, $0.text) } }
            }
        } else {
            found = resource.stringSteps(containingBytes: marker)
        }
        if found.isEmpty { return [] }
        return found.map { hit in
            let fullPath = PathStep.render(hit.steps)
            return (fullPath.hasPrefix("Properties.") ? String(fullPath.dropFirst("Properties.".count)) : fullPath, hit.text)
        }
    }
}
