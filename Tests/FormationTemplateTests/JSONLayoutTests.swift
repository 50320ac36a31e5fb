import CJSONC
import Testing
@testable import FormationTemplate

/// The JSON emitter writes in one pass what json-c's pretty printer would write for the same
/// value. The oracle here is json-c itself: the value is built as a json-c object tree and
/// serialized by json-c with the flags Formation has always used, and the bytes must be equal.
@Suite struct JSONLayoutTests {
    /// json-c's serialization of `value` (pretty or compact), the way the emitter worked before
    /// it wrote JSON in one pass: a json-c tree, then `json_object_to_json_string_ext`.
    static func jsonC(_ value: TemplateValue, pretty: Bool) -> String {
        let object = tree(value)
        defer { json_object_put(object) }
        let flags = pretty ? (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)
                           : (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
        let text = String(cString: json_object_to_json_string_ext(object, flags))
        return pretty ? text + "\n" : text
    }

    private static func tree(_ value: TemplateValue) -> OpaquePointer? {
        switch value {
        case .null: return nil
        case .bool(let flag): return json_object_new_boolean(flag ? 1 : 0)
        case .int(let number): return json_object_new_int64(number)
        case .double(let number): return json_object_new_double_s(number, NumberFormatting.shortest(number))
        // json-c writes a number built with its text as that text, verbatim.
        case .number(let text): return json_object_new_double_s(Double(text) ?? 0, text)
        case .string(let string):
            return string.withCString { json_object_new_string_len($0, Int32(string.utf8.count)) }
        case .list(let items):
            let array = json_object_new_array()
            for item in items { json_object_array_add(array, tree(item)) }
            return array
        case .map(let map):
            let object = json_object_new_object()
            for entry in map.entries { json_object_object_add(object, entry.key, tree(entry.value)) }
            return object
        case .fn(let function):
            let object = json_object_new_object()
            json_object_object_add(object, function.name, tree(function.argument))
            return object
        }
    }

    @Test func generatedDocumentsMatchJSONCByteForByte() throws {
        var rng = SplitMix64(seed: 0x4A53_4F4E)
        for _ in 0..<1_500 {
            let value = Generate.value(depth: 4, &rng)
            #expect(try JSONEmitter.emit(value) == Self.jsonC(value, pretty: true), "\(value)")
            #expect(try JSONEmitter.emitCompact(value) == Self.jsonC(value, pretty: false), "\(value)")
        }
    }

    @Test func emptyAndNestedContainersMatchJSONC() throws {
        let values: [TemplateValue] = [
            [:], [], ["a": []], ["a": [:]], [[], [:]], [["x": nil], [1, [2, []]]], .fn(.and([])),
            Generate.deep(40), ["k": .fn(.sub("x", [:]))], "top", 7, nil,
        ]
        for value in values {
            #expect(try JSONEmitter.emit(value) == Self.jsonC(value, pretty: true), "\(value)")
            #expect(try JSONEmitter.emitCompact(value) == Self.jsonC(value, pretty: false), "\(value)")
        }
    }

    /// Strings json-c leaves alone are copied without calling it; every byte value and every
    /// hostile string shows the copy is what json-c would have written, as value and as key.
    @Test func everyByteAndHostileStringIsEscapedAsJSONCEscapesIt() throws {
        var strings = hostileStrings
        for byte in UInt8(0)...UInt8(0x7F) {
            strings.append(String(decoding: [UInt8(ascii: "a"), byte, UInt8(ascii: "z")], as: UTF8.self))
            strings.append(String(decoding: [byte], as: UTF8.self))
        }
        strings += ["\u{80}", "\u{7FF}", "\u{FFFF}", "\u{10FFFF}", "é/\\\"", "a/b", String(repeating: "x\"", count: 300)]
        for string in strings {
            let asValue: TemplateValue = ["V": .string(string), "L": [.string(string)]]
            #expect(try JSONEmitter.emit(asValue) == Self.jsonC(asValue, pretty: true), "\(string.debugDescription)")
            guard !string.utf8.contains(0) else { continue }  // NUL keys are refused (EmitTests)
            let asKey: TemplateValue = .map(OrderedMap([(string, .int(1))]))
            #expect(try JSONEmitter.emit(asKey) == Self.jsonC(asKey, pretty: true), "\(string.debugDescription)")
        }
    }

    /// A document much larger than the emitter's first buffer (64 KiB) grows it correctly.
    @Test func largeDocumentsMatchJSONC() throws {
        var rng = SplitMix64(seed: 99)
        let value: TemplateValue = .map(OrderedMap((0..<3_000).map { ("Key\($0)", Generate.value(depth: 3, &rng)) }))
        let text = try JSONEmitter.emit(value)
        #expect(text.utf8.count > 4 * 65_536)
        #expect(text == Self.jsonC(value, pretty: true))
    }

    @Test func extremeIntegersMatchJSONC() throws {
        let value: TemplateValue = .list([.int(.min), .int(.max), .int(0), .int(-1), .int(10), .int(-10), .int(1_000_000_007)])
        #expect(try JSONEmitter.emit(value) == Self.jsonC(value, pretty: true))
    }
}
