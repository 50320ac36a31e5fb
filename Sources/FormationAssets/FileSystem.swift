#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The little of POSIX that packaging needs: what a path is, read a file, list a folder, write
/// a file. Every failure is an ``AssetError`` naming the path as the caller wrote it (`display`),
/// never the absolute path that was opened.
enum FileSystem {
    /// What is at a path.
    enum Kind: Equatable {
        case file
        case folder
        /// A symbolic link to a file (packaged by its target's contents).
        case linkToFile
        case other(String)
    }

    private static let typeMask: UInt32 = 0o170000
    private static let regularType: UInt32 = 0o100000
    private static let folderType: UInt32 = 0o040000
    private static let linkType: UInt32 = 0o120000

    /// The kind of thing at `path` (not following a final symbolic link, except to tell a link
    /// to a file from a link to anything else).
    static func kind(of path: String, display: String) throws(AssetError) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound(display) }
            throw .unreadable(display, reason: message(code))
        }
        switch UInt32(info.st_mode) & typeMask {
        case regularType:
            return .file
        case folderType:
            return .folder
        case linkType:
            var target = stat()
            guard stat(path, &target) == 0 else {
                let code = errno
                if code == ENOENT { throw .notFound(display) }
                throw .unreadable(display, reason: message(code))
            }
            switch UInt32(target.st_mode) & typeMask {
            case regularType: return .linkToFile
            case folderType: return .other("a symbolic link to a folder")
            default: return .other("a symbolic link to something other than a file")
            }
        default:
            return .other(describe(UInt32(info.st_mode) & typeMask))
        }
    }

    private static func describe(_ type: UInt32) -> String {
        switch type {
        case 0o010000: "a FIFO"
        case 0o020000: "a character device"
        case 0o060000: "a block device"
        case 0o140000: "a socket"
        default: "not a regular file"
        }
    }

    /// The whole contents of the file at `path`.
    static func readFile(_ path: String, display: String) throws(AssetError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw .notFound(display) }
            throw .unreadable(display, reason: message(code))
        }
        defer { close(descriptor) }
        // The chunk is sized by the file (fstat), so a small file does not zero a large buffer.
        var info = stat()
        let expected = fstat(descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 64 * 1024
        var contents: [UInt8] = []
        contents.reserveCapacity(expected)
        var chunk = [UInt8](repeating: 0, count: min(max(expected + 1, 4096), 64 * 1024))
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadable(display, reason: message(code))
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        return contents
    }

    /// The names in the folder at `path` (without `.` and `..`), sorted by their UTF-8 bytes.
    static func list(_ path: String, display: String) throws(AssetError) -> [String] {
        guard let folder = opendir(path) else {
            let code = errno
            if code == ENOENT { throw .notFound(display) }
            throw .unreadable(display, reason: message(code))
        }
        defer { closedir(folder) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                let code = errno
                if code != 0 { throw .unreadable(display, reason: message(code)) }
                break
            }
            let bytes: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == [0x2e] || bytes == [0x2e, 0x2e] { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw .invalidFileName(display + "/" + String(decoding: bytes, as: UTF8.self))
            }
            names.append(name)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Writes `bytes` to `path` through a temporary file renamed into place, so a reader never
    /// sees half a file. The file gets mode 0644.
    static func writeFile(_ path: String, bytes: [UInt8], display: String) throws(AssetError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(display, reason: message(errno)) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(descriptor, base + written, raw.count - written)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                close(descriptor)
                unlink(temporary)
                throw .writeFailed(display, reason: message(code))
            }
            written += count
        }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw .writeFailed(display, reason: message(code))
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .writeFailed(display, reason: message(code))
        }
    }

    /// The current working directory, if the system can say.
    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether a regular file (or a link to one) exists at `path`.
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && UInt32(info.st_mode) & typeMask == regularType
    }

    /// Whether a folder exists at `path`.
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && UInt32(info.st_mode) & typeMask == folderType
    }

    /// The system's message for an `errno` value.
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
