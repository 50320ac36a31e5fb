import CFormationRegistry
import FormationTemplate

/// The CloudFormation registry as Formation ships it: every resource schema of every region in
/// the pinned cfn-lint's bundle, the per-region type tables, and SAM's resource schemas (from the
/// pinned aws-sam-translator, `data/sam/schemas.json`), read from one binary bundle
/// (`data/registry/registry.bin`, written by `make schemas`; the layout is described in
/// `scripts/refresh-registry.py`).
///
/// The bundle is embedded in the binary and checked once when first used: its tables are read
/// in place, and a schema is inflated only when a caller asks for it, so a stack of three types
/// inflates three schemas.
///
/// ```swift
/// let bundle = try RegistryBundle.embedded.get()
/// let type = bundle.typeIndex("AWS::SQS::Queue")!
/// let text = try bundle.schemaText(bundle.schemaIndex(type: type, region: bundle.regionIndex("us-east-1")!)!)
/// ```
public final class RegistryBundle: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; `bytes` points at the embedded
    // bundle (static lifetime) or at memory this object owns and frees in deinit.

    /// Where the bundle came from, for messages (`data/registry/registry.bin (embedded)`).
    public let source: String
    /// The cfn-lint release the schemas come from.
    public let cfnLintVersion: String
    /// The date of cfn-lint's schema snapshot.
    public let schemaDate: String
    /// Number of resource type names (every region's and SAM's).
    public let typeCount: Int
    /// Number of regions.
    public let regionCount: Int
    /// Number of distinct schemas.
    public let schemaCount: Int

    private let bytes: UnsafeRawBufferPointer
    private let ownsBytes: Bool
    private let typeOffsetsAt: Int
    private let regionOffsetsAt: Int
    private let schemaTableAt: Int
    private let matrixAt: Int
    private let stringsAt: Int
    private let dataAt: Int
    private let dataLength: Int

    static let magic: [UInt8] = Array("FMREG002".utf8)
    /// Bytes per schema in the schema table.
    static let entrySize = 24
    static let absent: UInt16 = 0xFFFF
    /// The file the embedded bundle is built from, for messages.
    public static let embeddedSourceName = "data/registry/registry.bin (embedded)"

    /// The bundle embedded in this binary, checked on first use; a damaged bundle is one error
    /// naming it, every time it is asked for.
    public static let embedded: Result<RegistryBundle, RegistryError> = {
        let size = formation_registry_size()
        guard let start = formation_registry_bytes(), size > 0 else {
            return .failure(RegistryError(file: embeddedSourceName, message: "the embedded registry bundle is empty"))
        }
        do throws(RegistryError) {
            return .success(try RegistryBundle(unowned: UnsafeRawBufferPointer(start: start, count: size), source: embeddedSourceName))
        } catch {
            return .failure(error)
        }
    }()

    /// Reads a bundle from `bytes` (copied), naming it `source` in messages.
    public convenience init(bytes: [UInt8], source: String) throws(RegistryError) {
        let storage = EmbeddedData.copy(bytes)
        do {
            try self.init(storage: UnsafeRawBufferPointer(start: storage.baseAddress, count: bytes.count), owns: true, source: source)
        } catch {
            storage.deallocate()
            throw error
        }
    }

    private convenience init(unowned bytes: UnsafeRawBufferPointer, source: String) throws(RegistryError) {
        try self.init(storage: bytes, owns: false, source: source)
    }

    private init(storage bytes: UnsafeRawBufferPointer, owns: Bool, source: String) throws(RegistryError) {
        func corrupt(_ message: String) -> RegistryError {
            RegistryError(file: source, message: "the registry bundle is damaged: \(message); rebuild it with `make schemas`")
        }
        let headerLength = 8 + 7 * 4
        guard bytes.count >= 8, Array(bytes[0..<8]) == RegistryBundle.magic else {
            throw corrupt("it does not start with the bundle signature FMREG002")
        }
        guard bytes.count >= headerLength else {
            throw corrupt("it is \(bytes.count) bytes long, shorter than the bundle header")
        }
        func u32(_ offset: Int) -> Int { EmbeddedData.u32(bytes, offset) }
        let typeCount = u32(8), regionCount = u32(12), schemaCount = u32(16)
        let stringBytes = u32(20), dataBytes = u32(24), metaOffset = u32(28), metaLength = u32(32)
        guard typeCount > 0, regionCount > 0, schemaCount > 0, schemaCount < Int(RegistryBundle.absent) else {
            throw corrupt("its header counts \(typeCount) types, \(regionCount) regions and \(schemaCount) schemas")
        }
        let typeOffsetsAt = headerLength
        let regionOffsetsAt = typeOffsetsAt + (typeCount + 1) * 4
        let schemaTableAt = regionOffsetsAt + (regionCount + 1) * 4
        let matrixAt = schemaTableAt + schemaCount * RegistryBundle.entrySize
        let stringsAt = matrixAt + (regionCount + 1) * typeCount * 2
        let dataAt = stringsAt + stringBytes
        guard dataAt + dataBytes == bytes.count else {
            throw corrupt("it is \(bytes.count) bytes long, but its header describes \(dataAt + dataBytes)")
        }
        // String offsets rise and stay inside the string table.
        for (start, count) in [(typeOffsetsAt, typeCount), (regionOffsetsAt, regionCount)] {
            var previous = 0
            for position in 0...count {
                let offset = u32(start + position * 4)
                guard offset >= previous, offset <= stringBytes else { throw corrupt("a name offset is out of order or out of range") }
                previous = offset
            }
        }
        guard metaOffset <= stringBytes, metaLength <= stringBytes - metaOffset else { throw corrupt("the metadata is out of range") }
        // Schemas lie inside the data section.
        for position in 0..<schemaCount {
            let entry = schemaTableAt + position * RegistryBundle.entrySize
            let offset = u32(entry), length = u32(entry + 4), rawLength = u32(entry + 8)
            guard offset <= dataBytes, length <= dataBytes - offset, length > 0, rawLength > 0 else {
                throw corrupt("schema \(position) lies outside the data section")
            }
            let tableOffset = u32(entry + 12), tableLength = u32(entry + 16), tableRaw = u32(entry + 20)
            guard tableOffset <= dataBytes, tableLength <= dataBytes - tableOffset, (tableLength == 0) == (tableRaw == 0) else {
                throw corrupt("the table of schema \(position) lies outside the data section")
            }
        }
        // Every table entry names a schema or nothing.
        for position in 0..<((regionCount + 1) * typeCount) {
            let value = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: matrixAt + position * 2, as: UInt16.self))
            guard value == RegistryBundle.absent || Int(value) < schemaCount else {
                throw corrupt("a region table names schema \(value) of \(schemaCount)")
            }
        }
        func string(_ offset: Int, _ length: Int) -> String? {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[(stringsAt + offset)..<(stringsAt + offset + length)])
            return String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self)
        }
        // Names are valid UTF-8 and sorted (lookups search them by halves).
        var previous: UnsafeRawBufferPointer?
        for position in 0..<typeCount {
            let start = u32(typeOffsetsAt + position * 4), end = u32(typeOffsetsAt + position * 4 + 4)
            let name = UnsafeRawBufferPointer(rebasing: bytes[(stringsAt + start)..<(stringsAt + end)])
            guard String(validating: name.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
                throw corrupt("type name \(position) is not UTF-8")
            }
            if let previous, RegistryBundle.compare(previous, name) >= 0 { throw corrupt("type names are not sorted") }
            previous = name
        }
        let meta = string(metaOffset, metaLength).flatMap { try? JSONParser.parse($0, file: source) }?.mapValue
        guard let version = meta?["cfnLint"]?.stringValue else { throw corrupt("its metadata names no cfn-lint version") }

        self.source = source
        self.bytes = bytes
        self.ownsBytes = owns
        self.typeCount = typeCount
        self.regionCount = regionCount
        self.schemaCount = schemaCount
        self.typeOffsetsAt = typeOffsetsAt
        self.regionOffsetsAt = regionOffsetsAt
        self.schemaTableAt = schemaTableAt
        self.matrixAt = matrixAt
        self.stringsAt = stringsAt
        self.dataAt = dataAt
        self.dataLength = dataBytes
        self.cfnLintVersion = version
        self.schemaDate = meta?["schemaDate"]?.stringValue ?? ""
        for position in 0..<regionCount {
            guard regionName(position) != nil else { throw corrupt("region name \(position) is not UTF-8") }
        }
    }

    deinit {
        if ownsBytes { UnsafeMutableRawBufferPointer(mutating: bytes).deallocate() }
    }

    /// The size of the bundle in bytes.
    public var byteCount: Int { bytes.count }

    // MARK: - Names

    private func u32(_ offset: Int) -> Int {
        EmbeddedData.u32(bytes, offset)
    }

    private func nameBytes(table: Int, _ position: Int) -> UnsafeRawBufferPointer {
        let start = u32(table + position * 4), end = u32(table + position * 4 + 4)
        return UnsafeRawBufferPointer(rebasing: bytes[(stringsAt + start)..<(stringsAt + end)])
    }

    /// The name of type `index` (`AWS::SQS::Queue`).
    public func typeName(_ index: Int) -> String {
        String(decoding: nameBytes(table: typeOffsetsAt, index), as: UTF8.self)
    }

    /// The name of region `index`, if its bytes are UTF-8 (checked when the bundle is read).
    private func regionName(_ index: Int) -> String? {
        String(validating: nameBytes(table: regionOffsetsAt, index).bindMemory(to: UInt8.self), as: UTF8.self)
    }

    /// Every type name, sorted (every region's and SAM's).
    public var typeNames: [String] { (0..<typeCount).map(typeName) }

    /// Every region, sorted.
    public var regions: [String] { (0..<regionCount).map { regionName($0) ?? "" } }

    /// The index of `name`, found by halves over the sorted names without building strings.
    public func typeIndex(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { query -> Int? in
            var low = 0, high = typeCount - 1
            while low <= high {
                let middle = (low + high) / 2
                let candidate = nameBytes(table: typeOffsetsAt, middle)
                let order = RegistryBundle.compare(candidate, UnsafeRawBufferPointer(query))
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }

    /// The index of region `name`.
    public func regionIndex(_ name: String) -> Int? {
        (0..<regionCount).first { regionName($0) == name }
    }

    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        for position in 0..<common where a[position] != b[position] {
            return a[position] < b[position] ? -1 : 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    // MARK: - Tables

    private func entry(row: Int, type: Int) -> Int? {
        let value = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: matrixAt + (row * typeCount + type) * 2, as: UInt16.self))
        return value == RegistryBundle.absent ? nil : Int(value)
    }

    /// The schema of type `type` in region `region`, if the type exists there.
    public func schemaIndex(type: Int, region: Int) -> Int? {
        entry(row: region, type: type)
    }

    /// The schema of SAM type `type` (`AWS::Serverless::Function`), if it is one.
    public func samSchemaIndex(type: Int) -> Int? {
        entry(row: regionCount, type: type)
    }

    /// The regions where type `type` exists, sorted.
    public func regions(whereTypeExists type: Int) -> [String] {
        (0..<regionCount).compactMap { entry(row: $0, type: type) == nil ? nil : regionName($0) }
    }

    /// The size of the data section (the zlib streams at the end of the bundle).
    var dataByteCount: Int { dataLength }

    /// Where schema `index`'s stream lies in the data section.
    func schemaLocation(_ index: Int) -> (offset: Int, length: Int) {
        let at = schemaTableAt + index * RegistryBundle.entrySize
        return (u32(at), u32(at + 4))
    }

    /// Where schema `index`'s compiled table lies in the data section (length 0: none).
    func tableLocation(_ index: Int) -> (offset: Int, length: Int) {
        let at = schemaTableAt + index * RegistryBundle.entrySize
        return (u32(at + 12), u32(at + 16))
    }

    /// The compressed and inflated sizes of schema `index`.
    public func schemaSizes(_ index: Int) -> (compressed: Int, raw: Int) {
        let at = schemaTableAt + index * RegistryBundle.entrySize
        return (u32(at + 4), u32(at + 8))
    }

    /// The JSON text of schema `index`, inflated. A damaged stream is an error naming the bundle.
    public func schemaText(_ index: Int) throws(RegistryError) -> String {
        guard index >= 0, index < schemaCount else {
            throw RegistryError(file: source, message: "no schema \(index) in the bundle")
        }
        let at = schemaTableAt + index * RegistryBundle.entrySize
        return try inflate(offset: u32(at), length: u32(at + 4), rawLength: u32(at + 8), what: "schema \(index)")
    }

    /// The compiled table of schema `index` (`RegistrySchema.table(_:)` as compact JSON), if the
    /// bundle stores one.
    public func tableText(_ index: Int) throws(RegistryError) -> String? {
        guard index >= 0, index < schemaCount else {
            throw RegistryError(file: source, message: "no schema \(index) in the bundle")
        }
        let at = schemaTableAt + index * RegistryBundle.entrySize
        let length = u32(at + 16)
        if length == 0 { return nil }
        return try inflate(offset: u32(at + 12), length: length, rawLength: u32(at + 20), what: "the table of schema \(index)")
    }

    private func inflate(offset: Int, length: Int, rawLength: Int, what: String) throws(RegistryError) -> String {
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[(dataAt + offset)..<(dataAt + offset + length)])
        var status: Int32 = 0
        let text = String(unsafeUninitializedCapacity: rawLength) { buffer in
            status = formation_registry_inflate(compressed.bindMemory(to: UInt8.self).baseAddress, length,
                                                buffer.baseAddress, rawLength)
            return status == 0 ? rawLength : 0
        }
        guard status == 0 else {
            throw RegistryError(file: source, message: "\(what) does not inflate (\(EmbeddedData.inflateFailure(status))): the bundle is damaged; rebuild it with `make schemas`")
        }
        return text
    }
}

/// A problem with the registry bundle or one of its schemas, naming the file.
public struct RegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the problem is in (the bundle, or a schema).
    public let file: String
    /// What is wrong.
    public let message: String

    /// A problem in `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
