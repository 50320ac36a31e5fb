import FormationTemplate

/// Whether two templates are the same data, as CloudFormation reads them: for checking that a
/// stack imported by `formation import` synthesizes the template it came from.
///
/// Map key order does not matter; numbers are compared by value (`30` and `30.0` are one
/// number). Three spellings CloudFormation reads alike are taken as equal: an absent
/// `AWSTemplateFormatVersion` and `2010-09-09` (the only version, which synthesis always
/// writes), `DependsOn: X` and `DependsOn: [X]`, and an empty `Properties` map and none.
/// Anything else that differs is a difference.
public enum TemplateComparison {
    /// The differences between `actual` (synthesized) and `expected` (the original), each as
    /// `path: what differs`, in document order; empty when they are the same data.
    public static func differences(_ actual: Template, _ expected: Template) -> [String] {
        var found: [String] = []
        compare(normalized(actual.document), normalized(expected.document), path: "", into: &found)
        return found
    }

    static func normalized(_ document: TemplateValue) -> TemplateValue {
        guard case .map(var root) = document else { return document }
        if root["AWSTemplateFormatVersion"] == nil { root["AWSTemplateFormatVersion"] = .string("2010-09-09") }
        if case .map(var resources)? = root["Resources"] {
            for entry in resources.entries {
                guard case .map(var body) = entry.value else { continue }
                if case .string(let one)? = body["DependsOn"] { body["DependsOn"] = .list([.string(one)]) }
                if case .map(let properties)? = body["Properties"], properties.isEmpty { body["Properties"] = nil }
                resources[entry.key] = .map(body)
            }
            root["Resources"] = .map(resources)
        }
        return .map(root)
    }

    private static func number(_ value: TemplateValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    static func compare(_ actual: TemplateValue, _ expected: TemplateValue, path: String, into found: inout [String]) {
        if actual == expected { return }
        let here = path.isEmpty ? "(root)" : path
        if let a = number(actual), let b = number(expected) {
            if a != b { found.append("\(here): \(actual) where the original has \(expected)") }
            return
        }
        switch (actual, expected) {
        case (.map(let a), .map(let b)):
            for entry in b.entries {
                let child = path.isEmpty ? entry.key : path + "." + entry.key
                if let value = a[entry.key] {
                    compare(value, entry.value, path: child, into: &found)
                } else {
                    found.append("\(child): missing (the original has \(entry.value))")
                }
            }
            for entry in a.entries where b[entry.key] == nil {
                found.append("\(path.isEmpty ? entry.key : path + "." + entry.key): \(entry.value) is not in the original")
            }
        case (.list(let a), .list(let b)) where a.count == b.count:
            for (offset, pair) in zip(a, b).enumerated() {
                compare(pair.0, pair.1, path: "\(path)[\(offset)]", into: &found)
            }
        case (.fn(let a), .fn(let b)) where a.name == b.name:
            compare(a.argument, b.argument, path: path + "." + a.name, into: &found)
        default:
            found.append("\(here): \(actual) where the original has \(expected)")
        }
    }
}
