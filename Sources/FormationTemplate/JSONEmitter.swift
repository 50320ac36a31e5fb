import CJSONC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes template values as JSON: two-space indentation, `"key": value`, no `\/` escaping,
/// integers as integers, doubles in their shortest round-trip form, and a trailing newline.
///
/// The layout is json-c's pretty printer's, byte for byte (a test compares the two on generated
/// documents), written in one pass over the value instead of through a json-c object tree.
/// Every string and key is escaped by json-c itself: it is set into one reusable json-c string
/// object and that object's serialization is copied out. Nothing here quotes text by hand.
public enum JSONEmitter {
    /// The JSON text of `value`.
    public static func emit(_ value: TemplateValue) throws(TemplateError) -> String {
        try write(value, pretty: true)
    }

    /// The JSON text of a template.
    public static func emit(_ template: Template) throws(TemplateError) -> String {
        // About 600 bytes per resource is typical; room for 1 KiB each saves regrowing (pages
        // never written are never touched).
        try write(template.document, pretty: true, capacity: template.resources.count * 1_024)
    }

    /// The JSON text of `value` on one line, without spaces or a trailing newline (for data
    /// embedded in generated code). Escaping is json-c's, as for `emit`.
    public static func emitCompact(_ value: TemplateValue) throws(TemplateError) -> String {
        try write(value, pretty: false)
    }

    private static func write(_ value: TemplateValue, pretty: Bool, capacity: Int = 0) throws(TemplateError) -> String {
        guard var writer = Writer(pretty: pretty, capacity: capacity) else {
            throw TemplateError.unrepresentable(path: "", message: "json-c could not allocate a string object")
        }
        defer { writer.release() }
        do {
            try writer.write(value, level: 0)
        } catch {
            throw TemplateError.unrepresentable(path: PathStep.render(error.reversedSteps.reversed()), message: error.message)
        }
        if pretty { writer.out.append(UInt8(ascii: "\n")) }
        return writer.out.string()
    }

    /// Why a value cannot be written, and where: the steps are collected innermost first as the
    /// error travels up, so nothing is built per node for a message that is never shown.
    struct BuildError: Error {
        var reversedSteps: [PathStep]
        let message: String

        func adding(_ step: PathStep) -> BuildError {
            BuildError(reversedSteps: reversedSteps + [step], message: message)
        }
    }

    /// The output buffer and json-c's escaper (a struct, so access to the buffer is checked
    /// statically; the owner calls `release()`).
    private struct Writer {
        var out: ByteBuffer
        let pretty: Bool
        /// A json-c string object reused for every string and key: json-c escapes its content
        /// into the object's own print buffer, which is reset on each use.
        private let scratch: OpaquePointer
        private static let flags = JSON_C_TO_STRING_NOSLASHESCAPE

        /// Whether json-c writes `byte` as something other than itself (slash escaping off).
        static func isChangedByEscaping(_ byte: UInt8) -> Bool {
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        }

        /// Whether any byte of `bytes` is changed by escaping: eight bytes at a time (a byte
        /// below 0x20, a `"` or a `\\` in a word sets that byte's high bit in the tests below,
        /// which are exact as a whole: a borrow reaches a higher byte only after a lower byte
        /// matched), then the tail byte by byte.
        static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let start = bytes.baseAddress else { return false }
            let raw = UnsafeRawPointer(start)
            let count = bytes.count
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            var offset = 0
            while offset + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let control = (word &- ones &* 0x20) & ~word
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let found = control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                if found & highs != 0 { return true }
                offset += 8
            }
            while offset < count {
                if isChangedByEscaping(start[offset]) { return true }
                offset += 1
            }
            return false
        }

        init?(pretty: Bool, capacity: Int) {
            guard let scratch = json_object_new_string_len("", 0) else { return nil }
            self.scratch = scratch
            self.pretty = pretty
            out = ByteBuffer(capacity: max(capacity, 1 << 16))
        }

        func release() {
            json_object_put(scratch)
            out.release()
        }

        mutating func write(_ value: TemplateValue, level: Int) throws(BuildError) {
            switch value {
            case .null:
                append("null")
            case .bool(let flag):
                append(flag ? "true" : "false")
            case .int(let number):
                appendDecimal(number)
            case .double(let number):
                guard number.isFinite else {
                    throw BuildError(reversedSteps: [], message: "\(number) is not a finite number; JSON cannot hold it")
                }
                append(NumberFormatting.shortest(number))
            case .number(let text):
                guard NumberText.isJSONNumber(text) else {
                    throw BuildError(reversedSteps: [], message: "\(quoted(text)) is not a number in JSON's grammar")
                }
                append(text)
            case .string(let string):
                try appendString(string)
            case .list(let items):
                out.append(UInt8(ascii: "["))
                if pretty { out.append(UInt8(ascii: "\n")) }
                // Elements are passed by subscript (a borrow), not bound by a loop (a copy each).
                for offset in items.indices {
                    if offset > 0 { separate() }
                    indent(level + 1)
                    do {
                        try write(items[offset], level: level + 1)
                    } catch {
                        throw error.adding(.index(offset))
                    }
                }
                close(UInt8(ascii: "]"), level: level, hadChildren: !items.isEmpty)
            case .map(let map):
                out.append(UInt8(ascii: "{"))
                if pretty { out.append(UInt8(ascii: "\n")) }
                let entries = map.entries
                for offset in entries.indices {
                    if offset > 0 { separate() }
                    try member(entries[offset].key, entries[offset].value, level: level)
                }
                close(UInt8(ascii: "}"), level: level, hadChildren: !map.isEmpty)
            case .fn(let function):
                // The long form `{"Fn::Name": argument}`, without building a map for it, and for
                // the commonest functions without building the argument either.
                out.append(UInt8(ascii: "{"))
                if pretty { out.append(UInt8(ascii: "\n")) }
                switch function {
                case .ref(let name), .sub(let name, nil):
                    try member(function.name, level: level) { writer throws(BuildError) in try writer.appendString(name) }
                case .getAtt(let resource, let attribute):
                    try member(function.name, level: level) { writer throws(BuildError) in
                        try writer.writeStrings(resource, attribute, level: level + 1)
                    }
                default:
                    try member(function.name, function.argument, level: level)
                }
                close(UInt8(ascii: "}"), level: level, hadChildren: true)
            }
        }

        /// `"key": value` at `level + 1`; an error names the key.
        private mutating func member(_ key: String, _ value: TemplateValue, level: Int) throws(BuildError) {
            try member(key, level: level) { writer throws(BuildError) in try writer.write(value, level: level + 1) }
        }

        /// `"key": ` at `level + 1`, then whatever `value` writes; an error names the key.
        private mutating func member(_ key: String, level: Int, _ value: (inout Writer) throws(BuildError) -> Void) throws(BuildError) {
            indent(level + 1)
            do {
                try appendString(key, isKey: true)
            } catch {
                throw error.adding(.key(key))
            }
            out.append(UInt8(ascii: ":"))
            if pretty { out.append(UInt8(ascii: " ")) }
            do {
                try value(&self)
            } catch {
                throw error.adding(.key(key))
            }
        }

        /// A list of two strings at `level`, laid out as `write` lays out `.list`.
        private mutating func writeStrings(_ first: String, _ second: String, level: Int) throws(BuildError) {
            out.append(UInt8(ascii: "["))
            if pretty { out.append(UInt8(ascii: "\n")) }
            indent(level + 1)
            do { try appendString(first) } catch { throw error.adding(.index(0)) }
            separate()
            indent(level + 1)
            do { try appendString(second) } catch { throw error.adding(.index(1)) }
            close(UInt8(ascii: "]"), level: level, hadChildren: true)
        }

        private mutating func separate() {
            out.append(UInt8(ascii: ","))
            if pretty { out.append(UInt8(ascii: "\n")) }
        }

        private mutating func close(_ bracket: UInt8, level: Int, hadChildren: Bool) {
            if pretty {
                if hadChildren { out.append(UInt8(ascii: "\n")) }
                indent(level)
            }
            out.append(bracket)
        }

        private mutating func indent(_ level: Int) {
            guard pretty, level > 0 else { return }
            out.appendSpaces(level * 2)
        }

        private mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { out.append(contentsOf: UnsafeRawBufferPointer($0)) }
        }

        private mutating func append(_ text: String) {
            out.append(contentsOf: text.utf8)
        }

        /// The decimal digits of `number` (what json-c prints for an int64).
        private mutating func appendDecimal(_ number: Int64) {
            if number < 0 { out.append(UInt8(ascii: "-")) }
            var magnitude = number.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                          UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var start = buffer.count
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
            }
        }

        /// The string quoted and escaped by json-c. A key may not hold NUL: json-c's parser reads
        /// keys as C strings, so the document would not read back as written.
        ///
        /// json-c (with slash escaping off) changes only `"`, `\\` and bytes below 0x20; a string
        /// with none of them is its own escaped form, so it is copied between quotes without the
        /// round trip through json-c. A test checks this against json-c for every byte value and
        /// for generated hostile strings.
        private mutating func appendString(_ string: String, isKey: Bool = false) throws(BuildError) {
            var string = string
            let copied = string.withUTF8 { bytes -> Bool in
                guard !Self.needsEscaping(bytes) else { return false }
                out.appendQuoted(UnsafeRawBufferPointer(bytes))
                return true
            }
            if copied { return }
            if isKey && string.utf8.contains(0) {
                throw BuildError(reversedSteps: [],
                                 message: "map key \(quoted(string)) contains a NUL character; JSON object keys written by json-c cannot")
            }
            let scratch = scratch
            let escaped = string.withUTF8 { bytes -> UnsafeRawBufferPointer? in
                // A non-empty buffer (this string has a byte json-c changes) has a base address.
                guard let start = bytes.baseAddress,
                      json_object_set_string_len(scratch, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count)) != 0
                else { return nil }
                var length = 0
                // The text lives in the scratch object's print buffer until its next use.
                return json_object_to_json_string_length(scratch, Self.flags, &length).map { UnsafeRawBufferPointer(start: $0, count: length) }
            }
            guard let escaped else {
                throw BuildError(reversedSteps: [], message: "json-c could not write a string of \(string.utf8.count) bytes")
            }
            out.append(contentsOf: escaped)
        }
    }
}

/// A growable byte buffer for the emitter's output: appends are a capacity check and a copy
/// (no copy-on-write uniqueness check per append, as `[UInt8]` has). The owner calls `release()`.
struct ByteBuffer {
    private var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 1)
    }

    func release() { base.deallocate() }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 1)
        grown.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(toHold: count + bytes.count) }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// `"`, `bytes`, `"` with one capacity check.
    @inline(__always)
    mutating func appendQuoted(_ bytes: UnsafeRawBufferPointer) {
        let needed = count + bytes.count + 2
        if needed > capacity { grow(toHold: needed) }
        base.storeBytes(of: UInt8(ascii: "\""), toByteOffset: count, as: UInt8.self)
        if let source = bytes.baseAddress, bytes.count > 0 {
            let target = base + count + 1
            let length = bytes.count
            if length >= 8 && length <= 16 {
                // Two overlapping words instead of a call to memcpy (most keys and values are short).
                target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                (target + length - 8).storeBytes(of: source.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), as: UInt64.self)
            } else if length < 8 {
                for offset in 0..<length {
                    target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
                }
            } else {
                target.copyMemory(from: source, byteCount: length)
            }
        }
        base.storeBytes(of: UInt8(ascii: "\""), toByteOffset: needed - 1, as: UInt8.self)
        count = needed
    }

    /// `spaces` spaces.
    @inline(__always)
    mutating func appendSpaces(_ spaces: Int) {
        let needed = count + spaces
        if needed > capacity { grow(toHold: needed) }
        (base + count).initializeMemory(as: UInt8.self, repeating: UInt8(ascii: " "), count: spaces)
        count = needed
    }

    mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        for byte in bytes { append(byte) }
    }

    /// The bytes as a string (UTF-8; the emitter writes only valid UTF-8).
    func string() -> String {
        String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
