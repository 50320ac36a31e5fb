import Formation
import FormationTemplate

/// Snapshot testing: compares a stack's synthesized template with the committed file
/// `snapshots/<stack>.<json|yaml>`, and fails with a resource-level diff when they differ. The
/// templates of its nested stacks are compared with `snapshots/<stack>.<child path>.<json|yaml>`.
///
/// ```swift
/// @Test func agentStackSnapshot() {
///     Snapshots().assertMatches(stack.synthesize(), format: .yaml)
/// }
/// ```
///
/// The ``mode`` decides what happens to a missing or different file: ``SnapshotMode/current``
/// reads it from the environment (`FORMATION_UPDATE_SNAPSHOTS=1 swift test` rewrites snapshots;
/// with `CI=true` a missing snapshot fails; otherwise it is recorded). Files are written
/// atomically (a temporary file, then a rename). A stack with synthesis errors is never
/// snapshotted: the comparison fails and lists the errors.
public struct Snapshots: Sendable {
    /// The snapshot directory; a relative path is resolved against the package root (the nearest
    /// directory above the test file that holds `Package.swift`, else the working directory).
    public var directory: String
    /// What to do with a missing or different snapshot.
    public var mode: SnapshotMode

    /// Snapshots in `directory` (default `snapshots`), in `mode` (default: from the environment).
    public init(directory: String = "snapshots", mode: SnapshotMode = .current) {
        self.directory = directory
        self.mode = mode
    }

    /// The snapshot file for `name` in `format`: `<directory>/<name>.<json|yaml>`.
    public func path(for name: String, format: TemplateFormat, filePath: StaticString = #filePath) -> String {
        FileSystem.join(resolvedDirectory(filePath: "\(filePath)"), name + "." + format.fileExtension)
    }

    /// Compares a synthesized stack with its snapshot, writing the file when the mode says so;
    /// reports nothing.
    public func check(_ synthesis: Synthesis, format: TemplateFormat = .json, filePath: StaticString = #filePath) -> SnapshotResult {
        let errors = synthesis.diagnostics.errors
        if !errors.isEmpty {
            let path = path(for: synthesis.stackName, format: format, filePath: filePath)
            let noun = errors.count == 1 ? "error" : "errors"
            let message = (["\(synthesis.stackName) has \(errors.count) synthesis \(noun); its snapshot \(path) was not compared:"]
                + errors.map { "  " + $0.description }).joined(separator: "\n")
            return SnapshotResult(path: path, outcome: .failed, diff: nil, message: message)
        }
        guard Self.isUsableFileName(synthesis.stackName) else {
            return Self.unusableName(synthesis.stackName)
        }
        let path = path(for: synthesis.stackName, format: format, filePath: filePath)
        do {
            // The exact text `formation synth` writes for this stack.
            let text = try synthesis.render(format).text
            let own = compare(text, template: synthesis.template, name: synthesis.stackName, path: path)
            // A nested stack's template is snapshotted beside its parent's (`Parent.Child.json`).
            let nested = synthesis.nestedTemplates.map { check($0.template, name: $0.snapshotName, format: format, filePath: filePath) }
            return Self.combined(own, nested)
        } catch {
            return SnapshotResult(path: path, outcome: .failed, diff: nil, message: "\(synthesis.stackName) cannot be rendered as \(format.rawValue): \(error)")
        }
    }

    /// The stack's result and its nested templates' as one: the stack's when everything passed,
    /// else the first failure's, its message followed by the other failures'.
    static func combined(_ own: SnapshotResult, _ nested: [SnapshotResult]) -> SnapshotResult {
        let failures = ([own] + nested).filter { !$0.passed }
        guard let first = failures.first else { return own }
        return SnapshotResult(path: first.path, outcome: first.outcome, diff: first.diff,
                              message: failures.map(\.message).joined(separator: "\n\n"))
    }

    /// Compares `template`, stored as `name`, with its snapshot; reports nothing.
    public func check(_ template: Template, name: String, format: TemplateFormat = .json, filePath: StaticString = #filePath) -> SnapshotResult {
        guard Self.isUsableFileName(name) else {
            return Self.unusableName(name)
        }
        let path = path(for: name, format: format, filePath: filePath)
        let text: String
        do {
            text = switch format {
            case .json: try JSONEmitter.emit(template)
            case .yaml: try YAMLEmitter.emit(template)
            }
        } catch {
            return SnapshotResult(path: path, outcome: .failed, diff: nil, message: "\(name) cannot be rendered as \(format.rawValue): \(error)")
        }
        return compare(text, template: template, name: name, path: path)
    }

    /// Compares a synthesized stack with its snapshot and reports a failure at the caller.
    @discardableResult
    public func assertMatches(
        _ synthesis: Synthesis, format: TemplateFormat = .json,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> SnapshotResult {
        let result = check(synthesis, format: format, filePath: filePath)
        result.assertion.report(fileID: fileID, filePath: filePath, line: line, column: column)
        return result
    }

    /// Compares `template`, stored as `name`, with its snapshot and reports a failure at the caller.
    @discardableResult
    public func assertMatches(
        _ template: Template, name: String, format: TemplateFormat = .json,
        fileID: String = #fileID, filePath: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> SnapshotResult {
        let result = check(template, name: name, format: format, filePath: filePath)
        result.assertion.report(fileID: fileID, filePath: filePath, line: line, column: column)
        return result
    }

    // MARK: - Comparison

    private static let acceptHint = "to accept the new template: \(SnapshotMode.updateVariable)=1 swift test"

    private func compare(_ text: String, template: Template, name: String, path: String) -> SnapshotResult {
        let existing: String?
        do {
            existing = try FileSystem.read(path)
        } catch {
            return SnapshotResult(path: path, outcome: .failed, diff: nil, message: "cannot read snapshot: \(error)")
        }

        guard let existing else {
            switch mode {
            case .ci:
                return SnapshotResult(path: path, outcome: .missing, diff: nil, message:
                    "snapshot \(path) is missing, and CI does not record snapshots: run swift test locally to record it, then commit it")
            case .local, .update:
                return write(text, to: path, outcome: .recorded, diff: nil, message: "recorded new snapshot \(path)")
            }
        }
        if existing == text {
            return SnapshotResult(path: path, outcome: .matched, diff: nil, message: "")
        }

        let diff: TemplateDiff?
        let explanation: String
        do {
            let old = try Template(document: TemplateDocument.parse(existing, file: path))
            let structural = TemplateDiff(from: old, to: template)
            if structural.isEmpty {
                diff = nil
                explanation = "snapshot \(path) holds the same template as \(name) but formatted differently; "
                    + Self.firstDifferentLine(existing, text)
            } else {
                diff = structural
                explanation = "snapshot \(path) differs from \(name) (snapshot → synthesized):\n" + structural.description.dropLast()
            }
        } catch {
            diff = nil
            explanation = "snapshot \(path) is not a readable template (\(error))"
        }

        switch mode {
        case .update:
            return write(text, to: path, outcome: .updated, diff: diff, message: "updated snapshot \(path)")
        case .local, .ci:
            return SnapshotResult(path: path, outcome: .mismatched, diff: diff, message: explanation + "\n" + Self.acceptHint)
        }
    }

    private func write(_ text: String, to path: String, outcome: SnapshotResult.Outcome, diff: TemplateDiff?, message: String) -> SnapshotResult {
        do {
            try FileSystem.writeAtomically(text, to: path)
        } catch {
            return SnapshotResult(path: path, outcome: .failed, diff: diff, message: "cannot write snapshot: \(error)")
        }
        return SnapshotResult(path: path, outcome: outcome, diff: diff, message: message)
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

    // MARK: - Paths

    /// The snapshot directory, resolved against the package root of `filePath`.
    func resolvedDirectory(filePath: String) -> String {
        if directory.hasPrefix("/") { return directory }
        return FileSystem.join(Self.packageRoot(containing: filePath) ?? FileSystem.currentDirectory(), directory)
    }

    /// The nearest directory above `filePath` that holds a `Package.swift`.
    static func packageRoot(containing filePath: String) -> String? {
        guard filePath.hasPrefix("/") else { return nil }
        var directory = FileSystem.parent(of: filePath)
        while true {
            if FileSystem.isFile(FileSystem.join(directory, "Package.swift")) { return directory }
            let above = FileSystem.parent(of: directory)
            if above == directory { return nil }
            directory = above
        }
    }

    private static func unusableName(_ name: String) -> SnapshotResult {
        SnapshotResult(path: name, outcome: .failed, diff: nil,
                       message: "\(TemplateValue.string(name)) cannot name a snapshot file: use letters, digits, '-', '_' and '.', not starting with '.'")
    }

    /// Whether `name` is safe as a file name in the snapshot directory.
    static func isUsableFileName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first != ".", name.unicodeScalars.count <= 200 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }
}

/// The outcome of comparing a template with its snapshot file.
public struct SnapshotResult: Sendable, Hashable {
    /// What happened.
    public enum Outcome: String, Sendable, Hashable {
        /// The snapshot holds exactly the synthesized text.
        case matched
        /// There was no snapshot; it was written (local mode).
        case recorded
        /// The snapshot differed; it was rewritten (update mode).
        case updated
        /// The snapshot differs (a failure).
        case mismatched
        /// There is no snapshot and CI mode does not record one (a failure).
        case missing
        /// The comparison could not be made: synthesis errors, unreadable or unwritable files (a failure).
        case failed
    }

    /// The snapshot file.
    public let path: String
    /// What happened.
    public let outcome: Outcome
    /// The structural difference, snapshot → synthesized, when both parsed and differ as data.
    public let diff: TemplateDiff?
    /// What to tell the user: the failure with its diff, or a note on what was written.
    public let message: String

    /// Whether the comparison passed (matched, recorded or updated).
    public var passed: Bool {
        switch outcome {
        case .matched, .recorded, .updated: true
        case .mismatched, .missing, .failed: false
        }
    }

    /// The result as an assertion: failed with ``message`` unless it passed.
    public var assertion: AssertionResult {
        passed ? .pass : .fail(message)
    }
}
