import Testing
@testable import FormationTemplate

/// A realistic multi-resource template in YAML with short forms, long forms and nesting.
let realTemplate = """
AWSTemplateFormatVersion: "2010-09-09"
Description: VPC with two public subnets and a web server
Parameters:
  EnvironmentName:
    Type: String
    AllowedValues: [dev, prd]
  KeyName:
    Type: AWS::EC2::KeyPair::KeyName
Conditions:
  IsProd: !Equals [!Ref EnvironmentName, prd]
  IsNotProd: !Not [!Condition IsProd]
Mappings:
  RegionMap:
    us-east-1: {Ami: ami-0abcdef1234567890}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: yes
      Tags:
        - Key: Name
          Value: !Sub "${EnvironmentName}-vpc"
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Select [0, !GetAZs ""]
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId:
        Ref: Vpc
      AvailabilityZone:
        Fn::Select:
          - 1
          - Fn::GetAZs: !Ref AWS::Region
      CidrBlock: !Select [1, !Cidr [!GetAtt [Vpc, CidrBlock], 2, 8]]
  Server:
    Type: AWS::EC2::Instance
    DependsOn: SubnetA
    Condition: IsProd
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", Ami]
      KeyName: !If [IsProd, !Ref KeyName, !Ref "AWS::NoValue"]
      SubnetId: !Ref SubnetA
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash
          echo ${EnvironmentName} > /etc/env
Outputs:
  SubnetIds:
    Value: !Join [",", [!Ref SubnetA, !Ref SubnetB]]
    Export:
      Name: !Sub "${AWS::StackName}-Subnets"
"""

@Suite struct ParseTests {
    @Test func realTemplateWithShortFormsParses() throws {
        let template = try Template(document: try YAMLParser.parse(realTemplate, file: "vpc.yaml"))
        #expect(template.root["AWSTemplateFormatVersion"] == "2010-09-09")
        #expect(template.resources.keys == ["Vpc", "SubnetA", "SubnetB", "Server"])
        #expect(template.conditions["IsProd"] == .fn(.equals(.fn(.ref("EnvironmentName")), "prd")))
        #expect(template.conditions["IsNotProd"] == .fn(.not(.fn(.condition("IsProd")))))

        let vpc = try #require(template.resource("Vpc"))
        #expect(vpc.properties["EnableDnsSupport"] == .bool(true))
        #expect(vpc.properties["Tags"] == [["Key": "Name", "Value": .fn(.sub("${EnvironmentName}-vpc", nil))]])

        let a = try #require(template.resource("SubnetA"))
        let b = try #require(template.resource("SubnetB"))
        #expect(a.properties["AvailabilityZone"] == .fn(.select(0, .fn(.getAZs("")))))
        #expect(b.properties["AvailabilityZone"] == .fn(.select(1, .fn(.getAZs(.fn(.ref("AWS::Region")))))))
        #expect(a.properties["VpcId"] == b.properties["VpcId"])
        // `!GetAtt Vpc.CidrBlock` and `!GetAtt [Vpc, CidrBlock]` read into the same model.
        #expect(a.properties["CidrBlock"] == .fn(.select(0, .fn(.cidr(.fn(.getAtt("Vpc", "CidrBlock")), 2, 8)))))
        #expect(b.properties["CidrBlock"] == .fn(.select(1, .fn(.cidr(.fn(.getAtt("Vpc", "CidrBlock")), 2, 8)))))

        let server = try #require(template.resource("Server"))
        #expect(server.dependsOn == ["SubnetA"])
        #expect(server.condition == "IsProd")
        #expect(server.properties["ImageId"] == .fn(.findInMap("RegionMap", .fn(.ref("AWS::Region")), "Ami")))
        #expect(server.properties["KeyName"] == .fn(.if("IsProd", .fn(.ref("KeyName")), .fn(.ref("AWS::NoValue")))))
        #expect(server.properties["UserData"] == .fn(.base64(.fn(.sub("#!/bin/bash\necho ${EnvironmentName} > /etc/env\n", nil)))))

        #expect(template.outputs["SubnetIds"]?["Value"] == .fn(.join(",", [.fn(.ref("SubnetA")), .fn(.ref("SubnetB"))])))
        #expect(template.outputs["SubnetIds"]?["Export"]?["Name"] == .fn(.sub("${AWS::StackName}-Subnets", nil)))

        // And it survives YAML → JSON → YAML unchanged.
        let json = try JSONEmitter.emit(template)
        #expect(try JSONParser.parse(json) == template.document)
        #expect(try YAMLParser.parse(try YAMLEmitter.emit(template)) == template.document)
    }

    @Test func plainScalarsResolveAsYAML11() throws {
        let parsed = try YAMLParser.parse("""
        a: yes
        b: Off
        c: 0x1F
        d: 017
        e: 1.5
        f: ~
        g: 2012-10-17
        h: '0123'
        i: !!str 123
        j: 1_000
        k: .inf
        l: 1e3
        m: null
        n: ""
        """)
        #expect(parsed == [
            "a": true, "b": false, "c": 31, "d": 15, "e": 1.5, "f": nil, "g": "2012-10-17",
            "h": "0123", "i": "123", "j": 1000, "k": .double(.infinity), "l": "1e3", "m": nil, "n": "",
        ])
    }

    @Test func anchorsAndAliasesExpand() throws {
        let parsed = try YAMLParser.parse("base: &tags [a, b]\ncopy: *tags\n")
        #expect(parsed == ["base": ["a", "b"], "copy": ["a", "b"]])
    }

    @Test func unknownShortFormKeepsLongForm() throws {
        // A Rules function (no case in the model) is kept in its long form.
        let parsed = try YAMLParser.parse("V: !Contains [[a], a]\n")
        #expect(parsed == ["V": ["Fn::Contains": [["a"], "a"]]])
    }

    @Test func yamlSyntaxErrorGivesFileLineAndColumn() {
        #expect(throws: TemplateError.syntax(file: "bad.yaml", line: 3, column: 2,
                                             message: "invalid YAML: did not find expected key (while parsing a block mapping)")) {
            try YAMLParser.parse("Resources:\n  A: 1\n B: 2\n", file: "bad.yaml")
        }
    }

    /// From cfn-lint 1.58.0's bad/duplicate.json: json-c keeps the last of two equal keys, so
    /// one resource vanished without a word.
    @Test func jsonDuplicateKeyIsAnError() throws {
        #expect(throws: TemplateError.syntax(file: "dup.json", line: 4, column: 3, message: "duplicate key \"Topic\" in an object")) {
            try JSONParser.parse("{\"Resources\": {\n  \"Topic\": {\"Type\": \"AWS::SNS::Topic\"},\n  \"Queue\": {\"Type\": \"AWS::SQS::Queue\"},\n  \"Topic\": {}}}", file: "dup.json")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 25, message: "duplicate key \"a\" in an object")) {
            try JSONParser.parse(#"[{"a": "x\"}", "c": [], "a": 2}]"#)
        }
        // The same key in different objects, keys that are values, strings holding braces.
        #expect(try JSONParser.parse(#"{"A": {"K": "{"}, "B": {"K": ["K", "K", "}"]}, "K": {"K": {"K": 1}}}"#) ==
                ["A": ["K": "{"], "B": ["K": ["K", "K", "}"]], "K": ["K": ["K": 1]]])
    }

    /// Files saved with a UTF-8 byte order mark (and CRLF line ends) parse like any other.
    @Test func byteOrderMarkIsSkipped() throws {
        let expected: TemplateValue = ["AWSTemplateFormatVersion": "2010-09-09", "Resources": ["T": ["Type": "AWS::SNS::Topic"]]]
        #expect(try YAMLParser.parse("\u{FEFF}AWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  T:\r\n    Type: AWS::SNS::Topic\r\n") == expected)
        #expect(try JSONParser.parse("\u{FEFF}{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}") == expected)
        #expect(try TemplateDocument.parse("\u{FEFF}{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}") == expected)
        // Only at the start: elsewhere it is a character like any other.
        #expect(try YAMLParser.parse("A: \"\u{FEFF}x\"") == ["A": "\u{FEFF}x"])
    }

    /// Aliases are expanded and noted (CloudFormation refuses them); JSON has none.
    @Test func aliasesAreNoted() throws {
        let parsed = try TemplateDocument.parseNotingAliases("A: &tags\n  - x\nB: *tags\nC:\n  D: *tags\n")
        #expect(parsed.value == ["A": ["x"], "B": ["x"], "C": ["D": ["x"]]])
        #expect(parsed.aliases == [YAMLAlias(name: "tags", line: 3, column: 4), YAMLAlias(name: "tags", line: 5, column: 6)])
        #expect(try TemplateDocument.parseNotingAliases("A: &a 1\nB: 2\n").aliases == [])
        #expect(try TemplateDocument.parseNotingAliases("{\"A\": \"*a\"}").aliases == [])
    }

    @Test func yamlDuplicateKeyIsAnError() {
        #expect(throws: TemplateError.syntax(file: "dup.yaml", line: 3, column: 3, message: "duplicate key \"A\" in a mapping")) {
            try YAMLParser.parse("Resources:\n  A: 1\n  A: 2\n", file: "dup.yaml")
        }
    }

    @Test func yamlWithTwoDocumentsIsAnError() {
        #expect(throws: TemplateError.syntax(file: nil, line: 2, column: 1,
                                             message: "the YAML input holds more than one document; a template is one document")) {
            try YAMLParser.parse("a: 1\n---\nb: 2\n")
        }
    }

    @Test func emptyYAMLIsAnError() {
        #expect(throws: TemplateError.syntax(file: "empty.yaml", line: 1, column: 1,
                                             message: "the YAML input is empty; expected a template document")) {
            try YAMLParser.parse("", file: "empty.yaml")
        }
    }

    @Test func jsonSyntaxErrorGivesFileLineAndColumn() {
        #expect(throws: TemplateError.syntax(file: "bad.json", line: 3, column: 3,
                                             message: "invalid JSON: quoted object property name expected")) {
            try JSONParser.parse("{\n  \"a\": 1,\n  ]\n}\n", file: "bad.json")
        }
    }

    @Test func truncatedJSONIsAnError() {
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 10, message: "unexpected end of JSON input")) {
            try JSONParser.parse("{\"a\": [1,")
        }
    }

    @Test func trailingJSONTextIsAnError() {
        #expect(throws: TemplateError.syntax(file: nil, line: 2, column: 1, message: "invalid JSON: unexpected character")) {
            try JSONParser.parse("{}\n{}")
        }
    }

    @Test func malformedIntrinsicStaysAMapForValidationToReport() throws {
        #expect(try JSONParser.parse("{\"Ref\": 5}") == .map(["Ref": 5]))
        #expect(try JSONParser.parse("{\"Fn::GetAtt\": \"NoDot\"}") == .map(["Fn::GetAtt": "NoDot"]))
    }

    @Test func formatDetectionPicksJSONForBraces() throws {
        #expect(try TemplateDocument.parse("  {\"a\": 1}") == ["a": 1])
        #expect(try TemplateDocument.parse("a: 1") == ["a": 1])
    }
}
