import Formation
import FormationResources
import FormationTemplate
import Testing
@testable import FormationConstructs

/// Suppressions of rule findings with a reason: Formation's own (Swift and Metadata), cfn-lint's,
/// cfn_nag's and checkov's keys where the rule is the same, and what is wrong with them.
@Suite struct SuppressionTests {
    func messages(_ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml))
        let app = App(schemas: .empty, rules: RulePack.rules)
        return app.validate(template, ValidationContext(stackPath: "t.yaml", schemas: .empty)).map(\.description)
    }

    static let readAnyObject = """
          PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
          PolicyName: read
          Roles: [r]
    """

    @Test func formationsOwnSuppressionNeedsAReasonAndAMatch() throws {
        let unsuppressed = try messages("Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n" + Self.readAnyObject)
        #expect(unsuppressed.count == 1 && unsuppressed[0].hasPrefix("error FM4002 t.yaml/P: "), "\(unsuppressed)")
        #expect(try messages("""
            Resources:
              P:
                Type: AWS::IAM::Policy
                Metadata: {formation: {suppress: [{id: FM4002, reason: "the bucket name is only known at run time"}, {id: FM4801, reason: "not here"}]}}
                Properties:
            """ + "\n" + Self.readAnyObject) == [
            "warning FM1120 t.yaml/P: Metadata: the suppression of FM4801 matches no finding of this resource; remove it",
        ])
        #expect(try messages("""
            Resources:
              P:
                Type: AWS::IAM::Policy
                Metadata: {formation: {suppress: [{id: FM4002}, {id: FM4011, reason: typo}, oops]}}
                Properties:
            """ + "\n" + Self.readAnyObject).map { $0.replacingOccurrences(of: "\n", with: " ") } == [
            "error FM4002 t.yaml/P: PolicyDocument.Statement[0].Resource: \"*\" for s3:GetObject, which accepts resource ARNs; name their ARNs",
            "error FM1121 t.yaml/P: Metadata.formation.suppress[0]: the suppression of FM4002 has no reason; say why the finding does not apply",
            "error FM1117 t.yaml/P: Metadata.formation.suppress[1].id: FM4011 is not a rule of this app; did you mean FM4001?",
            "error FM1121 t.yaml/P: Metadata.formation.suppress[2]: expected {id: FMxxxx, reason: why}, found \"oops\"",
        ])
        #expect(try messages("""
            Resources:
              P:
                Type: AWS::IAM::Policy
                Metadata: {formation: {suppress: yes}}
                Properties:
            """ + "\n" + Self.readAnyObject).contains("error FM1121 t.yaml/P: Metadata.formation.suppress: expected a list of {id, reason}, found boolean"))
    }

    @Test func otherToolsKeysSuppressTheSameRules() throws {
        // cfn_nag's W12 is "IAM policy should not allow * resource": FM4002.
        #expect(try messages("""
            Resources:
              P:
                Type: AWS::IAM::Policy
                Metadata: {cfn_nag: {rules_to_suppress: [{id: W12, reason: "reads any object"}, {id: W58, reason: "not ours"}]}}
                Properties:
            """ + "\n" + Self.readAnyObject) == [])
        // checkov's CKV_AWS_24 (SSH open to the world): FM4801; another ID changes nothing.
        let group = """
                Type: AWS::EC2::SecurityGroup
                Properties: {GroupDescription: g, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}
            """
        #expect(try messages("Resources:\n  G:\n    Metadata: {checkov: {skip: [{id: CKV_AWS_24, comment: bastion}]}}\n" + group) == [])
        let other = try messages("Resources:\n  G:\n    Metadata: {checkov: {skip: [{id: CKV_AWS_23}]}}\n" + group)
        #expect(other.count == 1 && other[0].hasPrefix("error FM4801 t.yaml/G: "), "\(other)")
        // cfn-lint's W2531 (EOL runtime) in the template's Metadata applies to every resource.
        let function = """
            Resources:
              F:
                Type: AWS::Lambda::Function
                Properties: {Runtime: python3.8, Handler: h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
            """
        let eol = try messages(function)
        #expect(eol.contains { $0.contains("FM4503") || $0.contains("FM4502") }, "\(eol)")
        let ignored = try messages("Metadata: {cfn-lint: {config: {ignore_checks: [W2531, E2531, E2533]}}}\n" + function)
        #expect(!ignored.contains { $0.contains("FM4502") || $0.contains("FM4503") }, "\(ignored)")
    }

    /// Other tools' keys in a shape Formation cannot read are a warning each, naming the key
    /// and the value, and are ignored; readable entries beside them still apply.
    @Test func otherToolsKeysFormationCannotReadAreWarnings() throws {
        let found = try messages("""
            Resources:
              P:
                Type: AWS::IAM::Policy
                Metadata:
                  cfn_nag: {rules_to_suppress: [oops, {id: W12, reason: "reads any object"}]}
                  checkov: 7
                  bridgecrew: {skip: {id: CKV_AWS_24}}
                  cfn-lint: {config: {ignore_checks: W2531}}
                Properties:
            """ + "\n" + Self.readAnyObject)
        #expect(found == [
            "warning FM1121 t.yaml/P: Metadata.cfn-lint.config.ignore_checks: expected a list of rule IDs, found \"W2531\"; Formation ignores it",
            "warning FM1121 t.yaml/P: Metadata.cfn_nag.rules_to_suppress[0]: expected {id, reason}, found \"oops\"; Formation ignores it",
            "warning FM1121 t.yaml/P: Metadata.checkov: expected {skip: [{id, comment}]}, found 7; Formation ignores it",
            "warning FM1121 t.yaml/P: Metadata.bridgecrew.skip: expected a list of {id, comment}, found {\"id\": \"CKV_AWS_24\"}; Formation ignores it",
        ], "\(found)")
    }

    @Test func theSwiftSuppressionIsWrittenIntoTheTemplate() throws {
        let app = App(schemas: .empty, rules: RulePack.rules)
        let stack = app.stack("S")
        stack.add("P", RawResource(type: "AWS::IAM::Policy", properties: [
            "PolicyName": "read", "Roles": ["r"],
            "PolicyDocument": ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"]]],
        ])).suppress("FM4002", reason: "the bucket is chosen at run time")
        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        #expect(synthesis.template.resources["P"]?["Metadata"] == [
            "formation": ["suppress": [["id": "FM4002", "reason": "the bucket is chosen at run time"]]],
        ])
        let empty = App(schemas: .empty, rules: RulePack.rules).stack("E")
        empty.add("T", RawResource(type: "AWS::SNS::Topic")).suppress("FM4002", reason: " ")
        #expect(empty.synthesize().diagnostics.map(\.description) == [
            "error FM1121 E/T: suppress(\"FM4002\"): a suppression needs a reason; say why the finding does not apply",
        ])
    }
}
