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

    /// The key `key` (written with `self.key` or `compactKey`) gives the copy for `item`, as
    /// CloudFormation names it: `loop.expandedKey("Is\(loop.key)", for: "Orders")` is `IsOrders`,
    /// `&{}` keeping only the item's letters and digits.
    public func expandedKey(_ key: String, for item: String) -> String {
        LanguageExtensions.Expander.replace(in: key, [identifier: .value(item)], placeholderAs: { $0 })
    }

    /// Whether `name` holds `key` or `compactKey` (a name each item makes its own).
    func isMadeWithItem(_ name: String) -> Bool {
        name.contains(key) || name.contains(compactKey)
    }

    /// `value` with each `Ref`, `Fn::GetAtt` and `Condition` naming a copy made with the item
    /// (`Topic${Name}`) written with an `Fn::Sub` name, as AWS's examples write them
    /// (`!GetAtt [!Sub Topic${Name}, TopicArn]`): the transform replaces the identifier in keys,
    /// `Ref` and `Fn::Sub`, and a plain string would keep `${Name}` (cfn-lint reads it so too).
    func namingCopiesWithSub(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case .map(let map):
            return .map(OrderedMap(map.entries.map { ($0.key, namingCopiesWithSub($0.value)) }))
        case .list(let items):
            return .list(items.map(namingCopiesWithSub))
        case .fn(.ref(let name)) where isMadeWithItem(name):
            return Self.function("Ref", .fn(.sub(name, nil)))
        case .fn(.getAtt(let resource, let attribute)) where isMadeWithItem(resource):
            return Self.function("Fn::GetAtt", .list([.fn(.sub(resource, nil)), .string(attribute)]))
        case .fn(.condition(let name)) where isMadeWithItem(name):
            return Self.function("Condition", .fn(.sub(name, nil)))
        case .fn(let function):
            let argument = namingCopiesWithSub(function.argument)
            if argument == function.argument { return value }
            return Self.function(function.name, argument)
        default:
            return value
        }
    }

    /// The function `name` of `argument` as the parsers read it back (a one-key map when the
    /// model has no case for that argument's shape).
    private static func function(_ name: String, _ argument: TemplateValue) -> TemplateValue {
        Intrinsic(name: name, argument: argument).map(TemplateValue.fn) ?? .map([name: argument])
    }

    /// A handle to the condition a `forEachCondition` loop writes for `item` under `key`, for a
    /// resource's `.condition(_:)`, an output's `condition:` or another condition's expression.
    /// Synthesis checks that the condition exists (FM1107 when the collection has no such item).
    public func condition(_ key: String, for item: String) -> ConditionHandle {
        ConditionHandle(name: expandedKey(key, for: item))
    }
}

/// A resource in a loop's body: its properties (typed or raw) and attributes. A policy may be a
/// function (`AWS::LanguageExtensions` allows `Fn::If`, `Ref`, `Fn::FindInMap` there).
public struct ForEachResource {
    public var properties: any ResourceProperties
    /// Logical IDs the resource depends on; one written with `loop.key` names a copy of the
    /// same item (written as `Fn::Sub`, which the transform resolves).
    public var dependsOn: [String]
    /// The condition the resource is created under; `"Is\(loop.key)"` names the item's own
    /// condition of a `forEachCondition` loop (written as `Fn::Sub`, as AWS's examples do).
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

/// An output in a loop's body: its value, and optionally a description, an export name and the
/// condition it is written under.
public struct ForEachOutput {
    public var value: Value<String>
    public var description: String?
    /// The export name; one made with the item (`Value<String>("app-\(loop.item)")`) is an `Fn::Sub`.
    public var exportName: Value<String>?
    /// The condition the output is written under; `"Is\(loop.key)"` names the item's own
    /// condition of a `forEachCondition` loop (written as `Fn::Sub`).
    public var condition: String?

    public init(_ value: Value<String>, description: String? = nil, exportName: Value<String>? = nil, condition: String? = nil) {
        self.value = value
        self.description = description
        self.exportName = exportName
        self.condition = condition
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
            guard case .map(var written) = loop.namingCopiesWithSub(definition.templateValue) else { continue }
            // A name made with the item is written as `Fn::Sub`, which the transform resolves
            // (AWS's examples write `Condition: !Sub Is${Name}`; a plain string is left as is).
            if let condition = resource.condition, loop.isMadeWithItem(condition) { written["Condition"] = .fn(.sub(condition, nil)) }
            if resource.dependsOn.contains(where: loop.isMadeWithItem) {
                written["DependsOn"] = .list(resource.dependsOn.map { loop.isMadeWithItem($0) ? .fn(.sub($0, nil)) : .string($0) })
            }
            if let policy = resource.deletionPolicy { written["DeletionPolicy"] = policy }
            if let policy = resource.updateReplacePolicy { written["UpdateReplacePolicy"] = policy }
            addBodyEntry(key, .map(written), to: &entries, section: "Resources", loop)
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
        forEachOutput(name, identifier, in: collection) { loop in body(loop).map { ($0.0, ForEachOutput($0.1)) } }
    }

    /// Adds `Fn::ForEach::<name>` to Outputs, each output with its description, export name or
    /// condition (`"Is\(loop.key)"`: the item's own condition of a `forEachCondition` loop).
    @discardableResult
    public func forEachOutput(_ name: String, _ identifier: String, in collection: ForEachCollection,
                              outputs body: (ForEachLoop) -> [(String, ForEachOutput)]) -> ForEachLoop {
        let loop = ForEachLoop(name: name, identifier: identifier)
        let context = EncodingContext(stackName: self.name)
        var entries = OrderedMap()
        for (key, output) in body(loop) {
            let definition = OutputDefinition(value: output.value.encode(context), description: output.description,
                                              exportName: output.exportName?.encode(context), condition: output.condition)
            guard case .map(var written) = loop.namingCopiesWithSub(definition.templateValue) else { continue }
            if let condition = output.condition, loop.isMadeWithItem(condition) { written["Condition"] = .fn(.sub(condition, nil)) }
            addBodyEntry(key, .map(written), to: &entries, section: "Outputs", loop)
        }
        addLoop(section: "Outputs", loop, collection, entries)
        return loop
    }

    /// Adds `Fn::ForEach::<name>` to Conditions: one condition per item, each named by its key
    /// with `loop.key` (`Is\(loop.key)`), its expression using `loop.item` where the item goes.
    /// The loop's `condition(_:for:)` gives a handle to one of them for a resource or an output.
    ///
    /// ```swift
    /// let stages = stack.forEachCondition("Stages", "Name", in: .items(["Prod", "Test"])) { loop in
    ///     [("Is\(loop.key)", Fn.equals(stage.ref, loop.item))]
    /// }
    /// stack.add("Alarm", …).condition(stages.condition("Is\(stages.key)", for: "Prod"))
    /// ```
    @discardableResult
    public func forEachCondition(_ name: String, _ identifier: String, in collection: ForEachCollection,
                                 conditions body: (ForEachLoop) -> [(String, ConditionExpression)]) -> ForEachLoop {
        let loop = ForEachLoop(name: name, identifier: identifier)
        var entries = OrderedMap()
        for (key, expression) in body(loop) {
            addBodyEntry(key, loop.namingCopiesWithSub(expression.value), to: &entries, section: "Conditions", loop)
            // Each name the loop writes must be a condition name, as `condition(_:_:)` requires.
            guard case .items(let items) = collection else { continue }
            for item in items where !LogicalID.isValid(loop.expandedKey(key, for: item)) {
                report(.error(DiagnosticCode.invalidLogicalID, path: loopConstructPath("Conditions", loop),
                              "condition name \(quotedForMessage(loop.expandedKey(key, for: item))) (\(key) for \(quotedForMessage(item))) is invalid: it must be ASCII letters and digits; &{\(identifier)} keeps only the item's letters and digits"))
                break
            }
        }
        addLoop(section: "Conditions", loop, collection, entries)
        return loop
    }

    /// Adds one entry of a loop's body; a key the body already has is an error (not a silent
    /// replacement).
    private func addBodyEntry(_ key: String, _ value: TemplateValue, to entries: inout OrderedMap, section: String, _ loop: ForEachLoop) {
        guard entries[key] == nil else {
            report(.error(DiagnosticCode.malformedForEach, path: loopConstructPath(section, loop),
                          "the loop's body writes the key \(quotedForMessage(key)) twice; each entry of the body needs its own key"))
            return
        }
        entries[key] = value
    }

    /// The construct path of a loop (what diagnostics of its entries name): `Stack/Fn::ForEach::Name`
    /// in Resources, `Stack/Section/Fn::ForEach::Name` in another section.
    private func loopConstructPath(_ section: String, _ loop: ForEachLoop) -> String {
        let key = LanguageExtensions.loopPrefix + loop.name
        return section == "Resources" ? "\(self.name)/\(key)" : "\(self.name)/\(section)/\(key)"
    }

    private func addLoop(section: String, _ loop: ForEachLoop, _ collection: ForEachCollection, _ entries: OrderedMap) {
        let key = LanguageExtensions.loopPrefix + loop.name
        if loopEntries.contains(where: { $0.section == section && $0.key == key }) {
            report(.error(DiagnosticCode.malformedForEach, path: loopConstructPath(section, loop),
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
