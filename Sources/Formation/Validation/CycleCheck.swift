/// Dependency cycles between resources, through `Ref`, `Fn::GetAtt`, `Fn::Sub` variables and
/// `DependsOn`. Each cycle is reported once, as the chain that closes it (`A → B → A`).
enum CycleCheck {
    static func run(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        let resources = template.resources
        let order = resources.keys
        var edges: [String: [String]] = [:]
        for entry in resources.entries {
            guard let body = entry.value.mapValue else { continue }
            var targets: [String] = []
            var seen = Set<String>()
            func add(_ target: String) {
                if resources.contains(target) && seen.insert(target).inserted { targets.append(target) }
            }
            for target in ResourceView(logicalID: entry.key, body: body).dependsOn { add(target) }
            if let properties = body["Properties"] {
                for target in properties.referencedNames { add(target) }
            }
            edges[entry.key] = targets
        }

        // Iterative depth-first search with colours; a grey target closes a cycle.
        enum Colour { case white, grey, black }
        var colour: [String: Colour] = [:]
        var diagnostics: [Diagnostic] = []
        var reported = Set<Set<String>>()
        for start in order where colour[start, default: .white] == .white {
            var stack: [(node: String, next: Int)] = [(start, 0)]
            var chain: [String] = [start]
            colour[start] = .grey
            while let top = stack.last {
                let targets = edges[top.node] ?? []
                if top.next < targets.count {
                    stack[stack.count - 1].next += 1
                    let target = targets[top.next]
                    switch colour[target, default: .white] {
                    case .white:
                        colour[target] = .grey
                        stack.append((target, 0))
                        chain.append(target)
                    case .grey:
                        guard let from = chain.lastIndex(of: target) else { continue }
                        let cycle = Array(chain[from...])
                        if reported.insert(Set(cycle)).inserted {
                            let text = (cycle + [target]).joined(separator: " → ")
                            diagnostics.append(.error(DiagnosticCode.dependencyCycle, path: context.path(ofResource: cycle[0]),
                                                      "dependency cycle: \(text); CloudFormation cannot create these resources in any order"))
                        }
                    case .black:
                        break
                    }
                } else {
                    colour[top.node] = .black
                    stack.removeLast()
                    chain.removeLast()
                }
            }
        }
        return diagnostics
    }
}
