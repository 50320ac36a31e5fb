import Foundation
import Formation
import Testing
@testable import FormationCLI

/// The replacement table against cfn-lint's bundled registry schemas, and the stateful types.
@Suite struct ReplacementRulesTests {
    /// The repository root (three levels above this file).
    static let repositoryRoot: String = {
        var path = "\(#filePath)"
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path
    }()

    /// Runs python3 with `arguments`; the exit status and stdout, stderr.
    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Every type's create-only list equals the one in cfn-lint 1.51.0's bundled us-east-1 schema,
    /// read here independently of the generator script.
    @Test func replacementRulesAgreeWithCfnLintSchemas() throws {
        let located = try Self.python(["-c", "import os, cfnlint, cfnlint.version; print(os.path.dirname(cfnlint.__file__)); print(cfnlint.version.__version__)"])
        try #require(located.status == 0, "cfn-lint is needed (make pydeps installs cfn-lint==1.51.0): \(located.stderr)")
        let lines = located.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(lines[1] == "1.51.0", "the table is generated from cfn-lint 1.51.0; \(lines[1]) is installed (make pydeps)")
        #expect(ReplacementRules.source.hasPrefix("cfn-lint 1.51.0 "))
        let schemas = lines[0] + "/data/schemas"

        // providers/us_east_1.py: `    "AWS::X::Y": "<hash>",` per type.
        let provider = try String(contentsOfFile: schemas + "/providers/us_east_1.py", encoding: .utf8)
        var hashes: [String: String] = [:]
        for line in provider.split(separator: "\n") {
            let parts = line.split(separator: "\"")
            if parts.count >= 4, parts[1].hasPrefix("AWS::"), parts[2].trimmingCharacters(in: .whitespaces) == ":" {
                hashes[String(parts[1])] = String(parts[3])
            }
        }
        #expect(hashes.count > 1000, "could not read \(schemas)/providers/us_east_1.py")

        #expect(ReplacementRules.createOnlyProperties.count == 26)
        for (type, pointers) in ReplacementRules.createOnlyProperties {
            let hash = try #require(hashes[type], "\(type) is not in cfn-lint's us-east-1 registry")
            let text = try String(contentsOfFile: schemas + "/resources/\(hash).json", encoding: .utf8)
            let schema = try TemplateDocument.parse(text)
            #expect(schema["typeName"]?.stringValue == type)
            let expected = (schema["createOnlyProperties"]?.listValue ?? []).compactMap(\.stringValue).sorted()
            #expect(pointers == expected, "\(type)")
        }
    }

    /// The committed Swift table is exactly what the pinned generator writes.
    @Test func generatorScriptReproducesTheTable() throws {
        let result = try Self.python([Self.repositoryRoot + "/scripts/replacement-rules.py", "--check"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func statefulTypesAreData() {
        for type in ["AWS::S3::Bucket", "AWS::KMS::Key", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::BedrockAgentCore::Memory", "AWS::ElastiCache::SubnetGroup"] {
            #expect(StatefulTypes.contains(type), "\(type)")
        }
        for type in ["AWS::IAM::Role", "AWS::RDSX::Thing", "AWS::S3::BucketPolicy", "AWS::Lambda::Function"] {
            #expect(!StatefulTypes.contains(type), "\(type)")
        }
        #expect(StatefulTypes.defaultDeletionPolicy(type: "AWS::RDS::DBInstance", properties: [:]) == "Snapshot")
        #expect(StatefulTypes.defaultDeletionPolicy(type: "AWS::RDS::DBInstance", properties: ["DBClusterIdentifier": "c"]) == "Delete")
        #expect(StatefulTypes.defaultDeletionPolicy(type: "AWS::S3::Bucket", properties: nil) == "Delete")
    }
}
