import Formation

/// What the rules of the pack share: walking resources of some types, reading literal flags, and
/// telling whether a value names a resource of the template.
enum RuleSupport {
    /// The resources of `template` whose type is one of `types`, in template order.
    static func resources(_ template: Template, _ types: Set<String>) -> [ResourceView] {
        template.resources.entries.compactMap { entry in
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"], types.contains(type) else { return nil }
            return ResourceView(logicalID: entry.key, body: body)
        }
    }

    /// A literal `true` (`true` or `"true"` in any case).
    static func isTrue(_ value: TemplateValue?) -> Bool {
        switch value {
        case .bool(true)?: true
        case .string(let text)?: text.lowercased() == "true"
        default: false
        }
    }

    /// A literal `false` (`false` or `"false"` in any case).
    static func isFalse(_ value: TemplateValue?) -> Bool {
        switch value {
        case .bool(false)?: true
        case .string(let text)?: text.lowercased() == "false"
        default: false
        }
    }

    /// Whether the value is written but not known here: an intrinsic (a parameter, a condition).
    /// Rules skip such values rather than guess.
    static func isComputed(_ value: TemplateValue?) -> Bool {
        if case .fn? = value { return true }
        return false
    }

    /// Whether a value is present and not an empty string.
    static func isSet(_ value: TemplateValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .string(let text)?: !text.isEmpty
        default: true
        }
    }

    /// The logical ID a value names directly: `Ref X`, `Fn::GetAtt X.attr`, or an `Fn::Sub`
    /// whose only variable besides pseudo parameters is `${X}` or `${X.attr}` (an ARN built
    /// around it counts).
    static func resourceNamed(by value: TemplateValue?) -> String? {
        switch value {
        case .fn(.ref(let id))?: return id
        case .fn(.getAtt(let id, _))?, .fn(.getAttComputed(let id, _))?: return id
        case .fn(.sub(let text, let variables))?:
            // Pseudo parameters (`${AWS::AccountId}`) around the name do not count.
            let names = subVariables(text).filter { !$0.hasPrefix("AWS::") }
            guard names.count == 1, let name = names.first else { return nil }
            if let bound = variables?[name] { return resourceNamed(by: bound) }
            return String(name.split(separator: ".", maxSplits: 1).first ?? "")
        default: return nil
        }
    }

    /// The `${…}` variable names of an `Fn::Sub` string (`${!Literal}` skipped).
    static func subVariables(_ text: String) -> [String] {
        var names: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            guard text[index] == "$", next < text.endIndex, text[next] == "{",
                  let close = text[next...].firstIndex(of: "}") else {
                index = next
                continue
            }
            let name = text[text.index(after: next)..<close]
            if !name.hasPrefix("!") { names.append(String(name)) }
            index = text.index(after: close)
        }
        return names
    }

    /// A finding of `rule` at its default severity (the app's setting applies later).
    static func finding(_ rule: RuleInfo, _ context: ValidationContext, _ resource: ResourceView, property: String? = nil,
                        _ message: String) -> Diagnostic {
        Diagnostic(rule.severity, rule.id, path: context.path(ofResource: resource.logicalID), property: property, message: message)
    }
}
