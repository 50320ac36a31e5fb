import FormationTemplate

/// Suppressions of rule findings, written where reviewers see them: in a resource's Metadata.
///
/// - Formation's own: `Metadata: {formation: {suppress: [{id: FM4002, reason: "…"}]}}`
///   (`resource.suppress("FM4002", reason: "…")` in Swift writes it). A reason is required; an ID
///   no rule of the app declares is an error naming the closest; a suppression that matches no
///   finding of its resource is a warning (it outlived its reason).
/// - The keys users of other tools already write, mapped to Formation's rules only where the
///   rule is the same (`foreign`): cfn-lint's `Metadata: {cfn-lint: {config: {ignore_checks:
///   [W2531]}}}` (on a resource, or on the template for every resource), cfn_nag's
///   `rules_to_suppress: [{id: W12, reason: …}]`, checkov's `skip: [{id: CKV_AWS_24, comment:
///   …}]`. Their other IDs are theirs and are left alone, and they are never reported unused.
///
/// Suppressed findings are not reported and do not count for `--fail-on`. Validity errors
/// cannot be suppressed.
public enum Suppressions {
    /// The tools' rule IDs that mean the same as a Formation rule (each checked against the
    /// tool's own rule: cfn-lint 1.58.0's rule files, checkov 3.3.30's checks, cfn_nag's rules).
    public static let foreign: [String: [String: [String]]] = [
        // cfn-lint: DeprecatedRuntimeEol (W2531), DeprecatedRuntimeCreate (E2531), DeprecatedRuntimeUpdate (E2533),
        // UpdateReplacePolicyDeletionPolicyOnStatefulResourceTypes (I3011, the same StatefulResources.json).
        "cfn-lint": ["W2531": ["FM4502"], "E2531": ["FM4503"], "E2533": ["FM4503"], "I3011": ["FM4260"]],
        // cfn_nag: IamRoleWildcardActionOnPermissionsPolicyRule (F3), IamPolicyWildcardActionRule (F4),
        // IamRoleWildcardResourceOnPermissionsPolicyRule (W11), IamPolicyWildcardResourceRule (W12),
        // S3BucketPolicyWildcardPrincipalRule (F16), SecurityGroupIngressOpenToWorldRule (W2).
        "cfn_nag": ["F3": ["FM4001"], "F4": ["FM4001"], "W11": ["FM4002"], "W12": ["FM4002"], "F16": ["FM4901"], "W2": ["FM4801"]],
        // checkov: SecurityGroupUnrestrictedIngress22/3389 (CKV_AWS_24/25), IAMRoleAllowsPublicAssume
        // (CKV_AWS_60), IAMAdminPolicyDocument (CKV_AWS_62), IAMStarActionPolicyDocument (CKV_AWS_63),
        // S3BlockPublicACLs/Policy, IgnorePublicACLs, RestrictPublicBuckets (CKV_AWS_53–56),
        // DeprecatedLambdaRuntime (CKV_AWS_363); and the checks docs/checkov.md maps to one rule: the
        // encryption of EBS (3, 8), RDS (16), Aurora (96), Neptune (44), DocumentDB (74), EFS (42),
        // SNS (26), SQS (27), ElastiCache (29, 30); key rotation (7); S3 access
        // logging and versioning (18, 21); log retention (66); access logs of load balancers
        // (91, 92), CloudFront (86) and API Gateway (76, 95); Lambda DLQ (116). checkov-compare.py
        // fails if one of these is not "same" or "narrower" in scripts/checkov_mapping.py.
        "checkov": [
            "CKV_AWS_24": ["FM4801"], "CKV_AWS_25": ["FM4801"], "CKV_AWS_60": ["FM4006"], "CKV_AWS_62": ["FM4005"],
            "CKV_AWS_63": ["FM4001"], "CKV_AWS_53": ["FM4902"], "CKV_AWS_54": ["FM4902"], "CKV_AWS_55": ["FM4902"],
            "CKV_AWS_56": ["FM4902"], "CKV_AWS_363": ["FM4502", "FM4503"],
            "CKV_AWS_3": ["FM4203"], "CKV_AWS_8": ["FM4203"], "CKV_AWS_16": ["FM4202"], "CKV_AWS_96": ["FM4202"],
            "CKV_AWS_44": ["FM4202"], "CKV_AWS_74": ["FM4202"], "CKV_AWS_42": ["FM4204"], "CKV_AWS_26": ["FM4205"],
            "CKV_AWS_27": ["FM4206"], "CKV_AWS_29": ["FM4208"], "CKV_AWS_30": ["FM4209"],
            "CKV_AWS_7": ["FM4210"], "CKV_AWS_18": ["FM4221"], "CKV_AWS_21": ["FM4905"],
            "CKV_AWS_66": ["FM4220"], "CKV_AWS_91": ["FM4222"], "CKV_AWS_92": ["FM4222"], "CKV_AWS_86": ["FM4223"],
            "CKV_AWS_76": ["FM4224"], "CKV_AWS_95": ["FM4224"], "CKV_AWS_116": ["FM4504"],
            // The property rules (PropertyRules: FM4007–FM4009, FM4211–FM4217, FM4225–FM4240, FM4242,
            // FM4270–FM4283, FM4810–FM4819), each the rule scripts/checkov_mapping.py names.
            "CKV_AWS_2": ["FM4232"], "CKV_AWS_5": ["FM4211"], "CKV_AWS_6": ["FM4230"], "CKV_AWS_17": ["FM4810"],
            "CKV_AWS_28": ["FM4270"], "CKV_AWS_32": ["FM4008"], "CKV_AWS_33": ["FM4007"], "CKV_AWS_34": ["FM4233"],
            "CKV_AWS_36": ["FM4225"], "CKV_AWS_43": ["FM4212"], "CKV_AWS_47": ["FM4213"], "CKV_AWS_51": ["FM4281"],
            "CKV_AWS_59": ["FM4817"], "CKV_AWS_64": ["FM4214"], "CKV_AWS_67": ["FM4226"], "CKV_AWS_69": ["FM4813"],
            "CKV_AWS_71": ["FM4227"], "CKV_AWS_78": ["FM4216"], "CKV_AWS_79": ["FM4280"], "CKV_AWS_80": ["FM4227"],
            "CKV_AWS_81": ["FM4237"], "CKV_AWS_83": ["FM4231"], "CKV_AWS_84": ["FM4227"], "CKV_AWS_87": ["FM4811"],
            "CKV_AWS_89": ["FM4812"], "CKV_AWS_90": ["FM4238"], "CKV_AWS_97": ["FM4236"], "CKV_AWS_100": ["FM4815"],
            "CKV_AWS_123": ["FM4819"], "CKV_AWS_131": ["FM4283"], "CKV_AWS_155": ["FM4215"], "CKV_AWS_156": ["FM4215"],
            "CKV_AWS_163": ["FM4282"], "CKV_AWS_165": ["FM4270"], "CKV_AWS_174": ["FM4234"], "CKV_AWS_193": ["FM4227"],
            "CKV_AWS_258": ["FM4816"], "CKV_AWS_291": ["FM4814"], "CKV_AWS_360": ["FM4271"], "CKV_AWS_361": ["FM4271"],
            "CKV_AWS_364": ["FM4009"], "CKV_AWS_366": ["FM4818"], "CKV_AWS_371": ["FM4280"], "CKV2_AWS_72": ["FM4235"],
            "CKV_AWS_94": ["FM4217"], "CKV_AWS_105": ["FM4239"], "CKV_AWS_369": ["FM4240"], "CKV_AWS_103": ["FM4242"],
        ],
    ]

    /// One suppression as written.
    struct Entry {
        /// The Formation rule IDs it suppresses.
        let ids: [String]
        /// Where it was written: `formation FM4002`, `cfn_nag W12`.
        let source: String
        /// Whether an unmatched one is reported (Formation's own).
        let reportUnused: Bool
        /// Why, as written (empty where the tool's key has no reason, as cfn-lint's).
        var reason: String = ""
    }

    /// A finding a suppression silenced, kept for reports that show suppressed results (SARIF's
    /// `suppressions`, which GitHub code scanning reads as dismissed in source).
    public struct Suppressed: Sendable, Hashable {
        /// The finding as it would have been reported.
        public let diagnostic: Diagnostic
        /// Where the suppression was written: `formation FM4002`, `cfn_nag W12`, `checkov CKV_AWS_24`.
        public let source: String
        /// The reason written with it (empty when the tool's key carries none).
        public let reason: String
    }

    /// `findings` less the suppressed ones, and the suppressions' own diagnostics.
    static func apply(_ findings: [Diagnostic], _ template: Template, _ context: ValidationContext,
                      catalog: [String: RuleInfo]) -> [Diagnostic] {
        applyKeeping(findings, template, context, catalog: catalog).diagnostics
    }

    /// `findings` less the suppressed ones and the suppressions' own diagnostics, and the
    /// suppressed findings with their suppression. `extra` adds entries by logical ID (checkov's
    /// `# checkov:skip=` comments, which only the template's text has).
    static func applyKeeping(_ findings: [Diagnostic], _ template: Template, _ context: ValidationContext,
                             catalog: [String: RuleInfo], extra: [String: [Entry]] = [:]) -> (diagnostics: [Diagnostic], suppressed: [Suppressed]) {
        var problems: [Diagnostic] = []
        let templateWide = entries(cfnLintIn: template.root["Metadata"])
        var byPath: [String: [Entry]] = [:]
        var order: [String] = []
        for entry in template.resources.entries {
            // Most resources have no Metadata: their path is made only when something applies.
            guard case .map(let body) = entry.value, !templateWide.isEmpty || body["Metadata"] != nil || extra[entry.key] != nil else { continue }
            let path = context.path(ofResource: entry.key)
            var found = templateWide + (extra[entry.key] ?? [])
            if let metadata = body["Metadata"] {
                found += entries(in: metadata, path: path, catalog: catalog, problems: &problems)
            }
            if !found.isEmpty {
                byPath[path] = found
                order.append(path)
            }
        }
        guard !byPath.isEmpty else { return (findings + problems, []) }
        var used: Set<String> = []  // "path source"
        var suppressed: [Suppressed] = []
        let kept = findings.filter { finding in
            guard let entries = byPath[finding.path] else { return true }
            let matching = entries.filter { $0.ids.contains(finding.code) }
            for entry in matching { used.insert(finding.path + " " + entry.source) }
            if let first = matching.first {
                suppressed.append(Suppressed(diagnostic: finding, source: first.source, reason: first.reason))
            }
            return matching.isEmpty
        }
        for path in order {
            for entry in byPath[path] ?? [] where entry.reportUnused && !used.contains(path + " " + entry.source) {
                problems.append(.warning(DiagnosticCode.unusedSuppression, path: path, property: "Metadata",
                                         "Metadata: the suppression of \(entry.ids.joined(separator: ", ")) matches no finding of this resource; remove it"))
            }
        }
        return (kept + problems, suppressed)
    }

    /// The entries of a resource's Metadata; malformed ones are reported into `problems`.
    static func entries(in metadata: TemplateValue, path: String, catalog: [String: RuleInfo], problems: inout [Diagnostic]) -> [Entry] {
        guard case .map(let map) = metadata else { return [] }
        var found: [Entry] = []
        func malformed(_ key: String, _ message: String) {
            problems.append(.error(DiagnosticCode.malformedSuppression, path: path, property: "Metadata.\(key)", "Metadata.\(key): \(message)"))
        }
        if let own = map["formation"] {
            if let list = own["suppress"] {
                guard case .list(let items) = list else {
                    malformed("formation.suppress", "expected a list of {id, reason}, found \(list.kindName)")
                    return found + entries(foreignIn: map, path: path, problems: &problems)
                }
                for (index, item) in items.enumerated() {
                    let key = "formation.suppress[\(index)]"
                    guard case .string(let id)? = item["id"] else {
                        malformed(key, "expected {id: FMxxxx, reason: why}, found \(item.description)")
                        continue
                    }
                    guard case .string(let reason)? = item["reason"], !reason.allSatisfy(\.isWhitespace) else {
                        malformed(key, "the suppression of \(id) has no reason; say why the finding does not apply")
                        continue
                    }
                    guard catalog[id] != nil else {
                        var message = "\(id) is not a rule of this app"
                        if let close = Suggestion.closest(to: id, among: catalog.keys.sorted()) { message += "; did you mean \(close)?" }
                        problems.append(.error(DiagnosticCode.unknownRule, path: path, property: "Metadata.\(key).id", "Metadata.\(key).id: \(message)"))
                        continue
                    }
                    found.append(Entry(ids: [id], source: "formation \(id)", reportUnused: true, reason: reason))
                }
            }
        }
        return found + entries(foreignIn: map, path: path, problems: &problems)
    }

    /// The entries from cfn-lint's, cfn_nag's and checkov's keys that map to Formation rules.
    /// Those keys belong to their tools, so a shape Formation cannot read is a warning
    /// (FM1121) saying it is ignored, never an error.
    static func entries(foreignIn map: OrderedMap, path: String, problems: inout [Diagnostic]) -> [Entry] {
        func unreadable(_ key: String, _ expected: String, _ value: TemplateValue) {
            problems.append(.warning(DiagnosticCode.malformedSuppression, path: path, property: "Metadata.\(key)",
                                     "Metadata.\(key): expected \(expected), found \(value.description); Formation ignores it"))
        }
        /// The items of a list at `key`, each a map with a string `id`; other shapes reported.
        func items(_ value: TemplateValue?, _ key: String, _ expected: String) -> [TemplateValue] {
            guard let value else { return [] }
            guard case .list(let list) = value else {
                if case .fn = value { return [] }
                unreadable(key, "a list of \(expected)", value)
                return []
            }
            return list.enumerated().compactMap { index, item in
                if case .string? = item["id"] { return item }
                unreadable("\(key)[\(index)]", expected, item)
                return nil
            }
        }
        var found = entries(cfnLintIn: .map(map))
        if case .map(let config)? = map["cfn-lint"]?["config"], let checks = config["ignore_checks"] {
            switch checks {
            case .list(let list):
                for (index, item) in list.enumerated() where item.stringValue == nil {
                    unreadable("cfn-lint.config.ignore_checks[\(index)]", "a rule ID such as W3005", item)
                }
            default: unreadable("cfn-lint.config.ignore_checks", "a list of rule IDs", checks)
            }
        }
        if let nag = map["cfn_nag"] {
            for item in items(nag["rules_to_suppress"], "cfn_nag.rules_to_suppress", "{id, reason}") {
                if let id = item["id"]?.stringValue, let ids = foreign["cfn_nag"]?[id] {
                    found.append(Entry(ids: ids, source: "cfn_nag \(id)", reportUnused: false, reason: item["reason"]?.stringValue ?? ""))
                }
            }
        }
        for key in ["checkov", "bridgecrew"] {
            guard let tool = map[key] else { continue }
            guard tool.mapValue != nil else {
                unreadable(key, "{skip: [{id, comment}]}", tool)
                continue
            }
            for item in items(tool["skip"], "\(key).skip", "{id, comment}") {
                if let id = item["id"]?.stringValue, let ids = foreign["checkov"]?[id] {
                    found.append(Entry(ids: ids, source: "checkov \(id)", reportUnused: false, reason: item["comment"]?.stringValue ?? ""))
                }
            }
        }
        return found
    }

    /// The entries from cfn-lint's `config: ignore_checks` in `metadata`.
    static func entries(cfnLintIn metadata: TemplateValue?) -> [Entry] {
        (metadata?["cfn-lint"]?["config"]?["ignore_checks"]?.listValue ?? []).compactMap { item in
            guard let id = item.stringValue, let ids = foreign["cfn-lint"]?[id] else { return nil }
            return Entry(ids: ids, source: "cfn-lint \(id)", reportUnused: false)
        }
    }
}

extension Suppressions {
    /// Entries for checkov's inline skip comments (`# checkov:skip=CKV_AWS_24:reason` among a
    /// resource's lines), by logical ID, for the checkov IDs that map to Formation rules.
    static func entries(checkovComments: [String: [(id: String, reason: String)]]) -> [String: [Entry]] {
        var entries: [String: [Entry]] = [:]
        for (logicalID, skips) in checkovComments {
            for skip in skips {
                if let ids = foreign["checkov"]?[skip.id] {
                    entries[logicalID, default: []].append(Entry(ids: ids, source: "checkov comment \(skip.id)", reportUnused: false, reason: skip.reason))
                }
            }
        }
        return entries
    }

    /// checkov's inline skip comments in a YAML template's text, by the logical ID of the
    /// resource whose lines hold them, as checkov reads them: `checkov:skip=` (or
    /// `bridgecrew:skip=`), an ID, and an optional `:reason`, in a `#` comment. `resourceLines`
    /// gives each resource's first line (1-based), and with an empty logical ID the first line of
    /// each other section; a resource's lines run to the next entry's.
    public static func checkovComments(in text: String, resourceLines: [(logicalID: String, line: Int)])
        -> [String: [(id: String, reason: String)]] {
        let starts = resourceLines.sorted { $0.line < $1.line }
        // Byte by byte: String.contains compares Characters, which costs tens of milliseconds on
        // a template near CloudFormation's 1 MB limit.
        guard !starts.isEmpty, containsASCII(text, "checkov:skip=") || containsASCII(text, "bridgecrew:skip=") else { return [:] }
        var found: [String: [(id: String, reason: String)]] = [:]
        var owner = -1
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            while owner + 1 < starts.count && starts[owner + 1].line <= number { owner += 1 }
            // An empty logical ID marks where the resources end (the next section).
            guard owner >= 0, !starts[owner].logicalID.isEmpty, let hash = line.firstIndex(of: "#") else { continue }
            let comment = line[line.index(after: hash)...]
            for marker in ["checkov:skip=", "bridgecrew:skip="] {
                guard let range = comment.firstRange(of: marker) else { continue }
                let rest = comment[range.upperBound...].drop { $0 == " " }
                let id = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !id.isEmpty else { continue }
                var reason = rest.dropFirst(id.count)
                if reason.first == ":" { reason = reason.dropFirst() } else { reason = "" }
                found[starts[owner].logicalID, default: []].append((String(id), String(reason).trimmingSpaces))
            }
        }
        return found
    }
}

/// Whether `text` holds the ASCII string `needle`, compared as UTF-8 bytes.
func containsASCII(_ text: String, _ needle: StaticString) -> Bool {
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    guard let first = pattern.first else { return true }
    var text = text
    return text.withUTF8 { bytes in
        let count = pattern.count
        guard bytes.count >= count else { return false }
        var index = 0
        while index <= bytes.count - count {
            if bytes[index] == first {
                var matched = 1
                while matched < count && bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == count { return true }
            }
            index += 1
        }
        return false
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
