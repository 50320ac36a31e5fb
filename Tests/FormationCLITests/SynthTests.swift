import Foundation
import Formation
import Testing

/// `formation synth`: stdout, files, determinism, atomicity, warnings and errors.
@Suite struct SynthTests {
    @Test func oneStackToStdoutAsJSONAndYAML() throws {
        let json = try CLI.app("synth", "Good-test")
        #expect(json.status == 0, "\(json)")
        #expect(json.stderr.isEmpty)
        let parsed = try Template(document: TemplateDocument.parse(json.stdout))
        #expect(parsed.resources.keys == ["LogKey", "AppLogs"])
        #expect(json.stdout.hasPrefix("{\n"))

        let yaml = try CLI.app("synth", "Good-test", "--format", "yaml")
        #expect(yaml.status == 0, "\(yaml)")
        #expect(yaml.stderr.isEmpty)
        #expect(yaml.stdout.hasPrefix("AWSTemplateFormatVersion: '2010-09-09'\n"))
        #expect(yaml.stdout.contains("KmsKeyId: !GetAtt LogKey.Arn"))
        #expect(try TemplateDocument.parse(yaml.stdout) == TemplateDocument.parse(json.stdout))
    }

    @Test func severalStacksToStdoutIsAUsageError() throws {
        for arguments in [["synth", "Good-test", "Warn-test"], ["synth"]] {
            let result = try CLI.run(CLI.testApp, arguments)
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("--out"))
        }
    }

    @Test func unknownStackIsNamedWithTheClosestSuggestion() throws {
        let result = try CLI.app("synth", "Good-tset")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: no stack named 'Good-tset'; did you mean 'Good-test'?"), "\(result)")

        let far = try CLI.app("synth", "Zzzzzzzzzzzzzzzzzz")
        #expect(far.status == 2)
        #expect(!far.stderr.contains("did you mean"))
        #expect(far.stderr.contains("'Good-test'"), "lists the stacks instead: \(far)")

        let two = try CLI.app("synth", "Nope-test", "Good-test", "Brokn-test", "--out", "unused")
        #expect(two.status == 2)
        #expect(two.stderr.contains("'Nope-test'") && two.stderr.contains("did you mean 'Broken-test'?"), "\(two)")
    }

    @Test func outWritesOneFilePerStackDeterministically() throws {
        let dir = try TemporaryDirectory()
        let stacks = ["Good-test", "NamedIam-test", "UnnamedIam-test", "Big-test"]
        for format in ["json", "yaml"] {
            let first = try CLI.run(CLI.testApp, ["synth"] + stacks + ["--out", dir.path + "/a", "--format", format])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.isEmpty)
            let second = try CLI.run(CLI.testApp, ["synth"] + stacks + ["--out", dir.path + "/b", "--format", format])
            #expect(second.status == 0)
            let names = stacks.map { "\($0).template.\(format)" }
            #expect(try dir.entries("a").filter { $0.hasSuffix(format) } == names.sorted())
            for name in names {
                #expect(try dir.bytes("a/" + name) == dir.bytes("b/" + name), "\(name) differs between runs")
                #expect(first.stderr.contains("wrote \(dir.path)/a/\(name)"))
            }
            #expect(try TemplateDocument.parse(String(decoding: dir.bytes("a/Good-test.template.\(format)"), as: UTF8.self))
                == TemplateDocument.parse(try CLI.app("synth", "Good-test", "--format", format).stdout))
        }
        #expect(try dir.entries("a").allSatisfy { !$0.hasPrefix(".") }, "temporary files left behind")
    }

    @Test func formatBothWritesTheSameBytesAsTwoRuns() throws {
        let dir = try TemporaryDirectory()
        let stacks = ["Good-test", "Warn-test", "Big-test"]
        let both = try CLI.run(CLI.testApp, ["synth"] + stacks + ["--out", dir.path + "/both", "--format", "both"])
        #expect(both.status == 0, "\(both)")
        var separate: [Substring] = []
        for format in ["json", "yaml"] {
            let one = try CLI.run(CLI.testApp, ["synth"] + stacks + ["--out", dir.path + "/one", "--format", format])
            #expect(one.status == 0, "\(one)")
            separate += one.stderr.split(separator: "\n").filter { !$0.hasPrefix("wrote") }
        }
        let names = stacks.flatMap { ["\($0).template.json", "\($0).template.yaml"] }.sorted()
        #expect(try dir.entries("both") == names)
        #expect(try dir.entries("one") == names)
        for name in names {
            #expect(try dir.bytes("both/" + name) == dir.bytes("one/" + name), "\(name)")
        }
        // Each diagnostic once, as a JSON run and a YAML run print it between them.
        let printed = both.stderr.split(separator: "\n").filter { !$0.hasPrefix("wrote") }
        #expect(!printed.isEmpty, "Warn-test warns")
        #expect(Set(printed) == Set(separate))
        #expect(printed.count == Set(printed).count, "\(printed)")
    }

    @Test func formatBothWithoutOutIsAUsageError() throws {
        let result = try CLI.app("synth", "Good-test", "--format", "both")
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--format both writes two files per stack; add --out DIR"), "\(result)")
    }

    @Test func rewritingIdenticalBytesLeavesFilesUntouched() throws {
        let dir = try TemporaryDirectory()
        let first = try CLI.app("synth", "Good-test", "--out", dir.path)
        #expect(first.status == 0)
        let path = dir.path + "/Good-test.template.json"
        let before = try FileManager.default.attributesOfItem(atPath: path)
        let second = try CLI.app("synth", "Good-test", "--out", dir.path)
        #expect(second.status == 0)
        #expect(second.stderr.contains("unchanged \(path)"))
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int, "the file was replaced")
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
    }

    @Test func repositoryAppSynthesizesIdenticalBytesTwice() throws {
        let dir = try TemporaryDirectory()
        for format in ["json", "yaml"] {
            for run in ["1", "2"] {
                let result = try CLI.run(CLI.formation, ["synth", "--out", dir.path + "/" + run, "--format", format])
                #expect(result.status == 0, "\(result)")
            }
        }
        let names = try dir.entries("1")
        #expect(names.count >= 6)
        #expect(try dir.entries("2") == names)
        for name in names {
            #expect(try dir.bytes("1/" + name) == dir.bytes("2/" + name), "\(name)")
        }
    }

    @Test func aFailingStackLeavesNoFileOfTheRun() throws {
        let dir = try TemporaryDirectory()
        let fresh = try CLI.app("synth", "Good-test", "Broken-test", "--out", dir.path + "/new")
        #expect(fresh.status == 1)
        #expect(fresh.stdout.isEmpty)
        #expect(fresh.stderr.contains("error FM1101 Broken-test/Logs: KmsKeyId: Ref to MissingKey"), "\(fresh)")
        #expect(fresh.stderr.contains("Broken-test failed validation; no file written"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/new"))

        // Every stack (none named) includes Broken-test: nothing of the run is written either.
        try dir.write("Good-test.template.json", "old good\n")
        let all = try CLI.app("synth", "--out", dir.path)
        #expect(all.status == 1)
        #expect(try dir.entries() == ["Good-test.template.json"])
        #expect(try dir.bytes("Good-test.template.json") == Data("old good\n".utf8))
    }

    @Test func aFailedRenameRestoresFilesAlreadyReplaced() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Good-test.template.json", "old good\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/Warn-test.template.json", withIntermediateDirectories: false)
        let result = try CLI.app("synth", "Good-test", "Warn-test", "--out", dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Warn-test.template.json"))
        #expect(result.stderr.contains("no file was changed"))
        #expect(try dir.bytes("Good-test.template.json") == Data("old good\n".utf8))
        let entries = try dir.entries()
        #expect(entries == ["Good-test.template.json", "Warn-test.template.json"], "leftovers: \(entries)")
    }

    @Test func warningsPrintButDoNotFail() throws {
        let result = try CLI.app("synth", "Warn-test")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning FM3000 Warn-test/Logging: type AWS::Bedrock::ModelInvocationLoggingConfiguration: CloudFormation deploys it, but it is not in the CloudFormation registry schemas"), "\(result)")
        #expect(result.stdout.contains("\"AWS::Bedrock::ModelInvocationLoggingConfiguration\""))
        #expect(!result.stdout.contains("FM3000"))

        let quiet = try CLI.app("synth", "Warn-test", "--quiet")
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdout == result.stdout)
    }

    @Test func strictMakesWarningsFail() throws {
        let dir = try TemporaryDirectory()
        for extra in [[], ["--quiet"]] {
            let result = try CLI.run(CLI.testApp, ["synth", "Good-test", "Warn-test", "--out", dir.path, "--strict"] + extra)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("warning FM3000"))
            #expect(result.stderr.contains("--strict"))
            #expect(try dir.entries().isEmpty)
        }
        let stdout = try CLI.app("synth", "Warn-test", "--strict")
        #expect(stdout.status == 1)
        #expect(stdout.stdout.isEmpty)
    }

    @Test func tooLargeForInlineBodyWarns() throws {
        let result = try CLI.app("synth", "Big-test")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning FM2004 Big-test"))
        #expect(result.stdout.utf8.count > 51_200)
    }

    @Test func uncreatableOutDirectoryIsAClearError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("plain-file", "x")
        let cases: [(String, String)] = [
            (dir.path + "/plain-file", "exists and is not a directory"),
            (dir.path + "/plain-file/sub", "'\(dir.path)/plain-file' exists and is not a directory"),
            ("/proc/formation-cli-test/out", "cannot create the output directory '/proc/formation-cli-test/out'"),
        ]
        for (out, message) in cases {
            let result = try CLI.app("synth", "Good-test", "--out", out)
            #expect(result.status == 1, "\(out): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(message), "\(out): \(result.stderr)")
            #expect(result.stderr.contains(out.hasPrefix("/proc") ? "/proc/formation-cli-test" : dir.path + "/plain-file"))
        }
    }

    @Test func unwritableOutDirectoryIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let locked = dir.path + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        let cases: [(String, String)] = [
            (locked, "error: cannot write into '\(locked)': Permission denied"),
            (locked + "/sub", "error: cannot create the output directory '\(locked)/sub': \(locked)/sub: Permission denied"),
        ]
        for (out, message) in cases {
            let result = try CLI.runUnprivileged(CLI.testApp, ["synth", "Good-test", "--out", out])
            #expect(result.status == 1, "\(out): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        #expect(try dir.entries("locked").isEmpty)
    }

    // MARK: - Faults of the write path: the previous files stay byte for byte, no temporary file is left.

    /// A disk that fills up partway through a multi-stack run (the test seam
    /// FORMATION_TEST_WRITE_LIMIT makes writes fail with ENOSPC past N bytes).
    @Test func aFullDiskPartwayThroughLeavesThePreviousFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Good-test.template.json", "old good\n")
        try dir.write("Stateful-test.template.json", "old stateful\n")
        let goodSize = try CLI.app("synth", "Good-test").stdout.utf8.count
        // Enough for the first template, not for the second.
        let result = try CLI.run(CLI.testApp, ["synth", "Good-test", "Warn-test", "Stateful-test", "--out", dir.path, "--quiet"],
                                 environment: ["FORMATION_TEST_WRITE_LIMIT": String(goodSize + 100)])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: cannot write '\(dir.path)/Warn-test.template.json': No space left on device\n", "\(result)")
        #expect(try dir.entries() == ["Good-test.template.json", "Stateful-test.template.json"])
        #expect(try dir.bytes("Good-test.template.json") == Data("old good\n".utf8))
        #expect(try dir.bytes("Stateful-test.template.json") == Data("old stateful\n".utf8))
        // With room, the same run writes all three.
        let roomy = try CLI.run(CLI.testApp, ["synth", "Good-test", "Warn-test", "Stateful-test", "--out", dir.path, "--quiet"],
                                environment: ["FORMATION_TEST_WRITE_LIMIT": "10000000"])
        #expect(roomy.status == 0, "\(roomy)")
        #expect(try dir.entries() == ["Good-test.template.json", "Stateful-test.template.json", "Warn-test.template.json"])
    }

    /// A read-only output directory that holds the previous run's files.
    @Test func aReadOnlyOutputDirectoryLeavesThePreviousFiles() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        try Data("old good\n".utf8).write(to: URL(fileURLWithPath: out + "/Good-test.template.json"))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out) }
        let result = try CLI.runUnprivileged(CLI.testApp, ["synth", "Good-test", "Stateful-test", "--out", out, "--quiet"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: cannot write into '\(out)': Permission denied\n", "\(result)")
        #expect(try dir.entries("out") == ["Good-test.template.json"])
        #expect(try dir.bytes("out/Good-test.template.json") == Data("old good\n".utf8))
    }

    /// The output directory replaced by a file: an error, and the file is not touched.
    @Test func anOutputDirectoryReplacedByAFileIsLeftAlone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("out", "I was a directory\n")
        let result = try CLI.app("synth", "Good-test", "Stateful-test", "--out", dir.path + "/out", "--quiet")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: cannot use '\(dir.path)/out' as the output directory: it exists and is not a directory\n", "\(result)")
        #expect(try dir.entries() == ["out"])
        #expect(try dir.bytes("out") == Data("I was a directory\n".utf8))
    }
}
