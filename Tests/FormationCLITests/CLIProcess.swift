import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a command-line process produced.
struct CLIResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Whether the process ended by a signal (a crash) rather than by exiting; `status` is then
    /// the signal's number.
    var signaled = false

    var description: String { "\(signaled ? "signal" : "exit") \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Errors of the test harness itself (not of the program under test).
struct HarnessError: Error, CustomStringConvertible {
    let description: String
}

/// Runs the built executables as real processes.
enum CLI {
    /// The directory holding the built executables: `FORMATION_BIN_DIR`, or the directory of the
    /// running test binary (SwiftPM puts test bundles and executables side by side).
    static let binDirectory: String = {
        if let dir = ProcessInfo.processInfo.environment["FORMATION_BIN_DIR"], !dir.isEmpty { return dir }
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (exe as NSString).deletingLastPathComponent
        }
        #endif
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return (bundle.bundlePath as NSString).deletingLastPathComponent
        }
        return (CommandLine.arguments[0] as NSString).deletingLastPathComponent
    }()

    /// `formation` for this repository's app.
    static var formation: String { binDirectory + "/formation" }
    /// `formation-cli-testapp`, the command line for the test app (see `CLITestApp`).
    static var testApp: String { binDirectory + "/formation-cli-testapp" }

    /// Runs `executable` with `arguments`; stdin from `stdin` (empty when nil), stdout and stderr
    /// captured separately, in `directory` when given.
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    in directory: String? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessError(description: "\(executable) is not built (looked in \(binDirectory); set FORMATION_BIN_DIR)")
        }
        let scratch = try TemporaryDirectory()
        let outPath = scratch.path + "/stdout", errPath = scratch.path + "/stderr", inPath = scratch.path + "/stdin"
        for (path, contents) in [(outPath, Data()), (errPath, Data()), (inPath, Data((stdin ?? "").utf8))] {
            guard FileManager.default.createFile(atPath: path, contents: contents) else {
                throw HarnessError(description: "cannot create \(path)")
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        try output.close(); try error.close(); try input.close()
        return CLIResult(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8),
            signaled: process.terminationReason == .uncaughtSignal)
    }

    /// Runs the test app's command line.
    static func app(_ arguments: String..., stdin: String? = nil, in directory: String? = nil) throws -> CLIResult {
        try run(testApp, arguments, stdin: stdin, in: directory)
    }

    /// Runs `executable` without root's power to ignore file permissions: as is for other users,
    /// through `setpriv` as user and group 65534 (nobody) for root.
    static func runUnprivileged(_ executable: String, _ arguments: [String]) throws -> CLIResult {
        guard getuid() == 0 else { return try run(executable, arguments) }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw HarnessError(description: "running as root and \(setpriv) is missing: cannot test permission errors")
        }
        return try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments)
    }

    /// Runs `executable` with stderr on a pseudo-terminal (stdout and stdin stay plain files), and
    /// returns what it wrote to the terminal.
    static func runWithTerminalStderr(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, terminal: String) {
        try runWithTerminal(executable, arguments, on: 2, environment: environment)
    }

    /// Runs `executable` with one stream (`descriptor` 1, stdout, or 2, stderr) on a
    /// pseudo-terminal, the other and stdin plain, and returns what it wrote to the terminal.
    static func runWithTerminal(_ executable: String, _ arguments: [String], on descriptor: Int32,
                                environment: [String: String] = [:]) throws -> (status: Int32, terminal: String) {
        // posix_openpt/grantpt/unlockpt/ptsname are not exported by the Glibc module: do what
        // they do on Linux (open the multiplexer, unlock the terminal, ask for its number).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        let tiocsptlck: UInt = 0x4004_5431, tiocgptn: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, tiocsptlck, &unlock) == 0, ioctl(master, tiocgptn, &number) == 0 else {
            throw HarnessError(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        defer { close(master) }
        let slavePath = "/dev/pts/\(number)"
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw HarnessError(description: "cannot open \(slavePath)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = descriptor == 2 ? terminal : FileHandle.nullDevice
        process.standardOutput = descriptor == 1 ? terminal : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        close(slave)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count <= 0 { break }  // EIO once the terminal's other end is closed and drained
            bytes.append(contentsOf: buffer[0..<count])
        }
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }
}

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/formation-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The entries of `subdirectory` (or of the directory itself), sorted, hidden ones included.
    func entries(_ subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : path + "/" + subdirectory).sorted()
    }

    /// The bytes of a file below the directory.
    func bytes(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
    }

    /// Writes a file below the directory.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }
}
