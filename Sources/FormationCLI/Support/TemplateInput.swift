import ArgumentParser
import Formation
import Synchronization

/// `--max-size`, for the commands that read template files users did not write.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("max-size"),
            help: ArgumentHelp("Refuse input larger than this many bytes (default: 1048576, CloudFormation's limit on a template in S3); also bounds YAML alias expansion to one node per byte.",
                               valueName: "bytes"))
    var maximumBytes: Int = ParseLimits.cloudFormationMaximumBytes

    func validate() throws {
        guard maximumBytes > 0 else { throw ValidationError("--max-size must be a positive number of bytes") }
    }
}

/// Reading a template file within the limits on input (README: "Limits on input").
enum TemplateInput {
    /// Why a template file could not be read.
    enum Failure: Error {
        /// The file could not be read at all (missing, a directory, unreadable): the messages.
        case unreadable([String])
        /// The bytes are not a template's text (too large, not UTF-8): an error at a position.
        case invalid(TemplateError)
    }

    /// The text of `path` (`-` is stdin): read up to one byte past `maximumBytes`, then
    /// refused if that byte is there or if the bytes are not UTF-8.
    static func text(_ path: String, maximumBytes: Int) throws(Failure) -> String {
        let bytes: [UInt8]
        do {
            bytes = try Self.bytes(path, limit: maximumBytes)
        } catch {
            throw .unreadable(error.messages)
        }
        do {
            return try TextFile.templateText(bytes, file: Files.displayName(path), maximumBytes: maximumBytes)
        } catch {
            throw .invalid(error)
        }
    }

    /// What each path read so far gave, and the limit it was read with: a command that looks
    /// at a file more than once (import validates, then imports, then init copies it) sees the
    /// same bytes each time, and standard input or a FIFO, which give their bytes once, is not
    /// read again (a second read would find nothing, or wait for a writer that never comes).
    private static let cache = Mutex<[String: (bytes: [UInt8], limit: Int?)]>([:])

    /// The bytes of `path` (`-` is stdin), read once per process: at most `limit + 1` of them.
    static func bytes(_ path: String, limit: Int?) throws(CLIError) -> [UInt8] {
        if let cached = cache.withLock({ $0[path] }) {
            // A read that was cut short by a smaller limit cannot answer a larger one.
            let complete = cached.limit.map { cached.bytes.count <= $0 } ?? true
            if complete || cached.limit == limit {
                if let limit, cached.bytes.count > limit + 1 { return Array(cached.bytes[0...limit]) }
                return cached.bytes
            }
        }
        let bytes = try Files.readBytes(path, limit: limit)
        cache.withLock { $0[path] = (bytes, limit) }
        return bytes
    }
}
