import FormationTemplate

/// What macros may rewrite before CloudFormation validates a template: a transform CloudFormation
/// does not run itself (`Transform: MyMacro`, or `Transform: {Name: AWS::Include, …}`) rewrites
/// the whole template; `Fn::Transform` (`AWS::Include` or a macro, in its map or list form)
/// rewrites the map that holds it: the resource, output, condition, parameter or mapping it is in,
/// or a whole section when it stands among the section's entries. Findings there are not reported
/// (validation skips what it cannot know), and references anywhere to a name a macro may add are
/// not errors; one FM1131 line per macro says what was skipped.
struct MacroReach {
    /// A macro and what it reaches.
    struct Macro {
        var name: String
        /// `transform` (the template's Transform) or `Fn::Transform at <where>`.
        var site: String
        /// Diagnostic paths whose findings it covers (an entry's path covers the paths below it);
        /// nil: the whole template.
        var paths: [String]?
        /// What it reaches, for the summary line.
        var scope: String
        /// Whether it may add entries to a section (so a reference to a missing name may resolve).
        var addsEntries: Bool
        var skipped = 0
    }

    var macros: [Macro]

    /// Reference findings that a name a macro adds may resolve.
    static let referenceCodes: Set<String> = [
        DiagnosticCode.danglingRef, DiagnosticCode.danglingGetAtt, DiagnosticCode.danglingSubVariable,
        DiagnosticCode.danglingDependsOn, DiagnosticCode.undefinedCondition, DiagnosticCode.undefinedMapping,
        DiagnosticCode.unknownAttribute,
    ]

    /// The template's macros and their reach; nil when it has none. `markers`, when given, is
    /// the template's: without an `Fn::Transform` in its sections they are not walked.
    static func find(_ template: Template, _ context: ValidationContext, markers: TransformMarkers? = nil) -> MacroReach? {
        var macros: [Macro] = []
        for name in declaredMacros(template) {
            macros.append(Macro(name: name, site: "Transform", paths: nil, scope: "the whole template", addsEntries: true))
        }
        if let root = template.root["Fn::Transform"] {
            for name in transformNames(root) {
                macros.append(Macro(name: name, site: "Fn::Transform at the top level", paths: nil, scope: "the whole template", addsEntries: true))
            }
        }
        for section in TransformMarkers.macroSections where markers?.transforms != false {
            guard case .map(let entries)? = template.root[section] else { continue }
            for entry in entries.entries {
                if entry.key == "Fn::Transform" {
                    for name in transformNames(entry.value) {
                        macros.append(Macro(name: name, site: "Fn::Transform in \(section)", paths: [context.path(section: section, name: "")] + entryPaths(section, entries, context),
                                            scope: "the \(section) section", addsEntries: true))
                    }
                    continue
                }
                let found = transforms(in: entry.value)
                guard !found.isEmpty else { continue }
                let path = section == "Resources" ? context.path(ofResource: entry.key) : context.path(section: section, name: entry.key)
                let shown = section == "Resources" ? entry.key : "\(section)/\(entry.key)"
                for name in found {
                    if let index = macros.firstIndex(where: { $0.name == name && $0.paths != nil && $0.site.hasPrefix("Fn::Transform in ") == false }) {
                        macros[index].paths?.append(path)
                        macros[index].scope += ", \(shown)"
                    } else {
                        macros.append(Macro(name: name, site: "Fn::Transform", paths: [path], scope: shown, addsEntries: false))
                    }
                }
            }
        }
        return macros.isEmpty ? nil : MacroReach(macros: macros)
    }

    /// The transforms the template declares that CloudFormation does not run itself.
    static func declaredMacros(_ template: Template) -> [String] {
        var names: [String] = []
        func add(_ value: TemplateValue) {
            switch value {
            case .string(let name) where !SchemaCheck.builtInTransforms.contains(name) || name == "AWS::Include": names.append(name)
            case .map(let map):
                if let name = map["Name"]?.stringValue, !SchemaCheck.builtInTransforms.contains(name) || name == "AWS::Include" { names.append(name) }
            case .list(let items): items.forEach(add)
            default: break
            }
        }
        if let transform = template.root["Transform"] { add(transform) }
        return names
    }

    /// The macro names of an `Fn::Transform` argument (a map or a list of maps).
    static func transformNames(_ argument: TemplateValue) -> [String] {
        switch argument {
        case .map(let map): return [map["Name"]?.stringValue ?? "?"]
        case .list(let items): return items.flatMap(transformNames)
        case .fn(let function): return transformNames(function.argument)
        default: return ["?"]
        }
    }

    /// The macro names of every `Fn::Transform` in `value`, in order, each once.
    static func transforms(in value: TemplateValue) -> [String] {
        var names: [String] = []
        func visit(_ value: TemplateValue) {
            switch value {
            case .map(let map):
                for entry in map.entries {
                    if entry.key == "Fn::Transform" {
                        for name in transformNames(entry.value) where !names.contains(name) { names.append(name) }
                    }
                    visit(entry.value)
                }
            case .list(let items): items.forEach(visit)
            case .fn(let function):
                switch function {
                case .transform(let name, _): if !names.contains(name) { names.append(name) }
                case .transformList(let items):
                    for name in items.flatMap(transformNames) where !names.contains(name) { names.append(name) }
                default: break
                }
                function.forEachChild(visit)
            default: break
            }
        }
        visit(value)
        return names
    }

    private static func entryPaths(_ section: String, _ entries: OrderedMap, _ context: ValidationContext) -> [String] {
        entries.keys.map { section == "Resources" ? context.path(ofResource: $0) : context.path(section: section, name: $0) }
    }

    /// `diagnostics` without the findings a macro may make moot, and one FM1131 line per macro.
    mutating func apply(_ diagnostics: [Diagnostic], _ context: ValidationContext) -> [Diagnostic] {
        let addsEntries = macros.contains { $0.addsEntries }
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            if let index = macros.firstIndex(where: { covers($0, diagnostic.path, context) }) {
                macros[index].skipped += 1
                continue
            }
            if addsEntries && Self.referenceCodes.contains(diagnostic.code) && diagnostic.severity == .error,
               let index = macros.firstIndex(where: \.addsEntries) {
                macros[index].skipped += 1
                continue
            }
            kept.append(diagnostic)
        }
        for macro in macros {
            let kind = macro.name == "AWS::Include" ? "AWS::Include" : "macro \(macro.name)"
            let findings = macro.skipped == 0 ? "no finding" : macro.skipped == 1 ? "1 finding" : "\(macro.skipped) findings"
            kept.append(.init(.info, DiagnosticCode.macroSkipped, path: context.stackPath,
                              message: "\(macro.site.hasPrefix("Fn::Transform") ? "Fn::Transform \(kind)\(macro.site.dropFirst("Fn::Transform".count))" : "Transform \(kind)") rewrites \(macro.scope) before CloudFormation validates it; not validated there (\(findings) skipped)"))
        }
        return kept
    }

    private func covers(_ macro: Macro, _ path: String, _ context: ValidationContext) -> Bool {
        guard let paths = macro.paths else { return true }
        return paths.contains { path == $0 || (path.hasPrefix($0) && (path.dropFirst($0.count).first == "/" || $0.hasSuffix("/"))) }
    }
}

/// The checks' entry point for one template: `AWS::LanguageExtensions` loops expanded (or, without
/// the transform, reported), the checks run on the result, findings a macro may make moot dropped.
public enum TemplatePreparation {
    /// The diagnostics `checks` finds in `template` as CloudFormation would see it after its own
    /// transforms, plus those of the language extensions and macros.
    public static func validate(_ template: Template, _ context: ValidationContext,
                                _ checks: (Template, ValidationContext) -> [Diagnostic]) -> [Diagnostic] {
        let rain = RainDirectives.find(template, context)
        if !rain.isEmpty { return rain }
        let transforms = SchemaCheck.transforms(template)
        // One walk says whether the sections hold an Fn::Transform, a loop or a policy function.
        let markers = TransformMarkers(template)
        var reach = MacroReach.find(template, context, markers: markers)
        var diagnostics: [Diagnostic]
        if transforms.contains(Intrinsic.languageExtensionsTransform) {
            let expansion = LanguageExtensions.expand(template, context)
            diagnostics = expansion.diagnostics + expansion.relocate(checks(expansion.template, context))
        } else if markers.loops || markers.intrinsicPolicies {
            // Reported, then validated as if the transform were declared.
            let (_, found) = LanguageExtensions.undeclared(template, context)
            let expansion = LanguageExtensions.expand(template, context, transformDeclared: false)
            diagnostics = found + expansion.diagnostics + expansion.relocate(checks(expansion.template, context))
        } else {
            diagnostics = checks(template, context)
        }
        if reach != nil { diagnostics = reach!.apply(diagnostics, context) }
        return diagnostics
    }

    /// Whether a resource's `DeletionPolicy` or `UpdateReplacePolicy` is a function (what
    /// `TransformMarkers.intrinsicPolicies` answers in its walk; kept for the tests).
    static func hasIntrinsicPolicy(_ template: Template) -> Bool {
        template.resources.entries.contains { entry in
            if case .fn? = entry.value["DeletionPolicy"] { return true }
            if case .fn? = entry.value["UpdateReplacePolicy"] { return true }
            return false
        }
    }
}
