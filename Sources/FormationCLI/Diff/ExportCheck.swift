import Formation

/// The "deadly embrace" of exports, caught before deploy: CloudFormation refuses to remove or
/// change an export that another stack imports ("Export … cannot be deleted as it is in use by
/// …"), and a stack cannot import an export that does not exist yet.
///
/// The baseline (snapshots, or what is deployed) says who imports what today; the fresh synth
/// says what each producer will export.
enum ExportCheck {
    /// The exports of a template: export name → the output's value.
    static func exports(of template: Template) -> [String: TemplateValue] {
        var found: [String: TemplateValue] = [:]
        for entry in template.outputs.entries {
            guard let name = entry.value["Export"]?["Name"]?.stringValue else { continue }
            found[name] = entry.value["Value"]
        }
        return found
    }

    /// The export names a template imports with a literal `Fn::ImportValue`.
    static func imports(of template: Template) -> Set<String> {
        var found: Set<String> = []
        func visit(_ value: TemplateValue) {
            switch value {
            case .fn(.importValue(.string(let name))):
                found.insert(name)
            case .fn(let intrinsic):
                intrinsic.forEachChild(visit)
            case .list(let items):
                items.forEach(visit)
            case .map(let map):
                map.entries.forEach { visit($0.value) }
            default:
                break
            }
        }
        for entry in template.resources.entries { visit(entry.value) }
        for entry in template.outputs.entries { visit(entry.value) }
        return found
    }

    /// Problems deploying `stacks` as synthesized (`new`, by stack name) over `old` (each stack's
    /// baseline template, by stack name; a stack without one is new): each a message.
    static func problems(stacks: [String], old: [String: Template], new: [String: Template], order: [String]) -> [String] {
        var messages: [String] = []
        let importedNow = old.mapValues(imports(of:))
        for producer in stacks {
            guard let before = old[producer].map(exports(of:)), let after = new[producer].map(exports(of:)) else { continue }
            for name in before.keys.sorted() {
                let users = importedNow.filter { $0.key != producer && $0.value.contains(name) }.map(\.key).sorted()
                guard !users.isEmpty else { continue }
                let change: String
                if after[name] == nil {
                    change = "removes export \(name)"
                } else if after[name] != before[name] {
                    change = "changes the value of export \(name)"
                } else {
                    continue
                }
                let who = users.joined(separator: ", ")
                messages.append("deploying \(producer) \(change), which \(who) still \(users.count == 1 ? "imports" : "import"): CloudFormation refuses (\"Export \(name) cannot be \(after[name] == nil ? "deleted" : "updated") as it is in use by \(users[0])\"). Deploy in two steps: first \(who) without the import (use the value itself, or another export), then \(producer)")
            }
        }
        // Imports whose export no producer has yet and none will have before the importer deploys.
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for consumer in stacks {
            guard let template = new[consumer] else { continue }
            for name in imports(of: template).sorted() where !(importedNow[consumer]?.contains(name) ?? false) {
                let producer = String(name.prefix { $0 != ":" })
                guard let producerPosition = position[producer], let consumerPosition = position[consumer] else { continue }
                let existsNow = old[producer].map { exports(of: $0)[name] != nil } ?? false
                if !existsNow && producerPosition > consumerPosition {
                    messages.append("\(consumer) imports \(name), which \(producer) does not export yet and deploys after \(consumer): deploy \(producer) first")
                }
            }
        }
        return messages
    }
}
