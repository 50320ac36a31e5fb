import FormationTemplate

/// `Transform: AWS::LanguageExtensions` in validation: `Fn::ForEach` loops in Resources,
/// Outputs and Conditions (and inside them, resource properties included) are expanded the way
/// CloudFormation expands them before it validates the template, and the other checks run on the
/// result. A loop whose collection is known here (a literal list, or `Fn::FindInMap` with literal
/// keys) becomes one entry per item, each checked under its own logical ID; a loop whose collection
/// is known only at deploy time (a `CommaDelimitedList` parameter, a function of one) is checked
/// once, with each identifier as a placeholder: in keys the identifier's name stands for the value
/// (`Bucket${Name}` → `BucketName`), in values `Ref: Name` and `${Name}` stay references to it.
///
/// A malformed loop, a loop whose collection is not a list, and an expansion that writes one key
/// twice are one FM1130 error each, at the loop; the loop is left out of what the other checks see.
enum LanguageExtensions {
    /// Most entries the loops of one template may produce: far beyond what CloudFormation accepts
    /// (500 resources, 200 outputs), low enough that nested loops over long lists cannot exhaust
    /// memory.
    static let maximumExpandedEntries = 20_000
    /// The prefix of a loop's key: `Fn::ForEach::LoopName`.
    static let loopPrefix = "Fn::ForEach::"
    /// The sections loops may stand in (as entries, or anywhere inside an entry).
    static let loopSections = ["Conditions", "Resources", "Outputs"]

    /// What expanding a template produced.
    struct Expansion {
        /// The template the other checks see: loops expanded (or left out when malformed).
        var template: Template
        /// FM1130 for each malformed loop.
        var diagnostics: [Diagnostic] = []
        /// For each entry a loop produced, the diagnostic path it would get, and the path to print
        /// instead: `file/Fn::ForEach::Loop/EntryID` (`origins` says where in the loop's body it is written).
        var relocated: [String: String] = [:]
        /// For each entry a loop produced, by the path `relocated` gives it, where its body is
        /// written (`LoopOrigins` maps a finding's property to the node it came from).
        var origins: [String: LoopOrigins.Origin] = [:]
        /// Parameters added to stand for placeholder identifiers (their own findings are dropped).
        var placeholderPaths: Set<String> = []

        /// `diagnostics` with paths of expanded entries naming their loop, and nothing about the
        /// placeholder parameters.
        func relocate(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
            // Resources left empty because its loops were malformed: those are the errors.
            let emptiedByLoops = !self.diagnostics.isEmpty && template.resources.isEmpty
            if relocated.isEmpty && placeholderPaths.isEmpty && !emptiedByLoops { return diagnostics }
            return diagnostics.compactMap { diagnostic in
                if placeholderPaths.contains(diagnostic.path) { return nil }
                if emptiedByLoops && diagnostic.message == SectionCheck.emptyResources { return nil }
                guard let path = relocated[diagnostic.path] else { return diagnostic }
                return Diagnostic(diagnostic.severity, diagnostic.code, path: path, property: diagnostic.property, message: diagnostic.message)
            }
        }
    }

    /// A value an identifier stands for in one expansion.
    enum Binding: Equatable {
        /// An item of a known collection.
        case value(String)
        /// The collection is known at deploy time only.
        case placeholder
    }

    /// Whether `key` names a loop.
    static func isLoop(_ key: String) -> Bool {
        key.hasPrefix(loopPrefix)
    }

    /// Whether any entry of the loop sections is a loop (the usual place for one).
    static func hasSectionLoops(_ template: Template) -> Bool {
        loopSections.contains { template.section($0).keys.contains(where: isLoop) }
    }

    // MARK: - Without the transform

    /// A template that does not declare the transform: each loop among the sections' entries, and
    /// each intrinsic `DeletionPolicy`/`UpdateReplacePolicy`, is an error naming the transform
    /// (loops inside values are the reference check's: it reports `Fn::ForEach::` keys there); the
    /// template the other checks see has the loops left out.
    static func undeclared(_ template: Template, _ context: ValidationContext) -> (template: Template, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var checked = template
        for section in loopSections {
            let entries = template.section(section)
            guard entries.keys.contains(where: isLoop) else { continue }
            var kept = OrderedMap()
            for entry in entries.entries {
                if isLoop(entry.key) {
                    diagnostics.append(.error(DiagnosticCode.malformedIntrinsic, path: loopPath(section, entry.key, context),
                                              "\(entry.key) exists only with Transform: \(Intrinsic.languageExtensionsTransform); declare the transform, or write the entries out"))
                } else {
                    kept.appendDistinct(entry.key, entry.value)
                }
            }
            checked.root[section] = .map(kept)
        }
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value else { continue }
            for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
                // A function no policy can come from is the section check's (FM1114).
                if case .fn(let function)? = body[attribute], SectionCheck.policyFunctions.contains(function.name) {
                    diagnostics.append(.error(DiagnosticCode.malformedIntrinsic, path: context.path(ofResource: entry.key), property: attribute,
                                              "\(attribute): \(function.name) in a resource policy exists only with Transform: \(Intrinsic.languageExtensionsTransform); declare the transform, or write Delete, Retain or Snapshot"))
                }
            }
        }
        return (checked, diagnostics)
    }

    /// The diagnostic path of a loop in `section`: a resource loop's like a resource's, another
    /// section's `file/Section/Loop`.
    static func loopPath(_ section: String, _ key: String, _ context: ValidationContext) -> String {
        section == "Resources" ? context.path(ofResource: key) : context.path(section: section, name: key)
    }

    // MARK: - Expansion

    /// `template` with every loop expanded (the template declares the transform).
    static func expand(_ template: Template, _ context: ValidationContext, transformDeclared: Bool = true) -> Expansion {
        var expander = Expander(template: template, context: context)
        expander.transformDeclared = transformDeclared
        var root = template.root
        for section in loopSections {
            guard case .map(let entries)? = template.root[section] else { continue }
            root[section] = .map(expander.expandSection(section, entries))
        }
        if !expander.placeholders.isEmpty {
            // A placeholder identifier is a String parameter to the other checks, so `Ref: Name`
            // and `${Name}` resolve; findings about that parameter itself are dropped.
            var parameters = template.parameters
            for name in expander.placeholders where parameters[name] == nil && template.resources[name] == nil {
                parameters[name] = .map(["Type": "String"])
                expander.expansion.placeholderPaths.insert(context.path(section: "Parameters", name: name))
            }
            root["Parameters"] = .map(parameters)
        }
        expander.expansion.template = Template(root: root)
        return expander.expansion
    }

    /// The walk that expands loops (one per template).
    struct Expander {
        let template: Template
        let context: ValidationContext
        var expansion: Expansion
        /// Identifiers that stood for a deploy-time collection somewhere.
        var placeholders: [String] = []
        /// False for a template without the transform: each outermost loop inside an entry is
        /// reported (the section's own loops are, by `undeclared`), then expanded all the same.
        var transformDeclared = true
        /// Loop names met so far, by section (a name may appear once per section).
        private var loopNames: Set<String> = []
        /// Entries produced so far by all loops, and whether the limit was reported.
        private var produced = 0
        private var overLimit = false

        init(template: Template, context: ValidationContext) {
            self.template = template
            self.context = context
            self.expansion = Expansion(template: template)
        }

        /// Where a loop is, for its diagnostics: the section and the outermost entry key.
        struct Place {
            var section: String
            var entry: String
            var property: [PathStep]
        }

        private func error(_ place: Place, _ message: String) -> Diagnostic {
            let property = PathStep.render(place.property)
            return .error(DiagnosticCode.malformedForEach, path: loopPath(place.section, place.entry, context),
                          property: property.isEmpty ? nil : property, message)
        }

        mutating func expandSection(_ section: String, _ entries: OrderedMap) -> OrderedMap {
            var result = OrderedMap(minimumCapacity: entries.count)
            // Entries written out claim their keys first: a loop that writes one of them is the error.
            let written = Set(entries.keys.filter { !isLoop($0) })
            for entry in entries.entries {
                let place = Place(section: section, entry: entry.key, property: [])
                if isLoop(entry.key) {
                    if loopNames.contains(section + "/" + entry.key) { continue }
                    loopNames.insert(section + "/" + entry.key)
                    if section == "Resources", template.resources.keys.contains(where: { $0 == String(entry.key.dropFirst(loopPrefix.count)) }) {
                        expansion.diagnostics.append(error(place, "the loop name \(entry.key.dropFirst(loopPrefix.count)) is also a resource's logical ID; a loop's name must not clash with one"))
                        continue
                    }
                    guard let produced = loop(entry.key, entry.value, bindings: [:], identifiers: [], place: place, tracking: true) else { continue }
                    for (item, origin) in zip(produced.entries.entries, produced.origins) {
                        if written.contains(item.key) || result[item.key] != nil {
                            expansion.diagnostics.append(error(place, "the loop produces \(item.key), which the section already has; each expansion needs its own \(section == "Resources" ? "logical ID" : "name")"))
                            continue
                        }
                        result.appendDistinct(item.key, item.value)
                        let expandedPath = section == "Resources" ? context.path(ofResource: item.key) : context.path(section: section, name: item.key)
                        let shownPath = loopPath(section, entry.key, context) + "/" + item.key
                        expansion.relocated[expandedPath] = shownPath
                        expansion.origins[shownPath] = LoopOrigins.Origin(source: [section, entry.key] + origin.source, body: origin.body, bindings: origin.bindings)
                    }
                } else {
                    if result[entry.key] != nil { continue }  // reported with the loop that wrote it
                    result.appendDistinct(entry.key, value(entry.value, bindings: [:], identifiers: [], place: place))
                }
            }
            return result
        }

        /// The entries one loop produces (nil when it is malformed: reported), and with `tracking`
        /// where each one's body is written, relative to the loop's argument (one per entry, in
        /// order; empty without `tracking`).
        private mutating func loop(_ key: String, _ argument: TemplateValue, bindings: [String: Binding], identifiers: [String], place: Place,
                                   tracking: Bool = false) -> (entries: OrderedMap, origins: [LoopOrigins.Origin])? {
            var place = place
            if place.entry != key { place.property.append(.key(key)) }
            // The loop's key is in the path when the loop is a section's entry.
            let lead = place.entry == key ? "" : "\(key): "
            if !transformDeclared && identifiers.isEmpty && place.entry != key {
                let property = PathStep.render(place.property)
                expansion.diagnostics.append(.error(DiagnosticCode.malformedIntrinsic, path: loopPath(place.section, place.entry, context),
                                                    property: property.isEmpty ? nil : property,
                                                    "\(property.isEmpty ? "" : property + ": ")\(key) exists only with Transform: \(Intrinsic.languageExtensionsTransform); declare the transform, or write the entries out"))
            }
            let name = String(key.dropFirst(loopPrefix.count))
            guard !name.isEmpty, name.utf8.allSatisfy({ isAlphanumeric($0) }) else {
                expansion.diagnostics.append(error(place, "\(lead)a loop's name must be ASCII letters and digits, found \(quotedForMessage(name))"))
                return nil
            }
            guard case .list(let items) = argument, items.count == 3 else {
                let found = argument.listValue.map { "\($0.count) items" } ?? argument.kindName
                expansion.diagnostics.append(error(place, "\(lead)takes [identifier, collection, {output key: output value}], found \(found)"))
                return nil
            }
            guard case .string(let identifier) = items[0], !identifier.isEmpty, identifier.utf8.allSatisfy({ isAlphanumeric($0) }) else {
                expansion.diagnostics.append(error(place, "\(lead)the identifier must be a name of ASCII letters and digits, found \(items[0].kindName == "string" ? items[0].description : items[0].kindName)"))
                return nil
            }
            if identifiers.contains(identifier) {
                expansion.diagnostics.append(error(place, "\(lead)the identifier \(identifier) is already the identifier of an enclosing loop; nested loops need distinct identifiers"))
                return nil
            }
            if template.parameters[identifier] != nil || template.resources[identifier] != nil {
                let what = template.parameters[identifier] != nil ? "a parameter" : "a resource"
                expansion.diagnostics.append(error(place, "\(lead)the identifier \(identifier) clashes with \(what) of the template (Ref: \(identifier) would be ambiguous); rename the identifier"))
                return nil
            }
            guard case .map(let body) = items[2] else {
                expansion.diagnostics.append(error(place, "\(lead)the third item must be a map of output keys to values, found \(items[2].kindName)"))
                return nil
            }
            for outputKey in body.keys where !isLoop(outputKey) {
                if !outputKey.contains("${\(identifier)}") && !outputKey.contains("&{\(identifier)}") {
                    expansion.diagnostics.append(error(place, "\(lead)the output key \(quotedForMessage(outputKey)) has no ${\(identifier)} or &{\(identifier)}, so every item would write the same key"))
                    return nil
                }
            }
            guard let values = collection(value(items[1], bindings: bindings, identifiers: identifiers, place: place), key: key, place: place) else { return nil }
            var result = OrderedMap()
            var origins: [LoopOrigins.Origin] = []
            for item in values {
                if overLimit { return nil }
                var inner = bindings
                inner[identifier] = item
                if item == .placeholder && !placeholders.contains(identifier) { placeholders.append(identifier) }
                let (expanded, bodyOrigins) = mapEntries(body, bindings: inner, identifiers: identifiers + [identifier], place: place, tracking: tracking)
                if tracking {
                    origins += bodyOrigins.map { LoopOrigins.Origin(source: ["2"] + $0.source, body: $0.body, bindings: $0.bindings) }
                }
                for entry in expanded.entries {
                    if result[entry.key] != nil {
                        let shown = item == .placeholder ? "" : " (for \(quotedForMessage(itemText(item))))"
                        expansion.diagnostics.append(error(place, "\(lead)produces \(entry.key) twice\(shown); each item must give a distinct key"))
                        return nil
                    }
                    result.appendDistinct(entry.key, entry.value)
                    produced += 1
                    if produced > LanguageExtensions.maximumExpandedEntries {
                        overLimit = true
                        expansion.diagnostics.append(error(place, "\(lead)the loops expand to more than \(LanguageExtensions.maximumExpandedEntries) entries; CloudFormation accepts at most \(TemplateLimits.maximumResources) resources and \(TemplateLimits.maximumOutputs) outputs"))
                        return nil
                    }
                }
            }
            return (result, origins)
        }

        private func itemText(_ binding: Binding) -> String {
            if case .value(let text) = binding { return text }
            return ""
        }

        /// The items of a loop's collection: literal strings, a `Fn::FindInMap` of literal keys
        /// (or one of its defaults) read here; a deploy-time list is one placeholder; nil (and
        /// reported) when it is not a list.
        private mutating func collection(_ value: TemplateValue, key: String, place: Place) -> [Binding]? {
            let lead = place.entry == key ? "" : "\(key): "
            func notAList(_ what: String) -> [Binding]? {
                expansion.diagnostics.append(error(place, "\(lead)the collection must be a list (literal, a CommaDelimitedList or List<…> parameter, or Fn::FindInMap of one), found \(what)"))
                return nil
            }
            switch value {
            case .list(let items):
                var result: [Binding] = []
                for item in items {
                    switch item {
                    case .string(let text): result.append(.value(text))
                    case .int(let number): result.append(.value(String(number)))
                    case .number(let text): result.append(.value(text))
                    case .bool(let flag): result.append(.value(flag ? "true" : "false"))
                    case .fn: return [.placeholder]
                    default: return notAList("a list holding a \(item.kindName); the items must be strings")
                    }
                }
                return result
            case .fn(.ref(let name)):
                if let parameter = template.parameters[name] {
                    let type = parameter["Type"]?.stringValue ?? ""
                    if type == "CommaDelimitedList" || type.hasPrefix("List<") || type.hasPrefix("AWS::SSM::Parameter::Value<List<") {
                        return [.placeholder]
                    }
                    return notAList("Ref to parameter \(name) of type \(type.isEmpty ? "?" : type)")
                }
                if name == PseudoParameter.notificationARNs.rawValue { return [.placeholder] }
                if template.resources[name] != nil { return notAList("Ref to resource \(name), which gives a string") }
                return notAList("Ref to \(name), which is not a parameter of this template")
            case .fn(.findInMap(let map, let top, let second)), .fn(.findInMapDefault(let map, let top, let second, _)):
                guard case .string(let mapName) = map, case .string(let topKey) = top, case .string(let secondKey) = second else {
                    return [.placeholder]
                }
                let fallback: TemplateValue?
                if case .fn(.findInMapDefault(_, _, _, let value)) = value { fallback = value } else { fallback = nil }
                guard let found = template.mappings[mapName]?[topKey]?[secondKey] else {
                    if let fallback { return collection(fallback, key: key, place: place) }
                    expansion.diagnostics.append(.error(DiagnosticCode.undefinedMapping, path: loopPath(place.section, place.entry, context),
                                                        property: place.property.isEmpty ? nil : PathStep.render(place.property),
                                                        "\(lead)the collection Fn::FindInMap [\(mapName), \(topKey), \(secondKey)] names nothing in Mappings"))
                    return nil
                }
                guard case .list = found else { return notAList("Fn::FindInMap [\(mapName), \(topKey), \(secondKey)], which is a \(found.kindName)") }
                return collection(found, key: key, place: place)
            case .fn(.split), .fn(.getAZs), .fn(.if), .fn(.select), .fn(.importValue), .fn(.getAtt), .fn(.getAttComputed), .fn(.cidr), .fn(.transform), .fn(.transformList), .fn(.getStackOutput):
                return [.placeholder]
            case .fn(let function):
                return notAList("\(function.name), which gives a \(function.name == "Fn::Length" ? "number" : "string")")
            default:
                return notAList("a \(value.kindName)")
            }
        }

        // MARK: Values

        /// `map` with its loops expanded and the bindings applied to keys and values.
        private mutating func mapValue(_ map: OrderedMap, bindings: [String: Binding], identifiers: [String], place: Place) -> OrderedMap {
            mapEntries(map, bindings: bindings, identifiers: identifiers, place: place, tracking: false).entries
        }

        /// `mapValue`, and with `tracking` where each resulting entry is written, relative to
        /// `map` (its key, or the path through a loop to it), one per entry in order.
        private mutating func mapEntries(_ map: OrderedMap, bindings: [String: Binding], identifiers: [String], place: Place,
                                         tracking: Bool) -> (entries: OrderedMap, origins: [LoopOrigins.Origin]) {
            var result = OrderedMap(minimumCapacity: map.count)
            var origins: [LoopOrigins.Origin] = []
            for entry in map.entries {
                var inner = place
                inner.property.append(.key(entry.key))
                if isLoop(entry.key) {
                    guard let produced = loop(entry.key, entry.value, bindings: bindings, identifiers: identifiers, place: place, tracking: tracking) else { continue }
                    for (offset, item) in produced.entries.entries.enumerated() {
                        if result[item.key] != nil || map[item.key] != nil {
                            expansion.diagnostics.append(error(inner, "\(entry.key) produces \(item.key), which the map already has"))
                            continue
                        }
                        result.appendDistinct(item.key, item.value)
                        if tracking {
                            let origin = produced.origins[offset]
                            origins.append(LoopOrigins.Origin(source: [entry.key] + origin.source, body: origin.body, bindings: origin.bindings))
                        }
                    }
                    continue
                }
                let key = substituteKey(entry.key, bindings)
                // DependsOn and Condition hold logical names: a placeholder is the identifier's name.
                let asName = entry.key == "DependsOn" || entry.key == "Condition"
                var expanded = value(entry.value, bindings: bindings, identifiers: identifiers, place: inner, asName: asName)
                // In a loop, `Condition: !Sub Is${Name}` (AWS's own example) and a DependsOn item
                // written so are names once the transform has replaced the identifier.
                if asName && !bindings.isEmpty { expanded = Self.names(expanded, bindings) }
                if result[key] != nil {
                    expansion.diagnostics.append(error(inner, "the key \(key) appears twice once the loop identifiers are replaced"))
                    continue
                }
                result.appendDistinct(key, expanded)
                if tracking { origins.append(LoopOrigins.Origin(source: [entry.key], body: entry.value, bindings: bindings)) }
            }
            return (result, origins)
        }

        /// `value` with loops expanded and bindings applied (a map that becomes a one-key
        /// function map is read back as that function).
        mutating func value(_ value: TemplateValue, bindings: [String: Binding], identifiers: [String], place: Place, asName: Bool = false) -> TemplateValue {
            switch value {
            case .map(let map):
                let expanded = mapValue(map, bindings: bindings, identifiers: identifiers, place: place)
                return Self.recognized(expanded, bindings)
            case .list(let items):
                var result: [TemplateValue] = []
                result.reserveCapacity(items.count)
                for (offset, item) in items.enumerated() {
                    var inner = place
                    inner.property.append(.index(offset))
                    result.append(self.value(item, bindings: bindings, identifiers: identifiers, place: inner, asName: asName))
                }
                return .list(result)
            case .fn(let function):
                if bindings.isEmpty && !function.argument.containsLoop { return value }
                return self.function(function, bindings: bindings, identifiers: identifiers, place: place)
            default:
                return bindings.isEmpty ? value : substitute(value, bindings, asName: asName)
            }
        }

        private mutating func function(_ function: Intrinsic, bindings: [String: Binding], identifiers: [String], place: Place) -> TemplateValue {
            switch function {
            case .ref(let name):
                switch bindings[name] {
                case .value(let text)?: return .string(text)
                default: return .fn(function)
                }
            case .sub(let text, let variables):
                let declared = Set(variables?.keys ?? [])
                let unbound = bindings.filter { !declared.contains($0.key) }
                let newText = Self.replace(in: text, unbound, placeholderAs: { "${\($0)}" })
                let newVariables = variables.map { vars in
                    mapValue(vars, bindings: bindings, identifiers: identifiers, place: place)
                }
                return .fn(.sub(newText, newVariables))
            case .getAtt(let resource, let attribute):
                return .fn(.getAtt(Self.replace(in: resource, bindings, placeholderAs: { $0 }),
                                   Self.replace(in: attribute, bindings, placeholderAs: { $0 })))
            default:
                // Rebuild from the long form: names in `Fn::If` and `Condition`, the resource of
                // `Fn::GetAtt` and the argument of `Ref` are logical names.
                var argument = function.argument
                switch function {
                case .if(let condition, let whenTrue, let whenFalse):
                    argument = .list([.string(Self.replace(in: condition, bindings, placeholderAs: { $0 })),
                                      self.value(whenTrue, bindings: bindings, identifiers: identifiers, place: place),
                                      self.value(whenFalse, bindings: bindings, identifiers: identifiers, place: place)])
                case .condition(let name):
                    argument = .string(Self.replace(in: name, bindings, placeholderAs: { $0 }))
                default:
                    argument = self.value(argument, bindings: bindings, identifiers: identifiers, place: place)
                }
                return Self.recognized([function.name: argument], bindings)
            }
        }

        /// A one-key map read back as the function it names when it is one; with the transform a
        /// `Ref` or `Fn::GetAtt` resource given by a function (`Fn::Sub` with no variable left) is
        /// read as that name.
        static func recognized(_ map: OrderedMap, _ bindings: [String: Binding]) -> TemplateValue {
            guard map.count == 1, let entry = map.entries.first, Intrinsic.longFormNames.contains(entry.key) else { return .map(map) }
            var argument = entry.value
            switch entry.key {
            case "Ref":
                if let name = literalName(argument, bindings) { argument = .string(name) }
            case "Fn::GetAtt":
                if case .list(var items) = argument, items.count == 2 {
                    if let name = literalName(items[0], bindings) { items[0] = .string(name) }
                    if let name = literalName(items[1], bindings) { items[1] = .string(name) }
                    argument = .list(items)
                }
            default:
                break
            }
            if let function = Intrinsic(name: entry.key, argument: argument) { return .fn(function) }
            return .map(map)
        }

        /// `value` (a name or a list of names) with each `Fn::Sub` that has no variable left once
        /// the identifiers are replaced read as the name it gives.
        static func names(_ value: TemplateValue, _ bindings: [String: Binding]) -> TemplateValue {
            switch value {
            case .fn: return literalName(value, bindings).map(TemplateValue.string) ?? value
            case .list(let items): return .list(items.map { names($0, bindings) })
            default: return value
            }
        }

        /// The text of an `Fn::Sub` whose string has no variable left once placeholders are
        /// replaced by their identifiers' names (a logical name).
        private static func literalName(_ value: TemplateValue, _ bindings: [String: Binding]) -> String? {
            guard case .fn(.sub(let written, nil)) = value else { return nil }
            let text = replace(in: written, bindings, placeholderAs: { $0 })
            if Intrinsic.subVariables(in: text).isEmpty, !text.contains("${") { return text }
            return nil
        }

        private func substituteKey(_ key: String, _ bindings: [String: Binding]) -> String {
            bindings.isEmpty ? key : Self.replace(in: key, bindings, placeholderAs: { $0 })
        }

        /// A scalar with the bindings applied: in a string, `${Id}` and `&{Id}` become the item
        /// (`&{}` without its non-alphanumeric characters). For a placeholder, a logical name
        /// (`asName`) takes the identifier's name and any other string becomes an `Fn::Sub`
        /// referring to the identifier (the string's other `${…}` kept literal, as `${!…}`).
        private func substitute(_ value: TemplateValue, _ bindings: [String: Binding], asName: Bool) -> TemplateValue {
            guard case .string(let text) = value, !bindings.isEmpty, text.contains("{") else { return value }
            if asName { return .string(Self.replace(in: text, bindings, placeholderAs: { $0 })) }
            let known = bindings.filter { $0.value != .placeholder }
            let placeholders = bindings.keys.filter { bindings[$0] == .placeholder && (text.contains("${\($0)}") || text.contains("&{\($0)}")) }
            if placeholders.isEmpty { return .string(Self.replace(in: text, known, placeholderAs: { $0 })) }
            var sub = ""
            var rest = Substring(Self.replace(in: text, known, placeholderAs: { $0 }))
            while let open = rest.firstRange(of: "{") {
                let before = rest[..<open.lowerBound]
                let marker = before.last
                guard marker == "$" || marker == "&", let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    sub += rest[..<open.upperBound]
                    rest = rest[open.upperBound...]
                    continue
                }
                let name = String(rest[open.upperBound..<close])
                sub += before.dropLast()
                if placeholders.contains(name) {
                    sub += "${" + name + "}"
                } else if marker == "$" {
                    sub += name.hasPrefix("!") ? "${" + name + "}" : "${!" + name + "}"
                } else {
                    sub += "&{" + name + "}"
                }
                rest = rest[rest.index(after: close)...]
            }
            sub += rest
            return .fn(.sub(sub, nil))
        }

        /// `text` with `${Id}` and `&{Id}` of each binding replaced by its value (`&{}`: only
        /// letters and digits kept); a placeholder by `placeholderAs(Id)`.
        static func replace(in text: String, _ bindings: [String: Binding], placeholderAs: (String) -> String) -> String {
            guard !bindings.isEmpty, text.contains("{") else { return text }
            var result = text
            for name in bindings.keys.sorted() {
                let replacement: String, compact: String
                switch bindings[name]! {
                case .value(let item):
                    replacement = item
                    compact = String(String.UnicodeScalarView(item.unicodeScalars.filter { $0.isASCII && CharacterSetASCII.isAlphanumeric(UInt8($0.value)) }))
                case .placeholder:
                    replacement = placeholderAs(name)
                    compact = replacement
                }
                result = result.replacing("${\(name)}", with: replacement)
                result = result.replacing("&{\(name)}", with: compact)
            }
            return result
        }
    }
}

/// ASCII classification without Foundation.
enum CharacterSetASCII {
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
}

private func isAlphanumeric(_ byte: UInt8) -> Bool { CharacterSetASCII.isAlphanumeric(byte) }

extension TemplateValue {
    /// Whether a loop key (`Fn::ForEach::…`) occurs anywhere in this value.
    var containsLoop: Bool {
        switch self {
        case .map(let map):
            return map.entries.contains { ($0.key.utf8.first == UInt8(ascii: "F") && LanguageExtensions.isLoop($0.key)) || $0.value.containsLoop }
        case .list(let items): return items.contains { $0.containsLoop }
        case .fn(let function):
            var found = false
            function.forEachChild { if !found && $0.containsLoop { found = true } }
            return found
        default: return false
        }
    }
}
