/// One difference between two template values, at a property path.
///
/// Paths are written the way diagnostics print them: map keys joined by dots, list positions as
/// `[index]` (`Properties.SecurityGroupEgress[0].FromPort`). An empty path is the value itself.
public struct ValueChange: Sendable, Hashable, CustomStringConvertible {
    /// What changed at the path.
    public enum Kind: Sendable, Hashable {
        /// The path is new; it holds this value.
        case added(TemplateValue)
        /// The path is gone; it held this value.
        case removed(TemplateValue)
        /// The value at the path changed from the first to the second.
        case modified(TemplateValue, TemplateValue)
        /// The map at the path has the same keys in a different order (keys both sides share,
        /// old order then new order).
        case reordered([String], [String])
    }

    /// Where the change is, relative to what was compared.
    public let path: String
    /// What changed.
    public let kind: Kind

    /// A change of `kind` at `path`.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The value before the change (nil when the path is new or only its key order changed).
    public var oldValue: TemplateValue? {
        switch kind {
        case .removed(let old), .modified(let old, _): old
        case .added, .reordered: nil
        }
    }

    /// The value after the change (nil when the path is gone or only its key order changed).
    public var newValue: TemplateValue? {
        switch kind {
        case .added(let new), .modified(_, let new): new
        case .removed, .reordered: nil
        }
    }

    /// One line: `path: old → new`, with `(absent)` for a missing side.
    public var description: String {
        let prefix = path.isEmpty ? "" : path + ": "
        switch kind {
        case .added(let new):
            return prefix + "(absent) → " + new.description
        case .removed(let old):
            return prefix + old.description + " → (absent)"
        case .modified(let old, let new):
            return prefix + old.description + " → " + new.description
        case .reordered(let old, let new):
            return prefix + "key order " + TemplateValue.list(old.map(TemplateValue.string)).description
                + " → " + TemplateValue.list(new.map(TemplateValue.string)).description
        }
    }

    /// Every difference between `old` and `new`, in document order, with paths starting at `path`.
    ///
    /// Maps are compared key by key (old keys in old order, then new keys in new order), plus a
    /// `reordered` change when the keys both sides share are in another order. Lists are aligned
    /// on their longest common subsequence, so inserting one element reports one addition rather
    /// than a change at every later index; unaligned elements between two aligned ones are
    /// compared pairwise. Indices of added and modified elements are positions in the new list,
    /// indices of removed elements positions in the old one. Intrinsic functions with arguments
    /// that hold values (`Fn::Join`, `Fn::If`, `Fn::Sub` with variables, …) are compared inside
    /// their long form (`Fn::Join[1][2]`); `Ref`, `Fn::GetAtt` and the rest are compared whole.
    public static func changes(from old: TemplateValue, to new: TemplateValue, path: String = "") -> [ValueChange] {
        var out: [ValueChange] = []
        collect(old, new, path, into: &out)
        return out
    }

    /// The largest product of list lengths aligned by subsequence; longer lists are compared by index.
    static let alignmentLimit = 250_000

    private static func collect(_ old: TemplateValue, _ new: TemplateValue, _ path: String, into out: inout [ValueChange]) {
        if old == new { return }
        switch (old, new) {
        case (.map(let a), .map(let b)):
            collectMaps(a, b, path, into: &out)
        case (.list(let a), .list(let b)):
            collectLists(a, b, path, into: &out)
        case (.fn(let a), .fn(let b)) where a.name == b.name && !a.children.isEmpty && !b.children.isEmpty:
            collectMaps(a.longForm, b.longForm, path, into: &out)
        default:
            out.append(ValueChange(path: path, kind: .modified(old, new)))
        }
    }

    /// Joins a path and a map key.
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    private static func collectMaps(_ old: OrderedMap, _ new: OrderedMap, _ path: String, into out: inout [ValueChange]) {
        if let order = keyOrderChange(old, new) {
            out.append(ValueChange(path: path, kind: .reordered(order.old, order.new)))
        }
        for entry in old.entries {
            let childPath = join(path, entry.key)
            if let newValue = new[entry.key] {
                collect(entry.value, newValue, childPath, into: &out)
            } else {
                out.append(ValueChange(path: childPath, kind: .removed(entry.value)))
            }
        }
        for entry in new.entries where !old.contains(entry.key) {
            out.append(ValueChange(path: join(path, entry.key), kind: .added(entry.value)))
        }
    }

    /// The shared keys in old and new order, when those orders differ.
    static func keyOrderChange(_ old: OrderedMap, _ new: OrderedMap) -> (old: [String], new: [String])? {
        let sharedOld = old.keys.filter { new.contains($0) }
        let sharedNew = new.keys.filter { old.contains($0) }
        return sharedOld == sharedNew ? nil : (sharedOld, sharedNew)
    }

    private static func collectLists(_ old: [TemplateValue], _ new: [TemplateValue], _ path: String, into out: inout [ValueChange]) {
        let pairs: [(Int, Int)]
        if old.count * new.count <= alignmentLimit {
            pairs = longestCommonSubsequence(old, new)
        } else {
            pairs = []  // index-wise: every position is a gap paired by index
        }
        var oldStart = 0
        var newStart = 0
        for (oldIndex, newIndex) in pairs + [(old.count, new.count)] {
            let removed = Array(oldStart..<oldIndex)
            let added = Array(newStart..<newIndex)
            let paired = min(removed.count, added.count)
            for k in 0..<paired {
                collect(old[removed[k]], new[added[k]], path + "[\(added[k])]", into: &out)
            }
            for k in paired..<removed.count {
                out.append(ValueChange(path: path + "[\(removed[k])]", kind: .removed(old[removed[k]])))
            }
            for k in paired..<added.count {
                out.append(ValueChange(path: path + "[\(added[k])]", kind: .added(new[added[k]])))
            }
            oldStart = oldIndex + 1
            newStart = newIndex + 1
        }
    }

    /// Index pairs of one longest common subsequence of `a` and `b`, in increasing order.
    private static func longestCommonSubsequence(_ a: [TemplateValue], _ b: [TemplateValue]) -> [(Int, Int)] {
        let n = a.count
        let m = b.count
        if n == 0 || m == 0 { return [] }
        // lengths[i][j]: LCS length of a[i...] and b[j...], flattened.
        var lengths = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * (m + 1) + j] = a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0
        var j = 0
        while i < n && j < m {
            if a[i] == b[j] {
                pairs.append((i, j))
                i += 1
                j += 1
            } else if lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return pairs
    }
}
