/// A raw value written at a path below a resource's Properties, over its typed encoding
/// (`Resource.overrideProperty`).
public struct PropertyOverride: Sendable, Hashable {
    /// Map keys, or list indices as decimal text, from Properties down.
    public let path: [String]
    /// The value written there.
    public let value: TemplateValue

    public init(path: [String], value: TemplateValue) {
        self.path = path
        self.value = value
    }

    /// `properties` with every override applied in order. A map on the way that is missing is
    /// created; a list index past the end appends; a step into a scalar replaces it with a map.
    static func apply(_ overrides: [PropertyOverride], to properties: TemplateValue) -> TemplateValue {
        var result = properties
        if case .null = result { result = .map(OrderedMap()) }
        for override in overrides where !override.path.isEmpty {
            result = set(override.value, at: override.path[...], in: result)
        }
        return result
    }

    private static func set(_ value: TemplateValue, at path: ArraySlice<String>, in container: TemplateValue) -> TemplateValue {
        guard let key = path.first else { return value }
        let rest = path.dropFirst()
        switch container {
        case .list(var items):
            if let index = Int(key), index >= 0 {
                if index < items.count {
                    items[index] = set(value, at: rest, in: items[index])
                } else {
                    items.append(set(value, at: rest, in: .map(OrderedMap())))
                }
                return .list(items)
            }
            return set(value, at: path, in: .map(OrderedMap()))
        case .map(var map):
            map[key] = set(value, at: rest, in: map[key] ?? .map(OrderedMap()))
            return .map(map)
        default:
            var map = OrderedMap()
            map[key] = set(value, at: rest, in: .map(OrderedMap()))
            return .map(map)
        }
    }
}
