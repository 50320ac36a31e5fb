/// References: every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, condition name, mapping name and
/// `DependsOn` entry must name something the template declares.
enum ReferenceCheck {
    /// What one template declares, by kind (a class: every checker of a run shares it).
    final class Names {
        let parameters: Set<String>
        /// Logical ID → position in Resources.
        let resources: [String: Int]
        /// The resources' types, by position (empty when not a string).
        let types: [String]
        let conditions: Set<String>
        let mappings: OrderedMap
        /// The logical IDs of module resources (`Org::Service::Thing::MODULE`).
        let modules: [String]
        /// Whether the template declares Transform: AWS::LanguageExtensions.
        let languageExtensions: Bool
        /// Whether a macro (a transform CloudFormation does not run itself) may define functions.
        let macros: Bool

        /// Whether `name` may be a resource a module adds: CloudFormation names those by the
        /// module's logical ID followed by the resource's ID inside the module (`ModuleBucket`).
        func isModuleResource(_ name: String) -> Bool {
            modules.contains { name.count > $0.count && name.hasPrefix($0) }
                || serverless?.generates(name) == true  // or one SAM generates (ServerlessNames)
        }
        /// Under the SAM transform, what SAM generates (nil otherwise).
        let serverless: ServerlessNames?

        init(_ template: Template) {
            let transforms = SchemaCheck.transforms(template)
            languageExtensions = transforms.contains(Intrinsic.languageExtensionsTransform)
            macros = transforms.contains { !SchemaCheck.builtInTransforms.contains($0) }
            parameters = Set(template.parameters.keys)
            var resources: [String: Int] = Dictionary(minimumCapacity: template.resources.count)
            var types: [String] = []
            types.reserveCapacity(template.resources.count)
            var modules: [String] = []
            for (position, entry) in template.resources.entries.enumerated() {
                let type = entry.value["Type"]?.stringValue ?? ""
                resources[entry.key] = position
                types.append(type)
                if type.utf8.last == UInt8(ascii: "E") && type.hasSuffix("::MODULE") { modules.append(entry.key) }
            }
            self.resources = resources
            self.types = types
            self.modules = modules.sorted()
            serverless = ServerlessNames(template, transforms: transforms, types: types)
            conditions = Set(template.conditions.keys)
            mappings = template.mappings
        }
    }

    /// Where a value sits, which decides what it may refer to.
    enum Scope {
        case resource
        case output
        case condition
    }

    /// What the walk over one resource's Properties found for the other checks, so that
    /// Properties (nearly all of a template) is walked once: the names it refers to (the cycle
    /// check's edges) and the strings holding a stringified token (the structure check's FM1113).
    struct PropertyScan {
        /// The positions in Resources of the resources referred to through `Ref`, `Fn::GetAtt`
        /// and undeclared `Fn::Sub` variables, in order, repeats included (what
        /// `TemplateValue.referencedNames` returns, less the names that are not resources).
        var referencedResources: [Int] = []
        /// Strings containing `TokenMarker.prefix`, with their paths below Properties (what
        /// `TemplateValue.stringSteps(containing:)` returns).
        var markedStrings: [(steps: [PathStep], text: String)] = []
    }

    /// The reference diagnostics, and for each resource entry (by position) the scan of its
    /// Properties (nil when the entry is not a map or has no Properties).
    struct Result {
        var diagnostics: [Diagnostic]
        var scans: [PropertyScan?]
    }

    /// The schemas `Fn::GetAtt` targets are checked against, looked up once per type in one run.
    final class AttributeSchemas {
        private var byType: [String: (any ResourceSchema)?] = [:]

        func schema(logicalID: String, type: String, _ context: ValidationContext) -> (any ResourceSchema)? {
            if !context.typedSchemas.isEmpty, let typed = context.typedSchemas[logicalID] { return typed }
            if let known = byType[type] { return known }
            let found = context.schema(type: type)
            byType[type] = found
            return found
        }
    }

    /// Where a checked value is, for diagnostics: a resource's path is looked up only when a
    /// diagnostic needs it.
    enum Location {
        case resource(String)
        case path(String)
    }

    /// The resource attributes besides Properties whose values may refer to things.
    static let checkedAttributes = ["CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"]

    /// What every checker of one run reads: the names, the context and the schema cache (a
    /// class, so that making a checker per resource copies one reference).
    final class Shared {
        let names: Names
        let context: ValidationContext
        let schemas = AttributeSchemas()

        init(names: Names, context: ValidationContext) {
            self.names = names
            self.context = context
        }
    }

    static func run(_ template: Template, _ context: ValidationContext) -> Result {
        let names = Names(template)
        let shared = Shared(names: names, context: context)
        var diagnostics: [Diagnostic] = []
        let resources = template.resources
        var scans = [PropertyScan?](repeating: nil, count: resources.count)

        for (position, entry) in resources.entries.enumerated() {
            guard let body = entry.value.mapValue else { continue }
            var checker = Checker(shared, location: .resource(entry.key), scope: .resource)
            // One pass over the body's keys (most resources have Type, Properties and DependsOn).
            var properties: TemplateValue?, condition: TemplateValue?, hasDependsOn = false
            var attributes: [(String, TemplateValue)] = []
            for member in body.entries {
                switch member.key {
                case "Type": break
                case "Properties": properties = member.value
                case "DependsOn": hasDependsOn = true
                case "Condition": condition = member.value
                case "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy": attributes.append((member.key, member.value))
                default: break
                }
            }
            if let properties {
                checker.scan = PropertyScan()
                checker.scan?.referencedResources.reserveCapacity(8)
                checker.check(properties, property: "")
                scans[position] = checker.scan
                checker.scan = nil
            }
            // In the order the checks always ran, whatever the order of the keys.
            for attribute in Self.checkedAttributes {
                if let value = attributes.first(where: { $0.0 == attribute })?.1 { checker.check(value, property: attribute) }
            }
            if let condition {
                if let name = condition.stringValue {
                    checker.requireCondition(name, property: "Condition")
                } else {
                    checker.report(.error(DiagnosticCode.malformedIntrinsic, path: checker.path, property: "Condition",
                                          "Condition: the Condition attribute must be a condition name, found \(condition.kindName)"))
                }
            }
            let dependsOn = hasDependsOn ? ResourceView(logicalID: entry.key, body: body).dependsOn : []
            for target in dependsOn where names.resources[target] == nil && !names.isModuleResource(target) {
                checker.report(.error(DiagnosticCode.danglingDependsOn, path: checker.path, property: "DependsOn",
                                      "DependsOn: \(target) is not a resource of this template"))
            }
            diagnostics += checker.diagnostics
        }

        for entry in template.outputs.entries {
            let path = context.path(section: "Outputs", name: entry.key)
            var checker = Checker(shared, location: .path(path), scope: .output)
            if let body = entry.value.mapValue {
                if let value = body["Value"] {
                    checker.check(value, property: "Value")
                } else {
                    checker.report(.error(DiagnosticCode.malformedTemplate, path: path, property: "Value",
                                          "the output has no Value"))
                }
                if let export = body["Export"] { checker.check(export, property: "Export") }
                if let condition = body["Condition"]?.stringValue {
                    checker.requireCondition(condition, property: "Condition")
                }
            }
            diagnostics += checker.diagnostics
        }

        for entry in template.conditions.entries {
            let path = context.path(section: "Conditions", name: entry.key)
            var checker = Checker(shared, location: .path(path), scope: .condition)
            checker.check(entry.value, property: "")
            diagnostics += checker.diagnostics
        }
        return Result(diagnostics: diagnostics, scans: scans)
    }

    /// Walks one value tree and reports what does not resolve.
    struct Checker {
        let shared: Shared
        let location: Location
        let scope: Scope
        var names: Names { shared.names }
        var context: ValidationContext { shared.context }
        private(set) var diagnostics: [Diagnostic] = []
        /// Where the walk is, below the property `check` was given; rendered only for a message.
        private var trail: [PathStep] = []
        /// Set while Properties is walked: what the other checks need from that walk.
        var scan: PropertyScan?
        private static let marker = Array(TokenMarker.prefix.utf8)

        /// The property path of the value being checked (`Tags[0].Value`).
        private var property: String { PathStep.render(trail) }

        init(_ shared: Shared, location: Location, scope: Scope) {
            self.shared = shared
            self.location = location
            self.scope = scope
        }

        /// The path diagnostics name.
        var path: String {
            switch location {
            case .resource(let logicalID): context.path(ofResource: logicalID)
            case .path(let path): path
            }
        }

        mutating func report(_ diagnostic: Diagnostic) {
            diagnostics.append(diagnostic)
        }

        private func label(_ property: String) -> String {
            property.isEmpty ? "" : property + ": "
        }

        mutating func requireCondition(_ name: String, property: String? = nil) {
            if !names.conditions.contains(name) {
                let property = property ?? self.property
                report(.error(DiagnosticCode.undefinedCondition, path: path, property: property,
                              "\(label(property))condition \(name) is not declared in Conditions"))
            }
        }

        /// Checks `value`, found at `property` (empty for the whole value).
        mutating func check(_ value: TemplateValue, property: String) {
            trail = property.isEmpty ? [] : [.key(property)]
            walk(value)
        }

        private mutating func walk(_ value: TemplateValue) {
            switch value {
            case .string(let text):
                if scan != nil, text.containsBytes(Self.marker) { scan?.markedStrings.append((trail, text)) }
            case .list(let items):
                for offset in items.indices {
                    trail.append(.index(offset))
                    walk(items[offset])
                    trail.removeLast()
                }
            case .map(let map):
                if map.count == 1, let only = map.entries.first, Intrinsic.longFormNames.contains(only.key) {
                    let property = property
                    report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property,
                                  "\(label(property))\(only.key) has a malformed argument \(only.value): \(Self.expectedShape(only.key))"))
                    // Marked strings below keep the key in their paths, as everywhere else.
                    let saved = scan?.markedStrings
                    walk(only.value)
                    if let saved {
                        let trail = trail
                        scan?.markedStrings = saved + value.stringSteps(containing: TokenMarker.prefix).map { (trail + $0.steps, $0.text) }
                    }
                    return
                }
                if map.count == 1, let only = map.entries.first, only.key.hasPrefix("Fn::") {
                    reportUnknownFunction(only.key)
                }
                let entries = map.entries
                for offset in entries.indices {
                    trail.append(.key(entries[offset].key))
                    walk(entries[offset].value)
                    trail.removeLast()
                }
            case .fn(let function):
                if scan != nil, case .sub(let text, _) = function, text.containsBytes(Self.marker) {
                    scan?.markedStrings.append((trail, text))
                }
                checkFunction(function)
                function.forEachChild { walk($0) }
            default:
                break
            }
        }

        private mutating func checkFunction(_ function: Intrinsic) {
            if let problem = argumentProblem(function) {
                let property = property
                report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property,
                              "\(label(property))\(function.name): \(problem)"))
            }
            switch function {
            case .ref(let target):
                // Each name is looked up once; a resource needs no more checking outside conditions.
                let position = names.resources[target]
                if let position { scan?.referencedResources.append(position) }
                if position == nil || scope == .condition { checkRef(target, via: "Ref to") }
            case .getAtt(let resource, let attribute):
                let position = names.resources[resource]
                if let position { scan?.referencedResources.append(position) }
                checkGetAtt(resource, at: position, attribute, via: "Fn::GetAtt")
            case .getAttComputed(let resource, let attribute):
                if case .fn(.ref) = attribute {} else { requireLanguageExtensions("Fn::GetAtt with an attribute name from \(attribute.kindName)") }
                // The attribute name is known at deploy time only; the resource must exist.
                let position = names.resources[resource]
                if let position { scan?.referencedResources.append(position) }
                checkGetAtt(resource, at: position, nil, via: "Fn::GetAtt")
            case .sub(let text, let variables):
                for variable in Intrinsic.subVariables(in: text) where variables?.contains(variable) != true {
                    let split = Intrinsic.splitSubVariable(variable)
                    let position = names.resources[split?.resource ?? variable]
                    if let position { scan?.referencedResources.append(position) }
                    // (No pseudo parameter's name has a `.`: a split variable is never one.)
                    if let (resource, attribute) = split {
                        if names.isModuleResource(resource) && position == nil {
                            // A module's resource: its attributes are the module's business.
                        } else if position == nil && !names.parameters.contains(resource) {
                            let property = property
                            report(.error(DiagnosticCode.danglingSubVariable, path: path, property: property,
                                          "\(label(property))Fn::Sub variable ${\(variable)} names no resource of this template"))
                        } else {
                            checkGetAtt(resource, at: position, attribute, via: "Fn::Sub variable ${\(variable)}:")
                        }
                    } else if (position == nil || scope == .condition) && !isReferable(variable) {
                        let property = property
                        report(.error(DiagnosticCode.danglingSubVariable, path: path, property: property,
                                      "\(label(property))Fn::Sub variable ${\(variable)} names no resource, parameter, pseudo parameter or Sub variable"))
                    }
                }
            case .if(let condition, _, _):
                requireCondition(condition)
            case .condition(let condition):
                requireCondition(condition)
            case .length, .toJsonString:
                requireLanguageExtensions(function.name)
            case .cidr(let block, let count, let bits):
                if let problem = CidrArguments.problem(block: block, count: count, bits: bits) {
                    let property = property
                    report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property, "\(label(property))Fn::Cidr: \(problem)"))
                }
            case .findInMap(let map, let top, let second), .findInMapDefault(let map, let top, let second, _):
                let hasDefault: Bool
                if case .findInMapDefault = function { hasDefault = true; requireLanguageExtensions("Fn::FindInMap with DefaultValue") } else { hasDefault = false }
                if case .string(let name) = map {
                    if let table = names.mappings[name] {
                        if !hasDefault, let problem = Self.missingMappingKey(table, name: name, top: top, second: second) {
                            let property = property
                            report(.error(DiagnosticCode.undefinedMapping, path: path, property: property,
                                          "\(label(property))Fn::FindInMap: \(problem)"))
                        }
                    } else {
                        let property = property
                        report(.error(DiagnosticCode.undefinedMapping, path: path, property: property,
                                      "\(label(property))Fn::FindInMap names mapping \(name), which is not declared in Mappings"))
                    }
                }
            default:
                break
            }
        }

        /// What a lookup in mapping `name` misses, when its keys are literals the mapping lacks:
        /// a top-level key; a second-level key under a literal top-level key; or a second-level
        /// key no top-level key has, when the top-level key is computed (`!Ref AWS::Region`).
        static func missingMappingKey(_ table: TemplateValue, name: String, top: TemplateValue, second: TemplateValue) -> String? {
            guard case .map(let entries) = table else { return nil }
            func closest(_ key: String, _ among: [String]) -> String {
                Suggestion.closest(to: key, among: among).map { "; did you mean \($0)?" } ?? ""
            }
            if case .string(let key) = top {
                guard case .map(let level)? = entries[key] else {
                    return entries[key] == nil ? "mapping \(name) has no top-level key \(key)" : nil
                }
                if case .string(let secondKey) = second, level[secondKey] == nil {
                    return "mapping \(name) has no key \(secondKey) under \(key)\(closest(secondKey, level.keys))"
                }
                return nil
            }
            guard case .string(let secondKey) = second else { return nil }
            var known: Set<String> = []
            for entry in entries.entries {
                guard case .map(let level) = entry.value else { return nil }
                if level[secondKey] != nil { return nil }
                known.formUnion(level.keys)
            }
            guard !entries.isEmpty else { return nil }
            return "no top-level key of mapping \(name) has a second-level key \(secondKey)\(closest(secondKey, known.sorted()))"
        }

        /// FM1109 for a function of `AWS::LanguageExtensions` in a template without that transform
        /// (nothing when a macro of the template may define it).
        private mutating func requireLanguageExtensions(_ what: String) {
            if names.languageExtensions || names.macros { return }
            let property = property
            report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property,
                          "\(label(property))\(what) exists only with Transform: \(Intrinsic.languageExtensionsTransform); declare the transform"))
        }

        /// FM1109 for a one-key map whose key looks like a function CloudFormation does not have
        /// (a typo such as `Fn::Joinn`), or one of AWS::LanguageExtensions' without that transform.
        /// Nothing when a macro of the template may define it.
        private mutating func reportUnknownFunction(_ name: String) {
            if names.macros { return }
            let property = property
            if Intrinsic.languageExtensionsFunctions.contains(name) || name.hasPrefix("Fn::ForEach::") {
                if !names.languageExtensions {
                    report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property,
                                  "\(label(property))\(name) exists only with Transform: \(Intrinsic.languageExtensionsTransform)"))
                }
                return
            }
            report(.error(DiagnosticCode.malformedIntrinsic, path: path, property: property,
                          "\(label(property))\(name) is not an intrinsic function"))
        }

        /// What is wrong with a function's argument beyond its shape: `Fn::Select`'s index and
        /// list, `Fn::GetAZs`' region, `Fn::ImportValue`'s name.
        private func argumentProblem(_ function: Intrinsic) -> String? {
            switch function {
            case .select(let index, let list):
                var position: Int?
                switch index {
                case .int(let number): position = Int(exactly: number)
                case .double(let number) where number == number.rounded() && abs(number) < 1e9: position = Int(number)
                case .string(let text):
                    guard let number = Int(text) else { return "the index \(index) is not an integer" }
                    position = number
                case .fn: break
                case .number: return "the index \(index) is too large"
                default: return "the index \(index.kindName) is not an integer"
                }
                if let position, position < 0 { return "the index \(position) is negative" }
                switch list {
                case .list(let items):
                    // An Fn::If item may vanish (AWS::NoValue): the count is known only without one.
                    let countIsKnown = !items.contains { if case .fn(.if) = $0 { true } else { false } }
                    if let position, countIsKnown, position >= items.count {
                        return "the index \(position) is past the end of the \(items.count)-item list"
                    }
                    return nil
                case .fn(.join), .fn(.sub), .fn(.base64), .fn(.importValue):
                    return "selects from a list, and \(list.kindName) gives a string"
                case .fn:
                    return nil
                default:
                    return "selects from a list, found \(list.kindName)"
                }
            case .getAZs(.string(let region)) where !region.isEmpty && !Checker.isRegionName(region):
                return "\(TemplateValue.string(region)) is not a region name (\"\" is the stack's region)"
            case .getAZs(let argument):
                switch argument {
                case .string, .fn(.ref), .fn(.findInMap), .fn(.sub), .fn(.select), .fn(.if), .fn(.importValue): return nil
                default: return "takes a region name, found \(argument.kindName)"
                }
            case .importValue(let name):
                switch name {
                case .string: return nil
                case .fn(.importValue): return "cannot take another Fn::ImportValue"
                case .fn(.getAtt), .fn(.getAttComputed): return "the exported name cannot depend on a resource (Fn::GetAtt)"
                case .fn(.ref(let target)) where names.resources[target] != nil:
                    return "the exported name cannot depend on a resource (Ref \(target))"
                case .fn: return nil
                default: return "takes the exported name, a string, found \(name.kindName)"
                }
            default:
                return nil
            }
        }

        /// `us-east-1`, `cn-north-1`, `us-gov-west-1`, `eu-isoe-west-1`: two letters, words, a number.
        static func isRegionName(_ text: String) -> Bool {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count >= 3, let first = parts.first, let last = parts.last,
                  first.count == 2, first.allSatisfy({ $0 >= "a" && $0 <= "z" }),
                  !last.isEmpty, last.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return false }
            return parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
        }

        private func isReferable(_ name: String) -> Bool {
            // Most references are to resources: look there first.
            if scope != .condition && (names.resources[name] != nil || names.isModuleResource(name)) { return true }
            return PseudoParameter.names.contains(name) || names.parameters.contains(name)
        }

        private mutating func checkRef(_ target: String, property: String? = nil, via: String) {
            if isReferable(target) { return }
            let property = property ?? self.property
            if scope == .condition && names.resources[target] != nil {
                report(.error(DiagnosticCode.danglingRef, path: path, property: property,
                              "\(label(property))\(via) \(target): a condition may refer to parameters only, and \(target) is a resource"))
            } else {
                report(.error(DiagnosticCode.danglingRef, path: path, property: property,
                              "\(label(property))\(via) \(target), which is not a resource, parameter or pseudo parameter of this template"))
            }
        }

        /// Checks `resource.attribute` (`position`: the resource's in Resources, nil when it is
        /// not one); a nil attribute (a computed name) checks the resource only.
        private mutating func checkGetAtt(_ resource: String, at position: Int?, _ attribute: String?, property: String? = nil,
                                          via: @autoclosure () -> String) {
            if scope != .condition && position == nil && names.isModuleResource(resource) { return }
            guard let position, scope != .condition else {
                let via = via()
                let property = property ?? self.property
                let what = names.parameters.contains(resource) ? "a parameter; Fn::GetAtt needs a resource"
                    : "not a resource of this template"
                report(.error(DiagnosticCode.danglingGetAtt, path: path, property: property,
                              "\(label(property))\(via) \(resource)\(attribute.map { "." + $0 } ?? ""): \(resource) is \(what)"))
                return
            }
            let type = names.types[position]
            guard let attribute, let schema = shared.schemas.schema(logicalID: resource, type: type, shared.context), !schema.attributeNames.isEmpty else { return }
            if !schema.hasAttribute(attribute) {
                let via = via()
                let property = property ?? self.property
                let known = schema.attributeNames.sorted().joined(separator: ", ")
                report(.error(DiagnosticCode.unknownAttribute, path: path, property: property,
                              "\(label(property))\(via) \(resource).\(attribute): \(type) has no attribute \(attribute) (it has \(known))"))
            }
        }

        static func expectedShape(_ function: String) -> String {
            switch function {
            case "Ref": "expected a name"
            case "Fn::GetAtt": "expected [resource, attribute], [resource, {Ref: name}] or \"resource.attribute\""
            case "Fn::Sub": "expected a string or [string, {variables}]"
            case "Fn::Join": "expected [delimiter, list]"
            case "Fn::Select": "expected [index, list]"
            case "Fn::Split": "expected [delimiter, string]"
            case "Fn::If": "expected [condition name, value if true, value if false]"
            case "Fn::Equals": "expected [value, value]"
            case "Fn::And", "Fn::Or": "expected a list of conditions"
            case "Fn::Not": "expected [condition]"
            case "Condition": "expected a condition name"
            case "Fn::FindInMap": "expected [map, top-level key, second-level key] or, with AWS::LanguageExtensions, [map, top-level key, second-level key, {DefaultValue: value}]"
            case "Fn::Cidr": "expected [ip block, count, cidr bits]"
            case "Fn::Transform": "expected {Name, Parameters}"
            case "Fn::GetStackOutput": "expected {StackName, OutputName} with optional Region and RoleArn"
            default: "unexpected argument"
            }
        }
    }
}
