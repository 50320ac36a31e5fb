/// The structural difference between two templates: sections, entries and property paths.
///
/// Resources (and every other map section: Parameters, Outputs, Conditions, Mappings, Metadata,
/// Rules) are compared entry by entry — added, removed, changed — and each changed entry lists
/// its property paths with old → new values, including attributes such as `DependsOn` and
/// `DeletionPolicy`. Scalar sections (`Description`, `Transform`, …) are compared as values.
/// The result, and its rendering, depend only on the two templates.
///
/// ```swift
/// let diff = TemplateDiff(from: committed, to: synthesized)
/// if !diff.isEmpty { print(diff) }
/// // Resources
/// // [~] AgentSg (AWS::EC2::SecurityGroup)
/// //     Properties.SecurityGroupEgress[0].FromPort: 80 → 443
/// ```
public struct TemplateDiff: Sendable, Hashable, CustomStringConvertible {
    /// The sections that differ, canonical sections first (in `Template.sectionOrder`), then any
    /// other sections in the order they appear in the old template and then the new one.
    public let sections: [SectionDiff]
    /// A `reordered` change (path `Sections`) when the sections both templates share appear in
    /// another order.
    public let sectionOrder: ValueChange?

    /// Compares `old` with `new`.
    public init(from old: Template, to new: Template) {
        var names = Template.sectionOrder.filter { old.root.contains($0) || new.root.contains($0) }
        for key in old.root.keys + new.root.keys where !names.contains(key) {
            names.append(key)
        }
        sections = names.compactMap { SectionDiff(name: $0, old: old.root[$0], new: new.root[$0]) }
        sectionOrder = ValueChange.keyOrderChange(old.root, new.root)
            .map { ValueChange(path: "Sections", kind: .reordered($0.old, $0.new)) }
    }

    /// Whether the templates are the same document.
    public var isEmpty: Bool { sections.isEmpty && sectionOrder == nil }

    /// The section named `name`, if it differs.
    public func section(_ name: String) -> SectionDiff? {
        sections.first { $0.name == name }
    }

    /// The resource entries that differ (added, removed or changed), in diff order.
    public var resources: [EntryDiff] {
        section("Resources")?.entries ?? []
    }

    /// Readable text, one change per line, ending with a newline (empty when nothing differs).
    ///
    /// ```
    /// Parameters
    /// [+] AlertEmail
    /// Resources
    /// [-] OldEgress (AWS::EC2::SecurityGroupEgress)
    /// [~] AgentSg (AWS::EC2::SecurityGroup)
    ///     Properties.SecurityGroupEgress[0].FromPort: 80 → 443
    /// ```
    public var description: String {
        var lines: [String] = []
        if let sectionOrder {
            lines.append(sectionOrder.description)
        }
        for section in sections {
            lines += section.lines
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

/// How one top-level section of a template differs.
public struct SectionDiff: Sendable, Hashable {
    /// The shape of a section's difference.
    public enum Change: Sendable, Hashable {
        /// A map section (Resources, Outputs, …): the entries that differ, and a `reordered`
        /// change (empty path) when the entries both sides share moved.
        case entries([EntryDiff], order: ValueChange?)
        /// A section that is not a map on both sides (`Description`, `Transform`, or a section
        /// whose kind changed): the value change.
        case value(ValueChange)
    }

    /// The section's key (`Resources`, `Description`, …).
    public let name: String
    /// What differs.
    public let change: Change

    /// The difference of section `name` between `old` and `new` (nil for absent); nil when equal.
    init?(name: String, old: TemplateValue?, new: TemplateValue?) {
        if old == new { return nil }
        self.name = name
        switch (old, new) {
        case (.map(let a)?, .map(let b)?):
            change = SectionDiff.entries(a, b, resources: name == "Resources")
        case (.map(let a)?, nil):
            change = SectionDiff.entries(a, [:], resources: name == "Resources")
        case (nil, .map(let b)?):
            change = SectionDiff.entries([:], b, resources: name == "Resources")
        case (let a?, let b?):
            change = .value(ValueChange(path: name, kind: .modified(a, b)))
        case (let a?, nil):
            change = .value(ValueChange(path: name, kind: .removed(a)))
        case (nil, let b?):
            change = .value(ValueChange(path: name, kind: .added(b)))
        case (nil, nil):
            return nil
        }
    }

    /// The entries that differ (empty for a value section).
    public var entries: [EntryDiff] {
        if case .entries(let entries, _) = change { return entries }
        return []
    }

    private static func entries(_ old: OrderedMap, _ new: OrderedMap, resources: Bool) -> Change {
        func type(_ value: TemplateValue?) -> String? {
            resources ? value?["Type"]?.stringValue : nil
        }
        var diffs: [EntryDiff] = []
        for entry in old.entries {
            if let newValue = new[entry.key] {
                let changes = ValueChange.changes(from: entry.value, to: newValue)
                if !changes.isEmpty {
                    diffs.append(EntryDiff(name: entry.key, kind: .changed, oldType: type(entry.value),
                                           newType: type(newValue), changes: changes))
                }
            } else {
                diffs.append(EntryDiff(name: entry.key, kind: .removed, oldType: type(entry.value),
                                       newType: nil, changes: []))
            }
        }
        for entry in new.entries where !old.contains(entry.key) {
            diffs.append(EntryDiff(name: entry.key, kind: .added, oldType: nil, newType: type(entry.value), changes: []))
        }
        let order = ValueChange.keyOrderChange(old, new).map { ValueChange(path: "", kind: .reordered($0.old, $0.new)) }
        return .entries(diffs, order: order)
    }

    /// The rendered lines of this section.
    var lines: [String] {
        switch change {
        case .value(let change):
            return [change.description]
        case .entries(let entries, let order):
            var lines = [name]
            if let order {
                lines.append("    " + order.description)
            }
            for entry in entries {
                lines += entry.lines
            }
            return lines
        }
    }
}

/// How one entry of a map section (a resource, output, parameter, …) differs.
public struct EntryDiff: Sendable, Hashable {
    /// Whether the entry was added, removed or changed.
    public enum Kind: String, Sendable, Hashable {
        /// Only in the new template.
        case added
        /// Only in the old template.
        case removed
        /// In both, with different contents.
        case changed

        /// The marker printed before the entry: `[+]`, `[-]`, `[~]`.
        public var marker: String {
            switch self {
            case .added: "[+]"
            case .removed: "[-]"
            case .changed: "[~]"
            }
        }
    }

    /// The entry's key (a resource's logical ID, an output's name, …).
    public let name: String
    /// Added, removed or changed.
    public let kind: Kind
    /// The resource type before (resources only; nil when added or not a string).
    public let oldType: String?
    /// The resource type after (resources only; nil when removed or not a string).
    public let newType: String?
    /// The property paths that differ, relative to the entry (`Properties.X`, `DeletionPolicy`);
    /// empty for added and removed entries.
    public let changes: [ValueChange]

    /// An entry difference.
    public init(name: String, kind: Kind, oldType: String?, newType: String?, changes: [ValueChange]) {
        self.name = name
        self.kind = kind
        self.oldType = oldType
        self.newType = newType
        self.changes = changes
    }

    /// Whether a changed resource has another type (CloudFormation replaces it).
    public var typeChanged: Bool {
        kind == .changed && oldType != newType
    }

    /// The rendered lines: a marker line, then each change indented.
    var lines: [String] {
        var header = kind.marker + " " + name
        switch (oldType, newType) {
        case (let a?, let b?) where a != b: header += " (" + a + " → " + b + ")"
        case (let a?, _): header += " (" + a + ")"
        case (nil, let b?): header += " (" + b + ")"
        case (nil, nil): break
        }
        return [header] + changes.map { "    " + $0.description }
    }
}
