import Formation
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

    /// Writes one line to stderr.
    static func err(_ line: String) {
        writeAll(2, line + "\n")
    }

    /// Writes every byte to a file descriptor, retrying short and interrupted writes.
    private static func writeAll(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // stdout closed (e.g. `| head`): nothing sensible left to do
            }
            offset += written
        }
    }
}

/// Terminal colors for stderr: on only when stderr is a terminal, `NO_COLOR` is unset and
/// `TERM` is not `dumb`. Nothing else is ever colored (stdout carries templates).
enum Style {
    /// Whether stderr gets ANSI colors, decided once per process.
    static let enabled: Bool = {
        guard isatty(2) == 1 else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }()

    static func red(_ text: String) -> String { paint(text, "1;31") }
    static func yellow(_ text: String) -> String { paint(text, "1;33") }
    static func cyan(_ text: String) -> String { paint(text, "1;36") }
    static func bold(_ text: String) -> String { paint(text, "1") }

    private static func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
