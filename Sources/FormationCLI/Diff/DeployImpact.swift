import Formation

/// What CloudFormation would do to a stack's resources if a stack deployed from the old template
/// were updated to the new one: which resources it would replace, delete, orphan or recreate
/// under a new logical ID.
///
/// Read from the two templates alone, the way CloudFormation decides:
/// - a resource whose type changes is a replacement (which CloudFormation refuses to do in place);
/// - a resource with a changed create-only property (``ReplacementRules``) is replaced; a
///   resource whose create-only property refers to a replaced resource is replaced too;
/// - a removed resource is deleted, unless its old DeletionPolicy retains it (orphaned) or
///   snapshots it first;
/// - a removed resource and an added one of the same type with the same properties is a renamed
///   logical ID: a new resource is created and the old one deleted or orphaned.
///
/// Deleting or replacing a stateful resource (``StatefulTypes``) loses data and is a danger;
/// orphans, renames and replacements of other resources are warnings; a changed resource whose
/// type has no replacement rules gets a note rather than a guess. Values resolved at deploy time
/// (parameters, `Fn::If`) are compared as written.
struct DeployImpact: Sendable {
    /// One consequence for one resource.
    struct Finding: Sendable, Hashable {
        /// How loudly to say it.
        enum Level: Int, Sendable, Hashable, Comparable {
            /// Something to check by hand (rules unknown).
            case note
            /// A consequence to be sure about (an orphan, a rename, a replacement without data loss).
            case warning
            /// Data or a stateful resource would be lost.
            case danger

            static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        /// What CloudFormation would do.
        enum Kind: Sendable, Hashable {
            /// The resource would be replaced by a new one.
            case replaced
            /// The resource would be deleted.
            case deleted
            /// The resource would stay in the account, no longer managed by the stack.
            case orphaned
            /// The logical ID changed: a new resource, and the old one deleted or orphaned.
            case renamed
            /// The type's replacement rules are unknown.
            case unknownRules
        }

        /// How loud.
        let level: Level
        /// What happens.
        let kind: Kind
        /// The sentence to print (without a level prefix).
        let message: String
    }

    /// A resource the template does not change but the deploy would replace, because one of its
    /// create-only properties refers to a replaced resource.
    struct Knock: Sendable, Hashable {
        /// Its logical ID (the same in both templates).
        let logicalID: String
        /// Its type.
        let type: String
    }

    /// Findings by the logical ID of the resource they are about (for a rename, the old ID).
    private(set) var findingsByID: [String: [Finding]] = [:]
    /// Unchanged resources replaced because of what they refer to, in template order.
    private(set) var knockOns: [Knock] = []

    /// Findings for the resource `logicalID` (empty when there are none).
    func findings(for logicalID: String) -> [Finding] {
        findingsByID[logicalID] ?? []
    }

    /// Every finding, for counting.
    var allFindings: [Finding] {
        findingsByID.keys.sorted().flatMap { findingsByID[$0] ?? [] }
    }

    /// The impact of replacing `old` with `new`, given their resource differences (`diff.resources`).
    init(old: Template, new: Template, resources entries: [EntryDiff]) {
        let oldResources = old.resources
        let newResources = new.resources
        var replaced: [String] = []

        // Renames: a removed resource and an added one of the same type with the same properties.
        var renamedTo: [String: String] = [:]
        var pairedAdditions: Set<String> = []
        let added = entries.filter { $0.kind == .added }
        for entry in entries where entry.kind == .removed {
            guard let type = entry.oldType, let body = oldResources[entry.name] else { continue }
            let match = added.first { candidate in
                !pairedAdditions.contains(candidate.name) && candidate.newType == type
                    && Self.same(body["Properties"], newResources[candidate.name]?["Properties"])
            }
            if let match {
                pairedAdditions.insert(match.name)
                renamedTo[entry.name] = match.name
            }
        }

        for entry in entries {
            switch entry.kind {
            case .removed:
                guard let type = entry.oldType, let body = oldResources[entry.name] else { continue }
                let finding = renamedTo[entry.name].map { Self.renamed(from: entry.name, to: $0, type: type, body: body) }
                    ?? Self.removed(type: type, body: body)
                if let finding { add(finding, for: entry.name) }
            case .changed:
                guard let oldBody = oldResources[entry.name], let newBody = newResources[entry.name] else { continue }
                if entry.typeChanged {
                    add(Self.typeChanged(entry, oldBody: oldBody), for: entry.name)
                    replaced.append(entry.name)
                } else if let type = entry.newType {
                    guard let pointers = ReplacementRules.createOnlyProperties(type) else {
                        if entry.changes.contains(where: { $0.path.hasPrefix("Properties") }) {
                            add(Finding(level: .note, kind: .unknownRules, message:
                                "Formation has no replacement rules for \(type): check in CloudFormation's documentation whether these changes require replacement"),
                                for: entry.name)
                        }
                        continue
                    }
                    let changed = pointers.filter { !Self.same(Self.values(at: $0, in: oldBody), Self.values(at: $0, in: newBody)) }
                    if !changed.isEmpty {
                        let paths = changed.map(Self.displayPath)
                        let reason = "\(Self.list(paths)) \(paths.count == 1 ? "changes" : "change") (create-only)"
                        add(Self.replacement(reason: reason, type: type, oldBody: oldBody, newBody: newBody), for: entry.name)
                        replaced.append(entry.name)
                    }
                }
            case .added:
                continue
            }
        }

        // Knock-on replacements: a create-only property that refers to a replaced resource gets a
        // new value at deploy time even though its text is unchanged.
        var done = Set(replaced)
        var frontier = replaced
        while !frontier.isEmpty {
            let targets = Set(frontier)
            frontier = []
            for entry in newResources.entries where !done.contains(entry.key) {
                guard let type = entry.value["Type"]?.stringValue, oldResources[entry.key]?["Type"]?.stringValue == type,
                      let oldBody = oldResources[entry.key],
                      let pointers = ReplacementRules.createOnlyProperties(type) else { continue }
                let causes = pointers.compactMap { pointer -> (path: String, target: String)? in
                    let newValues = Self.values(at: pointer, in: entry.value)
                    guard Self.same(Self.values(at: pointer, in: oldBody), newValues) else { return nil }  // already reported
                    guard let target = newValues.flatMap(\.referencedNames).first(where: targets.contains) else { return nil }
                    return (Self.displayPath(pointer), target)
                }
                guard let cause = causes.first else { continue }
                add(Self.replacement(reason: "\(cause.path) refers to \(cause.target), which is replaced", type: type,
                                     oldBody: oldBody, newBody: entry.value), for: entry.key)
                if !entries.contains(where: { $0.name == entry.key }) {
                    knockOns.append(Knock(logicalID: entry.key, type: type))
                }
                done.insert(entry.key)
                frontier.append(entry.key)
            }
        }
        let order = newResources.keys
        knockOns.sort { (order.firstIndex(of: $0.logicalID) ?? 0) < (order.firstIndex(of: $1.logicalID) ?? 0) }
    }

    private mutating func add(_ finding: Finding, for logicalID: String) {
        findingsByID[logicalID, default: []].append(finding)
    }

    // MARK: - Findings

    /// A removed resource: deleted (stateful: a danger), orphaned by Retain, or nothing to say.
    static func removed(type: String, body: TemplateValue) -> Finding? {
        let policy = deletionPolicy(type: type, body: body)
        switch policy {
        case .retain(let name):
            return Finding(level: .warning, kind: .orphaned, message:
                "would be retained (DeletionPolicy \(name)) and orphaned: CloudFormation stops managing it and never deletes it")
        case .snapshot(let stated):
            guard StatefulTypes.contains(type) else { return nil }
            return Finding(level: .danger, kind: .deleted, message:
                "would be DELETED after a final snapshot (\(stated ? "DeletionPolicy Snapshot" : "no DeletionPolicy; Snapshot is the default for this type"))")
        case .delete(let stated):
            guard StatefulTypes.contains(type) else { return nil }
            return Finding(level: .danger, kind: .deleted, message:
                "would be DELETED with its data (\(stated ? "DeletionPolicy Delete" : "no DeletionPolicy Retain"))")
        case .unresolved(let value):
            guard StatefulTypes.contains(type) else { return nil }
            return Finding(level: .danger, kind: .deleted, message:
                "would be DELETED with its data unless its DeletionPolicy \(value.description) resolves to Retain")
        }
    }

    /// A removed resource whose twin was added under another logical ID.
    static func renamed(from old: String, to new: String, type: String, body: TemplateValue) -> Finding {
        let prefix = "logical ID renamed \(old) → \(new): CloudFormation would create a new \(type) and"
        let stateful = StatefulTypes.contains(type)
        switch deletionPolicy(type: type, body: body) {
        case .retain(let name):
            return Finding(level: .warning, kind: .renamed, message: "\(prefix) orphan the old one (DeletionPolicy \(name))")
        case .snapshot(let stated):
            return Finding(level: stateful ? .danger : .warning, kind: .renamed, message:
                "\(prefix) DELETE the old one after a final snapshot (\(stated ? "DeletionPolicy Snapshot" : "no DeletionPolicy; Snapshot is the default for this type"))")
        case .delete(let stated):
            if stateful {
                return Finding(level: .danger, kind: .renamed, message:
                    "\(prefix) DELETE the old one with its data (\(stated ? "DeletionPolicy Delete" : "no DeletionPolicy Retain"))")
            }
            return Finding(level: .warning, kind: .renamed, message: "\(prefix) delete the old one")
        case .unresolved(let value):
            return Finding(level: stateful ? .danger : .warning, kind: .renamed, message:
                "\(prefix) delete the old one unless its DeletionPolicy \(value.description) resolves to Retain")
        }
    }

    /// A resource whose type changes under the same logical ID.
    static func typeChanged(_ entry: EntryDiff, oldBody: TemplateValue) -> Finding {
        let oldType = entry.oldType ?? "(no type)"
        let newType = entry.newType ?? "(no type)"
        return Finding(level: StatefulTypes.contains(oldType) ? .danger : .warning, kind: .replaced, message:
            "would be REPLACED: its type changes from \(oldType) to \(newType), which CloudFormation refuses under one logical ID (\"Update of resource type is not permitted\"): give the new resource a new logical ID")
    }

    /// A replacement for `reason`; for a stateful type, what happens to the old resource.
    static func replacement(reason: String, type: String, oldBody: TemplateValue, newBody: TemplateValue) -> Finding {
        let base = "would be REPLACED: \(reason)"
        guard StatefulTypes.contains(type) else {
            return Finding(level: .warning, kind: .replaced, message: base)
        }
        let oldPolicy = oldBody["UpdateReplacePolicy"]?.stringValue
        let newPolicy = newBody["UpdateReplacePolicy"]?.stringValue
        if oldPolicy == "Retain" && newPolicy == "Retain" {
            return Finding(level: .warning, kind: .replaced, message:
                "\(base); the old one would be retained (UpdateReplacePolicy Retain) and orphaned")
        }
        if oldPolicy == "Snapshot" && newPolicy == "Snapshot" {
            return Finding(level: .danger, kind: .replaced, message:
                "\(base); the old one would be DELETED after a final snapshot (UpdateReplacePolicy Snapshot)")
        }
        return Finding(level: .danger, kind: .replaced, message:
            "\(base); the old one and its data would be DELETED (no UpdateReplacePolicy Retain)")
    }

    /// What a resource's DeletionPolicy does when it leaves the stack.
    enum DeletionOutcome: Equatable {
        /// `Retain` or `RetainExceptOnCreate` (the resource already exists): kept, unmanaged.
        case retain(String)
        /// Deleted after a final snapshot; `stated` when the template says so (else the type's default).
        case snapshot(stated: Bool)
        /// Deleted; `stated` when the template says `Delete`.
        case delete(stated: Bool)
        /// An intrinsic function decides.
        case unresolved(TemplateValue)
    }

    /// The DeletionPolicy of a resource body, with CloudFormation's default for its type.
    static func deletionPolicy(type: String, body: TemplateValue) -> DeletionOutcome {
        guard let policy = body["DeletionPolicy"] else {
            return StatefulTypes.defaultDeletionPolicy(type: type, properties: body["Properties"]) == "Snapshot"
                ? .snapshot(stated: false) : .delete(stated: false)
        }
        switch policy.stringValue {
        case "Retain"?: return .retain("Retain")
        case "RetainExceptOnCreate"?: return .retain("RetainExceptOnCreate")
        case "Snapshot"?: return .snapshot(stated: true)
        case "Delete"?: return .delete(stated: true)
        default: return .unresolved(policy)
        }
    }

    // MARK: - Values

    /// The values a registry JSON pointer (`/properties/A/B`, `*` for every list element) selects
    /// in a resource body. An intrinsic function met on the way is taken whole: what it resolves
    /// to is not known before deploy.
    static func values(at pointer: String, in body: TemplateValue) -> [TemplateValue] {
        var segments = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(unescape)
        if segments.first == "properties" { segments[0] = "Properties" }
        var out: [TemplateValue] = []
        collect(body, segments[...], into: &out)
        return out
    }

    /// A JSON pointer segment with `~1` read as `/` and `~0` as `~` (RFC 6901).
    static func unescape(_ segment: Substring) -> String {
        var out = ""
        var escaping = false
        for character in segment {
            if escaping {
                out.append(character == "1" ? "/" : character == "0" ? "~" : character)
                escaping = false
            } else if character == "~" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return escaping ? out + "~" : out
    }

    private static func collect(_ value: TemplateValue, _ segments: ArraySlice<String>, into out: inout [TemplateValue]) {
        guard let segment = segments.first else {
            out.append(value)
            return
        }
        switch value {
        case .fn:
            out.append(value)
        case .map(let map):
            if let child = map[segment] { collect(child, segments.dropFirst(), into: &out) }
        case .list(let items) where segment == "*":
            for item in items { collect(item, segments.dropFirst(), into: &out) }
        case .list(let items):
            if let index = Int(segment), items.indices.contains(index) {
                collect(items[index], segments.dropFirst(), into: &out)
            }
        default:
            break
        }
    }

    /// `/properties/DnsOptions/PrivateDnsPreference` → `Properties.DnsOptions.PrivateDnsPreference`.
    static func displayPath(_ pointer: String) -> String {
        var path = ""
        for (index, segment) in pointer.split(separator: "/").enumerated() {
            let name = index == 0 && segment == "properties" ? "Properties" : unescape(segment)
            if name == "*" {
                path += "[*]"
            } else {
                path += path.isEmpty ? name : "." + name
            }
        }
        return path
    }

    /// Whether two values mean the same to CloudFormation: maps compare regardless of key order.
    static func same(_ a: TemplateValue?, _ b: TemplateValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return same(a, b)
        default: return false
        }
    }

    /// Whether two value lists are pairwise the same.
    static func same(_ a: [TemplateValue], _ b: [TemplateValue]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
    }

    private static func same(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in y[entry.key].map { same(entry.value, $0) } ?? false }
        case (.list(let x), .list(let y)):
            return same(x, y)
        case (.fn(let x), .fn(let y)):
            return same(TemplateValue.map(x.longForm), TemplateValue.map(y.longForm))
        default:
            return a == b
        }
    }

    /// `A`, `A and B`, `A, B and C`.
    static func list(_ items: [String]) -> String {
        StackRenderer.list(items)
    }
}
