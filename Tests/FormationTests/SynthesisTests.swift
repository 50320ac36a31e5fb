import Testing
@testable import Formation

/// A small app with every section, used by several tests.
func sampleApp() -> App {
    let app = App(schemas: .empty)
    let stack = app.stack("Sample-dev", description: "sample", environment: "dev")
    let env = stack.parameter("Env", type: .string, default: "dev", allowedValues: ["dev", "prd"])
    let subnets = stack.parameter("SubnetIds", type: .subnetIds)
    let isProd = stack.condition("IsProd", Fn.equals(env.ref, Value<String>("prd")))
    let regions = stack.mapping("RegionMap", ["us-east-1": ["Name": "virginia"]])
    let key = stack.add("Key", RawResource(type: "AWS::KMS::Key", properties: ["EnableKeyRotation": true])).retainOnDelete()
    let logs = stack.node("Logs")
    let group = logs.add("Default", RawResource(type: "AWS::Logs::LogGroup", properties: [
        "KmsKeyId": key.getAtt("Arn").json,
        "RetentionInDays": Fn.if(isProd, Value<Int>.literal(365), .literal(30)).json,
        "LogGroupName": Value<String>("/x/\(env.ref)/${literal}").json,
        "Region": regions.find(AWS.region, "Name").json,
        "Subnet": Fn.select(0, subnets.ref).json,
    ])).dependsOn(key)
    stack.output("GroupName", group.ref, description: "the group", exportName: "Sample-dev-GroupName")
    stack.output("Subnets", list: subnets.ref)
    return app
}

@Suite struct SynthesisTests {
    @Test func twoSynthesesProduceIdenticalBytes() throws {
        for format in TemplateFormat.allCases {
            let first = try #require(sampleApp().synthesize().first).render(format).text
            let second = try #require(sampleApp().synthesize().first).render(format).text
            let app = sampleApp()
            let third = try #require(app.synthesize().first).render(format).text
            let fourth = try #require(app.synthesize().first).render(format).text
            #expect(first == second)
            #expect(first == third)
            #expect(third == fourth)
            #expect(first.hasSuffix("\n") && !first.contains("\r"))
        }
    }

    @Test func sampleTemplateHasEverySectionInCanonicalOrder() throws {
        let synthesis = try #require(sampleApp().synthesize().first)
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        let expected = """
        AWSTemplateFormatVersion: '2010-09-09'
        Description: sample
        Parameters:
          Env:
            Type: String
            Default: dev
            AllowedValues:
            - dev
            - prd
          SubnetIds:
            Type: List<AWS::EC2::Subnet::Id>
        Mappings:
          RegionMap:
            us-east-1:
              Name: virginia
        Conditions:
          IsProd: !Equals
          - !Ref Env
          - prd
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              EnableKeyRotation: true
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
          Logs:
            Type: AWS::Logs::LogGroup
            Properties:
              KmsKeyId: !GetAtt Key.Arn
              RetentionInDays: !If
              - IsProd
              - 365
              - 30
              LogGroupName: !Sub /x/${Env}/${!literal}
              Region: !FindInMap
              - RegionMap
              - !Ref AWS::Region
              - Name
              Subnet: !Select
              - 0
              - !Ref SubnetIds
            DependsOn:
            - Key
        Outputs:
          GroupName:
            Description: the group
            Value: !Ref Logs
            Export:
              Name: Sample-dev-GroupName
          Subnets:
            Value: !Join
            - ','
            - !Ref SubnetIds

        """
        #expect(try synthesis.render(.yaml).text == expected)
    }
}

@Suite struct InterpolationTests {
    let app = App(schemas: .empty)

    @Test func literalTextStaysLiteral() {
        let value: Value<String> = "plain ${text} \(42)"
        #expect(value == .literal("plain ${text} 42"))
    }

    @Test func aLoneTokenIsTheTokenItself() {
        let stack = app.stack("S")
        let key = stack.add("Key", RawResource(type: "AWS::KMS::Key"))
        let value: Value<String> = "\(key.ref)"
        #expect(value.tokenValue?.intrinsic == .ref("Key"))
    }

    @Test func tokensBuildOneSubWithEscapedLiteralDollarBraces() {
        let stack = app.stack("S")
        let group = stack.add("Group", RawResource(type: "AWS::Logs::LogGroup"))
        let value: Value<String> = "arn:\(AWS.partition):logs:\(AWS.region):\(AWS.accountId):log-group:\(group.ref):*:${x}:\(group.getAtt("Arn"))"
        #expect(value.tokenValue?.intrinsic == .sub(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*:${!x}:${Group.Arn}", nil))
    }

    @Test func otherFunctionsBecomeSubVariables() {
        let imported = Fn.importValue("Shared-VpcId")
        let value: Value<String> = "vpc=\(imported);region=\(AWS.region)"
        #expect(value.tokenValue?.intrinsic == .sub("vpc=${Var0};region=${AWS::Region}", ["Var0": .fn(.importValue("Shared-VpcId"))]))
    }

    @Test func nestedSubsAreSplicedNotNested() {
        let inner: Value<String> = "\(AWS.stackName)-inner"
        let outer: Value<String> = "\(inner)/outer"
        #expect(outer.tokenValue?.intrinsic == .sub("${AWS::StackName}-inner/outer", nil))
    }
}

@Suite struct SubEscapingTests {
    @Test(arguments: [
        ("", ""), ("plain", "plain"), ("${x}", "${!x}"), ("$${", "$${!"), ("${${", "${!${!"), ("$ {", "$ {"),
        ("é${ü}€", "é${!ü}€"), ("{$", "{$"), ("${!x}", "${!!x}"), ("$", "$"),
    ])
    func literalDollarBracesAreEscaped(_ text: String, _ escaped: String) {
        #expect(text.escapedForSub == escaped)
    }
}
