import CFormationRegistry

/// What the registry bundle and the IAM action table share: little-endian data, embedded in the
/// binary or copied from a file, with zlib streams inflated one at a time.
enum EmbeddedData {
    /// A copy of `bytes` in memory the caller owns (and frees with `deallocate`), so that data
    /// read from a file is used like the embedded data.
    static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        return storage
    }

    /// The little-endian 32-bit unsigned integer at `offset`.
    @inline(__always)
    static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int {
        Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    /// Why zlib refused a stream (`formation_registry_inflate`'s status), for messages.
    static func inflateFailure(_ status: Int32) -> String {
        switch status {
        case 1: "it inflates to another length than recorded"
        case -3: "zlib finds corrupt data"
        case -5: "the stream is cut short"
        case -4: "zlib has no memory"
        default: "zlib status \(status)"
        }
    }
}
