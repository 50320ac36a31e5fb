import Formation

/// `validate --output-format`: text (the default, diagnostics on stderr), or one document on
/// stdout: json, sarif (SARIF 2.1.0, for GitHub code scanning) or junit (JUnit XML).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit
}

import ArgumentParser

extension ValidationReport {
    /// The rules to describe: the app's catalog (in order, the severity in effect), then every
    /// validity code, then any other code a result carries.
    static func ruleEntries(catalog: [RuleInfo], settings: [String: RuleSetting], codes: [String]) -> [(id: String, title: String, rule: RuleInfo?, level: FindingSeverity)] {
        var seen: Set<String> = []
        var entries: [(id: String, title: String, rule: RuleInfo?, level: FindingSeverity)] = []
        for rule in catalog where seen.insert(rule.id).inserted {
            var level = rule.severity
            if case .severity(let changed)? = settings[rule.id] { level = changed }
            entries.append((rule.id, rule.title, rule, level))
        }
        for (id, title) in ValidityCodes.titles where seen.insert(id).inserted {
            entries.append((id, title, nil, .error))
        }
        for code in codes.sorted() where seen.insert(code).inserted {
            entries.append((code, "Formation diagnostic \(code) (see the README's Diagnostics table)", nil, .error))
        }
        return entries
    }

    // MARK: JSON

    /// `--output-format json`: every unit with its results and the findings its suppressions
    /// silenced (each with the suppression's source and reason), and the counts.
    func json(failOn: FindingSeverity) -> TemplateValue {
        var units: [TemplateValue] = []
        for unit in self.units {
            let results = unit.results.map { Self.jsonEntry($0, unit) }
            let suppressed: [TemplateValue] = unit.suppressed.map { result, suppression in
                var entry = Self.jsonEntry(result, unit)
                var written = OrderedMap()
                written["source"] = .string(suppression.source)
                written["reason"] = .string(suppression.reason)
                entry["suppression"] = .map(written)
                return .map(entry)
            }
            units.append(.map(OrderedMap([
                ("name", .string(unit.name)), ("kind", .string(unit.kind.rawValue)), ("artifact", .string(unit.artifact)),
                ("failed", .bool(unit.failed)), ("diagnostics", .list(results.map { .map($0) })), ("suppressed", .list(suppressed)),
            ])))
        }
        let counts = self.counts
        return .map(OrderedMap([
            ("tool", "formation"), ("failOn", .string(failOn.rawValue)),
            ("failed", .bool(self.units.contains(where: \.failed))),
            ("errors", .int(Int64(counts.errors))), ("warnings", .int(Int64(counts.warnings))), ("infos", .int(Int64(counts.infos))),
            ("suppressed", .int(Int64(self.units.reduce(0) { $0 + $1.suppressed.count }))),
            ("units", .list(units)),
        ]))
    }

    /// One result of the JSON document: severity, code, where, and the message.
    private static func jsonEntry(_ result: Result, _ unit: Unit) -> OrderedMap {
        var entry = OrderedMap()
        entry["severity"] = .string(result.diagnostic.severity.rawValue)
        entry["code"] = .string(result.diagnostic.code)
        entry["finding"] = .bool(result.isFinding)
        entry["fails"] = .bool(result.fails)
        entry["path"] = .string(result.diagnostic.path)
        if let logicalID = result.location?.logicalID { entry["logicalId"] = .string(logicalID) }
        if let property = result.diagnostic.property { entry["property"] = .string(property) }
        if let position = result.location?.position {
            entry["file"] = .string(result.location?.file ?? unit.name)
            entry["line"] = .int(Int64(position.line))
            entry["column"] = .int(Int64(position.column))
        }
        entry["message"] = .string(result.diagnostic.message)
        return entry
    }

    // MARK: SARIF

    static let informationURI = "https://github.com/formation-swift/formation"

    static func sarifLevel(_ severity: FindingSeverity) -> TemplateValue {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// `--output-format sarif`: one run, the rules with their help, every result with a
    /// physical location (the file, line and column; line 1 for the file as a whole) and a
    /// logical location naming the resource's logical ID.
    func sarif(catalog: [RuleInfo], settings: [String: RuleSetting]) -> TemplateValue {
        let entries = Self.ruleEntries(catalog: catalog, settings: settings,
                                       codes: units.flatMap { $0.results.map(\.diagnostic.code) + $0.suppressed.map(\.result.diagnostic.code) })
        var ruleIndex: [String: Int] = [:]
        var rules: [TemplateValue] = []
        for (index, entry) in entries.enumerated() {
            ruleIndex[entry.id] = index
            var rule = OrderedMap()
            rule["id"] = .string(entry.id)
            rule["shortDescription"] = .map(["text": .string(entry.title)])
            if let info = entry.rule {
                rule["fullDescription"] = .map(["text": .string("\(info.title): \(info.rationale).")])
                rule["help"] = .map(OrderedMap([
                    ("text", .string("Why: \(info.rationale). Fix: \(info.fix).")),
                    ("markdown", .string("**Why:** \(info.rationale).\n\n**Fix:** \(info.fix).")),
                ]))
                rule["properties"] = .map(["tags": .list(["security", "formation-rule"])])
            } else {
                rule["fullDescription"] = .map(["text": .string("\(entry.title): CloudFormation would refuse the template, or Formation cannot check it.")])
                rule["help"] = .map(["text": .string("A validity problem, not a rule of the pack: fix the template. The README's Diagnostics table lists every code.")])
                rule["properties"] = .map(["tags": .list(["correctness"])])
            }
            rule["helpUri"] = .string(Self.informationURI)
            rule["defaultConfiguration"] = .map(["level": Self.sarifLevel(entry.level)])
            rules.append(.map(rule))
        }

        var artifacts: [TemplateValue] = []
        var artifactIndex: [String: Int] = [:]
        var results: [TemplateValue] = []
        for unit in units {
            if artifactIndex[unit.artifact] == nil {
                artifactIndex[unit.artifact] = artifacts.count
                artifacts.append(.map(["location": .map(["uri": .string(unit.artifact)])]))
            }
            let suppressions: [Suppressions.Suppressed?] = unit.results.map { _ in nil } + unit.suppressed.map(\.suppression)
            for (result, suppression) in zip(unit.results + unit.suppressed.map(\.result), suppressions) {
                let diagnostic = result.diagnostic
                var region = OrderedMap()
                region["startLine"] = .int(Int64(result.location?.position?.line ?? 1))
                if let column = result.location?.position?.column { region["startColumn"] = .int(Int64(column)) }
                var location = OrderedMap()
                location["physicalLocation"] = .map(OrderedMap([
                    ("artifactLocation", .map(OrderedMap([("uri", .string(unit.artifact)), ("index", .int(Int64(artifactIndex[unit.artifact] ?? 0)))]))),
                    ("region", .map(region)),
                ]))
                if let entry = result.location?.entry, !entry.isEmpty {
                    var logical = OrderedMap()
                    logical["name"] = .string(entry[entry.count - 1])
                    logical["fullyQualifiedName"] = .string(diagnostic.path)
                    logical["kind"] = entry.count == 2 && entry[0] == "Resources" ? "resource" : "member"
                    location["logicalLocations"] = .list([.map(logical)])
                }
                var entry = OrderedMap()
                entry["ruleId"] = .string(diagnostic.code)
                if let index = ruleIndex[diagnostic.code] { entry["ruleIndex"] = .int(Int64(index)) }
                entry["level"] = Self.sarifLevel(diagnostic.severity)
                let place = result.location?.entryName ?? ""
                entry["message"] = .map(["text": .string(place.isEmpty ? diagnostic.message : "\(place): \(diagnostic.message)")])
                entry["locations"] = .list([.map(location)])
                if let suppression {
                    // GitHub code scanning shows these as dismissed in source, with the reason.
                    var written = OrderedMap()
                    written["kind"] = "inSource"
                    if !suppression.reason.isEmpty { written["justification"] = .string(suppression.reason) }
                    written["properties"] = .map(["source": .string(suppression.source)])
                    entry["suppressions"] = .list([.map(written)])
                }
                entry["properties"] = .map(OrderedMap([("finding", .bool(result.isFinding)), ("failsValidation", .bool(result.fails))]))
                results.append(.map(entry))
            }
        }
        let run = OrderedMap([
            ("tool", .map(["driver": .map(OrderedMap([
                ("name", "Formation"), ("informationUri", .string(Self.informationURI)), ("rules", .list(rules)),
            ]))])),
            ("invocations", .list([.map(["executionSuccessful": .bool(true)])])),
            ("columnKind", "unicodeCodePoints"),
            ("artifacts", .list(artifacts)),
            ("results", .list(results)),
        ])
        return .map(OrderedMap([
            ("$schema", "https://json.schemastore.org/sarif-2.1.0.json"),
            ("version", "2.1.0"),
            ("runs", .list([.map(run)])),
        ]))
    }

    // MARK: JUnit

    /// `--output-format junit`: a testsuite per template or stack, a testcase per resource (and
    /// one named `Template` for what concerns no resource), a failure for what fails the
    /// command; other diagnostics, and the findings suppressions silenced (with the
    /// suppression's source and reason), go to the testcase's system-out.
    func junit() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let totalTests = units.reduce(0) { $0 + $1.resources.count + 1 }
        var totalFailures = 0
        var suites = ""
        for unit in units {
            var byCase: [String: [Result]] = [:]
            for result in unit.results {
                byCase[Self.caseName(result, unit), default: []].append(result)
            }
            var suppressedByCase: [String: [String]] = [:]
            for (result, suppression) in unit.suppressed {
                let by = suppression.reason.isEmpty ? suppression.source : "\(suppression.source): \(suppression.reason)"
                suppressedByCase[Self.caseName(result, unit), default: []].append("suppressed (\(by)): \(Self.line(result, unit))")
            }
            let cases = unit.resources + ["Template"]
            let failures = cases.filter { (byCase[$0] ?? []).contains(where: \.fails) }.count
            totalFailures += failures
            suites += "  <testsuite name=\"\(XMLText.attribute(unit.name))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
            for name in cases {
                suites += "    <testcase classname=\"\(XMLText.attribute(unit.name))\" name=\"\(XMLText.attribute(name))\" file=\"\(XMLText.attribute(unit.artifact))\""
                let results = byCase[name] ?? []
                let silenced = suppressedByCase[name] ?? []
                if results.isEmpty && silenced.isEmpty {
                    suites += "/>\n"
                    continue
                }
                suites += ">\n"
                let failing = results.filter(\.fails)
                if let first = failing.first {
                    let body = failing.map { Self.line($0, unit) }.joined(separator: "\n")
                    suites += "      <failure type=\"\(XMLText.attribute(first.diagnostic.code))\" message=\"\(XMLText.attribute(first.diagnostic.message))\">\(XMLText.content(body))</failure>\n"
                }
                // What does not fail the command: other diagnostics, then the suppressed findings
                // with their suppression's source and reason.
                let others = results.filter { !$0.fails }.map { Self.line($0, unit) } + silenced
                if !others.isEmpty {
                    suites += "      <system-out>\(XMLText.content(others.joined(separator: "\n")))</system-out>\n"
                }
                suites += "    </testcase>\n"
            }
            suites += "  </testsuite>\n"
        }
        xml += "<testsuites name=\"formation validate\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\">\n"
        xml += suites
        xml += "</testsuites>\n"
        return xml
    }

    /// The testcase a result belongs to: its resource, or `Template`.
    private static func caseName(_ result: Result, _ unit: Unit) -> String {
        let name = result.location?.logicalID ?? logicalID(of: result.diagnostic, in: unit) ?? "Template"
        // A copy an Fn::ForEach loop produced is a testcase of its loop (the template's entry).
        if let loop = result.location?.loop, !unit.resources.contains(name) { return unit.resources.contains(loop) ? loop : "Template" }
        return name
    }

    /// A stack's resource the diagnostic names by construct path (no locator for a stack that
    /// did not render).
    private static func logicalID(of diagnostic: Diagnostic, in unit: Unit) -> String? {
        guard diagnostic.path.hasPrefix(unit.name + "/") else { return nil }
        let rest = String(diagnostic.path.dropFirst(unit.name.count + 1))
        return unit.resources.contains(rest) ? rest : nil
    }

    /// The text line of a result, as `validate` prints it.
    private static func line(_ result: Result, _ unit: Unit) -> String {
        Reporter.line(result.diagnostic, result.location, label: result.diagnostic.severity.rawValue)
    }
}
