import Foundation
import Formation
import Testing
@testable import FormationCLI

/// `formation deploy-args`: the printed `aws cloudformation deploy` command.
@Suite struct DeployArgsTests {
    /// The words a POSIX shell makes of `command` (with `aws` replaced by printf).
    static func shellWords(_ command: String) throws -> [String] {
        let prefix = "aws cloudformation deploy"
        try #require(command.hasPrefix(prefix), "\(command)")
        let script = #"printf '%s\n' aws cloudformation deploy"# + command.dropFirst(prefix.count)
        let result = try CLI.run("/bin/sh", ["-c", script])
        try #require(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func namedIAMNoEchoRequiredAndHostileValues() throws {
        let dir = try TemporaryDirectory()
        let result = try CLI.app("deploy-args", "NamedIam-test", in: dir.path)
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains(CLITestAppValues.secret) && !result.stderr.contains(CLITestAppValues.secret),
                "a NoEcho value was printed")
        let words = try Self.shellWords(result.stdout)
        #expect(words == [
            "aws", "cloudformation", "deploy",
            "--template-file", "out/NamedIam-test.template.json",
            "--stack-name", "NamedIam-test",
            "--capabilities", "CAPABILITY_NAMED_IAM",
            "--parameter-overrides",
            "GitHubAppPrivateKey=<fill in: NoEcho>",
            "NotificationEmail=<fill in>",
            "Greeting=" + CLITestAppValues.hostile,
            "--no-fail-on-empty-changeset",
        ])
        #expect(result.stdout.contains("'GitHubAppPrivateKey=<fill in: NoEcho>'"))
        #expect(result.stderr.contains("note: GitHubAppPrivateKey is NoEcho"))
        #expect(result.stderr.contains("note: NotificationEmail has no Default and no deploy value"))
        #expect(result.stderr.contains("out/NamedIam-test.template.json does not exist yet"))
    }

    @Test func capabilitiesFollowIAMNames() throws {
        let unnamed = try CLI.app("deploy-args", "UnnamedIam-test")
        #expect(unnamed.status == 0, "\(unnamed)")
        let unnamedWords = try Self.shellWords(unnamed.stdout)
        #expect(unnamedWords.contains("CAPABILITY_IAM"))
        #expect(!unnamedWords.contains("CAPABILITY_NAMED_IAM"))

        let none = try CLI.app("deploy-args", "Good-test")
        #expect(none.status == 0)
        let noneWords = try Self.shellWords(none.stdout)
        #expect(!noneWords.contains("--capabilities"))
        // Env has a deploy value; RetentionDays has a Default and none: omitted.
        #expect(noneWords.suffix(3) == ["--parameter-overrides", "Env=test", "--no-fail-on-empty-changeset"])
    }

    @Test func largeTemplatesGetS3BucketAdvice() throws {
        let result = try CLI.app("deploy-args", "Big-test")
        #expect(result.status == 0)
        let words = try Self.shellWords(result.stdout)
        let bucket = try #require(words.firstIndex(of: "--s3-bucket"))
        #expect(words[bucket + 1].hasPrefix("<fill in"))
        #expect(result.stderr.contains("over CloudFormation's 51200-byte inline limit"))
        #expect(!(try Self.shellWords(CLI.app("deploy-args", "Good-test").stdout)).contains("--s3-bucket"))
    }

    @Test func templatePathFollowsFormatOutAndOverride() throws {
        let cases: [([String], String)] = [
            ([], "out/Good-test.template.json"),
            (["--format", "yaml"], "out/Good-test.template.yaml"),
            (["--out", "build/cfn", "--format", "yaml"], "build/cfn/Good-test.template.yaml"),
            (["--template-file", "my dir/t.json"], "my dir/t.json"),
        ]
        for (extra, path) in cases {
            let result = try CLI.run(CLI.testApp, ["deploy-args", "Good-test"] + extra)
            #expect(result.status == 0)
            let words = try Self.shellWords(result.stdout)
            let index = try #require(words.firstIndex(of: "--template-file"))
            #expect(words[index + 1] == path)
        }
    }

    @Test func notesMissingAndStaleTemplateFiles() throws {
        let dir = try TemporaryDirectory()
        let missing = try CLI.app("deploy-args", "Good-test", "--format", "yaml", in: dir.path)
        #expect(missing.stderr.contains("out/Good-test.template.yaml does not exist yet: run 'formation synth Good-test --format yaml --out out' first"))
        _ = try CLI.app("synth", "Good-test", "--format", "yaml", "--out", "out", in: dir.path)
        let fresh = try CLI.app("deploy-args", "Good-test", "--format", "yaml", in: dir.path)
        #expect(fresh.status == 0)
        #expect(fresh.stderr.isEmpty, "\(fresh)")
        try dir.write("out/Good-test.template.yaml", "Resources: {}\n")
        let stale = try CLI.app("deploy-args", "Good-test", "--format", "yaml", in: dir.path)
        #expect(stale.stderr.contains("differs from a fresh synth"))
        let quiet = try CLI.app("deploy-args", "Good-test", "--format", "yaml", "--quiet", in: dir.path)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdout == stale.stdout)
    }

    @Test func failingOrUnknownStacksPrintNoCommand() throws {
        let broken = try CLI.app("deploy-args", "Broken-test")
        #expect(broken.status == 1)
        #expect(broken.stdout.isEmpty)
        #expect(broken.stderr.contains("FM1101"))
        let unknown = try CLI.app("deploy-args", "Good")
        #expect(unknown.status == 2)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("did you mean 'Good-test'?"))
    }

    /// The repository's AgentCore stack names its execution role, so it needs CAPABILITY_NAMED_IAM,
    /// and its network parameters come from the environment table; its region (us-east-1, from
    /// the same table) is given, whatever the shell's default region is.
    @Test func repositoryAgentStackNeedsNamedIAMAndTheEnvironmentsNetwork() throws {
        let result = try CLI.run(CLI.formation, ["deploy-args", "CustomerServiceAgentStack-dev", "--format", "yaml"])
        #expect(result.status == 0, "\(result)")
        #expect(try Self.shellWords(result.stdout) == [
            "aws", "cloudformation", "deploy",
            "--template-file", "out/CustomerServiceAgentStack-dev.template.yaml",
            "--stack-name", "CustomerServiceAgentStack-dev",
            "--region", "us-east-1",
            "--capabilities", "CAPABILITY_NAMED_IAM",
            "--parameter-overrides", "VpcId=vpc-0a1b2c3d4e5f60001",
            "SubnetIds=subnet-0a1b2c3d4e5f60011,subnet-0a1b2c3d4e5f60012", "VpcCidr=10.10.0.0/16",
            "AlarmEmail=agent-alerts-dev@example.com",
            "--no-fail-on-empty-changeset",
        ])
    }

    /// Several stacks (or --all): one command each, in deploy order, under a comment.
    @Test func everyStackInDeployOrder() throws {
        let environment = ["FORMATION_TESTAPP": "cross-stack"]
        let all = try CLI.run(CLI.testApp, ["deploy-args", "--all"], environment: environment)
        #expect(all.status == 0, "\(all)")
        let comments = all.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(comments == ["# 1/3 Network-x", "# 2/3 Data-x (after Network-x)", "# 3/3 Service-x (after Data-x, Network-x)"])
        #expect(all.stdout.components(separatedBy: "aws cloudformation deploy").count == 4)
        // Named stacks are put in order too; one stack prints no comment.
        let two = try CLI.run(CLI.testApp, ["deploy-args", "Service-x", "Network-x"], environment: environment)
        #expect(two.stdout.split(separator: "\n").filter { $0.hasPrefix("#") } == ["# 1/2 Network-x", "# 2/2 Service-x (after Data-x, Network-x)"])
        let one = try CLI.run(CLI.testApp, ["deploy-args", "Data-x"], environment: environment)
        #expect(one.status == 0 && one.stdout.hasPrefix("aws cloudformation deploy \\\n"), "\(one)")
        let both = try CLI.run(CLI.testApp, ["deploy-args", "--all", "Data-x"], environment: environment)
        #expect(both.status == 2, "\(both)")
        #expect(both.stderr.contains("--all deploys every stack: name no stack with it"))
        let none = try CLI.run(CLI.testApp, ["deploy-args"], environment: environment)
        #expect(none.status == 2 && none.stderr.contains("name a stack to deploy, or give --all"), "\(none)")
    }

    /// A stack declared for an account and two regions: a comment naming the account, then one
    /// command per region, each with --region. A stack without regions gets no --region.
    @Test func accountsAndRegionsOfAPlainStack() throws {
        let environment = ["FORMATION_TESTAPP": "nested"]
        let result = try CLI.run(CLI.testApp, ["deploy-args", "Regional-x"], environment: environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            # account 123456789012: run with credentials for this account
            # region us-east-1
            aws cloudformation deploy \\
              --template-file out/Regional-x.template.json \\
              --stack-name Regional-x \\
              --region us-east-1 \\
              --no-fail-on-empty-changeset
            # region eu-west-1
            aws cloudformation deploy \\
              --template-file out/Regional-x.template.json \\
              --stack-name Regional-x \\
              --region eu-west-1 \\
              --no-fail-on-empty-changeset

            """, "\(result)")
        let parent = try CLI.run(CLI.testApp, ["deploy-args", "Parent-x"], environment: environment)
        #expect(parent.status == 0 && !parent.stdout.contains("--region") && !parent.stdout.contains("# account"), "\(parent)")
        // The nested template is uploaded like a code asset, before the deploy.
        #expect(parent.stderr.contains(".template.json 's3://<AssetBucket>/"), "\(parent)")
    }

    /// A StackSet: create-stack-set, create-stack-instances (accounts or OUs, regions,
    /// operation preferences), update-stack-set; parameters as ParameterKey/ParameterValue.
    @Test func aStackSetGetsTheStackSetCommands() throws {
        let result = try CLI.run(CLI.testApp, ["deploy-args", "Guard-x"], environment: ["FORMATION_TESTAPP": "stack-set"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            # first deploy: create the stack set, then its instances
            aws cloudformation create-stack-set \\
              --stack-set-name Guard-x \\
              --template-body file://out/Guard-x.template.json \\
              --capabilities CAPABILITY_NAMED_IAM \\
              --permission-model SERVICE_MANAGED \\
              --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false
            aws cloudformation create-stack-instances \\
              --stack-set-name Guard-x \\
              --deployment-targets OrganizationalUnitIds=ou-abcd-11112222 \\
              --regions us-east-1 \\
              --operation-preferences RegionConcurrencyType=SEQUENTIAL,MaxConcurrentPercentage=25
            # later deploys: update the stack set (and its instances)
            aws cloudformation update-stack-set \\
              --stack-set-name Guard-x \\
              --template-body file://out/Guard-x.template.json \\
              --capabilities CAPABILITY_NAMED_IAM \\
              --permission-model SERVICE_MANAGED \\
              --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\
              --deployment-targets OrganizationalUnitIds=ou-abcd-11112222 \\
              --regions us-east-1 \\
              --operation-preferences RegionConcurrencyType=SEQUENTIAL,MaxConcurrentPercentage=25

            """)
        let accounts = try CLI.run(CLI.testApp, ["deploy-args", "Baseline-x"], environment: ["FORMATION_TESTAPP": "stack-set"])
        #expect(accounts.status == 0, "\(accounts)")
        // The words a POSIX shell makes of the three commands (aws replaced by a function).
        let shell = try CLI.run("/bin/sh", ["-c", "aws() { printf '%s\\n' \"$@\"; }\n" + accounts.stdout])
        #expect(shell.status == 0, "\(shell)")
        let words = shell.stdout.split(separator: "\n").map(String.init)
        for expected in [["--accounts", "111111111111", "222222222222"], ["--regions", "us-east-1", "eu-west-1"],
                         ["--parameters", "ParameterKey=AlertEmail,ParameterValue=ops@example.com"],
                         ["--operation-preferences", "RegionConcurrencyType=PARALLEL,FailureToleranceCount=1,MaxConcurrentCount=2"],
                         ["--execution-role-name", "AWSCloudFormationStackSetExecutionRole"]] {
            #expect(words.indices.contains { words[$0...].starts(with: expected) }, "\(expected) in \(words)")
        }
    }
}

/// The test app's values that tests compare against (kept in sync with `CLITestApp`).
enum CLITestAppValues {
    static let secret = "s3cr3t-never-printed"
    static let hostile = #"it's a "quoted" $HOME `value` \ & more"#
}
