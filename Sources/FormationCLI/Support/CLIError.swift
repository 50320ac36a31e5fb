/// A problem that ends a command: a usage error (exit 2) or a failure (exit 1).
///
/// The runner prints each message as `error: message` on stderr. Diagnostics already printed by
/// a command end it with `ExitCode(1)` instead, so nothing is said twice.
enum CLIError: Error, Sendable {
    /// The command line asks for something impossible (unknown stack, conflicting arguments).
    case usage([String])
    /// The command could not do its job (unreadable file, uncreatable directory, …).
    case failure([String])

    /// A usage error with one message.
    static func usage(_ message: String) -> CLIError { .usage([message]) }
    /// A failure with one message.
    static func failure(_ message: String) -> CLIError { .failure([message]) }

    /// The process exit status this error ends with.
    var exitStatus: Int32 {
        switch self {
        case .usage: ExitStatus.usage
        case .failure: ExitStatus.failure
        }
    }

    /// The messages, one per problem.
    var messages: [String] {
        switch self {
        case .usage(let messages), .failure(let messages): messages
        }
    }
}

/// The exit statuses of `formation`.
enum ExitStatus {
    /// Everything worked.
    static let success: Int32 = 0
    /// Diagnostics with errors, a failed check, or an I/O failure.
    static let failure: Int32 = 1
    /// The command line itself is wrong.
    static let usage: Int32 = 2
}
