import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to the standard streams and files: templates to stdout, diagnostics to stderr.
enum Console {
    static func out(_ text: String) {
        writeAll(1, text)
    }

    static func err(_ line: String) {
        writeAll(2, line + "\n")
    }

    /// Writes every byte to a file descriptor, retrying short writes.
    private static func writeAll(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    static func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { err(diagnostic.description) }
    }
}

/// Reads and writes files without Foundation, atomically (temporary name, then rename).
enum Files {
    static func read(_ path: String) throws(TemplateError) -> String {
        guard let file = fopen(path, "rb") else {
            throw TemplateError.io(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 {
                    throw TemplateError.io(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
                }
                break
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TemplateError.io(path: path, message: "the file is not valid UTF-8 text")
        }
        return text
    }

    /// Writes `text` to a temporary file beside `path`; `commit` renames it into place.
    static func stage(_ text: String, at path: String) throws(TemplateError) -> StagedFile {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else {
            throw TemplateError.io(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else {
            unlink(temporary)
            throw TemplateError.io(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        return StagedFile(temporary: temporary, destination: path)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func makeDirectory(_ path: String) throws(TemplateError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if !isDirectory(prefix) && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw TemplateError.io(path: path, message: "cannot create directory: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }
}

/// A file written under a temporary name, waiting to be renamed into place.
struct StagedFile {
    let temporary: String
    let destination: String

    func commit() throws(TemplateError) {
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TemplateError.io(path: destination, message: "cannot rename into place: \(reason)")
        }
    }

    func discard() {
        unlink(temporary)
    }
}
