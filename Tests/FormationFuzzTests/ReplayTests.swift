import Foundation
import Testing
import FormationFuzz
import Formation

/// Every committed fuzzing input — the seeds (fuzz/seeds/) and every finding (fuzz/findings/,
/// each a regression test of what it found) — through every fuzz target, as `make fuzz` runs
/// them: a crash or a broken round trip fails the test run.
@Suite struct ReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The files in `directory` and its subdirectories (`snapshots/apps/<variant>/`), sorted.
    static func inputs(_ directory: String) throws -> [String] {
        let path = root.appendingPathComponent(directory).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
            .flatMap { name -> [String] in
                let child = path + "/" + name
                var isSubdirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: child, isDirectory: &isSubdirectory)
                return isSubdirectory.boolValue ? try inputs(directory + "/" + name) : [child]
            }
    }

    @Test func seedsAndFindingsPassEveryTarget() throws {
        let files = try Self.inputs("fuzz/seeds") + Self.inputs("fuzz/findings") + Self.inputs("snapshots")
        #expect(files.count > 40)
        for file in files {
            for target in FuzzTarget.allCases {
                try target.run(file: file)
            }
        }
    }

    /// The round-trip check sees a change: a map spelled like an intrinsic's long form reads
    /// back as the intrinsic.
    @Test func theRoundTripCheckCanFail() throws {
        #expect(FuzzTarget.roundTripProblem(["Fn::Sub": "x"]) != nil)
        #expect(FuzzTarget.roundTripProblem(.map(["A": .map(["Fn::Base64": "x"])]))?.hasPrefix("the JSON round trip changed the document") == true)
        #expect(FuzzTarget.roundTripProblem(["A": [1, 2.5, "x", .number("99999999999999999999999")]]) == nil)
        #expect(FuzzTarget.roundTripProblem(try TemplateDocument.parse(String(contentsOfFile: Self.root.path + "/fuzz/seeds/tags.yaml", encoding: .utf8))) == nil)
    }
}
