/// One CloudFormation stack: the root of a construct tree and the unit that synthesizes into one
/// template.
public final class Stack: Construct {
    /// The stack name (also the root of every construct path in it).
    public var name: String { id }
    /// The template's Description.
    public var templateDescription: String?
    /// The environment this stack instance is for (`dev`, `stg`, `prd`), shown by `formation list`.
    public let environment: String?
    /// The regions the stack deploys to (empty: us-east-1), for validation: every resource type
    /// must exist in each, and is validated against each region's schema.
    public let regions: [String]
    /// The AWS account the stack deploys to (12 digits), or nil when it deploys to whichever
    /// account the deploying credentials belong to. References across stacks need both stacks
    /// in one account; `formation deploy-args` names it.
    public let account: String?
    /// The registry the stack is validated with (the app's; kept here because a stack may
    /// outlive the app, which it refers to weakly).
    public let schemas: SchemaRegistry
    /// The app the stack belongs to.
    public private(set) weak var app: App?
    /// Template-level Metadata.
    public var metadata = OrderedMap()
    /// The Transform section (`AWS::Serverless-2016-10-31`, …).
    public var transform: TemplateValue?
    /// The Rules section: assertions on parameter values CloudFormation checks before it
    /// creates or updates the stack (written as given).
    public var rules = OrderedMap()
    /// `Fn::ForEach` loops (`forEach`, `forEachOutput`): section, key and argument, in order.
    var loopEntries: [(section: String, key: String, value: TemplateValue)] = []
    /// The stack whose template embeds this one as a nested stack (`App.nestedTemplate`), or nil.
    public private(set) weak var nestingParent: Stack?
    /// Diagnostics computed at synthesis by constructs (a nested stack's own findings), each
    /// provider called once per synthesis after the prepare hooks.
    private var diagnosticProviders: [() -> [Diagnostic]] = []
    /// How the stack deploys as a StackSet (`App.stackSet`), or nil for a plain stack.
    public internal(set) var stackSetDeployment: StackSetDeployment?
    /// Values for the parameters when deploying this stack instance (for `formation deploy-args`).
    /// Never written into the template.
    public private(set) var deploymentValues: [String: String] = [:]

    private(set) var resources: [AnyResource] = []
    private var assetFiles: [StackAsset] = []
    private var nestedTemplateList: [NestedTemplate] = []
    private var parameters: [(String, ParameterDefinition)] = []
    private var conditions: [(String, ConditionExpression)] = []
    private var mappings: [(String, OrderedMap)] = []
    private var outputs: [(String, OutputDefinition, [Token], String)] = []
    private var logicalIDOwners: [String: String] = [:]
    private(set) var constructionDiagnostics: [Diagnostic] = []

    init(app: App, name: String, description: String?, environment: String?, regions: [String], account: String?) {
        self.app = app
        self.regions = regions
        self.account = account
        self.schemas = app.schemas
        self.templateDescription = description
        self.environment = environment
        super.init(rootID: name)
    }

    public override var stack: Stack { self }

    /// A stack for a nested template inside `parent` (not one of the app's stacks: its template
    /// is written beside the parent's and deployed by it). Used by `NestedStack`.
    init(nestedIn parent: Stack, name: String, description: String?) {
        self.app = parent.app
        self.regions = parent.regions
        self.account = parent.account
        self.schemas = parent.schemas
        self.templateDescription = description
        self.environment = parent.environment
        self.nestingParent = parent
        super.init(rootID: name)
    }

    /// Registers `provider`, whose diagnostics join this stack's at every synthesis (after the
    /// prepare hooks ran): for findings a construct can only make then, such as a nested
    /// template's own.
    public func onSynthesis(diagnostics provider: @escaping () -> [Diagnostic]) {
        diagnosticProviders.append(provider)
    }

    /// The diagnostics of the registered providers.
    func providedDiagnostics() -> [Diagnostic] {
        diagnosticProviders.flatMap { $0() }
    }

    /// Records a problem found while the tree is built; reported at synthesis.
    public func report(_ diagnostic: Diagnostic) {
        constructionDiagnostics.append(diagnostic)
    }

    /// Claims a logical ID for `path`; a second claim is a collision error naming both paths.
    private func claim(_ logicalID: String, for path: String, checkValidity: Bool = true) {
        if checkValidity && !LogicalID.isValid(logicalID) {
            report(.error(DiagnosticCode.invalidLogicalID, path: path,
                          "logical ID \(quotedForMessage(logicalID)) is invalid: it must be 1 to \(LogicalID.maximumLength) ASCII letters and digits"))
            return
        }
        // One hash in the common case: claim, and give the name back to its first owner on a collision.
        if let owner = logicalIDOwners.updateValue(path, forKey: logicalID) {
            logicalIDOwners[logicalID] = owner
            report(.error(DiagnosticCode.logicalIDCollision, path: path,
                          "logical ID \(logicalID) is already used by \(owner); rename one of the two constructs (Formation never renames silently)"))
        }
    }

    func register(_ resource: AnyResource) {
        // Resource logical IDs are checked with the template (StructureCheck), like any file's.
        claim(resource.logicalID, for: resource.path, checkValidity: false)
        resources.append(resource)
    }

    /// Every resource in the stack, in the order they were added.
    public var allResources: [AnyResource] { resources }

    /// Declares a parameter.
    @discardableResult
    public func parameter<T>(
        _ name: String,
        type: ParameterType<T>,
        description: String? = nil,
        default defaultValue: TemplateValue? = nil,
        noEcho: Bool = false,
        allowedValues: [TemplateValue] = [],
        allowedPattern: String? = nil,
        constraintDescription: String? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        minValue: Double? = nil,
        maxValue: Double? = nil,
        deployValue: String? = nil
    ) -> Parameter<T> {
        claim(name, for: path + "/Parameters/" + name)
        let definition = ParameterDefinition(
            type: type.name, description: description, defaultValue: defaultValue, noEcho: noEcho,
            allowedValues: allowedValues, allowedPattern: allowedPattern,
            constraintDescription: constraintDescription, minLength: minLength, maxLength: maxLength,
            minValue: minValue, maxValue: maxValue)
        parameters.append((name, definition))
        if let deployValue { deploymentValues[name] = deployValue }
        return Parameter(name: name, stackName: self.name, definition: definition)
    }

    /// The declared parameters, in order.
    public var parameterDefinitions: [(name: String, definition: ParameterDefinition)] {
        parameters.map { ($0.0, $0.1) }
    }

    /// Declares a named condition.
    @discardableResult
    public func condition(_ name: String, _ expression: ConditionExpression) -> ConditionHandle {
        if !LogicalID.isValid(name) {
            report(.error(DiagnosticCode.invalidLogicalID, path: path + "/Conditions/" + name,
                          "condition name \(quotedForMessage(name)) is invalid: it must be ASCII letters and digits"))
        }
        if conditions.contains(where: { $0.0 == name }) {
            report(.error(DiagnosticCode.logicalIDCollision, path: path + "/Conditions/" + name,
                          "condition \(name) is declared twice"))
        } else {
            conditions.append((name, expression))
        }
        return ConditionHandle(name: name)
    }

    /// Declares a mapping (`Fn::FindInMap` reads it).
    @discardableResult
    public func mapping(_ name: String, _ table: OrderedMap) -> MappingHandle {
        if !LogicalID.isValid(name) {
            report(.error(DiagnosticCode.invalidLogicalID, path: path + "/Mappings/" + name,
                          "mapping name \(quotedForMessage(name)) is invalid: it must be ASCII letters and digits"))
        }
        if mappings.contains(where: { $0.0 == name }) {
            report(.error(DiagnosticCode.logicalIDCollision, path: path + "/Mappings/" + name,
                          "mapping \(name) is declared twice"))
        } else {
            mappings.append((name, table))
        }
        return MappingHandle(name: name, stackName: self.name)
    }

    /// Declares an output, exported under `exportName` when given.
    @discardableResult
    public func output(
        _ name: String,
        _ value: Value<String>,
        description: String? = nil,
        exportName: Value<String>? = nil,
        condition: ConditionHandle? = nil
    ) -> OutputHandle {
        outputEntry(name, value, description: description, exportName: exportName, condition: condition)
    }

    /// Declares an output whose value is a list (written joined with commas, as CloudFormation
    /// requires outputs to be strings).
    @discardableResult
    public func output(
        _ name: String,
        list: Value<[Value<String>]>,
        description: String? = nil,
        exportName: Value<String>? = nil,
        condition: ConditionHandle? = nil
    ) -> OutputHandle {
        let joined: Value<String>
        switch list {
        case .literal(let items):
            let context = EncodingContext(stackName: self.name)
            let tokens = items.compactMap(\.tokenValue)
            joined = .token(Token(.join(",", .list(items.map { $0.encode(context) })), stackName: tokens.first?.stackName))
        case .token(let token):
            joined = .token(Token(.join(",", .fn(token.intrinsic)), stackName: token.stackName))
        }
        return outputEntry(name, joined, description: description, exportName: exportName, condition: condition)
    }

    private func outputEntry(
        _ name: String, _ value: Value<String>, description: String?, exportName: Value<String>?, condition: ConditionHandle?
    ) -> OutputHandle {
        let outputPath = path + "/Outputs/" + name
        if !LogicalID.isValid(name) {
            report(.error(DiagnosticCode.invalidLogicalID, path: outputPath,
                          "output name \(quotedForMessage(name)) is invalid: it must be 1 to \(LogicalID.maximumLength) ASCII letters and digits"))
        }
        if outputs.contains(where: { $0.0 == name }) {
            report(.error(DiagnosticCode.logicalIDCollision, path: outputPath, "output \(name) is declared twice"))
        }
        let context = EncodingContext(stackName: self.name)
        let definition = OutputDefinition(
            value: value.encode(context), description: description,
            exportName: exportName.map { $0.encode(context) }, condition: condition?.name)
        outputs.append((name, definition, context.foreignTokens, outputPath))
        return OutputHandle(name: name, exportName: exportName)
    }

    /// Registers a file that must be uploaded beside the template (a function's code zip, named
    /// by its content hash). Adding the same name twice with the same bytes is a no-op; different
    /// bytes under one name is an error.
    public func addAsset(_ asset: StackAsset) {
        if let existing = assetFiles.first(where: { $0.fileName == asset.fileName }) {
            if existing.bytes != asset.bytes {
                report(.error(DiagnosticCode.conflictingAsset, path: path,
                              "asset \(asset.fileName) is added twice with different contents"))
            }
            return
        }
        assetFiles.append(asset)
    }

    /// Records the template of a nested stack (`NestedStack`, at each synthesis), replacing the one
    /// recorded before under the same path.
    public func addNestedTemplate(_ nested: NestedTemplate) {
        nestedTemplateList.removeAll { $0.path == nested.path }
        nestedTemplateList.append(nested)
    }

    /// The nested stacks' templates, sorted by construct path.
    public var nestedTemplates: [NestedTemplate] { nestedTemplateList.sorted { $0.path < $1.path } }

    /// The stack's assets, sorted by file name.
    public var assets: [StackAsset] { assetFiles.sorted { $0.fileName < $1.fileName } }

    /// The declared outputs' names, in order.
    public var outputNames: [String] { outputs.map(\.0) }

    /// Synthesizes this stack: the template and every diagnostic.
    public func synthesize() -> Synthesis {
        Synthesizer.synthesize(self, schemas: schemas)
    }

    /// Synthesizes several stacks; the results are in the stacks' order.
    ///
    /// The prepare hooks (which may change constructs) run first, one stack after another; then
    /// the stacks are encoded and validated concurrently, each reading only its own tree.
    public static func synthesize(_ stacks: [Stack]) -> [Synthesis] {
        for stack in stacks { stack.runPrepareHooks() }
        if let app = stacks.first?.app, stacks.count > 1, stacks.count == app.stacks.count,
           zip(stacks, app.stacks).allSatisfy({ $0 === $1 }) {
            // The whole app: its syntheses say who imports what; only the stacks that export
            // something (or are in a cycle) are synthesized again, with the plan.
            var syntheses = Parallel.map(stacks) { Synthesizer.synthesize($0, schemas: $0.schemas, prepare: false, plan: CrossStackPlan()) }
            let plan = CrossStackPlan(syntheses)
            guard !plan.imports.isEmpty else { return syntheses }
            let names = stacks.map(\.name)
            let again = stacks.indices.filter { plan.affects(names[$0], among: names) }
            let redone = Parallel.map(again) { Synthesizer.synthesize(stacks[$0], schemas: stacks[$0].schemas, prepare: false, plan: plan) }
            for (index, synthesis) in zip(again, redone) { syntheses[index] = synthesis }
            return syntheses
        }
        // Who refers to whom, once per app (every stack of the app, selected or not: a stack's
        // exports depend on the stacks that import from it).
        var plans: [ObjectIdentifier: CrossStackPlan] = [:]
        for stack in stacks {
            guard let app = stack.app, plans[ObjectIdentifier(app)] == nil else { continue }
            plans[ObjectIdentifier(app)] = app.crossStackPlan()
        }
        return Parallel.map(stacks) { stack in
            let plan = stack.app.flatMap { plans[ObjectIdentifier($0)] } ?? CrossStackPlan()
            return Synthesizer.synthesize(stack, schemas: stack.schemas, prepare: false, plan: plan)
        }
    }

    // Section builders used by the synthesizer.

    func parametersSection() -> OrderedMap {
        OrderedMap(parameters.map { ($0.0, $0.1.templateValue) })
    }

    func conditionsSection() -> OrderedMap {
        OrderedMap(conditions.map { ($0.0, $0.1.value) })
    }

    func mappingsSection() -> OrderedMap {
        OrderedMap(mappings.map { ($0.0, TemplateValue.map($0.1)) })
    }

    func outputsSection() -> (OrderedMap, [(path: String, tokens: [Token])]) {
        (OrderedMap(outputs.map { ($0.0, $0.1.templateValue) }), outputs.map { ($0.3, $0.2) })
    }
}
