import Foundation
import Testing
import Formation
@testable import FormationAssets

private let handlerSource = "import json\n\n\ndef lambda_handler(event, context):\n    return {\"ok\": True}\n"

@Suite struct InlineOrZipTests {
    @Test func packagingAgainReusesTheCodeOnlyForTheSameBytes() throws {
        let files = [ArchiveFile(path: "a.py", contents: Array("def handler(e, c):\n    return 1\n".utf8)),
                     ArchiveFile(path: "b.py", contents: Array("X = 1\n".utf8))]
        let first = try Asset.package(files: files, sourcePaths: ["one"])
        let again = try Asset.package(files: files, sourcePaths: ["two"])
        #expect(again.code == first.code)
        #expect(again.sourcePaths == ["two"])
        // One byte different, or a different name, or a different limit: packaged afresh.
        let changed = [files[0], ArchiveFile(path: "b.py", contents: Array("X = 2\n".utf8))]
        #expect(try Asset.package(files: changed, sourcePaths: ["one"]).sha256 != first.sha256)
        let renamed = [files[0], ArchiveFile(path: "c.py", contents: files[1].contents)]
        #expect(try Asset.package(files: renamed, sourcePaths: ["one"]).zip?.entries.map(\.path) == ["a.py", "c.py"])
        let single = [files[0]]
        #expect(try Asset.package(files: single, sourcePaths: ["a.py"]).inlineSource != nil)
        #expect(try Asset.package(files: single, sourcePaths: ["a.py"], inlineLimit: 0).zip != nil)
        #expect(try Asset.package(files: single, sourcePaths: ["a.py"]).inlineSource != nil)
    }

    @Test func smallPythonFileIsInline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/notify.py", handlerSource)
        let asset = try Asset.package("fn/notify.py", root: folder.root)
        #expect(asset.inlineSource == handlerSource)
        #expect(asset.zip == nil)
        #expect(asset.files == ["notify.py"])
        #expect(asset.sourcePaths == ["fn/notify.py"])
        #expect(asset.sha256 == SHA256.hexDigest(handlerSource))
        #expect(try asset.handler("notify.lambda_handler") == "index.lambda_handler")
    }

    @Test func folderWithOneShippedFileIsInlineAndTestsAreLeftOut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/notify.py", handlerSource)
        try folder.write("fn/tests/__init__.py", "")
        try folder.write("fn/tests/test_notify.py", "import unittest\n")
        try folder.write("fn/test_extra.py", "import unittest\n")
        try folder.write("fn/__pycache__/notify.cpython-312.pyc", "\0\0")
        try folder.write("fn/stale.pyc", "\0")
        try folder.write("fn/.DS_Store", "\0")
        try folder.write("fn/.pytest_cache/v/cache", "{}")
        let asset = try Asset.package("fn", root: folder.root)
        #expect(asset.files == ["notify.py"])
        #expect(asset.inlineSource == handlerSource)
    }

    /// The inline limit counts the stored `index.py` ZIP CloudFormation would hold: the source's
    /// bytes plus 114 bytes of ZIP headers.
    @Test func inlineLimitIsInclusive() throws {
        let source = [ArchiveFile(path: "fn.py", contents: Array(handlerSource.utf8))]
        let size = handlerSource.utf8.count + 114
        #expect(try Asset.package(files: source, sourcePaths: ["fn.py"], inlineLimit: size).inlineSource != nil)
        #expect(try Asset.package(files: source, sourcePaths: ["fn.py"], inlineLimit: size - 1).zip != nil)
        #expect(try Asset.package(files: source, sourcePaths: ["fn.py"], inlineLimit: 0).zip != nil)
    }

    @Test func defaultLimitIsCloudFormations4MB() throws {
        #expect(Asset.cloudFormationInlineLimit == 4_194_304)
        let big = [UInt8](repeating: 0x23, count: 4_194_304 - 114)  // "#…": a valid Python comment
        let fits = try Asset.package(files: [ArchiveFile(path: "big.py", contents: big)], sourcePaths: ["big.py"])
        #expect(fits.inlineSource != nil)
        let over = try Asset.package(files: [ArchiveFile(path: "big.py", contents: big + [0x23])], sourcePaths: ["big.py"])
        #expect(over.zip != nil)
    }

    @Test func onlyUTF8PythonWithoutNULAtTheRootIsInline() throws {
        let cases: [ArchiveFile] = [
            ArchiveFile(path: "pkg/handler.py", contents: Array(handlerSource.utf8)),
            ArchiveFile(path: "data.json", contents: Array("{}".utf8)),
            ArchiveFile(path: "latin1.py", contents: [0x23, 0xE9, 0x0A]),
            ArchiveFile(path: "nul.py", contents: [0x23, 0x00, 0x0A]),
        ]
        for file in cases {
            #expect(try Asset.package(files: [file], sourcePaths: [file.path]).zip != nil, "\(file.path)")
        }
    }

    @Test func severalFilesMakeAZipNamedByItsHash() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.write("fn/lib/util.py", "X = 1\n")
        let asset = try Asset.package("fn", root: folder.root)
        let zip = try #require(asset.zip)
        #expect(asset.inlineSource == nil)
        #expect(asset.files == ["handler.py", "lib/util.py"])
        #expect(zip.sha256 == SHA256.hexDigest(zip.bytes))
        #expect(asset.sha256 == zip.sha256)
        #expect(zip.fileName == zip.sha256 + ".zip")
        #expect(zip.s3Key() == zip.fileName)
        #expect(zip.s3Key(prefix: "assets/") == "assets/" + zip.sha256 + ".zip")
        #expect(try asset.handler("handler.lambda_handler") == "handler.lambda_handler")
    }

    @Test func noPathsIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: AssetError.emptyFolder("(no path given)")) { try Asset.package([String](), root: folder.root) }
    }

    @Test func severalPathsMergeAtTheRoot() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.write("shared/lib.py", "X = 1\n")
        try folder.write("shared/tests/test_lib.py", "")
        try folder.write("other/handler.py", "")
        let asset = try Asset.package(["fn", "shared"], root: folder.root)
        #expect(asset.files == ["handler.py", "lib.py"])
        #expect(asset.sourcePaths == ["fn", "shared"])
        #expect(throws: AssetError.duplicateArchivePath("handler.py")) {
            try Asset.package(["fn", "other"], root: folder.root)
        }
    }
}

@Suite struct DeterminismTests {
    /// Two folders with the same files, written in opposite orders, with different times and
    /// modes, give the same bytes.
    @Test func independentOfDiskOrderTimesAndModes() throws {
        let first = try TemporaryFolder(), second = try TemporaryFolder()
        defer { first.remove(); second.remove() }
        let files = [("fn/handler.py", handlerSource), ("fn/lib/a.py", "A = 1\n"), ("fn/lib/b.py", "B = 2\n"),
                     ("fn/README.md", "# fn\n")]
        for (path, text) in files { try first.write(path, text) }
        for (path, text) in files.reversed() { try second.write(path, text) }
        try first.touch("fn/handler.py", mtime: 0)
        try second.touch("fn/handler.py", mtime: 1_900_000_000)
        try second.touch("fn/lib/a.py", mtime: 1_000_000_000)
        try second.chmod("fn/lib/b.py", 0o600)
        try second.chmod("fn/handler.py", 0o755)
        let a = try Asset.package("fn", root: first.root)
        let b = try Asset.package("fn", root: second.root)
        let again = try Asset.package("fn", root: first.root)
        #expect(try #require(a.zip).bytes == (try #require(b.zip)).bytes)
        #expect(a == again)
        #expect(a.sha256 == b.sha256)
    }

    @Test func contentChangeChangesTheHash() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.write("fn/lib.py", "A = 1\n")
        let before = try Asset.package("fn", root: folder.root)
        try folder.write("fn/lib.py", "A = 2\n")
        let after = try Asset.package("fn", root: folder.root)
        #expect(before.sha256 != after.sha256)
    }

    @Test func zipOpensWithPythonAndImports() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", "from lib import VALUE\n\ndef lambda_handler(event, context):\n    return VALUE\n")
        try folder.write("fn/lib.py", "VALUE = 'from the zip'\n")
        let zip = try #require(try Asset.package("fn", root: folder.root).zip)
        let path = try zip.write(toDirectory: folder.path)
        #expect(path == folder.path + "/" + zip.fileName)
        let result = try python("""
        import sys, zipfile
        assert zipfile.ZipFile(sys.argv[1]).testzip() is None
        sys.path.insert(0, sys.argv[1])
        import handler
        print(handler.lambda_handler({}, None))
        """, [path])
        #expect(result == "from the zip\n")
    }
}

@Suite struct ErrorTests {
    private func message(_ body: () throws(AssetError) -> Asset) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func missingPath() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(message { () throws(AssetError) in try Asset.package("stacks/functions/nope", root: folder.root) }
                == "asset path 'stacks/functions/nope' does not exist")
        #expect(throws: AssetError.notFound("stacks/functions/nope")) {
            try Asset.package("stacks/functions/nope", root: folder.root)
        }
    }

    @Test func missingFileBelowAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("file.py", "")
        #expect(throws: AssetError.notFound("file.py/inner")) { try Asset.package("file.py/inner", root: folder.root) }
    }

    @Test func emptyFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.mkdir("fn/__pycache__")
        try folder.write("fn/tests/test_x.py", "")
        #expect(message { () throws(AssetError) in try Asset.package("fn", root: folder.root) }
                == "asset folder 'fn' has no file to package (skipped: __pycache__, *.pyc, .DS_Store, .pytest_cache, tests/, test_*.py)")
    }

    @Test func unreadableThroughASymlinkLoop() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.symlink("fn/loop.py", to: "loop.py")
        #expect(message { () throws(AssetError) in try Asset.package("fn", root: folder.root) }
                == "asset path 'fn/loop.py' cannot be read: Too many levels of symbolic links")
    }

    /// Root reads any file regardless of mode, so this check runs only for other users.
    @Test(.enabled(if: geteuid() != 0, "root can read a file whatever its mode"))
    func unreadableForPermissions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.chmod("fn/handler.py", 0)
        #expect(message { () throws(AssetError) in try Asset.package("fn/handler.py", root: folder.root) }
                == "asset path 'fn/handler.py' cannot be read: Permission denied")
    }

    @Test func danglingSymlinkIsMissing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.symlink("fn/gone.py", to: "nowhere.py")
        #expect(throws: AssetError.notFound("fn/gone.py")) { try Asset.package("fn", root: folder.root) }
    }

    @Test func linkToFileIsPackagedByContent() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("real/handler.py", handlerSource)
        try folder.mkdir("fn")
        try folder.symlink("fn/handler.py", to: "../real/handler.py")
        #expect(try Asset.package("fn", root: folder.root).inlineSource == handlerSource)
    }

    @Test func specialFilesAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fn/handler.py", handlerSource)
        try folder.mkdir("elsewhere")
        try folder.symlink("fn/linked", to: "../elsewhere")
        #expect(message { () throws(AssetError) in try Asset.package("fn", root: folder.root) }
                == "asset path 'fn/linked' is a symbolic link to a folder; only regular files and folders can be packaged")
        let pipe = try TemporaryFolder()
        defer { pipe.remove() }
        try pipe.write("fn/handler.py", handlerSource)
        #expect(mkfifo(pipe.path + "/fn/queue", 0o644) == 0)
        #expect(message { () throws(AssetError) in try Asset.package("fn", root: pipe.root) }
                == "asset path 'fn/queue' is a FIFO; only regular files and folders can be packaged")
    }

    @Test func writingIntoAMissingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let zip = try #require(try Asset.package(files: [ArchiveFile(path: "a.txt", contents: [1])], sourcePaths: ["a"]).zip)
        do {
            try zip.write(toDirectory: "out/missing")
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.description == "cannot write asset 'out/missing/\(zip.fileName)': No such file or directory")
        }
    }

    @Test func errorsBecomeDiagnostics() {
        let diagnostic = AssetError.notFound("stacks/functions/nope").diagnostic(path: "CacheStack-dev/Function", property: "Code")
        #expect(diagnostic.description == "error FM5001 CacheStack-dev/Function: Code: asset path 'stacks/functions/nope' does not exist")
        #expect(diagnostic.isError)
        #expect(AssetError.emptyFolder("x").code == DiagnosticCode.assetEmpty)
    }
}

@Suite struct HandlerTests {
    private func zipAsset() throws -> Asset {
        try Asset.package(files: [
            ArchiveFile(path: "handler.py", contents: Array(handlerSource.utf8)),
            ArchiveFile(path: "pkg/__init__.py", contents: Array("async def run(event, context):\n    pass\n".utf8)),
            ArchiveFile(path: "pkg/app.py", contents: Array("main = make_handler()\n".utf8)),
            ArchiveFile(path: "entry.py", contents: Array("from pkg.app import main as handle, other  # re-export\n".utf8)),
        ], sourcePaths: ["fn"])
    }

    @Test func entryPointsThatExist() throws {
        let asset = try zipAsset()
        #expect(try asset.handler("handler.lambda_handler") == "handler.lambda_handler")
        #expect(try asset.handler("pkg.run") == "pkg.run")
        #expect(try asset.handler("pkg.app.main") == "pkg.app.main")
        #expect(try asset.handler("pkg/app.main") == "pkg/app.main")
        #expect(try asset.handler("entry.handle") == "entry.handle")
        #expect(try asset.handler("entry.other") == "entry.other")
        #expect(throws: AssetError.self) { try asset.handler("entry.main") }
    }

    @Test(arguments: [
        ("handler.handle", "handler 'handler.handle' not found: 'handler.py' defines no top-level 'handle'"),
        ("handler.json", "handler 'handler.json' not found: 'handler.py' defines no top-level 'json'"),
        ("app.lambda_handler", "handler 'app.lambda_handler' not found: the package 'fn' has no 'app.py'"),
        ("lambda_handler", "handler 'lambda_handler' not found: an entry point is written module.function"),
        ("handler.", "handler 'handler.' not found: an entry point is written module.function"),
    ])
    func entryPointsThatDoNot(entryPoint: String, message: String) throws {
        let asset = try zipAsset()
        do {
            _ = try asset.handler(entryPoint)
            Issue.record("\(entryPoint) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func inlineModuleMustBeTheFile() throws {
        let asset = try Asset.package(files: [ArchiveFile(path: "notifier.py", contents: Array(handlerSource.utf8))],
                                      sourcePaths: ["notifier.py"])
        #expect(try asset.handler("index.lambda_handler") == "index.lambda_handler")
        #expect(throws: AssetError.handlerNotFound("app.lambda_handler", reason: "the inline code is 'notifier.py', not 'app.py'")) {
            try asset.handler("app.lambda_handler")
        }
    }
}

@Suite struct RepositoryRootTests {
    @Test func foundFromThisFile() throws {
        let root = try repositoryRoot()
        #expect(root.path.hasPrefix("/"))
        #expect(FileManager.default.fileExists(atPath: root.resolve("Package.swift")))
        #expect(FileManager.default.fileExists(atPath: root.resolve("stacks/functions")))
        #expect(root.resolve("/abs") == "/abs")
        #expect(root.resolve("") == root.path)
    }

    @Test func sameRootFromAnyFileBelowIt() throws {
        let root = try repositoryRoot()
        #expect(try RepositoryRoot(containing: root.path + "/stacks/functions/notifier/notifier.py") == root)
        #expect(try RepositoryRoot(containing: root.path + "/stacks") == root)
    }

    @Test func noRootAboveIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("a/b.swift", "")
        #expect(throws: AssetError.repositoryRootNotFound(folder.path + "/a/b.swift")) {
            try RepositoryRoot(containing: folder.path + "/a/b.swift")
        }
        #expect(throws: AssetError.self) { try RepositoryRoot(containing: folder.path + "/a/b.swift", marker: "Nope.txt") }
    }
}
