import FormationTemplate

/// Walks a resource's properties against its rule nodes and collects violations.
///
/// Values that are intrinsic functions, and strings holding a dynamic reference
/// (`{{resolve:…}}`), are skipped, not guessed (their value exists only at deploy time); each
/// value an `Fn::If` may choose is checked. Scalars are compared the way CloudFormation converts them: `"30"` is an
/// integer, `30` is a string, `"true"` is a boolean. Paths are built only for violations.
struct SchemaValidator {
    let rules: SchemaRules
    private(set) var violations: [SchemaViolation] = []
    /// Whether violations are being gathered for a combination's trial (counted, not shown).
    private var inTrial = false
    private var path: [PathStep] = []

    init(rules: SchemaRules) {
        self.rules = rules
    }

    mutating func validateRoot(_ properties: OrderedMap) {
        for entry in properties.entries where rules.readOnly.contains(entry.key) {
            violations.append(SchemaViolation(
                code: SchemaDiagnosticCode.readOnly, property: entry.key,
                message: "\(entry.key) is read-only: CloudFormation sets it, and reads of it go through Fn::GetAtt; leave it out",
                severity: .warning))
        }
        validate(.map(properties), 0)
    }

    // MARK: - Paths and reports

    private func text(_ steps: [PathStep]) -> String { PathStep.render(steps) }

    private var pathText: String { text(path) }

    private func childPath(_ key: String) -> String { text(path + [.key(key)]) }

    /// `Path: ` for object-level rules, nothing at the top.
    private var label: String {
        let current = pathText
        return current.isEmpty ? "" : current + ": "
    }

    private mutating func report(_ code: String, _ property: String, _ message: String) {
        violations.append(SchemaViolation(code: code, property: property, message: message))
    }

    // MARK: - Values

    private mutating func validate(_ value: TemplateValue, _ nodeIndex: Int) {
        if case .fn(let function) = value {
            // Fn::If chooses one of two values, each of which must meet the rules (AWS::NoValue
            // removes the property). Other functions are known at deploy time only.
            if case .if(_, let whenTrue, let whenFalse) = function {
                for branch in [whenTrue, whenFalse] where !SchemaValidator.isAbsent(branch) {
                    validate(branch, nodeIndex)
                }
            }
            return
        }
        // A dynamic reference ({{resolve:ssm:…}}, {{resolve:secretsmanager:…}}) is replaced by
        // its value at deploy time, like an intrinsic: nothing about that value is known here.
        if case .string(let text) = value, SchemaValidator.hasDynamicReference(text) { return }
        // A one-key map named like a function is a function Formation does not model or one
        // with a malformed argument: the reference check reports it; its value is unknown here.
        if case .map(let map) = value, map.count == 1, let key = map.keys.first, key == "Ref" || key.hasPrefix("Fn::") { return }
        let node = rules.nodes[nodeIndex]

        if let types = node.types, !SchemaValidator.conforms(value, to: types) {
            let here = pathText
            switch value {
            case .list, .map, .null:
                report(SchemaDiagnosticCode.type, here, "\(here) is \(ValueText.kind(value)), not \(types.prose)")
            default:
                report(SchemaDiagnosticCode.type, here, "\(here) \(ValueText.shown(value)) is not \(types.prose)")
            }
            return
        }
        if let keys = node.enumKeys, let values = node.enumValues, !keys.contains(SchemaNode.canonicalKey(value)) {
            let here = pathText
            var message = "\(here) \(ValueText.shown(value)) is not one of \(ValueText.list(values))"
            if case .string(let text) = value,
               let suggestion = Suggestion.closest(to: text, among: values.map(SchemaNode.canonicalKey)) {
                message += "; did you mean \(suggestion)?"
            }
            report(SchemaDiagnosticCode.enumeration, here, message)
        }
        if let keys = node.caseInsensitiveKeys, let values = node.caseInsensitiveValues,
           !keys.contains(SchemaNode.canonicalKey(value).lowercased()) {
            let here = pathText
            report(SchemaDiagnosticCode.enumeration, here,
                   "\(here) \(ValueText.shown(value)) is not one of \(values.joined(separator: ", ")) (in any case)")
        }
        if let constant = node.constValue, SchemaNode.canonicalKey(constant) != SchemaNode.canonicalKey(value) {
            let here = pathText
            report(SchemaDiagnosticCode.enumeration, here, "\(here) \(ValueText.shown(value)) must be \(ValueText.shown(constant))")
        }

        switch value {
        case .string(let text):
            validateString(text, value, node)
            // A numeric string is held to number rules only where the node allows numbers.
            if node.types.map({ !$0.isDisjoint(with: [.integer, .number]) }) == true, let number = ValueText.number(fromText: text) {
                validateNumber(number, value, node)
            }
        case .int(let number):
            validateNumber(Double(number), value, node)
        case .double(let number):
            validateNumber(number, value, node)
        case .number(let text):
            // Beyond Int64 and Double: bounds are compared with the nearest double.
            if let number = Double(text) { validateNumber(number, value, node) }
        case .list(let items):
            validateList(items, node)
        case .map(let map):
            if node.hasObjectRules { validateObject(map, node) }
        default:
            break
        }

        for child in node.allOf { validate(value, child) }
        if !node.anyOf.isEmpty { validateCombination(value, node.anyOf, exactlyOne: false) }
        if !node.oneOf.isEmpty { validateCombination(value, node.oneOf, exactlyOne: true) }
        if let condition = node.condition {
            if trial(value, condition).isEmpty {
                if let then = node.then { validate(value, then) }
            } else if let otherwise = node.otherwise {
                validate(value, otherwise)
            }
        }
        if let negated = node.not, trial(value, negated).isEmpty {
            let here = pathText
            let subject = here.isEmpty ? "the properties match" : "\(here) \(ValueText.shown(value)) matches"
            report(SchemaDiagnosticCode.combination, here, "\(subject) a form the schema forbids")
        }
    }

    private mutating func validateString(_ text: String, _ value: TemplateValue, _ node: SchemaNode) {
        if let pattern = node.pattern, !pattern.matches(text) {
            let here = pathText
            report(SchemaDiagnosticCode.pattern, here, "\(here) \(ValueText.shown(value)) does not match \(pattern.applied)")
        }
        guard node.minLength != nil || node.maxLength != nil else { return }
        let length = SchemaValidator.scalarCount(text)
        if let minimum = node.minLength, length < minimum {
            let here = pathText
            report(SchemaDiagnosticCode.length, here,
                   "\(here) \(ValueText.shown(value)) is \(length) character\(length == 1 ? "" : "s") long; minLength is \(minimum)")
        }
        if let maximum = node.maxLength, length > maximum {
            let here = pathText
            report(SchemaDiagnosticCode.length, here,
                   "\(here) \(ValueText.shown(value)) is \(length) characters long; maxLength is \(maximum)")
        }
    }

    private mutating func validateNumber(_ number: Double, _ value: TemplateValue, _ node: SchemaNode) {
        if let minimum = node.minimum, number < minimum {
            let here = pathText
            report(SchemaDiagnosticCode.range, here, "\(here) \(ValueText.shown(value)) is less than minimum \(ValueText.number(minimum))")
        }
        if let maximum = node.maximum, number > maximum {
            let here = pathText
            report(SchemaDiagnosticCode.range, here, "\(here) \(ValueText.shown(value)) is greater than maximum \(ValueText.number(maximum))")
        }
        if let minimum = node.exclusiveMinimum, number <= minimum {
            let here = pathText
            report(SchemaDiagnosticCode.range, here, "\(here) \(ValueText.shown(value)) is not greater than \(ValueText.number(minimum))")
        }
        if let maximum = node.exclusiveMaximum, number >= maximum {
            let here = pathText
            report(SchemaDiagnosticCode.range, here, "\(here) \(ValueText.shown(value)) is not less than \(ValueText.number(maximum))")
        }
        if let step = node.multipleOf {
            let quotient = number / step
            if quotient.isFinite && abs(quotient - quotient.rounded()) > 1e-9 {
                let here = pathText
                report(SchemaDiagnosticCode.range, here, "\(here) \(ValueText.shown(value)) is not a multiple of \(ValueText.number(step))")
            }
        }
    }

    private mutating func validateList(_ items: [TemplateValue], _ node: SchemaNode) {
        // An Fn::If element may turn into AWS::NoValue: the count is not known until deploy.
        let countIsKnown = !items.contains { if case .fn = $0 { return true } else { return false } }
        if countIsKnown {
            if let minimum = node.minItems, items.count < minimum {
                let here = pathText
                report(SchemaDiagnosticCode.itemCount, here, "\(here) has \(items.count) item\(items.count == 1 ? "" : "s"); minItems is \(minimum)")
            }
            if let maximum = node.maxItems, items.count > maximum {
                let here = pathText
                report(SchemaDiagnosticCode.itemCount, here, "\(here) has \(items.count) items; maxItems is \(maximum)")
            }
        }
        if node.uniqueItems && items.count > 1 {
            var firstIndex: [TemplateValue: Int] = [:]
            for (offset, item) in items.enumerated() {
                if let earlier = firstIndex[item] {
                    let here = text(path + [.index(offset)])
                    report(SchemaDiagnosticCode.uniqueItems, here,
                           "\(here) \(ValueText.shown(item)) repeats \(text(path + [.index(earlier)])); items must be unique")
                } else {
                    firstIndex[item] = offset
                }
            }
        }
        if !node.uniqueKeys.isEmpty && items.count > 1 {
            validateUniqueKeys(items, node.uniqueKeys)
        }
        for (offset, itemNode) in zip(items.indices, node.prefixItems) {
            path.append(.index(offset))
            validate(items[offset], itemNode)
            path.removeLast()
        }
        if let itemNode = node.items {
            for (offset, item) in items.enumerated() {
                path.append(.index(offset))
                validate(item, itemNode)
                path.removeLast()
            }
        }
    }

    private static let dynamicReference = Array("{{resolve:".utf8)

    /// Whether `text` holds a dynamic reference (`{{resolve:service:key}}`).
    static func hasDynamicReference(_ text: String) -> Bool {
        text.containsBytes(dynamicReference)
    }

    /// cfn-lint's `uniqueKeys`: two objects of a list with equal values under every key of `keys`
    /// are reported at the later one. Items without all the keys, or with a function under one
    /// (its value exists only at deploy time), are left out.
    private mutating func validateUniqueKeys(_ items: [TemplateValue], _ keys: [String]) {
        var firstIndex: [[TemplateValue]: Int] = [:]
        for (offset, item) in items.enumerated() {
            guard case .map(let map) = item else { continue }
            var values: [TemplateValue] = []
            for key in keys {
                guard let value = map[key] else { break }
                if case .fn = value { break }
                values.append(value)
            }
            guard values.count == keys.count else { continue }
            if let earlier = firstIndex[values] {
                let here = text(path + [.index(offset)])
                let shown = zip(keys, values).map { "\($0) \(ValueText.shown($1))" }.joined(separator: ", ")
                report(SchemaDiagnosticCode.uniqueItems, here,
                       "\(here) repeats \(text(path + [.index(earlier)]))'s \(shown); items must differ in \(keys.joined(separator: ", "))")
            } else {
                firstIndex[values] = offset
            }
        }
    }

    /// The number of Unicode scalars in `text` (what JSON Schema lengths count), from its UTF-8:
    /// every byte that is not a continuation byte (`10xxxxxx`) starts one scalar.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    private static func isAbsent(_ value: TemplateValue?) -> Bool {
        guard let value else { return true }
        if case .fn(.ref(let name)) = value, name == PseudoParameter.noValue.rawValue { return true }
        return false
    }

    private mutating func validateObject(_ map: OrderedMap, _ node: SchemaNode) {
        for name in node.required where SchemaValidator.isAbsent(map[name]) {
            let property = childPath(name)
            report(SchemaDiagnosticCode.required, property, "\(property) is required")
        }
        var unknown: [String] = []
        var cursor = 0
        for entry in map.entries {
            if let child = node.property(entry.key, after: &cursor) {
                path.append(.key(entry.key))
                validate(entry.value, child)
                path.removeLast()
                continue
            }
            var matched = false
            for (pattern, child) in node.patternProperties where pattern.matches(entry.key) {
                matched = true
                path.append(.key(entry.key))
                validate(entry.value, child)
                path.removeLast()
            }
            if matched { continue }
            switch node.additional {
            case .allowed:
                break
            case .schema(let child):
                path.append(.key(entry.key))
                validate(entry.value, child)
                path.removeLast()
            case .forbidden:
                unknown.append(entry.key)
            }
        }
        for key in unknown { reportUnknown(key, in: map, node) }

        if node.minProperties != nil || node.maxProperties != nil {
            let here = pathText.isEmpty ? "Properties" : pathText
            if let minimum = node.minProperties, map.count < minimum {
                report(SchemaDiagnosticCode.propertyCount, pathText,
                       "\(here) has \(map.count) propert\(map.count == 1 ? "y" : "ies"); minProperties is \(minimum)")
            }
            if let maximum = node.maxProperties, map.count > maximum {
                report(SchemaDiagnosticCode.propertyCount, pathText,
                       "\(here) has \(map.count) properties (\(map.keys.joined(separator: ", "))); maxProperties is \(maximum)")
            }
        }
        if !node.requiredXor.isEmpty {
            let present = node.requiredXor.filter { !SchemaValidator.isAbsent(map[$0]) }
            if present.count != 1 {
                let found = present.isEmpty ? "none" : ValueText.and(present)
                report(SchemaDiagnosticCode.combination, pathText,
                       "\(label)exactly one of \(node.requiredXor.joined(separator: ", ")) is required; found \(found)")
            }
        }
        if !node.requiredOr.isEmpty, node.requiredOr.allSatisfy({ SchemaValidator.isAbsent(map[$0]) }) {
            report(SchemaDiagnosticCode.combination, pathText,
                   "\(label)at least one of \(node.requiredOr.joined(separator: ", ")) is required; found none")
        }
        for dependency in node.dependentRequired where !SchemaValidator.isAbsent(map[dependency.name]) {
            let missing = dependency.requires.filter { SchemaValidator.isAbsent(map[$0]) }
            if !missing.isEmpty {
                let property = childPath(dependency.name)
                report(SchemaDiagnosticCode.dependency, property, "\(property) requires \(ValueText.and(missing))")
            }
        }
        for exclusion in node.dependentExcluded where !SchemaValidator.isAbsent(map[exclusion.name]) {
            let clashing = exclusion.excludes.filter { !SchemaValidator.isAbsent(map[$0]) }
            if !clashing.isEmpty {
                let property = childPath(exclusion.name)
                report(SchemaDiagnosticCode.dependency, property,
                       "\(property) cannot be used together with \(ValueText.and(clashing))")
            }
        }
        for dependency in node.dependentSchemas where !SchemaValidator.isAbsent(map[dependency.name]) {
            validate(.map(map), dependency.node)
        }
    }

    private mutating func reportUnknown(_ key: String, in map: OrderedMap, _ node: SchemaNode) {
        let property = childPath(key)
        if node.properties.isEmpty, !node.patternProperties.isEmpty {
            let rules = node.patternProperties.map(\.pattern.applied)
            let what = rules.count == 1 ? rules[0] : "any of " + rules.joined(separator: ", ")
            let owner = pathText.isEmpty ? "the resource" : pathText
            report(SchemaDiagnosticCode.pattern, property,
                   "\(owner) key \(ValueText.shown(.string(key))) does not match \(what)")
            return
        }
        if inTrial {
            // A trial's messages are read only for the branch reported as the closest form,
            // which is validated again outside the trial: no suggestion to search for here.
            report(SchemaDiagnosticCode.unknownProperty, property, "\(property) is not a known property")
            return
        }
        let isRoot = path.isEmpty
        var candidates: [Suggestion.Candidate] = []
        for name in node.propertyOrder where map[name] == nil && !(isRoot && rules.readOnly.contains(name)) {
            candidates.append(Suggestion.Candidate(name: name, display: childPath(name), nested: false))
        }
        for name in node.propertyOrder where !(isRoot && rules.readOnly.contains(name)) {
            guard let child = node.properties[name] else { continue }
            let present = map[name]?.mapValue
            for inner in objectPropertyNames(child) where present?[inner] == nil {
                candidates.append(Suggestion.Candidate(name: inner, display: text(path + [.key(name), .key(inner)]), nested: true))
            }
        }
        if let suggestion = Suggestion.closest(to: key, among: candidates) {
            report(SchemaDiagnosticCode.unknownProperty, property, "\(property) is not a known property; did you mean \(suggestion)?")
        } else {
            let known = node.propertyOrder.filter { !(isRoot && rules.readOnly.contains($0)) }
            let shownNames = known.prefix(12).joined(separator: ", ") + (known.count > 12 ? ", …" : "")
            report(SchemaDiagnosticCode.unknownProperty, property,
                   "\(property) is not a known property (known: \(shownNames))")
        }
    }

    /// The property names of an object node (and of the nodes it includes with `allOf`).
    private func objectPropertyNames(_ index: Int) -> [String] {
        let node = rules.nodes[index]
        var names = node.propertyOrder
        for included in node.allOf { names += rules.nodes[included].propertyOrder }
        return names
    }

    // MARK: - Combinations

    /// The violations `value` would have against node `index`, without reporting them.
    private mutating func trial(_ value: TemplateValue, _ index: Int, detailed: Bool = false) -> [SchemaViolation] {
        let saved = violations, savedInTrial = inTrial
        violations = []
        // A detailed trial inside a trial is itself only counted unless its result is shown.
        inTrial = detailed ? savedInTrial : true
        validate(value, index)
        let found = violations.filter { $0.severity == .error }
        violations = saved
        inTrial = savedInTrial
        return found
    }

    private mutating func validateCombination(_ value: TemplateValue, _ branches: [Int], exactlyOne: Bool) {
        var passing = 0
        // The closest form: the fewest violations; on a tie, a form of the value's own kind over
        // one whose only complaint is the kind (an object missing a key, not "is not a string").
        var closest: (branch: Int, count: Int, kindOnly: Bool)?
        var herePath: String?
        for branch in branches {
            let found = trial(value, branch)
            if found.isEmpty {
                passing += 1
                if !exactlyOne { return }
                continue
            }
            var kindOnly = false
            if found.count == 1 && found[0].code == SchemaDiagnosticCode.type {
                if herePath == nil { herePath = pathText }
                kindOnly = found[0].property == herePath
            }
            if let best = closest, found.count > best.count || (found.count == best.count && (kindOnly || !best.kindOnly)) { continue }
            closest = (branch, found.count, kindOnly)
        }
        if exactlyOne && passing == 1 { return }
        let here = herePath ?? pathText
        let requiredOnly = branches.allSatisfy { rules.nodes[$0].isRequiredOnly }
        if requiredOnly, case .map(let map) = value {
            let names = branches.flatMap { rules.nodes[$0].required }
            let present = names.filter { !SchemaValidator.isAbsent(map[$0]) }
            let found = present.isEmpty ? "none" : ValueText.and(present)
            let quantity = exactlyOne ? "exactly one" : "at least one"
            report(SchemaDiagnosticCode.combination, here, "\(label)\(quantity) of \(names.joined(separator: ", ")) is required; found \(found)")
            return
        }
        let subject = here.isEmpty ? "the properties" : here
        if passing > 1 {
            report(SchemaDiagnosticCode.combination, here,
                   "\(subject) match \(passing) of the \(branches.count) allowed forms; exactly one must match")
        } else {
            // The closest branch again, with its messages in full (a trial skips suggestions).
            let hint = closest.flatMap { trial(value, $0.branch, detailed: true).first }.map { "; closest form: \($0.message)" } ?? ""
            report(SchemaDiagnosticCode.combination, here,
                   "\(subject) match\(here.isEmpty ? "" : "es") none of the \(branches.count) allowed forms\(hint)")
        }
    }

    // MARK: - Types

    /// Whether a value has one of `types`, with CloudFormation's conversions between scalars.
    static func conforms(_ value: TemplateValue, to types: TypeSet) -> Bool {
        switch value {
        case .string(let text):
            if types.contains(.string) { return true }
            if types.contains(.integer), Int64(text) != nil { return true }
            if types.contains(.number), ValueText.number(fromText: text) != nil { return true }
            if types.contains(.boolean), text.lowercased() == "true" || text.lowercased() == "false" { return true }
            return false
        case .int:
            return !types.isDisjoint(with: [.integer, .number, .string])
        case .double(let number):
            if !types.isDisjoint(with: [.number, .string]) { return true }
            return types.contains(.integer) && number == number.rounded()
        case .number:
            if !types.isDisjoint(with: [.number, .string]) { return true }
            return types.contains(.integer) && value.kindName == "integer"
        case .bool:
            return !types.isDisjoint(with: [.boolean, .string])
        case .null:
            return types.contains(.null)
        case .list:
            return types.contains(.array)
        case .map:
            return types.contains(.object)
        case .fn:
            return true
        }
    }
}

extension SchemaNode {
    /// A node that only lists required names (the branches of IAM::Policy's `anyOf`).
    var isRequiredOnly: Bool {
        !required.isEmpty && types == nil && properties.isEmpty && patternProperties.isEmpty && enumValues == nil
            && pattern == nil && allOf.isEmpty && anyOf.isEmpty && oneOf.isEmpty
    }
}

/// How values appear in messages.
enum ValueText {
    /// A scalar as written (strings quoted, long ones shortened); containers by kind.
    static func shown(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text):
            let scalars = text.unicodeScalars
            if scalars.count > 120 {
                var short = String(String.UnicodeScalarView(scalars.prefix(117)))
                short += "…"
                return TemplateValue.string(short).description
            }
            return value.description
        case .list, .map:
            return "(\(kind(value)))"
        default:
            return value.description
        }
    }

    /// `a list`, `an object`, …
    static func kind(_ value: TemplateValue) -> String {
        switch value {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .number: value.kindName == "integer" ? "an integer" : "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .list: "a list"
        case .map: "an object"
        case .fn(let function): function.name
        }
    }

    /// Enum values for a message, shortened when there are many.
    static func list(_ values: [TemplateValue]) -> String {
        let shownValues = values.prefix(25).map(SchemaNode.canonicalKey)
        let rest = values.count > 25 ? ", … (\(values.count) in all)" : ""
        return shownValues.joined(separator: ", ") + rest
    }

    /// `A`, `A and B`, `A, B and C`.
    static func and(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// A bound from the schema: `60`, `0.5`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9e15 { return String(Int64(value)) }
        return NumberFormatting.shortest(value)
    }

    /// A decimal number written as text (`"30"`, `"-1.5"`), not `inf`, `nan` or hex.
    static func number(fromText text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
              let number = Double(text), number.isFinite else { return nil }
        return number
    }
}
