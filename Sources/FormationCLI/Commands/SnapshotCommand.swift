import ArgumentParser
import Formation

/// `formation snapshot`: verify (`--check`, the default) or rewrite (`--update`) the committed
/// snapshot templates `<dir>/<stack>.json|yaml`.
///
/// The files hold exactly the bytes `formation synth` writes (`Synthesis.render(format).text`),
/// which are the bytes `FormationTesting`'s `Snapshots` compares and records, so the command and
/// the library agree on every snapshot.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Check or update the committed snapshot templates (snapshots/<stack>.json|yaml).",
        discussion: """
            --check (the default) synthesizes every selected stack and compares it with \
            <dir>/<stack>.json and <dir>/<stack>.yaml, byte for byte. A snapshot that differs \
            prints a resource-level diff (snapshot → synthesized, as 'formation diff' prints it, \
            with what CloudFormation would replace or delete); a missing snapshot is a failure. \
            Exits 1 on any difference.

            --update writes every selected stack's snapshots: all stacks are validated before any \
            file is written, each file goes to a temporary name and is renamed into place, files \
            whose bytes would not change are left untouched, and nothing else in the directory is \
            removed. A stack with synthesis errors is never written (nor is any other file of \
            the run).

            These are the files FormationTesting's Snapshots compares in 'swift test'.

            EXAMPLES:
              formation snapshot                     # check every stack, JSON and YAML
              formation snapshot --update            # accept the synthesized templates
              formation snapshot --update MyStack-dev --format yaml
              formation snapshot --check --dir build/snapshots
              git diff --stat snapshots/             # review what --update changed

            EXIT STATUS:
              0  every snapshot matches (or was written)
              1  a snapshot differs or is missing, a stack fails validation, or a
                 write fails
              2  usage error
            """
    )

    /// Whether to verify or rewrite.
    enum Mode: String, EnumerableFlag {
        case check
        case update

        static func help(for value: Mode) -> ArgumentHelp? {
            switch value {
            case .check: "Compare the snapshots with a fresh synth; print a diff and exit 1 on any difference."
            case .update: "Rewrite the snapshots from a fresh synth."
            }
        }
    }

    @Argument(help: "Stacks to check or update (all when none is named).")
    var stacks: [String] = []

    @Flag var mode: Mode = .check

    @Option(help: "Snapshot formats: json, yaml or both.")
    var format: FormatChoice = .both

    @Option(help: ArgumentHelp("The snapshot directory.", valueName: "dir"))
    var dir: String = Baseline.defaultDirectory

    @OptionGroup var checks: CheckOptions

    func validate() throws {
        if dir.isEmpty { throw ValidationError("--dir needs a directory path") }
    }

    /// One stack's synthesized snapshot files.
    struct StackFiles {
        let stack: Stack
        let synthesis: Synthesis
        /// Each file: the stack's template, then its nested stacks' (`<stack>.<child path>.<ext>`).
        let files: [(format: TemplateFormat, name: String, path: String, text: String, template: Template)]
    }

    func run() throws {
        let app = try AppProvider.shared.app()
        let selected = try StackSelection.resolve(stacks, in: app)
        if selected.isEmpty {
            throw CLIError.failure("the app has no stacks to snapshot")
        }
        let reporter = Reporter(checks)
        var passed: [StackFiles] = []
        var failed: [String] = []
        // Synthesized together: one pass over the app for references across stacks.
        for (stack, synthesis) in zip(selected, Stack.synthesize(selected)) {
            if let files = render(stack, synthesis, reporter: reporter) {
                passed.append(files)
            } else {
                failed.append(stack.name)
            }
        }
        switch mode {
        case .update: try update(passed, failed: failed, reporter: reporter)
        case .check: try check(passed, failed: failed, reporter: reporter)
        }
    }

    /// Renders each snapshot format of `stack`'s synthesis; nil (reported) when it fails.
    func render(_ stack: Stack, _ synthesis: Synthesis, reporter: Reporter) -> StackFiles? {
        var diagnostics = synthesis.diagnostics
        var files: [(format: TemplateFormat, name: String, path: String, text: String, template: Template)] = []
        var unrenderable = false
        for format in format.formats {
            do {
                let rendered = try synthesis.render(format)
                diagnostics += rendered.diagnostics
                files.append((format, stack.name, Self.path(dir: dir, stack: stack.name, format: format), rendered.text, synthesis.template))
                for nested in synthesis.nestedTemplates {
                    files.append((format, nested.snapshotName, Self.path(dir: dir, stack: nested.snapshotName, format: format), try nested.render(format), nested.template))
                }
            } catch {
                unrenderable = true
                diagnostics.append(.error(DiagnosticCode.unencodableValue, path: stack.name,
                                          "cannot render the template as \(format.rawValue.uppercased()): \(error)"))
            }
        }
        reporter.report(diagnostics)
        if unrenderable || reporter.fails(diagnostics) { return nil }
        return StackFiles(stack: stack, synthesis: synthesis, files: files)
    }

    /// Writes every snapshot file of `passed`, all or nothing; refuses when any stack failed.
    func update(_ passed: [StackFiles], failed: [String], reporter: Reporter) throws {
        if !failed.isEmpty {
            reporter.error("\(StackRenderer.list(failed)) failed validation\(strictNote(reporter)); no snapshot written")
            throw ExitCode(ExitStatus.failure)
        }
        try Files.makeDirectory(dir)
        var transaction = FileTransaction()
        var existed: Set<String> = []
        for stack in passed {
            for file in stack.files {
                if Files.exists(file.path) { existed.insert(file.path) }
                try transaction.stage(file.text, at: file.path)
            }
        }
        for file in try transaction.commit() {
            let verb = file.outcome == .unchanged ? "unchanged" : existed.contains(file.path) ? "updated" : "created"
            reporter.progress("\(verb) \(file.path) (\(file.bytes) bytes)")
        }
    }

    /// Compares every snapshot file of `passed` with its synthesized text; prints a diff for each
    /// stack that differs and fails when anything differs, is missing or failed.
    func check(_ passed: [StackFiles], failed: [String], reporter: Reporter) throws {
        if !failed.isEmpty {
            reporter.error("\(StackRenderer.list(failed)) failed validation\(strictNote(reporter)); \(failed.count == 1 ? "its" : "their") snapshots were not compared")
        }
        var differing = 0
        var missing = 0
        var unreadable = 0
        var printed = false
        for stack in passed {
            var reports: [DiffReport] = []
            for file in stack.files {
                guard Files.exists(file.path) else {
                    reporter.error("snapshot \(file.path) is missing")
                    missing += 1
                    continue
                }
                let existing: String
                let old: Template
                do {
                    existing = try Files.readText(file.path)
                } catch {
                    for message in error.messages { reporter.error(message) }
                    unreadable += 1
                    continue
                }
                if existing == file.text { continue }
                differing += 1
                do {
                    old = try Template(document: TemplateDocument.parse(existing, file: file.path))
                } catch {
                    reporter.report(error: error, file: file.path)
                    continue
                }
                let report = DiffReport(stack: file.name, source: file.path, old: old, new: file.template)
                if report.isEmpty {
                    reporter.error("snapshot \(file.path) holds the same template as \(stack.stack.name) but formatted differently; "
                                   + Self.firstDifferentLine(existing, file.text))
                } else {
                    reports.append(report)
                }
            }
            // The same difference in the JSON and the YAML snapshot of one template is printed once.
            var merged: [DiffReport] = []
            for report in reports {
                if let index = merged.firstIndex(where: { $0.stack == report.stack && $0.diff == report.diff }) {
                    let first = merged[index]
                    merged[index] = DiffReport(stack: first.stack, source: StackRenderer.list([first.source, report.source]),
                                               diff: first.diff, impact: first.impact)
                } else {
                    merged.append(report)
                }
            }
            reports = merged
            for report in reports {
                Console.out((printed ? "\n" : "") + report.rendered(.stdout))
                printed = true
                if let summary = report.impactSummary {
                    reporter.warning("deploying \(stack.stack.name) as synthesized over its snapshot: \(summary) (the '!' lines)")
                }
            }
        }
        let total = passed.reduce(0) { $0 + $1.files.count }
        if differing + missing + unreadable > 0 {
            let parts = [(differing, "differ", "differs"), (missing, "missing", "missing"), (unreadable, "unreadable", "unreadable")]
                .filter { $0.0 > 0 }
                .map { "\($0.0) \($0.0 == 1 ? $0.2 : $0.1)" }
            let bad = differing + missing + unreadable
            reporter.error("snapshot check failed for \(bad) of \(plural(total, "snapshot")) in \(dir) (\(parts.joined(separator: ", "))); run '\(updateCommand)' to accept the synthesized templates")
        }
        if !failed.isEmpty || differing + missing + unreadable > 0 {
            throw ExitCode(ExitStatus.failure)
        }
        reporter.progress("checked \(plural(total, "snapshot")) in \(dir): all match")
    }

    /// The command that accepts what this check compared.
    var updateCommand: String {
        var words = ["formation", "snapshot", "--update"] + stacks
        if format != .both { words += ["--format", format.rawValue] }
        if dir != Baseline.defaultDirectory { words += ["--dir", dir] }
        return words.map(ShellQuoting.quote).joined(separator: " ")
    }

    private func strictNote(_ reporter: Reporter) -> String {
        reporter.strict && reporter.errorCount == 0 ? " (warnings fail with --strict)" : ""
    }

    /// `<dir>/<stack>.<ext>`: the path FormationTesting's `Snapshots` uses.
    static func path(dir: String, stack: String, format: TemplateFormat) -> String {
        Files.join(dir, "\(stack).\(format.fileExtension)")
    }

    /// `first difference at line N: snapshot has "…", synthesized has "…"`.
    static func firstDifferentLine(_ old: String, _ new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < oldLines.count, index < newLines.count, oldLines[index] == newLines[index] {
            index += 1
        }
        func shown(_ lines: [Substring]) -> String {
            index < lines.count ? TemplateValue.string(String(lines[index])).description : "end of file"
        }
        return "first difference at line \(index + 1): snapshot has \(shown(oldLines)), synthesized has \(shown(newLines))"
    }
}
