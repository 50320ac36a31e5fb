import Formation

/// Where in a file a diagnostic points: the file, the line and column, and the template entry it
/// concerns (`["Resources", "Sg"]`, `["Outputs", "Arn"]`; empty for the template as a whole).
struct DiagnosticLocation: Sendable, Hashable {
    /// The file as the user named it.
    let file: String
    /// Where the nearest key or item of the diagnostic's place starts.
    let position: SourcePositions.Position?
    /// The section and entry name the diagnostic concerns (empty for the whole template); for an
    /// entry an `Fn::ForEach` loop produced, the copy's own name (`["Resources", "BucketA"]`).
    let entry: [String]
    /// The loop that produced the entry (`Fn::ForEach::Buckets`), or nil when it is written out.
    var loop: String? = nil

    /// The resource's logical ID, when the diagnostic concerns a resource.
    var logicalID: String? { entry.count == 2 && entry[0] == "Resources" ? entry[1] : nil }

    /// `Resources/Sg`-style name of the entry, for the text output (empty for the whole template);
    /// a loop's copy as `Fn::ForEach::Buckets/BucketA`.
    var entryName: String {
        let name = logicalID ?? entry.joined(separator: "/")
        guard let loop else { return name }
        return logicalID != nil ? "\(loop)/\(name)" : "\(entry[0])/\(loop)/\(entry[1])"
    }
}

/// Finds the place in a parsed template file that a diagnostic's path and property name.
///
/// Diagnostics on template files have the path `FILE` (the template), `FILE/LogicalID` (a
/// resource) or `FILE/Section/Name` (a parameter, output, condition, mapping…), and a property
/// path such as `Policies[0].PolicyDocument.Statement[0].Action`, relative to the resource's
/// `Properties` or, for `Type`, `DependsOn`, `Condition`, `Metadata`…, to the resource itself.
/// The position is that of the longest part of that path the file has: a missing required
/// property points at `Properties`, a property inside an alias's expansion at the alias.
struct DiagnosticLocator: Sendable {
    /// The file's name as diagnostics carry it (the validation context's stack path).
    let file: String
    let positions: SourcePositions
    /// What diagnostic paths start with: the file's name, or for a synthesized stack the stack's
    /// name (its template then being `file`).
    var prefix: String
    /// Logical IDs by construct path, for a synthesized stack's resources.
    var logicalIDs: [String: String] = [:]
    /// Where the entries `Fn::ForEach` loops produced are written (a finding in a copy points at
    /// the node of the loop's body it came from).
    var origins = LoopOrigins()

    init(file: String, positions: SourcePositions, prefix: String? = nil, logicalIDs: [String: String] = [:],
         origins: LoopOrigins = LoopOrigins()) {
        self.file = file
        self.positions = positions
        self.prefix = prefix ?? file
        self.logicalIDs = logicalIDs
        self.origins = origins
    }
    /// Diagnostics whose place is known otherwise (a YAML alias's), with that place.
    var known: [Diagnostic: SourcePositions.Position] = [:]

    /// The sections whose entries a diagnostic path names as `FILE/Section/Name`.
    static let sections: Set<String> = ["Parameters", "Mappings", "Conditions", "Outputs", "Rules", "Metadata", "Transform", "Globals"]

    /// Where `diagnostic` points, or nil when it is not about this file.
    func locate(_ diagnostic: Diagnostic) -> DiagnosticLocation? {
        if let position = known[diagnostic] { return DiagnosticLocation(file: file, position: position, entry: []) }
        let rest: Substring
        if diagnostic.path == prefix {
            rest = ""
        } else if diagnostic.path.hasPrefix(prefix + "/") {
            rest = diagnostic.path.dropFirst(prefix.count + 1)
        } else {
            return nil
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var entry: [String]
        if let logicalID = logicalIDs[diagnostic.path] {
            entry = ["Resources", logicalID]
        } else if parts.isEmpty {
            entry = []
        } else if parts.count == 1, rest.hasSuffix("/"), Self.sections.contains(parts[0]) {
            entry = [parts[0]]  // the section itself (`FILE/Outputs/`)
        } else if parts.count >= 2, Self.sections.contains(parts[0]) {
            entry = [parts[0], parts[1...].joined(separator: "/")]
        } else {
            entry = ["Resources", parts.joined(separator: "/")]
        }
        var property = diagnostic.property.map(Self.components) ?? []
        // An entry an Fn::ForEach loop produced (`Fn::ForEach::Loop/BucketA`) is found in the
        // loop's body, at the node the finding's property came from.
        if let origin = origins[diagnostic.path], entry.count == 2, let slash = entry[1].firstIndex(of: "/") {
            let copy = [entry[0], String(entry[1][entry[1].index(after: slash)...])]
            let position = Self.best(property.isEmpty ? [[]] : entry[0] == "Resources" ? [["Properties"] + property, property] : [property]) { candidate in
                let (path, followed) = origin.sourcePath(of: candidate)
                guard let found = positions.nearest(path, minimum: origin.source.count) else { return nil }
                return (found.position, found.matched, followed == candidate.count && found.matched == path.count)
            }
            return DiagnosticLocation(file: file, position: position, entry: copy, loop: String(entry[1][..<slash]))
        }
        let written = entry
        // Without its origin (a malformed loop), such an entry is found at its loop.
        if entry.count == 2, positions.nearest(entry, minimum: 2) == nil, let slash = entry[1].firstIndex(of: "/") {
            let loop = ["Resources", String(entry[1][..<slash])]
            entry = entry[0] == "Resources" ? loop : [entry[0], String(entry[1][..<slash])]
            property = []
        }
        var candidates = [entry + property]
        if entry.first == "Resources" && !property.isEmpty {
            candidates.insert(entry + ["Properties"] + property, at: 0)
        }
        let best = Self.best(candidates) { candidate in
            positions.nearest(candidate, minimum: max(entry.count, 1)).map { ($0.position, $0.matched, $0.matched == candidate.count) }
        }
        // A diagnostic on the whole template with no property (its size, its aliases) has no place.
        let position = entry.isEmpty && property.isEmpty ? nil : best
        return DiagnosticLocation(file: file, position: position, entry: written)
    }

    /// The position of the candidate found whole, or else of the one found deepest (the first
    /// of equals): `find` gives each candidate's position, depth and whether it is whole.
    private static func best(_ candidates: [[String]],
                             _ find: ([String]) -> (position: SourcePositions.Position, matched: Int, whole: Bool)?) -> SourcePositions.Position? {
        var best: (position: SourcePositions.Position, matched: Int, whole: Bool)?
        for candidate in candidates {
            guard let found = find(candidate) else { continue }
            if best == nil || (found.whole && !(best?.whole ?? false)) || (found.whole == best?.whole && found.matched > best!.matched) {
                best = found
            }
        }
        return best?.position
    }

    /// `A.B[0].C` → `["A", "B", "0", "C"]`.
    static func components(_ property: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inIndex = false
        for character in property {
            switch character {
            case "." where !inIndex:
                if !current.isEmpty { result.append(current) }
                current = ""
            case "[" where !inIndex:
                if !current.isEmpty { result.append(current) }
                current = ""
                inIndex = true
            case "]" where inIndex:
                result.append(current)
                current = ""
                inIndex = false
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
