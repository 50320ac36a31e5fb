import Testing
@testable import FormationTemplate

@Suite struct EmitTests {
    @Test func jsonUsesTwoSpacesNoSlashEscapesIntegersAndShortestDoubles() throws {
        let value: TemplateValue = [
            "Path": "/aws/bedrock-agentcore/runtimes/agent",
            "Port": 443,
            "Threshold": 0.9,
            "Big": 1e20,
            "Whole": 1.0,
            "Flag": true,
            "Nothing": nil,
            "Ref": .fn(.ref("Key")),
        ]
        let expected = """
        {
          "Path": "/aws/bedrock-agentcore/runtimes/agent",
          "Port": 443,
          "Threshold": 0.9,
          "Big": 1.0e+20,
          "Whole": 1.0,
          "Flag": true,
          "Nothing": null,
          "Ref": {
            "Ref": "Key"
          }
        }

        """
        #expect(try JSONEmitter.emit(value) == expected)
    }

    @Test func yamlUsesShortFormTagsQuotesAmbiguousStringsAndLiteralBlocks() throws {
        let value: TemplateValue = [
            "Resources": [
                "Fn": [
                    "Type": "AWS::Lambda::Function",
                    "Properties": [
                        "Role": .fn(.getAtt("Role", "Arn")),
                        "Name": .fn(.sub("${AWS::StackName}-fn", nil)),
                        "Version": "2012-10-17",
                        "Enabled": "yes",
                        "Octal": "0123",
                        "Code": .map(["ZipFile": "import json\n\ndef handler(event, context):\n    return 1\n"]),
                        "Subnets": .fn(.ref("SubnetIds")),
                        "Zone": .fn(.select(0, .fn(.getAZs("")))),
                        "UserData": .fn(.base64(.fn(.sub("#!/bin/bash\necho hi\n", nil)))),
                        "Empty": "",
                        "Colon": "a: b",
                    ],
                ],
            ],
        ]
        let expected = """
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Role: !GetAtt Role.Arn
              Name: !Sub ${AWS::StackName}-fn
              Version: '2012-10-17'
              Enabled: 'yes'
              Octal: '0123'
              Code:
                ZipFile: |
                  import json

                  def handler(event, context):
                      return 1
              Subnets: !Ref SubnetIds
              Zone: !Select
              - 0
              - !GetAZs ''
              UserData:
                Fn::Base64: !Sub |
                  #!/bin/bash
                  echo hi
              Empty: ''
              Colon: 'a: b'

        """
        #expect(try YAMLEmitter.emit(value) == expected)
    }

    /// Every string a YAML 1.1 reader could take for a bool, null, number or date is quoted.
    @Test(arguments: ["yes", "No", "on", "OFF", "null", "~", "1.0", "0123", "1e3", "0x1F", ".inf", "2012-10-17",
                      "true", "y", "N", "=", "<<", "-1", "+1", "1_000", "12:30"])
    func ambiguousScalarsAreSingleQuoted(_ text: String) throws {
        #expect(try YAMLEmitter.emit(["V": .string(text)]) == "V: '\(text)'\n")
    }

    /// Syntax-level hazards are quoted by libyaml's own analysis.
    @Test(arguments: ["*star", "&a", "!bang", "%p", "@at", "`tick", "a: b", "a #b", "", " lead", "trail ", "- x", "[a]", "{a}"])
    func syntaxHazardsAreQuoted(_ text: String) throws {
        let yaml = try YAMLEmitter.emit(["V": .string(text)])
        #expect(yaml.hasPrefix("V: '") || yaml.hasPrefix("V: \""), "\(yaml)")
    }

    @Test func plainStringsStayPlain() throws {
        #expect(try YAMLEmitter.emit(["V": "arn:aws:iam::123456789012:role/x"]) == "V: arn:aws:iam::123456789012:role/x\n")
        #expect(try YAMLEmitter.emit(["V": "10.0.0.0/16"]) == "V: 10.0.0.0/16\n")
    }

    @Test func lineBreaksThatReadersNormalizeAreEscaped() throws {
        #expect(try YAMLEmitter.emit(["V": "a\r\nb"]) == "V: \"a\\r\\nb\"\n")
    }

    @Test func nonFiniteNumbersCannotBeWrittenAsJSON() {
        #expect(throws: TemplateError.unrepresentable(path: "Resources.X", message: "inf is not a finite number; JSON cannot hold it")) {
            try JSONEmitter.emit(["Resources": ["X": .double(.infinity)]])
        }
    }

    @Test func unwritableValuesDeepInTheTreeAreNamedByTheirPath() {
        #expect(throws: TemplateError.unrepresentable(path: "a[1].b", message: "nan is not a finite number; JSON cannot hold it")) {
            try JSONEmitter.emit(["a": [1, ["b": .double(.nan)]]])
        }
        #expect(throws: TemplateError.unrepresentable(path: "[0][2]", message: "-inf is not a finite number; JSON cannot hold it")) {
            try JSONEmitter.emitCompact([[1, 2, .double(-.infinity)]])
        }
        #expect(throws: TemplateError.unrepresentable(path: "R.Fn::Join[1][0].k\u{0}", message: "map key \"k\\u{0}\" contains a NUL character; JSON object keys written by json-c cannot")) {
            try JSONEmitter.emit(["R": .fn(.join(",", [["k\u{0}": 1]]))])
        }
    }

    @Test func nulInAMapKeyCannotBeWrittenAsJSON() {
        #expect(throws: TemplateError.unrepresentable(path: "a\u{0}b", message: "map key \"a\\u{0}b\" contains a NUL character; JSON object keys written by json-c cannot")) {
            try JSONEmitter.emit(["a\u{0}b": 1])
        }
    }

    @Test func nestedTaggedArgumentUsesLongFormForTheOuterFunction() throws {
        let value: TemplateValue = ["V": .fn(.importValue(.fn(.sub("${Env}-Vpc", nil))))]
        #expect(try YAMLEmitter.emit(value) == "V:\n  Fn::ImportValue: !Sub ${Env}-Vpc\n")
    }

    @Test func getStackOutputWithFunctionsInItsArgumentUsesLongForm() throws {
        let plain: TemplateValue = ["V": .fn(.getStackOutput(["StackName": "producer", "OutputName": "Name"]))]
        #expect(try YAMLEmitter.emit(plain) == "V: !GetStackOutput\n  StackName: producer\n  OutputName: Name\n")
        let nested: TemplateValue = ["V": .fn(.getStackOutput(["StackName": .fn(.ref("Producer")), "OutputName": "Name"]))]
        #expect(try YAMLEmitter.emit(nested) == "V:\n  Fn::GetStackOutput:\n    StackName: !Ref Producer\n    OutputName: Name\n")
        #expect(try YAMLParser.parse(try YAMLEmitter.emit(nested)) == nested)
        #expect(try JSONParser.parse(try JSONEmitter.emit(nested)) == nested)
    }

    @Test func getAttWithDottedResourceUsesListForm() throws {
        let value: TemplateValue = ["V": .fn(.getAtt("A.B", "C"))]
        #expect(try YAMLEmitter.emit(value) == "V: !GetAtt\n- A.B\n- C\n")
    }
}
