import ArgumentParser
import Formation

/// `formation list`: one aligned row per stack.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the stacks with environment, resource count, template size, status and dependencies.",
        discussion: """
            Every stack is synthesized and validated; STATUS counts its diagnostics \
            ('formation validate STACK' prints them). Sizes are the rendered template in bytes; \
            over 51200 needs an S3 bucket to deploy. DEPENDS ON names the stacks whose exports \
            the stack imports (a token of one stack used in another becomes an export and an \
            Fn::ImportValue); with --order the rows are in an order to deploy them, each stack \
            after the stacks it depends on.

            EXAMPLES:
              formation list
              formation list --order
              formation list | grep -- -prd
            """
    )

    @Flag(help: "List the stacks in deploy order: each after the stacks it imports from.")
    var order = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let app = try AppProvider.shared.app()
        var table = TextTable(columns: [
            .init("STACK"), .init("ENVIRONMENT"), .init("RESOURCES", rightAligned: true),
            .init("JSON BYTES", rightAligned: true), .init("YAML BYTES", rightAligned: true), .init("STATUS"), .init("DEPENDS ON"),
        ])
        // Stacks are synthesized and rendered concurrently; rows stay in stack order (or, with
        // --order, in the deploy order the syntheses' imports give).
        let (syntheses, renderings) = StackRenderer.synthesizeAndRender(app.stacks, formats: [.json, .yaml])
        let plan = CrossStackPlan(syntheses)
        let position = Dictionary(uniqueKeysWithValues: app.stacks.enumerated().map { (ObjectIdentifier($1), $0) })
        let rows = order ? plan.deployOrder(app.stacks).compactMap { position[ObjectIdentifier($0)] } : Array(app.stacks.indices)
        for index in rows {
            let stack = app.stacks[index]
            let synthesis = syntheses[index]
            var diagnostics = synthesis.diagnostics
            var sizes: [String] = []
            for (format, result) in zip([TemplateFormat.json, .yaml], renderings[index]) {
                do {
                    let rendered = try result.get()
                    sizes.append(String(rendered.byteCount))
                    if format == .json { diagnostics += rendered.diagnostics }  // the default format's size rule
                } catch {
                    sizes.append("-")
                    diagnostics.append(.error(DiagnosticCode.unencodableValue, path: stack.name, "\(error)"))
                }
            }
            table.append([
                stack.name, stack.environment ?? "-", String(synthesis.template.resources.count),
                sizes[0], sizes[1], Self.status(diagnostics),
                plan.dependencies(of: stack.name).joined(separator: ",").nonEmpty ?? "-",
            ])
        }
        Console.out(table.rendered())
    }

    /// `ok`, `2 warnings`, `1 error, 3 warnings`.
    static func status(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.errors.count
        let warnings = diagnostics.warnings.count
        switch (errors, warnings) {
        case (0, 0): return "ok"
        case (0, _): return plural(warnings, "warning")
        case (_, 0): return plural(errors, "error")
        default: return "\(plural(errors, "error")), \(plural(warnings, "warning"))"
        }
    }
}

/// Rows of text in aligned columns, separated by two spaces, no trailing blanks.
struct TextTable {
    struct Column {
        let title: String
        let rightAligned: Bool
        init(_ title: String, rightAligned: Bool = false) {
            self.title = title
            self.rightAligned = rightAligned
        }
    }

    let columns: [Column]
    private var rows: [[String]] = []

    init(columns: [Column]) { self.columns = columns }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// The header and the rows, each line ending in a newline.
    func rendered() -> String {
        let all = [columns.map(\.title)] + rows
        var widths = columns.map { _ in 0 }
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var text = ""
        for row in all {
            var cells: [String] = []
            for (index, cell) in row.enumerated() where index < columns.count {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == columns.count - 1
                cells.append(columns[index].rightAligned ? padding + cell : (isLast ? cell : cell + padding))
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }  // an empty last cell leaves padding behind
            text += line + "\n"
        }
        return text
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
