import Foundation
@testable import FormationAssets

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("formation-assets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Writes `text` (or `bytes`) at `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw TestFailure("cannot create \(full)")
        }
        return full
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    /// Sets a file's modification time (seconds since 1970).
    func touch(_ relative: String, mtime: Int) throws {
        var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path + "/" + relative, &times, 0) == 0 else {
            throw TestFailure("utimensat failed on \(relative)")
        }
    }

    func chmod(_ relative: String, _ mode: mode_t) throws {
        guard Foundation.chmod(path + "/" + relative, mode) == 0 else { throw TestFailure("chmod failed on \(relative)") }
    }

    func symlink(_ relative: String, to target: String) throws {
        guard Foundation.symlink(target, path + "/" + relative) == 0 else {
            throw TestFailure("symlink failed on \(relative)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    var root: RepositoryRoot { RepositoryRoot(path: path) }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `python3 -c script args…`; throws when Python is missing or the script fails, with its
/// standard error (so a test depending on it fails rather than passes silently).
func python(_ script: String, _ arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure("python3 exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
    }
    return String(decoding: out, as: UTF8.self)
}

/// The repository this test file is in.
func repositoryRoot() throws -> RepositoryRoot {
    try RepositoryRoot(containing: #filePath)
}
