/// One file to put in a ZIP archive: its path inside the archive and its bytes.
public struct ArchiveFile: Sendable, Hashable {
    /// The path inside the archive, `/`-separated and relative (`pkg/module.py`).
    public let path: String
    /// The file's contents.
    public let contents: [UInt8]

    /// A file at `path` (relative, `/`-separated) with `contents`.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}

/// Writes ZIP archives whose bytes depend only on the files' paths and contents.
///
/// What makes the output deterministic:
/// - entries sorted by the UTF-8 bytes of their path, each folder as its own entry (`pkg/`)
///   placed before what it holds;
/// - every timestamp is 1980-01-01 00:00:00 (the earliest a ZIP can say);
/// - permissions are fixed: `0644` for files, `0755` for folders, written in the external
///   attributes with "made by" Unix;
/// - no extra fields, no comments, no data descriptors; method 0 (stored).
///
/// Stored rather than deflated keeps the writer small and exactly reproducible; Lambda accepts
/// stored archives, and function code of a few kilobytes gains little from compression.
public enum ZipWriter {
    /// The DOS date of 1980-01-01: (1980 - 1980) << 9 | 1 << 5 | 1.
    static let dosDate: UInt16 = 0x0021
    /// The DOS time of 00:00:00.
    static let dosTime: UInt16 = 0x0000
    /// "Made by" Unix (3, in the high byte), ZIP specification 2.0 (20).
    static let versionMadeBy: UInt16 = 0x0314
    /// Version needed to extract a stored entry: 1.0.
    static let versionNeeded: UInt16 = 10
    /// External attributes of a file: Unix mode `0100644` in the high 16 bits.
    static let fileAttributes: UInt32 = UInt32(0o100644) << 16
    /// External attributes of a folder: Unix mode `040755` and the MS-DOS directory bit.
    static let folderAttributes: UInt32 = UInt32(0o040755) << 16 | 0x10
    /// General-purpose flag bit 11: the name is UTF-8.
    static let utf8NameFlag: UInt16 = 0x0800

    /// The archive's bytes for `files`, in any order.
    ///
    /// Throws ``AssetError/invalidArchivePath(_:reason:)`` for a path that is empty, absolute,
    /// has an empty, `.` or `..` component, a backslash or a NUL;
    /// ``AssetError/duplicateArchivePath(_:)`` when two files (or a file and a folder) share a
    /// path; ``AssetError/archiveTooLarge(_:)`` past what a ZIP without ZIP64 can hold.
    public static func archive(_ files: [ArchiveFile]) throws(AssetError) -> [UInt8] {
        let entries = try layout(files)
        var output: [UInt8] = []
        output.reserveCapacity(files.reduce(22) { $0 + $1.contents.count + 2 * $1.path.utf8.count + 76 })
        var central: [UInt8] = []
        for entry in entries {
            let offset = output.count
            guard offset <= Int(UInt32.max) else { throw .archiveTooLarge("the archive passes 4 GiB") }
            let name = Array(entry.path.utf8)
            let contents = entry.contents ?? []
            let crc = CRC32.checksum(contents)
            let size = UInt32(truncatingIfNeeded: contents.count)
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : utf8NameFlag

            output.appendLE(UInt32(0x0403_4b50))
            output.appendLE(versionNeeded)
            output.appendLE(flags)
            output.appendLE(UInt16(0))  // method: stored
            output.appendLE(dosTime)
            output.appendLE(dosDate)
            output.appendLE(crc)
            output.appendLE(size)  // compressed size
            output.appendLE(size)  // uncompressed size
            output.appendLE(UInt16(name.count))
            output.appendLE(UInt16(0))  // extra field length
            output.append(contentsOf: name)
            output.append(contentsOf: contents)

            central.appendLE(UInt32(0x0201_4b50))
            central.appendLE(versionMadeBy)
            central.appendLE(versionNeeded)
            central.appendLE(flags)
            central.appendLE(UInt16(0))
            central.appendLE(dosTime)
            central.appendLE(dosDate)
            central.appendLE(crc)
            central.appendLE(size)
            central.appendLE(size)
            central.appendLE(UInt16(name.count))
            central.appendLE(UInt16(0))  // extra field length
            central.appendLE(UInt16(0))  // comment length
            central.appendLE(UInt16(0))  // disk number start
            central.appendLE(UInt16(0))  // internal attributes
            central.appendLE(entry.contents == nil ? folderAttributes : fileAttributes)
            central.appendLE(UInt32(offset))
            central.append(contentsOf: name)
        }
        let centralOffset = output.count
        guard centralOffset <= Int(UInt32.max), central.count <= Int(UInt32.max) else {
            throw .archiveTooLarge("the archive passes 4 GiB")
        }
        output.append(contentsOf: central)
        output.appendLE(UInt32(0x0605_4b50))
        output.appendLE(UInt16(0))  // this disk
        output.appendLE(UInt16(0))  // disk with the central directory
        output.appendLE(UInt16(entries.count))
        output.appendLE(UInt16(entries.count))
        output.appendLE(UInt32(central.count))
        output.appendLE(UInt32(centralOffset))
        output.appendLE(UInt16(0))  // comment length
        return output
    }

    /// The size in bytes of the archive ``archive(_:)`` would write for `files`, without
    /// building it (paths are not checked).
    public static func archiveSize(_ files: [ArchiveFile]) -> Int {
        var folders = Set<String>()
        var size = 22
        for file in files {
            let name = file.path.utf8.count
            size += 30 + name + file.contents.count + 46 + name
            for folder in parentFolders(of: file.path) where folders.insert(folder).inserted {
                size += 30 + 46 + 2 * folder.utf8.count
            }
        }
        return size
    }

    /// An entry as written: a folder has no contents.
    struct Entry {
        let path: String
        let contents: [UInt8]?
    }

    /// Checks the paths, adds a folder entry for every parent folder, sorts by UTF-8 bytes.
    static func layout(_ files: [ArchiveFile]) throws(AssetError) -> [Entry] {
        var byPath: [String: Entry] = [:]
        var folders = Set<String>()
        for file in files {
            try checkPath(file.path)
            guard byPath[file.path] == nil else { throw .duplicateArchivePath(file.path) }
            byPath[file.path] = Entry(path: file.path, contents: file.contents)
            for folder in parentFolders(of: file.path) {
                folders.insert(folder)
            }
        }
        for folder in folders {
            // "pkg/" is a folder; a file named "pkg" beside it would unpack onto the same name.
            if byPath[String(folder.dropLast())] != nil { throw .duplicateArchivePath(String(folder.dropLast())) }
            byPath[folder] = Entry(path: folder, contents: nil)
        }
        guard byPath.count < Int(UInt16.max) else {
            throw .archiveTooLarge("\(byPath.count) entries; a ZIP without ZIP64 holds at most 65,534")
        }
        for entry in byPath.values where (entry.contents?.count ?? 0) > Int(UInt32.max) {
            throw .archiveTooLarge("'\(entry.path)' passes 4 GiB")
        }
        return byPath.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// `a/b/c.py` → `["a/", "a/b/"]`.
    static func parentFolders(of path: String) -> [String] {
        var result: [String] = []
        var prefix = ""
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for component in components.dropLast() {
            prefix += component + "/"
            result.append(prefix)
        }
        return result
    }

    static func checkPath(_ path: String) throws(AssetError) {
        if path.isEmpty { throw .invalidArchivePath(path, reason: "it is empty") }
        if path.hasPrefix("/") { throw .invalidArchivePath(path, reason: "it is absolute") }
        if path.utf8.count > Int(UInt16.max) { throw .invalidArchivePath(path, reason: "it is longer than 65,535 bytes") }
        if path.contains("\\") { throw .invalidArchivePath(path, reason: "it contains a backslash") }
        if path.utf8.contains(0) { throw .invalidArchivePath(path, reason: "it contains a NUL byte") }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw .invalidArchivePath(path, reason: "it has an empty component") }
            if component == "." || component == ".." {
                throw .invalidArchivePath(path, reason: "it has a '\(component)' component")
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        Swift.withUnsafeBytes(of: &little) { append(contentsOf: $0) }
    }
}
