import Formation

/// What the fuzzers exercise (`make fuzz`, FUZZING.md): each target takes arbitrary bytes, and
/// any crash, sanitizer report or broken invariant (a `preconditionFailure`) is a finding.
/// The same functions replay committed inputs in the tests, so every finding stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONParser.parse` on the bytes (when they are UTF-8).
    case json
    /// `YAMLParser.parse`, aliases expanded under the node budget.
    case yaml
    /// What `formation validate --template` does: the size and UTF-8 checks, the template read
    /// as CloudFormation reads it (aliases refused), then every check with the whole registry.
    case validate
    /// What `formation convert` relies on: a document read, written as JSON and as YAML, and
    /// read back, is the same document, and writing it again gives the same bytes.
    case convert

    /// Runs the target on one input.
    public func run(_ bytes: UnsafeRawBufferPointer) {
        let array = Array(bytes)
        switch self {
        case .json:
            guard let text = String(validating: array, as: UTF8.self) else { return }
            _ = try? JSONParser.parse(text)
        case .yaml:
            guard let text = String(validating: array, as: UTF8.self) else { return }
            _ = try? YAMLParser.parse(text)
        case .validate:
            guard let text = try? TextFile.templateText(array, file: "fuzz", maximumBytes: ParseLimits.cloudFormationMaximumBytes),
                  let template = try? TemplateDocument.parseTemplate(text, file: "fuzz", limits: .cloudFormation) else { return }
            _ = Self.app.validate(template, ValidationContext(stackPath: "fuzz", schemas: Self.app.schemas))
        case .convert:
            guard let text = try? TextFile.templateText(array, file: "fuzz", maximumBytes: ParseLimits.cloudFormationMaximumBytes),
                  let document = try? TemplateDocument.parseTemplate(text, file: "fuzz").document else { return }
            if let problem = Self.roundTripProblem(document) { preconditionFailure(problem) }
        }
    }

    /// Runs the target on the bytes of the file at `path`.
    public func run(file path: String) throws(TemplateError) {
        let bytes = try TextFile.readBytes(path)
        bytes.withUnsafeBytes { run($0) }
    }

    /// The app `validate` checks with: the whole registry, no rules of its own.
    nonisolated(unsafe) static let app = App()

    /// Whether a NaN is anywhere in `value` (a NaN equals nothing, itself included; and
    /// `document == document` is no test of that, since equal storage compares equal at once).
    static func containsNaN(_ value: TemplateValue) -> Bool {
        switch value {
        case .double(let number): number.isNaN
        case .list(let items): items.contains(where: containsNaN)
        case .map(let map): map.entries.contains { containsNaN($0.value) }
        case .fn(let function): containsNaN(function.argument)
        default: false
        }
    }

    /// What is wrong with writing `document` as JSON and as YAML and reading it back, or nil:
    /// what is read must be `document` (NaN aside, which equals nothing), and writing it again
    /// must give the same bytes. JSON cannot hold every value (a NaN or an infinite double):
    /// convert exits 1 for those, which is not a problem.
    public static func roundTripProblem(_ document: TemplateValue) -> String? {
        if let json = try? JSONEmitter.emit(document) {
            let read: TemplateValue
            do { read = try TemplateDocument.parse(json) } catch {
                return "the JSON written does not read back: \(error)\n\(json)"
            }
            if read != document { return "the JSON round trip changed the document:\n\(document)\n\(read)" }
            if (try? JSONEmitter.emit(read)) != json { return "the JSON written twice differs:\n\(json)" }
        }
        let yaml: String
        do { yaml = try YAMLEmitter.emit(document) } catch {
            return "the document cannot be written as YAML: \(error)\n\(document)"
        }
        let read: TemplateValue
        do { read = try YAMLParser.parse(yaml) } catch {
            return "the YAML written does not read back: \(error)\n\(yaml)"
        }
        if !containsNaN(document) && read != document {
            return "the YAML round trip changed the document:\n\(document)\n\(read)\n\(yaml)"
        }
        if (try? YAMLEmitter.emit(read)) != yaml { return "the YAML written twice differs:\n\(yaml)" }
        return nil
    }
}
