import FormationTemplate

/// The collection a `Fn::ForEach` loop iterates.
public enum ForEachCollection: Sendable, Hashable {
    /// Literal items, known at synthesis (validation checks each expansion).
    case items([String])
    /// A `CommaDelimitedList` or `List<…>` parameter, known at deploy time (validation checks the
    /// body once, with the identifier as a placeholder).
    case parameter(String)
    /// A list in a mapping: `Fn::FindInMap [map, top-level key, second-level key]`.
    case mapping(String, String, String)
    /// Any other value that yields a list (a function of one).
    case value(TemplateValue)

    /// The collection as the template writes it.
    public var templateValue: TemplateValue {
        switch self {
        case .items(let items): .list(items.map(TemplateValue.string))
        case .parameter(let name): .fn(.ref(name))
        case .mapping(let map, let top, let second): .fn(.findInMap(.string(map), .string(top), .string(second)))
        case .value(let value): value
        }
    }
}

/// One `Fn::ForEach` loop, handed to the closure that writes its body: the placeholders for
/// keys and the item as a value.
///
/// ```swift
/// stack.forEach("Topics", "Name", in: .items(["Orders", "Refunds"])) { loop in
///     [("Topic\(loop.key)", ForEachResource(SNS.Topic(topicName: "shop-\(loop.item)")))]
/// }
/// ```
public struct ForEachLoop: Sendable, Hashable {
    /// The loop's name (`Fn::ForEach::<name>`).
    public let name: String
    /// The identifier that stands for each item.
    public let identifier: String

    /// `${Identifier}`: the item in an output key (a logical ID, an output name).
    public var key: String { "${\(identifier)}" }
    /// `&{Identifier}`: the item with only its letters and digits, for keys made from items such
    /// as CIDR blocks or names with hyphens.
    public var compactKey: String { "&{\(identifier)}" }
    /// The item as a value: `Ref: Identifier`; interpolated into a `Value<String>` it becomes
    /// `${Identifier}` of the `Fn::Sub` the interpolation builds.
    public var item: Value<String> { .token(Token(.ref(identifier))) }
}

/// A resource in a loop's body: its properties (typed or raw) and attributes. A policy may be a
/// function (`AWS::LanguageExtensions` allows `Fn::If`, `Ref`, `Fn::FindInMap` there).
public struct ForEachResource {
    public var properties: any ResourceProperties
    public var dependsOn: [String]
    public var condition: String?
    public var deletionPolicy: TemplateValue?
    public var updateReplacePolicy: TemplateValue?

    public init(_ properties: any ResourceProperties, dependsOn: [String] = [], condition: String? = nil,
                deletionPolicy: TemplateValue? = nil, updateReplacePolicy: TemplateValue? = nil) {
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
    }
}

extension Stack {
    /// Adds `Fn::ForEach::<name>` to Resources: CloudFormation writes the body's resources once per
    /// item of `collection`, `${identifier}` in each key replaced by the item. The stack declares
    /// `Transform: AWS::LanguageExtensions`. For a template that must stay compact (one entry for
    /// many resources, or a count chosen at deploy time by a list parameter); a Swift loop over
    /// `stack.add` writes each resource out and gives typed handles to each.
    @discardableResult
    public func forEach(_ name: String, _ identifier: String, in collection: ForEachCollection,
                        resources body: (ForEachLoop) -> [(String, ForEachResource)]) -> ForEachLoop {
        let loop = ForEachLoop(name: name, identifier: identifier)
        let context = EncodingContext(stackName: self.name)
        var entries = OrderedMap()
        for (key, resource) in body(loop) {
            let definition = ResourceDefinition(
                type: resource.properties.resourceType,
                properties: resource.properties.encode(context).mapValue,
                dependsOn: resource.dependsOn, condition: resource.condition)
            guard case .map(var written) = definition.templateValue else { continue }
            if let policy = resource.deletionPolicy { written["DeletionPolicy"] = policy }
            if let policy = resource.updateReplacePolicy { written["UpdateReplacePolicy"] = policy }
            entries[key] = .map(written)
        }
        for problem in context.problems {
            report(.error(DiagnosticCode.unencodableValue, path: "\(self.name)/\(LanguageExtensions.loopPrefix)\(name)", property: problem.property, problem.message))
        }
        addLoop(section: "Resources", loop, collection, entries)
        return loop
    }

    /// Adds `Fn::ForEach::<name>` to Outputs: one output per item, keys with `loop.key`.
    @discardableResult
    public func forEachOutput(_ name: String, _ identifier: String, in collection: ForEachCollection,
                              outputs body: (ForEachLoop) -> [(String, Value<String>)]) -> ForEachLoop {
        let loop = ForEachLoop(name: name, identifier: identifier)
        let context = EncodingContext(stackName: self.name)
        var entries = OrderedMap()
        for (key, value) in body(loop) {
            entries[key] = OutputDefinition(value: value.encode(context)).templateValue
        }
        addLoop(section: "Outputs", loop, collection, entries)
        return loop
    }

    private func addLoop(section: String, _ loop: ForEachLoop, _ collection: ForEachCollection, _ entries: OrderedMap) {
        let key = LanguageExtensions.loopPrefix + loop.name
        if loopEntries.contains(where: { $0.section == section && $0.key == key }) {
            report(.error(DiagnosticCode.malformedForEach, path: "\(self.name)/\(key)",
                          "a second loop named \(loop.name) in \(section); each loop needs its own name"))
            return
        }
        loopEntries.append((section, key, .list([.string(loop.identifier), collection.templateValue, .map(entries)])))
    }

    /// The Transform section with `AWS::LanguageExtensions` first when the stack has loops.
    func transformDeclaringLoops() -> TemplateValue? {
        guard !loopEntries.isEmpty else { return transform }
        let extensions = TemplateValue.string(Intrinsic.languageExtensionsTransform)
        switch transform {
        case nil: return extensions
        case .string(let name)? where name == Intrinsic.languageExtensionsTransform: return transform
        case .list(let items)? where items.contains(extensions): return transform
        case .list(let items)?: return .list([extensions] + items)
        case let other?: return .list([extensions, other])
        }
    }
}
