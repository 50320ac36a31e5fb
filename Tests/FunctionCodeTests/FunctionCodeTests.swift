import Foundation
import Testing
import FormationAssets
@testable import Stacks

/// Runs `python3 -c script args…`, failing the test when Python fails.
private func python(_ script: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        Issue.record("python3 exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
    }
    return String(decoding: out, as: UTF8.self)
}

/// Imports the handler module from the package alone (stdlib on the path, no source tree) and
/// checks the handler is callable: the package is self-sufficient, as Lambda will see it.
private let importHandler = """
import importlib, os, sys, tempfile, zipfile
package, module, function, inline = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "inline"
sys.path = [p for p in sys.path if "stacks/functions" not in p]
work = tempfile.mkdtemp()
if inline:
    with open(os.path.join(work, "index.py"), "w") as f:
        f.write(open(package).read())
else:
    zipfile.ZipFile(package).extractall(work)
sys.path.insert(0, work)
handler = getattr(importlib.import_module(module), function)
print(callable(handler), sorted(n for n in os.listdir(work) if not n.startswith("__")))
"""

@Suite struct FunctionCodeTests {
    @Test func packagesAreWhatWeExpect() throws {
        var shape: [String] = []
        for (name, code) in FunctionCode.all {
            let packaged = try code.package()
            let kind = packaged.asset.inlineSource != nil ? "inline" : "zip"
            shape.append("\(name): \(kind) \(packaged.handler) \(packaged.asset.files.joined(separator: ","))")
        }
        #expect(shape == [
            "semantic-cache: zip handler.lambda_handler handler.py,pipeline.py,resp.py",
            "ami-detector: zip detector.lambda_handler ami_file.py,detector.py,github_app.py",
            "bedrock-analyzer: inline index.lambda_handler analyzer.py",
            "gitops-updater: zip updater.lambda_handler ami_file.py,github_app.py,updater.py",
            "notifier: inline index.lambda_handler notifier.py",
        ])
    }

    @Test func packagingTwiceGivesTheSameAssets() throws {
        for (name, code) in FunctionCode.all {
            #expect(try code.package() == (try code.package()), "\(name)")
        }
    }

    @Test func forcedZipOfAnInlineFunction() throws {
        let packaged = try FunctionCode.notifier.package(inlineLimit: 0)
        let zip = try #require(packaged.asset.zip)
        #expect(packaged.handler == "notifier.lambda_handler")
        #expect(zip.fileName == zip.sha256 + ".zip")
    }

    @Test func everyPackageImportsOnItsOwn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("function-code-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, code) in FunctionCode.all {
            let packaged = try code.package()
            let module = String(packaged.handler.split(separator: ".").first ?? "")
            let function = String(packaged.handler.split(separator: ".").last ?? "")
            let path: String
            if let source = packaged.asset.inlineSource {
                path = folder.appendingPathComponent(name + ".py").path
                try source.write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                path = try #require(packaged.asset.zip).write(toDirectory: folder.path)
            }
            let kind = packaged.asset.inlineSource != nil ? "inline" : "zip"
            let expectedFiles = kind == "inline" ? "['index.py']"
                : "[" + packaged.asset.files.map { "'\($0)'" }.joined(separator: ", ") + "]"
            #expect(try python(importHandler, [path, module, function, kind]) == "True \(expectedFiles)\n", "\(name)")
        }
    }

    @Test func rootIsFoundFromTheStacksFolder() throws {
        let root = try FunctionCode.repositoryRoot()
        #expect(FileManager.default.fileExists(atPath: root.resolve("stacks/functions/README.md")))
    }
}

import Formation
import FormationTemplate

@Suite struct InlineCodeInTemplatesTests {
    /// Inline code goes through the template's JSON and YAML and comes back byte for byte, and
    /// the YAML writes it as a literal block (readable in a diff).
    @Test func inlineSourceRoundTripsThroughJSONAndYAML() throws {
        var checked: [String] = []
        for (name, code) in FunctionCode.all {
            let packaged = try code.package()
            guard let source = packaged.asset.inlineSource else { continue }
            checked.append(name)
            let app = App()
            let stack = app.stack("InlineCheck-dev", environment: "dev")
            stack.add("Function", RawResource(type: "AWS::Lambda::Function", properties: [
                "Handler": .string(packaged.handler),
                "Code": .map(["ZipFile": .string(source)]),
            ]))
            let synthesized = stack.synthesize()
            for format in [TemplateFormat.json, .yaml] {
                let text = try synthesized.render(format).text
                let parsed = try TemplateDocument.parse(text)
                let zipFile = parsed["Resources"]?["Function"]?["Properties"]?["Code"]?["ZipFile"]
                #expect(zipFile == .string(source), "\(name) \(format)")
            }
            #expect(try synthesized.render(.yaml).text.contains("ZipFile: |"), "\(name)")
        }
        #expect(checked == ["bedrock-analyzer", "notifier"])
    }
}
