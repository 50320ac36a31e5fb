import ArgumentParser
import Formation

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
            bytes = try Files.readBytes(path, limit: maximumBytes)
        } catch {
            throw .unreadable(error.messages)
        }
        do {
            return try TextFile.templateText(bytes, file: Files.displayName(path), maximumBytes: maximumBytes)
        } catch {
            throw .invalid(error)
        }
    }
}
