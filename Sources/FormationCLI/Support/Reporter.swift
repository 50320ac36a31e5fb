import ArgumentParser
import Formation

/// `--quiet`, shared by every command.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print errors only: no warnings, no progress lines.")
    var quiet = false
}

/// `--quiet` and `--strict`, for the commands that synthesize or validate.
struct CheckOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print errors only: no warnings, no progress lines.")
    var quiet = false

    @Flag(help: "Treat warnings as errors: any warning fails the command and nothing is written.")
    var strict = false
}

/// Prints diagnostics and progress on stderr and counts what it printed.
///
/// Errors are always printed. Warnings are printed unless `--quiet`; with `--strict` they are
/// failures, so they are printed even then.
final class Reporter {
    let quiet: Bool
    let strict: Bool
    private(set) var errorCount = 0
    private(set) var warningCount = 0

    init(quiet: Bool, strict: Bool = false) {
        self.quiet = quiet
        self.strict = strict
    }

    convenience init(_ options: CheckOptions) {
        self.init(quiet: options.quiet, strict: options.strict)
    }

    convenience init(_ options: OutputOptions) {
        self.init(quiet: options.quiet)
    }

    /// Whether what was reported fails the command.
    var failed: Bool { errorCount > 0 || (strict && warningCount > 0) }

    /// Whether `diagnostics` alone would fail the command.
    func fails(_ diagnostics: [Diagnostic]) -> Bool {
        diagnostics.hasErrors || (strict && !diagnostics.isEmpty)
    }

    /// Prints and counts diagnostics, in order.
    func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            if diagnostic.isError {
                errorCount += 1
                Console.err("\(Style.red("error")) \(diagnostic.code) \(diagnostic.path): \(diagnostic.message)")
            } else {
                warningCount += 1
                if !quiet || strict {
                    Console.err("\(Style.yellow("warning")) \(diagnostic.code) \(diagnostic.path): \(diagnostic.message)")
                }
            }
        }
    }

    /// Prints and counts one error that is not a diagnostic (an unreadable file, …).
    func error(_ message: String) {
        errorCount += 1
        Console.err("\(Style.red("error")): \(message)")
    }

    /// Prints and counts one error located in a file, compiler-style: `where: error: message`.
    func error(at location: String, _ message: String) {
        errorCount += 1
        Console.err("\(Style.bold(location)): \(Style.red("error")): \(message)")
    }

    /// Prints a warning that is not a diagnostic (what a deploy would do), unless `--quiet`.
    func warning(_ message: String) {
        if !quiet { Console.err("\(Style.yellow("warning")): \(message)") }
    }

    /// Prints a note (advice the user should read even though nothing failed), unless `--quiet`.
    func note(_ message: String) {
        if !quiet { Console.err("\(Style.cyan("note")): \(message)") }
    }

    /// Prints a progress line, unless `--quiet`.
    func progress(_ message: String) {
        if !quiet { Console.err(message) }
    }

    /// `N errors, M warnings`, for summaries.
    var counts: String {
        "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }
}

/// `1 stack`, `2 stacks`.
func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
