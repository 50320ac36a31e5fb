/// A CloudFormation intrinsic function or condition function.
///
/// Arguments that CloudFormation requires to be literal (the name in `Ref`, the resource and
/// attribute in `Fn::GetAtt`, the string in `Fn::Sub`, the condition name in `Fn::If`) are Swift
/// strings; the rest are template values and may themselves be intrinsics.
public indirect enum Intrinsic: Sendable, Hashable {
    /// `Ref`: a parameter's value or a resource's primary identifier.
    case ref(String)
    /// `Fn::GetAtt`: an attribute of a resource. The attribute may contain dots (`Endpoint.Address`).
    case getAtt(String, String)
    /// `Fn::GetAtt` whose attribute name is a function (`[resource, {"Ref": "AttributeParameter"}]`,
    /// or with `AWS::LanguageExtensions` any function such as `Fn::Sub`), which CloudFormation
    /// resolves before it reads the attribute.
    case getAttComputed(String, TemplateValue)
    /// `Fn::Sub`: string substitution, with an optional variable map (the long list form).
    case sub(String, OrderedMap?)
    /// `Fn::Join`: delimiter and a list (or an intrinsic that yields one).
    case join(String, TemplateValue)
    /// `Fn::Select`: index and a list.
    case select(TemplateValue, TemplateValue)
    /// `Fn::Split`: delimiter and a string.
    case split(String, TemplateValue)
    /// `Fn::If`: condition name, value if true, value if false.
    case `if`(String, TemplateValue, TemplateValue)
    /// `Fn::Equals`: two values.
    case equals(TemplateValue, TemplateValue)
    /// `Fn::And`: two to ten conditions.
    case and([TemplateValue])
    /// `Fn::Or`: two to ten conditions.
    case or([TemplateValue])
    /// `Fn::Not`: one condition.
    case not(TemplateValue)
    /// `Condition`: a reference to a named condition.
    case condition(String)
    /// `Fn::ImportValue`: the value exported by another stack.
    case importValue(TemplateValue)
    /// `Fn::FindInMap`: map name, top-level key, second-level key.
    case findInMap(TemplateValue, TemplateValue, TemplateValue)
    /// `Fn::FindInMap` with a fourth argument `{"DefaultValue": value}`, the value when the keys
    /// are not in the map (`AWS::LanguageExtensions`).
    case findInMapDefault(TemplateValue, TemplateValue, TemplateValue, TemplateValue)
    /// `Fn::Length`: the number of items of a list (`AWS::LanguageExtensions`).
    case length(TemplateValue)
    /// `Fn::ToJsonString`: a map or list as a JSON string (`AWS::LanguageExtensions`).
    case toJsonString(TemplateValue)
    /// `Fn::GetAZs`: the availability zones of a region (`""` for the stack's region).
    case getAZs(TemplateValue)
    /// `Fn::Base64`: base64 of a string.
    case base64(TemplateValue)
    /// `Fn::Cidr`: IP block, count, CIDR bits.
    case cidr(TemplateValue, TemplateValue, TemplateValue)
    /// `Fn::Transform`: a macro name and its parameters.
    case transform(String, OrderedMap)
    /// `Fn::Transform` in its list form: several `{Name, Parameters}` maps, the macros run in order.
    case transformList([TemplateValue])
    /// `Fn::GetStackOutput`: an output of another stack, by `StackName` and `OutputName`, with
    /// optional `Region` and `RoleArn` (no export needed).
    case getStackOutput(OrderedMap)

    /// The long-form key of this function (`Ref`, `Fn::GetAtt`, …).
    public var name: String {
        switch self {
        case .ref: "Ref"
        case .getAtt, .getAttComputed: "Fn::GetAtt"
        case .sub: "Fn::Sub"
        case .join: "Fn::Join"
        case .select: "Fn::Select"
        case .split: "Fn::Split"
        case .if: "Fn::If"
        case .equals: "Fn::Equals"
        case .and: "Fn::And"
        case .or: "Fn::Or"
        case .not: "Fn::Not"
        case .condition: "Condition"
        case .importValue: "Fn::ImportValue"
        case .findInMap, .findInMapDefault: "Fn::FindInMap"
        case .length: "Fn::Length"
        case .toJsonString: "Fn::ToJsonString"
        case .getAZs: "Fn::GetAZs"
        case .base64: "Fn::Base64"
        case .cidr: "Fn::Cidr"
        case .transform, .transformList: "Fn::Transform"
        case .getStackOutput: "Fn::GetStackOutput"
        }
    }

    /// The YAML short-form tag (`!Ref`, `!GetAtt`, …).
    public var shortTag: String {
        switch self {
        case .condition: "!Condition"
        case .ref: "!Ref"
        default: "!" + name.dropFirst(4)
        }
    }

    /// Every long-form key that names an intrinsic or condition function.
    public static let longFormNames: Set<String> = [
        "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If",
        "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition", "Fn::ImportValue",
        "Fn::FindInMap", "Fn::GetAZs", "Fn::Base64", "Fn::Cidr", "Fn::Transform", "Fn::GetStackOutput",
        "Fn::Length", "Fn::ToJsonString",
    ]

    /// The transform that adds `Fn::ForEach`, `Fn::Length` and `Fn::ToJsonString`.
    public static let languageExtensionsTransform = "AWS::LanguageExtensions"
    /// Functions that exist only with `languageExtensionsTransform` (and `Fn::ForEach::Name` keys).
    public static let languageExtensionsFunctions: Set<String> = ["Fn::Length", "Fn::ToJsonString"]

    /// The keys of `Fn::GetStackOutput`'s argument: the required ones, then the optional ones.
    public static let stackOutputKeys = (required: ["StackName", "OutputName"], optional: ["Region", "RoleArn"])

    /// The argument as it appears under the long-form key.
    public var argument: TemplateValue {
        switch self {
        case .ref(let name): .string(name)
        case .getAtt(let resource, let attribute): .list([.string(resource), .string(attribute)])
        case .getAttComputed(let resource, let attribute): .list([.string(resource), attribute])
        case .sub(let string, nil): .string(string)
        case .sub(let string, let variables?): .list([.string(string), .map(variables)])
        case .join(let delimiter, let list): .list([.string(delimiter), list])
        case .select(let index, let list): .list([index, list])
        case .split(let delimiter, let source): .list([.string(delimiter), source])
        case .if(let condition, let whenTrue, let whenFalse): .list([.string(condition), whenTrue, whenFalse])
        case .equals(let a, let b): .list([a, b])
        case .and(let conditions), .or(let conditions): .list(conditions)
        case .not(let condition): .list([condition])
        case .condition(let name): .string(name)
        case .importValue(let value), .getAZs(let value), .base64(let value): value
        case .findInMap(let map, let top, let second): .list([map, top, second])
        case .findInMapDefault(let map, let top, let second, let fallback):
            .list([map, top, second, .map(["DefaultValue": fallback])])
        case .length(let value), .toJsonString(let value): value
        case .cidr(let block, let count, let bits): .list([block, count, bits])
        case .transform(let name, let parameters):
            .map(["Name": .string(name), "Parameters": .map(parameters)])
        case .getStackOutput(let arguments): .map(arguments)
        case .transformList(let items): .list(items)
        }
    }

    /// The one-key map of the long form: `{"Ref": "X"}`.
    public var longForm: OrderedMap {
        [name: argument]
    }

    /// Builds an intrinsic from its long-form key and argument; `nil` when the key is not an
    /// intrinsic or the argument does not have the shape CloudFormation requires (such a map is
    /// kept as plain data, and validation reports it).
    public init?(name: String, argument: TemplateValue) {
        func list(_ count: Int) -> [TemplateValue]? {
            guard case .list(let items) = argument, items.count == count else { return nil }
            return items
        }
        switch name {
        case "Ref":
            guard case .string(let target) = argument else { return nil }
            self = .ref(target)
        case "Fn::GetAtt":
            switch argument {
            case .string(let dotted):
                guard let dot = dotted.firstIndex(of: "."), dot != dotted.startIndex,
                      dotted.index(after: dot) != dotted.endIndex else { return nil }
                self = .getAtt(String(dotted[..<dot]), String(dotted[dotted.index(after: dot)...]))
            case .list(let items):
                guard items.count == 2, case .string(let resource) = items[0] else { return nil }
                switch items[1] {
                case .string(let attribute): self = .getAtt(resource, attribute)
                case .fn: self = .getAttComputed(resource, items[1])
                default: return nil
                }
            default:
                return nil
            }
        case "Fn::Sub":
            switch argument {
            case .string(let string):
                self = .sub(string, nil)
            case .list(let items):
                guard items.count == 2, case .string(let string) = items[0],
                      case .map(let variables) = items[1] else { return nil }
                self = .sub(string, variables)
            default:
                return nil
            }
        case "Fn::Join":
            guard let items = list(2), case .string(let delimiter) = items[0] else { return nil }
            self = .join(delimiter, items[1])
        case "Fn::Select":
            guard let items = list(2) else { return nil }
            self = .select(items[0], items[1])
        case "Fn::Split":
            guard let items = list(2), case .string(let delimiter) = items[0] else { return nil }
            self = .split(delimiter, items[1])
        case "Fn::If":
            guard let items = list(3), case .string(let condition) = items[0] else { return nil }
            self = .if(condition, items[1], items[2])
        case "Fn::Equals":
            guard let items = list(2) else { return nil }
            self = .equals(items[0], items[1])
        case "Fn::And":
            guard case .list(let items) = argument else { return nil }
            self = .and(items)
        case "Fn::Or":
            guard case .list(let items) = argument else { return nil }
            self = .or(items)
        case "Fn::Not":
            guard let items = list(1) else { return nil }
            self = .not(items[0])
        case "Condition":
            guard case .string(let condition) = argument else { return nil }
            self = .condition(condition)
        case "Fn::ImportValue":
            self = .importValue(argument)
        case "Fn::FindInMap":
            if let items = list(4) {
                guard case .map(let options) = items[3], options.count == 1,
                      let fallback = options["DefaultValue"] else { return nil }
                self = .findInMapDefault(items[0], items[1], items[2], fallback)
                return
            }
            guard let items = list(3) else { return nil }
            self = .findInMap(items[0], items[1], items[2])
        case "Fn::Length":
            self = .length(argument)
        case "Fn::ToJsonString":
            self = .toJsonString(argument)
        case "Fn::GetAZs":
            self = .getAZs(argument)
        case "Fn::Base64":
            self = .base64(argument)
        case "Fn::Cidr":
            guard let items = list(3) else { return nil }
            self = .cidr(items[0], items[1], items[2])
        case "Fn::Transform":
            if case .list(let items) = argument {
                guard !items.isEmpty, items.allSatisfy({ Intrinsic(name: "Fn::Transform", argument: $0) != nil }) else { return nil }
                self = .transformList(items)
                return
            }
            guard case .map(let body) = argument, body.count <= 2,
                  case .string(let macro)? = body["Name"] else { return nil }
            let parameters: OrderedMap
            switch body["Parameters"] {
            case nil: parameters = OrderedMap()
            case .map(let p)?: parameters = p
            default: return nil
            }
            if body.count == 2 && body["Parameters"] == nil { return nil }
            self = .transform(macro, parameters)
        case "Fn::GetStackOutput":
            let keys = Intrinsic.stackOutputKeys
            guard case .map(let arguments) = argument,
                  keys.required.allSatisfy({ arguments[$0] != nil }),
                  arguments.keys.allSatisfy({ keys.required.contains($0) || keys.optional.contains($0) }) else { return nil }
            self = .getStackOutput(arguments)
        default:
            return nil
        }
    }

    /// The direct sub-values of this function that may contain further intrinsics.
    public var children: [TemplateValue] {
        switch self {
        case .ref, .getAtt, .condition: []
        case .getAttComputed(_, let attribute): [attribute]
        case .sub(_, let variables): variables?.values ?? []
        case .join(_, let v), .split(_, let v), .not(let v), .importValue(let v), .getAZs(let v), .base64(let v): [v]
        case .length(let v), .toJsonString(let v): [v]
        case .findInMapDefault(let a, let b, let c, let d): [a, b, c, d]
        case .select(let a, let b), .equals(let a, let b): [a, b]
        case .if(_, let a, let b): [a, b]
        case .and(let items), .or(let items): items
        case .findInMap(let a, let b, let c), .cidr(let a, let b, let c): [a, b, c]
        case .transform(_, let parameters): parameters.values
        case .getStackOutput(let arguments): arguments.values
        case .transformList(let items): items.flatMap { $0["Parameters"]?.mapValue?.values ?? [] }
        }
    }

    /// Calls `body` on each of `children`, in the same order, without building an array (for
    /// walks over every value of a template).
    public func forEachChild(_ body: (TemplateValue) throws -> Void) rethrows {
        switch self {
        case .ref, .getAtt, .condition: break
        case .getAttComputed(_, let attribute): try body(attribute)
        case .sub(_, let variables):
            if let variables { for entry in variables.entries { try body(entry.value) } }
        case .join(_, let v), .split(_, let v), .not(let v), .importValue(let v), .getAZs(let v), .base64(let v): try body(v)
        case .length(let v), .toJsonString(let v): try body(v)
        case .findInMapDefault(let a, let b, let c, let d): try body(a); try body(b); try body(c); try body(d)
        case .select(let a, let b), .equals(let a, let b), .if(_, let a, let b): try body(a); try body(b)
        case .and(let items), .or(let items): for item in items { try body(item) }
        case .findInMap(let a, let b, let c), .cidr(let a, let b, let c): try body(a); try body(b); try body(c)
        case .transform(_, let parameters): for entry in parameters.entries { try body(entry.value) }
        case .getStackOutput(let arguments): for entry in arguments.entries { try body(entry.value) }
        case .transformList(let items):
            for item in items { for entry in item["Parameters"]?.mapValue?.entries ?? [] { try body(entry.value) } }
        }
    }
}

extension TemplateValue {
    /// Calls `visit` on this value and every value nested in it, depth first, with the path to it
    /// (keys and `[index]` segments joined by dots, the way diagnostics print property paths).
    public func walk(path: String = "", _ visit: (String, TemplateValue) -> Void) {
        visit(path, self)
        switch self {
        case .list(let items):
            for (offset, item) in items.enumerated() {
                item.walk(path: path + "[\(offset)]", visit)
            }
        case .map(let map):
            for entry in map.entries {
                entry.value.walk(path: path.isEmpty ? entry.key : path + "." + entry.key, visit)
            }
        case .fn(let function):
            for child in function.children {
                child.walk(path: path, visit)
            }
        default:
            break
        }
    }

    /// Whether this value is, or contains, an intrinsic function (so its final value is only
    /// known at deploy time).
    public var containsIntrinsic: Bool {
        switch self {
        case .fn: return true
        case .list(let items): return items.contains { $0.containsIntrinsic }
        case .map(let map): return map.entries.contains { $0.value.containsIntrinsic }
        default: return false
        }
    }
}

extension TemplateValue {
    /// The logical names this value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub` variables
    /// (`${Name}`, `${Name.Attribute}`; variables the Sub declares itself are not references), in
    /// order of appearance, repeats included.
    public var referencedNames: [String] {
        var names: [String] = []
        func visit(_ value: TemplateValue) {
            switch value {
            case .list(let items): items.forEach(visit)
            case .map(let map): map.entries.forEach { visit($0.value) }
            case .fn(let function):
                switch function {
                case .ref(let target): names.append(target)
                case .getAtt(let resource, _), .getAttComputed(let resource, _): names.append(resource)
                case .sub(let text, let variables):
                    let declared = Set(variables?.keys ?? [])
                    for variable in Intrinsic.subVariables(in: text) where !declared.contains(variable) {
                        names.append(Intrinsic.splitSubVariable(variable)?.resource ?? variable)
                    }
                default: break
                }
                function.forEachChild(visit)
            default: break
            }
        }
        visit(self)
        return names
    }
}

extension TemplateValue {
    /// Every string in this value (map keys excluded) that contains `needle`, with its path; the
    /// path is built only for a match, so a scan of a value with no match allocates nothing.
    public func strings(containing needle: String) -> [(path: String, text: String)] {
        stringSteps(containing: needle).map { (PathStep.render($0.steps), $0.text) }
    }

    /// `strings(containing:)` with each path as its steps (for callers that join paths).
    public func stringSteps(containing needle: String) -> [(steps: [PathStep], text: String)] {
        stringSteps(containingBytes: Array(needle.utf8))
    }

    /// Whether some string of the value (or `Fn::Sub` text) contains `pattern`, without
    /// gathering where (what `stringSteps(containingBytes:)` is non-empty for).
    public func hasString(containingBytes pattern: [UInt8]) -> Bool {
        switch self {
        case .string(let text):
            return text.containsBytes(pattern)
        case .list(let items):
            return items.contains { $0.hasString(containingBytes: pattern) }
        case .map(let map):
            return map.entries.contains { $0.value.hasString(containingBytes: pattern) }
        case .fn(let function):
            if case .sub(let text, _) = function, text.containsBytes(pattern) { return true }
            var found = false
            function.forEachChild { child in
                if !found && child.hasString(containingBytes: pattern) { found = true }
            }
            return found
        default:
            return false
        }
    }

    /// `stringSteps(containing:)` for a needle given as its UTF-8 bytes (made once by a caller
    /// that scans many values for the same needle).
    public func stringSteps(containingBytes pattern: [UInt8]) -> [(steps: [PathStep], text: String)] {
        guard !pattern.isEmpty else { return [] }
        switch self {
        case .string(let text):
            // A scalar (a resource's Type, most often) without setting up the walk.
            return text.containsBytes(pattern) ? [([], text)] : []
        case .int, .double, .bool, .null:
            return []
        default:
            break
        }
        var found: [(steps: [PathStep], text: String)] = []
        var trail: [PathStep] = []
        func contains(_ text: String) -> Bool { text.containsBytes(pattern) }
        func visit(_ value: TemplateValue) {
            switch value {
            case .string(let text):
                if contains(text) { found.append((trail, text)) }
            case .list(let items):
                for (offset, item) in items.enumerated() {
                    trail.append(.index(offset)); visit(item); trail.removeLast()
                }
            case .map(let map):
                for entry in map.entries {
                    trail.append(.key(entry.key)); visit(entry.value); trail.removeLast()
                }
            case .fn(let function):
                if case .sub(let text, _) = function, contains(text) { found.append((trail, text)) }
                function.forEachChild(visit)
            default:
                break
            }
        }
        visit(self)
        return found
    }
}

/// One step of a property path: a map key or a list index. Walks keep a trail of steps and
/// render it only when a finding needs it, so nothing is built per node.
public enum PathStep: Sendable, Hashable {
    case key(String)
    case index(Int)

    /// `Tags[0].Value`: keys joined by `.`, indexes in brackets.
    public static func render(_ steps: [PathStep]) -> String {
        var path = ""
        for step in steps {
            switch step {
            case .key(let key): path += path.isEmpty ? key : "." + key
            case .index(let offset): path += "[\(offset)]"
            }
        }
        return path
    }
}

extension String {
    /// Whether `needle`'s UTF-8 bytes occur in this string's (an empty needle occurs everywhere).
    /// Compares bytes in place, without `Character` or generic substring machinery: the fast form
    /// for scans over every string of a template.
    public func containsBytes(of needle: String) -> Bool {
        containsBytes(Array(needle.utf8))
    }

    /// Whether the bytes `pattern` occur in this string's UTF-8; for a scan that looks for the
    /// same needle in many strings (the needle's bytes made once).
    public func containsBytes(_ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first else { return true }
        guard utf8.count >= pattern.count else { return false }
        var text = self
        // withUTF8 reads a native string's bytes in place (a bridged one is copied first).
        return text.withUTF8 { bytes in
            let last = bytes.count - pattern.count
            var offset = 0
            while offset <= last {
                if bytes[offset] == first {
                    var matched = 1
                    while matched < pattern.count && bytes[offset + matched] == pattern[matched] { matched += 1 }
                    if matched == pattern.count { return true }
                }
                offset += 1
            }
            return false
        }
    }
}
