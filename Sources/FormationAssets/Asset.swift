#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Function code packaged deterministically from a file or folder: either inline source text
/// (for `Code.ZipFile`) or a ZIP named by its content hash (for `Code.S3Bucket`/`S3Key`).
///
/// ```swift
/// let root = try RepositoryRoot(containing: #filePath)
/// let asset = try Asset.package("stacks/functions/semantic-cache", root: root)
/// let handler = try asset.handler("handler.lambda_handler")   // checked against the code
/// switch asset.code {
/// case .inline(let code):
///     // Code: { ZipFile: code.source }, Handler: "index.lambda_handler"
/// case .zip(let zip):
///     try zip.write(toDirectory: "out/assets")                // out/assets/<sha256>.zip
///     // Code: { S3Bucket: bucket, S3Key: zip.s3Key(prefix: "assets/") }
/// }
/// ```
///
/// Same bytes in, same asset out: the result depends only on the relative paths and contents of
/// the packaged files — not on the order the disk lists them in, their timestamps, their modes,
/// the working directory or the machine.
///
/// Several paths can make one package (a function's folder and a folder of shared modules):
/// their files are merged at the archive's root, and a name two of them share is an error.
///
/// A folder is packaged without `__pycache__/`, `*.pyc`, `.DS_Store`, `.pytest_cache/`, folders
/// named `tests` and files named `test_*.py`, so a function's unit tests live beside it and are
/// never shipped. A single file given directly is packaged as it is.
public struct Asset: Sendable, Hashable {
    /// The packaged code: inline text or a ZIP.
    public enum Code: Sendable, Hashable {
        /// One small Python file, to be written into the template as `Code.ZipFile`.
        case inline(InlineCode)
        /// A ZIP archive, to be uploaded to S3 and named by `Code.S3Key`.
        case zip(ZipPackage)
    }

    /// CloudFormation's limit for inline code, in bytes: "This zip file cannot exceed 4MB"
    /// (the `AWS::Lambda::Function` `Code.ZipFile` documentation; CloudFormation zips the inline
    /// source into `index.py`). The registry schema gives `ZipFile` no `maxLength`; the old limit
    /// of 4,096 characters was lifted in 2022.
    ///
    /// The check is against the size of a stored (uncompressed) ZIP holding the source as
    /// `index.py`, an upper bound of the ZIP CloudFormation builds. The template's own limits
    /// (51,200 bytes as a `--template-body`, 1 MB from S3, checked by synthesis) usually bind
    /// first: pass a smaller `inlineLimit` to ``package(_:root:inlineLimit:)`` to keep templates
    /// small, or 0 to always build a ZIP.
    public static let cloudFormationInlineLimit = 4 * 1024 * 1024

    /// The packaged code.
    public let code: Code
    /// The paths the asset was packaged from, as given (relative to the root).
    public let sourcePaths: [String]
    /// The packaged files' paths inside the package (a folder's files relative to the folder, a
    /// single file by its name), sorted by their UTF-8 bytes.
    public let files: [String]

    /// Inline source text, when the asset is inline.
    public var inlineSource: String? {
        if case .inline(let code) = code { return code.source }
        return nil
    }

    /// The ZIP, when the asset is one.
    public var zip: ZipPackage? {
        if case .zip(let zip) = code { return zip }
        return nil
    }

    /// The SHA-256 hex digest of what is deployed: the source text's UTF-8 bytes, or the ZIP's bytes.
    public var sha256: String {
        switch code {
        case .inline(let code): code.sha256
        case .zip(let zip): zip.sha256
        }
    }

    /// Packages the file or folder at `path` (relative to `root`).
    ///
    /// The result is inline when the package is a single `.py` file at its root, of valid UTF-8
    /// text without NUL bytes, whose stored `index.py` ZIP fits in `inlineLimit` bytes;
    /// otherwise a ZIP.
    ///
    /// Throws ``AssetError/notFound(_:)`` when nothing is at `path`,
    /// ``AssetError/unreadable(_:reason:)`` when a file or folder cannot be read,
    /// ``AssetError/emptyFolder(_:)`` when no file is left to package,
    /// ``AssetError/unsupportedFileType(_:kind:)`` for sockets, devices and links to folders.
    public static func package(_ path: String, root: RepositoryRoot,
                               inlineLimit: Int = cloudFormationInlineLimit) throws(AssetError) -> Asset {
        try package([path], root: root, inlineLimit: inlineLimit)
    }

    /// Packages the files and folders at `paths` (relative to `root`) as one package, their
    /// files merged at its root; by the rules of ``package(_:root:inlineLimit:)``. A name found
    /// under two paths throws ``AssetError/duplicateArchivePath(_:)``.
    public static func package(_ paths: [String], root: RepositoryRoot,
                               inlineLimit: Int = cloudFormationInlineLimit) throws(AssetError) -> Asset {
        guard !paths.isEmpty else { throw .emptyFolder("(no path given)") }
        var files: [ArchiveFile] = []
        var displays: [String] = []
        for path in paths {
            let display = path.isEmpty ? "." : path
            displays.append(display)
            files += try read(display, at: root.resolve(path))
        }
        return try package(files: files, sourcePaths: displays, inlineLimit: inlineLimit)
    }

    /// Packages files already in memory (paths relative and `/`-separated), by the same rules
    /// as ``package(_:root:inlineLimit:)``; `sourcePaths` are only recorded.
    public static func package(files: [ArchiveFile], sourcePaths: [String],
                               inlineLimit: Int = cloudFormationInlineLimit) throws(AssetError) -> Asset {
        guard !files.isEmpty else { throw .emptyFolder(sourcePaths.joined(separator: " + ")) }
        let names = files.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // The same files packaged again (one function in several environments' stacks) give the
        // same code: it is built once per process, keyed by the files' paths and bytes.
        let key = PackageCache.Key(files: files, inlineLimit: inlineLimit)
        if let code = PackageCache.shared.code(for: key) {
            return Asset(code: code, sourcePaths: sourcePaths, files: names)
        }
        let code: Code
        if files.count == 1, let only = files.first, let inline = inlineCode(only, limit: inlineLimit) {
            try ZipWriter.checkPath(only.path)
            code = .inline(inline)
        } else {
            let bytes = try ZipWriter.archive(files)
            code = .zip(ZipPackage(bytes: bytes, sha256: SHA256.hexDigest(bytes), entries: files))
        }
        PackageCache.shared.store(code, for: key)
        return Asset(code: code, sourcePaths: sourcePaths, files: names)
    }

    /// The files of one path: a single file by its name, or a folder's files (skipping what is
    /// never shipped) relative to the folder.
    private static func read(_ display: String, at absolute: String) throws(AssetError) -> [ArchiveFile] {
        switch try FileSystem.kind(of: absolute, display: display) {
        case .file, .linkToFile:
            let name = display.split(separator: "/").last.map(String.init) ?? display
            return [ArchiveFile(path: name, contents: try FileSystem.readFile(absolute, display: display))]
        case .folder:
            var collected: [ArchiveFile] = []
            try collect(folder: absolute, display: display, prefix: "", into: &collected)
            guard !collected.isEmpty else { throw .emptyFolder(display) }
            return collected
        case .other(let kind):
            throw .unsupportedFileType(display, kind: kind)
        }
    }

    /// The `Handler` value for `entryPoint` (`module.function`, as the module is named in the
    /// source tree), checked against the packaged code.
    ///
    /// Inline code is written by CloudFormation as `index.py`, so `notifier.lambda_handler` for
    /// an inline `notifier.py` becomes `index.lambda_handler`; a ZIP keeps the entry point as
    /// given. Throws ``AssetError/handlerNotFound(_:reason:)`` when the module is not packaged or
    /// does not define the function at the top level (`def name(`, `async def name(`, `name =`
    /// or `from module import name` at the start of a line) — the mistake Lambda would
    /// otherwise report only when the function is first invoked.
    public func handler(_ entryPoint: String) throws(AssetError) -> String {
        guard let dot = entryPoint.lastIndex(of: "."),
              dot != entryPoint.startIndex, entryPoint.index(after: dot) != entryPoint.endIndex
        else {
            throw .handlerNotFound(entryPoint, reason: "an entry point is written module.function")
        }
        let module = String(entryPoint[..<dot])
        let function = String(entryPoint[entryPoint.index(after: dot)...])
        let modulePath = module.split(separator: ".", omittingEmptySubsequences: false).joined(separator: "/")
        let candidates = [modulePath + ".py", modulePath + "/__init__.py"]
        switch code {
        case .inline(let inline):
            guard candidates[0] == inline.fileName || module == "index" else {
                throw .handlerNotFound(entryPoint, reason: "the inline code is '\(inline.fileName)', not '\(candidates[0])'")
            }
            guard Self.defines(function, in: inline.source) else {
                throw .handlerNotFound(entryPoint, reason: "'\(inline.fileName)' defines no top-level '\(function)'")
            }
            return "index." + function
        case .zip(let zip):
            guard let file = candidates.lazy.compactMap({ name in zip.entries.first { $0.path == name } }).first else {
                throw .handlerNotFound(entryPoint, reason: "the package '\(sourcePaths.joined(separator: " + "))' has no '\(candidates[0])'")
            }
            guard Self.defines(function, in: String(decoding: file.contents, as: UTF8.self)) else {
                throw .handlerNotFound(entryPoint, reason: "'\(file.path)' defines no top-level '\(function)'")
            }
            return entryPoint
        }
    }

    // MARK: - Packaging rules

    /// Whether a name found inside a folder is left out of the package.
    static func isSkipped(_ name: String, isFolder: Bool) -> Bool {
        if isFolder {
            return name == "__pycache__" || name == "tests" || name == ".pytest_cache"
        }
        return name == ".DS_Store" || name.hasSuffix(".pyc") || (name.hasPrefix("test_") && name.hasSuffix(".py"))
    }

    private static func collect(folder: String, display: String, prefix: String,
                                into files: inout [ArchiveFile]) throws(AssetError) {
        for name in try FileSystem.list(folder, display: display) {
            let absolute = folder + "/" + name
            let shown = display + "/" + name
            switch try FileSystem.kind(of: absolute, display: shown) {
            case .folder:
                if isSkipped(name, isFolder: true) { continue }
                try collect(folder: absolute, display: shown, prefix: prefix + name + "/", into: &files)
            case .file, .linkToFile:
                if isSkipped(name, isFolder: false) { continue }
                files.append(ArchiveFile(path: prefix + name, contents: try FileSystem.readFile(absolute, display: shown)))
            case .other(let kind):
                if isSkipped(name, isFolder: false) { continue }
                throw .unsupportedFileType(shown, kind: kind)
            }
        }
    }

    private static func inlineCode(_ file: ArchiveFile, limit: Int) -> InlineCode? {
        guard file.path.hasSuffix(".py"), !file.path.contains("/"), !file.contents.contains(0),
              ZipWriter.archiveSize([ArchiveFile(path: "index.py", contents: file.contents)]) <= limit,
              let source = String(validating: file.contents, as: UTF8.self)
        else { return nil }
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        return InlineCode(source: source, fileName: name, sha256: SHA256.hexDigest(file.contents))
    }

    /// Whether `source` defines `name` at the top level: `def name(`, `async def name(`,
    /// `name =`, `name: T =`, or `from module import …name…` (also `as name`).
    static func defines(_ name: String, in source: String) -> Bool {
        // Lines are split on bytes (a CR or LF byte is never part of a multi-byte character), and
        // only lines that start like a definition are looked at as text.
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard let nameStart = name.utf8.first else { return false }
        let starts: Set<UInt8> = [UInt8(ascii: "d"), UInt8(ascii: "a"), UInt8(ascii: "f"), nameStart]
        for bytes in source.utf8.split(whereSeparator: { $0 == cr || $0 == lf }) {
            guard let first = bytes.first, starts.contains(first) else { continue }
            let line = Substring(bytes)
            for prefix in ["def ", "async def "] where line.hasPrefix(prefix) {
                let rest = line.dropFirst(prefix.count)
                if rest.hasPrefix(name), rest.dropFirst(name.count).drop(while: { $0 == " " }).hasPrefix("(") { return true }
            }
            if line.hasPrefix(name) {
                let rest = line.dropFirst(name.count).drop(while: { $0 == " " })
                if rest.hasPrefix("="), !rest.hasPrefix("==") { return true }
                if rest.hasPrefix(":") { return true }
            }
            if line.hasPrefix("from "), let range = line.firstRange(of: " import ") {
                let imported = line[range.upperBound...].split(separator: "#", maxSplits: 1).first ?? ""
                for item in imported.split(separator: ",") {
                    let words = item.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" })
                    if words.last.map(String.init) == name { return true }
                }
            }
        }
        return false
    }
}

/// One Python file to be written inline into the template (`Code.ZipFile`).
public struct InlineCode: Sendable, Hashable {
    /// The source text, exactly as on disk.
    public let source: String
    /// The file's name in the source tree (`notifier.py`); CloudFormation names it `index.py`.
    public let fileName: String
    /// The SHA-256 hex digest of the source's bytes.
    public let sha256: String
}

/// A deterministic ZIP, named by its content hash, to be written beside the templates and
/// uploaded to S3.
public struct ZipPackage: Sendable, Hashable {
    /// The archive's bytes.
    public let bytes: [UInt8]
    /// The SHA-256 hex digest of ``bytes``.
    public let sha256: String
    /// The files in the archive, as given.
    let entries: [ArchiveFile]

    /// The file name: `<sha256>.zip`.
    public var fileName: String { sha256 + ".zip" }

    /// The S3 object key: `prefix` followed by ``fileName`` (`assets/3f2a….zip`). A content hash
    /// in the key means a changed package is a new key, which is what makes CloudFormation
    /// update the function's code.
    public func s3Key(prefix: String = "") -> String {
        prefix + fileName
    }

    /// Writes the archive as `<directory>/<sha256>.zip` (the folder must exist) and returns that
    /// path. Writing is atomic: a temporary file renamed into place.
    @discardableResult
    public func write(toDirectory directory: String) throws(AssetError) -> String {
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + fileName
        try FileSystem.writeFile(path, bytes: bytes, display: path)
        return path
    }
}

/// Code already packaged in this process, by the exact files (paths and bytes) and inline limit.
final class PackageCache: @unchecked Sendable {
    // @unchecked: `entries` is only touched under `lock`.
    static let shared = PackageCache()

    struct Key: Hashable {
        let files: [ArchiveFile]
        let inlineLimit: Int

        func hash(into hasher: inout Hasher) {
            hasher.combine(inlineLimit)
            hasher.combine(files.count)
            for file in files {
                hasher.combine(file.path)
                hasher.combine(file.contents.count)
                file.contents.withUnsafeBytes { hasher.combine(bytes: $0) }
            }
        }
    }

    private var entries: [Key: Asset.Code] = [:]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    private init() { pthread_mutex_init(lock, nil) }

    func code(for key: Key) -> Asset.Code? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return entries[key]
    }

    func store(_ code: Asset.Code, for key: Key) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        entries[key] = code
    }
}
