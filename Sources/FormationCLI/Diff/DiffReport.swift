import Formation

/// The text `formation diff` and `formation snapshot --check` print for one stack whose committed
/// template differs from a fresh synth: a header, then `TemplateDiff`'s lines (sections, entries
/// `[+]`/`[-]`/`[~]`, property paths old → new), with what CloudFormation would do to each
/// resource (``DeployImpact``) under it as `! …` lines (`note: …` for notes).
///
/// ```
/// Demo-dev: snapshots/Demo-dev.json → synthesized
/// Resources
/// [~] AppLogs (AWS::Logs::LogGroup)
///     Properties.LogGroupName: "/demo/old" → "/demo/new"
///     ! would be REPLACED: Properties.LogGroupName changes (create-only); the old one and its data would be DELETED (no UpdateReplacePolicy Retain)
/// ```
///
/// Resources the template does not change but the deploy would replace (a create-only property
/// refers to a replaced resource) follow the Resources entries, marked `[!]`. Without colors the
/// lines are exactly `TemplateDiff.description`'s plus the header and the finding lines.
struct DiffReport {
    /// The stack's name.
    let stack: String
    /// Where the old template came from (a path, or several joined).
    let source: String
    /// The difference, old → new.
    let diff: TemplateDiff
    /// What deploying it would do.
    let impact: DeployImpact

    /// The report comparing `old` (read from `source`) with `new` (the fresh synth of `stack`).
    init(stack: String, source: String, old: Template, new: Template) {
        self.stack = stack
        self.source = source
        diff = TemplateDiff(from: old, to: new)
        impact = DeployImpact(old: old, new: new, resources: diff.resources)
    }

    /// A report from a difference and its impact already computed.
    init(stack: String, source: String, diff: TemplateDiff, impact: DeployImpact) {
        self.stack = stack
        self.source = source
        self.diff = diff
        self.impact = impact
    }

    /// Whether the templates differ at all.
    var isEmpty: Bool { diff.isEmpty }

    /// What the deploy would do, counted: `2 replacements, 1 deletion and 1 renamed logical ID`;
    /// nil when there is nothing but notes.
    var impactSummary: String? {
        let findings = impact.allFindings
        func count(_ kind: DeployImpact.Finding.Kind) -> Int { findings.filter { $0.kind == kind }.count }
        let parts = [
            (count(.replaced), "replacement"), (count(.deleted), "deletion"),
            (count(.orphaned), "orphaned resource"), (count(.renamed), "renamed logical ID"),
        ].filter { $0.0 > 0 }.map { plural($0.0, $0.1) }
        return parts.isEmpty ? nil : StackRenderer.list(parts)
    }

    /// The report, one item per line, each line ending in a newline; painted with `palette`.
    func rendered(_ palette: Palette) -> String {
        var lines = [palette.bold("\(stack): \(source) → synthesized")]
        if let order = diff.sectionOrder {
            lines.append(order.description)
        }
        var sawResources = false
        for section in diff.sections {
            switch section.change {
            case .value(let change):
                lines.append(change.description)
            case .entries(let entries, let order):
                lines.append(palette.bold(section.name))
                if let order { lines.append("    " + order.description) }
                let isResources = section.name == "Resources"
                for entry in entries {
                    lines.append(Self.header(entry, palette))
                    lines += entry.changes.map { "    " + $0.description }
                    if isResources { lines += findingLines(entry.name, palette) }
                }
                if isResources {
                    sawResources = true
                    lines += knockOnLines(palette)
                }
            }
        }
        if !sawResources && !impact.knockOns.isEmpty {
            lines.append(palette.bold("Resources"))
            lines += knockOnLines(palette)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func knockOnLines(_ palette: Palette) -> [String] {
        impact.knockOns.flatMap { knock in
            ["\(palette.red("[!]")) \(knock.logicalID) (\(knock.type))"] + findingLines(knock.logicalID, palette)
        }
    }

    private func findingLines(_ logicalID: String, _ palette: Palette) -> [String] {
        impact.findings(for: logicalID).map { finding in
            switch finding.level {
            case .danger: "    " + palette.red("! " + finding.message)
            case .warning: "    " + palette.yellow("! " + finding.message)
            case .note: "    " + palette.cyan("note:") + " " + finding.message
            }
        }
    }

    /// `[~] Name (Type)`, `[~] Name (Old → New)`, `[+] Name`: as `TemplateDiff` writes entries.
    static func header(_ entry: EntryDiff, _ palette: Palette) -> String {
        let marker = switch entry.kind {
        case .added: palette.green(entry.kind.marker)
        case .removed: palette.red(entry.kind.marker)
        case .changed: palette.yellow(entry.kind.marker)
        }
        var header = marker + " " + entry.name
        switch (entry.oldType, entry.newType) {
        case (let a?, let b?) where a != b: header += " (" + a + " → " + b + ")"
        case (let a?, _): header += " (" + a + ")"
        case (nil, let b?): header += " (" + b + ")"
        case (nil, nil): break
        }
        return header
    }
}
