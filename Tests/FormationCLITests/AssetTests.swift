import Foundation
import Formation
import Testing
@testable import FormationCLI

/// Code assets (zipped Lambda code) through `synth --out` and `deploy-args`, with this
/// repository's caching and AMI update stacks, whose larger functions are zips.
@Suite struct AssetTests {
    /// The `S3Key` values of a JSON template's functions.
    static func s3Keys(_ text: String) throws -> [String] {
        let template = try Template(document: JSONParser.parse(text))
        return template.resourceViews.compactMap { $0.properties["Code"]?["S3Key"]?.stringValue }
    }

    @Test func synthWritesEachAssetBesideTheTemplatesOnce() throws {
        let dir = try TemporaryDirectory()
        let stacks = ["BedrockCacheStack-dev", "BedrockCacheStack-prd", "EksAmiUpdateStack-dev"]
        let first = try CLI.run(CLI.formation, ["synth"] + stacks + ["--out", dir.path])
        #expect(first.status == 0, "\(first)")
        let entries = try dir.entries()
        let zips = entries.filter { $0.hasSuffix(".zip") }
        #expect(entries.filter { $0.hasSuffix(".template.json") } == stacks.sorted().map { $0 + ".template.json" })
        // The cache code (shared by dev and prd: same bytes, same name) and the detector's and updater's.
        #expect(zips.count == 3)
        var keys = Set<String>()
        for stack in stacks {
            keys.formUnion(try Self.s3Keys(String(decoding: try dir.bytes(stack + ".template.json"), as: UTF8.self)))
        }
        #expect(keys == Set(zips))
        for zip in zips {
            let bytes = try dir.bytes(zip)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "\(zip) is not a ZIP")
            #expect(SHA256Hex.of(bytes) + ".zip" == zip, "\(zip) is not named by its content")
        }
        #expect(entries.allSatisfy { !$0.hasPrefix(".") }, "temporary files left: \(entries)")

        let second = try CLI.run(CLI.formation, ["synth"] + stacks + ["--out", dir.path, "--format", "yaml"])
        #expect(second.status == 0, "\(second)")
        for zip in zips {
            #expect(second.stderr.contains("unchanged \(dir.path)/\(zip)"), "\(second.stderr)")
        }
    }

    @Test func anAssetThatCannotBeWrittenLeavesNoFileOfTheRun() throws {
        let probe = try TemporaryDirectory()
        #expect(try CLI.run(CLI.formation, ["synth", "BedrockCacheStack-dev", "--out", probe.path]).status == 0)
        let zip = try #require(try probe.entries().first { $0.hasSuffix(".zip") })

        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/" + zip, withIntermediateDirectories: false)
        let result = try CLI.run(CLI.formation, ["synth", "BedrockCacheStack-dev", "--out", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("a directory is in the way; no file was changed"), "\(result.stderr)")
        #expect(try dir.entries() == [zip])
    }

    @Test func stdoutSynthSaysTheAssetsNeedOut() throws {
        let result = try CLI.run(CLI.formation, ["synth", "BedrockCacheStack-dev"])
        #expect(result.status == 0)
        let key = try #require(try Self.s3Keys(result.stdout).first)
        #expect(result.stderr.contains("note: BedrockCacheStack-dev has 1 code asset (\(key)), not written to stdout: write it with --out DIR"),
                "\(result.stderr)")
    }

    @Test func deployArgsAsksForTheAssetBucketAndShowsTheUploads() throws {
        let result = try CLI.run(CLI.formation, ["deploy-args", "BedrockCacheStack-dev", "--format", "yaml"])
        #expect(result.status == 0, "\(result)")
        let words = try DeployArgsTests.shellWords(result.stdout)
        #expect(words.contains("AssetBucket=<fill in: S3 bucket holding the code assets>"), "\(words)")
        #expect(result.stderr.contains("note: AssetBucket names the S3 bucket holding this stack's code assets"), "\(result.stderr)")
        let synth = try CLI.run(CLI.formation, ["synth", "BedrockCacheStack-dev"])
        let key = try #require(try Self.s3Keys(synth.stdout).first)
        #expect(result.stderr.contains("note: upload 1 code asset to the asset bucket before deploying"), "\(result.stderr)")
        #expect(result.stderr.contains("  aws s3 cp out/\(key) 's3://<AssetBucket>/\(key)'"), "\(result.stderr)")
    }

    @Test func uploadCommandsUseTheBucketsDeployValueWhenThereIsOne() throws {
        let app = App()
        let stack = app.stack("S")
        stack.parameter(StackAsset.bucketParameter, type: .string, deployValue: "my-assets")
        let asset = StackAsset(fileName: "abc.zip", bytes: [1, 2, 3])
        let plan = DeployPlan(stack: stack, template: stack.synthesize().template, templateBytes: 10, assets: [asset])
        #expect(plan.overrides == [.init(name: "AssetBucket", value: "my-assets", placeholder: nil)])
        #expect(plan.uploadCommands(out: "build/cfn") == ["aws s3 cp build/cfn/abc.zip s3://my-assets/abc.zip"])
    }

    @Test func oneAssetNameWithTwoContentsIsRefused() throws {
        let app = App()
        var outputs: [StackRenderer.Output] = []
        for (name, byte) in [("A", UInt8(1)), ("B", UInt8(2))] {
            let stack = app.stack(name)
            stack.add("Topic", RawResource(type: "AWS::SNS::Topic"))
            stack.addAsset(StackAsset(fileName: "same.zip", bytes: [byte]))
            let synthesis = stack.synthesize()
            outputs.append(.init(stack: stack, synthesis: synthesis, renderings: [try synthesis.render(.json)]))
        }
        let error = #expect(throws: CLIError.self) { try SynthCommand.assets(of: outputs) }
        #expect(error?.messages == ["asset same.zip of B differs from the one of A with the same name; no file written"])
        #expect(try SynthCommand.assets(of: [outputs[0], outputs[0]]) == [StackAsset(fileName: "same.zip", bytes: [1])])
    }
}

/// SHA-256 hex digests through `sha256sum`, an implementation independent of Formation's.
enum SHA256Hex {
    static func of(_ data: Data) -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("formation-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard (try? data.write(to: scratch)) != nil, let result = try? CLI.run("/usr/bin/env", ["sha256sum", scratch.path]) else { return "" }
        return String(result.stdout.prefix(64))
    }
}
