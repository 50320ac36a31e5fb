#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormationRegistry
import FormationTemplate

/// The few file operations the generator needs, without Foundation.
public enum FileSystem {
    /// Writes `text` to `path` through a temporary file and a rename, so a reader never sees
    /// half a file.
    public static func write(_ text: String, to path: String) throws(TemplateError) {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else {
            throw TemplateError.io(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TemplateError.io(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes a file.
    public static func remove(_ path: String) throws(TemplateError) {
        if unlink(path) != 0 {
            throw TemplateError.io(path: path, message: "cannot remove: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes an empty directory.
    public static func removeDirectory(_ path: String) throws(TemplateError) {
        if rmdir(path) != 0 {
            throw TemplateError.io(path: path, message: "cannot remove directory: \(String(cString: strerror(errno)))")
        }
    }

    /// Creates a directory and its parents.
    public static func makeDirectory(_ path: String) throws(TemplateError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if !isDirectory(prefix) && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw TemplateError.io(path: prefix, message: "cannot create directory: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }

    /// Whether `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory (not `.` or `..`), sorted.
    public static func list(_ path: String) throws(TemplateError) -> [String] {
        guard let directory = opendir(path) else {
            throw TemplateError.io(path: path, message: "cannot list: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
