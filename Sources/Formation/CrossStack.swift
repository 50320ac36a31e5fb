/// References between the stacks of one app.
///
/// A token of stack A used in stack B (`network.vpc.ref` in a resource of the service stack)
/// becomes, in B's template, `Fn::ImportValue` of an export name derived from A's name and the
/// token; A's template gets an Output with that Export, whose value is the token as A writes it.
/// B then depends on A: `formation list --order` and `deploy-args` put A first. Both stacks must
/// deploy to the same regions (an export is visible in its own account and region only).
public enum CrossStack {
    /// CloudFormation's limit on an export name.
    public static let maximumExportNameLength = 255

    /// The export name of `token` (of stack `token.stackName`): `<Stack>:<LogicalID>` for a
    /// `Ref`, `<Stack>:<LogicalID>:<Attribute>` for a `Fn::GetAtt` (dots in the attribute become
    /// `-`), `<Stack>:Value-<16 hex digits>` for any other value (a hash of its JSON).
    public static func exportName(_ token: Token) -> String {
        let producer = token.stackName ?? ""
        switch token.intrinsic {
        case .ref(let name) where LogicalID.isValid(name):
            return "\(producer):\(name)"
        case .getAtt(let resource, let attribute) where LogicalID.isValid(resource) && isExportable(attribute):
            return "\(producer):\(resource):\(String(attribute.map { $0 == "." ? "-" : $0 }))"
        default:
            return "\(producer):Value-\(hash(TemplateValue.fn(token.intrinsic).description))"
        }
    }

    /// The logical ID of the Output that exports `exportName` in its stack:
    /// `Export` + its letters and digits after the stack name.
    public static func outputName(exportName: String) -> String {
        let afterStack = exportName.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? exportName
        let alphanumerics = afterStack.unicodeScalars.filter(LogicalID.isAlphanumeric)
        var name = "Export"
        name.unicodeScalars.append(contentsOf: alphanumerics)
        return String(name.prefix(LogicalID.maximumLength))
    }

    /// How a consumer's template refers to `token`: `Fn::ImportValue` of its export name.
    static func importValue(_ token: Token) -> TemplateValue {
        .fn(.importValue(.string(exportName(token))))
    }

    /// Attribute names allowed in an export name (besides the dots replaced by `-`).
    private static func isExportable(_ attribute: String) -> Bool {
        !attribute.isEmpty && attribute.unicodeScalars.allSatisfy { LogicalID.isAlphanumeric($0) || $0 == "." }
    }

    /// FNV-1a over the UTF-8 bytes, as 16 hex digits (a name, not a security property: a clash
    /// of two different values under one name is reported).
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x100_0000_01b3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Who refers to whom among an app's stacks, found by encoding every stack once.
public struct CrossStackPlan: Sendable {
    /// One use of another stack's token.
    public struct Import: Sendable, Hashable {
        /// The construct path of what uses it (a resource or an output).
        public let path: String
        public let token: Token
    }

    /// Per consumer stack, the foreign tokens it uses, in tree order.
    public private(set) var imports: [String: [Import]] = [:]

    /// An empty plan (an app of one stack, or a stack outside an app).
    public init() {}

    /// The plan of the stacks whose syntheses these are (each synthesis lists its imports): no
    /// second encoding pass when the app's stacks are synthesized anyway.
    public init(_ syntheses: [Synthesis]) {
        for synthesis in syntheses where !synthesis.imports.isEmpty {
            imports[synthesis.stackName] = synthesis.imports
        }
    }

    /// Whether `stack`'s template depends on the plan: it exports something, or is in a cycle.
    func affects(_ stack: String, among names: [String]) -> Bool {
        imports.values.contains { $0.contains { $0.token.stackName == stack } }
            || cycles(among: names).contains { $0.contains(stack) }
    }

    /// The plan of `stacks` (their prepare hooks must have run).
    init(_ stacks: [Stack]) {
        guard stacks.count > 1 else { return }
        for stack in stacks {
            var found: [Import] = []
            for resource in stack.allResources {
                let context = EncodingContext(stackName: stack.name)
                _ = resource.definition(context)
                found += context.foreignTokens.map { Import(path: resource.path, token: $0) }
            }
            let (_, outputTokens) = stack.outputsSection()
            for entry in outputTokens {
                found += entry.tokens.map { Import(path: entry.path, token: $0) }
            }
            if !found.isEmpty { imports[stack.name] = found }
        }
    }

    /// The tokens of `producer` that other stacks use, by export name (sorted), with the stacks
    /// that use them; more than one token under one name is a clash.
    public func exports(of producer: String) -> [(exportName: String, tokens: [Token], consumers: [String])] {
        var byName: [String: (tokens: Set<Token>, consumers: Set<String>)] = [:]
        for (consumer, uses) in imports {
            for use in uses where use.token.stackName == producer {
                let name = CrossStack.exportName(use.token)
                byName[name, default: ([], [])].tokens.insert(use.token)
                byName[name, default: ([], [])].consumers.insert(consumer)
            }
        }
        return byName.keys.sorted().compactMap { name in
            byName[name].map { (name, $0.tokens.sorted { $0.description < $1.description }, $0.consumers.sorted()) }
        }
    }

    /// The stacks `consumer` imports from, sorted.
    public func dependencies(of consumer: String) -> [String] {
        Set((imports[consumer] ?? []).compactMap(\.token.stackName)).sorted()
    }

    /// Every cycle among the stacks, each as a chain that starts and ends with the same stack
    /// (`A → B → A`), the chain starting at its least stack name; sorted.
    public func cycles(among names: [String]) -> [[String]] {
        var found: Set<[String]> = []
        let known = Set(names)
        func visit(_ name: String, _ trail: [String]) {
            for next in dependencies(of: name) where known.contains(next) {
                if let start = trail.firstIndex(of: next) {
                    var cycle = Array(trail[start...])
                    // Rotate so the least name leads: one spelling per cycle.
                    if let least = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
                        cycle = Array(cycle[least...] + cycle[..<least])
                    }
                    found.insert(cycle + [cycle[0]])
                } else if trail.count < names.count {
                    visit(next, trail + [next])
                }
            }
        }
        for name in names { visit(name, [name]) }
        return found.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// `stacks` in an order to deploy them: every stack after the stacks it imports from, and
    /// otherwise in the given order. Stacks in a cycle keep their given order.
    public func deployOrder(_ stacks: [Stack]) -> [Stack] {
        var placed: Set<String> = []
        var order: [Stack] = []
        var remaining = stacks
        while !remaining.isEmpty {
            let names = Set(remaining.map(\.name))
            let ready = remaining.firstIndex { stack in
                dependencies(of: stack.name).allSatisfy { placed.contains($0) || !names.contains($0) }
            } ?? 0  // a cycle: take the first left
            let stack = remaining.remove(at: ready)
            placed.insert(stack.name)
            order.append(stack)
        }
        return order
    }
}

extension App {
    /// Who refers to whom among the app's stacks (runs every stack's prepare hooks).
    public func crossStackPlan() -> CrossStackPlan {
        for stack in stacks { stack.runPrepareHooks() }
        return CrossStackPlan(stacks)
    }

    /// The app's stacks in an order to deploy them: each after the stacks it imports from.
    public func deployOrder() -> [Stack] {
        crossStackPlan().deployOrder(stacks)
    }
}
