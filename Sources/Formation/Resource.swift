/// The properties of one CloudFormation resource type, written into `Properties`.
///
/// Generated types (`KMS.Key`, `Logs.LogGroup`, …) conform, as does `RawResource` for types the
/// registry schemas lack.
public protocol ResourceProperties: TemplateEncodable {
    /// The CloudFormation type name, e.g. `AWS::KMS::Key`.
    var resourceType: String { get }
    /// The validation schema for this type, when Formation has one.
    var schema: (any ResourceSchema)? { get }
}

extension ResourceProperties {
    public var schema: (any ResourceSchema)? { nil }
}

/// What `DeletionPolicy` and `UpdateReplacePolicy` may say.
public enum ResourcePolicy: String, Sendable, Hashable {
    case delete = "Delete"
    case retain = "Retain"
    case snapshot = "Snapshot"
    /// `DeletionPolicy` only.
    case retainExceptOnCreate = "RetainExceptOnCreate"
}

/// A resource in a stack, whatever its properties type. `Resource<Props>` is the typed handle.
public class AnyResource: Construct {
    /// The logical ID in the template.
    public let logicalID: String
    /// Explicit dependencies (written as `DependsOn`).
    public private(set) var dependencies: [AnyResource] = []
    /// The `Condition` attribute.
    public private(set) var conditionName: String?
    /// The `DeletionPolicy` attribute.
    public private(set) var deletion: ResourcePolicy?
    /// The `UpdateReplacePolicy` attribute.
    public private(set) var updateReplace: ResourcePolicy?
    /// The `Metadata` attribute.
    public private(set) var metadataEntries = OrderedMap()
    /// The `CreationPolicy` attribute.
    public private(set) var creation: TemplateValue?
    /// The `UpdatePolicy` attribute.
    public private(set) var update: TemplateValue?
    /// Raw values written over the encoded properties (`Resource.overrideProperty`), in order.
    public private(set) var propertyOverrides: [PropertyOverride] = []
    /// Resource attributes written as given over the synthesized entry (`Resource.overrideAttribute`).
    public private(set) var attributeOverrides = OrderedMap()

    init(_ scope: Construct, _ id: String, logicalID: String?) {
        if let logicalID {
            self.logicalID = logicalID
        } else if scope.parent == nil {
            // Directly under the stack: the id alone.
            self.logicalID = LogicalID.derive(fromComponents: CollectionOfOne(id))
        } else {
            // The ids below the stack, outermost first.
            var ids = [id]
            var node = scope
            while let parent = node.parent {
                ids.append(node.id)
                node = parent
            }
            self.logicalID = LogicalID.derive(fromComponents: ids.reversed())
        }
        super.init(scope, id)
        scope.stack.register(self)
    }

    /// The CloudFormation type name.
    public var resourceType: String { erasedProperties.resourceType }

    /// The properties, type-erased (the typed handle overrides this).
    public var erasedProperties: any ResourceProperties {
        RawResource(type: "", properties: [:])
    }

    /// What synthesis needs from the properties: their encoding, type name and schema, read
    /// in one go. The typed handle overrides this to read its properties once without boxing
    /// them into an existential (each read of a generic stored property copies the whole struct).
    func encodedProperties(_ context: EncodingContext) -> (value: TemplateValue, type: String, schema: (any ResourceSchema)?) {
        let properties = erasedProperties
        return (properties.encode(context), properties.resourceType, properties.schema)
    }

    /// `Ref` to this resource (its primary identifier).
    public var ref: Value<String> {
        .token(Token(.ref(logicalID), stackName: stackID))
    }

    /// `Fn::GetAtt` of one of this resource's attributes.
    public func getAtt(_ attribute: String) -> Value<String> {
        .token(Token(.getAtt(logicalID, attribute), stackName: stackID))
    }

    /// `Fn::GetAtt` of an attribute that is a list of strings.
    public func getAttList(_ attribute: String) -> Value<[Value<String>]> {
        .token(Token(.getAtt(logicalID, attribute), stackName: stackID))
    }

    /// The resource's entry, as the synthesizer writes it.
    func definition(_ context: EncodingContext) -> (definition: ResourceDefinition, schema: (any ResourceSchema)?) {
        var (encoded, type, schema) = encodedProperties(context)
        if !propertyOverrides.isEmpty { encoded = PropertyOverride.apply(propertyOverrides, to: encoded) }
        var properties: OrderedMap?
        switch encoded {
        case .map(let map): properties = map
        case .null: properties = nil
        default:
            context.problem(property: "", "properties must be a map, found \(encoded.kindName)")
        }
        let definition = ResourceDefinition(
            type: type,
            properties: properties,
            dependsOn: dependencies.map(\.logicalID),
            condition: conditionName,
            deletionPolicy: deletion?.rawValue,
            updateReplacePolicy: updateReplace?.rawValue,
            creationPolicy: creation,
            updatePolicy: update,
            metadata: metadataEntries.isEmpty ? nil : metadataEntries)
        return (definition, schema)
    }

    // Mutators shared by the typed handle (which returns itself for chaining).

    func addDependency(_ other: AnyResource) {
        if other !== self && !dependencies.contains(where: { $0 === other }) {
            dependencies.append(other)
        }
    }

    func setCondition(_ name: String?) { conditionName = name }
    func setDeletion(_ policy: ResourcePolicy?) { deletion = policy }
    func setUpdateReplace(_ policy: ResourcePolicy?) { updateReplace = policy }
    func setMetadata(_ key: String, _ value: TemplateValue?) { metadataEntries[key] = value }
    func metadataValue(_ key: String) -> TemplateValue? { metadataEntries[key] }
    func setCreation(_ value: TemplateValue?) { creation = value }
    func setUpdate(_ value: TemplateValue?) { update = value }
    func addOverride(_ override: PropertyOverride) { propertyOverrides.append(override) }
    func setAttributeOverride(_ name: String, _ value: TemplateValue) { attributeOverrides[name] = value }

    /// The resource's entry with the attribute overrides written over it.
    func applyingAttributeOverrides(_ entry: TemplateValue) -> TemplateValue {
        guard !attributeOverrides.isEmpty, case .map(var body) = entry else { return entry }
        for override in attributeOverrides.entries { body[override.key] = override.value }
        return .map(body)
    }
}

/// A typed handle to a resource: its properties, `ref`, attributes, and resource attributes.
public final class Resource<Props: ResourceProperties>: AnyResource {
    /// The resource's properties; change them freely until synthesis.
    public var properties: Props

    init(_ scope: Construct, _ id: String, properties: consuming Props, logicalID: String?) {
        self.properties = properties
        super.init(scope, id, logicalID: logicalID)
    }

    public override var erasedProperties: any ResourceProperties { properties }

    public override var resourceType: String { properties.resourceType }

    override func encodedProperties(_ context: EncodingContext) -> (value: TemplateValue, type: String, schema: (any ResourceSchema)?) {
        let properties = self.properties
        return (properties.encode(context), properties.resourceType, properties.schema)
    }

    /// Changes the properties in place: `key.update { $0.description = "…" }`.
    @discardableResult
    public func update(_ change: (inout Props) -> Void) -> Self {
        change(&properties)
        return self
    }

    /// Sets DeletionPolicy and UpdateReplacePolicy to `Retain` (for keys, logs, data).
    @discardableResult
    public func retainOnDelete() -> Self {
        setDeletion(.retain)
        setUpdateReplace(.retain)
        return self
    }

    /// Sets the DeletionPolicy attribute.
    @discardableResult
    public func deletionPolicy(_ policy: ResourcePolicy) -> Self {
        setDeletion(policy)
        return self
    }

    /// Sets the UpdateReplacePolicy attribute.
    @discardableResult
    public func updateReplacePolicy(_ policy: ResourcePolicy) -> Self {
        setUpdateReplace(policy)
        return self
    }

    /// Adds explicit dependencies (`DependsOn`), for ordering CloudFormation cannot infer.
    @discardableResult
    public func dependsOn(_ others: AnyResource...) -> Self {
        for other in others { addDependency(other) }
        return self
    }

    /// Creates this resource only when `condition` holds.
    @discardableResult
    public func condition(_ condition: ConditionHandle) -> Self {
        setCondition(condition.name)
        return self
    }

    /// Sets one key of the Metadata attribute.
    @discardableResult
    public func metadata(_ key: String, _ value: TemplateValue) -> Self {
        setMetadata(key, value)
        return self
    }

    /// Suppresses the rule `id`'s findings on this resource, for `reason` (required: it is
    /// written into the template, `Metadata: formation: suppress`, for reviewers and for
    /// `formation validate --template`). A suppression that matches no finding is a warning.
    @discardableResult
    public func suppress(_ id: String, reason: String) -> Self {
        guard !reason.allSatisfy(\.isWhitespace) else {
            stack.report(.error(DiagnosticCode.malformedSuppression, path: path, property: "Metadata.formation.suppress",
                                "suppress(\(quotedForMessage(id))): a suppression needs a reason; say why the finding does not apply"))
            return self
        }
        var own = metadataValue("formation")?.mapValue ?? OrderedMap()
        var list = own["suppress"]?.listValue ?? []
        list.append(.map(["id": .string(id), "reason": .string(reason)]))
        own["suppress"] = .list(list)
        setMetadata("formation", .map(own))
        return self
    }

    /// Sets the CreationPolicy attribute.
    @discardableResult
    public func creationPolicy(_ value: TemplateValue) -> Self {
        setCreation(value)
        return self
    }

    /// Sets the UpdatePolicy attribute.
    @discardableResult
    public func updatePolicy(_ value: TemplateValue) -> Self {
        setUpdate(value)
        return self
    }

    /// Writes `value` at `path` below Properties, over what the typed properties write: the
    /// escape hatch for a value the typed form cannot hold (a token where the schema has an
    /// object, a number written as a string). `["VpcConfig"]` is a property, `["Tags", "0"]` a
    /// list element. Validation sees the result.
    @discardableResult
    public func overrideProperty(_ path: [String], _ value: TemplateValue) -> Self {
        addOverride(PropertyOverride(path: path, value: value))
        return self
    }

    /// Writes the resource attribute `name` as `value`, over what the handle's methods write:
    /// the escape hatch for what they cannot say (`DeletionPolicy` as a `Fn::If`, `Properties`
    /// given as a `Fn::If` of two maps). Validation sees the result.
    @discardableResult
    public func overrideAttribute(_ name: String, _ value: TemplateValue) -> Self {
        setAttributeOverride(name, value)
        return self
    }
}

extension Construct {
    /// Adds a resource under this construct. Its logical ID derives from its path (ids below the
    /// stack, `Default` left out, non-alphanumerics dropped) unless `logicalID` is given.
    @discardableResult
    public func add<Props: ResourceProperties>(_ id: String, _ properties: consuming Props, logicalID: String? = nil) -> Resource<Props> {
        Resource(self, id, properties: properties, logicalID: logicalID)
    }
}

/// A resource of any type, properties given as template data: the escape hatch for types the
/// registry schemas lack (`AWS::Bedrock::ModelInvocationLoggingConfiguration`). It is still
/// checked for references, and validated against a schema when the app's registry has one.
public struct RawResource: ResourceProperties {
    /// The CloudFormation type name.
    public var type: String
    /// The properties as template data.
    public var properties: OrderedMap
    private var tokens: [Token]

    /// A raw resource of `type` with `properties`.
    public init(type: String, properties: OrderedMap = [:]) {
        self.type = type
        self.properties = properties
        self.tokens = []
    }

    /// A raw resource whose properties embed tokens; listing them lets synthesis check that
    /// each refers to something in this stack.
    public init(type: String, properties: OrderedMap, tokens: [Token]) {
        self.type = type
        self.properties = properties
        self.tokens = tokens
    }

    public var resourceType: String { type }

    public func encode(_ context: EncodingContext) -> TemplateValue {
        var foreign: [Intrinsic: TemplateValue] = [:]
        for token in tokens {
            let encoded = context.encode(token)
            if encoded != .fn(token.intrinsic) { foreign[token.intrinsic] = encoded }
        }
        guard !foreign.isEmpty else { return .map(properties) }
        // Another stack's tokens become imports wherever the properties hold them.
        func replacing(_ value: TemplateValue) -> TemplateValue {
            switch value {
            case .fn(let intrinsic):
                if let imported = foreign[intrinsic] { return imported }
                return value
            case .list(let items): return .list(items.map(replacing))
            case .map(let map): return .map(OrderedMap(map.entries.map { ($0.key, replacing($0.value)) }))
            default: return value
            }
        }
        return replacing(.map(properties))
    }
}

/// Logical ID rules: alphanumeric, at most 255 characters.
public enum LogicalID {
    /// The maximum length CloudFormation allows.
    public static let maximumLength = 255

    /// The logical ID for a path below the stack: each id stripped to ASCII letters and digits,
    /// `Default` left out, joined.
    public static func derive<S: StringProtocol>(fromPath path: S) -> String {
        derive(fromComponents: path.split(separator: "/"))
    }

    /// The logical ID for construct ids below the stack, outermost first.
    public static func derive<C: Sequence>(fromComponents components: C) -> String where C.Element: StringProtocol {
        // One component that is already a logical ID is its own logical ID (no copy).
        var iterator = components.makeIterator()
        if let only = iterator.next(), iterator.next() == nil, only != "Default", only.utf8.allSatisfy(isAlphanumeric) {
            return String(only)
        }
        // ASCII letters and digits are single UTF-8 bytes, and no byte of a multi-byte
        // character is one of them, so filtering bytes is filtering characters.
        var result: [UInt8] = []
        for component in components where component != "Default" {
            for byte in component.utf8 where isAlphanumeric(byte) {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `id` is a valid logical ID.
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maximumLength && id.utf8.allSatisfy(isAlphanumeric)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
