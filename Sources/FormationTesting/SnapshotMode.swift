#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a snapshot comparison does with a missing or different snapshot file.
///
/// ``current`` reads it from the environment; tests of snapshot behaviour set it directly.
public enum SnapshotMode: String, Sendable, Hashable, CaseIterable {
    /// Compare; a missing snapshot is written (recorded) and the comparison passes.
    case local
    /// Compare; a missing snapshot fails, since CI must test what is committed.
    case ci
    /// Write every snapshot that is missing or differs, and pass.
    case update

    /// The environment variable that selects ``update`` (`FORMATION_UPDATE_SNAPSHOTS=1 swift test`).
    public static let updateVariable = "FORMATION_UPDATE_SNAPSHOTS"
    /// The environment variable CI services set (`CI=true`), which selects ``ci``.
    public static let ciVariable = "CI"

    /// The mode the given environment selects: ``update`` when `FORMATION_UPDATE_SNAPSHOTS` is
    /// set to `1`, `true` or `yes`; otherwise ``ci`` when `CI` is; otherwise ``local``.
    public static func fromEnvironment(_ lookup: (String) -> String?) -> SnapshotMode {
        if isSet(lookup(updateVariable)) { return .update }
        if isSet(lookup(ciVariable)) { return .ci }
        return .local
    }

    /// The mode the given environment variables select (same rules as the lookup form).
    public static func fromEnvironment(_ variables: [String: String]) -> SnapshotMode {
        fromEnvironment { variables[$0] }
    }

    /// The mode this process's environment selects.
    public static var current: SnapshotMode {
        fromEnvironment { name in getenv(name).map { String(cString: $0) } }
    }

    private static func isSet(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes"].contains(value.lowercased())
    }
}
