/// Parameter declarations as CloudFormation reads them: a map with a known `Type`, only the
/// attributes parameters have, each of the right kind, no functions, and a `Default` that meets
/// the parameter's own constraints (checked for `String`, `Number` and the AWS-specific single
/// value types; list types are not split).
enum ParameterCheck {
    /// The attributes a parameter may have.
    static let attributes: [String] = [
        "Type", "Default", "Description", "AllowedValues", "AllowedPattern", "ConstraintDescription",
        "MinLength", "MaxLength", "MinValue", "MaxValue", "NoEcho",
    ]

    /// Value types of the AWS-specific parameter types (also inside `List<…>` and
    /// `AWS::SSM::Parameter::Value<…>`).
    static let awsTypes: [String] = [
        "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
        "AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
        "AWS::EC2::Subnet::Id", "AWS::EC2::VPC::Id", "AWS::EC2::Volume::Id", "AWS::Route53::HostedZone::Id",
    ]

    /// Every parameter type CloudFormation accepts.
    static let types: Set<String> = {
        let single = ["String", "Number"] + awsTypes
        let lists = ["CommaDelimitedList", "List<Number>", "List<String>"] + awsTypes.filter { $0 != "AWS::EC2::KeyPair::KeyName" }.map { "List<\($0)>" }
        let ssm = (single + lists + ["AWS::SSM::Parameter::Name"]).map { "AWS::SSM::Parameter::Value<\($0)>" }
        return Set(single + lists + ["AWS::SSM::Parameter::Name"] + ssm)
    }()

    static func run(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.parameters.entries {
            let path = context.path(section: "Parameters", name: entry.key)
            func error(_ property: String?, _ message: String) {
                diagnostics.append(.error(DiagnosticCode.invalidParameter, path: path, property: property,
                                          property.map { "\($0): \(message)" } ?? message))
            }
            guard let body = entry.value.mapValue else {
                error(nil, "a parameter must be a map with a Type, found \(entry.value.kindName)")
                continue
            }
            for key in body.keys where !attributes.contains(key) {
                let hint = Suggestion.closest(to: key, among: attributes).map { "; did you mean \($0)?" } ?? ""
                error(key, "not a parameter attribute\(hint)")
            }
            for item in body.entries where attributes.contains(item.key) {
                if case .fn(let function) = item.value {
                    error(item.key, "\(function.name): parameters cannot use functions")
                } else if let problem = kindProblem(item.key, item.value) {
                    error(item.key, problem)
                }
            }
            guard let typeValue = body["Type"] else {
                error(nil, "the parameter has no Type")
                continue
            }
            guard case .string(let type) = typeValue else { continue }  // reported above
            if !types.contains(type) {
                let hint = Suggestion.closest(to: type, among: types.sorted()).map { "; did you mean \($0)?" } ?? ""
                error("Type", "\(type) is not a parameter type\(hint)")
                continue
            }
            if let defaultValue = body["Default"], let text = scalarText(defaultValue) {
                for problem in defaultProblems(text, type: type, body) { error("Default", problem) }
            }
        }
        return diagnostics
    }

    /// What is wrong with the kind of an attribute's value, if anything.
    private static func kindProblem(_ key: String, _ value: TemplateValue) -> String? {
        switch key {
        case "Type", "Description", "AllowedPattern", "ConstraintDescription":
            if case .string = value { return nil }
            return "must be a string, found \(value.kindName)"
        case "Default":
            return scalarText(value) == nil ? "must be a string or a number, found \(value.kindName)" : nil
        case "AllowedValues":
            guard case .list(let items) = value else { return "must be a list, found \(value.kindName)" }
            return items.allSatisfy({ scalarText($0) != nil }) ? nil : "must list strings or numbers"
        case "MinLength", "MaxLength":
            return integer(value) == nil ? "must be an integer, found \(shown(value))" : nil
        case "MinValue", "MaxValue":
            return number(value) == nil ? "must be a number, found \(shown(value))" : nil
        case "NoEcho":
            switch value {
            case .bool: return nil
            case .string(let text) where ["true", "false"].contains(text.lowercased()): return nil
            default: return "must be true or false, found \(shown(value))"
            }
        default:
            return nil
        }
    }

    /// What is wrong with `Default` (as text) under the parameter's own constraints.
    private static func defaultProblems(_ text: String, type: String, _ body: OrderedMap) -> [String] {
        let isNumber = type == "Number"
        guard isNumber || type == "String" || awsTypes.contains(type) else { return [] }
        var problems: [String] = []
        let shownDefault = TemplateValue.string(text).description
        if case .list(let allowed)? = body["AllowedValues"] {
            let values = allowed.compactMap(scalarText)
            let matches = isNumber ? values.contains { Double($0) != nil && Double($0) == Double(text) } : values.contains(text)
            if !matches { problems.append("\(shownDefault) is not one of the AllowedValues (\(values.joined(separator: ", ")))") }
        }
        if isNumber {
            guard let value = Double(text) else { return problems + ["\(shownDefault) is not a number"] }
            if let minimum = body["MinValue"].flatMap(number), value < minimum {
                problems.append("\(shownDefault) is less than MinValue \(shown(body["MinValue"] ?? .null))")
            }
            if let maximum = body["MaxValue"].flatMap(number), value > maximum {
                problems.append("\(shownDefault) is greater than MaxValue \(shown(body["MaxValue"] ?? .null))")
            }
            return problems
        }
        if case .string(let source)? = body["AllowedPattern"] {
            // CloudFormation matches AllowedPattern against the whole value.
            let pattern = SchemaPattern("^(?:" + source + ")$")
            if pattern.isUsable && !pattern.matches(text) {
                problems.append("\(shownDefault) does not match the AllowedPattern \(source)")
            }
        }
        let length = text.unicodeScalars.count
        if let minimum = body["MinLength"].flatMap(integer), length < minimum {
            problems.append("\(shownDefault) is shorter than MinLength \(minimum)")
        }
        if let maximum = body["MaxLength"].flatMap(integer), length > maximum {
            problems.append("\(shownDefault) is longer than MaxLength \(maximum)")
        }
        return problems
    }

    /// A scalar's text as CloudFormation passes parameter values (strings, numbers, booleans).
    private static func scalarText(_ value: TemplateValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? (number == number.rounded() && abs(number) < 9e15 ? String(Int64(number)) : "\(number)") : nil
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    private static func integer(_ value: TemplateValue) -> Int? {
        switch value {
        case .int(let number): Int(exactly: number)
        case .string(let text): Int(text)
        case .double(let number) where number == number.rounded() && abs(number) < 9e15: Int(number)
        default: nil
        }
    }

    private static func number(_ value: TemplateValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number.isFinite ? number : nil
        case .string(let text), .number(let text): Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    private static func shown(_ value: TemplateValue) -> String {
        switch value {
        case .list, .map, .fn: value.kindName
        default: value.description
        }
    }
}
