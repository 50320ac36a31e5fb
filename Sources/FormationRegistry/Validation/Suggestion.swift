/// "Did you mean …?" for unknown property names and enum values.
///
/// A candidate scores by close spelling (a typo: one edit for short names, two or a third of
/// the length for longer ones)
/// or by shared words (`ServerProtocol` and `ProtocolConfiguration` share `Protocol`;
/// `IdleTimeoutInSeconds` and `IdleRuntimeSessionTimeout` share `Idle` and `Timeout`), with a
/// bonus when the first words agree (`MaxSessionDurationInSeconds` → `MaxLifetime`). Sibling
/// properties win ties over properties one level down.
public enum Suggestion {
    /// A name that could be meant.
    struct Candidate {
        /// The name compared with the query.
        var name: String
        /// What the message shows (the full path).
        var display: String
        /// Whether the candidate is one level below the unknown property's siblings.
        var nested: Bool
    }

    static let stopWords: Set<String> = ["in", "of", "the", "and", "to", "for", "a", "an", "is", "by", "on"]

    /// The closest candidate's display text, if any is close enough.
    static func closest(to query: String, among candidates: [Candidate]) -> String? {
        let prepared = Query(query)
        var best: (score: Double, nested: Bool, distance: Int, display: String)?
        for candidate in candidates {
            let (score, distance) = prepared.score(candidate.name)
            guard score >= 1 else { continue }
            if let current = best {
                let better = score > current.score
                    || (score == current.score && !candidate.nested && current.nested)
                    || (score == current.score && candidate.nested == current.nested && distance < current.distance)
                if !better { continue }
            }
            best = (score, candidate.nested, distance, candidate.display)
        }
        return best?.display
    }

    /// The closest of plain values (enum suggestions, section names), if any is close enough.
    public static func closest(to query: String, among values: [String]) -> String? {
        closest(to: query, among: values.map { Candidate(name: $0, display: $0, nested: false) })
    }

    static func score(_ query: String, _ candidate: String) -> (score: Double, distance: Int) {
        Query(query).score(candidate)
    }

    /// A query's lowercased characters and words, made once for all the candidates it is
    /// compared with.
    struct Query {
        let lower: [Unicode.Scalar]
        let words: [String]

        init(_ query: String) {
            lower = Array(query.lowercased().unicodeScalars)
            words = Suggestion.words(query).filter { !stopWords.contains($0) }
        }

        func score(_ candidate: String) -> (score: Double, distance: Int) {
            let lowerCandidate = Array(candidate.lowercased().unicodeScalars)
            let distance = editDistance(lower, lowerCandidate)
            var score = 0.0
            let shorter = min(lower.count, lowerCandidate.count)
            if distance == 0 {
                score = 20  // differs only in case
            } else if distance <= (shorter <= 4 ? 1 : max(2, shorter / 3)) {
                score = 10 - Double(distance)
            }
            let candidateWords = Suggestion.words(candidate).filter { !stopWords.contains($0) }
            var shared = 0.0
            for word in words where candidateWords.contains(where: { similar(word, $0) }) {
                shared += 1
            }
            if shared > 0 {
                if let first = words.first, let other = candidateWords.first, similar(first, other) {
                    shared += 0.5
                }
                score = max(score, shared)
            }
            return (score, distance)
        }
    }

    /// Lowercased words of a camel-case or snake-case name.
    static func words(_ name: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previousWasLower = false
        for scalar in name.unicodeScalars {
            let isUpper = ("A"..."Z").contains(scalar)
            let isAlnum = isUpper || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if !isAlnum {
                if !current.isEmpty { result.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if isUpper && previousWasLower && !current.isEmpty {
                result.append(current)
                current = ""
            }
            current += String(scalar).lowercased()
            previousWasLower = !isUpper
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Equal, one a prefix of the other (`config`/`configuration`), or one edit apart.
    static func similar(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let shorter = min(a.count, b.count)
        if shorter >= 4 && (a.hasPrefix(b) || b.hasPrefix(a)) { return true }
        return shorter >= 5 && editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars)) <= 1
    }

    /// Levenshtein distance between scalar arrays (see `EditDistance`).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        EditDistance.between(a, b)
    }
}

/// Levenshtein distance: insertions, deletions and substitutions, each costing 1.
public enum EditDistance {
    /// The distance between two sequences of comparable elements.
    public static func between<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The distance between `a` and `b` when it is at most `limit` (exact), nil when it is more:
    /// rows stop as soon as every entry of one is above the limit.
    public static func atMost<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            // Entries never decrease from one row to the next along any path.
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }

    /// The distance between the characters of two strings.
    public static func between(_ a: String, _ b: String) -> Int {
        between(Array(a), Array(b))
    }
}
