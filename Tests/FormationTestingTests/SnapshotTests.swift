import Formation
import FormationTemplate
import Foundation
import Testing
@testable import FormationTesting

/// Snapshot comparison in every mode, against files in a temporary directory.
@Suite struct SnapshotTests {
    let directory: TemporaryDirectory
    let synthesis = Fixtures.synthesis()

    init() throws {
        directory = try TemporaryDirectory()
    }

    func snapshots(_ mode: SnapshotMode) -> Snapshots {
        Snapshots(directory: directory.path + "/snapshots", mode: mode)
    }

    var jsonPath: String { directory.path + "/snapshots/Demo-dev.json" }

    func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots")) ?? []).sorted()
    }

    /// The fixture with a few changes: a port, an attribute, a resource removed and one added.
    func changedTemplate() -> Template {
        var template = Fixtures.synthesis(egressPort: 80).template
        var resources = template.resources
        resources["Machine"] = nil
        var key = resources["Key"]?.mapValue ?? [:]
        key["DeletionPolicy"] = "Delete"
        resources["Key"] = .map(key)
        resources["Queue"] = ["Type": "AWS::SQS::Queue", "Properties": ["VisibilityTimeout": 60]]
        template.root["Resources"] = .map(resources)
        return template
    }

    @Test func localModeRecordsAMissingSnapshotThenMatchesIt() throws {
        let first = snapshots(.local).check(synthesis)
        #expect(first.outcome == .recorded)
        #expect(first.passed)
        #expect(first.path == jsonPath)
        #expect(first.message == "recorded new snapshot \(jsonPath)")
        #expect(contents(jsonPath) == (try synthesis.render(.json).text))
        #expect(files() == ["Demo-dev.json"])  // no temporary file left behind

        let second = snapshots(.local).check(synthesis)
        #expect(second.outcome == .matched)
        #expect(second.assertion == .pass)
    }

    @Test func ciModeFailsOnAMissingSnapshotAndWritesNothing() {
        let result = snapshots(.ci).check(synthesis)
        #expect(result.outcome == .missing)
        #expect(!result.passed)
        #expect(result.message
            == "snapshot \(jsonPath) is missing, and CI does not record snapshots: run swift test locally to record it, then commit it")
        #expect(files() == [])
    }

    @Test func aMismatchFailsWithAResourceLevelDiffInEveryComparingMode() throws {
        #expect(snapshots(.local).check(synthesis).outcome == .recorded)
        let committed = contents(jsonPath)
        for mode in [SnapshotMode.local, .ci] {
            let result = snapshots(mode).check(changedTemplate(), name: "Demo-dev")
            #expect(result.outcome == .mismatched)
            #expect(result.message == """
                snapshot \(jsonPath) differs from Demo-dev (snapshot → synthesized):
                Resources
                [~] Key (AWS::KMS::Key)
                    DeletionPolicy: "Retain" → "Delete"
                [~] AgentSg (AWS::EC2::SecurityGroup)
                    Properties.SecurityGroupEgress[0].FromPort: 443 → 80
                    Properties.SecurityGroupEgress[0].ToPort: 443 → 80
                [-] Machine (AWS::StepFunctions::StateMachine)
                [+] Queue (AWS::SQS::Queue)
                to accept the new template: FORMATION_UPDATE_SNAPSHOTS=1 swift test
                """)
            #expect(result.diff?.resources.map(\.name) == ["Key", "AgentSg", "Machine", "Queue"])
            #expect(contents(jsonPath) == committed)  // a failing comparison never writes
        }
    }

    @Test func updateModeRewritesADifferentSnapshot() throws {
        #expect(snapshots(.local).check(synthesis).outcome == .recorded)
        let changed = changedTemplate()
        let result = snapshots(.update).check(changed, name: "Demo-dev")
        #expect(result.outcome == .updated)
        #expect(result.passed)
        #expect(result.message == "updated snapshot \(jsonPath)")
        #expect(result.diff?.resources.map(\.kind) == [.changed, .changed, .removed, .added])
        #expect(contents(jsonPath) == (try JSONEmitter.emit(changed)))
        #expect(files() == ["Demo-dev.json"])
        #expect(snapshots(.ci).check(changed, name: "Demo-dev").outcome == .matched)
        // Matching snapshots are left alone in update mode.
        #expect(snapshots(.update).check(changed, name: "Demo-dev").outcome == .matched)
    }

    @Test func updateModeRecordsAMissingSnapshotEvenOnCI() {
        #expect(SnapshotMode.fromEnvironment(["CI": "true", "FORMATION_UPDATE_SNAPSHOTS": "1"]) == .update)
        let result = snapshots(.update).check(synthesis)
        #expect(result.outcome == .recorded)
        #expect(files() == ["Demo-dev.json"])
    }

    @Test func yamlSnapshotsUseTheYamlExtensionAndText() throws {
        let result = snapshots(.local).check(synthesis, format: .yaml)
        #expect(result.path == directory.path + "/snapshots/Demo-dev.yaml")
        #expect(contents(result.path) == (try synthesis.render(.yaml).text))
        #expect(snapshots(.ci).check(synthesis, format: .yaml).outcome == .matched)
        let changed = snapshots(.ci).check(Fixtures.synthesis(egressPort: 80), format: .yaml)
        #expect(changed.outcome == .mismatched)
        #expect(changed.diff?.resources.map(\.name) == ["AgentSg"])
    }

    @Test func aFormattingOnlyDifferenceStillFailsAndPointsAtTheLine() throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/snapshots", withIntermediateDirectories: true)
        let text = try synthesis.render(.json).text
        try text.replacingOccurrences(of: "\"demo\"", with: "\"demo\"   ").write(toFile: jsonPath, atomically: true, encoding: .utf8)
        let result = snapshots(.local).check(synthesis)
        #expect(result.outcome == .mismatched)
        #expect(result.diff == nil)
        #expect(result.message == #"""
            snapshot \#(jsonPath) holds the same template as Demo-dev but formatted differently; first difference at line 3: snapshot has "  \"Description\": \"demo\"   ,", synthesized has "  \"Description\": \"demo\","
            to accept the new template: FORMATION_UPDATE_SNAPSHOTS=1 swift test
            """#)
    }

    @Test func anUnreadableSnapshotFailsAndUpdateModeRepairsIt() throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/snapshots", withIntermediateDirectories: true)
        try "{\"Resources\": [".write(toFile: jsonPath, atomically: true, encoding: .utf8)
        let result = snapshots(.local).check(synthesis)
        #expect(result.outcome == .mismatched)
        #expect(result.message.hasPrefix("snapshot \(jsonPath) is not a readable template (\(jsonPath):1:"))
        #expect(result.message.hasSuffix(")\nto accept the new template: FORMATION_UPDATE_SNAPSHOTS=1 swift test"))
        #expect(snapshots(.update).check(synthesis).outcome == .updated)
        #expect(snapshots(.ci).check(synthesis).outcome == .matched)
    }

    @Test func aStackWithSynthesisErrorsIsNeverSnapshotted() {
        let app = App(schemas: .empty)
        let stack = app.stack("Broken-dev")
        stack.add("Topic", RawResource(type: "AWS::SNS::Topic", properties: ["KmsMasterKeyId": .fn(.ref("Nope"))]))
        for mode in SnapshotMode.allCases {
            let result = snapshots(mode).check(stack.synthesize())
            #expect(result.outcome == .failed)
            #expect(result.message == """
                Broken-dev has 1 synthesis error; its snapshot \(directory.path)/snapshots/Broken-dev.json was not compared:
                  error FM1101 Broken-dev/Topic: KmsMasterKeyId: Ref to Nope, which is not a resource, parameter or pseudo parameter of this template
                """)
        }
        #expect(files() == [])
    }

    @Test func namesThatAreNotPlainFileNamesAreRefused() {
        for name in ["../escape", "a/b", ".hidden", "", "spaced name"] {
            let result = snapshots(.update).check(synthesis.template, name: name)
            #expect(result.outcome == .failed)
            #expect(result.message.hasSuffix(" cannot name a snapshot file: use letters, digits, '-', '_' and '.', not starting with '.'"))
        }
        #expect(files() == [])
        #expect(Snapshots.isUsableFileName("CustomerServiceAgentStack-dev"))
    }

    @Test func aDirectoryThatCannotBeCreatedIsAFailureNotACrash() throws {
        let blocker = directory.path + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let result = Snapshots(directory: blocker + "/snapshots", mode: .local).check(synthesis)
        #expect(result.outcome == .failed)
        #expect(result.message == "cannot write snapshot: \(blocker): cannot create directory: it exists and is not a directory")
    }

    @Test func modeComesFromTheEnvironment() {
        #expect(SnapshotMode.fromEnvironment([:]) == .local)
        #expect(SnapshotMode.fromEnvironment(["CI": "true"]) == .ci)
        #expect(SnapshotMode.fromEnvironment(["CI": "TRUE"]) == .ci)
        #expect(SnapshotMode.fromEnvironment(["CI": "1"]) == .ci)
        #expect(SnapshotMode.fromEnvironment(["CI": "false"]) == .local)
        #expect(SnapshotMode.fromEnvironment(["FORMATION_UPDATE_SNAPSHOTS": "1"]) == .update)
        #expect(SnapshotMode.fromEnvironment(["FORMATION_UPDATE_SNAPSHOTS": "0", "CI": "true"]) == .ci)
        #expect(SnapshotMode.fromEnvironment { $0 == "FORMATION_UPDATE_SNAPSHOTS" ? "yes" : nil } == .update)
        // `current` reads this process's environment (compared, not changed: other tests run alongside).
        #expect(SnapshotMode.current == SnapshotMode.fromEnvironment(ProcessInfo.processInfo.environment))
    }

    @Test func relativeDirectoriesResolveAgainstThePackageRoot() throws {
        let package = directory.path + "/pkg"
        try FileManager.default.createDirectory(atPath: package + "/Tests/AppTests", withIntermediateDirectories: true)
        try "// swift-tools-version: 6.1\n".write(toFile: package + "/Package.swift", atomically: true, encoding: .utf8)
        let testFile = package + "/Tests/AppTests/StackTests.swift"
        #expect(Snapshots.packageRoot(containing: testFile) == package)
        #expect(Snapshots(directory: "snapshots", mode: .ci).resolvedDirectory(filePath: testFile) == package + "/snapshots")
        #expect(Snapshots(directory: "out/snaps", mode: .ci).resolvedDirectory(filePath: testFile) == package + "/out/snaps")
        #expect(Snapshots(directory: "/abs", mode: .ci).resolvedDirectory(filePath: testFile) == "/abs")
        #expect(Snapshots.packageRoot(containing: "relative/File.swift") == nil)
        // This package's own tests resolve to this package's root.
        let root = Snapshots.packageRoot(containing: #filePath)
        #expect(root.map { FileManager.default.fileExists(atPath: $0 + "/Package.swift") } == true)
        #expect(Snapshots(mode: .ci).path(for: "Demo-dev", format: .yaml) == (root ?? "?") + "/snapshots/Demo-dev.yaml")
    }

    @Test func assertMatchesReportsAtTheCaller() {
        snapshots(.local).assertMatches(synthesis)  // records; passes
        snapshots(.ci).assertMatches(synthesis)     // matches; passes
        let expected = snapshots(.ci).check(Fixtures.synthesis(egressPort: 80)).message
        let line = #line + 2
        withKnownIssue {
            snapshots(.ci).assertMatches(Fixtures.synthesis(egressPort: 80))
        } matching: { issue in
            issue.comments.map(\.rawValue) == [expected] && issue.sourceLocation?.line == line
        }
        withKnownIssue {
            snapshots(.ci).assertMatches(changedTemplate(), name: "Demo-dev", format: .yaml)
        } matching: { issue in
            issue.comments.first?.rawValue.hasPrefix("snapshot \(directory.path)/snapshots/Demo-dev.yaml is missing") == true
        }
    }

    /// A nested stack's template is snapshotted beside its parent's (`Demo-dev.Network.json`),
    /// and a change in it alone fails the parent's check, naming the nested file.
    @Test func nestedTemplatesAreSnapshottedBesideTheParent() throws {
        let child: Template = try Template(document: TemplateDocument.parse(#"{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}}"#, file: "child.json"))
        var parent = synthesis
        parent.nestedTemplates = [NestedTemplate(path: "Demo-dev/Network", template: child)]
        let first = snapshots(.local).check(parent)
        #expect(first.passed && first.path == jsonPath, "\(first)")
        #expect(files() == ["Demo-dev.Network.json", "Demo-dev.json"])
        #expect(contents(directory.path + "/snapshots/Demo-dev.Network.json") == (try JSONEmitter.emit(child)))
        #expect(snapshots(.ci).check(parent).outcome == .matched)

        var changed = child
        changed.root["Resources"] = ["Vpc": ["Type": "AWS::EC2::VPC", "Properties": ["CidrBlock": "10.1.0.0/16"]]]
        parent.nestedTemplates = [NestedTemplate(path: "Demo-dev/Network", template: changed)]
        let result = snapshots(.ci).check(parent)
        #expect(result.outcome == .mismatched)
        #expect(result.path == directory.path + "/snapshots/Demo-dev.Network.json")
        #expect(result.message.contains("Demo-dev.Network"), "\(result.message)")
        #expect(result.message.contains("10.0.0.0/16") && result.message.contains("10.1.0.0/16"), "\(result.message)")
        // Without the nested stack its file is simply not compared (the parent still matches).
        parent.nestedTemplates = []
        #expect(snapshots(.ci).check(parent).outcome == .matched)
    }
}
