import CJSONC

/// Reads JSON text into template values through json-c (strict RFC 8259 mode).
///
/// A one-key object whose key names an intrinsic function and whose argument has the shape
/// CloudFormation requires becomes `.fn`; any other object stays a map, in key order.
public enum JSONParser {
    /// UTF-8's byte order mark, skipped at the start of a document.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// json-c's own depth limit: it counts a scalar inside a list or map as a level of its
    /// own, so this lets through the documents `ParseLimits.maximumDepth` allows (and a level
    /// or two more, which `scan` refuses with the exact position).
    static let tokenerDepth = Int32(ParseLimits.maximumDepth + 2)

    /// Parses `text`; syntax errors carry `file`, line and column.
    public static func parse(_ text: String, file: String? = nil) throws(TemplateError) -> TemplateValue {
        guard let tokener = json_tokener_new_ex(tokenerDepth) else {
            throw TemplateError.io(path: file ?? "<input>", message: "json-c could not allocate a parser")
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT))

        // A byte order mark opens many files saved on Windows; json-c refuses it.
        let text = text.utf8.starts(with: byteOrderMark) ? String(decoding: text.utf8.dropFirst(byteOrderMark.count), as: UTF8.self) : text
        let bytes = Array(text.utf8)
        let length = bytes.count
        guard length <= Int(Int32.max) else {
            throw TemplateError.syntax(file: file, line: 1, column: 1, message: "the JSON input is larger than \(Int32.max) bytes, more than json-c reads")
        }
        let terminated = text.utf8CString
        let parsed: OpaquePointer? = terminated.withUnsafeBufferPointer { chars in
            json_tokener_parse_ex(tokener, chars.baseAddress, Int32(length))
        }
        defer { if let parsed { json_object_put(parsed) } }

        let status = json_tokener_get_error(tokener)
        let end = Int(json_tokener_get_parse_end(tokener))
        if status == json_tokener_error_depth {
            // json-c counts levels its own way; the error names the first list or map too deep.
            try scan(bytes, file: file)
        }
        if status == json_tokener_continue {
            let (line, column) = position(of: length, in: bytes)
            throw TemplateError.syntax(file: file, line: line, column: column, message: "unexpected end of JSON input")
        }
        if status != json_tokener_success {
            let (line, column) = position(of: end, in: bytes)
            let reason = String(cString: json_tokener_error_desc(status))
            throw TemplateError.syntax(file: file, line: line, column: column, message: "invalid JSON: \(reason)")
        }
        if let trailing = bytes[end...].firstIndex(where: { !isJSONWhitespace($0) }) {
            let (line, column) = position(of: trailing, in: bytes)
            throw TemplateError.syntax(file: file, line: line, column: column, message: "invalid JSON: unexpected text after the document")
        }
        let scanned = try scan(bytes, file: file)
        var converter = Converter(longIntegers: scanned.longIntegers)
        return converter.convert(parsed)
    }

    /// What `scan` found that json-c's objects do not keep: the text of every integer of 19
    /// digits or more, in document order (json-c clamps those beyond 64 bits).
    struct Scanned {
        var longIntegers: [ArraySlice<UInt8>] = []
    }

    /// One pass over text json-c accepted, for what json-c does not check or keep: a key written
    /// twice in one object (json-c keeps the last silently, so one of the two definitions would
    /// vanish; the YAML reader refuses the same), lists and maps nested deeper than
    /// `ParseLimits.maximumDepth`, a `\u` escape of a lone UTF-16 surrogate (json-c turns it into
    /// U+FFFD), a key holding `\u0000` (json-c's keys end at the first NUL), and the text of long
    /// integers. Keys are compared as written.
    @discardableResult
    static func scan(_ bytes: [UInt8], file: String?) throws(TemplateError) -> Scanned {
        var scanned = Scanned()
        var keys: [Set<ArraySlice<UInt8>>] = []  // per open object: its keys
        var inObject: [Bool] = []  // per open container: whether it is an object
        var expectingKey = false  // only ever true inside an object
        var index = 0
        func fail(_ offset: Int, _ message: String) -> TemplateError {
            let (line, column) = position(of: offset, in: bytes)
            return TemplateError.syntax(file: file, line: line, column: column, message: message)
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                let isKey = expectingKey
                index += 1
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "u") {
                        let unit = hexUnit(bytes, at: index + 2)
                        if unit == 0 && isKey {
                            throw fail(index, "a key holds the character U+0000, which no template key can hold")
                        }
                        if let unit, (0xD800...0xDBFF).contains(unit) {
                            // A high surrogate must be followed by a low one: `\ud83d\ude00`.
                            let low = index + 7 < bytes.count && bytes[index + 6] == UInt8(ascii: "\\") && bytes[index + 7] == UInt8(ascii: "u")
                                ? hexUnit(bytes, at: index + 8) : nil
                            guard let low, (0xDC00...0xDFFF).contains(low) else {
                                throw fail(index, "invalid Unicode: \\u\(hex(unit)) is half of a UTF-16 surrogate pair with no low half after it")
                            }
                            index += 12
                            continue
                        }
                        if let unit, (0xDC00...0xDFFF).contains(unit) {
                            throw fail(index, "invalid Unicode: \\u\(hex(unit)) is the low half of a UTF-16 surrogate pair with no high half before it")
                        }
                        index += 6
                        continue
                    }
                    index += 2
                }
                if isKey {
                    let key = bytes[(start + 1)..<min(index, bytes.count)]
                    if !keys[keys.count - 1].insert(key).inserted {
                        throw fail(start, "duplicate key \(TemplateValue.string(String(decoding: key, as: UTF8.self))) in an object")
                    }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard inObject.count < ParseLimits.maximumDepth else { throw fail(index, ParseLimits.depthMessage) }
                let isObject = bytes[index] == UInt8(ascii: "{")
                inObject.append(isObject)
                if isObject { keys.append([]) }
                expectingKey = isObject
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if inObject.popLast() == true { keys.removeLast() }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = inObject.last == true
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                // json-c's strict mode lets `-0348` through; JSON has no leading zeros.
                let first = bytes[index] == UInt8(ascii: "-") ? index + 1 : index
                if first + 1 < bytes.count, bytes[first] == UInt8(ascii: "0"),
                   bytes[first + 1] >= UInt8(ascii: "0"), bytes[first + 1] <= UInt8(ascii: "9") {
                    throw fail(start, "invalid JSON: a number cannot start with 0 and another digit")
                }
                var integer = true
                while index + 1 < bytes.count, isNumberByte(bytes[index + 1]) {
                    index += 1
                    if bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") { integer = false }
                }
                let digits = index + 1 - start - (bytes[start] == UInt8(ascii: "-") ? 1 : 0)
                if integer && digits >= 19 { scanned.longIntegers.append(bytes[start...index]) }
            default:
                break
            }
            index += 1
        }
        return scanned
    }

    /// The four hex digits at `offset` as a UTF-16 code unit.
    private static func hexUnit(_ bytes: [UInt8], at offset: Int) -> UInt16? {
        guard offset + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[offset..<(offset + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
            || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        let limit = min(offset, bytes.count)
        for index in 0..<limit where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<limit], as: UTF8.self).count + 1
        return (line, column)
    }

    /// json-c's objects to template values; numbers json-c cannot hold exactly become
    /// `.number` with their text.
    private struct Converter {
        /// The text of every integer of 19 digits or more, in document order.
        let longIntegers: [ArraySlice<UInt8>]
        var nextLongInteger = 0

        init(longIntegers: [ArraySlice<UInt8>]) {
            self.longIntegers = longIntegers
        }

        mutating func convert(_ object: OpaquePointer?) -> TemplateValue {
            guard let object else { return .null }
            switch json_object_get_type(object) {
            case json_type_null:
                return .null
            case json_type_boolean:
                return .bool(json_object_get_boolean(object) != 0)
            case json_type_int:
                // Integers of 19 digits or more (and only those) have a magnitude of 10¹⁸ or
                // more, so they pair one for one, in order, with the texts the scan kept.
                // json-c clamps those beyond 64 bits to Int64.min or Int64.max, still large.
                let signed = json_object_get_int64(object)
                let large = signed <= -1_000_000_000_000_000_000 || signed >= 1_000_000_000_000_000_000
                guard large, nextLongInteger < longIntegers.count else { return .int(signed) }
                let text = String(decoding: longIntegers[nextLongInteger], as: UTF8.self)
                nextLongInteger += 1
                return Int64(text).map(TemplateValue.int) ?? .number(text)
            case json_type_double:
                let number = json_object_get_double(object)
                // json-c keeps the text of a number it read as the double's serializer data.
                guard let text = json_object_get_userdata(object)?.assumingMemoryBound(to: CChar.self) else { return .double(number) }
                let written = String(cString: text)
                return NumberText.isExact(number, written) ? .double(number) : .number(NumberText.canonical(written))
            case json_type_string:
                let length = Int(json_object_get_string_len(object))
                guard let pointer = json_object_get_string(object) else { return .string("") }
                let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
                return .string(String(decoding: buffer, as: UTF8.self))
            case json_type_array:
                let count = json_object_array_length(object)
                var items: [TemplateValue] = []
                items.reserveCapacity(count)
                for index in 0..<count {
                    items.append(convert(json_object_array_get_idx(object, index)))
                }
                return .list(items)
            case json_type_object:
                var map = OrderedMap()
                var iterator = json_object_iter_begin(object)
                var end = json_object_iter_end(object)
                while json_object_iter_equal(&iterator, &end) == 0 {
                    let key = String(cString: json_object_iter_peek_name(&iterator))
                    map[key] = convert(json_object_iter_peek_value(&iterator))
                    json_object_iter_next(&iterator)
                }
                return recognizeIntrinsic(map)
            default:
                return .null
            }
        }
    }

    /// `.fn` for a one-key map that is a well-formed intrinsic; the map otherwise.
    static func recognizeIntrinsic(_ map: OrderedMap) -> TemplateValue {
        if map.count == 1, let entry = map.entries.first,
           Intrinsic.longFormNames.contains(entry.key),
           let function = Intrinsic(name: entry.key, argument: entry.value) {
            return .fn(function)
        }
        return .map(map)
    }
}
