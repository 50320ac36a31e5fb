/// Pseudo parameters as values: `"arn:\(AWS.partition):s3:::\(bucket.ref)"`.
public enum AWS {
    /// `AWS::AccountId`.
    public static var accountId: Value<String> { pseudo(.accountId) }
    /// `AWS::Region`.
    public static var region: Value<String> { pseudo(.region) }
    /// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`).
    public static var partition: Value<String> { pseudo(.partition) }
    /// `AWS::StackName`.
    public static var stackName: Value<String> { pseudo(.stackName) }
    /// `AWS::StackId`.
    public static var stackId: Value<String> { pseudo(.stackId) }
    /// `AWS::URLSuffix` (`amazonaws.com` in most partitions).
    public static var urlSuffix: Value<String> { pseudo(.urlSuffix) }
    /// `AWS::NotificationARNs`.
    public static var notificationARNs: Value<[Value<String>]> { .token(Token(.ref(PseudoParameter.notificationARNs.rawValue))) }

    /// `AWS::NoValue`: removes the property it is assigned to (use inside `Fn.if`).
    public static func noValue<T>() -> Value<T> { .token(Token(.ref(PseudoParameter.noValue.rawValue))) }

    private static func pseudo(_ parameter: PseudoParameter) -> Value<String> {
        .token(Token(.ref(parameter.rawValue)))
    }
}

/// Intrinsic functions as typed values.
public enum Fn {
    /// `Fn::Join` of strings.
    public static func join(_ delimiter: String, _ items: [Value<String>]) -> Value<String> {
        if let literals = allLiterals(items) { return .literal(literals.joined(separator: delimiter)) }
        return token(.join(delimiter, .list(items.map(encode))), items.compactMap(\.tokenValue))
    }

    /// `Fn::Join` of a list value (a list parameter, a `Fn::Split`, …).
    public static func join(_ delimiter: String, _ list: Value<[Value<String>]>) -> Value<String> {
        switch list {
        case .literal(let items): return join(delimiter, items)
        case .token(let t): return .token(Token(.join(delimiter, .fn(t.intrinsic)), stackName: t.stackName))
        }
    }

    /// `Fn::Select` of one element of a list.
    public static func select(_ index: Int, _ list: Value<[Value<String>]>) -> Value<String> {
        switch list {
        case .literal(let items) where items.indices.contains(index): return items[index]
        default: return token(.select(.int(Int64(index)), encode(list)), list.tokenValue.map { [$0] } ?? [])
        }
    }

    /// `Fn::Split` of a string into a list.
    public static func split(_ delimiter: String, _ source: Value<String>) -> Value<[Value<String>]> {
        .token(Token(.split(delimiter, encode(source)), stackName: source.tokenValue?.stackName))
    }

    /// `Fn::If`: `whenTrue` where `condition` holds, `whenFalse` otherwise.
    public static func `if`<T>(_ condition: ConditionHandle, _ whenTrue: Value<T>, _ whenFalse: Value<T>) -> Value<T> {
        .token(Token(.if(condition.name, encode(whenTrue), encode(whenFalse)),
                     stackName: whenTrue.tokenValue?.stackName ?? whenFalse.tokenValue?.stackName))
    }

    /// `Fn::ImportValue` of another stack's export.
    public static func importValue(_ exportName: Value<String>) -> Value<String> {
        .token(Token(.importValue(encode(exportName))))
    }

    /// `Fn::Base64` of a string.
    public static func base64(_ value: Value<String>) -> Value<String> {
        token(.base64(encode(value)), value.tokenValue.map { [$0] } ?? [])
    }

    /// `Fn::GetAZs` of a region (the stack's region by default).
    public static func getAZs(_ region: Value<String> = "") -> Value<[Value<String>]> {
        .token(Token(.getAZs(encode(region))))
    }

    /// `Fn::Cidr`: `count` subnets of `bits` host bits carved from `block`.
    public static func cidr(_ block: Value<String>, count: Int, bits: Int) -> Value<[Value<String>]> {
        .token(Token(.cidr(encode(block), .int(Int64(count)), .int(Int64(bits))), stackName: block.tokenValue?.stackName))
    }

    /// `Fn::Sub` with an explicit template string and variables (string interpolation on
    /// `Value<String>` builds this for you).
    public static func sub(_ template: String, _ variables: [String: Value<String>] = [:]) -> Value<String> {
        let map = OrderedMap(variables.keys.sorted().compactMap { key in variables[key].map { (key, encode($0)) } })
        return token(.sub(template, map.isEmpty ? nil : map), variables.values.compactMap(\.tokenValue))
    }

    /// `Fn::Equals` (for conditions).
    public static func equals<A, B>(_ a: Value<A>, _ b: Value<B>) -> ConditionExpression {
        ConditionExpression(.fn(.equals(encode(a), encode(b))))
    }

    /// `Fn::And` (for conditions).
    public static func and(_ conditions: ConditionExpression...) -> ConditionExpression {
        ConditionExpression(.fn(.and(conditions.map(\.value))))
    }

    /// `Fn::Or` (for conditions).
    public static func or(_ conditions: ConditionExpression...) -> ConditionExpression {
        ConditionExpression(.fn(.or(conditions.map(\.value))))
    }

    /// `Fn::Not` (for conditions).
    public static func not(_ condition: ConditionExpression) -> ConditionExpression {
        ConditionExpression(.fn(.not(condition.value)))
    }

    private static func encode<T>(_ value: Value<T>) -> TemplateValue {
        value.encode(EncodingContext())
    }

    private static func token<T>(_ intrinsic: Intrinsic, _ parts: [Token]) -> Value<T> {
        .token(Token(intrinsic, stackName: parts.lazy.compactMap(\.stackName).first))
    }

    private static func allLiterals(_ items: [Value<String>]) -> [String]? {
        var literals: [String] = []
        for item in items {
            guard case .literal(let text) = item else { return nil }
            literals.append(text)
        }
        return literals
    }
}

extension Value {
    /// The value as untyped template data, for free-form properties such as policy documents:
    /// `["Resource": group.arn.json]`.
    public var json: TemplateValue {
        encode(EncodingContext())
    }
}
