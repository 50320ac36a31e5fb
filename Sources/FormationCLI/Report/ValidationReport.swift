import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `validate` found, per template file or stack, for the machine-readable output formats
/// (`--output-format json|sarif|junit`).
struct ValidationReport {
    /// One template file or one stack.
    struct Unit {
        enum Kind: String { case template, stack }
        /// The file as given, or the stack's name.
        let name: String
        let kind: Kind
        /// The file the results point into, as a relative URI reference (`templates/app.yaml`;
        /// a stack's template as `synth --out` names it, `Stack.template.json`).
        let artifact: String
        /// The template's logical IDs, in order (empty when it did not parse).
        let resources: [String]
        let results: [Result]
        /// Whether the unit fails the command.
        let failed: Bool
        /// Findings that suppressions silenced, with them (not counted, never failing).
        var suppressed: [(result: Result, suppression: Suppressions.Suppressed)] = []
    }

    /// One diagnostic, where it points, and whether it is a rule's finding.
    struct Result {
        let diagnostic: Diagnostic
        let location: DiagnosticLocation?
        let isFinding: Bool
        /// Whether this diagnostic alone fails the command.
        let fails: Bool
    }

    var units: [Unit] = []

    /// Every result's severity counted.
    var counts: (errors: Int, warnings: Int, infos: Int) {
        var counts = (errors: 0, warnings: 0, infos: 0)
        for result in units.flatMap(\.results) {
            switch result.diagnostic.severity {
            case .error: counts.errors += 1
            case .warning: counts.warnings += 1
            case .info: counts.infos += 1
            }
        }
        return counts
    }
}

/// The code of a file that cannot be read, or does not parse as a template (not a diagnostic of
/// the validator: the machine-readable formats report it as one).
enum ReportCode {
    static let notATemplate = "FM1000"
}

extension ValidationReport.Unit {
    /// A unit from a template file's outcome.
    static func template(file: String, outcome: ValidateCommand.FileOutcome, resources: [String], reporter: Reporter) -> ValidationReport.Unit {
        let name = Files.displayName(file)
        let artifact = ArtifactURI.reference(forPath: file)
        switch outcome {
        case .unreadable(let messages):
            let results = messages.map { message in
                ValidationReport.Result(diagnostic: .error(ReportCode.notATemplate, path: name, message), location: nil, isFinding: false, fails: true)
            }
            return .init(name: name, kind: .template, artifact: artifact, resources: [], results: results, failed: true)
        case .unparsable(let error, _):
            var position: SourcePositions.Position?
            let message: String
            switch error {
            case .syntax(_, let line, let column, let text):
                position = .init(line: line, column: column)
                message = text
            case .structure(let path, let text):
                message = path.isEmpty ? text : "\(path): \(text)"
            case .unrepresentable(_, let text), .io(_, let text):
                message = text
            }
            let location = DiagnosticLocation(file: name, position: position, entry: [])
            let result = ValidationReport.Result(diagnostic: .error(ReportCode.notATemplate, path: name, message), location: location, isFinding: false, fails: true)
            return .init(name: name, kind: .template, artifact: artifact, resources: [], results: [result], failed: true)
        case .validated(let diagnostics, let locator, _, let suppressed):
            let results = diagnostics.map { diagnostic in
                ValidationReport.Result(diagnostic: diagnostic, location: locator.locate(diagnostic), isFinding: reporter.isFinding(diagnostic),
                                        fails: reporter.fails([diagnostic]))
            }
            var unit = ValidationReport.Unit(name: name, kind: .template, artifact: artifact, resources: resources, results: results,
                                             failed: results.contains(where: \.fails))
            unit.suppressed = suppressed.map { entry in
                (ValidationReport.Result(diagnostic: entry.diagnostic, location: locator.locate(entry.diagnostic), isFinding: true, fails: false), entry)
            }
            return unit
        }
    }
}

/// Relative URI references for SARIF's `artifactLocation.uri` and JUnit's `file`.
enum ArtifactURI {
    /// `path` as a URI reference: relative to the current directory when it is under it (as
    /// GitHub code scanning wants, relative to the checkout), `file://` for another absolute
    /// path; every byte outside RFC 3986's unreserved set and `/` percent-encoded.
    static func reference(forPath path: String, currentDirectory: String = ArtifactURI.currentDirectory()) -> String {
        var relative = path
        if path.hasPrefix("/") {
            let base = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
            if path.hasPrefix(base) {
                relative = String(path.dropFirst(base.count))
            } else {
                return "file://" + encode(path)
            }
        }
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        return encode(relative)
    }

    static func encode(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// The process's working directory ("/" when it cannot be read).
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
