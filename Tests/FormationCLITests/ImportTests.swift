import Foundation
import Testing

/// `formation import` and `formation init --from`: what is written, the refusals, and an imported
/// project that builds and synthesizes its templates again.
@Suite struct ImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ImportFixtures").path

    static let queue = """
        Resources:
          Jobs:
            Type: AWS::SQS::Queue
            Properties: {VisibilityTimeout: 60}
          Logs:
            Type: AWS::Logs::LogGroup
            Properties: {RetentionInDays: 14, LogGroupName: !GetAtt Jobs.QueueName}

        """

    @Test func writesTheStackAndNamesTheTypesToGenerate() throws {
        let dir = try TemporaryDirectory()
        try dir.write("my_jobs.v2.yaml", Self.queue)
        let result = try CLI.run(CLI.formation, ["import", "my_jobs.v2.yaml", "--out", "Sources/App"], in: dir.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            wrote Sources/App/MyJobsV2Stack.swift: stack my-jobs-v2 from my_jobs.v2.yaml (2 typed, 0 raw resources, 0 raw property values)
            these types are typed from the registry: list them in a FormationTypes target's formation-types.txt:
              AWS::SQS::Queue

            """, "\(result)")
        #expect(try dir.entries("Sources/App") == ["MyJobsV2Stack.swift"])  // no temporary file left
        let source = String(decoding: try dir.bytes("Sources/App/MyJobsV2Stack.swift"), as: UTF8.self)
        #expect(source.contains("public enum MyJobsV2Stack {"))
        #expect(source.contains("public static func add(to app: App, name: String = \"my-jobs-v2\") -> Stack {"))
        #expect(source.contains("let jobs = stack.add(\"Jobs\", SQS.Queue(visibilityTimeout: 60))"))
        #expect(source.contains("stack.add(\"Logs\", Logs.LogGroup(logGroupName: jobs.queueName, retentionInDays: 14))"))

        // Never overwrites: the second run changes nothing.
        let again = try CLI.run(CLI.formation, ["import", "my_jobs.v2.yaml", "--out", "Sources/App"], in: dir.path)
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr == "error: 'Sources/App/MyJobsV2Stack.swift' exists; formation import never overwrites: move it or choose another --out; nothing was written\n")
        #expect(try dir.bytes("Sources/App/MyJobsV2Stack.swift") == Data(source.utf8))
    }

    @Test func aTemplateThatDoesNotParseIsAnErrorAtItsPositionAndNothingIsWritten() throws {
        let dir = try TemporaryDirectory()
        try dir.write("good.yaml", Self.queue)
        try dir.write("bad.yaml", "Resources:\n  Jobs:\n    Type: [AWS::SQS::Queue\n")
        let result = try CLI.run(CLI.formation, ["import", "good.yaml", "bad.yaml"], in: dir.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("bad.yaml:4:1: error: "), "\(result)")
        #expect(result.stderr.hasSuffix("error: nothing was written\n"), "\(result)")
        #expect(try dir.entries() == ["bad.yaml", "good.yaml"])
    }

    @Test func anInvalidTemplateIsImportedWithItsFindings() throws {
        let dir = try TemporaryDirectory()
        try dir.write("broken.yaml", """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {RetentionInDays: 13}
              Rule:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: {IpProtocol: tcp}
                DependsOn: Missing

            """)
        let result = try CLI.run(CLI.formation, ["import", "broken.yaml"], in: dir.path)
        #expect(result.status == 0, "\(result)")
        // The validation findings, located in the file, then what the Swift does not express.
        #expect(result.stderr.contains("broken.yaml:4:18: error FM3003 Logs: RetentionInDays 13 is not one of 1, 3, 5, 7, 14,"), "\(result)")
        #expect(result.stderr.contains("note: broken.yaml does not validate; importing it anyway, so that it can be fixed in Swift\n"))
        #expect(result.stderr.contains("warning: broken.yaml: Resources/Rule/DependsOn: Missing is not a resource declared before this one; left out\n"), "\(result)")
        let source = String(decoding: try dir.bytes("BrokenStack.swift"), as: UTF8.self)
        #expect(source.contains("Logs.LogGroup(retentionInDays: 13)"), "\(source)")
        #expect(source.contains("//   Resources/Rule/DependsOn: Missing is not a resource declared before this one; left out\n"))
    }

    @Test func usageErrors() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", Self.queue)
        try dir.write("b.yaml", Self.queue)
        let twoNames = try CLI.run(CLI.formation, ["import", "a.yaml", "b.yaml", "--stack-name", "X"], in: dir.path)
        #expect(twoNames.status == 2, "\(twoNames)")
        #expect(twoNames.stderr.contains("--stack-name names one stack, but 2 templates are given"), "\(twoNames)")
        let missing = try CLI.run(CLI.formation, ["import", "nope.yaml"], in: dir.path)
        #expect(missing.status == 1, "\(missing)")
        #expect(try dir.entries() == ["a.yaml", "b.yaml"])
    }

    @Test func initFromNeverOverwrites() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.yaml", Self.queue)
        try FileManager.default.createDirectory(atPath: dir.path + "/busy", withIntermediateDirectories: false)
        try dir.write("busy/keep.txt", "mine\n")
        let refused = try CLI.run(CLI.formation, ["init", "busy", "--from", "a.yaml"], in: dir.path)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr == "error: 'busy' exists and is not an empty directory; formation init never overwrites: choose a new directory; nothing was written\n")
        #expect(try dir.entries("busy") == ["keep.txt"])
    }

    /// The whole promise: templates imported into a new project (one stack each, named after the
    /// files) build, synthesize, and synthesize their original templates again as data (the
    /// project's own test compares them). One build of Formation in the project's .build.
    @Test func anImportedProjectBuildsAndSynthesizesItsTemplatesAgain() throws {
        let dir = try TemporaryDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 3)
        let created = try CLI.run(CLI.formation, ["init", "app", "--formation-path", InitTests.checkout, "--from"]
                                    + files.map { Self.fixtures + "/" + $0 }, in: dir.path)
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.hasPrefix("created app: the Formation app App with \(files.count) imported stacks\n"), "\(created)")
        let project = dir.path + "/app"
        #expect(try dir.entries("app/imported") == files)
        let build = try CLI.run("/usr/bin/env", ["swift", "build", "--build-tests"], in: project)
        try #require(build.status == 0, "\(build)")
        let synth = try CLI.run(project + "/.build/debug/App", ["synth", "features", "--format", "yaml"], in: project)
        #expect(synth.status == 0, "\(synth)")
        #expect(synth.stdout.contains("RetentionInDays: !If\n"), "\(synth)")
        let tests = try CLI.run("/usr/bin/env", ["swift", "test", "--skip-build"], in: project)
        #expect(tests.status == 0, "\(tests)")
        #expect(tests.stdout.contains("Test run with 1 test") && tests.stdout.contains("passed"), "\(tests)")
        #expect(!(tests.stdout + tests.stderr).contains("differs from imported/"), "\(tests)")
    }
}
