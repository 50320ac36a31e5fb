import Formation

/// Turns the STACK arguments of a command into stacks of the app.
enum StackSelection {
    /// The named stacks, in the order given (duplicates once); every stack when `names` is
    /// empty. An unknown name is a usage error naming it and suggesting the closest stack name.
    static func resolve(_ names: [String], in app: App) throws(CLIError) -> [Stack] {
        if names.isEmpty { return app.stacks }
        var selected: [Stack] = []
        var problems: [String] = []
        for name in names {
            if let stack = app.stack(named: name) {
                if !selected.contains(where: { $0 === stack }) { selected.append(stack) }
            } else {
                problems.append(unknownStackMessage(name, in: app))
            }
        }
        if !problems.isEmpty { throw .usage(problems) }
        return selected
    }

    /// `no stack named 'X'; did you mean 'Y'?`: the stack the name is a prefix of, or the closest
    /// by edit distance; the list of stacks when none is close.
    static func unknownStackMessage(_ name: String, in app: App) -> String {
        let names = app.stacks.map(\.name)
        guard !names.isEmpty else {
            return "no stack named '\(name)': this app has no stacks"
        }
        let prefixed = names.filter { $0.lowercased().hasPrefix(name.lowercased()) }
        if prefixed.count > 1 {
            let shown = prefixed.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            return "no stack named '\(name)'; did you mean one of \(shown)\(prefixed.count > 5 ? ", …" : "")?"
        }
        if let closest = prefixed.first ?? closest(to: name, among: names) {
            return "no stack named '\(name)'; did you mean '\(closest)'? ('formation list' shows all \(plural(names.count, "stack")))"
        }
        let shown = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
        return "no stack named '\(name)'; the stacks are \(shown)\(names.count > 10 ? ", … ('formation list' shows all)" : "")"
    }

    /// The name nearest to `name` by edit distance (ignoring case), when it is near enough to be
    /// a plausible typo: at most a third of the longer name's length, and at least 2 edits allowed.
    static func closest(to name: String, among names: [String]) -> String? {
        let target = name.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in names {
            let distance = EditDistance.between(target, candidate.lowercased())
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = max(2, max(name.count, best.name.count) / 3)
        return best.distance <= allowed ? best.name : nil
    }
}
