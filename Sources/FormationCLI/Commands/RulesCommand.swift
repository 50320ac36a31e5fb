import ArgumentParser
import Formation
import Foundation

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

            Name rule IDs to see those rules in full: why, the fix, and the other tools' IDs \
            (cfn-lint, cfn_nag, checkov) whose suppressions Formation honours for them.

            EXAMPLES:
              formation rules
              formation rules FM4242 FM4801          # two rules in full
              formation rules --format markdown     # the README's rule table
              formation rules --format tsv | cut -f1,2
              formation rules --format json          # for scripts
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, tsv, json
    }

    @Argument(help: ArgumentHelp("Rule IDs to show in full (all rules, one line each, when none).", valueName: "id"))
    var ids: [String] = []

    @Option(help: "text (aligned columns; each named rule in full), markdown (a table), tsv (ID, severity, what, why, fix) or json.")
    var format: Format = .text

    func run() throws {
        let app = try AppProvider.shared.app()
        let known = Set(app.rules.flatMap(\.catalog).map(\.id))
        let unknown = ids.filter { !known.contains($0) }.map { id in
            "\(id) is not a rule of this app" + (Suggestion.closest(to: id, among: known.sorted()).map { "; did you mean \($0)?" } ?? "")
        }
        if !unknown.isEmpty { throw CLIError.usage(unknown) }
        print(Self.render(app, format: format, only: ids), terminator: "")
    }

    /// The other tools' rule IDs whose suppressions Formation honours for `id`: `checkov
    /// CKV_AWS_103`, in tool and ID order.
    static func foreignIDs(of id: String) -> [String] {
        Suppressions.foreign.keys.sorted().flatMap { tool in
            (Suppressions.foreign[tool] ?? [:]).filter { $0.value.contains(id) }.keys.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
                .map { "\(tool) \($0)" }
        }
    }

    /// The rules of `app` in the order its rules declare them (only those of `only`, in that
    /// order, when it names some), as `format`.
    static func render(_ app: App, format: Format, only: [String] = []) -> String {
        var seen: Set<String> = []
        var rules = app.rules.flatMap(\.catalog).filter { seen.insert($0.id).inserted }
        if !only.isEmpty {
            let byID = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var shown: Set<String> = []
            rules = only.compactMap { shown.insert($0).inserted ? byID[$0] : nil }
        }
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
        case .json:
            let entries: [TemplateValue] = rules.map { rule in
                .map(OrderedMap([
                    ("id", .string(rule.id)), ("severity", .string(severity(rule))), ("defaultSeverity", .string(rule.severity.rawValue)),
                    ("title", .string(rule.title)), ("rationale", .string(rule.rationale)), ("fix", .string(rule.fix)),
                    ("suppressedBy", .list(foreignIDs(of: rule.id).map { .string($0) })),
                ]))
            }
            return (try? JSONEmitter.emit(.list(entries))) ?? "[]\n"
        case .text where !only.isEmpty:
            return rules.map { rule in
                let foreign = foreignIDs(of: rule.id)
                return "\(rule.id) (\(severity(rule))): \(rule.title)\n  why: \(rule.rationale)\n  fix: \(rule.fix)\n"
                    + (foreign.isEmpty ? "" : "  also suppressed by: \(foreign.joined(separator: ", "))\n")
            }.joined(separator: "\n")
        case .text:
            var table = TextTable(columns: [.init("ID"), .init("SEVERITY"), .init("WHAT")])
            for rule in rules { table.append([rule.id, severity(rule), rule.title]) }
            return table.rendered()
        }
    }
}
