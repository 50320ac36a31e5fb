import Foundation
import Testing

/// `formation init`: a new app's files, the refusals, and a project that builds, synthesizes and
/// passes its own tests with no edit.
@Suite struct InitTests {
    /// This checkout (the package the new project depends on by path).
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let projectFiles = [
        ".ci/run", ".gitignore", "Package.swift", "README.md",
        "Sources/MyApp/main.swift", "Sources/MyAppStacks/App.swift", "Sources/MyAppStacks/ExampleStack.swift",
        "Tests/MyAppStacksTests/MyAppStacksTests.swift",
        "snapshots/MyApp-dev.json", "snapshots/MyApp-dev.yaml", "snapshots/MyApp-prd.json", "snapshots/MyApp-prd.yaml",
    ]

    /// Every regular file below `root`, relative, sorted.
    static func files(below root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }

    @Test func writesTheProjectNamedAfterTheDirectory() throws {
        let dir = try TemporaryDirectory()
        let result = try CLI.run(CLI.formation, ["init", "my-app", "--formation-path", Self.checkout], in: dir.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("created my-app: the Formation app MyApp (stacks MyApp-dev and MyApp-prd)\n"), "\(result)")
        #expect(try dir.entries() == ["my-app"])  // no staging directory left beside it
        #expect(Self.files(below: dir.path + "/my-app") == Self.projectFiles.sorted())
        let package = String(decoding: try dir.bytes("my-app/Package.swift"), as: UTF8.self)
        #expect(package.contains(".package(path: \"\(Self.checkout)\")"))
        let identity = URL(fileURLWithPath: Self.checkout).lastPathComponent.lowercased()
        #expect(package.contains(".product(name: \"FormationCLI\", package: \"\(identity)\")"))
        #expect(package.contains("name: \"MyAppStacks\""))
        let ignore = String(decoding: try dir.bytes("my-app/.gitignore"), as: UTF8.self)
        #expect(ignore.contains(".build/\n") && ignore.contains("Package.resolved\n"))
        #expect(FileManager.default.isExecutableFile(atPath: dir.path + "/my-app/.ci/run"))
        // The committed snapshots are what `synth` writes for the example (a template with the
        // project's stack names and the environment's retention).
        let dev = String(decoding: try dir.bytes("my-app/snapshots/MyApp-dev.yaml"), as: UTF8.self)
        #expect(dev.contains("Description: 'MyApp (dev): uploads bucket, topic and logs'"))
        #expect(dev.contains("RetentionInDays: 14\n"))
        #expect(String(decoding: try dir.bytes("my-app/snapshots/MyApp-prd.json"), as: UTF8.self).contains("\"RetentionInDays\": 365"))
    }

    @Test func withoutAPathTheProjectDependsOnThePublishedPackage() throws {
        let dir = try TemporaryDirectory()
        let result = try CLI.run(CLI.formation, ["init", "infra", "--name", "Infra", "--quiet"], in: dir.path)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
        let package = String(decoding: try dir.bytes("infra/Package.swift"), as: UTF8.self)
        #expect(package.contains(".package(url: \"https://github.com/formation-swift/formation\", from: \"0.1.0\")"))
        #expect(package.contains(".product(name: \"Formation\", package: \"formation\")"))
        #expect(try dir.entries("infra/snapshots") == ["Infra-dev.json", "Infra-dev.yaml", "Infra-prd.json", "Infra-prd.yaml"])
    }

    @Test func anEmptyDirectoryIsFilledAndANonEmptyOneIsNeverTouched() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/empty", withIntermediateDirectories: false)
        let filled = try CLI.run(CLI.formation, ["init", "empty/", "--quiet"], in: dir.path)
        #expect(filled.status == 0, "\(filled)")
        #expect(Self.files(below: dir.path + "/empty").count == Self.projectFiles.count)

        try FileManager.default.createDirectory(atPath: dir.path + "/busy", withIntermediateDirectories: false)
        try dir.write("busy/notes.txt", "mine\n")
        let refused = try CLI.run(CLI.formation, ["init", "busy"], in: dir.path)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr == "error: 'busy' is not empty (notes.txt); formation init never overwrites: choose a new directory; nothing was written\n")
        #expect(try dir.entries("busy") == ["notes.txt"])
        #expect(try dir.bytes("busy/notes.txt") == Data("mine\n".utf8))

        try dir.write("file", "x")
        let notDirectory = try CLI.run(CLI.formation, ["init", "file"], in: dir.path)
        #expect(notDirectory.status == 1, "\(notDirectory)")
        #expect(notDirectory.stderr == "error: cannot create the app in 'file': it exists and is not a directory; nothing was written\n")
        #expect(try dir.entries() == ["busy", "empty", "file"])
    }

    @Test func invalidNamesAreUsageErrorsThatSayWhatIsValid() throws {
        let dir = try TemporaryDirectory()
        let rule = "1 to 50 ASCII letters and digits, starting with a letter (MyApp, Infra2)"
        let badName = try CLI.run(CLI.formation, ["init", "x", "--name", "my-app"], in: dir.path)
        #expect(badName.status == 2, "\(badName)")
        #expect(badName.stderr.hasPrefix("error: --name \"my-app\" is not a valid app name: it must be \(rule);"), "\(badName)")
        let badDirectory = try CLI.run(CLI.formation, ["init", "2024"], in: dir.path)
        #expect(badDirectory.status == 2, "\(badDirectory)")
        #expect(badDirectory.stderr.hasPrefix("error: cannot make an app name from the directory name \"2024\": an app name is \(rule); give one with --name\n"),
                "\(badDirectory)")
        let long = try CLI.run(CLI.formation, ["init", "x", "--name", String(repeating: "A", count: 51)], in: dir.path)
        #expect(long.status == 2, "\(long)")
        let noCheckout = try CLI.run(CLI.formation, ["init", "x", "--formation-path", dir.path], in: dir.path)
        #expect(noCheckout.status == 2, "\(noCheckout)")
        #expect(noCheckout.stderr.hasPrefix("error: --formation-path \(dir.path) is not a Formation checkout: it has no Package.swift\n"))
        #expect(try dir.entries() == [])
    }

    /// The whole promise: the new project builds, synthesizes and passes its own tests (with
    /// `CI=true`, so a missing or different snapshot fails) with no edit. A second full build of
    /// Formation, in the new package's own .build (about a minute here).
    @Test func theNewProjectBuildsSynthesizesAndPassesItsTests() throws {
        let dir = try TemporaryDirectory()
        let created = try CLI.run(CLI.formation, ["init", "my-app", "--formation-path", Self.checkout, "--quiet"], in: dir.path)
        #expect(created.status == 0, "\(created)")
        let project = dir.path + "/my-app"
        let build = try CLI.run("/usr/bin/env", ["swift", "build"], in: project)
        try #require(build.status == 0, "\(build)")
        let synth = try CLI.run(project + "/.build/debug/MyApp", ["synth", "--out", "out", "--format", "both"], in: project)
        #expect(synth.status == 0, "\(synth)")
        for stack in ["MyApp-dev", "MyApp-prd"] {
            for format in ["json", "yaml"] {
                // synth writes what the committed snapshots hold.
                #expect(try dir.bytes("my-app/out/\(stack).template.\(format)") == dir.bytes("my-app/snapshots/\(stack).\(format)"))
            }
        }
        let tests = try CLI.run("/usr/bin/env", ["swift", "test"], in: project, environment: ["CI": "true"])
        #expect(tests.status == 0, "\(tests)")
        #expect(tests.stdout.contains("Test run with 2 tests") && tests.stdout.contains("passed"), "\(tests)")
        // The tests changed no file of the project.
        #expect(Self.files(below: project).filter { !$0.hasPrefix(".build/") && !$0.hasPrefix("out/") && $0 != "Package.resolved" }
                == Self.projectFiles.sorted())
    }
}
