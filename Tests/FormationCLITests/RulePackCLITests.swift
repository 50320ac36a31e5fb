import Foundation
import Formation
import Stacks
import Testing
@testable import FormationCLI

/// `formation validate --template` with the rule pack: findings apart from validity, `--fail-on`.
@Suite struct RulePackCLITests {
    /// A valid bucket no policy restricts to TLS: one warning finding (FM4903).
    static let plainBucket = "Resources:\n  Data: {Type: AWS::S3::Bucket}\n"
    /// A valid security group open to SSH from anywhere: one error finding (FM4801).
    static let openSSH = """
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: ssh
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
        """

    @Test func findingsFailAtOrAboveFailOn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bucket.yaml", Self.plainBucket)
        try dir.write("ssh.yaml", Self.openSSH)
        let bucket = dir.path + "/bucket.yaml", ssh = dir.path + "/ssh.yaml"

        let warning = try CLI.run(CLI.formation, ["validate", "--template", bucket])
        #expect(warning.status == 0, "\(warning)")
        #expect(warning.stderr.contains("\(bucket):2:3: warning FM4903 Data: no bucket policy of the template denies requests without TLS"), "\(warning)")
        let failOnWarning = try CLI.run(CLI.formation, ["validate", "--template", bucket, "--fail-on", "warning"])
        #expect(failOnWarning.status == 1, "\(failOnWarning)")
        let strict = try CLI.run(CLI.formation, ["validate", "--template", bucket, "--strict"])
        #expect(strict.status == 1, "\(strict)")

        let error = try CLI.run(CLI.formation, ["validate", "--template", ssh])
        #expect(error.status == 1, "\(error)")
        #expect(error.stderr.contains("\(ssh):6:30: error FM4801 Sg: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 22 (SSH)"), "\(error)")
        let failOnInfo = try CLI.run(CLI.formation, ["validate", "--template", ssh, "--fail-on", "info"])
        #expect(failOnInfo.status == 1, "\(failOnInfo)")

        let bad = try CLI.run(CLI.formation, ["validate", "--template", bucket, "--fail-on", "fatal"])
        #expect(bad.status == 2, "\(bad)")
    }

    @Test func validityErrorsFailWhateverFailOnSays() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: -5}}\n")
        let result = try CLI.run(CLI.formation, ["validate", "--template", dir.path + "/bad.yaml", "--fail-on", "error"])
        #expect(result.status == 1, "\(result)")
    }

    /// The README's rule table is what `formation rules --format markdown` prints.
    @Test func theReadmeRuleTableIsTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- rules:begin -->\n")), end = try #require(readme.range(of: "<!-- rules:end -->"))
        let listed = try CLI.run(CLI.formation, ["rules", "--format", "markdown"])
        #expect(listed.status == 0)
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == listed.stdout)
        let text = try CLI.run(CLI.formation, ["rules"])
        #expect(text.stdout.hasPrefix("ID      SEVERITY  WHAT\nFM4001  error     IAM policy allows `*` or `service:*` actions\n"), "\(text)")
        let tsv = try CLI.run(CLI.formation, ["rules", "--format", "tsv"])
        #expect(tsv.stdout.split(separator: "\n").map { $0.split(separator: "\t").count } == Array(repeating: 5, count: 76), "\(tsv)")
    }

    /// `formation rules ID…` shows those rules in full, with the other tools' IDs whose
    /// suppressions apply to them; JSON lists the same; an unknown ID is a usage error naming
    /// the closest one.
    @Test func namedRulesAreShownInFull() throws {
        let two = try CLI.run(CLI.formation, ["rules", "FM4242", "FM4801"])
        #expect(two.status == 0, "\(two)")
        #expect(two.stdout.hasPrefix("FM4242 (warning): load balancer listener accepts TLS below 1.2\n  why: TLS 1.0 and 1.1"), "\(two)")
        #expect(two.stdout.contains("  also suppressed by: checkov CKV_AWS_103\n\nFM4801 (error): "), "\(two)")
        #expect(two.stdout.hasSuffix("  also suppressed by: cfn_nag W2, checkov CKV_AWS_24, checkov CKV_AWS_25\n"), "\(two)")

        let json = try CLI.run(CLI.formation, ["rules", "--format", "json"])
        let rules = try #require(JSONParser.parse(json.stdout).listValue)
        #expect(rules.count == 76)
        let wildcard = try #require(rules.first { $0["id"] == "FM4002" })
        #expect(wildcard["severity"] == "error" && wildcard["suppressedBy"] == ["cfn_nag W11", "cfn_nag W12"])

        let unknown = try CLI.run(CLI.formation, ["rules", "FM4O01", "FM4242"])
        #expect(unknown.status == 2 && unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("error: FM4O01 is not a rule of this app; did you mean FM4001?"), "\(unknown)")
    }

    @Test func rulesShowTheSeverityInEffect() {
        let app = App(rules: FormationApp.rules)
        app.configureRule("FM4903", .severity(.info))
        app.configureRule("FM4801", .off)
        app.configureRule("FM48O1", .off)
        let tsv = RulesCommand.render(app, format: .tsv).split(separator: "\n").map { $0.split(separator: "\t").prefix(2).joined(separator: " ") }
        #expect(tsv.contains("FM4903 info") && tsv.contains("FM4801 off") && tsv.contains("FM4902 warning"))
        #expect(app.diagnostics.map(\.description) == [
            "error FM1117 app: configureRule: \"FM48O1\" is not a rule of this app; did you mean FM4801?",
        ])
    }

    @Test func reporterSeparatesFindingsFromValidity() {
        let reporter = Reporter(quiet: true)
        reporter.isFinding = { $0.code.hasPrefix("FM48") }
        let finding = Diagnostic.error("FM4801", path: "t", "open")
        let lowered = finding.with(severity: .warning)
        let info = finding.with(severity: .info)
        let invalid = Diagnostic.error("FM3004", path: "t", "bad")
        let validityWarning = Diagnostic.warning("FM3000", path: "t", "macro")
        #expect(reporter.fails([finding]) && reporter.fails([invalid]))
        #expect(!reporter.fails([lowered, info, validityWarning]))
        reporter.failOn = .warning
        #expect(reporter.fails([lowered]) && !reporter.fails([info, validityWarning]))
        reporter.failOn = .info
        #expect(reporter.fails([info]))
        let strict = Reporter(quiet: true, strict: true)
        strict.isFinding = reporter.isFinding
        #expect(strict.fails([lowered]) && strict.fails([validityWarning]) && !strict.fails([info]))
    }
}
