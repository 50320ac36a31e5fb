#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files without Foundation (schema files, registry bundles, generator inputs).
public enum TextFile {
    /// The contents of a UTF-8 text file.
    public static func read(_ path: String) throws(TemplateError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TemplateError.io(path: path, message: "the file is not valid UTF-8 text")
        }
        return text
    }

    /// The bytes of a file.
    public static func readBytes(_ path: String) throws(TemplateError) -> [UInt8] {
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
        return bytes
    }
}
