import CSystem
import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing files without Foundation. Every message names the path and the reason.
enum Files {
    /// The name to show for a path (`-` is standard input). A path given on the command line
    /// in bytes that are not UTF-8 shows each such byte as `\xFF`.
    static func displayName(_ path: String) -> String {
        if path == "-" { return "<stdin>" }
        guard let raw = rawArgument(path) else { return path }
        var shown = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                shown.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in raw[offset..<(offset + length)] {
                    let hex = String(byte, radix: 16, uppercase: true)
                    shown += "\\x" + (hex.count == 1 ? "0" : "") + hex
                }
                offset += length
            case .emptyInput:
                return shown
            }
        }
    }

    /// The bytes of the command-line argument that `path` came from, when they are not UTF-8:
    /// Swift hands such an argument over with U+FFFD in place of each bad byte, which names no
    /// file, so the file is opened by the argument's own bytes. Also finds `--option=path`.
    static func rawArgument(_ path: String) -> [UInt8]? {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return nil }
        for index in 0..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument)))
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            if String(decoding: bytes, as: UTF8.self) == path { return bytes }
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")),
               String(decoding: bytes[(equals + 1)...], as: UTF8.self) == path {
                return Array(bytes[(equals + 1)...])
            }
        }
        return nil
    }

    /// `path` as the C string to open: the argument's own bytes when it was not UTF-8.
    static func systemPath(_ path: String) -> [CChar] {
        guard let raw = rawArgument(path) else { return Array(path.utf8CString) }
        return raw.map { CChar(bitPattern: $0) } + [0]
    }

    /// The bytes of `path`, or of standard input when `path` is `-`. With a `limit`, reading
    /// stops once more than `limit` bytes are in (so the result has at most `limit + 1`).
    static func readBytes(_ path: String, limit: Int? = nil) throws(CLIError) -> [UInt8] {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            let systemPath = systemPath(path)
            var info = stat()
            if stat(systemPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                throw .failure("cannot read '\(displayName(path))': it is a directory")
            }
            descriptor = TextFile.openForReading(systemPath)
            guard descriptor >= 0 else {
                throw .failure("cannot read '\(displayName(path))': \(lastError())")
            }
        }
        defer { if descriptor != 0 { close(descriptor) } }
        do {
            // Standard input is piped on purpose: it may take its time.
            return try TextFile.readAll(descriptor, limit: limit, waitSeconds: path == "-" ? nil : TextFile.readTimeoutSeconds)
        } catch {
            throw .failure("cannot read '\(displayName(path))': \(error.message)")
        }
    }

    /// The UTF-8 text of `path` (or standard input for `-`).
    static func readText(_ path: String) throws(CLIError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .failure("cannot read '\(displayName(path))': it is not UTF-8 text")
        }
        return text
    }

    /// Whether `path` exists at all (file, directory or anything else).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its missing parents; fine when it already is a directory.
    static func makeDirectory(_ path: String) throws(CLIError) {
        if isDirectory(path) { return }
        if exists(path) {
            throw .failure("cannot use '\(path)' as the output directory: it exists and is not a directory")
        }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if !isDirectory(prefix) {
                if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                    throw .failure("cannot create the output directory '\(path)': \(prefix): \(lastError())")
                }
                if !isDirectory(prefix) {
                    throw .failure("cannot create the output directory '\(path)': '\(prefix)' exists and is not a directory")
                }
            }
            prefix += "/"
        }
    }

    /// `strerror(errno)` as a string.
    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// `directory/name` (one slash between them).
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// A hidden sibling of `path` for temporary use: `dir/.name.<tag>-<pid>`.
    static func sibling(of path: String, tag: String) -> String {
        let directory = directory(of: path)
        let hidden = ".\(baseName(of: path)).\(tag)-\(getpid())"
        return directory == "." && !path.hasPrefix("./") ? hidden : "\(directory == "/" ? "" : directory)/\(hidden)"
    }
}

/// Files written together: every one replaces its destination, or none does.
///
/// `stage` writes each file under a hidden temporary name beside its destination (and flushes it
/// to disk); `commit` renames them into place. Should any step fail, the destinations that were
/// already replaced get their previous contents back (kept as hard links until the end), files
/// that did not exist before are removed, and every temporary file is deleted. Files whose
/// content is already identical are left alone, so their modification times do not change.
struct FileTransaction {
    /// What happened to one destination.
    enum Outcome: Equatable {
        /// The file was created or replaced.
        case written
        /// The file already had exactly these bytes.
        case unchanged
    }

    private struct Entry {
        let destination: String
        let temporary: String?
        let byteCount: Int
    }

    private var entries: [Entry] = []
    /// Bytes written to temporary files so far (for the fault-test limit below).
    private var bytesWritten = 0

    /// A test seam for the write path's fault tests: with `FORMATION_TEST_WRITE_LIMIT=N` in the
    /// environment, a run's writes fail as on a full disk (ENOSPC) once N bytes are written.
    static let testWriteLimit: Int? = getenv("FORMATION_TEST_WRITE_LIMIT").flatMap { Int(String(cString: $0)) }

    /// Writes `text` to a temporary file beside `destination`.
    mutating func stage(_ text: String, at destination: String) throws(CLIError) {
        try stage(bytes: Array(text.utf8), at: destination)
    }

    /// Writes `bytes` to a temporary file beside `destination`. Staging a destination that is
    /// already staged is an error (two writes to one file in one transaction).
    mutating func stage(bytes: [UInt8], at destination: String) throws(CLIError) {
        if entries.contains(where: { $0.destination == destination }) {
            discard()
            throw .failure("cannot write '\(destination)' twice in one run")
        }
        if !Files.isDirectory(destination), let existing = try? Files.readBytes(destination), existing == bytes {
            entries.append(Entry(destination: destination, temporary: nil, byteCount: bytes.count))
            return
        }
        let temporary = Files.sibling(of: destination, tag: "tmp")
        guard let file = fopen(temporary, "wb") else {
            let reason = Files.lastError()
            discard()
            throw .failure("cannot write into '\(Files.directory(of: destination))': \(reason)")
        }
        var allowed = bytes.count
        if let limit = Self.testWriteLimit { allowed = min(allowed, max(0, limit - bytesWritten)) }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, allowed, file) }
        bytesWritten += written
        let diskFull = allowed < bytes.count  // the fault test's full disk
        let flushed = fflush(file) == 0  // fsync'd in commit, all files at once
        let closed = fclose(file) == 0
        guard !diskFull, written == bytes.count, flushed, closed else {
            let reason = diskFull ? String(cString: strerror(ENOSPC)) : Files.lastError()
            unlink(temporary)
            discard()
            throw .failure("cannot write '\(destination)': \(reason)")
        }
        var existing = stat()
        if stat(destination, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG {
            chmod(temporary, existing.st_mode & 0o7777)  // keep the mode the user gave the file
        }
        entries.append(Entry(destination: destination, temporary: temporary, byteCount: bytes.count))
    }

    /// Renames every staged file into place; on failure restores every destination as it was.
    /// Returns each destination with its outcome and size, in staging order.
    func commit() throws(CLIError) -> [(path: String, outcome: Outcome, bytes: Int)] {
        var replaced: [(destination: String, backup: String?)] = []
        func rollBack() {
            for done in replaced.reversed() {
                if let backup = done.backup {
                    rename(backup, done.destination)
                } else {
                    unlink(done.destination)
                }
            }
            discard()
        }
        // Every temporary file reaches the disk before any is renamed into place.
        if let (destination, reason) = Self.sync(entries.filter { $0.temporary != nil }) {
            discard()
            throw .failure("cannot write '\(destination)' to disk: \(reason); no file was changed")
        }
        for entry in entries {
            guard let temporary = entry.temporary else { continue }
            if Files.isDirectory(entry.destination) {
                rollBack()
                throw .failure("cannot write '\(entry.destination)': a directory is in the way; no file was changed")
            }
            var backup: String?
            if Files.exists(entry.destination) {
                let name = Files.sibling(of: entry.destination, tag: "bak")
                unlink(name)
                guard link(entry.destination, name) == 0 else {
                    let reason = Files.lastError()
                    rollBack()
                    throw .failure("cannot replace '\(entry.destination)': \(reason); no file was changed")
                }
                backup = name
            }
            guard rename(temporary, entry.destination) == 0 else {
                let reason = Files.lastError()
                if let backup { unlink(backup) }
                rollBack()
                throw .failure("cannot replace '\(entry.destination)': \(reason); no file was changed")
            }
            replaced.append((entry.destination, backup))
        }
        for done in replaced {
            if let backup = done.backup { unlink(backup) }
        }
        return entries.map { ($0.destination, $0.temporary == nil ? .unchanged : .written, $0.byteCount) }
    }

    /// Flushes the staged files to disk; the first failure's destination and reason. On Linux one
    /// `syncfs` per directory does it (staged files sit beside their destinations; one call
    /// instead of an fsync per file, which took a fifth of a whole synth of this repository);
    /// elsewhere `formation_syncfs` is an fsync, so each file gets one.
    private static func sync(_ staged: [Entry]) -> (String, String)? {
        var done: Set<String> = []
        for entry in staged {
            #if os(Linux)
            let scope = Files.directory(of: entry.destination)
            #else
            let scope = entry.destination
            #endif
            guard done.insert(scope).inserted else { continue }
            let descriptor = open(entry.temporary ?? "", O_RDONLY)
            guard descriptor >= 0 else { return (entry.destination, Files.lastError()) }
            defer { close(descriptor) }
            if formation_syncfs(descriptor) != 0 { return (entry.destination, Files.lastError()) }
        }
        return nil
    }

    /// Deletes every temporary file (nothing was renamed yet, or a rollback is under way).
    func discard() {
        for entry in entries {
            if let temporary = entry.temporary { unlink(temporary) }
        }
    }
}
