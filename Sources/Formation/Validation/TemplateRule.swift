/// An extra validation rule an app adds to the built-in ones (least privilege, house rules, …).
/// Rules see the synthesized template, like every other check, so they work on template files too.
public protocol TemplateRule: Sendable {
    /// Diagnostics for `template`.
    func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic]
}
