/// CRC-32 as ZIP, gzip and zlib compute it (IEEE 802.3, reflected polynomial 0xEDB88320).
///
/// ```swift
/// CRC32.checksum(Array("123456789".utf8)) // 0xCBF43926
/// ```
public struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    private var register: UInt32 = 0xFFFF_FFFF

    /// A fresh checksum state.
    public init() {}

    /// Feeds more bytes.
    public mutating func update(_ bytes: [UInt8]) {
        var crc = register
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        register = crc
    }

    /// The checksum of everything fed so far.
    public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
