import Foundation
import FormationCodegen
import FormationTemplate
import Testing

/// The importer's Swift for each template feature. The expected lines are written by hand from
/// the DSL's public API (README, stacks/); `ImportProjectTests` (FormationCLITests) compiles
/// such a stack and checks that it synthesizes its template again.
@Suite struct ImporterTests {
    /// The Swift of a template (YAML or JSON text).
    static func swift(_ text: String, stack: String = "demo") throws -> ImportedStack {
        let template = try TemplateDocument.parseTemplate(text, file: "t")
        var importer = try TemplateImporter()
        return importer.importTemplate(template, stackName: stack, typeName: "DemoStack", source: "t.yaml", typesModule: "AppTypes")
    }

    static let base = """
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prd], Default: dev}
          Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
          Port: {Type: Number, MinValue: 1, MaxValue: 65535}
        Conditions:
          IsPrd: !Equals [!Ref Env, prd]
        Resources:
          Key:
            Type: AWS::KMS::Key
          Logs:
              Type: AWS::Logs::LogGroup

        """

    @Test func refInLongAndShortFormIsTheHandlesRef() throws {
        let short = try Self.swift(Self.base + "      Properties: {LogGroupName: !Ref Env, KmsKeyId: !Ref Key}\n")
        let long = try Self.swift(Self.base + "      Properties: {LogGroupName: {Ref: Env}, KmsKeyId: {\"Ref\": Key}}\n")
        #expect(short.source.contains("Logs.LogGroup(kmsKeyId: key.ref, logGroupName: env.ref)"), "\(short.source)")
        #expect(long.source == short.source)
        #expect(short.source.contains("let key = stack.add(\"Key\", KMS.Key())"))
        #expect(short.source.contains("let env = stack.parameter(\"Env\", type: .string, default: \"dev\", allowedValues: [\"dev\", \"prd\"])"))
    }

    @Test func pseudoParametersAreAWSMembers() throws {
        let imported = try Self.swift(Self.base + "      Properties: {LogGroupName: !Ref AWS::StackName, KmsKeyId: {Ref: AWS::Region}}\n")
        #expect(imported.source.contains("Logs.LogGroup(kmsKeyId: AWS.region, logGroupName: AWS.stackName)"), "\(imported.source)")
    }

    @Test func getAttInEveryFormIsTheTypedAttribute() throws {
        for form in ["!GetAtt Key.Arn", "!GetAtt [Key, Arn]", "{\"Fn::GetAtt\": [Key, Arn]}", "{\"Fn::GetAtt\": Key.Arn}"] {
            let imported = try Self.swift(Self.base + "      Properties: {KmsKeyId: \(form)}\n")
            #expect(imported.source.contains("Logs.LogGroup(kmsKeyId: key.arn)"), "\(form): \(imported.source)")
        }
    }

    @Test func getAttOnNestedAttributes() throws {
        let imported = try Self.swift("""
            Resources:
              Db: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: db.t3.micro, Engine: postgres}}
              Child: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: https://example.com/t}}
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {LogGroupName: !GetAtt Db.Endpoint.Address, KmsKeyId: !GetAtt Child.Outputs.KeyArn}
            """)
        #expect(imported.source.contains("Logs.LogGroup(kmsKeyId: child.getAtt(\"Outputs.KeyArn\"), logGroupName: db.endpointAddress)"), "\(imported.source)")
        #expect(imported.typesToGenerate == ["AWS::RDS::DBInstance", "AWS::CloudFormation::Stack"])
        #expect(imported.source.contains("import AppTypes\n"))
    }

    @Test func subIsAnInterpolationAndEscapesStayEscaped() throws {
        let imported = try Self.swift(Self.base + """
                  Properties:
                    LogGroupName: !Sub "/app/${Env}/${AWS::Region}/${Key.Arn}/${!Literal}"
                    KmsKeyId: {"Fn::Sub": "${Key}"}
            """)
        #expect(imported.source.contains(#"logGroupName: "/app/\(env.ref)/\(AWS.region)/\(key.arn)/${Literal}""#), "\(imported.source)")
        // A Sub of one reference alone stays a Sub (an interpolation of one token is the token).
        #expect(imported.source.contains(#"kmsKeyId: Fn.sub("${Key}")"#), "\(imported.source)")
    }

    @Test func nestedSubWithAVariableMap() throws {
        let imported = try Self.swift(Self.base + """
                  Properties:
                    LogGroupName: !Sub
                      - "${Prefix}-${Name}"
                      - Prefix: !Sub "/app/${Env}"
                        Name: !Select [1, !Split [",", !Ref AWS::StackName]]
            """)
        #expect(imported.source.contains(#"logGroupName: Fn.sub("${Prefix}-${Name}", ["Prefix": "/app/\(env.ref)", "Name": Fn.select(1, Fn.split(",", AWS.stackName))])"#),
                "\(imported.source)")
    }

    @Test func ifWithNoValueAndTypedBranches() throws {
        let imported = try Self.swift(Self.base + """
                  Properties:
                    LogGroupName: !If [IsPrd, prd-logs, !Ref "AWS::NoValue"]
                    RetentionInDays: {"Fn::If": [IsPrd, 365, 14]}
            """)
        #expect(imported.source.contains(#"logGroupName: Fn.if(isPrd, "prd-logs", AWS.noValue())"#), "\(imported.source)")
        #expect(imported.source.contains("retentionInDays: Fn.if(isPrd, 365, 14)"), "\(imported.source)")
        #expect(imported.source.contains(#"let isPrd = stack.condition("IsPrd", Fn.equals(env.ref, Value("prd")))"#))
    }

    @Test func conditionFunctions() throws {
        let imported = try Self.swift("""
            Parameters: {Env: {Type: String}}
            Conditions:
              IsPrd: {"Fn::Equals": [{Ref: Env}, prd]}
              East: !Equals [!Ref "AWS::Region", us-east-1]
              Both: !And [!Condition IsPrd, {Condition: East}]
              Either: {"Fn::Or": [!Condition IsPrd, !Not [!Condition East]]}
            Resources:
              Key: {Type: AWS::KMS::Key, Condition: Either}
            """)
        #expect(imported.source.contains(#"stack.condition("Both", Fn.and(isPrd.expression, east.expression))"#), "\(imported.source)")
        #expect(imported.source.contains(#"let either = stack.condition("Either", Fn.or(isPrd.expression, Fn.not(east.expression)))"#))
        #expect(imported.source.contains("stack.add(\"Key\", KMS.Key())\n            .condition(either)"))
    }

    @Test func joinSelectBase64GetAZsCidrImportValue() throws {
        let imported = try Self.swift(Self.base + """
                  Properties:
                    LogGroupName: !Join ["-", [!Ref Env, !ImportValue shared-name, !Select [0, !GetAZs ""]]]
                    KmsKeyId: {"Fn::Base64": {"Fn::Select": [2, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]}}
            """)
        #expect(imported.source.contains(#"logGroupName: Fn.join("-", [env.ref, Fn.importValue("shared-name"), Fn.select(0, Fn.getAZs())])"#), "\(imported.source)")
        #expect(imported.source.contains(#"kmsKeyId: Fn.base64(Fn.select(2, Fn.cidr("10.0.0.0/16", count: 4, bits: 8)))"#), "\(imported.source)")
    }

    @Test func aParameterOfAnotherTypeIsItsRefSeenAsThatType() throws {
        let imported = try Self.swift("""
            Parameters:
              Tenancy: {Type: String}
              Port: {Type: Number}
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: {InstanceTenancy: !Ref Tenancy, CidrBlock: !Ref Port}
            """)
        #expect(imported.source.contains("""
                        cidrBlock: port.ref(as: String.self),
                        instanceTenancy: tenancy.ref(as: EC2.VPC.InstanceTenancy.self)
            """), "\(imported.source)")
    }

    @Test func mappingsWithNumericKeys() throws {
        let imported = try Self.swift("""
            Mappings:
              Accounts:
                123456789012: {Name: main}
                "42": {Name: other}
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties:
                  LogGroupName: !FindInMap [Accounts, !Ref "AWS::AccountId", Name]
                  KmsKeyId: !FindInMap [Accounts, 42, Name]
            """)
        #expect(imported.source.contains(#"let accounts = stack.mapping("Accounts", ["123456789012": ["Name": "main"], "42": ["Name": "other"]])"#), "\(imported.source)")
        #expect(imported.source.contains(#"logGroupName: accounts.find(AWS.accountId, "Name")"#))
        // A number as a key is kept a number: the typed find takes strings, so the intrinsic is written as it is.
        #expect(imported.source.contains(#"kmsKeyId: Value(.findInMap("Accounts", 42, "Name"))"#), "\(imported.source)")
    }

    @Test func keywordsAndCollidingNamesGetDistinctHandles() throws {
        let imported = try Self.swift("""
            Resources:
              Default: {Type: AWS::KMS::Key}
              Class: {Type: AWS::KMS::Key}
              MyVPC: {Type: AWS::KMS::Key}
              MyVpc: {Type: AWS::KMS::Key}
              Stack: {Type: AWS::KMS::Key}
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {KmsKeyId: !Join [",", [!Ref Default, !Ref Class, !Ref MyVPC, !Ref MyVpc, !Ref Stack]]}
            """)
        #expect(imported.source.contains("let `default` = stack.add(\"Default\", KMS.Key(), logicalID: \"Default\")"), "\(imported.source)")
        #expect(imported.source.contains("let `class` = stack.add(\"Class\", KMS.Key())"))
        #expect(imported.source.contains("let myVpc = stack.add(\"MyVPC\", KMS.Key())"))
        #expect(imported.source.contains("let myVpc2 = stack.add(\"MyVpc\", KMS.Key())"))
        #expect(imported.source.contains("let stackResource = stack.add(\"Stack\", KMS.Key())"))
        #expect(imported.source.contains("[`default`.ref, `class`.ref, myVpc.ref, myVpc2.ref, stackResource.ref]"))
    }

    @Test func resourcesComeInDependencyOrderWithAttributes() throws {
        let imported = try Self.swift("""
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                DependsOn: [Topic]
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Metadata: {Owner: ops}
                Properties: {KmsKeyId: !GetAtt Key.Arn}
              Topic:
                Type: AWS::SNS::Topic
                DeletionPolicy: Snapshot
                UpdatePolicy: {Foo: 1}
              Key:
                Type: AWS::KMS::Key
            """)
        let source = imported.source
        let topic = try #require(source.range(of: "let topic = stack.add(\"Topic\""))
        let key = try #require(source.range(of: "let key = stack.add(\"Key\""))
        let logs = try #require(source.range(of: "stack.add(\"Logs\""))
        #expect(topic.lowerBound < key.lowerBound && key.lowerBound < logs.lowerBound)
        #expect(source.contains("""
            stack.add("Logs", Logs.LogGroup(kmsKeyId: key.arn))
                        .dependsOn(topic)
                        .retainOnDelete()
                        .metadata("Owner", "ops")
            """), "\(source)")
        #expect(source.contains(".deletionPolicy(.snapshot)\n            .updatePolicy([\"Foo\": 1])"))
    }

    @Test func enumsAndNestedStructsAreTyped() throws {
        let imported = try Self.swift("""
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  VersioningConfiguration: {Status: Enabled}
                  Tags: [{Key: a, Value: b}]
            """)
        #expect(imported.source.contains(#"S3.Bucket(tags: [.init(key: "a", value: "b")], versioningConfiguration: .init(status: .enabled))"#), "\(imported.source)")
        #expect(imported.typedResources == 1 && imported.rawResources == 0 && imported.rawProperties == 0)
    }

    @Test func whatHasNoFormationFormIsAFindingNamingItsPath() throws {
        let imported = try Self.swift("""
            Resources:
              Key:
                Type: AWS::KMS::Key
                DependsOn: Missing
            Extra: {}
            """)
        #expect(imported.findings.map(\.description) == [
            "Extra: not a template section CloudFormation knows; left out",
            "Resources/Key/DependsOn: Missing is not a resource declared before this one; left out",
        ])
        #expect(imported.source.contains("//   Extra: not a template section CloudFormation knows; left out\n"))
    }

    @Test func attributesTheHandleHasNoMethodForAreWrittenAsTheyAre() throws {
        let imported = try Self.swift("""
            Parameters: {Policy: {Type: String}}
            Conditions: {C: !Equals [a, b]}
            Resources:
              Key:
                Type: AWS::KMS::Key
                DeletionPolicy: !Ref Policy
                Version: "1.0"
              Cond:
                Type: AWS::KMS::Key
                Properties: !If [C, {EnableKeyRotation: true}, {}]
            """)
        let source = imported.source
        #expect(source.contains("""
                        // DeletionPolicy: Ref: `deletionPolicy` takes Delete, Retain, Snapshot or RetainExceptOnCreate
                        .overrideAttribute("DeletionPolicy", policy.ref.json)
                        // Version: no method of the handle writes it
                        .overrideAttribute("Version", "1.0")
            """), "\(source)")
        #expect(source.contains("""
                    stack.add("Cond", RawResource(type: "AWS::KMS::Key"))
                        // Properties: Fn::If, not a map: written as it is
                        .overrideAttribute("Properties", .fn(.if("C", ["EnableKeyRotation": true], [:])))
            """), "\(source)")
        #expect(imported.findings.isEmpty)
    }

    @Test func valuesTheTypedFormCannotHoldAreWrittenRawWithTheReason() throws {
        let imported = try Self.swift("""
            Conditions: {C: !Equals [a, b]}
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  VersioningConfiguration: !If [C, {Status: Enabled}, !Ref "AWS::NoValue"]
                  BucketName: 42
                  NotAProperty: x
              Thing:
                Type: Custom::Thing
                Properties: {ServiceToken: !GetAtt Bucket.Arn}
            """)
        let source = imported.source
        #expect(source.contains("// VersioningConfiguration: Fn::If where the schema has `VersioningConfiguration` object: the typed form holds no token"), "\(source)")
        #expect(source.contains(#".overrideProperty(["VersioningConfiguration"], .fn(.if("C", ["Status": "Enabled"], .fn(.ref("AWS::NoValue")))))"#))
        #expect(source.contains("// BucketName: the number 42 where the schema has string"))
        #expect(source.contains(#".overrideProperty(["BucketName"], 42)"#))
        #expect(source.contains("// NotAProperty: not a property of Bucket in the registry schema"))
        #expect(source.contains("// Custom::Thing stays raw: a custom resource: its properties are the provider's, with no registry schema"))
        #expect(source.contains(#"stack.add("Thing", RawResource(type: "Custom::Thing", properties: ["ServiceToken": bucket.arn.json]))"#))
        #expect(imported.typedResources == 1 && imported.rawResources == 1 && imported.rawProperties == 3)
    }

    /// A template written for `aws cloudformation package` (`Code: ./src`) stays typed: Code's
    /// members are all optional, so an empty Code is written with the path over it.
    @Test func aLocalCodePathKeepsTheFunctionTyped() throws {
        let imported = try Self.swift("""
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties: {AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}}
              Fn:
                Type: AWS::Lambda::Function
                Properties: {Code: ./src, Handler: index.handler, Runtime: python3.13, Role: !GetAtt Role.Arn}
            """)
        let source = imported.source
        #expect(source.contains("code: .init(),"), "\(source)")
        #expect(source.contains(#".overrideProperty(["Code"], "./src")"#), "\(source)")
        #expect(source.contains("// Code: the string \"./src\" where the schema has `Code` object"), "\(source)")
        #expect(imported.typedResources == 2 && imported.rawResources == 0 && imported.rawProperties == 1)
    }

    @Test func parametersOutputsExportsMetadataTransform() throws {
        let imported = try Self.swift("""
            Description: A demo
            Metadata: {Team: a}
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Vpc: {Type: "AWS::EC2::VPC::Id", Description: where}
              Secret: {Type: String, NoEcho: true, MinLength: 8, AllowedPattern: "[a-z]+"}
              Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"}
            Resources:
              Key: {Type: AWS::KMS::Key}
            Outputs:
              KeyArn:
                Description: The key
                Value: !GetAtt Key.Arn
                Export: {Name: !Sub "${AWS::StackName}-key"}
            Rules:
              R: {Assertions: []}
            """)
        let source = imported.source
        #expect(source.contains(#"let stack = app.stack(name, description: "A demo")"#), "\(source)")
        #expect(source.contains(#"stack.metadata = ["Team": "a"]"#))
        #expect(source.contains(#"stack.transform = "AWS::Serverless-2016-10-31""#))
        #expect(source.contains(#"stack.parameter("Vpc", type: .vpcId, description: "where")"#))
        #expect(source.contains(#"stack.parameter("Secret", type: .string, noEcho: true, allowedPattern: "[a-z]+", minLength: 8)"#), "\(source)")
        #expect(source.contains(#"stack.parameter("Ami", type: ParameterType<String>("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"))"#))
        #expect(source.contains(#"stack.output("KeyArn", key.arn, description: "The key", exportName: "\(AWS.stackName)-key")"#), "\(source)")
        #expect(source.contains(#"stack.rules = ["R": ["Assertions": []]]"#))
        #expect(imported.findings.isEmpty)
    }

    @Test func theSameTemplateGivesTheSameBytes() throws {
        let text = Self.base + "      Properties: {LogGroupName: !Sub \"/a/${Env}\", KmsKeyId: !GetAtt Key.Arn}\n"
        #expect(try Self.swift(text).source == Self.swift(text).source)
    }

    @Test func multiLineTextIsAMultiLineLiteral() throws {
        let imported = try Self.swift(Self.base + """
                  Properties:
                    LogGroupName: !Sub |
                      #!/bin/bash
                      echo "${Env}" \\ done
            """)
        // The multi-line literal's lines are indented as its closing delimiter is; `\` is escaped,
        // and the line the YAML block ends with has no line break (the document ends there).
        let expected = [
            #"            logGroupName: """"#,
            #"            #!/bin/bash"#,
            #"            echo "\(env.ref)" \\ done"#,
            #"            """"#,
            #"        ))"#,
        ].joined(separator: "\n")
        #expect(imported.source.contains(expected), "\(imported.source)")
    }
}
