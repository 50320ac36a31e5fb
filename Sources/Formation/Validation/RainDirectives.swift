import FormationTemplate

/// Rain's preprocessor directives (`Rain::Module`, `Rain::Embed`, `Rain::S3…`): a file that holds
/// one is a Rain source, which `rain pkg` turns into the template CloudFormation reads (AWS's
/// sample templates commit both). CloudFormation refuses the source as written, and validating it
/// as a template only cascades (a `Type` that is a map, references to the resources a module
/// would add): one FM1145 error per directive says what it is, and nothing else is checked.
/// In YAML the parser refuses a `!Rain::` tag with the same advice; this finds the JSON form, a
/// `Rain::…` key.
enum RainDirectives {
    static func find(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for section in template.root.entries {
            let entries = section.value.mapValue?.entries.map { ($0.key, $0.value) } ?? [("", section.value)]
            for (name, value) in entries {
                value.walk { property, nested in
                    guard case .map(let map) = nested else { return }
                    for key in map.keys where key.hasPrefix("Rain::") {
                        let path = section.key == "Resources" && !name.isEmpty
                            ? context.path(ofResource: name) : context.path(section: section.key, name: name)
                        let at = property.isEmpty ? key : property + "." + key
                        found.append(.error(DiagnosticCode.rainDirective, path: path, property: at,
                                            "\(at): \(key) is a Rain directive, which CloudFormation does not read; "
                                            + "validate the template `rain pkg` writes from this file"))
                    }
                }
            }
        }
        return found
    }
}
