import ArgumentParser
import Formation

/// `formation rules`: the app's rule pack, one rule a row: ID, severity (the app's setting when
/// it changed one), what, why, fix.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the app's rules: ID, severity, what each finds, why, and the fix.",
        discussion: """
            Rule findings are separate from validity: 'validate --template' fails on a finding \
            only at or above --fail-on (default error). An app turns a rule off or changes its \
            severity with app.configureRule("FM4002", .severity(.warning)); this list shows the \
            severity in effect ("off" for a rule turned off).

            EXAMPLES:
              formation rules
              formation rules --format markdown     # the README's rule table
              formation rules --format tsv | cut -f1,2
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, tsv
    }

    @Option(help: "text (aligned columns), markdown (a table) or tsv (ID, severity, what, why, fix).")
    var format: Format = .text

    func run() throws {
        let app = try AppProvider.shared.app()
        print(Self.render(app, format: format), terminator: "")
    }

    /// The rules of `app` in the order its rules declare them, as `format`.
    static func render(_ app: App, format: Format) -> String {
        var seen: Set<String> = []
        let rules = app.rules.flatMap(\.catalog).filter { seen.insert($0.id).inserted }
        func severity(_ rule: RuleInfo) -> String {
            switch app.ruleSettings[rule.id] {
            case nil: rule.severity.rawValue
            case .off?: "off"
            case .severity(let changed)?: changed.rawValue
            }
        }
        switch format {
        case .tsv:
            return rules.map { [$0.id, severity($0), $0.title, $0.rationale, $0.fix].joined(separator: "\t") + "\n" }.joined()
        case .markdown:
            func cell(_ text: String) -> String { text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
            return "| ID | severity | what | why | fix |\n|---|---|---|---|---|\n"
                + rules.map { "| \($0.id) | \(severity($0)) | \(cell($0.title)) | \(cell($0.rationale)) | \(cell($0.fix)) |\n" }.joined()
        case .text:
            var table = TextTable(columns: [.init("ID"), .init("SEVERITY"), .init("WHAT")])
            for rule in rules { table.append([rule.id, severity(rule), rule.title]) }
            return table.rendered()
        }
    }
}
