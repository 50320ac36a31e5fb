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

extension TextFile {
    /// A template's text from the bytes read of it: at most `maximumBytes` of them (the reader
    /// stops one byte past the limit, so a larger input is never read in full), all UTF-8.
    /// Either failure is a syntax error at the position where it happens.
    public static func templateText(_ bytes: [UInt8], file: String, maximumBytes: Int) throws(TemplateError) -> String {
        if bytes.count > maximumBytes {
            let (line, column) = position(of: maximumBytes, in: bytes)
            let limit = maximumBytes == ParseLimits.cloudFormationMaximumBytes
                ? "\(maximumBytes) bytes, CloudFormation's limit on a template (in S3); --max-size BYTES raises this limit"
                : "the --max-size limit of \(maximumBytes) bytes"
            throw TemplateError.syntax(file: file, line: line, column: column, message: "the input is larger than \(limit)")
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Not UTF-8: find the first byte that does not decode, for its position.
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .error(let length):
                let (line, column) = position(of: offset, in: bytes)
                let shown = bytes[offset..<(offset + length)].map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
                throw TemplateError.syntax(file: file, line: line, column: column,
                                           message: "invalid UTF-8: the byte\(length == 1 ? "" : "s") \(shown) \(length == 1 ? "is" : "are") not a character; a template is UTF-8 text")
            case .emptyInput:
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }

    /// 1-based line and column (in characters, a byte that does not decode counting as one) of
    /// byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        JSONParser.position(of: offset, in: bytes)
    }
}
