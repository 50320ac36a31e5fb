import CYAML

/// Reads YAML text into template values through libyaml's parser.
///
/// Short-form tags (`!Ref`, `!GetAtt A.B` or `!GetAtt [A, B]`, `!Sub`, `!If`, …, nested) and
/// long forms (`Fn::GetAtt: [A, B]`) read into the same model. Plain scalars resolve as YAML 1.1
/// (see `YAMLScalars`); quoted scalars are strings; `!!str` and the other standard tags are
/// honoured; anchors and aliases are expanded. Errors carry file, line and column.
public enum YAMLParser {
    /// Parses a single YAML document.
    public static func parse(_ text: String, file: String? = nil) throws(TemplateError) -> TemplateValue {
        try parseNotingAliases(text, file: file).value
    }

    /// Parses like `parse`, and returns the aliases the document uses, in order (CloudFormation
    /// refuses a template with aliases; `aws cloudformation package` and `sam deploy` expand them).
    public static func parseNotingAliases(_ text: String, file: String? = nil) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias]) {
        var reader = try EventReader(text: text, file: file)
        defer { reader.close() }
        let value = try reader.document()
        return (value, reader.aliases)
    }

    /// Parses like `parseNotingAliases`, and records where each mapping key and list item starts
    /// (`SourcePositions`). Positions inside an alias's expansion are not recorded: a lookup
    /// there finds the alias.
    public static func parseWithPositions(_ text: String, file: String? = nil) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias], positions: SourcePositions) {
        var reader = try EventReader(text: text, file: file)
        defer { reader.close() }
        reader.positions = SourcePositions()
        let value = try reader.document()
        return (value, reader.aliases, reader.positions ?? SourcePositions())
    }
}

/// A YAML alias (`*name`) and where it is (1-based line and column).
public struct YAMLAlias: Sendable, Hashable {
    public let name: String
    public let line: Int
    public let column: Int

    public init(name: String, line: Int, column: Int) {
        self.name = name
        self.line = line
        self.column = column
    }
}

private struct Mark {
    var line: Int
    var column: Int
}

private struct EventReader: ~Copyable {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let file: String?
    private var anchors: [String: TemplateValue] = [:]
    /// The aliases read so far.
    private(set) var aliases: [YAMLAlias] = []
    /// Where keys and items start, when asked for (nil: not recorded).
    var positions: SourcePositions?
    /// The path of the node being read, kept only while `positions` is recorded.
    private var path: [String] = []
    private var closed = false

    init(text: String, file: String?) throws(TemplateError) {
        self.file = file
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        // A byte order mark opens many files saved on Windows; libyaml skips it only when it
        // detects the encoding itself, and the encoding is set here.
        var bytes = Array(text.utf8)
        if bytes.starts(with: JSONParser.byteOrderMark) { bytes.removeFirst(JSONParser.byteOrderMark.count) }
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        guard yaml_parser_initialize(parser) != 0 else {
            parser.deallocate()
            input.deallocate()
            throw TemplateError.io(path: file ?? "<input>", message: "libyaml could not initialize its parser")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    mutating func close() {
        guard !closed else { return }
        closed = true
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// One parsed event, copied out of libyaml's structures.
    private enum Event {
        case streamStart, streamEnd, documentStart, documentEnd
        case scalar(value: String, tag: String?, anchor: String?, plain: Bool)
        case sequenceStart(tag: String?, anchor: String?)
        case sequenceEnd
        case mappingStart(tag: String?, anchor: String?)
        case mappingEnd
        case alias(String)
    }

    private func next() throws(TemplateError) -> (Event, Mark) {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) != 0 else {
            let p = parser.pointee
            let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
            let context = p.context.map { String(cString: $0) }
            let message = context.map { "\(problem) (\($0))" } ?? problem
            throw TemplateError.syntax(
                file: file, line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1,
                message: "invalid YAML: \(message)")
        }
        defer { yaml_event_delete(&event) }
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        func text(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
            pointer.map { String(cString: $0) }
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return (.streamStart, mark)
        case YAML_STREAM_END_EVENT: return (.streamEnd, mark)
        case YAML_DOCUMENT_START_EVENT: return (.documentStart, mark)
        case YAML_DOCUMENT_END_EVENT: return (.documentEnd, mark)
        case YAML_ALIAS_EVENT: return (.alias(text(event.data.alias.anchor) ?? ""), mark)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let buffer = UnsafeRawBufferPointer(start: s.value, count: s.length)
            let value = String(decoding: buffer, as: UTF8.self)
            return (.scalar(value: value, tag: text(s.tag), anchor: text(s.anchor), plain: s.style == YAML_PLAIN_SCALAR_STYLE), mark)
        case YAML_SEQUENCE_START_EVENT:
            return (.sequenceStart(tag: text(event.data.sequence_start.tag), anchor: text(event.data.sequence_start.anchor)), mark)
        case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, mark)
        case YAML_MAPPING_START_EVENT:
            return (.mappingStart(tag: text(event.data.mapping_start.tag), anchor: text(event.data.mapping_start.anchor)), mark)
        case YAML_MAPPING_END_EVENT: return (.mappingEnd, mark)
        default:
            return (.streamEnd, mark)
        }
    }

    private func error(_ mark: Mark, _ message: String) -> TemplateError {
        .syntax(file: file, line: mark.line, column: mark.column, message: message)
    }

    mutating func document() throws(TemplateError) -> TemplateValue {
        guard case (.streamStart, _) = try next() else {
            throw error(Mark(line: 1, column: 1), "invalid YAML: missing stream start")
        }
        let (first, firstMark) = try next()
        guard case .documentStart = first else {
            throw error(firstMark, "the YAML input is empty; expected a template document")
        }
        let (event, mark) = try next()
        let root = try node(event, mark)
        let (end, endMark) = try next()
        guard case .documentEnd = end else {
            throw error(endMark, "invalid YAML: expected the end of the document")
        }
        let (after, afterMark) = try next()
        guard case .streamEnd = after else {
            throw error(afterMark, "the YAML input holds more than one document; a template is one document")
        }
        return root
    }

    private mutating func node(_ event: Event, _ mark: Mark) throws(TemplateError) -> TemplateValue {
        switch event {
        case .scalar(let text, let tag, let anchor, let plain):
            let value = try scalar(text, tag: tag, plain: plain, mark: mark)
            if let anchor { anchors[anchor] = value }
            return value
        case .sequenceStart(let tag, let anchor):
            var items: [TemplateValue] = []
            while true {
                let (child, childMark) = try next()
                if case .sequenceEnd = child { break }
                if positions != nil {
                    path.append(String(items.count))
                    positions?.record(path, SourcePositions.Position(line: childMark.line, column: childMark.column))
                }
                items.append(try node(child, childMark))
                if positions != nil { path.removeLast() }
            }
            let value = try tagged(.list(items), tag: tag, mark: mark)
            if let anchor { anchors[anchor] = value }
            return value
        case .mappingStart(let tag, let anchor):
            var map = OrderedMap()
            while true {
                let (keyEvent, keyMark) = try next()
                if case .mappingEnd = keyEvent { break }
                let key = try node(keyEvent, keyMark)
                let keyText: String
                switch key {
                case .string(let s): keyText = s
                case .int(let i): keyText = String(i)
                case .bool(let b): keyText = b ? "true" : "false"
                case .double(let d): keyText = NumberFormatting.shortest(d)
                case .null: keyText = ""
                default: throw error(keyMark, "a mapping key must be a scalar, found \(key.kindName)")
                }
                if map.contains(keyText) {
                    throw error(keyMark, "duplicate key \(quoted(keyText)) in a mapping")
                }
                let (valueEvent, valueMark) = try next()
                if positions != nil {
                    path.append(keyText)
                    positions?.record(path, SourcePositions.Position(line: keyMark.line, column: keyMark.column))
                }
                map[keyText] = try node(valueEvent, valueMark)
                if positions != nil { path.removeLast() }
            }
            let value = try tagged(JSONParser.recognizeIntrinsic(map), tag: tag, mark: mark)
            if let anchor { anchors[anchor] = value }
            return value
        case .alias(let name):
            guard let value = anchors[name] else {
                throw error(mark, "alias *\(name) names no anchor defined before it")
            }
            aliases.append(YAMLAlias(name: name, line: mark.line, column: mark.column))
            return value
        default:
            throw error(mark, "invalid YAML: unexpected event in a node")
        }
    }

    private static let coreTag = "tag:yaml.org,2002:"

    private func scalar(_ text: String, tag: String?, plain: Bool, mark: Mark) throws(TemplateError) -> TemplateValue {
        guard let tag, tag != "!" else {
            return plain ? YAMLScalars.resolvePlain(text) : .string(text)
        }
        if tag.hasPrefix(Self.coreTag) {
            switch tag.dropFirst(Self.coreTag.count) {
            case "str": return .string(text)
            case "null": return .null
            case "bool":
                if case .bool(let b) = YAMLScalars.resolvePlain(text) { return .bool(b) }
                throw error(mark, "\(quoted(text)) is not a boolean")
            case "int":
                if let i = YAMLScalars.parseInteger(text) { return .int(i) }
                throw error(mark, "\(quoted(text)) is not an integer")
            case "float":
                if let d = YAMLScalars.parseFloat(text) ?? YAMLScalars.parseInteger(text).map(Double.init) { return .double(d) }
                throw error(mark, "\(quoted(text)) is not a number")
            default:
                return .string(text)
            }
        }
        return try tagged(.string(text), tag: tag, mark: mark)
    }

    /// Applies a node's tag: a short-form intrinsic tag wraps the node into that function.
    private func tagged(_ value: TemplateValue, tag: String?, mark: Mark) throws(TemplateError) -> TemplateValue {
        guard let tag, tag.hasPrefix("!"), !tag.hasPrefix("!!"), tag.count > 1 else {
            if let tag, tag.hasPrefix(Self.coreTag) {
                let kind = tag.dropFirst(Self.coreTag.count)
                if kind == "map", case .map = value { return value }
                if kind == "seq", case .list = value { return value }
                throw error(mark, "tag \(tag) does not fit a \(value.kindName)")
            }
            return value
        }
        let short = String(tag.dropFirst())
        let name = (short == "Ref" || short == "Condition") ? short : "Fn::" + short
        if let function = Intrinsic(name: name, argument: value) {
            return .fn(function)
        }
        // An intrinsic this model has no case for (Fn::ForEach, Fn::Length, …), or one whose
        // argument has an unusual shape: keep the long form as data; validation reports it.
        return .map([name: value])
    }
}
