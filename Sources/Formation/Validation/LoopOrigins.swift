import FormationTemplate

/// Where each entry an `Fn::ForEach` loop produced is written in the template, so that a finding
/// in an expanded copy (`file/Fn::ForEach::Buckets/BucketA`) can point at the node of the loop's
/// body it came from rather than at the loop.
///
/// Validation checks each copy under its own logical ID; the copy's diagnostic path names the
/// loop and the copy (`Expansion.relocated`). This table maps that path to the body's place in the
/// template as written (`["Resources", "Fn::ForEach::Outer", "2", "Fn::ForEach::Inner", "2",
/// "Bucket${A}${B}"]`) and the items the identifiers stood for, so a property path of the copy
/// (`Properties.Tags[0].Value`) is followed through the body's own keys (`Tag${A}` for `TagX`).
public struct LoopOrigins: Sendable {
    /// Where one expanded entry comes from.
    public struct Origin: Sendable {
        /// The path of the body's key in the template as written, from the section down.
        public let source: [String]
        /// The body as written (before the identifiers are replaced).
        let body: TemplateValue
        /// What each identifier stood for in this copy.
        let bindings: [String: LanguageExtensions.Binding]

        /// The path in the template as written of the node `components` (a property path of the
        /// copy, relative to the entry: `["Properties", "Tags", "0", "Value"]`) came from, and how
        /// many of `components` it follows (fewer when one is not in the body as written: a key a
        /// loop inside the body produced, a default a check assumed).
        public func sourcePath(of components: [String]) -> (path: [String], followed: Int) {
            var path = source
            var node = body
            for (offset, component) in components.enumerated() {
                switch node {
                case .map(let map):
                    if let value = map[component] {
                        path.append(component)
                        node = value
                    } else if let key = map.keys.first(where: { key in
                        !LanguageExtensions.isLoop(key) && key.contains("{")
                            && LanguageExtensions.Expander.replace(in: key, bindings, placeholderAs: { $0 }) == component
                    }) {
                        path.append(key)
                        node = map[key] ?? .null
                    } else {
                        return (path, offset)
                    }
                case .list(let items):
                    guard let index = Int(component), items.indices.contains(index) else { return (path, offset) }
                    path.append(component)
                    node = items[index]
                default:
                    return (path, offset)
                }
            }
            return (path, components.count)
        }
    }

    private var byPath: [String: Origin] = [:]

    /// No entry comes from a loop.
    public init() {}

    /// The origins of the entries `template`'s loops in Resources, Outputs and Conditions produce,
    /// by the diagnostic path validation gives each (`context` as validation had it); empty when
    /// the template has no loop among those sections' entries.
    public init(_ template: Template, _ context: ValidationContext) {
        guard LanguageExtensions.hasSectionLoops(template) else { return }
        let declared = SchemaCheck.transforms(template).contains(Intrinsic.languageExtensionsTransform)
        byPath = LanguageExtensions.expand(template, context, transformDeclared: declared).origins
    }

    /// Whether no entry comes from a loop.
    public var isEmpty: Bool { byPath.isEmpty }

    /// Where the entry a diagnostic names by `path` (`file/Fn::ForEach::Loop/EntryID`,
    /// `file/Outputs/Fn::ForEach::Loop/Name`) comes from, if a loop produced it.
    public subscript(path: String) -> Origin? { byPath[path] }
}
