import FormationTemplate

/// Templates written for `aws cloudformation package`: a local path (`Code: ./src`,
/// `TemplateURL: child.yaml`) stands where package will write an S3 location. Such a template is
/// validated as package leaves it, and says in one line that it needs packaging.
enum Packaging {
    /// The bucket and key named in place of a local path (any valid S3 names would do: package
    /// chooses them at upload).
    static let bucket = "formation-package-bucket"
    static let key = "formation-package-key"

    /// The entries for `type`, by type.
    static let entriesByType: [String: [PackageableProperties.Entry]] =
        Dictionary(grouping: PackageableProperties.entries, by: \.type)

    /// `properties` as package would leave them, and the paths (`Code`, `Command.ScriptLocation`)
    /// of the properties that hold a local path.
    static func packaged(_ properties: OrderedMap, type: String) -> (properties: OrderedMap, localPaths: [String]) {
        guard let entries = entriesByType[type] else { return (properties, []) }
        var result = properties
        var localPaths: [String] = []
        for entry in entries {
            guard let replaced = replacing(.map(result), at: entry.path[...], entry.form)?.mapValue else { continue }
            result = replaced
            localPaths.append(entry.path.joined(separator: "."))
        }
        return (result, localPaths)
    }

    /// `value` with the local path at `path` replaced by what package writes; nil when there is
    /// no local path there.
    private static func replacing(_ value: TemplateValue, at path: ArraySlice<String>, _ form: PackageableProperties.Form) -> TemplateValue? {
        guard let first = path.first else {
            guard case .string(let text) = value, isLocalPath(text, form) else { return nil }
            return written(form)
        }
        guard case .map(var map) = value, let child = map[first], let replaced = replacing(child, at: path.dropFirst(), form) else {
            return nil
        }
        map[first] = replaced
        return .map(map)
    }

    /// Whether package uploads `text` (awscli: anything but an `s3://` URL; for a template also
    /// anything but an http(s) URL; an empty string is left alone here).
    static func isLocalPath(_ text: String, _ form: PackageableProperties.Form) -> Bool {
        if text.isEmpty || text.hasPrefix("s3://") { return false }
        if case .templateURL = form, text.hasPrefix("https://") || text.hasPrefix("http://") { return false }
        return true
    }

    /// What package writes in place of a local path.
    static func written(_ form: PackageableProperties.Form) -> TemplateValue {
        switch form {
        case .s3Object(let bucketProperty, let keyProperty, _):
            return .map([bucketProperty: .string(bucket), keyProperty: .string(key)])
        case .s3URL:
            return .string("s3://\(bucket)/\(key)")
        case .templateURL:
            return .string("https://s3.amazonaws.com/\(bucket)/\(key)")
        }
    }
}
