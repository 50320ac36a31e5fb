import FormationTemplate

/// SAM's `Globals` section (under `Transform: AWS::Serverless-2016-10-31`): checked as SAM's
/// translator checks it, and merged into each `AWS::Serverless::*` resource as the translator
/// merges it (plugins/globals/globals.py) before the resource meets its schema, so a property
/// that only Globals sets is not reported missing. The sections, the properties each accepts and
/// the merge rules are `ServerlessSpec`'s (generated from the pinned aws-sam-translator).
enum ServerlessGlobals {
    /// Globals sections by name (`Function`).
    static let sectionsByName: [String: ServerlessSpec.Section] = Dictionary(
        ServerlessSpec.globals.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    /// Globals sections by the SAM type they apply to (`AWS::Serverless::Function`).
    static let sectionsByType: [String: ServerlessSpec.Section] = Dictionary(
        ServerlessSpec.globals.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })

    /// The usable global properties of the template by SAM type (sections that are maps, with
    /// only the properties SAM accepts); empty without the SAM transform or a Globals map.
    static func parse(_ template: Template) -> [String: OrderedMap] {
        guard SchemaCheck.transforms(template).contains(SchemaCheck.serverlessTransform),
              let globals = template.root["Globals"]?.mapValue else { return [:] }
        var result: [String: OrderedMap] = [:]
        for entry in globals.entries {
            guard let section = sectionsByName[entry.key], let properties = entry.value.mapValue else { continue }
            var accepted = OrderedMap()
            for property in properties.entries where section.properties.contains(property.key) {
                accepted.set(property.key, property.value)
            }
            result[section.type] = accepted
        }
        return result
    }

    /// The global properties that apply to a resource, after its `IgnoreGlobals` (`"*"`: none; a
    /// list: all but those). A malformed `IgnoreGlobals` is reported by `check`; here it ignores nothing.
    static func applicable(_ globals: OrderedMap, ignoring ignore: TemplateValue?) -> OrderedMap {
        switch ignore {
        case .string("*")?: return [:]
        case .list(let items)?:
            let names = Set(items.compactMap(\.stringValue))
            var kept = OrderedMap()
            for entry in globals.entries where !names.contains(entry.key) { kept.set(entry.key, entry.value) }
            return kept
        default: return globals
        }
    }

    /// `local` with `globals` merged in as SAM does: a property only in Globals is added; two
    /// maps merge key by key (recursively); two lists concatenate, Globals' items first; anything
    /// else (scalars, intrinsic functions, different kinds) keeps the resource's value. `rules`
    /// (by dotted path) replace or prune where SAM's translator says so.
    static func merge(_ globals: OrderedMap, into local: OrderedMap, rules: [String: ServerlessSpec.MergeRule]) -> OrderedMap {
        mergeMaps(globals, local, path: "", rules: rules)
    }

    private static func mergeMaps(_ global: OrderedMap, _ local: OrderedMap, path: String,
                                  rules: [String: ServerlessSpec.MergeRule]) -> OrderedMap {
        var result = global
        for entry in local.entries {
            let child = path.isEmpty ? entry.key : path + "." + entry.key
            if let globalValue = global[entry.key] {
                result.set(entry.key, mergeValues(globalValue, entry.value, path: child, rules: rules))
            } else {
                result.set(entry.key, entry.value)
            }
        }
        return result
    }

    private static func mergeValues(_ global: TemplateValue, _ local: TemplateValue, path: String,
                                    rules: [String: ServerlessSpec.MergeRule]) -> TemplateValue {
        switch (global, local) {
        case (.map(let globalMap), .map(let localMap)):
            switch rules[path] {
            case .replace?: return local
            case .pruneAndMerge? where !localMap.isEmpty:
                var pruned = OrderedMap()
                for entry in localMap.entries {
                    let child = path + "." + entry.key
                    pruned.set(entry.key, globalMap[entry.key].map { mergeValues($0, entry.value, path: child, rules: rules) } ?? entry.value)
                }
                return .map(pruned)
            default: return .map(mergeMaps(globalMap, localMap, path: path, rules: rules))
            }
        case (.list(let globalItems), .list(let localItems)):
            return rules[path] == .replace ? local : .list(globalItems + localItems)
        default:
            return local
        }
    }

    /// The top-level property of a property path (`Environment` of `Environment.Variables.A`,
    /// `Layers` of `Layers[0]`).
    static func topProperty(_ path: String) -> Substring {
        path.prefix { $0 != "." && $0 != "[" }
    }

    /// The Globals section's findings: its shape, its section names, the properties each section
    /// accepts (SAM's translator refuses the template otherwise), and each value against the
    /// schema of the type it applies to (a property the schema requires is not required here);
    /// and each SAM resource's `IgnoreGlobals`.
    static func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        guard SchemaCheck.transforms(template).contains(SchemaCheck.serverlessTransform) else { return [] }
        var diagnostics: [Diagnostic] = []
        let sectionsPath = context.path(section: "Globals", name: "")
        let accepted = ServerlessSpec.globals.map(\.name).sorted().joined(separator: ", ")
        var present: [String: Set<String>] = [:]
        if let globals = template.root["Globals"] {
            if let map = globals.mapValue {
                for entry in map.entries {
                    let path = context.path(section: "Globals", name: entry.key)
                    guard let section = sectionsByName[entry.key] else {
                        let hint = Suggestion.closest(to: entry.key, among: ServerlessSpec.globals.map(\.name)).map { "; did you mean \($0)?" } ?? ""
                        diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: sectionsPath, property: entry.key,
                                                  "Globals: \(quotedForMessage(entry.key)) is not a section SAM accepts (\(accepted))\(hint)"))
                        continue
                    }
                    guard let properties = entry.value.mapValue else {
                        diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: sectionsPath, property: entry.key,
                                                  "Globals: section \(entry.key) must be a map of properties, found \(entry.value.kindName)"))
                        continue
                    }
                    var valid = OrderedMap()
                    for property in properties.entries {
                        if section.properties.contains(property.key) {
                            valid.set(property.key, property.value)
                            continue
                        }
                        // A property of the type that Globals does not take (FunctionName) gets no
                        // look-alike suggestion: it belongs on each resource.
                        let perResource = context.schema(type: section.type).map { schema in
                            !schema.validate([property.key: .fn(.ref("AWS::Region"))]).contains { $0.code == SchemaDiagnosticCode.unknownProperty }
                        } ?? false
                        let hint = perResource ? "; set it on each resource"
                            : Suggestion.closest(to: property.key, among: section.properties).map { "; did you mean \($0)?" } ?? ""
                        diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: path, property: property.key,
                                                  "Globals.\(entry.key): \(quotedForMessage(property.key)) is not a property SAM accepts in Globals for \(section.type) (it accepts \(section.properties.joined(separator: ", ")))\(hint)"))
                    }
                    present[section.type] = Set(valid.keys)
                    guard !valid.isEmpty, let schema = context.schema(type: section.type) else { continue }
                    for violation in schema.validate(valid) {
                        // Required properties may come from each resource: only values are checked here.
                        if violation.code == SchemaDiagnosticCode.required && !violation.property.contains(where: { $0 == "." || $0 == "[" }) { continue }
                        diagnostics.append(Diagnostic(violation.severity, violation.code, path: path, property: violation.property,
                                                      message: "Globals.\(entry.key): \(violation.message) (\(section.type))"))
                    }
                }
            } else {
                diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: sectionsPath,
                                          "Globals must be a map of sections (\(accepted)), found \(globals.kindName)"))
            }
        }
        for entry in template.resources.entries {
            guard let body = entry.value.mapValue, let ignore = body["IgnoreGlobals"] else { continue }
            let type = body["Type"]?.stringValue ?? ""
            let path = context.path(ofResource: entry.key)
            switch ignore {
            case .string("*"):
                break
            case .list(let items) where items.allSatisfy({ $0.stringValue != nil }):
                // SAM looks the names up only where Globals has a section for the type.
                guard let globals = present[type] else { break }
                for name in items.compactMap(\.stringValue) where !globals.contains(name) {
                    let hint = Suggestion.closest(to: name, among: Array(globals)).map { "; did you mean \($0)?" } ?? ""
                    let section = sectionsByType[type].map { "Globals.\($0.name)" } ?? "Globals"
                    diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: path, property: "IgnoreGlobals",
                                              "IgnoreGlobals: \(quotedForMessage(name)) is not a property of \(section)\(hint)"))
                }
            default:
                diagnostics.append(.error(DiagnosticCode.invalidServerlessGlobals, path: path, property: "IgnoreGlobals",
                                          "IgnoreGlobals must be \"*\" or a list of property names of Globals, found \(ignore.kindName)"))
            }
        }
        let globals = parse(template)
        return diagnostics + ServerlessNames.collisions(template, context, globals: globals)
            + ServerlessFunctionCheck.run(template, context, globals: globals)
    }
}

extension ServerlessGlobals {
    /// A SAM resource's properties as its schema sees them: `properties` with the template's
    /// `globals` (from `parse`) for its type merged in, less what its `IgnoreGlobals` drops; and
    /// the top-level properties that come from Globals alone (their findings are Globals', reported
    /// there once, not again at every resource).
    static func resolved(_ properties: OrderedMap, type: String, resource body: OrderedMap,
                         globals: [String: OrderedMap]) -> (properties: OrderedMap, fromGlobals: Set<String>) {
        guard let all = globals[type], let section = sectionsByType[type] else { return (properties, []) }
        let applicable = applicable(all, ignoring: body["IgnoreGlobals"])
        if applicable.isEmpty { return (properties, []) }
        let fromGlobals = Set(applicable.keys.filter { !properties.contains($0) })
        return (merge(applicable, into: properties, rules: section.rules), fromGlobals)
    }
}
