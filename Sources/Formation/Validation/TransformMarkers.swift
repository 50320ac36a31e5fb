import FormationTemplate

/// One walk over a template's sections that says whether the slower passes of
/// `TemplatePreparation` have anything to find: `Fn::Transform` (for `MacroReach`), `Fn::ForEach`
/// loops and intrinsic resource policies (for `LanguageExtensions`). A stack built in Swift rarely
/// has either, and then those passes do not walk the template.
///
/// The answers may be true when the passes find nothing (an `Fn::Transform` naming no macro), never
/// false when they would find something: the walk visits the values `MacroReach.transforms(in:)`
/// and `TemplateValue.containsLoop` visit (map values, list items, a function's children).
struct TransformMarkers {
    /// Whether an `Fn::Transform` (a key or the function) is in Parameters, Mappings, Conditions,
    /// Resources or Outputs, an entry of the section itself included.
    var transforms = false
    /// Whether a loop key (`Fn::ForEach::…`) is in Conditions, Resources or Outputs.
    var loops = false
    /// Whether a resource's `DeletionPolicy` or `UpdateReplacePolicy` is a function.
    var intrinsicPolicies = false

    /// The sections `MacroReach.find` reads entries of.
    static let macroSections = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"]

    private static let transformKey = Array("Fn::Transform".utf8)
    private static let loopPrefix = Array(LanguageExtensions.loopPrefix.utf8)

    init(_ template: Template) {
        for section in Self.macroSections {
            guard let value = template.root[section] else { continue }
            let inLoopSection = LanguageExtensions.loopSections.contains(section)
            if section == "Resources", case .map(let resources) = value {
                for resource in resources.entries {
                    if resource.key.utf8.first == UInt8(ascii: "F") { scanKey(resource.key, inLoopSection: true) }
                    guard case .map(let body) = resource.value else {
                        scan(resource.value, inLoopSection: true)
                        continue
                    }
                    var policyFunction = false
                    for attribute in body.entries {
                        if case .fn = attribute.value, attribute.key == "DeletionPolicy" || attribute.key == "UpdateReplacePolicy" {
                            policyFunction = true
                        }
                        if attribute.key.utf8.first == UInt8(ascii: "F") { scanKey(attribute.key, inLoopSection: true) }
                        scan(attribute.value, inLoopSection: true)
                    }
                    if policyFunction && !intrinsicPolicies {
                        // What the map's lookup answers (the first or last of a key written twice).
                        if case .fn? = body["DeletionPolicy"] { intrinsicPolicies = true }
                        if case .fn? = body["UpdateReplacePolicy"] { intrinsicPolicies = true }
                    }
                }
            } else {
                scan(value, inLoopSection: inLoopSection)
            }
        }
    }

    /// Notes `key` if it is `Fn::Transform` or a loop's (the caller has seen its first byte is `F`).
    private mutating func scanKey(_ key: String, inLoopSection: Bool) {
        let bytes = key.utf8
        guard bytes.count >= Self.transformKey.count else { return }
        if bytes.elementsEqual(Self.transformKey) {
            transforms = true
        } else if inLoopSection && !loops && bytes.starts(with: Self.loopPrefix) {
            // The test `containsLoop` makes (a String prefix, which a combining mark after the
            // last colon defeats), so the answer is the same.
            loops = LanguageExtensions.isLoop(key)
        }
    }

    private mutating func scan(_ value: TemplateValue, inLoopSection: Bool) {
        switch value {
        case .map(let map):
            for entry in map.entries {
                if entry.key.utf8.first == UInt8(ascii: "F") { scanKey(entry.key, inLoopSection: inLoopSection) }
                switch entry.value {
                case .map, .list, .fn: scan(entry.value, inLoopSection: inLoopSection)
                default: break
                }
            }
        case .list(let items):
            for item in items {
                switch item {
                case .map, .list, .fn: scan(item, inLoopSection: inLoopSection)
                default: break
                }
            }
        case .fn(let function):
            switch function {
            case .ref, .getAtt, .condition: return
            case .transform, .transformList: transforms = true
            default: break
            }
            function.forEachChild { scan($0, inLoopSection: inLoopSection) }
        default:
            break
        }
    }
}
