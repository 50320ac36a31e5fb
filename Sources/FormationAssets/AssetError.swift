import Formation

/// Why an asset could not be read, packaged or written. Every case names the path it is about,
/// as the caller wrote it (relative paths stay relative, so messages are the same on every machine).
public enum AssetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(String)
    /// The path exists but could not be read; `reason` is the system's explanation.
    case unreadable(String, reason: String)
    /// A folder with no file left to package once skipped names are removed.
    case emptyFolder(String)
    /// Something other than a regular file or folder (a socket, a device, a link to a folder…).
    case unsupportedFileType(String, kind: String)
    /// A file or folder name that is not valid UTF-8 (a ZIP entry name must be).
    case invalidFileName(String)
    /// A path inside an archive that a ZIP reader could misplace.
    case invalidArchivePath(String, reason: String)
    /// Two entries with the same path inside one archive.
    case duplicateArchivePath(String)
    /// More than a ZIP without ZIP64 can hold.
    case archiveTooLarge(String)
    /// No `Package.swift` in the folder of the given file or in any folder above it.
    case repositoryRootNotFound(String)
    /// A handler entry point (`module.function`) that the packaged code does not define.
    case handlerNotFound(String, reason: String)
    /// Writing the asset file failed.
    case writeFailed(String, reason: String)

    /// The message, naming the path and what is wrong with it.
    public var description: String {
        switch self {
        case .notFound(let path):
            "asset path '\(path)' does not exist"
        case .unreadable(let path, let reason):
            "asset path '\(path)' cannot be read: \(reason)"
        case .emptyFolder(let path):
            "asset folder '\(path)' has no file to package (skipped: __pycache__, *.pyc, .DS_Store, .pytest_cache, tests/, test_*.py)"
        case .unsupportedFileType(let path, let kind):
            "asset path '\(path)' is \(kind); only regular files and folders can be packaged"
        case .invalidFileName(let path):
            "asset path '\(path)' has a name that is not valid UTF-8"
        case .invalidArchivePath(let path, let reason):
            "archive path '\(path)' is invalid: \(reason)"
        case .duplicateArchivePath(let path):
            "archive path '\(path)' appears twice"
        case .archiveTooLarge(let reason):
            "archive too large: \(reason)"
        case .repositoryRootNotFound(let path):
            "no Package.swift found in the folder of '\(path)' or any folder above it"
        case .handlerNotFound(let entryPoint, let reason):
            "handler '\(entryPoint)' not found: \(reason)"
        case .writeFailed(let path, let reason):
            "cannot write asset '\(path)': \(reason)"
        }
    }

    /// The stable diagnostic code for this kind of failure.
    public var code: String {
        switch self {
        case .notFound: DiagnosticCode.assetNotFound
        case .unreadable, .unsupportedFileType, .invalidFileName: DiagnosticCode.assetUnreadable
        case .emptyFolder: DiagnosticCode.assetEmpty
        case .invalidArchivePath, .duplicateArchivePath, .archiveTooLarge: DiagnosticCode.assetArchive
        case .repositoryRootNotFound: DiagnosticCode.assetRootNotFound
        case .handlerNotFound: DiagnosticCode.assetHandlerNotFound
        case .writeFailed: DiagnosticCode.assetWriteFailed
        }
    }

    /// This failure as an error diagnostic of the construct at `path` (for the construct that
    /// turns an asset into a function, so synthesis reports it like any other finding).
    public func diagnostic(path: String, property: String? = nil) -> Diagnostic {
        let message = property.map { "\($0): \(description)" } ?? description
        return .error(code, path: path, property: property, message)
    }
}

extension DiagnosticCode {
    /// An asset path that does not exist.
    public static let assetNotFound = "FM5001"
    /// An asset path that cannot be read, or is not a regular file or folder.
    public static let assetUnreadable = "FM5002"
    /// An asset folder with nothing to package.
    public static let assetEmpty = "FM5003"
    /// An archive that cannot be written as a plain ZIP.
    public static let assetArchive = "FM5004"
    /// No repository root above a source file.
    public static let assetRootNotFound = "FM5005"
    /// A Lambda handler entry point the packaged code does not define.
    public static let assetHandlerNotFound = "FM5006"
    /// An asset file that could not be written.
    public static let assetWriteFailed = "FM5007"
}
