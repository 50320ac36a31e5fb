/// Dependency cycles between resources, through `Ref`, `Fn::GetAtt`, `Fn::Sub` variables and
/// `DependsOn`. Each cycle is reported once, as the chain that closes it (`A → B → A`).
enum CycleCheck {
    /// `propertyScans[i]`, when present, holds the names the Properties of resource entry `i`
    /// refer to (so Properties is not walked a second time).
    static func run(_ template: Template, _ context: ValidationContext, propertyScans: [ReferenceCheck.PropertyScan?]) -> [Diagnostic] {
        // Resources by position in the template; edges, colours and marks in arrays by position.
        let resources = template.resources
        let names = resources.keys
        var edges: [[Int]] = Array(repeating: [], count: names.count)
        var lastSource = [Int](repeating: -1, count: names.count)  // dedups each resource's targets
        for (source, entry) in resources.entries.enumerated() {
            guard let body = entry.value.mapValue else { continue }
            var targets: [Int] = []
            func add(_ target: Int) {
                if lastSource[target] != source {
                    lastSource[target] = source
                    targets.append(target)
                }
            }
            if body["DependsOn"] != nil {
                for name in ResourceView(logicalID: entry.key, body: body).dependsOn {
                    if let target = resources.position(of: name) { add(target) }
                }
            }
            // The reference walk gathered the resources Properties refers to (nil: no Properties).
            if source < propertyScans.count, let scan = propertyScans[source] {
                for target in scan.referencedResources { add(target) }
            }
            edges[source] = targets
        }

        var diagnostics: [Diagnostic] = []
        for cycle in cycles(edges) {
            let text = (cycle + [cycle[0]]).map { names[$0] }.joined(separator: " → ")
            diagnostics.append(.error(DiagnosticCode.dependencyCycle, path: context.path(ofResource: names[cycle[0]]),
                                      "dependency cycle: \(text); CloudFormation cannot create these resources in any order"))
        }
        diagnostics += conditionCycles(template, context)
        return diagnostics
    }

    /// Conditions that name one another in a ring (`A: !Condition B`, `B: !Not [!Condition A]`,
    /// or `C: !Not [!Condition C]`): no value can be given to any of them. One FM1106 error per
    /// ring, at its first condition.
    static func conditionCycles(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        let conditions = template.conditions
        guard !conditions.isEmpty else { return [] }
        let names = conditions.keys
        var edges: [[Int]] = Array(repeating: [], count: names.count)
        for (source, entry) in conditions.entries.enumerated() {
            var targets: [Int] = []
            entry.value.walk { _, value in
                var named: String?
                switch value {
                case .fn(.condition(let name)): named = name
                case .map(let map) where map.count == 1: named = map["Condition"]?.stringValue
                default: break
                }
                if let named, let target = conditions.position(of: named), !targets.contains(target) { targets.append(target) }
            }
            edges[source] = targets
        }
        return cycles(edges).map { cycle in
            let text = (cycle + [cycle[0]]).map { names[$0] }.joined(separator: " → ")
            return .error(DiagnosticCode.dependencyCycle, path: context.path(section: "Conditions", name: names[cycle[0]]),
                          "condition cycle: \(text); CloudFormation cannot evaluate conditions that depend on themselves")
        }
    }

    /// Each cycle of the graph `edges` (node → the nodes it points at) once, as the nodes in
    /// order from where the depth-first search entered it (a node pointing at itself is a cycle
    /// of one). Iterative, so a chain of any length cannot overflow the stack.
    static func cycles(_ edges: [[Int]]) -> [[Int]] {
        // Iterative depth-first search with colours; a grey target closes a cycle.
        let white: UInt8 = 0, grey: UInt8 = 1, black: UInt8 = 2
        var colour = [UInt8](repeating: white, count: edges.count)
        var found: [[Int]] = []
        var reported = Set<Set<Int>>()
        for start in edges.indices where colour[start] == white {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            var chain: [Int] = [start]
            colour[start] = grey
            while let top = stack.last {
                let targets = edges[top.node]
                if top.next < targets.count {
                    stack[stack.count - 1].next += 1
                    let target = targets[top.next]
                    switch colour[target] {
                    case white:
                        colour[target] = grey
                        stack.append((target, 0))
                        chain.append(target)
                    case grey:
                        guard let from = chain.lastIndex(of: target) else { continue }
                        let cycle = Array(chain[from...])
                        if reported.insert(Set(cycle)).inserted { found.append(cycle) }
                    default:
                        break
                    }
                } else {
                    colour[top.node] = black
                    stack.removeLast()
                    chain.removeLast()
                }
            }
        }
        return found
    }
}
