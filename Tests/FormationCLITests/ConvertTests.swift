import Foundation
import Formation
import Testing

/// `formation convert`: any template, long or short form, to the other format, same meaning.
@Suite struct ConvertTests {
    static let shortForm = """
        AWSTemplateFormatVersion: "2010-09-09"
        Description: Short and long forms mixed, as cfn-flip reads them
        Parameters:
          Env:
            Type: String
            AllowedValues: [dev, prd]
        Conditions:
          IsProd: !Equals [!Ref Env, prd]
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              EnableKeyRotation: yes
              Description: 'yes'
          Logs:
            Type: AWS::Logs::LogGroup
            Condition: IsProd
            Properties:
              KmsKeyId: !GetAtt Key.Arn
              KeyId: !GetAtt [Key, KeyId]
              LongForm:
                Fn::GetAtt: [Key, Arn]
              LogGroupName: !Sub "/app/${Env}/${AWS::Region}"
              Joined: !Join ["-", [!Ref Env, !Select [0, !GetAZs ""]]]
              Retention: !If [IsProd, 365, 30]
              Imported: !ImportValue SharedExport
              Script: |
                line one
                line two
        Outputs:
          Arn:
            Value: !GetAtt Logs.Arn
        """

    @Test func yamlShortFormToJSONAndBack() throws {
        let dir = try TemporaryDirectory()
        try dir.write("in.yaml", Self.shortForm)
        let json = try CLI.app("convert", dir.path + "/in.yaml", "--to", "json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stderr.isEmpty)
        #expect(json.stdout.hasPrefix("{\n"))
        #expect(json.stdout.contains("\"Fn::GetAtt\": [\n"))
        #expect(json.stdout.contains("\"Fn::Equals\""))
        #expect(!json.stdout.contains("!GetAtt"))
        let original = try TemplateDocument.parse(Self.shortForm)
        #expect(try TemplateDocument.parse(json.stdout) == original)
        #expect(try TemplateDocument.parse(json.stdout)["Resources"]?["Key"]?["Properties"]?["EnableKeyRotation"] == .bool(true))

        try dir.write("out.json", json.stdout)
        let yaml = try CLI.app("convert", dir.path + "/out.json", "--to", "yaml")
        #expect(yaml.status == 0, "\(yaml)")
        #expect(yaml.stderr.isEmpty)
        #expect(yaml.stdout.contains("KmsKeyId: !GetAtt Key.Arn"))
        #expect(yaml.stdout.contains("Description: 'yes'"))
        #expect(!yaml.stdout.contains("Fn::"))
        #expect(try TemplateDocument.parse(yaml.stdout) == original)
    }

    @Test func readsStandardInput() throws {
        let result = try CLI.app("convert", "-", "--to", "json", stdin: Self.shortForm)
        #expect(result.status == 0, "\(result)")
        #expect(try TemplateDocument.parse(result.stdout) == TemplateDocument.parse(Self.shortForm))
    }

    @Test func malformedInputReportsFileLineColumn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", "Resources:\n  A:\n    Type: !Ref\n  - broken\n")
        let result = try CLI.app("convert", dir.path + "/bad.yaml", "--to", "json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.range(of: "^" + NSRegularExpression.escapedPattern(for: dir.path + "/bad.yaml") + #":4:\d+: error: "#,
                                    options: .regularExpression) != nil, "\(result)")

        let stdin = try CLI.app("convert", "-", "--to", "yaml", stdin: "{\"a\": [1, 2,]}")
        #expect(stdin.status == 1)
        #expect(stdin.stderr.hasPrefix("<stdin>:1:"), "\(stdin)")
    }

    @Test func missingFileIsAnError() throws {
        let result = try CLI.app("convert", "/nonexistent.yaml", "--to", "json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot read '/nonexistent.yaml'"))
    }

    /// convert validates as validate --template does: an invalid template is not converted,
    /// a rule finding is printed and does not stop it, --no-validate converts anyway.
    @Test func invalidTemplatesAreNotConverted() throws {
        let dir = try TemporaryDirectory()
        try dir.write("typo.yaml", "Resources:\n  B:\n    Type: AWS::S3::Buckett\n")
        let refused = try CLI.run(CLI.formation, ["convert", "typo.yaml", "--to", "json"], in: dir.path)
        #expect(refused.status == 1 && refused.stdout.isEmpty, "\(refused)")
        #expect(refused.stderr.contains("typo.yaml:3:5: error FM3000 B: type AWS::S3::Buckett is not a CloudFormation resource type; did you mean AWS::S3::Bucket?"), "\(refused)")
        #expect(refused.stderr.contains("error: typo.yaml is not a valid template: not converted (--no-validate converts it anyway)\n"), "\(refused)")
        let forced = try CLI.run(CLI.formation, ["convert", "typo.yaml", "--to", "json", "--no-validate"], in: dir.path)
        #expect(forced.status == 0 && forced.stdout.contains("AWS::S3::Buckett"), "\(forced)")
        try dir.write("open.yaml", """
            Resources:
              G:
                Type: AWS::EC2::SecurityGroup
                Properties: {GroupDescription: g, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}

            """)
        let finding = try CLI.run(CLI.formation, ["convert", "open.yaml", "--to", "json"], in: dir.path)
        #expect(finding.status == 0 && finding.stdout.contains("\"CidrIp\": \"0.0.0.0/0\""), "\(finding)")
        #expect(finding.stderr.contains("error FM4801"), "\(finding)")
    }
}
