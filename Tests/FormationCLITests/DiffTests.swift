import Foundation
import Formation
import Testing

/// `formation diff`: a fresh synth against committed templates, with what CloudFormation would do.
@Suite struct DiffTests {
    /// The fresh synth of `stack` as JSON, ready to edit into a baseline.
    func synthesized(_ stack: String = "Stateful-test") throws -> EditableTemplate {
        let result = try CLI.app("synth", stack)
        try #require(result.status == 0, "\(result)")
        return try EditableTemplate(result.stdout)
    }

    /// Writes `template` as `<dir>/<stack>.json`.
    func write(_ template: EditableTemplate, _ dir: TemporaryDirectory, stack: String = "Stateful-test") throws {
        try dir.write("\(stack).json", template.json())
    }

    @Test func noDifferencesExitsZeroAndPrintsNothing() throws {
        let dir = try TemporaryDirectory()
        // Against synth --out files, JSON and YAML, and against one file.
        for format in ["json", "yaml"] {
            let out = dir.path + "/" + format
            #expect(try CLI.app("synth", "Stateful-test", "Good-test", "--out", out, "--format", format).status == 0)
            let result = try CLI.app("diff", "Stateful-test", "Good-test", "--against", out)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "no differences: 2 stacks match \(out)\n")
            let file = try CLI.app("diff", "Good-test", "--against", out + "/Good-test.template.\(format)")
            #expect(file.status == 0, "\(file)")
            #expect(file.stdout.isEmpty)
        }
        // Against the default, snapshots/ in the working directory.
        let snapshot = try CLI.run(CLI.testApp, ["snapshot", "--update", "Good-test", "Stateful-test"], in: dir.path)
        #expect(snapshot.status == 0, "\(snapshot)")
        let result = try CLI.run(CLI.testApp, ["diff", "Good-test", "Stateful-test"], in: dir.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "no differences: 2 stacks match snapshots\n")
    }

    @Test func theSameTemplateFormattedDifferentlyIsNoDifferenceButANote() throws {
        let dir = try TemporaryDirectory()
        let json = try CLI.app("synth", "Good-test").stdout
        try dir.write("Good-test.json", json.replacingOccurrences(of: "\n  ", with: "\n    "))
        let result = try CLI.app("diff", "Good-test", "--against", dir.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("note: \(dir.path)/Good-test.json holds the same template as Good-test, formatted differently from what formation writes"), "\(result)")
    }

    @Test func addedRemovedAndChangedResourcesWithPropertyPaths() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.set("Description", to: "Stateful resources (old)")
        old.set("Resources", "Data", "Properties", "VersioningConfiguration", "Status", to: "Suspended")
        old.set("Resources", "Setting", "Properties", "Value", to: "off")
        old.set("Resources", "Table", to: nil)
        old.set("Resources", "OldTopic", to: ["Type": "AWS::SNS::Topic", "Properties": ["TopicName": "old"]])
        try write(old, dir)

        let result = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            Stateful-test: \(dir.path)/Stateful-test.json → synthesized
            Description: "Stateful resources (old)" → "Stateful resources"
            Resources
            [~] Data (AWS::S3::Bucket)
                Properties.VersioningConfiguration.Status: "Suspended" → "Enabled"
            [~] Setting (AWS::SSM::Parameter)
                Properties.Value: "off" → "on"
            [-] OldTopic (AWS::SNS::Topic)
            [+] Table (AWS::DynamoDB::Table)

            """, "\(result)")
        #expect(result.stderr == "Stateful-test differs from \(dir.path)\n")

        // Exactly TemplateDiff's text under the header: the same diff the snapshot tests print.
        let new = try Template(document: TemplateDocument.parse(try CLI.app("synth", "Stateful-test").stdout))
        let diff = TemplateDiff(from: try Template(document: old.document), to: new)
        #expect(result.stdout == "Stateful-test: \(dir.path)/Stateful-test.json → synthesized\n" + diff.description)

        // A YAML baseline reads the same; --format picks it when both exist.
        try dir.write("Stateful-test.yaml", old.yaml())
        try dir.write("Stateful-test.json", "{}")
        let yaml = try CLI.app("diff", "Stateful-test", "--against", dir.path, "--format", "yaml")
        #expect(yaml.status == 1)
        #expect(yaml.stdout == result.stdout.replacingOccurrences(of: "Stateful-test.json", with: "Stateful-test.yaml"), "\(yaml)")
    }

    @Test func replacementsAreFlagged() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.set("Resources", "Data", "Properties", "BucketName", to: "formation-cli-test-old")
        old.set("Resources", "Setting", "Type", to: "AWS::SecretsManager::Secret")
        old.set("Resources", "CacheSg", "Properties", "GroupDescription", to: "cache")
        old.set("Resources", "Table", "Properties", "BillingMode", to: "PROVISIONED")
        try write(old, dir)

        let result = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            Stateful-test: \(dir.path)/Stateful-test.json → synthesized
            Resources
            [~] Data (AWS::S3::Bucket)
                Properties.BucketName: "formation-cli-test-old" → "formation-cli-test-data"
                ! would be REPLACED: Properties.BucketName changes (create-only); the old one and its data would be DELETED (no UpdateReplacePolicy Retain)
            [~] Setting (AWS::SecretsManager::Secret → AWS::SSM::Parameter)
                Type: "AWS::SecretsManager::Secret" → "AWS::SSM::Parameter"
                ! would be REPLACED: its type changes from AWS::SecretsManager::Secret to AWS::SSM::Parameter, which CloudFormation refuses under one logical ID ("Update of resource type is not permitted"): give the new resource a new logical ID
            [~] CacheSg (AWS::EC2::SecurityGroup)
                Properties.GroupDescription: "cache" → "cache clients"
                ! would be REPLACED: Properties.GroupDescription changes (create-only)
            [~] Table (AWS::DynamoDB::Table)
                Properties.BillingMode: "PROVISIONED" → "PAY_PER_REQUEST"
            [!] CacheIngress (AWS::EC2::SecurityGroupIngress)
                ! would be REPLACED: Properties.GroupId refers to CacheSg, which is replaced

            """, "\(result)")
        #expect(result.stderr == """
            warning: deploying Stateful-test as synthesized: 4 replacements (the '!' lines)
            Stateful-test differs from \(dir.path)

            """, "\(result)")
        let quiet = try CLI.app("diff", "Stateful-test", "--against", dir.path, "--quiet")
        #expect(quiet.status == 1)
        #expect(quiet.stdout == result.stdout)
        #expect(quiet.stderr.isEmpty)
    }

    @Test func updatesInPlaceAreNotFlagged() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.set("Resources", "CacheIngress", "Properties", "CidrIp", to: "10.1.0.0/16")  // create-only, not stateful
        old.set("Resources", "DataKey", "Properties", "EnableKeyRotation", to: false)  // KMS keys update in place
        old.set("Resources", "CacheSg", "Properties", "Tags", to: [["Key": "team", "Value": "cache"]])
        try write(old, dir)
        let result = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            Stateful-test: \(dir.path)/Stateful-test.json → synthesized
            Resources
            [~] DataKey (AWS::KMS::Key)
                Properties.EnableKeyRotation: false → true
            [~] CacheSg (AWS::EC2::SecurityGroup)
                Properties.Tags: [{"Key": "team", "Value": "cache"}] → (absent)
            [~] CacheIngress (AWS::EC2::SecurityGroupIngress)
                Properties.CidrIp: "10.1.0.0/16" → "10.0.0.0/16"
                ! would be REPLACED: Properties.CidrIp changes (create-only)

            """, "\(result)")
    }

    @Test func removedStatefulResourcesAreFlagged() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.set("Resources", "AuditLogs", to: ["Type": "AWS::Logs::LogGroup", "Properties": ["RetentionInDays": 30]])
        old.set("Resources", "OldSecret", to: [
            "Type": "AWS::SecretsManager::Secret", "Properties": ["Name": "old"], "DeletionPolicy": "Retain",
        ])
        old.set("Resources", "OldTopic", to: ["Type": "AWS::SNS::Topic"])
        old.set("Resources", "Database", to: ["Type": "AWS::RDS::DBCluster", "Properties": ["Engine": "aurora-postgresql"]])
        old.set("Resources", "Cache", to: [
            "Type": "AWS::ElastiCache::ReplicationGroup", "Properties": ["Engine": "redis"], "DeletionPolicy": "Delete",
        ])
        try write(old, dir)

        let result = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            Stateful-test: \(dir.path)/Stateful-test.json → synthesized
            Resources
            [-] AuditLogs (AWS::Logs::LogGroup)
                ! would be DELETED with its data (no DeletionPolicy Retain)
            [-] OldSecret (AWS::SecretsManager::Secret)
                ! would be retained (DeletionPolicy Retain) and orphaned: CloudFormation stops managing it and never deletes it
            [-] OldTopic (AWS::SNS::Topic)
            [-] Database (AWS::RDS::DBCluster)
                ! would be DELETED after a final snapshot (no DeletionPolicy; Snapshot is the default for this type)
            [-] Cache (AWS::ElastiCache::ReplicationGroup)
                ! would be DELETED with its data (DeletionPolicy Delete)

            """, "\(result)")
        #expect(result.stderr.hasPrefix("warning: deploying Stateful-test as synthesized: 3 deletions and 1 orphaned resource (the '!' lines)\n"), "\(result)")
    }

    @Test func aRenamedLogicalIDOfARetainedResourceIsALoudWarning() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.rename(resource: "DataKey", to: "OldDataKey")  // Retain
        old.rename(resource: "Data", to: "OldData")        // no DeletionPolicy
        try write(old, dir)

        let result = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == """
            Stateful-test: \(dir.path)/Stateful-test.json → synthesized
            Resources
            [-] OldDataKey (AWS::KMS::Key)
                ! logical ID renamed OldDataKey → DataKey: CloudFormation would create a new AWS::KMS::Key and orphan the old one (DeletionPolicy Retain)
            [-] OldData (AWS::S3::Bucket)
                ! logical ID renamed OldData → Data: CloudFormation would create a new AWS::S3::Bucket and DELETE the old one with its data (no DeletionPolicy Retain)
            [+] DataKey (AWS::KMS::Key)
            [+] Data (AWS::S3::Bucket)

            """, "\(result)")
        #expect(result.stderr.hasPrefix("warning: deploying Stateful-test as synthesized: 2 renamed logical IDs (the '!' lines)\n"), "\(result)")

        // Different properties: not a rename, but a retained key orphaned and a new one created.
        old.set("Resources", "OldDataKey", "Properties", "EnableKeyRotation", to: false)
        try write(old, dir)
        let notRenamed = try CLI.app("diff", "Stateful-test", "--against", dir.path)
        #expect(notRenamed.stdout.contains("""
            [-] OldDataKey (AWS::KMS::Key)
                ! would be retained (DeletionPolicy Retain) and orphaned: CloudFormation stops managing it and never deletes it
            """), "\(notRenamed)")
        #expect(!notRenamed.stdout.contains("renamed OldDataKey"))
    }

    @Test func severalStacksReportEachAndFailIfAnyDiffers() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.app("synth", "Good-test", "Stateful-test", "--out", dir.path).status == 0)
        var old = try EditableTemplate(String(decoding: try dir.bytes("Good-test.template.json"), as: UTF8.self))
        old.set("Parameters", "RetentionDays", "Default", to: 7)
        try dir.write("Good-test.template.json", old.json())
        let result = try CLI.app("diff", "Good-test", "Stateful-test", "NamedIam-test", "--against", dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == """
            Good-test: \(dir.path)/Good-test.template.json → synthesized
            Parameters
            [~] RetentionDays
                Default: 7 → 30

            """, "\(result)")
        #expect(result.stderr == """
            error: no baseline for NamedIam-test in \(dir.path): looked for NamedIam-test.json, NamedIam-test.template.json, NamedIam-test.yaml and NamedIam-test.template.yaml
            Good-test differs from \(dir.path)

            """, "\(result)")
    }

    @Test func aMissingOrUnreadableBaselineIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let cases: [([String], String)] = [
            (["diff", "Good-test", "--against", dir.path],
             "error: no baseline for Good-test in \(dir.path): looked for Good-test.json, Good-test.template.json, Good-test.yaml and Good-test.template.yaml\n"),
            (["diff", "Good-test", "--against", dir.path, "--format", "yaml"],
             "error: no baseline for Good-test in \(dir.path): looked for Good-test.yaml and Good-test.template.yaml\n"),
            (["diff", "Good-test", "--against", dir.path + "/nope.json"],
             "error: cannot read the baseline '\(dir.path)/nope.json': no such file or directory\n"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(CLI.testApp, arguments)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == message, "\(arguments)")
        }

        // The default baseline is snapshots/ in the working directory.
        let noSnapshots = try CLI.run(CLI.testApp, ["diff", "Good-test"], in: dir.path)
        #expect(noSnapshots.status == 1)
        #expect(noSnapshots.stderr == "error: there is no 'snapshots' directory to compare with: record the templates with 'formation snapshot --update', or name a baseline with --against DIR|FILE\n", "\(noSnapshots)")
        try FileManager.default.createDirectory(atPath: dir.path + "/snapshots", withIntermediateDirectories: false)
        let noSnapshot = try CLI.run(CLI.testApp, ["diff", "Good-test"], in: dir.path)
        #expect(noSnapshot.status == 1)
        #expect(noSnapshot.stderr.hasSuffix("; record it with 'formation snapshot --update'\n"), "\(noSnapshot)")

        // A file that is not a template: where and why.
        try dir.write("Good-test.json", "{\"Resources\": [\n")
        let broken = try CLI.app("diff", "Good-test", "--against", dir.path)
        #expect(broken.status == 1)
        #expect(broken.stdout.isEmpty)
        #expect(broken.stderr.hasPrefix("\(dir.path)/Good-test.json:"), "\(broken)")
        #expect(broken.stderr.contains(": error: "))

        // A stack that fails validation is not compared.
        let invalid = try CLI.app("diff", "Broken-test", "--against", dir.path)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("error FM1101 Broken-test/Logs"))
        #expect(invalid.stderr.hasSuffix("error: Broken-test failed validation; not compared\n"), "\(invalid)")
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("one.json", "{}")
        let file = dir.path + "/one.json"
        let cases: [([String], String)] = [
            (["diff", "Good-test", "Warn-test", "--against", file], "error: --against \(file) is one template but 2 stacks are named; name the one stack it belongs to"),
            (["diff", "--against", file], "error: --against \(file) is one template but 7 stacks are in the app; name the one stack it belongs to"),
            (["diff", "--format", "xml"], "error: The value 'xml' is invalid for '--format <format>'"),
            (["diff", "Good-tset"], "error: no stack named 'Good-tset'; did you mean 'Good-test'?"),
            (["diff", "--against", ""], "error: --against needs a directory or file path"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(CLI.testApp, arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func colorsOnlyWhenStdoutIsATerminal() throws {
        let dir = try TemporaryDirectory()
        var old = try synthesized()
        old.set("Resources", "Data", "Properties", "BucketName", to: "formation-cli-test-old")
        old.set("Resources", "OldTopic", to: ["Type": "AWS::SNS::Topic"])
        try write(old, dir)
        let arguments = ["diff", "Stateful-test", "--against", dir.path]
        let colored = try CLI.runWithTerminal(CLI.testApp, arguments, on: 1)
        #expect(colored.status == 1)
        #expect(colored.terminal.contains("\u{1B}[1;33m[~]\u{1B}[0m Data (AWS::S3::Bucket)"), "\(colored.terminal)")
        #expect(colored.terminal.contains("\u{1B}[1;31m[-]\u{1B}[0m OldTopic"))
        #expect(colored.terminal.contains("\u{1B}[1;31m! would be REPLACED: Properties.BucketName"))

        let plain = try CLI.runWithTerminal(CLI.testApp, arguments, on: 1, environment: ["NO_COLOR": "1"])
        #expect(plain.status == 1)
        #expect(plain.terminal.contains("[~] Data (AWS::S3::Bucket)"))
        #expect(!plain.terminal.contains("\u{1B}["))
    }
}
