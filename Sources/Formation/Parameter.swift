/// A CloudFormation parameter type, with the Swift type its `Ref` yields.
///
/// `ParameterType<String>` parameters give `Value<String>`; list types give a list value, so a
/// subnet-ID list parameter can stand where the schema wants a list of strings.
public struct ParameterType<T: TemplateEncodable>: Sendable, Hashable {
    /// The type name as CloudFormation writes it.
    public let name: String

    /// A parameter type by its CloudFormation name.
    public init(_ name: String) { self.name = name }
}

extension ParameterType where T == String {
    public static var string: Self { .init("String") }
    public static var vpcId: Self { .init("AWS::EC2::VPC::Id") }
    public static var subnetId: Self { .init("AWS::EC2::Subnet::Id") }
    public static var securityGroupId: Self { .init("AWS::EC2::SecurityGroup::Id") }
    public static var keyPairName: Self { .init("AWS::EC2::KeyPair::KeyName") }
    public static var imageId: Self { .init("AWS::EC2::Image::Id") }
    /// A value read from an SSM parameter at deploy time.
    public static var ssmString: Self { .init("AWS::SSM::Parameter::Value<String>") }
}

extension ParameterType where T == Int {
    public static var number: Self { .init("Number") }
}

extension ParameterType where T == [Value<String>] {
    public static var commaDelimitedList: Self { .init("CommaDelimitedList") }
    public static var subnetIds: Self { .init("List<AWS::EC2::Subnet::Id>") }
    public static var securityGroupIds: Self { .init("List<AWS::EC2::SecurityGroup::Id>") }
    public static var availabilityZones: Self { .init("List<AWS::EC2::AvailabilityZone::Name>") }
}

/// A handle to a template parameter.
public struct Parameter<T: TemplateEncodable>: Sendable {
    /// The parameter's logical name.
    public let name: String
    /// The stack that declares it.
    public let stackName: String
    /// The declaration as written to the template.
    public let definition: ParameterDefinition

    /// `Ref` to the parameter: its value at deploy time.
    public var ref: Value<T> {
        .token(Token(.ref(name), stackName: stackName))
    }

    /// Whether the parameter is NoEcho (its value is never printed).
    public var isSecret: Bool { definition.noEcho }
}

/// A handle to a named condition.
public struct ConditionHandle: Sendable, Hashable {
    /// The condition's logical name.
    public let name: String

    public init(name: String) { self.name = name }

    /// `{"Condition": name}`, for use inside other conditions.
    public var expression: ConditionExpression { ConditionExpression(.fn(.condition(name))) }
}

/// A condition function's value (`Fn::Equals`, `Fn::And`, …), for the Conditions section.
public struct ConditionExpression: Sendable, Hashable {
    /// The function as template data.
    public let value: TemplateValue

    public init(_ value: TemplateValue) { self.value = value }
}

/// A handle to a mapping in the Mappings section.
public struct MappingHandle: Sendable {
    /// The mapping's logical name.
    public let name: String
    /// The stack that declares it.
    public let stackName: String

    /// `Fn::FindInMap` with a top-level and a second-level key.
    public func find(_ topLevelKey: Value<String>, _ secondLevelKey: Value<String>) -> Value<String> {
        let context = EncodingContext(stackName: stackName)
        return .token(Token(.findInMap(.string(name), topLevelKey.encode(context), secondLevelKey.encode(context)),
                            stackName: stackName))
    }
}

/// A handle to an output.
public struct OutputHandle: Sendable {
    /// The output's logical name.
    public let name: String
    /// The export name, when the output is exported.
    public let exportName: Value<String>?

    /// `Fn::ImportValue` of this output's export, for use in another stack; nil when not exported.
    public var importValue: Value<String>? {
        guard let exportName else { return nil }
        return .token(Token(.importValue(exportName.encode(EncodingContext()))))
    }
}
