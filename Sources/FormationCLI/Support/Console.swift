import Formation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard streams: templates and listings to stdout, diagnostics and progress to stderr.
/// Writes go straight to the file descriptors (no buffering to flush, no interleaving surprises).
enum Console {
    /// Writes `text` to stdout as is.
    static func out(_ text: String) {
        writeAll(1, text)
    }

    /// Writes one line to stderr, its control characters shown as escapes (`\u{1B}`): a line
    /// quotes values from files nobody vetted, and a terminal would obey an escape sequence in a
    /// resource type or a logical ID (clear the screen, retitle the window, overwrite the line
    /// with a carriage return). Only the palette's own colors pass, and only when it paints.
    static func err(_ line: String) {
        writeAll(2, TerminalText.visible(line, colors: Palette.stderr.enabled) + "\n")
    }

    /// Why a write to stdout failed (a full disk, an I/O error), the first time it did: the
    /// command then fails even if it succeeded otherwise, since what it wrote is incomplete.
    /// A reader that stopped reading (`| head`, EPIPE) is not a failure.
    private static let outputFailure = Mutex<String?>(nil)

    /// The failure `out` met since the last call, if any, and forgets it.
    static func takeOutputFailure() -> String? {
        outputFailure.withLock { failure in
            defer { failure = nil }
            return failure
        }
    }

    /// Writes every byte to a file descriptor, retrying short and interrupted writes.
    private static func writeAll(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if descriptor == 1 && errno != EPIPE {
                    let reason = String(cString: strerror(errno))
                    outputFailure.withLock { if $0 == nil { $0 = reason } }
                }
                return  // stdout closed (e.g. `| head`): nothing sensible left to do
            }
            offset += written
        }
    }
}

/// ANSI colors for one output stream: on only when that stream is a terminal, `NO_COLOR` is unset
/// and `TERM` is not `dumb`. Templates are never colored (`formation synth` writes them to stdout,
/// which is then usually a pipe or a file; and nothing paints them anyway).
struct Palette: Sendable {
    /// Whether this palette paints.
    let enabled: Bool

    /// Colors for stderr (diagnostics, progress), decided once per process.
    static let stderr = Palette(enabled: terminalWantsColor(descriptor: 2))
    /// Colors for stdout (diff reports), decided once per process.
    static let stdout = Palette(enabled: terminalWantsColor(descriptor: 1))

    /// Whether `descriptor` is a terminal that should get colors.
    static func terminalWantsColor(descriptor: Int32) -> Bool {
        guard isatty(descriptor) == 1 else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    /// Errors, removals, data loss.
    func red(_ text: String) -> String { paint(text, "1;31") }
    /// Warnings, changes.
    func yellow(_ text: String) -> String { paint(text, "1;33") }
    /// Additions.
    func green(_ text: String) -> String { paint(text, "1;32") }
    /// Notes.
    func cyan(_ text: String) -> String { paint(text, "1;36") }
    /// Headings and locations.
    func bold(_ text: String) -> String { paint(text, "1") }

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Terminal colors for stderr: on only when stderr is a terminal, `NO_COLOR` is unset and
/// `TERM` is not `dumb`. Nothing on stdout is colored here (stdout carries templates); diff
/// reports on stdout use `Palette.stdout`.
enum Style {
    /// Whether stderr gets ANSI colors, decided once per process.
    static var enabled: Bool { Palette.stderr.enabled }

    static func red(_ text: String) -> String { Palette.stderr.red(text) }
    static func yellow(_ text: String) -> String { Palette.stderr.yellow(text) }
    static func cyan(_ text: String) -> String { Palette.stderr.cyan(text) }
    static func bold(_ text: String) -> String { Palette.stderr.bold(text) }
}
