import Foundation
import Testing
@testable import FormationTemplate

@Suite struct RoundTripTests {
    /// Thousands of generated values, hostile strings, unicode, control characters and every
    /// intrinsic: JSON → model → YAML → model is the identity.
    @Test func generatedValuesRoundTripThroughJSONAndYAML() throws {
        var rng = SplitMix64(seed: 0xF0_2A_11_0E)
        for index in 0..<3_000 {
            let value = Generate.value(depth: 4, &rng)
            let json = try JSONEmitter.emit(value)
            let fromJSON = try JSONParser.parse(json)
            #expect(fromJSON == value, "case \(index): JSON round trip changed \(value)\n\(json)")
            let yaml = try YAMLEmitter.emit(fromJSON)
            let fromYAML = try YAMLParser.parse(yaml)
            #expect(fromYAML == value, "case \(index): YAML round trip changed \(value)\n\(yaml)")
            if fromJSON != value || fromYAML != value { return }
        }
    }

    @Test(arguments: hostileStrings)
    func hostileStringRoundTrips(_ text: String) throws {
        let key = String(text.unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init))
        let value: TemplateValue = [key: .string(text), "list": [.string(text)]]
        let yaml = try YAMLEmitter.emit(value)
        #expect(try YAMLParser.parse(yaml) == value, "YAML:\n\(yaml)")
        #expect(try JSONParser.parse(try JSONEmitter.emit(value)) == value)
    }

    @Test func deepNestingRoundTrips() throws {
        let value = Generate.deep(200)
        #expect(try JSONParser.parse(try JSONEmitter.emit(value)) == value)
        #expect(try YAMLParser.parse(try YAMLEmitter.emit(value)) == value)
    }

    @Test func everyIntrinsicRoundTrips() throws {
        let functions: [Intrinsic] = [
            .ref("Key"), .getAtt("Key", "Arn"), .getAtt("Cache", "PrimaryEndPoint.Address"),
            .sub("arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}", nil),
            .sub("${Name}-x", ["Name": .fn(.ref("AWS::StackName"))]),
            .join(",", [.fn(.ref("A")), "b"]), .join("", .fn(.getAZs(""))),
            .select(0, .fn(.getAZs(.fn(.ref("AWS::Region"))))), .split(",", .fn(.importValue("Exported"))),
            .if("IsProd", 30, .fn(.ref("AWS::NoValue"))), .equals(.fn(.ref("Env")), "prd"),
            .and([.fn(.condition("A")), .fn(.condition("B"))]), .or([.fn(.condition("A")), "x"]),
            .not(.fn(.condition("A"))), .condition("IsProd"), .importValue(.fn(.sub("${Env}-VpcId", nil))),
            .findInMap("RegionMap", .fn(.ref("AWS::Region")), "Ami"), .getAZs(""),
            .base64(.fn(.sub("#!/bin/bash\necho ${AWS::Region}\n", nil))), .base64("plain"),
            .cidr(.fn(.getAtt("Vpc", "CidrBlock")), 6, 5),
            .transform("AWS::Include", ["Location": "s3://bucket/snippet.yaml"]),
        ]
        for function in functions {
            let value: TemplateValue = ["Value": .fn(function), "InList": [.fn(function)]]
            let fromJSON = try JSONParser.parse(try JSONEmitter.emit(value))
            #expect(fromJSON == value, "\(function.name) via JSON")
            let yaml = try YAMLEmitter.emit(value)
            #expect(try YAMLParser.parse(yaml) == value, "\(function.name) via YAML:\n\(yaml)")
        }
    }

    /// The YAML written here loads in PyYAML (with CloudFormation tag constructors) to the same
    /// data as the JSON written for the same values.
    @Test func yamlLoadsInPyYAMLAsTheSameDataAsTheJSON() throws {
        var rng = SplitMix64(seed: 20_261_122)
        var values: [TemplateValue] = (0..<1_500).map { _ in Generate.value(depth: 4, &rng) }
        values += hostileStrings.map { .list([.string($0)]) }
        let document = TemplateValue.list(values)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("formation-pyyaml-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yamlFile = directory.appendingPathComponent("values.yaml")
        let jsonFile = directory.appendingPathComponent("values.json")
        try YAMLEmitter.emit(document).write(to: yamlFile, atomically: true, encoding: .utf8)
        try JSONEmitter.emit(document).write(to: jsonFile, atomically: true, encoding: .utf8)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pyyaml_crosscheck.py")
        let (status, output) = try runPython([script.path, yamlFile.path, jsonFile.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("same"))
    }
}

/// Runs python3 with arguments; returns the exit status and the combined output.
func runPython(_ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
