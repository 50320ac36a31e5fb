import CJSONC

/// Where each mapping key and list item of a parsed document starts, by its path from the root.
///
/// A side table the parsers fill only when asked (`TemplateDocument.parseWithPositions`), so
/// synthesis and plain parsing pay nothing for it. A path is a list of components: a mapping key
/// as written, or a list index in decimal (`["Resources", "Sg", "Properties",
/// "SecurityGroupIngress", "0"]`). A key's position is where the key starts; a list item's is
/// where the item starts. Lines and columns are 1-based; columns count Unicode scalars.
public struct SourcePositions: Sendable {
    /// A 1-based line and column.
    public struct Position: Sendable, Hashable, CustomStringConvertible {
        public let line: Int
        public let column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public var description: String { "\(line):\(column)" }
    }

    private var table: [[String]: Position] = [:]

    public init() {}

    /// How many paths have a position.
    public var count: Int { table.count }

    /// Every recorded path with its position, in document order.
    public var entries: [(path: [String], position: Position)] {
        table.map { ($0.key, $0.value) }.sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) }
    }

    /// Records where `path` starts (the first record of a path wins).
    public mutating func record(_ path: [String], _ position: Position) {
        if table[path] == nil { table[path] = position }
    }

    /// Where `path` starts, if the document has it.
    public func position(of path: [String]) -> Position? {
        table[path]
    }

    /// The position of the longest prefix of `path` that has one (at least `minimum` components
    /// long), and how many components that prefix has.
    public func nearest(_ path: [String], minimum: Int = 1) -> (position: Position, matched: Int)? {
        var length = path.count
        while length >= max(minimum, 1) {
            if let position = table[Array(path.prefix(length))] { return (position, length) }
            length -= 1
        }
        return nil
    }

    /// The positions of a JSON document json-c has accepted: one pass over the bytes that
    /// follows strings, objects and arrays (json-c keeps no positions of its own).
    public static func scanJSON(_ text: String) -> SourcePositions {
        var bytes = Array(text.utf8)
        if bytes.starts(with: JSONParser.byteOrderMark) { bytes.removeFirst(JSONParser.byteOrderMark.count) }
        var scanner = JSONPositionScanner(bytes: bytes)
        scanner.scan()
        return scanner.positions
    }
}

/// The pass behind `SourcePositions.scanJSON`.
private struct JSONPositionScanner {
    /// One open object or array.
    private struct Frame {
        var isObject: Bool
        var index = 0
        var expectingKey = false
        var key = ""
    }

    let bytes: [UInt8]
    private(set) var positions = SourcePositions()
    private var frames: [Frame] = []
    private var path: [String] = []
    // Line and column bookkeeping: positions are recorded in increasing byte order, so the column
    // is carried forward from the last computed offset (linear in the document).
    private var line = 1
    private var column = 1
    private var counted = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func position(at offset: Int) -> SourcePositions.Position {
        while counted < offset {
            let byte = bytes[counted]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            counted += 1
        }
        return SourcePositions.Position(line: line, column: column)
    }

    /// A value starts at `offset`: its path component is pushed (and recorded for a list item).
    private mutating func beginValue(at offset: Int) {
        guard let last = frames.indices.last else { return }
        if frames[last].isObject {
            path.append(frames[last].key)
        } else {
            path.append(String(frames[last].index))
            positions.record(path, position(at: offset))
            frames[last].index += 1
        }
    }

    private mutating func endValue() {
        if !frames.isEmpty { path.removeLast() }
    }

    mutating func scan() {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                beginValue(at: index)
                frames.append(Frame(isObject: byte == UInt8(ascii: "{"), expectingKey: byte == UInt8(ascii: "{")))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !frames.isEmpty { frames.removeLast() }
                endValue()
            case UInt8(ascii: ","):
                if let last = frames.indices.last, frames[last].isObject { frames[last].expectingKey = true }
            case UInt8(ascii: "\""):
                let start = index
                var escaped = false
                index += 1
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") {
                        escaped = true
                        index += 1
                    }
                    index += 1
                }
                if let last = frames.indices.last, frames[last].isObject, frames[last].expectingKey {
                    let key = Self.decode(bytes[start...min(index, bytes.count - 1)], escaped: escaped)
                    frames[last].key = key
                    frames[last].expectingKey = false
                    positions.record(path + [key], position(at: start))
                } else {
                    beginValue(at: start)
                    endValue()
                }
            case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ":"):
                break
            default:
                // A number, true, false or null: one value up to the next delimiter.
                beginValue(at: index)
                while index + 1 < bytes.count, !Self.isDelimiter(bytes[index + 1]) { index += 1 }
                endValue()
            }
            index += 1
        }
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    /// A quoted key's text; json-c decodes the escapes of a key that has any.
    private static func decode(_ quoted: ArraySlice<UInt8>, escaped: Bool) -> String {
        guard escaped else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        let text = String(decoding: quoted, as: UTF8.self)
        guard let object = json_tokener_parse(text) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        defer { json_object_put(object) }
        let length = Int(json_object_get_string_len(object))
        guard let pointer = json_object_get_string(object) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
