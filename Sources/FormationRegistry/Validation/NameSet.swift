/// A fixed set of names for membership tests in the schema walk: a few names are compared one by
/// one (faster than hashing the probe), more are hashed.
struct NameSet: Sendable {
    private let list: [String]
    private let set: Set<String>?
    private static let listLimit = 8

    init<S: Sequence>(_ names: S) where S.Element == String {
        let distinct = Set(names)
        if distinct.count <= Self.listLimit {
            list = distinct.sorted()
            set = nil
        } else {
            list = []
            set = distinct
        }
    }

    func contains(_ name: String) -> Bool {
        set?.contains(name) ?? list.contains(name)
    }
}
