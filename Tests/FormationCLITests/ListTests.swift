import Foundation
import Testing

/// `formation list`.
@Suite struct ListTests {
    @Test func listsEveryStackInAlignedColumns() throws {
        let result = try CLI.app("list")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 8, "\(result.stdout)")
        let header = lines[0]
        #expect(header.hasPrefix("STACK "))
        let titles = ["ENVIRONMENT", "RESOURCES", "JSON BYTES", "YAML BYTES", "STATUS"]
        let starts = try titles.map { try #require(header.range(of: $0)).lowerBound.utf16Offset(in: header) }
        for line in lines {
            #expect(!line.hasSuffix(" "), "trailing blank in \(line)")
            // Left-aligned columns start under their title; right-aligned ones end under it.
            let environmentStart = line.index(line.startIndex, offsetBy: starts[0])
            #expect(line[line.index(before: environmentStart)] == " " && line[environmentStart] != " ", "\(line)")
            for (title, start) in zip(titles[1...3], starts[1...3]) {
                let end = line.index(line.startIndex, offsetBy: start + title.count)
                #expect(line[line.index(before: end)] != " " && line[end] == " ", "\(title) misaligned in \(line)")
            }
            let statusStart = line.index(line.startIndex, offsetBy: starts[4])
            #expect(line[line.index(before: statusStart)] == " " && line[statusStart] != " ", "\(line)")
        }
        let rows = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { line in
            let cells = line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            return (cells[0], cells)
        })
        #expect(rows["Good-test"] == ["Good-test", "test", "2", try jsonSize("Good-test"), try yamlSize("Good-test"), "ok", "-"])
        #expect(rows["Warn-test"]?[5] == "1 warning")
        #expect(rows["Broken-test"]?[5] == "1 error")
        #expect(rows["Big-test"]?[2] == "60")
        let bigJSON = try #require(Int(rows["Big-test"]?[3] ?? ""))
        #expect(bigJSON > 51_200)
        #expect(rows["Big-test"]?[5] == "1 warning")
        #expect(header.hasSuffix("DEPENDS ON"))
        // Rows in the order the app adds its stacks (synthesis runs concurrently).
        #expect(lines.dropFirst().map { String($0.prefix { $0 != " " }) }
            == ["Good-test", "Warn-test", "Broken-test", "NamedIam-test", "UnnamedIam-test", "Big-test", "Stateful-test"])
    }

    /// A stack that imports another's exports names it, and `--order` lists producers first.
    @Test func dependenciesAndTheDeployOrder() throws {
        let environment = ["FORMATION_TESTAPP": "cross-stack"]
        let listed = try CLI.run(CLI.testApp, ["list"], environment: environment)
        #expect(listed.status == 0, "\(listed)")
        func cells(_ output: String) -> [[String]] {
            output.split(separator: "\n").dropFirst().map { line in
                line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        #expect(cells(listed.stdout).map { [$0[0], $0[6]] } == [
            ["Service-x", "Data-x,Network-x"], ["Data-x", "Network-x"], ["Network-x", "-"],
        ])
        let ordered = try CLI.run(CLI.testApp, ["list", "--order"], environment: environment)
        #expect(ordered.status == 0, "\(ordered)")
        #expect(cells(ordered.stdout).map(\.first) == ["Network-x", "Data-x", "Service-x"])
    }

    @Test func listsTheRepositoryAppWithEnvironments() throws {
        let result = try CLI.run(CLI.formation, ["list"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count >= 3)
        for environment in ["dev", "stg", "prd"] {
            #expect(rows.contains { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) == environment })
        }
    }

    private func jsonSize(_ stack: String) throws -> String {
        String(try CLI.app("synth", stack).stdout.utf8.count)
    }

    private func yamlSize(_ stack: String) throws -> String {
        String(try CLI.app("synth", stack, "--format", "yaml").stdout.utf8.count)
    }
}
