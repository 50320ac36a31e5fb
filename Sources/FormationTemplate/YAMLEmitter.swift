import CYAML

/// Writes template values as YAML through libyaml's emitter.
///
/// Intrinsic functions use the short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub …`, `!If […]`).
/// Where a tag cannot go (a tag on a node that is itself a tagged intrinsic, or a non-string
/// scalar argument) the function is written in long form, so the output always reads back to the
/// same model. Strings that a YAML reader could take for anything else are single-quoted;
/// multi-line strings are literal blocks. Quoting and escaping are libyaml's.
public enum YAMLEmitter {
    /// The YAML text of `value`.
    public static func emit(_ value: TemplateValue) throws(TemplateError) -> String {
        var writer = try Writer()
        defer { writer.close() }
        try writer.streamStart()
        try writer.value(value)
        try writer.streamEnd()
        return writer.output
    }

    /// The YAML text of a template.
    public static func emit(_ template: Template) throws(TemplateError) -> String {
        try emit(template.document)
    }
}

/// Collects the emitter's output bytes.
private final class OutputBuffer {
    var bytes: [UInt8] = []
    /// The path to the node being written, rendered only for an error message.
    var trail: [PathStep] = []
}

private struct Writer: ~Copyable {
    private var emitter: UnsafeMutablePointer<yaml_emitter_t>
    private let buffer: OutputBuffer
    private let retained: Unmanaged<OutputBuffer>
    private var closed = false

    init() throws(TemplateError) {
        emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        buffer = OutputBuffer()
        retained = Unmanaged.passRetained(buffer)
        guard yaml_emitter_initialize(emitter) != 0 else {
            emitter.deallocate()
            retained.release()
            throw TemplateError.unrepresentable(path: "", message: "libyaml could not initialize its emitter")
        }
        yaml_emitter_set_output(emitter, { context, data, size in
            guard let context, let data else { return 0 }
            let sink = Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
            return 1
        }, retained.toOpaque())
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
    }

    mutating func close() {
        guard !closed else { return }
        closed = true
        yaml_emitter_delete(emitter)
        emitter.deallocate()
        retained.release()
    }

    var output: String { String(decoding: buffer.bytes, as: UTF8.self) }

    private func emit(_ event: inout yaml_event_t) throws(TemplateError) {
        guard yaml_emitter_emit(emitter, &event) != 0 else {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown error"
            throw TemplateError.unrepresentable(path: PathStep.render(buffer.trail), message: "libyaml could not write this value: \(problem)")
        }
    }

    func streamStart() throws(TemplateError) {
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        try emit(&event)
        event = yaml_event_t()
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        try emit(&event)
    }

    func streamEnd() throws(TemplateError) {
        var event = yaml_event_t()
        yaml_document_end_event_initialize(&event, 1)
        try emit(&event)
        event = yaml_event_t()
        yaml_stream_end_event_initialize(&event)
        try emit(&event)
        guard yaml_emitter_flush(emitter) != 0 else {
            throw TemplateError.unrepresentable(path: "", message: "libyaml could not flush its output")
        }
    }

    func value(_ value: TemplateValue, tag: String? = nil) throws(TemplateError) {
        switch value {
        case .string(let text):
            try string(text, tag: tag)
        case .int(let number):
            try scalar(String(number), style: YAML_PLAIN_SCALAR_STYLE, tag: tag)
        case .double(let number):
            let text: String
            if number.isNaN {
                text = ".nan"
            } else if number.isInfinite {
                text = number < 0 ? "-.inf" : ".inf"
            } else {
                text = NumberFormatting.shortest(number)
            }
            try scalar(text, style: YAML_PLAIN_SCALAR_STYLE, tag: tag)
        case .number(let text):
            guard NumberText.isJSONNumber(text) else {
                throw TemplateError.unrepresentable(path: "", message: "\(quoted(text)) is not a number in JSON's grammar")
            }
            try scalar(text, style: YAML_PLAIN_SCALAR_STYLE, tag: tag)
        case .bool(let flag):
            try scalar(flag ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE, tag: tag)
        case .null:
            try scalar("null", style: YAML_PLAIN_SCALAR_STYLE, tag: tag)
        case .list(let items):
            try sequence(items, tag: tag)
        case .map(let map):
            try mapping(map, tag: tag)
        case .fn(let function):
            try intrinsic(function, outerTag: tag)
        }
    }

    private func intrinsic(_ function: Intrinsic, outerTag: String?) throws(TemplateError) {
        // A node carries one tag at most: inside a tag, or for an argument that cannot carry the
        // function's tag (a scalar that is not a string, or another intrinsic), use the long form.
        let argument: TemplateValue
        switch function {
        case .getAtt(let resource, let attribute) where !resource.contains("."):
            argument = .string(resource + "." + attribute)
        default:
            argument = function.argument
        }
        var shortFormFits: Bool
        switch argument {
        case .string, .list, .map: shortFormFits = outerTag == nil
        default: shortFormFits = false
        }
        // CloudFormation refuses !GetStackOutput whose arguments use short-form functions.
        if case .getStackOutput(let arguments) = function, arguments.values.contains(where: { if case .fn = $0 { true } else { false } }) {
            shortFormFits = false
        }
        if shortFormFits {
            try value(argument, tag: function.shortTag)
        } else {
            try mapping(function.longForm, tag: outerTag)
        }
    }

    private func string(_ text: String, tag: String?) throws(TemplateError) {
        let style: yaml_scalar_style_t
        let breaks = YAMLScalars.lineBreaks(text)
        if breaks.other {
            // YAML readers normalize these line breaks to "\n" unless they are escaped, which
            // only the double-quoted style can do.
            style = YAML_DOUBLE_QUOTED_SCALAR_STYLE
        } else if breaks.newline {
            style = YAML_LITERAL_SCALAR_STYLE
        } else if text.isEmpty || (tag == nil && YAMLScalars.mustQuote(text)) {
            style = YAML_SINGLE_QUOTED_SCALAR_STYLE
        } else {
            style = YAML_ANY_SCALAR_STYLE
        }
        try scalar(text, style: style, tag: tag)
    }

    private func scalar(_ text: String, style: yaml_scalar_style_t, tag: String?) throws(TemplateError) {
        var event = yaml_event_t()
        var bytes = Array(text.utf8) + [0]
        let length = Int32(bytes.count - 1)
        let implicit: Int32 = tag == nil ? 1 : 0
        let ok = bytes.withUnsafeMutableBufferPointer { value in
            withOptionalCString(tag) { tagPointer in
                yaml_scalar_event_initialize(&event, nil, tagPointer, value.baseAddress, length, implicit, implicit, style)
            }
        }
        guard ok != 0 else {
            throw TemplateError.unrepresentable(path: PathStep.render(buffer.trail), message: "libyaml could not create a scalar")
        }
        try emit(&event)
    }

    private func sequence(_ items: [TemplateValue], tag: String?) throws(TemplateError) {
        var event = yaml_event_t()
        let style = items.isEmpty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
        _ = withOptionalCString(tag) { tagPointer in
            yaml_sequence_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, style)
        }
        try emit(&event)
        for (offset, item) in items.enumerated() {
            buffer.trail.append(.index(offset))
            try value(item)
            buffer.trail.removeLast()
        }
        event = yaml_event_t()
        yaml_sequence_end_event_initialize(&event)
        try emit(&event)
    }

    private func mapping(_ map: OrderedMap, tag: String?) throws(TemplateError) {
        var event = yaml_event_t()
        let style = map.isEmpty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
        _ = withOptionalCString(tag) { tagPointer in
            yaml_mapping_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, style)
        }
        try emit(&event)
        for entry in map.entries {
            buffer.trail.append(.key(entry.key))
            try string(entry.key, tag: nil)
            try value(entry.value)
            buffer.trail.removeLast()
        }
        event = yaml_event_t()
        yaml_mapping_end_event_initialize(&event)
        try emit(&event)
    }
}

/// Calls `body` with a C string for `text`, or with nil.
private func withOptionalCString<R>(_ text: String?, _ body: (UnsafeMutablePointer<UInt8>?) -> R) -> R {
    guard let text else { return body(nil) }
    var bytes = Array(text.utf8) + [0]
    return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
