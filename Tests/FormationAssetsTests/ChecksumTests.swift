import Testing
@testable import FormationAssets

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hexDigest(input) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func streamingInAnyChunksEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for chunk in [1, 3, 55, 63, 64, 65, 127, 999] {
            var hasher = SHA256()
            var index = 0
            while index < data.count {
                let end = min(index + chunk, data.count)
                hasher.update(Array(data[index..<end]))
                index = end
            }
            #expect(hasher.hexDigest() == SHA256.hexDigest(data), "chunk size \(chunk)")
        }
    }

    @Test func finalizeLeavesTheStateUsable() {
        var hasher = SHA256()
        hasher.update("ab")
        _ = hasher.finalize()
        hasher.update("c")
        #expect(hasher.hexDigest() == SHA256.hexDigest("abc"))
    }

    /// Every length around the padding boundaries, against Python's hashlib.
    @Test func matchesHashlibAcrossPaddingBoundaries() throws {
        let lengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]
        let script = """
        import hashlib, sys
        for n in map(int, sys.argv[1:]):
            print(hashlib.sha256(bytes((i * 31 + 7) % 256 for i in range(n))).hexdigest())
        """
        let expected = try python(script, lengths.map(String.init)).split(separator: "\n").map(String.init)
        let actual = lengths.map { n in SHA256.hexDigest((0..<n).map { UInt8(($0 * 31 + 7) % 256) }) }
        #expect(actual == expected)
    }
}

@Suite struct CRC32Tests {
    @Test func knownVectors() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([0]) == 0xD202_EF8D)
    }

    @Test func streamingEqualsOneShot() {
        var crc = CRC32()
        crc.update(Array("12345".utf8))
        crc.update(Array("6789".utf8))
        #expect(crc.value == 0xCBF4_3926)
    }

    @Test func matchesZlib() throws {
        let lengths = [1, 2, 100, 4096, 70_000]
        let script = """
        import sys, zlib
        for n in map(int, sys.argv[1:]):
            print(zlib.crc32(bytes((i * 131 + 17) % 256 for i in range(n))))
        """
        let expected = try python(script, lengths.map(String.init)).split(separator: "\n").map { UInt32($0) }
        let actual = lengths.map { n in CRC32.checksum((0..<n).map { UInt8(($0 * 131 + 17) % 256) }) }
        #expect(actual == expected)
    }
}
