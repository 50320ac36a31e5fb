/// An insertion-ordered map from string keys to template values.
///
/// CloudFormation documents are JSON objects whose key order is meaningful to people (and to
/// snapshot diffs), so every object in the model keeps the order its keys were written in.
/// Setting an existing key replaces its value in place; it does not move the key.
public struct OrderedMap: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One key and its value.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: TemplateValue

        public init(key: String, value: TemplateValue) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in insertion order.
    public private(set) var entries: [Entry]
    /// Index of each key, built only for maps large enough that a linear search would cost.
    private var index: [String: Int]?

    private static let indexThreshold = 12

    /// An empty map.
    public init() {
        entries = []
        index = nil
    }

    /// An empty map with room for `minimumCapacity` entries before it grows.
    public init(minimumCapacity: Int) {
        self.init()
        entries.reserveCapacity(minimumCapacity)
    }

    /// A map of the given pairs, in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, TemplateValue) {
        self.init()
        entries.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs { self[key] = value }
    }

    /// A map of the given pairs (a literal's), in order; a repeated key keeps its first position
    /// and last value, as with `init(_:)`.
    public init(_ pairs: [(String, TemplateValue)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for pair in pairs {
            // Literals rarely repeat a key: a length comparison settles most pairs of keys.
            let length = pair.0.utf8.count
            if index == nil, !entries.contains(where: { $0.key.utf8.count == length && $0.key == pair.0 }) {
                entries.append(Entry(key: pair.0, value: pair.1))
                if entries.count > Self.indexThreshold { rebuildIndex() }
            } else {
                self[pair.0] = pair.1
            }
        }
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }
    /// The values in key order.
    public var values: [TemplateValue] { entries.map(\.value) }

    /// The position of `key`, if present.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The value for `key`; assigning `nil` removes the key.
    public subscript(key: String) -> TemplateValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let newValue {
                if let at = position(of: key) {
                    entries[at].value = newValue
                } else {
                    entries.append(Entry(key: key, value: newValue))
                    if index != nil {
                        index?[key] = entries.count - 1
                    } else if entries.count > Self.indexThreshold {
                        rebuildIndex()
                    }
                }
            } else if let at = position(of: key) {
                entries.remove(at: at)
                if entries.count > Self.indexThreshold { rebuildIndex() } else { index = nil }
            }
        }
    }

    /// Appends `key: value` without looking for `key` first: for writers whose keys are distinct
    /// by construction (a generated type's property names, which are a schema's object keys).
    /// Appending a key that is already present would leave it twice; use the subscript then.
    public mutating func appendDistinct(_ key: String, _ value: TemplateValue) {
        entries.append(Entry(key: key, value: value))
        if index != nil {
            index?[key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Appends `key: value` when `key` is absent (one hash in a large map); returns false and
    /// changes nothing when it is present.
    @discardableResult
    public mutating func appendIfAbsent(_ key: String, _ value: TemplateValue) -> Bool {
        if index != nil {
            if let existing = index?.updateValue(entries.count, forKey: key) {
                index?[key] = existing
                return false
            }
            entries.append(Entry(key: key, value: value))
            return true
        }
        if entries.contains(where: { $0.key == key }) { return false }
        entries.append(Entry(key: key, value: value))
        if entries.count > Self.indexThreshold { rebuildIndex() }
        return true
    }

    /// Appends or replaces `key` (chainable form of the subscript setter for optional values).
    public mutating func set(_ key: String, _ value: TemplateValue?) {
        if let value { self[key] = value }
    }

    private mutating func rebuildIndex() {
        var built = [String: Int](minimumCapacity: entries.count)
        for (offset, entry) in entries.enumerated() { built[entry.key] = offset }
        index = built
    }

    public func makeIterator() -> AnyIterator<(key: String, value: TemplateValue)> {
        var iterator = entries.makeIterator()
        return AnyIterator { iterator.next().map { ($0.key, $0.value) } }
    }

    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        lhs.entries == rhs.entries
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries)
    }
}
