/// An extra validation rule an app adds to the built-in ones (least privilege, house rules, …).
/// Rules see the synthesized template, like every other check, so they work on template files too.
public protocol TemplateRule: Sendable {
    /// Diagnostics for `template`.
    func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic]

    /// The rules this one reports, by ID: what an app may turn off or give another severity
    /// (`App.configureRule`), and what `validate --template --fail-on` treats as findings rather
    /// than validity errors. Empty for a rule that declares none (its diagnostics are then
    /// validity errors and warnings like the built-in checks').
    var catalog: [RuleInfo] { get }
}

extension TemplateRule {
    public var catalog: [RuleInfo] { [] }
}

/// One rule of a rule pack: its stable ID, its default severity, what it finds, why it matters
/// and how to fix it (the README's rule table is these fields).
public struct RuleInfo: Sendable, Hashable {
    /// The stable ID (`FM4002`), the `code` of its diagnostics.
    public let id: String
    /// The severity its findings have unless the app changes it.
    public let severity: FindingSeverity
    /// What it finds, in a few words.
    public let title: String
    /// Why it matters, in one line.
    public let rationale: String
    /// How to fix what it finds.
    public let fix: String

    public init(_ id: String, _ severity: FindingSeverity, _ title: String, rationale: String, fix: String) {
        self.id = id
        self.severity = severity
        self.title = title
        self.rationale = rationale
        self.fix = fix
    }
}

/// What an app does with one rule: turn it off, or report its findings at another severity.
public enum RuleSetting: Sendable, Hashable {
    /// Its findings are dropped.
    case off
    /// Its findings are reported at this severity.
    case severity(FindingSeverity)
}
