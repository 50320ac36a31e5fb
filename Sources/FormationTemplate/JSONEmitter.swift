import CJSONC

/// Writes template values as JSON through json-c: two-space indentation, `"key": value`,
/// no `\/` escaping, integers as integers, doubles in their shortest round-trip form, and a
/// trailing newline. Escaping is json-c's; nothing here quotes strings by hand.
public enum JSONEmitter {
    /// The JSON text of `value`.
    public static func emit(_ value: TemplateValue) throws(TemplateError) -> String {
        let object = try build(value, path: "")
        defer { json_object_put(object) }
        let flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_ext(object, flags) else {
            throw TemplateError.unrepresentable(path: "", message: "json-c could not serialize the document")
        }
        return String(cString: text) + "\n"
    }

    /// The JSON text of a template.
    public static func emit(_ template: Template) throws(TemplateError) -> String {
        try emit(template.document)
    }

    /// The JSON text of `value` on one line, without spaces or a trailing newline (for data
    /// embedded in generated code). Escaping is json-c's, as for `emit`.
    public static func emitCompact(_ value: TemplateValue) throws(TemplateError) -> String {
        let object = try build(value, path: "")
        defer { json_object_put(object) }
        let flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_ext(object, flags) else {
            throw TemplateError.unrepresentable(path: "", message: "json-c could not serialize the value")
        }
        return String(cString: text)
    }

    /// Builds the json-c object for `value`; the caller owns the returned reference.
    /// Returns nil for JSON null (json-c's representation of null).
    private static func build(_ value: TemplateValue, path: String) throws(TemplateError) -> OpaquePointer? {
        switch value {
        case .null:
            return nil
        case .bool(let flag):
            return json_object_new_boolean(flag ? 1 : 0)
        case .int(let number):
            return json_object_new_int64(number)
        case .double(let number):
            guard number.isFinite else {
                throw TemplateError.unrepresentable(path: path, message: "\(number) is not a finite number; JSON cannot hold it")
            }
            let text = NumberFormatting.shortest(number)
            return json_object_new_double_s(number, text)
        case .string(let string):
            return newString(string)
        case .list(let items):
            let array = json_object_new_array_ext(Int32(items.count))
            for (offset, item) in items.enumerated() {
                do {
                    json_object_array_add(array, try build(item, path: path + "[\(offset)]"))
                } catch {
                    json_object_put(array)
                    throw error
                }
            }
            return array
        case .map(let map):
            return try buildObject(map, path: path)
        case .fn(let function):
            return try buildObject(function.longForm, path: path)
        }
    }

    private static func buildObject(_ map: OrderedMap, path: String) throws(TemplateError) -> OpaquePointer? {
        let object = json_object_new_object()
        for entry in map.entries {
            let childPath = path.isEmpty ? entry.key : path + "." + entry.key
            if entry.key.utf8.contains(0) {
                json_object_put(object)
                throw TemplateError.unrepresentable(
                    path: childPath, message: "map key \(quoted(entry.key)) contains a NUL character; JSON object keys written by json-c cannot")
            }
            let child: OpaquePointer?
            do {
                child = try build(entry.value, path: childPath)
            } catch {
                json_object_put(object)
                throw error
            }
            let status = entry.key.withCString { json_object_object_add(object, $0, child) }
            if status != 0 {
                json_object_put(child)
                json_object_put(object)
                throw TemplateError.unrepresentable(path: childPath, message: "json-c could not add key \(quoted(entry.key))")
            }
        }
        return object
    }

    private static func newString(_ string: String) -> OpaquePointer? {
        let bytes = string.utf8CString  // UTF-8 bytes (embedded NULs kept) plus a terminator
        return bytes.withUnsafeBufferPointer { chars in
            json_object_new_string_len(chars.baseAddress, Int32(chars.count - 1))
        }
    }
}
