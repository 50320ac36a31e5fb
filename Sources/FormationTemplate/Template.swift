/// A CloudFormation template: the document root plus typed views of its sections.
///
/// The root map is the single source of truth (so parse → emit preserves everything, including
/// sections this model has no view for); `Template.canonical(...)` builds a root in the canonical
/// section order that Formation's synthesizer always uses.
public struct Template: Sendable, Hashable {
    /// The canonical order of the top-level sections.
    public static let sectionOrder = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
        "Mappings", "Conditions", "Transform", "Resources", "Outputs",
    ]

    /// The document root.
    public var root: OrderedMap

    /// Wraps an existing root map as is.
    public init(root: OrderedMap) {
        self.root = root
    }

    /// Wraps a parsed document; fails when the document is not a map.
    public init(document: TemplateValue) throws(TemplateError) {
        guard case .map(let root) = document else {
            throw TemplateError.structure(path: "", message: "a template must be a map at the top level, found \(document.kindName)")
        }
        self.root = root
    }

    /// Builds a template from its sections, in canonical order; empty sections are left out.
    public static func canonical(
        formatVersion: String? = "2010-09-09",
        description: String? = nil,
        metadata: OrderedMap = [:],
        parameters: OrderedMap = [:],
        rules: OrderedMap = [:],
        mappings: OrderedMap = [:],
        conditions: OrderedMap = [:],
        transform: TemplateValue? = nil,
        resources: OrderedMap,
        outputs: OrderedMap = [:]
    ) -> Template {
        var root = OrderedMap()
        root.set("AWSTemplateFormatVersion", formatVersion.map(TemplateValue.string))
        root.set("Description", description.map(TemplateValue.string))
        if !metadata.isEmpty { root["Metadata"] = .map(metadata) }
        if !parameters.isEmpty { root["Parameters"] = .map(parameters) }
        if !rules.isEmpty { root["Rules"] = .map(rules) }
        if !mappings.isEmpty { root["Mappings"] = .map(mappings) }
        if !conditions.isEmpty { root["Conditions"] = .map(conditions) }
        root.set("Transform", transform)
        root["Resources"] = .map(resources)
        if !outputs.isEmpty { root["Outputs"] = .map(outputs) }
        return Template(root: root)
    }

    /// A section as a map (empty when absent or not a map).
    public func section(_ name: String) -> OrderedMap {
        root[name]?.mapValue ?? [:]
    }

    /// The template's description, if any.
    public var description: String? { root["Description"]?.stringValue }
    /// The Parameters section.
    public var parameters: OrderedMap { section("Parameters") }
    /// The Mappings section.
    public var mappings: OrderedMap { section("Mappings") }
    /// The Conditions section.
    public var conditions: OrderedMap { section("Conditions") }
    /// The Resources section.
    public var resources: OrderedMap { section("Resources") }
    /// The Outputs section.
    public var outputs: OrderedMap { section("Outputs") }

    /// The resources as typed views, in template order (entries that are not maps are skipped).
    public var resourceViews: [ResourceView] {
        resources.entries.compactMap { entry in
            entry.value.mapValue.map { ResourceView(logicalID: entry.key, body: $0) }
        }
    }

    /// The resource named `logicalID`, if present.
    public func resource(_ logicalID: String) -> ResourceView? {
        resources[logicalID]?.mapValue.map { ResourceView(logicalID: logicalID, body: $0) }
    }

    /// The whole document as a value.
    public var document: TemplateValue { .map(root) }
}

/// A read-only view of one resource in a template.
public struct ResourceView: Sendable, Hashable {
    /// The resource's logical ID.
    public let logicalID: String
    /// The resource's whole body (Type, Properties and attributes).
    public let body: OrderedMap

    /// A view of `body` as the resource `logicalID`.
    public init(logicalID: String, body: OrderedMap) {
        self.logicalID = logicalID
        self.body = body
    }

    /// The resource type, e.g. `AWS::KMS::Key` (nil when missing or not a string).
    public var type: String? { body["Type"]?.stringValue }
    /// The Properties map (empty when absent).
    public var properties: OrderedMap { body["Properties"]?.mapValue ?? [:] }
    /// The logical IDs in DependsOn, whether written as one string or a list.
    public var dependsOn: [String] {
        switch body["DependsOn"] {
        case .string(let one)?: [one]
        case .list(let many)?: many.compactMap(\.stringValue)
        default: []
        }
    }
    /// The Condition attribute, if any.
    public var condition: String? { body["Condition"]?.stringValue }
    /// The DeletionPolicy attribute, if it is a literal string.
    public var deletionPolicy: String? { body["DeletionPolicy"]?.stringValue }
    /// The UpdateReplacePolicy attribute, if it is a literal string.
    public var updateReplacePolicy: String? { body["UpdateReplacePolicy"]?.stringValue }
}

/// A resource entry as the synthesizer writes it: the attribute keys in a fixed order.
public struct ResourceDefinition: Sendable, Hashable {
    public var type: String
    public var properties: OrderedMap?
    public var dependsOn: [String]
    public var condition: String?
    public var deletionPolicy: String?
    public var updateReplacePolicy: String?
    public var creationPolicy: TemplateValue?
    public var updatePolicy: TemplateValue?
    public var metadata: OrderedMap?

    public init(
        type: String,
        properties: OrderedMap? = nil,
        dependsOn: [String] = [],
        condition: String? = nil,
        deletionPolicy: String? = nil,
        updateReplacePolicy: String? = nil,
        creationPolicy: TemplateValue? = nil,
        updatePolicy: TemplateValue? = nil,
        metadata: OrderedMap? = nil
    ) {
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
        self.creationPolicy = creationPolicy
        self.updatePolicy = updatePolicy
        self.metadata = metadata
    }

    /// The entry as a map: Type, Properties, DependsOn, Condition, DeletionPolicy,
    /// UpdateReplacePolicy, CreationPolicy, UpdatePolicy, Metadata.
    public var templateValue: TemplateValue {
        // The keys are distinct, so each is appended without a lookup.
        var body = OrderedMap(minimumCapacity: 4)
        body.appendDistinct("Type", .string(type))
        if let properties, !properties.isEmpty { body.appendDistinct("Properties", .map(properties)) }
        if !dependsOn.isEmpty { body.appendDistinct("DependsOn", .list(dependsOn.map(TemplateValue.string))) }
        if let condition { body.appendDistinct("Condition", .string(condition)) }
        if let deletionPolicy { body.appendDistinct("DeletionPolicy", .string(deletionPolicy)) }
        if let updateReplacePolicy { body.appendDistinct("UpdateReplacePolicy", .string(updateReplacePolicy)) }
        if let creationPolicy { body.appendDistinct("CreationPolicy", creationPolicy) }
        if let updatePolicy { body.appendDistinct("UpdatePolicy", updatePolicy) }
        if let metadata, !metadata.isEmpty { body.appendDistinct("Metadata", .map(metadata)) }
        return .map(body)
    }
}

/// A template parameter as the synthesizer writes it.
public struct ParameterDefinition: Sendable, Hashable {
    public var type: String
    public var description: String?
    public var defaultValue: TemplateValue?
    public var noEcho: Bool
    public var allowedValues: [TemplateValue]
    public var allowedPattern: String?
    public var constraintDescription: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minValue: Double?
    public var maxValue: Double?

    public init(
        type: String,
        description: String? = nil,
        defaultValue: TemplateValue? = nil,
        noEcho: Bool = false,
        allowedValues: [TemplateValue] = [],
        allowedPattern: String? = nil,
        constraintDescription: String? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        minValue: Double? = nil,
        maxValue: Double? = nil
    ) {
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.noEcho = noEcho
        self.allowedValues = allowedValues
        self.allowedPattern = allowedPattern
        self.constraintDescription = constraintDescription
        self.minLength = minLength
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
    }

    /// The parameter as a map, keys in a fixed order.
    public var templateValue: TemplateValue {
        var body: OrderedMap = ["Type": .string(type)]
        body.set("Description", description.map(TemplateValue.string))
        body.set("Default", defaultValue)
        if noEcho { body["NoEcho"] = .bool(true) }
        if !allowedValues.isEmpty { body["AllowedValues"] = .list(allowedValues) }
        body.set("AllowedPattern", allowedPattern.map(TemplateValue.string))
        body.set("ConstraintDescription", constraintDescription.map(TemplateValue.string))
        body.set("MinLength", minLength.map { .int(Int64($0)) })
        body.set("MaxLength", maxLength.map { .int(Int64($0)) })
        body.set("MinValue", minValue.map(Self.number))
        body.set("MaxValue", maxValue.map(Self.number))
        return .map(body)
    }

    private static func number(_ value: Double) -> TemplateValue {
        if value.rounded() == value, abs(value) < 9.0e15 { return .int(Int64(value)) }
        return .double(value)
    }
}

/// A template output as the synthesizer writes it.
public struct OutputDefinition: Sendable, Hashable {
    public var value: TemplateValue
    public var description: String?
    public var exportName: TemplateValue?
    public var condition: String?

    public init(value: TemplateValue, description: String? = nil, exportName: TemplateValue? = nil, condition: String? = nil) {
        self.value = value
        self.description = description
        self.exportName = exportName
        self.condition = condition
    }

    /// The output as a map: Description, Condition, Value, Export.
    public var templateValue: TemplateValue {
        var body = OrderedMap()
        body.set("Description", description.map(TemplateValue.string))
        body.set("Condition", condition.map(TemplateValue.string))
        body["Value"] = value
        if let exportName { body["Export"] = .map(["Name": exportName]) }
        return .map(body)
    }
}
