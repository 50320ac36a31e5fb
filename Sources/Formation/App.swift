/// A Formation app: the set of stacks one `formation` command line works on.
///
/// ```swift
/// let app = App(schemas: .bundled)
/// let stack = app.stack("Demo-dev", environment: "dev")
/// let key = stack.add("Key", KMS.Key(enableKeyRotation: true)).retainOnDelete()
/// stack.output("KeyArn", key.arn)
/// ```
public final class App {
    /// Schemas for validating raw resources and template files by type name.
    public let schemas: SchemaRegistry
    /// Extra rules run on every synthesized template after the built-in checks.
    public let rules: [any TemplateRule]
    /// The stacks, in the order they were created.
    public private(set) var stacks: [Stack] = []
    private var appDiagnostics: [Diagnostic] = []

    /// An app whose raw resources are validated with `schemas`, and whose templates are also
    /// checked by `rules`.
    public init(schemas: SchemaRegistry = .empty, rules: [any TemplateRule] = []) {
        self.schemas = schemas
        self.rules = rules
    }

    /// Every check this app applies to a template: the built-in ones, then the app's rules.
    public func validate(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        TemplateValidator.validate(template, context) + rules.flatMap { $0.check(template, context) }
    }

    /// Creates a stack. Names must match CloudFormation's stack-name rule and be unique.
    @discardableResult
    public func stack(_ name: String, description: String? = nil, environment: String? = nil) -> Stack {
        if !StackName.isValid(name) {
            appDiagnostics.append(.error(DiagnosticCode.invalidStackName, path: name,
                                         "stack name \(quotedForMessage(name)) is invalid: it must match \(StackName.rule)"))
        }
        if stacks.contains(where: { $0.name == name }) {
            appDiagnostics.append(.error(DiagnosticCode.duplicateStackName, path: name,
                                         "stack name \(name) is used by two stacks in this app"))
        }
        let stack = Stack(app: self, name: name, description: description, environment: environment)
        stacks.append(stack)
        return stack
    }

    /// The stack named `name`, if any.
    public func stack(named name: String) -> Stack? {
        stacks.first { $0.name == name }
    }

    /// Problems with the app itself (stack names), reported with every synthesis.
    public var diagnostics: [Diagnostic] { appDiagnostics }

    /// Synthesizes every stack; the results are in stack order.
    ///
    /// The prepare hooks (which may change constructs) run first, one stack after another; then
    /// the stacks are encoded and validated concurrently, each reading only its own tree.
    public func synthesize() -> [Synthesis] {
        Stack.synthesize(stacks)
    }
}

/// CloudFormation's stack-name rule.
public enum StackName {
    /// The rule as a message fragment.
    public static let rule = "^[A-Za-z][A-Za-z0-9-]{0,127}$"

    /// Whether `name` is a valid stack name.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 128,
              LogicalID.isAlphanumeric(first), !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { LogicalID.isAlphanumeric($0) || $0 == "-" }
    }
}
