#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FormationTemplate

/// The little file IO snapshot tests need, on POSIX calls: read a whole file, write one
/// atomically (a temporary file in the same directory, then `rename`), create directories.
enum FileSystem {
    /// The text of the file at `path`; nil when nothing is there (no such file or directory).
    static func read(_ path: String) throws(TemplateError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }  // nothing at that path
            throw TemplateError.io(path: path, message: "cannot open: \(describe(code))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glue.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw TemplateError.io(path: path, message: "cannot read: \(describe(code))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` atomically: readers see the old file or the new one, never a part.
    static func writeAtomically(_ text: String, to path: String) throws(TemplateError) {
        let directory = parent(of: path)
        try makeDirectories(directory)
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        if descriptor < 0 {
            throw TemplateError.io(path: path, message: "cannot create a temporary file: \(describe(errno))")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(TemplateError) {
            fchmod(descriptor, 0o644)
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { Glue.write(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw TemplateError.io(path: temporary, message: "cannot write: \(describe(code))")
                }
                written += count
            }
            if fsync(descriptor) != 0 {
                throw TemplateError.io(path: temporary, message: "cannot sync: \(describe(errno))")
            }
            closed = true
            if close(descriptor) != 0 {
                throw TemplateError.io(path: temporary, message: "cannot close: \(describe(errno))")
            }
            if rename(temporary, path) != 0 {
                throw TemplateError.io(path: path, message: "cannot rename \(temporary) to it: \(describe(errno))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Creates `path` and any missing parent directories.
    static func makeDirectories(_ path: String) throws(TemplateError) {
        if path.isEmpty || isDirectory(path) { return }
        let above = parent(of: path)
        if above != path { try makeDirectories(above) }
        if mkdir(path, 0o755) != 0 {
            let code = errno
            if code == EEXIST {
                if isDirectory(path) { return }  // created meanwhile by another test
                throw TemplateError.io(path: path, message: "cannot create directory: it exists and is not a directory")
            }
            throw TemplateError.io(path: path, message: "cannot create directory: \(describe(code))")
        }
    }

    /// Whether `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` names a regular file.
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The directory part of `path` (`.` for a bare name, `/` for the root).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// `base/relative`, or `relative` when it is absolute.
    static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || base.isEmpty { return relative }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// The current working directory (`.` if it cannot be read).
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// The C `read` and `write`, under names that do not clash with the Swift functions above.
private enum Glue {
    static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.read(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.read(descriptor, buffer, count)
        #else
        Glibc.read(descriptor, buffer, count)
        #endif
    }

    static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.write(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
        #else
        Glibc.write(descriptor, buffer, count)
        #endif
    }
}
