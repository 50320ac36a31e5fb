#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files without Foundation (schema files, registry bundles, generator inputs).
public enum TextFile {
    /// The contents of a UTF-8 text file.
    public static func read(_ path: String, limit: Int? = nil) throws(TemplateError) -> String {
        let bytes = try readBytes(path, limit: limit)
        if let limit, bytes.count > limit {
            throw TemplateError.io(path: path, message: "the file is larger than \(limit) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TemplateError.io(path: path, message: "the file is not valid UTF-8 text")
        }
        return text
    }

    /// The bytes of a file: at most `limit + 1` of them with a `limit` (reading stops there),
    /// and never a wait without end on a FIFO nobody writes to (see `readAll`).
    public static func readBytes(_ path: String, limit: Int? = nil) throws(TemplateError) -> [UInt8] {
        let descriptor = openForReading(path)
        guard descriptor >= 0 else {
            throw TemplateError.io(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        do {
            return try readAll(descriptor, limit: limit, waitSeconds: readTimeoutSeconds)
        } catch {
            throw TemplateError.io(path: path, message: "cannot read: \(error.message)")
        }
    }

    /// Why `readAll` stopped.
    public struct ReadFailure: Error, Sendable {
        /// What went wrong, for a diagnostic after "cannot read: ".
        public let message: String
    }

    /// How long a read waits for a FIFO or socket to send anything: 30 seconds, or
    /// `FORMATION_READ_TIMEOUT` seconds when that is set to a positive integer.
    public static var readTimeoutSeconds: Int {
        if let value = getenv("FORMATION_READ_TIMEOUT"), let seconds = Int(String(cString: value)), seconds > 0 {
            return seconds
        }
        return 30
    }

    /// Opens `path` for reading (a negative descriptor and `errno` when it cannot). A FIFO opens
    /// at once, whether or not a writer has it open (`O_NONBLOCK`; `readAll` then waits for data
    /// with a limit); any other file is read blocking as usual.
    public static func openForReading(_ path: UnsafePointer<CChar>) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return descriptor }
        var info = stat()
        if fstat(descriptor, &info) == 0 && !waits(info) {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        }
        return descriptor
    }

    /// Whether reading a file of this kind can wait for another process (a FIFO or a socket).
    static func waits(_ info: stat) -> Bool {
        let kind = info.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK
    }

    /// Everything `descriptor` holds, up to `limit + 1` bytes with a `limit`. From a FIFO or a
    /// socket, a wait of more than `waitSeconds` for the next bytes is a failure (a FIFO that no
    /// process opens for writing would otherwise block forever); with `waitSeconds` nil (standard
    /// input, which the user pipes on purpose) the wait has no limit.
    public static func readAll(_ descriptor: Int32, limit: Int?, waitSeconds: Int?) throws(ReadFailure) -> [UInt8] {
        var info = stat()
        let waiting = fstat(descriptor, &info) == 0 && waits(info) ? waitSeconds : nil
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var wanted = buffer.count
            if let limit { wanted = min(wanted, limit + 1 - bytes.count) }
            if wanted <= 0 { break }
            if let seconds = waiting {
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&request, 1, Int32(clamping: seconds * 1000))
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw ReadFailure(message: String(cString: strerror(errno)))
                }
                if ready == 0 {
                    throw ReadFailure(message: "nothing arrived for \(seconds) second\(seconds == 1 ? "" : "s"); it is a FIFO or socket that no process writes to (FORMATION_READ_TIMEOUT=SECONDS waits longer)")
                }
            }
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, wanted) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ReadFailure(message: String(cString: strerror(errno)))
            }
            bytes.append(contentsOf: buffer[0..<count])
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

/// POSIX `read`, by a name the `TextFile.read` methods do not shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
