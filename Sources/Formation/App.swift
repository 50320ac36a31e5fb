/// A Formation app: the set of stacks one `formation` command line works on.
///
/// ```swift
/// let app = App()                               // the whole CloudFormation registry
/// let stack = app.stack("Demo-dev", environment: "dev", regions: ["us-east-1", "eu-west-1"])
/// let key = stack.add("Key", KMS.Key(enableKeyRotation: true)).retainOnDelete()
/// stack.output("KeyArn", key.arn)
/// ```
public final class App {
    /// Schemas for validating resources and template files by type name and region.
    public let schemas: SchemaRegistry
    /// Types outside the registry the app uses on purpose (third-party, private, modules).
    public private(set) var declaredTypes = DeclaredTypes()
    /// Extra rules run on every synthesized template after the built-in checks.
    public let rules: [any TemplateRule]
    /// Every rule the app's rules declare, by ID.
    public let ruleCatalog: [String: RuleInfo]
    /// The app's settings for rules, by ID (`configureRule`).
    public private(set) var ruleSettings: [String: RuleSetting] = [:]
    /// The stacks, in the order they were created.
    public private(set) var stacks: [Stack] = []
    private var appDiagnostics: [Diagnostic] = []
    /// Problems that concern every stack (a declared type's schema that cannot be used).
    private var sharedDiagnostics: [Diagnostic] = []

    /// An app whose resources are validated with `schemas` (by default the whole registry that
    /// Formation bundles), and whose templates are also checked by `rules`.
    public init(schemas: SchemaRegistry = .bundled, rules: [any TemplateRule] = []) {
        self.schemas = schemas
        self.rules = rules
        var catalog: [String: RuleInfo] = [:]
        for rule in rules {
            for info in rule.catalog { catalog[info.id] = info }
        }
        ruleCatalog = catalog
    }

    /// Every check this app applies to a template: the built-in ones, then the app's rules, whose
    /// findings follow the app's rule settings (dropped when off, or at the configured severity).
    public func validate(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        // Rules and checks see the template as CloudFormation does after its own transforms.
        TemplatePreparation.validate(template, context) { template, context in
            TemplateValidator.checks(template, context) + ruleFindings(template, context)
        }
    }

    private func ruleFindings(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        let findings = rules.flatMap { $0.check(template, context) }
        let settled: [Diagnostic] = ruleSettings.isEmpty ? findings : findings.compactMap { finding in
            switch ruleSettings[finding.code] {
            case nil: finding
            case .off?: nil
            case .severity(let severity)?: finding.with(severity: severity)
            }
        }
        // Suppressions in resources' Metadata (Formation's, cfn-lint's, cfn_nag's, checkov's).
        return Suppressions.apply(settled, template, context, catalog: ruleCatalog)
    }

    /// Whether `diagnostic` is a rule's finding (its code is in the app's rule catalog) rather than
    /// a validity error or warning.
    public func isFinding(_ diagnostic: Diagnostic) -> Bool {
        ruleCatalog[diagnostic.code] != nil
    }

    /// Turns the rule `id` off or changes the severity of its findings, for every stack and
    /// template this app validates:
    ///
    /// ```swift
    /// app.configureRule("FM4002", .severity(.warning))
    /// app.configureRule("FM4801", .off)
    /// ```
    ///
    /// An ID none of the app's rules declares is an error of the app naming the closest ID.
    public func configureRule(_ id: String, _ setting: RuleSetting) {
        guard ruleCatalog[id] != nil else {
            var message = "configureRule: \(quotedForMessage(id)) is not a rule of this app"
            if let close = Suggestion.closest(to: id, among: ruleCatalog.keys.sorted()) { message += "; did you mean \(close)?" }
            sharedDiagnostics.append(.error(DiagnosticCode.unknownRule, path: "app", message))
            return
        }
        ruleSettings[id] = setting
    }

    /// Declares a resource type outside the CloudFormation registry that the app uses on
    /// purpose: a third-party or private-registry type (`Org::Service::Thing`) or a module
    /// (`Org::Service::Thing::MODULE`). With `schema`, its resources are validated against it.
    public func declareType(_ typeName: String, schema: (any ResourceSchema)? = nil) {
        declaredTypes.declare(typeName, schema: schema)
    }

    /// Declares a type with its registry schema file (the JSON `cfn submit` registers). A file
    /// that cannot be read or compiled is an error of the app, naming the file.
    public func declareType(_ typeName: String, schemaFile path: String) {
        do {
            let schema = try RegistrySchema(file: path)
            if schema.typeName != typeName {
                sharedDiagnostics.append(.error(SchemaDiagnosticCode.schemaUnusable, path: typeName,
                                             "\(path) is the schema of \(schema.typeName), not \(typeName)"))
            }
            declaredTypes.declare(typeName, schema: schema)
        } catch {
            declaredTypes.declare(typeName)
            sharedDiagnostics.append(.error(SchemaDiagnosticCode.schemaUnusable, path: typeName,
                                         "the schema of \(typeName) cannot be used: \(error); its resources are not validated"))
        }
    }

    /// Creates a stack. Names must match CloudFormation's stack-name rule and be unique.
    ///
    /// `regions` are the regions the stack deploys to (us-east-1 when none is given): every
    /// resource type must exist in each, and is validated against each region's schema.
    /// `account` is the 12-digit AWS account it deploys to; nil leaves it to the deploying
    /// credentials. A reference across stacks needs both stacks in one account and region.
    @discardableResult
    public func stack(_ name: String, description: String? = nil, environment: String? = nil, regions: [String] = [],
                      account: String? = nil) -> Stack {
        if !StackName.isValid(name) {
            appDiagnostics.append(.error(DiagnosticCode.invalidStackName, path: name,
                                         "stack name \(quotedForMessage(name)) is invalid: it must match \(StackName.rule)"))
        }
        if stacks.contains(where: { $0.name == name }) {
            appDiagnostics.append(.error(DiagnosticCode.duplicateStackName, path: name,
                                         "stack name \(name) is used by two stacks in this app"))
        }
        for region in regions where !schemas.isEmpty && schemas.loadError == nil && !schemas.knowsRegion(region) {
            var message = "stack \(name) deploys to \(quotedForMessage(region)), which is not a region the registry knows"
            if let suggestion = schemas.regionSuggestion(for: region) { message += "; did you mean \(suggestion)?" }
            appDiagnostics.append(.error(SchemaDiagnosticCode.unknownRegion, path: name, message))
        }
        if let account, !StackSetDeployment.isAccountID(account) {
            appDiagnostics.append(.error(DiagnosticCode.invalidAccount, path: name,
                                         "stack \(name) deploys to account \(quotedForMessage(account)), which is not an AWS account ID: it must be 12 digits"))
        }
        let stack = Stack(app: self, name: name, description: description, environment: environment, regions: regions, account: account)
        stacks.append(stack)
        return stack
    }

    /// A stack for a template nested in `parent` (`AWS::CloudFormation::Stack`): not one of the
    /// app's stacks; the construct that embeds it (`NestedStack`) synthesizes it with the parent.
    public func nestedTemplate(_ name: String, in parent: Stack, description: String? = nil) -> Stack {
        Stack(nestedIn: parent, name: name, description: description)
    }

    /// The stack named `name`, if any.
    public func stack(named name: String) -> Stack? {
        stacks.first { $0.name == name }
    }

    /// Problems with the app itself (stack names, regions, declared types), reported with the
    /// synthesis of the stacks they concern.
    public var diagnostics: [Diagnostic] { appDiagnostics + sharedDiagnostics }

    /// The app's problems that concern the stack `name`.
    func diagnostics(forStack name: String) -> [Diagnostic] {
        appDiagnostics.filter { $0.path == name } + sharedDiagnostics
    }

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
