/// The folder asset paths are resolved against: the repository root, found from a source file.
///
/// ```swift
/// // In stacks/FunctionCode.swift: works whatever the working directory of `formation synth`.
/// let root = try RepositoryRoot(containing: #filePath)
/// let asset = try Asset.package("stacks/functions/notifier", root: root)
/// ```
///
/// The absolute path lives only here, to open files: nothing derived from it reaches a template,
/// and packaging errors name paths as the caller wrote them (relative to this root).
public struct RepositoryRoot: Sendable, Hashable {
    /// The root folder's path (absolute when found from a source file).
    public let path: String

    /// A root at `path`, absolute or relative to the working directory; not checked until used.
    public init(path: String) {
        self.path = path
    }

    /// The nearest folder holding `marker` (default `Package.swift`), starting at the folder of
    /// `filePath` and walking up. Pass `#filePath` from a file inside the repository. A relative
    /// `filePath` is taken from the working directory.
    public init(containing filePath: String = #filePath, marker: String = "Package.swift") throws(AssetError) {
        var absolute = filePath
        if !absolute.hasPrefix("/") {
            guard let cwd = FileSystem.currentDirectory() else { throw .repositoryRootNotFound(filePath) }
            absolute = cwd + "/" + absolute
        }
        var components = absolute.split(separator: "/").map(String.init)
        // Start at the file's folder (or at the path itself, when it is a folder).
        if !FileSystem.isFolder(absolute), !components.isEmpty { components.removeLast() }
        while true {
            let folder = "/" + components.joined(separator: "/")
            let candidate = (folder == "/" ? "" : folder) + "/" + marker
            if FileSystem.isFile(candidate) {
                self.path = folder
                return
            }
            guard !components.isEmpty else { throw .repositoryRootNotFound(filePath) }
            components.removeLast()
        }
    }

    /// The path of `relative` under the root (an absolute `relative` is returned unchanged).
    public func resolve(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        if relative.isEmpty || relative == "." { return path }
        return path.hasSuffix("/") ? path + relative : path + "/" + relative
    }
}
