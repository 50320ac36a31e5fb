import CJSONC

/// Writes template values as JSON through json-c: two-space indentation, `"key": value`,
/// no `\/` escaping, integers as integers, doubles in their shortest round-trip form, and a
/// trailing newline. Escaping is json-c's; nothing here quotes strings by hand.
public enum JSONEmitter {
    /// The JSON text of `value`.
    public static func emit(_ value: TemplateValue) throws(TemplateError) -> String {
        var trail: [PathStep] = []
        let object = try build(value, &trail)
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
        var trail: [PathStep] = []
        let object = try build(value, &trail)
        defer { json_object_put(object) }
        let flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_ext(object, flags) else {
            throw TemplateError.unrepresentable(path: "", message: "json-c could not serialize the value")
        }
        return String(cString: text)
    }

    /// Builds the json-c object for `value`; the caller owns the returned reference.
    /// Returns nil for JSON null (json-c's representation of null).
    /// `trail` is the path to `value`, rendered only for an error message (no string is built per node).
    private static func build(_ value: TemplateValue, _ trail: inout [PathStep]) throws(TemplateError) -> OpaquePointer? {
        switch value {
        case .null:
            return nil
        case .bool(let flag):
            return json_object_new_boolean(flag ? 1 : 0)
        case .int(let number):
            return json_object_new_int64(number)
        case .double(let number):
            guard number.isFinite else {
                throw TemplateError.unrepresentable(path: PathStep.render(trail), message: "\(number) is not a finite number; JSON cannot hold it")
            }
            let text = NumberFormatting.shortest(number)
            return json_object_new_double_s(number, text)
        case .string(let string):
            return newString(string)
        case .list(let items):
            let array = json_object_new_array_ext(Int32(items.count))
            for (offset, item) in items.enumerated() {
                trail.append(.index(offset))
                do {
                    json_object_array_add(array, try build(item, &trail))
                } catch {
                    json_object_put(array)
                    throw error
                }
                trail.removeLast()
            }
            return array
        case .map(let map):
            return try buildObject(map, &trail)
        case .fn(let function):
            return try buildObject(function.longForm, &trail)
        }
    }

    private static func buildObject(_ map: OrderedMap, _ trail: inout [PathStep]) throws(TemplateError) -> OpaquePointer? {
        let object = json_object_new_object()
        for entry in map.entries {
            trail.append(.key(entry.key))
            defer { trail.removeLast() }
            if entry.key.utf8.contains(0) {
                json_object_put(object)
                throw TemplateError.unrepresentable(
                    path: PathStep.render(trail), message: "map key \(quoted(entry.key)) contains a NUL character; JSON object keys written by json-c cannot")
            }
            let child: OpaquePointer?
            do {
                child = try build(entry.value, &trail)
            } catch {
                json_object_put(object)
                throw error
            }
            let status = entry.key.withCString { json_object_object_add(object, $0, child) }
            if status != 0 {
                json_object_put(child)
                json_object_put(object)
                throw TemplateError.unrepresentable(path: PathStep.render(trail), message: "json-c could not add key \(quoted(entry.key))")
            }
        }
        return object
    }

    private static func newString(_ string: String) -> OpaquePointer? {
        // The C string view of a native Swift string is its own UTF-8 storage (no copy); the
        // explicit length keeps embedded NULs.
        let length = Int32(string.utf8.count)
        return string.withCString { json_object_new_string_len($0, length) }
    }
}
