/// An error reading or writing a template document.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not valid JSON or YAML; `line` and `column` are 1-based.
    case syntax(file: String?, line: Int, column: Int, message: String)
    /// The document parsed but its shape is wrong at `path`.
    case structure(path: String, message: String)
    /// A value cannot be written in the requested format (for example a non-finite number).
    case unrepresentable(path: String, message: String)
    /// A file could not be read or written.
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .syntax(let file, let line, let column, let message):
            return "\(file ?? "<input>"):\(line):\(column): \(message)"
        case .structure(let path, let message):
            return path.isEmpty ? message : "\(path): \(message)"
        case .unrepresentable(let path, let message):
            return path.isEmpty ? message : "\(path): \(message)"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }

    /// The same error with the file name filled in (for errors raised on in-memory text).
    public func inFile(_ file: String) -> TemplateError {
        if case .syntax(nil, let line, let column, let message) = self {
            return .syntax(file: file, line: line, column: column, message: message)
        }
        return self
    }
}

/// The two document formats Formation reads and writes.
public enum TemplateFormat: String, Sendable, CaseIterable {
    case json
    case yaml

    /// The usual file extension (`json`, `yaml`).
    public var fileExtension: String { rawValue }

    /// The format a file name suggests (`.json`, `.yaml`/`.yml`/`.template`), if any.
    public static func guess(fromPath path: String) -> TemplateFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
        return nil
    }
}
