import Foundation
import Testing

/// The committed snapshots of the CLI test app's apps of many stacks (`snapshots/apps/<variant>/`):
/// a three-stack app wired by exports and imports, a parent with a nested stack (its child's
/// template snapshotted beside it) and a stack with an account and two regions, and two
/// StackSets. `formation snapshot` must find every file equal to a fresh synth; `make lint` runs
/// cfn-lint over them. To accept a deliberate change:
/// `FORMATION_TESTAPP=<variant> formation-cli-testapp snapshot --update --dir snapshots/apps/<variant>`.
@Suite struct AppSnapshotTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [
        ("cross-stack", ["Data-x", "Network-x", "Service-x"]),
        ("nested", ["Parent-x", "Parent-x.Network", "Regional-x"]),
        ("stack-set", ["Baseline-x", "Guard-x"]),
    ])
    func committedSnapshotsMatch(variant: String, templates: [String]) throws {
        let dir = Self.root.appendingPathComponent("snapshots/apps/\(variant)").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == templates.flatMap { [$0 + ".json", $0 + ".yaml"] }.sorted())
        let result = try CLI.run(CLI.testApp, ["snapshot", "--dir", dir], environment: ["FORMATION_TESTAPP": variant])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "checked \(files.count) snapshots in \(dir): all match\n", "\(result)")
    }
}
