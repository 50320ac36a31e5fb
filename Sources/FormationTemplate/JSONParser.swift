import CJSONC

/// Reads JSON text into template values through json-c (strict RFC 8259 mode).
///
/// A one-key object whose key names an intrinsic function and whose argument has the shape
/// CloudFormation requires becomes `.fn`; any other object stays a map, in key order.
public enum JSONParser {
    /// UTF-8's byte order mark, skipped at the start of a document.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Nesting deeper than this is refused (json-c's own default is 32, too shallow for templates).
    public static let maximumDepth: Int32 = 1_000

    /// Parses `text`; syntax errors carry `file`, line and column.
    public static func parse(_ text: String, file: String? = nil) throws(TemplateError) -> TemplateValue {
        guard let tokener = json_tokener_new_ex(maximumDepth) else {
            throw TemplateError.io(path: file ?? "<input>", message: "json-c could not allocate a parser")
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT))

        // A byte order mark opens many files saved on Windows; json-c refuses it.
        let text = text.utf8.starts(with: byteOrderMark) ? String(decoding: text.utf8.dropFirst(byteOrderMark.count), as: UTF8.self) : text
        let bytes = Array(text.utf8)
        let length = bytes.count
        let terminated = text.utf8CString
        let parsed: OpaquePointer? = terminated.withUnsafeBufferPointer { chars in
            json_tokener_parse_ex(tokener, chars.baseAddress, Int32(length))
        }
        defer { if let parsed { json_object_put(parsed) } }

        let status = json_tokener_get_error(tokener)
        let end = Int(json_tokener_get_parse_end(tokener))
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
        try rejectDuplicateKeys(bytes, file: file)
        return convert(parsed)
    }

    /// A key written twice in one object: json-c keeps the last silently, so one of the two
    /// definitions would vanish (the YAML reader refuses the same). Runs on text json-c
    /// accepted, so a byte scan that follows strings, objects and arrays suffices; keys are
    /// compared as written.
    static func rejectDuplicateKeys(_ bytes: [UInt8], file: String?) throws(TemplateError) {
        var keys: [Set<ArraySlice<UInt8>>?] = []  // per open container: the keys of an object, nil for an array
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if expectingKey, let last = keys.indices.last, keys[last] != nil {
                    let key = bytes[(start + 1)..<min(index, bytes.count)]
                    if keys[last]?.insert(key).inserted == false {
                        let (line, column) = position(of: start, in: bytes)
                        throw TemplateError.syntax(file: file, line: line, column: column,
                                                   message: "duplicate key \(TemplateValue.string(String(decoding: key, as: UTF8.self))) in an object")
                    }
                    expectingKey = false
                }
            case UInt8(ascii: "{"):
                keys.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                keys.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                keys.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = keys.last.map { $0 != nil } ?? false
            default:
                break
            }
            index += 1
        }
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

    private static func convert(_ object: OpaquePointer?) -> TemplateValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            return .int(json_object_get_int64(object))
        case json_type_double:
            return .double(json_object_get_double(object))
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
