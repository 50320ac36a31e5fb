import Foundation
import Formation
import FormationTemplate
import FormationTesting
import Stacks
import Testing

/// `formation snapshot`: check (default) and update of snapshots/<stack>.json|yaml.
@Suite struct SnapshotCommandTests {
    @Test func checkFailsWithADiffThenUpdateThenCheckPasses() throws {
        let dir = try TemporaryDirectory()
        func run(_ arguments: String...) throws -> CLIResult {
            try CLI.run(CLI.testApp, ["snapshot"] + arguments, in: dir.path)
        }
        let created = try run("--update", "Good-test", "Stateful-test")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.isEmpty)
        for name in ["Good-test.json", "Good-test.yaml", "Stateful-test.json", "Stateful-test.yaml"] {
            let bytes = try dir.bytes("snapshots/" + name)
            #expect(created.stderr.contains("created snapshots/\(name) (\(bytes.count) bytes)\n"), "\(created)")
        }
        // Exactly the bytes synth writes.
        for format in ["json", "yaml"] {
            let synth = try CLI.app("synth", "Stateful-test", "--format", format)
            #expect(try dir.bytes("snapshots/Stateful-test.\(format)") == Data(synth.stdout.utf8))
        }
        try dir.write("snapshots/Keep-me.json", "not a snapshot of this app\n")
        try dir.write("snapshots/notes.txt", "kept\n")

        // The same change in both files: one diff, naming both.
        for format in ["json", "yaml"] {
            let path = "snapshots/Stateful-test.\(format)"
            var old = try EditableTemplate(String(decoding: try dir.bytes(path), as: UTF8.self))
            old.set("Resources", "Data", "Properties", "BucketName", to: "formation-cli-test-old")
            try dir.write(path, format == "json" ? old.json() : old.yaml())
        }
        let failing = try run("Good-test", "Stateful-test")
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.stdout == """
            Stateful-test: snapshots/Stateful-test.json and snapshots/Stateful-test.yaml → synthesized
            Resources
            [~] Data (AWS::S3::Bucket)
                Properties.BucketName: "formation-cli-test-old" → "formation-cli-test-data"
                ! would be REPLACED: Properties.BucketName changes (create-only); the old one and its data would be DELETED (no UpdateReplacePolicy Retain)

            """, "\(failing)")
        #expect(failing.stderr == """
            warning: deploying Stateful-test as synthesized over its snapshot: 1 replacement (the '!' lines)
            error: snapshot check failed for 2 of 4 snapshots in snapshots (2 differ); run 'formation snapshot --update Good-test Stateful-test' to accept the synthesized templates

            """, "\(failing)")

        let updated = try run("--update", "Good-test", "Stateful-test")
        #expect(updated.status == 0, "\(updated)")
        #expect(updated.stderr.contains("unchanged snapshots/Good-test.json"))
        #expect(updated.stderr.contains("unchanged snapshots/Good-test.yaml"))
        #expect(updated.stderr.contains("updated snapshots/Stateful-test.json"))
        #expect(updated.stderr.contains("updated snapshots/Stateful-test.yaml"))
        #expect(try dir.entries("snapshots") == [
            "Good-test.json", "Good-test.yaml", "Keep-me.json", "Stateful-test.json", "Stateful-test.yaml", "notes.txt",
        ], "something else was removed or left behind")

        for arguments in [["Good-test", "Stateful-test"], ["--check", "Good-test", "Stateful-test"]] {
            let passing = try CLI.run(CLI.testApp, ["snapshot"] + arguments, in: dir.path)
            #expect(passing.status == 0, "\(passing)")
            #expect(passing.stdout.isEmpty)
            #expect(passing.stderr == "checked 4 snapshots in snapshots: all match\n")
        }
    }

    /// A nested stack's template is snapshotted beside its parent's as `<Parent>.<Child>.<ext>`;
    /// a change to it alone fails the check with a diff naming it.
    @Test func nestedTemplatesAreSnapshotted() throws {
        let dir = try TemporaryDirectory()
        let environment = ["FORMATION_TESTAPP": "nested"]
        let created = try CLI.run(CLI.testApp, ["snapshot", "--update", "Parent-x"], in: dir.path, environment: environment)
        #expect(created.status == 0, "\(created)")
        #expect(try dir.entries("snapshots") == ["Parent-x.Network.json", "Parent-x.Network.yaml", "Parent-x.json", "Parent-x.yaml"])
        // The nested file holds the child's template: its parameter, VPC and outputs.
        let child = try Template(document: TemplateDocument.parse(String(decoding: try dir.bytes("snapshots/Parent-x.Network.yaml"), as: UTF8.self), file: "child"))
        #expect(child.parameters.keys == ["Cidr"])
        #expect(child.resources.keys == ["Vpc"])
        #expect(child.outputs.keys == ["VpcId", "VpcCidr"])
        let path = "snapshots/Parent-x.Network.json"
        var old = try EditableTemplate(String(decoding: try dir.bytes(path), as: UTF8.self))
        old.set("Outputs", "VpcId", "Description", to: "Old description")
        try dir.write(path, old.json())
        let failing = try CLI.run(CLI.testApp, ["snapshot", "Parent-x"], in: dir.path, environment: environment)
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.stdout == """
            Parent-x.Network: snapshots/Parent-x.Network.json → synthesized
            Outputs
            [~] VpcId
                Description: "Old description" → "The VPC"

            """, "\(failing)")
        #expect(failing.stderr.contains("snapshot check failed for 1 of 4 snapshots"), "\(failing)")
        let passing = try CLI.run(CLI.testApp, ["snapshot", "--update", "Parent-x"], in: dir.path, environment: environment)
        #expect(passing.stderr.contains("updated snapshots/Parent-x.Network.json"), "\(passing)")
    }

    @Test func aChangeInOneFormatPrintsThatFilesDiff() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.app("snapshot", "--update", "Good-test", "--dir", dir.path).status == 0)
        var old = try EditableTemplate(String(decoding: try dir.bytes("Good-test.yaml"), as: UTF8.self))
        old.set("Outputs", "LogGroupName", "Description", to: "The old log group")
        try dir.write("Good-test.yaml", old.yaml())
        let result = try CLI.app("snapshot", "Good-test", "--dir", dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == """
            Good-test: \(dir.path)/Good-test.yaml → synthesized
            Outputs
            [~] LogGroupName
                Description: "The old log group" → "The log group"

            """, "\(result)")
        #expect(result.stderr.hasPrefix("error: snapshot check failed for 1 of 2 snapshots in \(dir.path) (1 differs); run 'formation snapshot --update Good-test --dir \(dir.path)'"), "\(result)")
        // --format json checks the JSON file only, which matches.
        let json = try CLI.app("snapshot", "Good-test", "--dir", dir.path, "--format", "json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stderr == "checked 1 snapshot in \(dir.path): all match\n")
    }

    @Test func aMissingSnapshotFailsTheCheck() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.app("snapshot", "--update", "Good-test", "--dir", dir.path, "--format", "json").status == 0)
        #expect(try dir.entries() == ["Good-test.json"])
        let result = try CLI.app("snapshot", "Good-test", "--dir", dir.path)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            error: snapshot \(dir.path)/Good-test.yaml is missing
            error: snapshot check failed for 1 of 2 snapshots in \(dir.path) (1 missing); run 'formation snapshot --update Good-test --dir \(dir.path)' to accept the synthesized templates

            """, "\(result)")
        // A directory that does not exist: every snapshot is missing, nothing is created.
        let none = try CLI.app("snapshot", "Good-test", "--dir", dir.path + "/none")
        #expect(none.status == 1)
        #expect(none.stderr.contains("(2 missing)"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/none"))
    }

    @Test func aSnapshotFormattedDifferentlyFailsWithTheFirstDifferentLine() throws {
        let dir = try TemporaryDirectory()
        #expect(try CLI.app("snapshot", "--update", "Good-test", "--dir", dir.path, "--format", "json").status == 0)
        let text = String(decoding: try dir.bytes("Good-test.json"), as: UTF8.self)
        try dir.write("Good-test.json", text.replacingOccurrences(of: "\n  ", with: "\n    "))
        let result = try CLI.app("snapshot", "Good-test", "--dir", dir.path, "--format", "json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("""
            error: snapshot \(dir.path)/Good-test.json holds the same template as Good-test but formatted differently; first difference at line 2: snapshot has "    \\"AWSTemplateFormatVersion\\": \\"2010-09-09\\",", synthesized has "  \\"AWSTemplateFormatVersion\\": \\"2010-09-09\\","
            error: snapshot check failed for 1 of 1 snapshot
            """), "\(result)")
    }

    @Test func aStackWithErrorsIsNeverWritten() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path + "/snapshots"
        for arguments in [["Good-test", "Broken-test"], []] {
            let result = try CLI.run(CLI.testApp, ["snapshot", "--update", "--dir", out] + arguments)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("error FM1101 Broken-test/Logs"))
            #expect(result.stderr.hasSuffix("error: Broken-test failed validation; no snapshot written\n"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: out), "a file of the run was written")
        }
        let strict = try CLI.app("snapshot", "--update", "--dir", out, "Good-test", "Warn-test", "--strict")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("Warn-test failed validation (warnings fail with --strict); no snapshot written"), "\(strict)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let check = try CLI.app("snapshot", "--dir", out, "Broken-test")
        #expect(check.status == 1)
        #expect(check.stderr.hasSuffix("error: Broken-test failed validation; its snapshots were not compared\n"), "\(check)")
    }

    @Test func updateCreatesNestedDirectoriesAndReportsWriteFailures() throws {
        let dir = try TemporaryDirectory()
        let nested = try CLI.app("snapshot", "--update", "Good-test", "--dir", dir.path + "/build/snapshots")
        #expect(nested.status == 0, "\(nested)")
        #expect(try dir.entries("build/snapshots") == ["Good-test.json", "Good-test.yaml"])

        try dir.write("file", "x")
        let blocked = try CLI.app("snapshot", "--update", "Good-test", "--dir", dir.path + "/file")
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("exists and is not a directory"), "\(blocked)")
    }

    @Test func usageErrorsExitTwo() throws {
        let cases: [[String]] = [
            ["snapshot", "--update", "--check"],
            ["snapshot", "--format", "toml"],
            ["snapshot", "--dir", ""],
            ["snapshot", "Nope-test"],
        ]
        for arguments in cases {
            let result = try CLI.run(CLI.testApp, arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        }
    }

    /// The command and FormationTesting's `Snapshots` read and write the same bytes, for every
    /// stack of this repository's app, in both formats and both directions.
    @Test func agreesWithFormationTestingSnapshots() throws {
        let dir = try TemporaryDirectory()
        let written = try CLI.run(CLI.formation, ["snapshot", "--update", "--dir", dir.path + "/cli"])
        #expect(written.status == 0, "\(written)")
        let app = FormationApp.make()
        #expect(!app.stacks.isEmpty)
        for stack in app.stacks {
            for format in [TemplateFormat.json, .yaml] {
                let result = Snapshots(directory: dir.path + "/cli", mode: .ci).check(stack.synthesize(), format: format)
                #expect(result.outcome == .matched, "\(stack.name) \(format): \(result.message)")

                let recorded = Snapshots(directory: dir.path + "/library", mode: .update).check(stack.synthesize(), format: format)
                #expect(recorded.outcome == .recorded, "\(recorded.message)")
            }
        }
        let checked = try CLI.run(CLI.formation, ["snapshot", "--dir", dir.path + "/library"])
        #expect(checked.status == 0, "\(checked)")
        // Warnings (the invocation logging type the registry lacks) come first; the summary is last.
        #expect(checked.stderr.hasSuffix("checked \(app.stacks.count * 2) snapshots in \(dir.path)/library: all match\n"), "\(checked.stderr)")
        #expect(!checked.stderr.contains("error"))
    }
}
