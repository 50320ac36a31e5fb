import FormationRegistry
import FormationTemplate

/// Why a value cannot take its typed form; the value is then written raw with this reason.
struct Misfit: Error {
    var reason: String
}

/// The Swift type of a handle's token or of an expression: what it can stand for without a cast.
enum Natural {
    case string
    case int
    case list
}

/// Writes the body of one imported stack's `add(to:)` function.
struct StackWriter {
    let template: Template
    var importer: TemplateImporter

    var body: [BodyLine] = []
    var findings: [ImportFinding] = []
    var typed = 0
    var raw = 0
    var overrideCount = 0
    var resourceCount = 0
    var typesToGenerate: [String] = []

    private var names = HandleNames(reserving: SwiftSource.reservedNames)
    /// Parameters by logical name: the handle and what its `ref` is.
    private var parameters: [String: (handle: String, natural: Natural)] = [:]
    private var mappings: [String: String] = [:]
    private var conditions: [String: String] = [:]
    /// Resources declared so far (a reference to a later one cannot use its handle).
    private var resources: [String: (handle: String, model: ResourceModel?)] = [:]
    /// Handles of every resource, claimed before anything is written.
    private var resourceHandles: [String: String] = [:]
    /// Statements: the handle a declaration binds (when something uses it) and its lines.
    private var statements: [(handle: String?, lines: [String])] = []
    /// Resource attributes written as they are over the resource being written (name, value, why).
    private var rawAttributes: [(String, TemplateValue, String)] = []
    /// Raw values written over the resource being written.
    private var overrides: [(path: [String], value: TemplateValue, reason: String)] = []

    static let base = 2

    init(template: Template, importer: TemplateImporter) {
        self.template = template
        self.importer = importer
    }

    mutating func note(_ path: String, _ message: String) {
        findings.append(ImportFinding(path: path, message: message))
    }

    // MARK: - The whole stack

    mutating func write() {
        let root = template.root
        for entry in template.resources.entries { resourceHandles[entry.key] = names.claim(entry.key) }

        var header: [String] = []
        var stackCall = "let stack = app.stack(name"
        if let description = root["Description"] {
            if case .string(let text) = description {
                stackCall += ", description: " + SwiftSource.string(text, indent: Self.base + 1)
            } else {
                note("Description", "a \(description.kindName) cannot be a stack description (a string); left out")
            }
        }
        header.append(stackCall + ")")
        if let version = root["AWSTemplateFormatVersion"], version != .string("2010-09-09") {
            note("AWSTemplateFormatVersion", "\(version) is not 2010-09-09, the only version; Formation writes 2010-09-09")
        }
        if let metadata = root["Metadata"] {
            if case .map = metadata {
                header.append("stack.metadata = " + mapLiteral(metadata, indent: Self.base))
            } else {
                note("Metadata", "a \(metadata.kindName), not a map; left out")
            }
        }
        if let transform = root["Transform"] {
            header.append("stack.transform = " + json(transform, indent: Self.base))
        }
        for entry in root.entries where !Template.sectionOrder.contains(entry.key) {
            note(entry.key, "not a template section CloudFormation knows; left out")
        }
        if let rules = root["Rules"] {
            if case .map = rules {
                header.append("stack.rules = " + mapLiteral(rules, indent: Self.base))
            } else {
                note("Rules", "a \(rules.kindName), not a map; left out")
            }
        }
        statements.append((nil, header))

        writeParameters()
        writeMappings()
        writeConditions()
        writeResources()
        writeOutputs()
        finish()
    }

    /// Binds each declaration to its handle when a later statement uses it, and lays out the body.
    private mutating func finish() {
        // Words used after each statement (suffix union), to know which handles are used.
        var usedAfter: [Set<String>] = Array(repeating: [], count: statements.count + 1)
        for index in stride(from: statements.count - 1, through: 0, by: -1) {
            usedAfter[index] = usedAfter[index + 1].union(Self.words(statements[index].lines))
        }
        var previousKind = ""
        for (index, statement) in statements.enumerated() {
            var lines = statement.lines
            if let handle = statement.handle, usedAfter[index + 1].contains(Naming.bare(handle)),
               let first = lines.firstIndex(where: { !$0.hasPrefix("//") }) {
                lines[first] = "let \(handle) = " + lines[first]
            }
            // A blank line between sections (the first word of a statement's call names it).
            let kind = Self.sectionKind(lines.first { !$0.hasPrefix("//") } ?? "")
            if index > 0 && kind != previousKind { body.append(BodyLine(text: "")) }
            previousKind = kind
            let pad = String(repeating: "    ", count: Self.base)
            for line in lines {
                // Lines are indented from the body's level; multi-line literals carry their own.
                body.append(BodyLine(text: line.isEmpty ? "" : (line.hasPrefix(pad) ? line : pad + line)))
            }
        }
        body.append(BodyLine(text: ""))
    }

    private static func sectionKind(_ line: String) -> String {
        for kind in ["stack.parameter", "stack.mapping", "stack.condition", "stack.add", "stack.output"] where line.contains(kind + "(") {
            return kind
        }
        return "stack"
    }

    /// The identifiers in `lines`.
    private static func words(_ lines: [String]) -> Set<String> {
        var words: Set<String> = []
        for line in lines {
            var current = ""
            for scalar in line.unicodeScalars {
                if Naming.isAlphanumeric(scalar) || scalar == "_" {
                    current.unicodeScalars.append(scalar)
                } else {
                    if !current.isEmpty { words.insert(current) }
                    current = ""
                }
            }
            if !current.isEmpty { words.insert(current) }
        }
        return words
    }

    // MARK: - Parameters

    private static let parameterTypes: [String: String] = [
        "String": ".string", "Number": ".number", "AWS::EC2::VPC::Id": ".vpcId", "AWS::EC2::Subnet::Id": ".subnetId",
        "AWS::EC2::SecurityGroup::Id": ".securityGroupId", "AWS::EC2::KeyPair::KeyName": ".keyPairName",
        "AWS::EC2::Image::Id": ".imageId", "AWS::SSM::Parameter::Value<String>": ".ssmString",
        "CommaDelimitedList": ".commaDelimitedList", "List<AWS::EC2::Subnet::Id>": ".subnetIds",
        "List<AWS::EC2::SecurityGroup::Id>": ".securityGroupIds", "List<AWS::EC2::AvailabilityZone::Name>": ".availabilityZones",
    ]

    private mutating func writeParameters() {
        for entry in template.parameters.entries {
            let path = "Parameters/\(entry.key)"
            guard case .map(let body) = entry.value else {
                note(path, "a \(entry.value.kindName), not a map; left out")
                continue
            }
            let typeName = body["Type"]?.stringValue ?? "String"
            if body["Type"]?.stringValue == nil { note(path + "/Type", "missing or not a string; written as String") }
            let natural: Natural = typeName == "Number" ? .int : (typeName.contains("List<") || typeName == "CommaDelimitedList" ? .list : .string)
            let typeExpr: String
            if let known = Self.parameterTypes[typeName] {
                typeExpr = known
            } else {
                let swiftType = natural == .int ? "Int" : (natural == .list ? "[Value<String>]" : "String")
                typeExpr = "ParameterType<\(swiftType)>(\(SwiftWriter.literal(typeName)))"
            }
            var args = [SwiftWriter.literal(entry.key), "type: " + typeExpr]
            for field in body.entries {
                let fieldPath = path + "/" + field.key
                switch field.key {
                case "Type": break
                case "Description", "AllowedPattern", "ConstraintDescription":
                    let label = field.key == "Description" ? "description" : (field.key == "AllowedPattern" ? "allowedPattern" : "constraintDescription")
                    if case .string(let text) = field.value {
                        args.append(label + ": " + SwiftSource.string(text, indent: Self.base + 1))
                    } else {
                        args.append(label + ": " + SwiftWriter.literal(Self.text(field.value)))
                        note(fieldPath, "\(field.value) is written as the string \(SwiftWriter.literal(Self.text(field.value)))")
                    }
                case "Default":
                    args.append("default: " + json(field.value, indent: Self.base + 1))
                case "NoEcho":
                    if case .bool(let flag) = field.value {
                        if flag { args.append("noEcho: true") }
                    } else {
                        let flag = Self.text(field.value).lowercased() == "true"
                        if flag { args.append("noEcho: true") }
                        note(fieldPath, "\(field.value) is written as the boolean \(flag)\(flag ? "" : " (left out)")")
                    }
                case "AllowedValues":
                    if case .list(let items) = field.value {
                        args.append("allowedValues: " + listLiteral(items.map { json($0, indent: Self.base + 2) }, indent: Self.base + 1))
                    } else {
                        args.append("allowedValues: [" + json(field.value, indent: Self.base + 1) + "]")
                        note(fieldPath, "a \(field.value.kindName), not a list; written as a list of one")
                    }
                case "MinLength", "MaxLength":
                    let label = field.key == "MinLength" ? "minLength" : "maxLength"
                    if case .int(let number) = field.value {
                        args.append("\(label): \(number)")
                    } else if let number = Int(Self.text(field.value)) {
                        args.append("\(label): \(number)")
                        note(fieldPath, "\(field.value) is written as the number \(number)")
                    } else {
                        note(fieldPath, "\(field.value) is not a whole number; left out")
                    }
                case "MinValue", "MaxValue":
                    let label = field.key == "MinValue" ? "minValue" : "maxValue"
                    switch field.value {
                    case .int(let number): args.append("\(label): \(number)")
                    case .double(let number) where number.rounded() != number: args.append("\(label): \(NumberFormatting.shortest(number))")
                    default:
                        if let number = Double(Self.text(field.value)), number.isFinite {
                            let shown = number.rounded() == number && abs(number) < 9e15 ? String(Int64(number)) : NumberFormatting.shortest(number)
                            args.append("\(label): \(shown)")
                            note(fieldPath, "\(field.value) is written as the number \(shown)")
                        } else {
                            note(fieldPath, "\(field.value) is not a number; left out")
                        }
                    }
                default:
                    note(fieldPath, "not a parameter attribute Formation writes; left out")
                }
            }
            // In the order `Stack.parameter` declares its arguments.
            let order = ["description", "default", "noEcho", "allowedValues", "allowedPattern", "constraintDescription",
                         "minLength", "maxLength", "minValue", "maxValue"]
            func rank(_ argument: String) -> Int {
                order.firstIndex { argument.hasPrefix($0 + ":") }.map { $0 + 2 } ?? (argument.hasPrefix("type:") ? 1 : 0)
            }
            args = args.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
            let handle = names.claim(entry.key, kind: "Parameter")
            parameters[entry.key] = (handle, natural)
            statements.append((handle, call("stack.parameter", args, indent: Self.base)))
        }
    }

    private static func text(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): NumberFormatting.shortest(number)
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: value.description
        }
    }

    // MARK: - Mappings

    private mutating func writeMappings() {
        for entry in template.mappings.entries {
            guard case .map = entry.value else {
                note("Mappings/\(entry.key)", "a \(entry.value.kindName), not a map; left out")
                continue
            }
            let handle = names.claim(entry.key, kind: "Mapping")
            mappings[entry.key] = handle
            statements.append((handle, ["stack.mapping(\(SwiftWriter.literal(entry.key)), " + mapLiteral(entry.value, indent: Self.base) + ")"]))
        }
    }

    // MARK: - Conditions

    private mutating func writeConditions() {
        let entries = template.conditions.entries
        // Conditions that use other conditions come after them.
        let order = Self.dependencyOrder(entries.map(\.key)) { name in
            var found: [String] = []
            Self.walk(template.conditions[name] ?? .null) { fn in
                if case .condition(let other) = fn { found.append(other) }
            }
            return found
        }
        for name in order.order {
            let value = template.conditions[name] ?? .null
            let handle = names.claim(name, kind: "Condition")
            let expression = condition(value, indent: Self.base)
            conditions[name] = handle
            statements.append((handle, ["stack.condition(\(SwiftWriter.literal(name)), " + expression + ")"]))
        }
    }

    private mutating func condition(_ value: TemplateValue, indent: Int) -> String {
        switch value {
        case .fn(.equals(let a, let b)):
            return "Fn.equals(\(equalsArgument(a, indent: indent + 1)), \(equalsArgument(b, indent: indent + 1)))"
        case .fn(.and(let items)) where !items.isEmpty:
            return call("Fn.and", items.map { condition($0, indent: indent + 1) }, indent: indent).joined(separator: "\n")
        case .fn(.or(let items)) where !items.isEmpty:
            return call("Fn.or", items.map { condition($0, indent: indent + 1) }, indent: indent).joined(separator: "\n")
        case .fn(.not(let inner)):
            return "Fn.not(\(condition(inner, indent: indent)))"
        case .fn(.condition(let name)):
            if let handle = conditions[name] { return handle + ".expression" }
            return "ConditionExpression(.fn(.condition(\(SwiftWriter.literal(name)))))"
        default:
            return "ConditionExpression(\(json(value, indent: indent)))"
        }
    }

    private mutating func equalsArgument(_ value: TemplateValue, indent: Int) -> String {
        switch value {
        case .string(let text):
            return "Value(" + SwiftSource.string(text, indent: indent) + ")"
        case .fn(let fn):
            if let (expression, _) = naturalToken(fn, indent: indent) { return Self.typed(expression) }
            return "Value<TemplateValue>(\(intrinsic(fn, indent: indent)))"
        default:
            return "Value<TemplateValue>.literal(\(json(value, indent: indent)))"
        }
    }

    // MARK: - Resources

    /// `names` in dependency order (a name after those it uses), template order otherwise; the
    /// names in a cycle stay in template order.
    static func dependencyOrder(_ names: [String], uses: (String) -> [String]) -> (order: [String], cyclic: Set<String>) {
        let known = Set(names)
        var edges: [String: Set<String>] = [:]
        for name in names { edges[name] = Set(uses(name).filter { known.contains($0) && $0 != name }) }
        var done: Set<String> = []
        var order: [String] = []
        var cyclic: Set<String> = []
        while order.count < names.count {
            if let next = names.first(where: { !done.contains($0) && edges[$0, default: []].isSubset(of: done) }) {
                order.append(next)
                done.insert(next)
            } else if let next = names.first(where: { !done.contains($0) }) {
                cyclic.insert(next)
                order.append(next)
                done.insert(next)
            }
        }
        return (order, cyclic)
    }

    /// Calls `visit` on every intrinsic in `value`, nested ones included.
    static func walk(_ value: TemplateValue, _ visit: (Intrinsic) -> Void) {
        switch value {
        case .list(let items): for item in items { walk(item, visit) }
        case .map(let map): for entry in map.entries { walk(entry.value, visit) }
        case .fn(let fn):
            visit(fn)
            fn.forEachChild { walk($0, visit) }
        default: break
        }
    }

    /// The resources `body` refers to (by Ref, Fn::GetAtt, Fn::Sub or DependsOn).
    static func references(_ body: TemplateValue) -> [String] {
        var found: [String] = []
        walk(body) { fn in
            switch fn {
            case .ref(let name): found.append(name)
            case .getAtt(let name, _), .getAttComputed(let name, _): found.append(name)
            case .sub(let text, _):
                for variable in Intrinsic.subVariables(in: text) {
                    found.append(Intrinsic.splitSubVariable(variable)?.resource ?? variable)
                }
            default: break
            }
        }
        if case .map(let map) = body {
            switch map["DependsOn"] {
            case .string(let one)?: found.append(one)
            case .list(let many)?: found += many.compactMap(\.stringValue)
            default: break
            }
        }
        return found
    }

    private mutating func writeResources() {
        let entries = template.resources
        let order = Self.dependencyOrder(entries.keys) { Self.references(entries[$0] ?? .null) }
        for id in order.order {
            let value = entries[id] ?? .null
            let path = "Resources/\(id)"
            resourceCount += 1
            guard case .map(let body) = value else {
                note(path, "a \(value.kindName), not a map; left out")
                continue
            }
            if order.cyclic.contains(id) {
                note(path, "is part of a reference cycle; its references to resources declared after it are written as plain intrinsics")
            }
            writeResource(id, body, path: path)
        }
    }

    private mutating func writeResource(_ id: String, _ body: OrderedMap, path: String) {
        let handle = resourceHandles[id] ?? names.claim(id)
        let typeName = body["Type"]?.stringValue ?? ""
        if body["Type"]?.stringValue == nil { note(path + "/Type", "missing or not a string") }
        let model = importer.model(typeName)
        currentModel = model
        overrides = []
        var lines: [String] = []
        let idLiteral = SwiftWriter.literal(id)
        let logicalID = LogicalIDText.isPlain(id) ? "" : ", logicalID: \(idLiteral)"
        let propertiesValue = body["Properties"] ?? .map(OrderedMap())
        var propertiesExpression: String?
        var rawReason: String?
        if let model {
            rawAttributes = []
            if case .map(let properties) = propertiesValue {
                switch structure(properties, model.properties, typeName: model.qualifiedName, path: [], indent: Self.base) {
                case .success(let expression): propertiesExpression = expression
                case .failure(let misfit): rawReason = misfit.reason
                }
            } else {
                rawReason = "Properties is a \(propertiesValue.kindName), not a map"
            }
        } else if typeName.hasPrefix("Custom::") || typeName == "AWS::CloudFormation::CustomResource" {
            rawReason = "a custom resource: its properties are the provider's, with no registry schema"
        } else {
            rawReason = "\(typeName.isEmpty ? "the type" : typeName) is not in the CloudFormation registry"
        }
        if let propertiesExpression {
            typed += 1
            if !Self.isBuiltIn(typeName), !typesToGenerate.contains(typeName) { typesToGenerate.append(typeName) }
            lines.append("stack.add(\(idLiteral), \(propertiesExpression)\(logicalID))")
        } else {
            overrides = []
            raw += 1
            lines.append("// \(TemplateImporter.comment(typeName)) stays raw: \(TemplateImporter.comment(rawReason ?? ""))")
            let properties: String
            if case .map(let map) = propertiesValue {
                properties = map.isEmpty ? "" : ", properties: " + mapLiteral(propertiesValue, indent: Self.base)
            } else {
                // Typed and raw properties are maps: the whole entry is written as an attribute.
                properties = ""
                rawAttributes.append(("Properties", propertiesValue, "\(Self.describe(propertiesValue)), not a map: written as it is"))
            }
            lines.append("stack.add(\(idLiteral), RawResource(type: \(SwiftWriter.literal(typeName))\(properties))\(logicalID))")
        }
        resources[id] = (handle, model)
        lines += attributes(body, path: path)
        for (name, value, reason) in rawAttributes {
            lines.append("    // \(name): \(TemplateImporter.comment(reason))")
            lines.append("    .overrideAttribute(\(SwiftWriter.literal(name)), \(json(value, indent: Self.base + 1)))")
        }
        rawAttributes = []
        for override in overrides {
            overrideCount += 1
            let pathText = override.path.map(SwiftWriter.literal).joined(separator: ", ")
            lines.append("    // \(TemplateImporter.comment(override.path.joined(separator: "."))): \(TemplateImporter.comment(override.reason))")
            lines.append("    .overrideProperty([\(pathText)], \(json(override.value, indent: Self.base + 1)))")
        }
        overrides = []
        statements.append((handle, lines))
    }

    static func isBuiltIn(_ typeName: String) -> Bool { TemplateImporter.isBuiltIn(typeName) }

    private static let policies: [String: String] = [
        "Delete": ".delete", "Retain": ".retain", "Snapshot": ".snapshot", "RetainExceptOnCreate": ".retainExceptOnCreate",
    ]

    /// The resource attributes as calls on the handle.
    private mutating func attributes(_ body: OrderedMap, path: String) -> [String] {
        var calls: [String] = []
        if let depends = body["DependsOn"] {
            var targets: [String] = []
            switch depends {
            case .string(let one): targets = [one]
            case .list(let many):
                for item in many {
                    if let name = item.stringValue { targets.append(name) }
                    else { note(path + "/DependsOn", "\(item) is not a logical ID; left out") }
                }
            default: note(path + "/DependsOn", "a \(depends.kindName), not a logical ID or a list; left out")
            }
            var handles: [String] = []
            for target in targets {
                if let declared = resources[target] { handles.append(declared.handle) }
                else { note(path + "/DependsOn", "\(target) is not a resource declared before this one; left out") }
            }
            if !handles.isEmpty { calls.append(".dependsOn(\(handles.joined(separator: ", ")))") }
        }
        if let condition = body["Condition"] {
            if let name = condition.stringValue, let handle = conditions[name] {
                calls.append(".condition(\(handle))")
            } else {
                note(path + "/Condition", "\(condition) is not a declared condition; left out")
            }
        }
        let deletion = body["DeletionPolicy"], replace = body["UpdateReplacePolicy"]
        if deletion == .string("Retain") && replace == .string("Retain") {
            calls.append(".retainOnDelete()")
        } else {
            for (key, method, value) in [("DeletionPolicy", "deletionPolicy", deletion), ("UpdateReplacePolicy", "updateReplacePolicy", replace)] {
                guard let value else { continue }
                if let name = value.stringValue, let policy = Self.policies[name] {
                    calls.append(".\(method)(\(policy))")
                } else {
                    rawAttributes.append((key, value, "\(Self.describe(value)): `\(method)` takes Delete, Retain, Snapshot or RetainExceptOnCreate"))
                }
            }
        }
        if let creation = body["CreationPolicy"] { calls.append(".creationPolicy(\(json(creation, indent: Self.base + 1)))") }
        if let update = body["UpdatePolicy"] { calls.append(".updatePolicy(\(json(update, indent: Self.base + 1)))") }
        if let metadata = body["Metadata"] {
            if case .map(let map) = metadata {
                for entry in map.entries {
                    calls.append(".metadata(\(SwiftWriter.literal(entry.key)), \(json(entry.value, indent: Self.base + 1)))")
                }
            } else {
                note(path + "/Metadata", "a \(metadata.kindName), not a map; left out")
            }
        }
        let known: Set<String> = ["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy",
                                  "CreationPolicy", "UpdatePolicy", "Metadata"]
        for entry in body.entries where !known.contains(entry.key) {
            rawAttributes.append((entry.key, entry.value, "no method of the handle writes it"))
        }
        return calls.map { "    " + $0 }
    }

    // MARK: - Outputs

    private mutating func writeOutputs() {
        for entry in template.outputs.entries {
            let path = "Outputs/\(entry.key)"
            guard case .map(let body) = entry.value else {
                note(path, "a \(entry.value.kindName), not a map; left out")
                continue
            }
            guard let value = body["Value"] else {
                note(path, "has no Value; left out")
                continue
            }
            let valueExpression: String
            switch value {
            case .string(let text): valueExpression = SwiftSource.string(text, indent: Self.base + 1)
            case .fn(let fn): valueExpression = token(fn, .string, indent: Self.base + 1) ?? "Value(\(intrinsic(fn, indent: Self.base + 1)))"
            case .int, .double, .number, .bool:
                valueExpression = SwiftWriter.literal(Self.text(value))
                note(path + "/Value", "\(value) is written as the string \(SwiftWriter.literal(Self.text(value)))")
            default:
                note(path + "/Value", "a \(value.kindName) cannot be an output's value (a string); left out")
                continue
            }
            var args = [SwiftWriter.literal(entry.key), valueExpression]
            for field in body.entries {
                switch field.key {
                case "Value": break
                case "Description":
                    if case .string(let text) = field.value {
                        args.append("description: " + SwiftSource.string(text, indent: Self.base + 1))
                    } else {
                        note(path + "/Description", "a \(field.value.kindName), not a string; left out")
                    }
                case "Export":
                    if case .map(let export) = field.value, let name = export["Name"], export.count == 1 {
                        let expression: String
                        switch name {
                        case .string(let text): expression = SwiftSource.string(text, indent: Self.base + 1)
                        case .fn(let fn): expression = token(fn, .string, indent: Self.base + 1) ?? "Value(\(intrinsic(fn, indent: Self.base + 1)))"
                        default:
                            note(path + "/Export/Name", "a \(name.kindName), not a string; left out")
                            continue
                        }
                        args.append("exportName: " + expression)
                    } else {
                        note(path + "/Export", "not a map of Name alone; left out")
                    }
                case "Condition":
                    if let name = field.value.stringValue, let handle = conditions[name] {
                        args.append("condition: " + handle)
                    } else {
                        note(path + "/Condition", "\(field.value) is not a declared condition; left out")
                    }
                default:
                    note(path + "/" + field.key, "not an output attribute; left out")
                }
            }
            statements.append((nil, call("stack.output", args, indent: Self.base)))
        }
    }

    // MARK: - Typed values

    /// A struct value: `.init(member: …)` (or `typeName(…)` for the resource's own struct).
    /// Optional members that do not fit are written raw over it; a required one that does not
    /// fit, or is missing, makes the whole struct a misfit, unless it is a struct of optional
    /// members only, which is written empty with the value over it.
    private mutating func structure(_ map: OrderedMap, _ model: StructModel, typeName: String, path: [String],
                                    indent: Int) -> Result<String, Misfit> {
        var byName: [String: MemberModel] = [:]
        for member in model.members { byName[member.jsonName] = member }
        let ordered = model.members.filter(\.required) + model.members.filter { !$0.required }
        var args: [String] = []
        for member in ordered {
            guard let value = map[member.jsonName] else {
                if member.required { return .failure(Misfit(reason: "its required \(member.jsonName) is missing")) }
                continue
            }
            let mark = overrides.count
            switch self.value(value, member.type, path: path + [member.jsonName], indent: indent + 1) {
            case .success(let expression):
                args.append("\(member.swiftName): \(expression)")
            case .failure(let misfit):
                overrides.removeSubrange(mark...)
                if member.required {
                    // A required struct whose members are all optional (Lambda's Code when it is
                    // `./`, a path for `aws cloudformation package`): an empty one, with the value
                    // written over it, keeps the resource typed.
                    guard case .structure(let name) = member.type, let inner = currentStruct(name),
                          !inner.members.contains(where: \.required) else {
                        return .failure(Misfit(reason: "\(member.jsonName): \(misfit.reason)"))
                    }
                    args.append("\(member.swiftName): .init()")
                }
                overrides.append((path + [member.jsonName], value, misfit.reason))
            }
        }
        for entry in map.entries where byName[entry.key] == nil {
            overrides.append((path + [entry.key], entry.value, "not a property of \(model.name) in the registry schema"))
        }
        return .success(call(typeName, args, indent: indent).joined(separator: "\n"))
    }

    private mutating func value(_ value: TemplateValue, _ type: SwiftType, path: [String], indent: Int) -> Result<String, Misfit> {
        if case .fn(let fn) = value {
            if let expression = token(fn, type, indent: indent) { return .success(expression) }
            return .failure(Misfit(reason: "\(fn.name) where the schema has \(type.prose): the typed form holds no token"))
        }
        switch type {
        case .string:
            if case .string(let text) = value { return .success(SwiftSource.string(text, indent: indent)) }
        case .int:
            if case .int(let number) = value { return .success(String(number)) }
        case .double:
            if case .int(let number) = value { return .success(String(number)) }
            if case .double(let number) = value, number.isFinite { return .success(NumberFormatting.shortest(number)) }
        case .bool:
            if case .bool(let flag) = value { return .success(flag ? "true" : "false") }
        case .json:
            return .success(json(value, indent: indent))
        case .enumeration(let name):
            if case .string(let text) = value, let enumeration = currentEnum(name),
               let item = enumeration.cases.first(where: { $0.raw == text }) {
                return .success("." + item.name)
            }
            if case .string(let text) = value {
                return .failure(Misfit(reason: "\(SwiftWriter.literal(text)) is not one of the schema's \(name) values"))
            }
        case .structure(let name), .recursive(let name):
            if case .map(let map) = value, let model = currentStruct(name) {
                return structure(map, model, typeName: ".init", path: path, indent: indent)
            }
        case .list(let element):
            if case .list(let items) = value {
                var expressions: [String] = []
                for (offset, item) in items.enumerated() {
                    switch self.value(item, element, path: path + [String(offset)], indent: indent + 1) {
                    case .success(let expression): expressions.append(expression)
                    case .failure(let misfit): return .failure(Misfit(reason: "item \(offset): \(misfit.reason)"))
                    }
                }
                return .success(listLiteral(expressions, indent: indent))
            }
        case .map(let valueType):
            if case .map(let map) = value {
                var pairs: [String] = []
                for entry in map.entries {
                    switch self.value(entry.value, valueType, path: path + [entry.key], indent: indent + 1) {
                    case .success(let expression): pairs.append(SwiftWriter.literal(entry.key) + ": " + expression)
                    case .failure(let misfit): return .failure(Misfit(reason: "\(entry.key): \(misfit.reason)"))
                    }
                }
                return .success(pairs.isEmpty ? "[:]" : listLiteral(pairs, indent: indent))
            }
        }
        return .failure(Misfit(reason: "\(Self.describe(value)) where the schema has \(type.prose)"))
    }

    static func describe(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): "the string \(SwiftWriter.literal(text.count > 40 ? String(text.prefix(40)) + "…" : text))"
        case .int, .double, .number: "the number \(value)"
        case .bool(let flag): "the boolean \(flag)"
        case .null: "null"
        case .list: "a list"
        case .map(let map): map.count == 1 && (map.keys[0].hasPrefix("Fn::") || map.keys[0] == "Ref") ? "a malformed \(map.keys[0])" : "a map"
        case .fn(let fn): fn.name
        }
    }

    /// The model of the resource being written (for nested types).
    private var currentModel: ResourceModel?

    private func currentEnum(_ name: String) -> EnumModel? { currentModel?.enums.first { $0.name == name } }
    private func currentStruct(_ name: String) -> StructModel? { currentModel?.structs.first { $0.name == name } }

    // MARK: - Tokens

    /// A token where `type` is wanted: its typed form (`bucket.ref`, `Fn.if(…)`, an
    /// interpolation), or the intrinsic itself (`Value(.findInMap(…))`) where no typed form has
    /// that type; nil where no token can stand (a struct).
    private mutating func token(_ fn: Intrinsic, _ type: SwiftType, indent: Int) -> String? {
        switch type {
        case .structure, .recursive: return nil
        case .json:
            if let (expression, _) = naturalToken(fn, indent: indent) { return Self.typed(expression) + ".json" }
            return ".fn(\(intrinsic(fn, indent: indent)))"
        default: break
        }
        if case .if(let name, let whenTrue, let whenFalse) = fn, let handle = conditions[name] {
            let mark = overrides.count
            if case .success(let a) = branch(whenTrue, type, indent: indent + 1),
               case .success(let b) = branch(whenFalse, type, indent: indent + 1) {
                return "Fn.if(\(handle), \(a), \(b))"
            }
            overrides.removeSubrange(mark...)
        }
        if case .ref(PseudoParameter.noValue.rawValue) = fn { return "AWS.noValue()" }
        if let (expression, natural) = naturalToken(fn, indent: indent) {
            switch (type, natural) {
            case (.string, .string), (.int, .int), (.list(.string), .list): return expression
            default: break
            }
        }
        // A parameter of another type (a String parameter where the schema has an enum).
        if case .ref(let name) = fn, let parameter = parameters[name], let swiftType = scalarTypeName(type) {
            return "\(parameter.handle).ref(as: \(swiftType).self)"
        }
        return "Value(\(intrinsic(fn, indent: indent)))"
    }

    /// The Swift name of a scalar type `Value` holds (`Int`, `EC2.VPC.InstanceTenancy`).
    private func scalarTypeName(_ type: SwiftType) -> String? {
        switch type {
        case .string: "String"
        case .int: "Int"
        case .double: "Double"
        case .bool: "Bool"
        case .enumeration(let name): currentModel.map { "\($0.qualifiedName).\(name)" }
        default: nil
        }
    }

    /// A branch of `Fn.if`: a value of `type` (`AWS.noValue()` for `Ref AWS::NoValue`).
    private mutating func branch(_ value: TemplateValue, _ type: SwiftType, indent: Int) -> Result<String, Misfit> {
        if case .fn(.ref(PseudoParameter.noValue.rawValue)) = value { return .success("AWS.noValue()") }
        // Literals must be `Value`s too: a struct or free-form branch has no `Value` form.
        switch type {
        case .string, .int, .double, .bool, .enumeration, .list, .map: break
        default: return .failure(Misfit(reason: "no Value form"))
        }
        let mark = overrides.count
        let result = self.value(value, type, path: ["(Fn::If)"], indent: indent)
        // A branch is one expression: overrides inside it cannot be written.
        if overrides.count != mark {
            overrides.removeSubrange(mark...)
            return .failure(Misfit(reason: "a branch does not fit"))
        }
        return result
    }

    /// The typed form of a token and its type, when there is one: `bucket.ref`, `key.arn`,
    /// `vpcId.ref`, `AWS.region`, an interpolation for `Fn::Sub`, `Fn.join(…)`, `Fn.select(…)`,
    /// `mapping.find(…)`, `Fn.importValue(…)`, `Fn.base64(…)`, `Fn.getAZs(…)`, `Fn.cidr(…)`.
    private mutating func naturalToken(_ fn: Intrinsic, indent: Int) -> (String, Natural)? {
        switch fn {
        case .ref(let name):
            return reference(name)
        case .getAtt(let resource, let attribute):
            return attributeReference(resource, attribute)
        case .sub(let text, nil):
            if let parts = interpolation(text), parts.contains(where: { if case .expression = $0 { return true }; return false }),
               !(parts.count == 1) {
                return (SwiftSource.interpolated(parts, indent: indent), .string)
            }
            return ("Fn.sub(\(SwiftSource.string(text, indent: indent)))", .string)
        case .sub(let text, let variables?):
            var pairs: [String] = []
            for entry in variables.entries {
                guard let expression = stringValue(entry.value, indent: indent + 2) else { return nil }
                pairs.append(SwiftWriter.literal(entry.key) + ": " + expression)
            }
            return ("Fn.sub(\(SwiftSource.string(text, indent: indent)), \(pairs.isEmpty ? "[:]" : listLiteral(pairs, indent: indent + 1)))", .string)
        case .join(let delimiter, .list(let items)):
            guard items.contains(where: { if case .fn = $0 { return true }; return false }) else { return nil }
            var expressions: [String] = []
            for item in items {
                guard let expression = stringValue(item, indent: indent + 2) else { return nil }
                expressions.append(expression)
            }
            return ("Fn.join(\(SwiftWriter.literal(delimiter)), \(listLiteral(expressions, indent: indent + 1)))", .string)
        case .join(let delimiter, .fn(let list)):
            guard case let (expression, .list)? = naturalToken(list, indent: indent + 1) else { return nil }
            return ("Fn.join(\(SwiftWriter.literal(delimiter)), \(expression))", .string)
        case .select(.int(let index), .fn(let list)):
            guard case let (expression, .list)? = naturalToken(list, indent: indent + 1) else { return nil }
            return ("Fn.select(\(index), \(expression))", .string)
        case .split(let delimiter, let source):
            guard let expression = stringValue(source, indent: indent + 1) else { return nil }
            return ("Fn.split(\(SwiftWriter.literal(delimiter)), \(expression))", .list)
        case .importValue(let name):
            guard let expression = stringValue(name, indent: indent + 1) else { return nil }
            return ("Fn.importValue(\(expression))", .string)
        case .base64(let source):
            guard let expression = stringValue(source, indent: indent + 1) else { return nil }
            return ("Fn.base64(\(expression))", .string)
        case .findInMap(.string(let name), let top, let second):
            guard let handle = mappings[name], let a = stringValue(top, indent: indent + 1),
                  let b = stringValue(second, indent: indent + 1) else { return nil }
            return ("\(handle).find(\(a), \(b))", .string)
        case .getAZs(.string("")):
            return ("Fn.getAZs()", .list)
        case .getAZs(let region):
            guard let expression = stringValue(region, indent: indent + 1) else { return nil }
            return ("Fn.getAZs(\(expression))", .list)
        case .cidr(let block, .int(let count), .int(let bits)):
            guard let expression = stringValue(block, indent: indent + 1) else { return nil }
            return ("Fn.cidr(\(expression), count: \(count), bits: \(bits))", .list)
        default:
            return nil
        }
    }

    /// An interpolated literal made a `Value<String>` where nothing else says so (a plain Swift
    /// string would turn its tokens into text).
    static func typed(_ expression: String) -> String {
        expression.hasPrefix("\"") ? "(\(expression) as Value<String>)" : expression
    }

    /// A `Value<String>`: a string literal or a token whose typed form is a string.
    private mutating func stringValue(_ value: TemplateValue, indent: Int) -> String? {
        switch value {
        case .string(let text): return SwiftSource.string(text, indent: indent)
        case .fn(let fn):
            if case .if = fn, let expression = token(fn, .string, indent: indent), expression.hasPrefix("Fn.if(") { return expression }
            guard case let (expression, .string)? = naturalToken(fn, indent: indent) else { return nil }
            return expression
        default: return nil
        }
    }

    private static let pseudo: [String: (String, Natural)] = [
        "AWS::AccountId": ("AWS.accountId", .string), "AWS::Region": ("AWS.region", .string),
        "AWS::Partition": ("AWS.partition", .string), "AWS::StackName": ("AWS.stackName", .string),
        "AWS::StackId": ("AWS.stackId", .string), "AWS::URLSuffix": ("AWS.urlSuffix", .string),
        "AWS::NotificationARNs": ("AWS.notificationARNs", .list),
    ]

    private func reference(_ name: String) -> (String, Natural)? {
        if let known = Self.pseudo[name] { return known }
        if let parameter = parameters[name] { return (parameter.handle + ".ref", parameter.natural) }
        if let resource = resources[name] { return (resource.handle + ".ref", .string) }
        return nil
    }

    private func attributeReference(_ resource: String, _ attribute: String) -> (String, Natural)? {
        guard let declared = resources[resource] else { return nil }
        if let typed = declared.model?.attributes.first(where: { $0.attribute == attribute }) {
            return (declared.handle + "." + typed.swiftName, typed.isList ? .list : .string)
        }
        return (declared.handle + ".getAtt(\(SwiftWriter.literal(attribute)))", .string)
    }

    /// The parts of an interpolation that writes exactly `text` back as `Fn::Sub`, or nil when a
    /// `${…}` names nothing with a typed form (or cannot be written back the same).
    private func interpolation(_ text: String) -> [SwiftSource.Part]? {
        var parts: [SwiftSource.Part] = []
        var literal = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first {
            if first == "$", scalars.dropFirst().first == "{" {
                let rest = scalars.dropFirst(2)
                guard let close = rest.firstIndex(of: "}") else {
                    literal += String(String.UnicodeScalarView(scalars))
                    break
                }
                let inside = String(String.UnicodeScalarView(rest[..<close]))
                scalars = rest[rest.index(after: close)...]
                if inside.hasPrefix("!") {
                    literal += "${" + inside.dropFirst() + "}"
                    continue
                }
                guard !inside.isEmpty, inside.unicodeScalars.allSatisfy({ Naming.isAlphanumeric($0) || $0 == ":" || $0 == "." }) else {
                    return nil
                }
                let found: (String, Natural)?
                if let (resource, attribute) = Intrinsic.splitSubVariable(inside) {
                    found = attributeReference(resource, attribute)
                } else {
                    found = reference(inside)
                }
                guard let (expression, natural) = found, natural != .list else { return nil }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(.expression(expression))
                continue
            }
            literal.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        // `${!Literal}` written back: the text must not hold a `${` the interpolation would
        // escape differently. A literal `${` is escaped as `${!`, which is what was read.
        return parts
    }

    // MARK: - Raw forms

    /// The intrinsic as an `Intrinsic` value: `.findInMap("Map", .int(1), "Key")`.
    mutating func intrinsic(_ fn: Intrinsic, indent: Int) -> String {
        func j(_ value: TemplateValue) -> String { json(value, indent: indent + 1) }
        let lit = SwiftWriter.literal
        switch fn {
        case .ref(let name): return ".ref(\(lit(name)))"
        case .getAtt(let resource, let attribute): return ".getAtt(\(lit(resource)), \(lit(attribute)))"
        case .getAttComputed(let resource, let attribute): return ".getAttComputed(\(lit(resource)), \(j(attribute)))"
        case .sub(let text, nil): return ".sub(\(SwiftSource.string(text, indent: indent + 1)), nil)"
        case .sub(let text, let variables?): return ".sub(\(SwiftSource.string(text, indent: indent + 1)), \(mapLiteral(.map(variables), indent: indent + 1)))"
        case .join(let delimiter, let list): return ".join(\(lit(delimiter)), \(j(list)))"
        case .select(let index, let list): return ".select(\(j(index)), \(j(list)))"
        case .split(let delimiter, let source): return ".split(\(lit(delimiter)), \(j(source)))"
        case .if(let condition, let a, let b): return ".if(\(lit(condition)), \(j(a)), \(j(b)))"
        case .equals(let a, let b): return ".equals(\(j(a)), \(j(b)))"
        case .and(let items): return ".and(\(j(.list(items))))"
        case .or(let items): return ".or(\(j(.list(items))))"
        case .not(let inner): return ".not(\(j(inner)))"
        case .condition(let name): return ".condition(\(lit(name)))"
        case .importValue(let value): return ".importValue(\(j(value)))"
        case .findInMap(let a, let b, let c): return ".findInMap(\(j(a)), \(j(b)), \(j(c)))"
        case .findInMapDefault(let a, let b, let c, let d): return ".findInMapDefault(\(j(a)), \(j(b)), \(j(c)), \(j(d)))"
        case .length(let value): return ".length(\(j(value)))"
        case .toJsonString(let value): return ".toJsonString(\(j(value)))"
        case .transformList(let items): return ".transformList(\(j(.list(items))))"
        case .getAZs(let region): return ".getAZs(\(j(region)))"
        case .base64(let value): return ".base64(\(j(value)))"
        case .cidr(let a, let b, let c): return ".cidr(\(j(a)), \(j(b)), \(j(c)))"
        case .transform(let name, let parameters): return ".transform(\(lit(name)), \(mapLiteral(.map(parameters), indent: indent + 1)))"
        case .getStackOutput(let arguments): return ".getStackOutput(\(mapLiteral(.map(arguments), indent: indent + 1)))"
        }
    }

    /// A `TemplateValue` literal; tokens inside in their typed form (`bucket.arn.json`) where
    /// they have one.
    mutating func json(_ value: TemplateValue, indent: Int) -> String {
        switch value {
        case .string(let text): return SwiftSource.string(text, indent: indent)
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? NumberFormatting.shortest(number) : ".double(\(number))"
        case .number(let text): return ".number(\(SwiftWriter.literal(text)))"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ".null"
        case .list(let items): return listLiteral(items.map { json($0, indent: indent + 1) }, indent: indent)
        case .map: return mapLiteral(value, indent: indent)
        case .fn(let fn):
            if case .ref(PseudoParameter.noValue.rawValue) = fn { return ".fn(.ref(\"AWS::NoValue\"))" }
            if let (expression, _) = naturalToken(fn, indent: indent) { return Self.typed(expression) + ".json" }
            return ".fn(\(intrinsic(fn, indent: indent)))"
        }
    }

    private mutating func mapLiteral(_ value: TemplateValue, indent: Int) -> String {
        guard case .map(let map) = value else { return json(value, indent: indent) }
        if map.isEmpty { return "[:]" }
        let pairs = map.entries.map { SwiftWriter.literal($0.key) + ": " + json($0.value, indent: indent + 1) }
        return listLiteral(pairs, indent: indent)
    }

    // MARK: - Layout

    /// `[a, b]` on one line when short, else one item a line.
    func listLiteral(_ items: [String], indent: Int) -> String {
        if items.isEmpty { return "[]" }
        let inline = "[" + items.joined(separator: ", ") + "]"
        if inline.count <= 90 && !inline.contains("\n") { return inline }
        let pad = String(repeating: "    ", count: indent)
        return "[\n" + items.map { pad + "    " + $0 + ",\n" }.joined() + pad + "]"
    }

    /// `name(a, b)` on one line when short, else one argument a line; as lines.
    func call(_ name: String, _ args: [String], indent: Int) -> [String] {
        let inline = name + "(" + args.joined(separator: ", ") + ")"
        if (inline.count + indent * 4 <= 110 && !inline.contains("\n")) || args.isEmpty { return [inline] }
        let pad = String(repeating: "    ", count: indent)
        var text = name + "(\n"
        for (offset, arg) in args.enumerated() {
            text += pad + "    " + arg + (offset == args.count - 1 ? "\n" : ",\n")
        }
        text += pad + ")"
        return [text]
    }
}

/// Whether a logical ID is its own construct id (ASCII letters and digits, not `Default`).
enum LogicalIDText {
    static func isPlain(_ id: String) -> Bool {
        !id.isEmpty && id != "Default" && id.unicodeScalars.allSatisfy(Naming.isAlphanumeric)
    }
}
