import CJSONC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes template values as JSON through json-c: two-space indentation, `"key": value`,
/// no `\/` escaping, integers as integers, doubles in their shortest round-trip form, and a
/// trailing newline. Escaping is json-c's; nothing here quotes strings by hand.
public enum JSONEmitter {
    /// The JSON text of `value`.
    public static func emit(_ value: TemplateValue) throws(TemplateError) -> String {
        let object = try buildDocument(value)
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
        let object = try buildDocument(value)
        defer { json_object_put(object) }
        let flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_ext(object, flags) else {
            throw TemplateError.unrepresentable(path: "", message: "json-c could not serialize the value")
        }
        return String(cString: text)
    }

    /// Why a value cannot be written, and where: the steps are collected innermost first as the
    /// error travels up, so nothing is built per node for a message that is never shown.
    private struct BuildError: Error {
        var reversedSteps: [PathStep]
        let message: String

        func adding(_ step: PathStep) -> BuildError {
            BuildError(reversedSteps: reversedSteps + [step], message: message)
        }
    }

    private static func buildDocument(_ value: TemplateValue) throws(TemplateError) -> OpaquePointer? {
        do {
            return try build(value)
        } catch {
            throw TemplateError.unrepresentable(path: PathStep.render(error.reversedSteps.reversed()), message: error.message)
        }
    }

    /// Builds the json-c object for `value`; the caller owns the returned reference.
    /// Returns nil for JSON null (json-c's representation of null).
    private static func build(_ value: TemplateValue) throws(BuildError) -> OpaquePointer? {
        switch value {
        case .null:
            return nil
        case .bool(let flag):
            return json_object_new_boolean(flag ? 1 : 0)
        case .int(let number):
            return json_object_new_int64(number)
        case .double(let number):
            guard number.isFinite else {
                throw BuildError(reversedSteps: [], message: "\(number) is not a finite number; JSON cannot hold it")
            }
            let text = NumberFormatting.shortest(number)
            return json_object_new_double_s(number, text)
        case .string(let string):
            return newString(string)
        case .list(let items):
            let array = json_object_new_array_ext(Int32(items.count))
            for (offset, item) in items.enumerated() {
                do {
                    json_object_array_add(array, try build(item))
                } catch {
                    json_object_put(array)
                    throw error.adding(.index(offset))
                }
            }
            return array
        case .map(let map):
            return try buildObject(map)
        case .fn(let function):
            // The long form `{"Fn::Name": argument}`, without building an OrderedMap for it.
            let object = json_object_new_object()
            try add(function.name, function.argument, to: object)
            return object
        }
    }

    private static func buildObject(_ map: OrderedMap) throws(BuildError) -> OpaquePointer? {
        let object = json_object_new_object()
        for entry in map.entries {
            try add(entry.key, entry.value, to: object)
        }
        return object
    }

    /// Adds `key: value` to `object` (keys of one object are unique, so json-c need not look for
    /// the key first). On failure `object` is released and the error names the key.
    private static func add(_ key: String, _ value: TemplateValue, to object: OpaquePointer?) throws(BuildError) {
        let child: OpaquePointer?
        do {
            child = try build(value)
        } catch {
            json_object_put(object)
            throw error.adding(.key(key))
        }
        let length = key.utf8.count
        let status = key.withCString { pointer -> Int32 in
            guard strlen(pointer) == length else { return -2 }  // a NUL inside the key
            return json_object_object_add_ex(object, pointer, child, UInt32(JSON_C_OBJECT_ADD_KEY_IS_NEW))
        }
        if status != 0 {
            json_object_put(child)
            json_object_put(object)
            let message = status == -2
                ? "map key \(quoted(key)) contains a NUL character; JSON object keys written by json-c cannot"
                : "json-c could not add key \(quoted(key))"
            throw BuildError(reversedSteps: [.key(key)], message: message)
        }
    }

    private static func newString(_ string: String) -> OpaquePointer? {
        // The C string view of a native Swift string is its own UTF-8 storage (no copy); the
        // explicit length keeps embedded NULs.
        let length = Int32(string.utf8.count)
        return string.withCString { json_object_new_string_len($0, length) }
    }
}

