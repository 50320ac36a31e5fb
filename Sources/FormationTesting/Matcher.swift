import FormationTemplate

/// The matching engine behind ``Match/evaluate(_:path:)``: pure, deterministic, and it collects
/// every failure (not just the first) so that callers can rank candidates by distance.
enum Matcher {
    static func evaluate(_ pattern: Match, _ value: TemplateValue?, path: String) -> MatchResult {
        switch pattern.kind {
        case .exact(let expected):
            guard let value else { return .failure([mismatch(pattern, nil, path)]) }
            let differences = exactDifferences(expected, value, path)
            return differences.isEmpty ? .success() : .failure(differences)

        case .objectLike(let entries):
            return object(pattern, entries, exactly: false, value, path)

        case .objectExactly(let entries):
            return object(pattern, entries, exactly: true, value, path)

        case .absent:
            return value == nil ? .success() : .failure([mismatch(pattern, value, path)])

        case .anyValue:
            switch value {
            case nil, .null?: return .failure([mismatch(pattern, value, path)])
            default: return .success()
            }

        case .regex(let expression):
            return regex(pattern, expression, value, path)

        case .arrayExactly(let patterns):
            guard case .list(let items)? = value, items.count == patterns.count else {
                return .failure([mismatch(pattern, value, path)])
            }
            var failures: [MatchFailure] = []
            var captured: [CapturedValue] = []
            for (offset, element) in patterns.enumerated() {
                let result = evaluate(element, items[offset], path: path + "[\(offset)]")
                failures += result.failures
                captured += result.captured
            }
            return MatchResult(failures: failures, captured: captured)

        case .arrayContainingInOrder(let patterns):
            return containingInOrder(pattern, patterns, value, path)

        case .arrayContainingInAnyOrder(let patterns):
            return containingInAnyOrder(pattern, patterns, value, path)

        case .serializedJSON(let inner):
            return serializedJSON(pattern, inner, value, path)

        case .not(let inner):
            let result = evaluate(inner, value, path: path)
            return result.isMatch ? .failure([mismatch(pattern, value, path)]) : .success()

        case .intrinsic(let name, let argument):
            guard case .fn(let function)? = value, function.name == name else {
                return .failure([mismatch(pattern, value, path)])
            }
            return evaluate(argument, function.argument, path: join(path, name))

        case .capture(let capture, let inner):
            let result = evaluate(inner, value, path: path)
            guard result.isMatch else { return result }
            let own = value.map { [CapturedValue(capture: capture, value: $0)] } ?? []
            return .success(own + result.captured)
        }
    }

    // MARK: - Messages

    /// "no value" for a missing value, the value's compact JSON otherwise.
    static func shown(_ value: TemplateValue?) -> String {
        value?.description ?? "no value"
    }

    /// `expected <pattern>, got <value>` at `path`, weighted by the pattern's size.
    static func mismatch(_ pattern: Match, _ value: TemplateValue?, _ path: String) -> MatchFailure {
        MatchFailure(path: path, message: "expected \(pattern), got \(shown(value))", weight: leafCount(pattern))
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// How many leaf checks a pattern makes (the weight of failing it entirely).
    static func leafCount(_ pattern: Match) -> Int {
        switch pattern.kind {
        case .exact, .absent, .anyValue, .regex, .not:
            return 1
        case .objectLike(let entries), .objectExactly(let entries):
            return max(1, entries.reduce(0) { $0 + leafCount($1.1) })
        case .arrayExactly(let patterns), .arrayContainingInOrder(let patterns), .arrayContainingInAnyOrder(let patterns):
            return max(1, patterns.reduce(0) { $0 + leafCount($1) })
        case .serializedJSON(let inner), .intrinsic(_, let inner), .capture(_, let inner):
            return leafCount(inner)
        }
    }

    // MARK: - Exact

    /// Whether two values are equal as CloudFormation sees them (map key order ignored).
    static func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in
                y[entry.key].map { deepEqual(entry.value, $0) } ?? false
            }
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        case (.fn(let f), .fn(let g)):
            return deepEqual(.map(f.longForm), .map(g.longForm))
        case (.fn(let f), .map):
            return deepEqual(.map(f.longForm), b)
        case (.map, .fn(let g)):
            return deepEqual(a, .map(g.longForm))
        default:
            return a == b
        }
    }

    /// The deepest paths where `actual` differs from `expected`.
    private static func exactDifferences(_ expected: TemplateValue, _ actual: TemplateValue, _ path: String) -> [MatchFailure] {
        if deepEqual(expected, actual) { return [] }
        let whole = [MatchFailure(path: path, message: "expected \(expected), got \(actual)")]
        switch (expected, actual) {
        case (.map(let e), .map(let a)):
            var failures: [MatchFailure] = []
            for entry in e.entries {
                let childPath = join(path, entry.key)
                if let value = a[entry.key] {
                    failures += exactDifferences(entry.value, value, childPath)
                } else {
                    failures.append(MatchFailure(path: childPath, message: "expected \(entry.value), got no value"))
                }
            }
            for entry in a.entries where !e.contains(entry.key) {
                failures.append(MatchFailure(path: join(path, entry.key), message: "expected no value, got \(entry.value)"))
            }
            return failures
        case (.list(let e), .list(let a)) where e.count == a.count:
            return zip(e, a).enumerated().flatMap { offset, pair in
                exactDifferences(pair.0, pair.1, path + "[\(offset)]")
            }
        case (.fn(let f), .fn(let g)) where f.name == g.name && !f.children.isEmpty:
            return exactDifferences(.map(f.longForm), .map(g.longForm), path)
        default:
            return whole
        }
    }

    // MARK: - Objects

    private static func object(_ pattern: Match, _ entries: [(String, Match)], exactly: Bool,
                               _ value: TemplateValue?, _ path: String) -> MatchResult {
        let map: OrderedMap
        switch value {
        case .map(let m)?: map = m
        case .fn(let function)?: map = function.longForm
        default: return .failure([mismatch(pattern, value, path)])
        }
        var failures: [MatchFailure] = []
        var captured: [CapturedValue] = []
        for (key, element) in entries {
            let result = evaluate(element, map[key], path: join(path, key))
            failures += result.failures
            captured += result.captured
        }
        if exactly {
            for entry in map.entries where !entries.contains(where: { $0.0 == entry.key }) {
                failures.append(MatchFailure(path: join(path, entry.key), message: "expected no value, got \(entry.value)"))
            }
        }
        return MatchResult(failures: failures, captured: captured)
    }

    // MARK: - Strings

    private static func regex(_ pattern: Match, _ expression: String, _ value: TemplateValue?, _ path: String) -> MatchResult {
        guard case .string(let text)? = value else { return .failure([mismatch(pattern, value, path)]) }
        let compiled: Regex<AnyRegexOutput>
        do {
            compiled = try Regex(expression)
        } catch {
            return .failure([MatchFailure(path: path, message: "invalid regular expression /\(expression)/: \(error)")])
        }
        do {
            if try compiled.wholeMatch(in: text) != nil { return .success() }
        } catch {
            return .failure([MatchFailure(path: path, message: "regular expression /\(expression)/ failed on \(shown(value)): \(error)")])
        }
        return .failure([mismatch(pattern, value, path)])
    }

    private static func serializedJSON(_ pattern: Match, _ inner: Match, _ value: TemplateValue?, _ path: String) -> MatchResult {
        let text: String
        let innerPath: String
        switch value {
        case .string(let string)?:
            text = string
            innerPath = path + "(json)"
        case .fn(.sub(let string, _))?:
            text = string
            innerPath = join(path, "Fn::Sub") + "(json)"
        default:
            return .failure([mismatch(pattern, value, path)])
        }
        let parsed: TemplateValue
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            return .failure([MatchFailure(path: path, message: "expected \(pattern), but the string is not JSON: \(error)",
                                          weight: leafCount(pattern))])
        }
        return evaluate(inner, parsed, path: innerPath)
    }

    // MARK: - Lists

    /// The failures of the element closest to matching `element` (lowest distance, first on a
    /// tie), followed by a line saying no element matches.
    private static func closest(_ element: Match, number: Int, in results: [MatchResult], _ path: String) -> [MatchFailure] {
        guard let best = results.indices.min(by: { results[$0].distance < results[$1].distance }) else { return [] }
        return results[best].failures + [MatchFailure(
            path: path,
            message: "no element matches pattern element \(number) (\(element)); closest is [\(best)], differences above",
            weight: 0)]
    }

    private static func indexList(_ indices: [Int]) -> String {
        "[" + indices.map(String.init).joined(separator: ", ") + "]"
    }

    private static func containingInOrder(_ pattern: Match, _ patterns: [Match], _ value: TemplateValue?, _ path: String) -> MatchResult {
        guard case .list(let items)? = value, !(items.isEmpty && !patterns.isEmpty) else {
            return .failure([mismatch(pattern, value, path)])
        }
        var failures: [MatchFailure] = []
        var captured: [CapturedValue] = []
        var next = 0                 // the first index the next pattern element may use
        var previous: (element: Int, index: Int)?
        for (number, element) in patterns.enumerated() {
            let results = items.indices.map { evaluate(element, items[$0], path: path + "[\($0)]") }
            if let found = results.indices.first(where: { $0 >= next && results[$0].isMatch }) {
                captured += results[found].captured
                previous = (number, found)
                next = found + 1
                continue
            }
            let earlier = results.indices.filter { results[$0].isMatch }
            if let previous, !earlier.isEmpty {
                let which = earlier.count == 1 ? "which is" : "which are"
                failures.append(MatchFailure(
                    path: path,
                    message: "pattern element \(number) (\(element)) matches only \(indexList(earlier)), \(which) not after [\(previous.index)] "
                        + "(matched by pattern element \(previous.element)); arrayContainingInOrder is order-sensitive: "
                        + "use arrayContainingInAnyOrder if the order does not matter",
                    weight: leafCount(element)))
            } else {
                failures += closest(element, number: number, in: results, path)
            }
        }
        return MatchResult(failures: failures, captured: captured)
    }

    private static func containingInAnyOrder(_ pattern: Match, _ patterns: [Match], _ value: TemplateValue?, _ path: String) -> MatchResult {
        guard case .list(let items)? = value, !(items.isEmpty && !patterns.isEmpty) else {
            return .failure([mismatch(pattern, value, path)])
        }
        let results = patterns.map { element in
            items.indices.map { evaluate(element, items[$0], path: path + "[\($0)]") }
        }
        // Maximum bipartite matching (Kuhn): each pattern element gets its own list element.
        var owner = [Int?](repeating: nil, count: items.count)
        func assign(_ number: Int, _ visited: inout [Bool]) -> Bool {
            for index in items.indices where results[number][index].isMatch && !visited[index] {
                visited[index] = true
                if let current = owner[index] {
                    if assign(current, &visited) {
                        owner[index] = number
                        return true
                    }
                } else {
                    owner[index] = number
                    return true
                }
            }
            return false
        }
        var assigned = Set<Int>()
        for number in patterns.indices {
            var visited = [Bool](repeating: false, count: items.count)
            if assign(number, &visited) { assigned.insert(number) }
        }
        // Augmenting paths can only move, never unassign, earlier pattern elements.
        assigned = Set(owner.compactMap { $0 })

        var failures: [MatchFailure] = []
        for (number, element) in patterns.enumerated() where !assigned.contains(number) {
            let matching = items.indices.filter { results[number][$0].isMatch }
            if matching.isEmpty {
                failures += closest(element, number: number, in: results[number], path)
            } else {
                failures.append(MatchFailure(
                    path: path,
                    message: "pattern element \(number) (\(element)) matches only \(indexList(matching)), "
                        + "which other pattern elements use; each pattern element needs an element of its own",
                    weight: leafCount(element)))
            }
        }
        let captured = items.indices.flatMap { index in
            owner[index].map { results[$0][index].captured } ?? []
        }
        return MatchResult(failures: failures, captured: captured)
    }
}
