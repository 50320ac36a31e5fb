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
/// failures, so they are printed even then. Infos are printed unless `--quiet` and never fail.
///
/// A rule's finding (`isFinding`) fails at or above `failOn` (`validate --fail-on`; with
/// `--strict`, warnings too); any other error always fails.
final class Reporter {
    let quiet: Bool
    let strict: Bool
    /// Whether a diagnostic is a rule's finding rather than a validity problem.
    var isFinding: (Diagnostic) -> Bool = { _ in false }
    /// The lowest severity of a finding that fails the command.
    var failOn: FindingSeverity = .error
    /// Whether `report` prints diagnostics (not when another format carries them on stdout).
    var printsDiagnostics = true
    private(set) var errorCount = 0
    private(set) var warningCount = 0
    private(set) var infoCount = 0
    /// Findings that suppressions silenced (counted, never printed in text, never failing).
    var suppressedCount = 0

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
        let findingThreshold = strict ? min(failOn, .warning) : failOn
        return diagnostics.contains { diagnostic in
            isFinding(diagnostic) ? diagnostic.severity >= findingThreshold
                : diagnostic.isError || (strict && diagnostic.severity == .warning)
        }
    }

    /// Prints and counts diagnostics, in order. With a `locator` (a template file's positions),
    /// a diagnostic about a place in the file is printed compiler-style,
    /// `FILE:LINE:COLUMN: error FM4801 LogicalID: message`; any other as
    /// `error FM4801 Path: message`.
    func report(_ diagnostics: [Diagnostic], locator: DiagnosticLocator? = nil) {
        for diagnostic in diagnostics {
            guard printsDiagnostics else {
                switch diagnostic.severity {
                case .error: errorCount += 1
                case .warning: warningCount += 1
                case .info: infoCount += 1
                }
                continue
            }
            let location = locator?.locate(diagnostic)
            switch diagnostic.severity {
            case .error:
                errorCount += 1
                Console.err(Self.line(diagnostic, location, label: Style.red("error")))
            case .warning:
                warningCount += 1
                if !quiet || strict {
                    Console.err(Self.line(diagnostic, location, label: Style.yellow("warning")))
                }
            case .info:
                infoCount += 1
                if !quiet {
                    Console.err(Self.line(diagnostic, location, label: Style.cyan("info")))
                }
            }
        }
    }

    /// One diagnostic's line of text output.
    static func line(_ diagnostic: Diagnostic, _ location: DiagnosticLocation?, label: String) -> String {
        guard let location, let position = location.position else {
            return "\(label) \(diagnostic.code) \(diagnostic.path): \(diagnostic.message)"
        }
        let entry = location.entryName.isEmpty ? "" : location.entryName + ": "
        return "\(Style.bold("\(location.file):\(position.line):\(position.column)")): \(label) \(diagnostic.code) \(entry)\(diagnostic.message)"
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

    /// `N errors, M warnings`, for summaries (and `, K suppressed` when suppressions silenced
    /// findings: `--output-format json|sarif|junit` lists them with their reasons).
    var counts: String {
        "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))" + (infoCount > 0 ? ", \(plural(infoCount, "info"))" : "")
            + (suppressedCount > 0 ? ", \(suppressedCount) suppressed" : "")
    }
}

/// `1 stack`, `2 stacks`.
func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// `--fail-on error|warning|info`.
extension FindingSeverity: ExpressibleByArgument {}
