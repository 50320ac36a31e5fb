import Foundation
import Formation
import Testing
@testable import FormationCLI

/// Suppressed findings in SARIF (`suppressions`, kind inSource, the reason as justification) and
/// checkov's `# checkov:skip=` comments in template text.
@Suite struct SuppressedResultsTests {
    static let template = """
        Resources:
          Sg:
            # checkov:skip=CKV_AWS_24: bastion host, admitted from anywhere during the migration
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: ssh
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
          Open:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: rdp # checkov:skip=CKV_AWS_23:another check's ID changes nothing
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]
          Topic:
            Type: AWS::SNS::Topic
            Metadata: {formation: {suppress: [{id: FM4205, reason: "alarm names only"}]}}
        Outputs:
          # checkov:skip=CKV_AWS_24:not in a resource, so nothing
          O: {Value: !Ref Topic}
        """

    @Test func checkovCommentsBelongToTheResourceWhoseLinesHoldThem() {
        let skips = Suppressions.checkovComments(in: Self.template, resourceLines: [("Sg", 2), ("Open", 8), ("Topic", 13), ("", 16)])
        #expect(skips.keys.sorted() == ["Open", "Sg"])
        #expect(skips["Sg"]?.map(\.id) == ["CKV_AWS_24"] && skips["Sg"]?.map(\.reason) == ["bastion host, admitted from anywhere during the migration"])
        #expect(skips["Open"]?.map(\.id) == ["CKV_AWS_23"])
        let bare = Suppressions.checkovComments(in: "Resources:\n  A:\n    #checkov:skip=CKV_AWS_24\n", resourceLines: [("A", 2)])
        #expect(bare["A"]?.first?.id == "CKV_AWS_24" && bare["A"]?.first?.reason == "")
    }

    @Test func suppressedFindingsAreSARIFResultsWithTheirReason() throws {
        let dir = try TemporaryDirectory()
        try dir.write("app.yaml", Self.template)
        let file = dir.path + "/app.yaml"
        let text = try CLI.run(CLI.formation, ["validate", "--template", file])
        // Only the RDP finding is left: CKV_AWS_23 is not FM4801's checkov ID.
        #expect(text.status == 1)
        #expect(text.stderr.contains("\(file):12:30: error FM4801 Open: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 3389 (RDP)"), "\(text)")
        #expect(!text.stderr.contains("FM4801 Sg") && !text.stderr.contains("FM4205"), "\(text)")

        let sarif = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "sarif"])
        let results = try #require(JSONParser.parse(sarif.stdout)["runs"]?[0]?["results"]?.listValue)
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(results.count == 3 && suppressed.count == 2)
        let ssh = try #require(suppressed.first { $0["ruleId"] == "FM4801" })
        #expect(ssh["suppressions"]?[0]?["kind"] == "inSource")
        #expect(ssh["suppressions"]?[0]?["justification"] == "bastion host, admitted from anywhere during the migration")
        #expect(ssh["locations"]?[0]?["physicalLocation"]?["region"]?["startLine"] == 7)
        let topic = try #require(suppressed.first { $0["ruleId"] == "FM4205" })
        #expect(topic["suppressions"]?[0]?["justification"] == "alarm names only")
        #expect(results.first { $0["suppressions"] == nil }?["message"]?["text"] == "Open: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 3389 (RDP)")
    }

    /// The JSON document lists each unit's suppressed findings beside its diagnostics, with the
    /// suppression's source and reason, and counts them; JUnit puts them in their resource's
    /// system-out, never as failures; the text summary counts them.
    @Test func suppressedFindingsAreInJSONAndJUnitToo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("app.yaml", Self.template)
        let file = dir.path + "/app.yaml"
        let text = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(text.stderr.contains("failed validation: 1 error, 0 warnings, 2 suppressed"), "\(text)")

        let json = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "json"])
        #expect(json.status == 1)
        let document = try JSONParser.parse(json.stdout)
        #expect(document["suppressed"] == 2 && document["errors"] == 1)
        let unit = try #require(document["units"]?[0])
        #expect(unit["diagnostics"]?.listValue?.compactMap { $0["code"]?.stringValue } == ["FM4801"])
        let suppressed = try #require(unit["suppressed"]?.listValue)
        #expect(suppressed.compactMap { $0["code"]?.stringValue } == ["FM4801", "FM4205"])
        #expect(suppressed[0]["logicalId"] == "Sg" && suppressed[0]["line"] == 7 && suppressed[0]["fails"] == false)
        #expect(suppressed[0]["suppression"]?["source"] == "checkov comment CKV_AWS_24")
        #expect(suppressed[0]["suppression"]?["reason"] == "bastion host, admitted from anywhere during the migration")
        #expect(suppressed[1]["suppression"]?["source"] == "formation FM4205")
        #expect(suppressed[1]["suppression"]?["reason"] == "alarm names only")

        let junit = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "junit"])
        #expect(junit.status == 1)
        // One failure (Open's RDP); Sg's and Topic's findings are suppressed, in system-out.
        #expect(junit.stdout.contains("tests=\"4\" failures=\"1\""), "\(junit.stdout)")
        #expect(junit.stdout.contains("""
            name="Sg" file="file://\(file)">
                  <system-out>suppressed (checkov comment CKV_AWS_24: bastion host, admitted from anywhere during the migration): \(file):7:30: error FM4801 Sg: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 22 (SSH)</system-out>
                </testcase>
            """), "\(junit.stdout)")
        #expect(junit.stdout.contains("<system-out>suppressed (formation FM4205: alarm names only): \(file):"), "\(junit.stdout)")
    }

    /// The repository's stacks keep five rules' findings on purpose, suppressed in Swift
    /// (stacks/RuleDecisions.swift): SARIF shows each as a suppressed result at the resource's
    /// line in the template `synth --out` writes, with the reason.
    @Test func stacksSuppressionsAreSARIFResultsToo() throws {
        let result = try CLI.run(CLI.formation, ["validate", "EksAmiUpdateStack-dev", "--output-format", "sarif"])
        #expect(result.status == 0, "\(result)")
        let results = try #require(JSONParser.parse(result.stdout)["runs"]?[0]?["results"]?.listValue)
        let suppressed = results.filter { $0["suppressions"] != nil }
        // The secret, the topic, four log groups and the detector.
        #expect(suppressed.compactMap { $0["ruleId"]?.stringValue }.sorted() == ["FM4205", "FM4260", "FM4260", "FM4260", "FM4260", "FM4260", "FM4504"])
        let detector = try #require(suppressed.first { $0["ruleId"] == "FM4504" })
        #expect(detector["suppressions"]?[0]?["justification"]?.stringValue?.hasPrefix("a scheduled poll: the next run detects the same new AMI again") == true)
        let location = try #require(detector["locations"]?[0])
        #expect(location["physicalLocation"]?["artifactLocation"]?["uri"] == "EksAmiUpdateStack-dev.template.json")
        #expect(location["logicalLocations"]?[0]?["name"] == "Detector")
        #expect(location["logicalLocations"]?[0]?["fullyQualifiedName"] == "EksAmiUpdateStack-dev/Detector/Default")
    }
}
