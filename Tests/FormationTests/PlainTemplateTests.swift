import Testing
@testable import Formation

/// Templates written by others, validated as `formation validate --template` does (the bundled
/// registry, us-east-1). The snippets come from cfn-lint 1.58.0's test templates
/// (`test/fixtures/templates/good/…` in its sdist, MIT-0), which Formation rejected wrongly;
/// `make fixtures-report` runs all of them.
@Suite struct PlainTemplateTests {
    func bundled(_ yaml: String) throws -> [String] {
        try messages(yaml: yaml, schemas: .bundled)
    }

    /// From good/functions/get_stack_output.yaml: `Fn::GetStackOutput` is an intrinsic function
    /// (an output of another stack, no export needed), in long and short form.
    @Test func getStackOutputIsAnIntrinsic() throws {
        #expect(try bundled("""
        Parameters:
          Env: {Type: String, Default: prod}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Topic1:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName:
                Fn::GetStackOutput:
                  StackName: producer-stack
                  OutputName: TopicName
                  Region: us-west-2
                  RoleArn: arn:aws:iam::123456789012:role/cross-account
          Topic2:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName:
                Fn::If:
                  - IsProd
                  - !GetStackOutput {StackName: producer-stack, OutputName: ProdName}
                  - dev-topic
          Topic3:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName:
                Fn::GetStackOutput:
                  StackName: !Sub "my-stack-${AWS::Region}"
                  OutputName: TopicName
        Outputs:
          Direct:
            Value: {"Fn::GetStackOutput": {StackName: producer-stack, OutputName: TopicName}}
        """) == [])
        // Its arguments are checked like any other values; a wrong shape is a malformed intrinsic.
        #expect(try bundled("""
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName:
                Fn::GetStackOutput: {StackName: !Ref Missing, OutputName: TopicName}
              TopicName:
                Fn::GetStackOutput: {StackName: producer-stack, Output: TopicName}
        """) == [
            "error FM1101 t.yaml/Topic: DisplayName: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
            "error FM1109 t.yaml/Topic: TopicName: Fn::GetStackOutput has a malformed argument {\"StackName\": \"producer-stack\", \"Output\": \"TopicName\"}: expected {StackName, OutputName} with optional Region and RoleArn",
        ])
    }

    /// `Fn::GetAtt` accepts a `Ref` as the attribute name (CloudFormation resolves it first);
    /// the resource is still checked.
    @Test func getAttWithARefAttributeName() throws {
        #expect(try bundled("""
        Parameters:
          Attribute: {Type: String, Default: Arn}
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !GetAtt [Queue, !Ref Attribute]
        Outputs:
          Long:
            Value: {"Fn::GetAtt": [Queue, {"Ref": Attribute}]}
        """) == [])
        #expect(try bundled("""
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !GetAtt [Nope, !Ref Missing]
        """) == [
            "error FM1102 t.yaml/Topic: DisplayName: Fn::GetAtt Nope: Nope is not a resource of this template",
            "error FM1101 t.yaml/Topic: DisplayName: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
        ])
    }

    /// A function with a malformed argument is reported once (FM1109), not also as an object
    /// where the schema wants a string; a function CloudFormation does not have is reported.
    @Test func unknownAndMalformedFunctionsAreReportedOnce() throws {
        #expect(try bundled("""
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: {"Fn::Joinn": ["-", [a, b]]}
              TopicName: {"Fn::Length": [a, b]}
              KmsMasterKeyId: {"Fn::Select": [0]}
        """) == [
            "error FM1109 t.yaml/Topic: DisplayName: Fn::Joinn is not an intrinsic function",
            "error FM1109 t.yaml/Topic: TopicName: Fn::Length exists only with Transform: AWS::LanguageExtensions; declare the transform",
            "error FM1109 t.yaml/Topic: KmsMasterKeyId: Fn::Select has a malformed argument [0]: expected [index, list]",
        ])
        // With the transform, Fn::Length is CloudFormation's; with a macro, anything may be.
        #expect(try bundled("""
        Transform: AWS::LanguageExtensions
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: {"Fn::Length": [a, b]}
        """) == [])
        #expect(try bundled("""
        Transform: MyMacro
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: {"Fn::Mine": [a, b]}
        """) == ["info FM1131 t.yaml: Transform macro MyMacro rewrites the whole template before CloudFormation validates it; not validated there (no finding skipped)"])
    }

    /// From good/core/conditions.yaml and good/resources/primary_identifiers.yaml: Properties
    /// may be an Fn::If between maps (or AWS::NoValue); each map is validated.
    @Test func propertiesChosenByFnIf() throws {
        let conditions = """
        Parameters:
          Env: {Type: String}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Equals [!Ref Env, dev]
        """
        #expect(try bundled(conditions + """

        Resources:
          Instance:
            Type: AWS::EC2::Instance
            Properties:
              Fn::If:
              - IsProd
              - ImageId: ami-1234567a
                InstanceType: t2.medium
              - Fn::If:
                - IsDev
                - ImageId: ami-abcdef01
                  InstanceType: t2.xlarge
                - ImageId: ami-123abcde
                  InstanceType: m3.medium
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              Fn::If: [IsProd, {BucketName: us-east-1}, !Ref AWS::NoValue]
        """) == [])
        // Each branch meets the schema; one that is not a map is still an error.
        #expect(try bundled(conditions + """

        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              Fn::If: [IsProd, {DelaySeconds: 5}, {DelaySecond: 5}]
          Topic:
            Type: AWS::SNS::Topic
            Properties: !If [IsDev, {TopicName: t}, just-text]
        """) == [
            "error FM1007 t.yaml/Topic: Properties must be a map (or an Fn::If between maps), found Fn::If",
            "error FM3009 t.yaml/Queue: DelaySecond is not a known property; did you mean DelaySeconds? (AWS::SQS::Queue)",
        ])
    }

    /// From good/functions/ref.yaml: the resources of a module are named by the module's
    /// logical ID and their ID inside it, and may be referred to (a module type is declared).
    @Test func referencesToAModulesResources() throws {
        let template = try Template(document: try YAMLParser.parse("""
        Resources:
          Module:
            Type: My::S3::Bucket::MODULE
            Properties: {}
          Topic:
            Type: AWS::SNS::Topic
            DependsOn: ModuleBucket
            Properties:
              DisplayName: !Sub "${ModuleBucket}-${ModuleBucket.Arn}"
        Outputs:
          OutputModuleAtt:
            Value: !Ref ModuleResource
          Attribute:
            Value: !GetAtt ModuleBucket.Arn
          NotAModule:
            Value: !Ref Modul
        """))
        var declared = DeclaredTypes()
        declared.declare("My::S3::Bucket::MODULE")
        let context = ValidationContext(stackPath: "t.yaml", schemas: .bundled, declaredTypes: declared)
        #expect(TemplateValidator.validate(template, context).map(\.description) == [
            "error FM1101 t.yaml/Outputs/NotAModule: Value: Ref to Modul, which is not a resource, parameter or pseudo parameter of this template",
        ])
    }

    /// The template's own keys and each resource's attributes, as CloudFormation checks them
    /// (cfn-lint 1.58.0's bad/templates/base*.yaml, bad/resources/uniqueNames.yaml,
    /// bad/resources_deletionpolicy.yaml and good/custom/is-defined.yaml's `Parameter:`).
    @Test func sectionsAndResourceAttributes() throws {
        #expect(try messages(yaml: """
        AWSTemplateFormatVersion: "2010-09-10"
        Description: [a]
        Parameter:
          Name: {Type: String}
        Transform: null
        Parameters:
          Name: {Type: String}
        Resources:
          Name:
            Type: AWS::SNS::Topic
            Propertes: {TopicName: x}
            DeletionPolicy: Snapshot
            UpdateReplacePolicy: [Retain]
          Db:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: CopyRegion
            UpdateReplacePolicy: {"Fn::Cidr": [192.168.0.0/24, 6, 5]}
        """) == [
            "error FM1111 t.yaml: Parameter is not a template section; did you mean Parameters?",
            "error FM1111 t.yaml: AWSTemplateFormatVersion must be \"2010-09-09\", found \"2010-09-10\"",
            "error FM1111 t.yaml: the Description must be a string, found list",
            "error FM1111 t.yaml: Transform must be a transform name, a {Name, Parameters} map or a list of them, found null",
            "error FM1111 t.yaml/Name: Name is both a parameter and a resource; a logical ID must be unique in the template",
            "error FM1114 t.yaml/Name: Propertes is not a resource attribute; did you mean Properties?",
            "error FM1114 t.yaml/Name: DeletionPolicy: Snapshot applies only to AWS::DocDB::DBCluster, AWS::EC2::Volume, AWS::ElastiCache::CacheCluster, AWS::ElastiCache::ReplicationGroup, AWS::Neptune::DBCluster, AWS::RDS::DBCluster, AWS::RDS::DBInstance, AWS::Redshift::Cluster",
            "error FM1114 t.yaml/Name: UpdateReplacePolicy: the policy must be a string, found list",
            "error FM1114 t.yaml/Db: DeletionPolicy: \"CopyRegion\" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot",
            "error FM1114 t.yaml/Db: UpdateReplacePolicy: Fn::Cidr cannot give a policy; use a string, Ref, Fn::If, Fn::FindInMap, Fn::Sub or Fn::Select",
        ])
        #expect(try messages(yaml: "Resources: {}\n") == [
            "error FM1111 t.yaml: the Resources section is empty; CloudFormation requires at least one resource",
        ])
        // What CloudFormation accepts: Hooks, Transform maps and lists, policies from parameters
        // (with AWS::LanguageExtensions: LanguageExtensionsTests has them without).
        #expect(try messages(yaml: """
        AWSTemplateFormatVersion: 2010-09-09
        Transform: [{Name: AWS::CodeDeployBlueGreen, Parameters: {}}, AWS::LanguageExtensions]
        Hooks:
          CodeDeployBlueGreenHook: {Type: AWS::CodeDeploy::BlueGreen, Properties: {}}
        Parameters:
          Policy: {Type: String, AllowedValues: [Delete, Retain]}
        Conditions:
          Keep: !Equals [!Ref Policy, Retain]
        Resources:
          Volume:
            Type: AWS::EC2::Volume
            DeletionPolicy: !If [Keep, Snapshot, Delete]
            UpdateReplacePolicy: !Ref Policy
            Version: "1.0"
        """) == [])
    }

    /// Parameter declarations (cfn-lint 1.58.0's bad/parameters/configuration.yaml and
    /// default.yaml; good/parameters/default.yaml passes).
    @Test func parameterDeclarations() throws {
        let topic = "\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n"
        #expect(try messages(yaml: """
        Parameters:
          Pattern: {Type: String, Default: "vpc!@#$", AllowedPattern: "^[a-zA-Z0-9]*$"}
          Low: {Type: Number, Default: 0, MinValue: 1}
          Choice: {Type: String, Default: us-east-1a, AllowedValues: [us-east-1b, us-east-1c]}
          Short: {Type: String, Default: abc, MinLength: 5}
          Listed: {Type: String, AllowedValues: "vpc"}
          Echo: {Type: String, NoEcho: 123}
          Typo: {Type: NotString, Default: Value}
          Untyped: {NotType: String}
          FromRef: {Type: Number, Default: !Ref "AWS::NoValue"}
          Empty: null
        """ + topic) == [
            "error FM1115 t.yaml/Parameters/Pattern: Default: \"vpc!@#$\" does not match the AllowedPattern ^[a-zA-Z0-9]*$",
            "error FM1115 t.yaml/Parameters/Low: Default: \"0\" is less than MinValue 1",
            "error FM1115 t.yaml/Parameters/Choice: Default: \"us-east-1a\" is not one of the AllowedValues (us-east-1b, us-east-1c)",
            "error FM1115 t.yaml/Parameters/Short: Default: \"abc\" is shorter than MinLength 5",
            "error FM1115 t.yaml/Parameters/Listed: AllowedValues: must be a list, found string",
            "error FM1115 t.yaml/Parameters/Echo: NoEcho: must be true or false, found 123",
            "error FM1115 t.yaml/Parameters/Typo: Type: NotString is not a parameter type; did you mean String?",
            "error FM1115 t.yaml/Parameters/Untyped: NotType: not a parameter attribute; did you mean Type?",
            "error FM1115 t.yaml/Parameters/Untyped: the parameter has no Type",
            "error FM1115 t.yaml/Parameters/FromRef: Default: Ref: parameters cannot use functions",
            "error FM1115 t.yaml/Parameters/Empty: a parameter must be a map with a Type, found null",
        ])
        #expect(try messages(yaml: """
        Parameters:
          Pattern: {Type: String, Default: vpc, AllowedPattern: "^[a-zA-Z0-9]*$"}
          Whole: {Type: String, Default: abcdef, AllowedPattern: "[a-z0-9]{6,16}"}
          Bounds: {Type: Number, Default: 1, MinValue: 1, MaxValue: "1"}
          Account: {Type: String, Default: 112233445566, MinLength: 12, MaxLength: 12}
          Zones: {Type: CommaDelimitedList, Default: "one, two", AllowedValues: [one, two]}
          Image: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/ami}
          Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
          Secret: {Type: String, NoEcho: "true"}
        """ + topic) == [])
    }

    /// Arguments CloudFormation refuses (cfn-lint 1.58.0's bad/functions_select.yaml,
    /// functions_getaz.yaml and functions/import_value.yaml), and forms it takes.
    @Test func functionArguments() throws {
        #expect(try messages(yaml: """
        Parameters:
          Export: {Type: String}
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              A: !Select [a, !GetAZs {Ref: "AWS::Region"}]
              B: !Select [1, !Join [",", [a, b]]]
              C: !Select [2, [a, b]]
              D: !Select [0, !GetAZs us-east-1a]
              E: {"Fn::ImportValue": {"Fn::ImportValue": CidrBlock}}
              F: {"Fn::ImportValue": [PrimaryRegion]}
              G: !ImportValue {"Fn::GetAtt": [Queue, QueueName]}
          Queue:
            Type: AWS::SQS::Queue
        """) == [
            "error FM1109 t.yaml/Topic: A: Fn::Select: the index \"a\" is not an integer",
            "error FM1109 t.yaml/Topic: B: Fn::Select: selects from a list, and Fn::Join gives a string",
            "error FM1109 t.yaml/Topic: C: Fn::Select: the index 2 is past the end of the 2-item list",
            "error FM1109 t.yaml/Topic: D: Fn::GetAZs: \"us-east-1a\" is not a region name (\"\" is the stack's region)",
            "error FM1109 t.yaml/Topic: E: Fn::ImportValue: cannot take another Fn::ImportValue",
            "error FM1109 t.yaml/Topic: F: Fn::ImportValue: takes the exported name, a string, found list",
            "error FM1109 t.yaml/Topic: G: Fn::ImportValue: the exported name cannot depend on a resource (Fn::GetAtt)",
        ])
        #expect(try messages(yaml: """
        Parameters:
          Export: {Type: String}
        Conditions:
          Always: !Equals [a, a]
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              A: !Select ["1", !GetAZs ""]
              B: !Select [1, [a, !If [Always, b, !Ref "AWS::NoValue"]]]
              C: !Select [0, !Split [",", !ImportValue {"Fn::Sub": "${Export}-list"}]]
              D: !Select [0, !GetAZs us-gov-west-1]
              E: !ImportValue {Ref: Export}
        """) == [])
    }

    /// Conditions CloudFormation refuses (cfn-lint 1.58.0's bad/conditions.yaml,
    /// bad/conditions/and.yaml and equals.yaml); good/conditions.yaml's forms pass.
    @Test func conditionForms() throws {
        let topic = "\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n"
        #expect(try messages(yaml: """
        Parameters:
          Env: {Type: String}
        Conditions:
          Text: String
          Few: !And [!Equals [!Ref Env, prod]]
          Odd: !Or [Test, {Bad: Few}]
          Listed: !Equals [[!Ref "AWS::Region"], us-east-1]
          Imported: !Equals [!ImportValue Region, us-east-1]
        """ + topic) == [
            "error FM1109 t.yaml/Conditions/Text: a condition must be Fn::Equals, Fn::And, Fn::Or or Fn::Not, found \"String\"",
            "error FM1109 t.yaml/Conditions/Few: Fn::And takes 2 to 10 conditions, found 1",
            "error FM1109 t.yaml/Conditions/Odd: Fn::And, Fn::Or and Fn::Not take conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition), found \"Test\"",
            "error FM1109 t.yaml/Conditions/Odd: Fn::And, Fn::Or and Fn::Not take conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition), found map",
            "error FM1109 t.yaml/Conditions/Listed: Fn::Equals compares strings, found list",
            "error FM1109 t.yaml/Conditions/Imported: Fn::Equals cannot compare Fn::ImportValue; use Ref, Fn::FindInMap, Fn::Sub, Fn::Join, Fn::Select or Fn::Split",
        ])
        #expect(try messages(yaml: """
        Parameters:
          Env: {Type: String}
        Mappings:
          M: {us-east-1: {Primary: "true"}}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsPrimary: !Equals ["true", !FindInMap [M, !Ref "AWS::Region", Primary]]
          Both: !And [!Condition IsProd, {Condition: IsPrimary}, !Not [!Equals [!Select [0, !Split [",", !Sub "${Env},x"]], dev]]]
          Alias: !Condition Both
        """ + topic) == [])
    }
}

