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

    /// Every us-east-1 type's create-only list equals the one in the pinned cfn-lint's bundled
    /// schema, read here from cfn-lint's own files, independently of the registry bundle.
    @Test func replacementRulesAgreeWithCfnLintSchemas() throws {
        let pinned = "1.58.0"
        let located = try Self.python(["-c", "import os, cfnlint, cfnlint.version; print(os.path.dirname(cfnlint.__file__)); print(cfnlint.version.__version__)"])
        try #require(located.status == 0, "cfn-lint is needed (make pydeps installs cfn-lint==\(pinned)): \(located.stderr)")
        let lines = located.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(lines[1] == pinned, "the registry bundle is made from cfn-lint \(pinned); \(lines[1]) is installed (make pydeps)")
        #expect(ReplacementRules.source.hasPrefix("cfn-lint \(pinned) "))
        let schemas = lines[0] + "/data/schemas"

        let provider = try TemplateDocument.parse(String(contentsOfFile: schemas + "/providers/us-east-1.json", encoding: .utf8))
        let hashes = try #require(provider.mapValue)
        #expect(hashes.count > 1800, "could not read \(schemas)/providers/us-east-1.json")
        var compared = 0
        for entry in hashes.entries {
            let hash = try #require(entry.value.stringValue)
            let text = try String(contentsOfFile: schemas + "/resources/\(hash).json", encoding: .utf8)
            let schema = try TemplateDocument.parse(text)
            let expected = (schema["createOnlyProperties"]?.listValue ?? []).compactMap(\.stringValue).sorted()
            #expect(ReplacementRules.createOnlyProperties(entry.key) == expected, "\(entry.key)")
            compared += 1
        }
        #expect(compared == hashes.count)
        #expect(ReplacementRules.createOnlyProperties("AWS::S3::Buckett") == nil)
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
