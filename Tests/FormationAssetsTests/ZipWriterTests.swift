import Foundation
import Testing
@testable import FormationAssets

/// What Python's zipfile reads back from an archive: one line per entry, then the testzip verdict.
private let describeZip = """
import hashlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    for info in archive.infolist():
        data = archive.read(info.filename)
        print("%s|%s|%o|sys=%d|method=%d|extra=%d|flags=%d|%s" % (
            info.filename, "%04d-%02d-%02d %02d:%02d:%02d" % info.date_time, info.external_attr >> 16,
            info.create_system, info.compress_type, len(info.extra), info.flag_bits,
            hashlib.sha256(data).hexdigest()[:12]))
    print("testzip:", archive.testzip())
"""

private func short(_ text: String) -> String { String(SHA256.hexDigest(text).prefix(12)) }

@Suite struct ZipWriterTests {
    let files = [
        ArchiveFile(path: "pkg/module.py", contents: Array("VALUE = 1\n".utf8)),
        ArchiveFile(path: "handler.py", contents: Array("def lambda_handler(e, c):\n    return e\n".utf8)),
        ArchiveFile(path: "a-b.py", contents: Array("".utf8)),
        ArchiveFile(path: "pkg/sub/é.txt", contents: Array("unicode name\n".utf8)),
    ]

    @Test func sameFilesInAnyOrderGiveTheSameBytes() throws {
        let first = try ZipWriter.archive(files)
        let second = try ZipWriter.archive(files.reversed())
        let third = try ZipWriter.archive([files[2], files[0], files[3], files[1]])
        #expect(first == second)
        #expect(first == third)
    }

    @Test func layoutIsSortedByBytesWithFolderEntries() throws {
        #expect(try ZipWriter.layout(files).map(\.path) == [
            "a-b.py", "handler.py", "pkg/", "pkg/module.py", "pkg/sub/", "pkg/sub/é.txt",
        ])
    }

    @Test func pythonReadsSortedEntriesFixedTimesAndModes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("out.zip", bytes: try ZipWriter.archive(files))
        let lines = try python(describeZip, [path])
        let empty = short("")
        #expect(lines == """
        a-b.py|1980-01-01 00:00:00|100644|sys=3|method=0|extra=0|flags=0|\(empty)
        handler.py|1980-01-01 00:00:00|100644|sys=3|method=0|extra=0|flags=0|\(short("def lambda_handler(e, c):\n    return e\n"))
        pkg/|1980-01-01 00:00:00|40755|sys=3|method=0|extra=0|flags=0|\(empty)
        pkg/module.py|1980-01-01 00:00:00|100644|sys=3|method=0|extra=0|flags=0|\(short("VALUE = 1\n"))
        pkg/sub/|1980-01-01 00:00:00|40755|sys=3|method=0|extra=0|flags=0|\(empty)
        pkg/sub/é.txt|1980-01-01 00:00:00|100644|sys=3|method=0|extra=0|flags=2048|\(short("unicode name\n"))
        testzip: None

        """)
    }

    /// The format is pinned: any change to the bytes written (order, header fields, timestamps)
    /// changes every asset's hash and S3 key, so it must be deliberate.
    @Test func bytesArePinned() throws {
        let archive = try ZipWriter.archive([ArchiveFile(path: "index.py", contents: Array("print('hi')\n".utf8))])
        #expect(archive.count == 12 + 114)
        #expect(Array(archive.prefix(30)) == [
            0x50, 0x4b, 0x03, 0x04, 10, 0, 0, 0, 0, 0,  // signature, version 1.0, flags, stored
            0x00, 0x00, 0x21, 0x00,                       // 00:00:00, 1980-01-01
            0xaf, 0xa6, 0x9e, 0xf8,                       // CRC-32 of the contents (zlib: 0xf89ea6af)
            12, 0, 0, 0, 12, 0, 0, 0, 8, 0, 0, 0,        // sizes, name length, no extra field
        ])
        #expect(SHA256.hexDigest(archive) == "6bf4129a59b9d75b447c9a8b03947967c98bff9617a56033d66ffbe89e0a7e63")
    }

    @Test func sizeIsKnownBeforeWriting() throws {
        #expect(ZipWriter.archiveSize(files) == (try ZipWriter.archive(files)).count)
        #expect(ZipWriter.archiveSize([]) == (try ZipWriter.archive([])).count)
    }

    @Test(arguments: [
        ("", "archive path '' is invalid: it is empty"),
        ("/etc/passwd", "archive path '/etc/passwd' is invalid: it is absolute"),
        ("../escape.py", "archive path '../escape.py' is invalid: it has a '..' component"),
        ("a/./b.py", "archive path 'a/./b.py' is invalid: it has a '.' component"),
        ("a//b.py", "archive path 'a//b.py' is invalid: it has an empty component"),
        ("dir/", "archive path 'dir/' is invalid: it has an empty component"),
        ("a\\b.py", "archive path 'a\\b.py' is invalid: it contains a backslash"),
    ])
    func unsafePathsAreRefused(path: String, message: String) {
        #expect(throws: AssetError.self) {
            try ZipWriter.archive([ArchiveFile(path: path, contents: [])])
        }
        do {
            _ = try ZipWriter.archive([ArchiveFile(path: path, contents: [])])
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func duplicatesAreRefused() throws {
        #expect(throws: AssetError.duplicateArchivePath("a.py")) {
            try ZipWriter.archive([ArchiveFile(path: "a.py", contents: [1]), ArchiveFile(path: "a.py", contents: [2])])
        }
        #expect(throws: AssetError.duplicateArchivePath("pkg")) {
            try ZipWriter.archive([ArchiveFile(path: "pkg", contents: []), ArchiveFile(path: "pkg/x.py", contents: [])])
        }
    }
}
