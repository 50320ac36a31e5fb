import Formation

/// Where `formation diff` reads the committed template of each stack from (`--against`).
///
/// A directory holds one file per stack: `<stack>.json|yaml` (what `formation snapshot` writes)
/// or `<stack>.template.json|yaml` (what `formation synth --out` writes). A file is the template
/// of the one stack being compared.
enum Baseline: Equatable {
    /// The default `--against`: the snapshot directory.
    static let defaultDirectory = "snapshots"

    /// A directory of per-stack templates.
    case directory(String)
    /// One template file.
    case file(String)

    /// The baseline `argument` names; a path that does not exist is a failure naming it.
    init(_ argument: String) throws(CLIError) {
        if Files.isDirectory(argument) {
            self = .directory(argument)
        } else if Files.exists(argument) {
            self = .file(argument)
        } else if argument == Self.defaultDirectory {
            throw .failure("there is no '\(argument)' directory to compare with: record the templates with 'formation snapshot --update', or name a baseline with --against DIR|FILE")
        } else {
            throw .failure("cannot read the baseline '\(argument)': no such file or directory")
        }
    }

    /// The file names a directory may hold for `stack`, in order of preference: the `format`
    /// asked for, or JSON before YAML; the snapshot name before the synth name.
    static func candidates(for stack: String, format: TemplateFormat?) -> [String] {
        let formats: [TemplateFormat] = format.map { [$0] } ?? [.json, .yaml]
        return formats.flatMap { ["\(stack).\($0.fileExtension)", "\(stack).template.\($0.fileExtension)"] }
    }

    /// The file holding `stack`'s committed template; a failure listing what was looked for when
    /// the directory has none.
    func path(for stack: String, format: TemplateFormat?) throws(CLIError) -> String {
        switch self {
        case .file(let path):
            return path
        case .directory(let directory):
            let names = Self.candidates(for: stack, format: format)
            if let found = names.map({ Files.join(directory, $0) }).first(where: Files.exists) {
                return found
            }
            let hint = directory == Self.defaultDirectory ? "; record it with 'formation snapshot --update'" : ""
            throw .failure("no baseline for \(stack) in \(directory): looked for \(StackRenderer.list(names))\(hint)")
        }
    }
}
