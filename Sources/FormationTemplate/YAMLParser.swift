import CYAML

/// Reads YAML text into template values through libyaml's parser.
///
/// Short-form tags (`!Ref`, `!GetAtt A.B` or `!GetAtt [A, B]`, `!Sub`, `!If`, …, nested) and
/// long forms (`Fn::GetAtt: [A, B]`) read into the same model. Plain scalars resolve as YAML 1.1
/// (see `YAMLScalars`); quoted scalars are strings; `!!str` and the other standard tags are
/// honoured; any other tag is an error. Anchors and aliases are expanded or refused, as `limits`
/// say; nesting is bounded by `ParseLimits.maximumDepth`. Errors carry file, line and column.
public enum YAMLParser {
    /// Parses a single YAML document.
    public static func parse(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> TemplateValue {
        try parseNotingAliases(text, file: file, limits: limits).value
    }

    /// Parses like `parse`, and returns the aliases the document uses, in order (CloudFormation
    /// refuses a template with aliases; `aws cloudformation package` and `sam deploy` expand them).
    public static func parseNotingAliases(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias]) {
        let parsed = try parseDocument(text, file: file, limits: limits)
        return (parsed.value, parsed.aliases)
    }

    /// Parses like `parse`, with the aliases and the 1-based line and column of the root node.
    /// With `positions`, also where each mapping key and list item starts.
    static func parseDocument(_ text: String, file: String?, limits: ParseLimits, positions: Bool = false) throws(TemplateError)
        -> (value: TemplateValue, aliases: [YAMLAlias], root: (line: Int, column: Int), positions: SourcePositions?) {
        var reader = try EventReader(text: text, file: file, limits: limits)
        defer { reader.close() }
        if positions { reader.positions = SourcePositions() }
        let value = try reader.document()
        return (value, reader.aliases, (reader.rootMark.line, reader.rootMark.column), reader.positions)
    }

    /// Parses like `parseNotingAliases`, and records where each mapping key and list item starts
    /// (`SourcePositions`). Positions inside an alias's expansion are not recorded: a lookup
    /// there finds the alias.
    public static func parseWithPositions(_ text: String, file: String? = nil, limits: ParseLimits = ParseLimits()) throws(TemplateError) -> (value: TemplateValue, aliases: [YAMLAlias], positions: SourcePositions) {
        let parsed = try parseDocument(text, file: file, limits: limits, positions: true)
        return (parsed.value, parsed.aliases, parsed.positions ?? SourcePositions())
    }

    /// The tags CloudFormation reads as short forms of its functions: the intrinsic and
    /// condition functions, then the rule-specific functions of a `Rules` section, then those of
    /// the `AWS::LanguageExtensions` transform.
    public static let shortFormTags: [String] = [
        "!Ref", "!GetAtt", "!Sub", "!Join", "!Select", "!Split", "!If", "!Equals", "!And", "!Or", "!Not",
        "!FindInMap", "!Base64", "!Cidr", "!GetAZs", "!ImportValue", "!Condition", "!Transform", "!GetStackOutput",
        "!Contains", "!EachMemberEquals", "!EachMemberIn", "!RefAll", "!ValueOf", "!ValueOfAll",
        "!Length", "!ToJsonString",
    ]
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
    private let limits: ParseLimits
    /// An anchored node: its value, its size in nodes and its height in levels of lists and
    /// maps (0 for a scalar), so that an alias adds what it expands to.
    private struct Anchored {
        var value: TemplateValue
        var nodes: Int
        var height: Int
    }
    private var anchors: [String: Anchored] = [:]
    /// The aliases read so far.
    private(set) var aliases: [YAMLAlias] = []
    /// Where keys and items start, when asked for (nil: not recorded).
    var positions: SourcePositions?
    /// The path of the node being read, kept only while `positions` is recorded.
    private var path: [String] = []
    /// Nodes read so far, aliases counted at the size of what they expand to.
    private var nodeCount = 0
    /// The deepest level of lists and maps reached inside the node being read.
    private var deepest = 0
    /// Where the document's root node starts.
    private(set) var rootMark = Mark(line: 1, column: 1)
    private var closed = false

    init(text: String, file: String?, limits: ParseLimits) throws(TemplateError) {
        self.file = file
        self.limits = limits
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
            if p.error == YAML_READER_ERROR {
                // libyaml's reader leaves problem_mark at 1:1; the offset and character are right.
                let (line, column) = JSONParser.position(of: Int(p.problem_offset), in: Array(input))
                let character = p.problem_value >= 0 && p.problem_value <= 0x10FFFF
                    ? "the character U+" + String(repeating: "0", count: max(0, 4 - String(p.problem_value, radix: 16).count)) + String(p.problem_value, radix: 16, uppercase: true) + ": "
                    : ""
                throw TemplateError.syntax(file: file, line: line, column: column,
                                           message: "invalid YAML: \(character)\(p.problem.map { String(cString: $0) } ?? "unreadable input")")
            }
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
        rootMark = mark
        let root = try node(event, mark, depth: 0)
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

    // Lists and maps are read in functions of their own, and positions recorded in others, so
    // that the frame `node` adds per level of nesting stays small (ParseLimits.maximumDepth
    // levels must fit a thread's stack in a debug build too).

    @inline(never)
    private mutating func sequence(tag: String?, anchor: String?, mark: Mark, depth: Int, firstNode: Int) throws(TemplateError) -> TemplateValue {
        guard depth < ParseLimits.maximumDepth else { throw error(mark, ParseLimits.depthMessage) }
        deepest = depth + 1
        var items: [TemplateValue] = []
        while true {
            let (child, childMark) = try next()
            if case .sequenceEnd = child { break }
            if positions != nil { enter(String(items.count), childMark) }
            items.append(try node(child, childMark, depth: depth + 1))
            if positions != nil { leave() }
        }
        let value = try tagged(.list(items), tag: tag, mark: mark)
        if let anchor { anchors[anchor] = Anchored(value: value, nodes: nodeCount - firstNode, height: deepest - depth) }
        return value
    }

    @inline(never)
    private mutating func mapping(tag: String?, anchor: String?, mark: Mark, depth: Int, firstNode: Int) throws(TemplateError) -> TemplateValue {
        guard depth < ParseLimits.maximumDepth else { throw error(mark, ParseLimits.depthMessage) }
        deepest = depth + 1
        var map = OrderedMap()
        while true {
            let (keyEvent, keyMark) = try next()
            if case .mappingEnd = keyEvent { break }
            let key = try node(keyEvent, keyMark, depth: depth + 1)
            let keyText: String
            switch key {
            case .string(let s): keyText = s
            case .int(let i): keyText = String(i)
            case .bool(let b): keyText = b ? "true" : "false"
            case .double(let d): keyText = NumberFormatting.shortest(d)
            case .number(let text): keyText = text
            case .null:
                // It was read as the key "": a value changed without a word. cfn-lint refuses it too.
                throw error(keyMark, "a mapping key is null (~, null or nothing); a template's keys are strings, and CloudFormation supports no null key")
            default: throw error(keyMark, "a mapping key must be a scalar, found \(key.kindName)")
            }
            if map.contains(keyText) {
                throw error(keyMark, "duplicate key \(quoted(keyText)) in a mapping")
            }
            let (valueEvent, valueMark) = try next()
            if positions != nil { enter(keyText, keyMark) }
            map[keyText] = try node(valueEvent, valueMark, depth: depth + 1)
            if positions != nil { leave() }
        }
        let value = try tagged(JSONParser.recognizeIntrinsic(map), tag: tag, mark: mark)
        if let anchor { anchors[anchor] = Anchored(value: value, nodes: nodeCount - firstNode, height: deepest - depth) }
        return value
    }

    /// The value an alias stands for, within the limits (or refused).
    @inline(never)
    private mutating func alias(_ name: String, mark: Mark, depth: Int) throws(TemplateError) -> TemplateValue {
        if limits.aliases == .reject {
            throw error(mark, "YAML aliases are not allowed in CloudFormation templates (*\(name)); formation convert or aws cloudformation package expands them")
        }
        guard let anchored = anchors[name] else {
            throw error(mark, "alias *\(name) names no anchor defined before it")
        }
        // Checked before the alias's nodes are added: an expansion that overflows the
        // count is refused as well as one that exceeds the budget.
        guard anchored.nodes <= limits.maximumNodes - nodeCount + 1 else {
            throw error(mark, "expanding the YAML alias *\(name) makes the document larger than \(limits.maximumNodes) nodes (the limit on expanded aliases: one node per byte of the size limit, which --max-size raises)")
        }
        guard depth + anchored.height <= ParseLimits.maximumDepth else {
            throw error(mark, ParseLimits.depthMessage + " once the YAML alias *\(name) is expanded")
        }
        nodeCount += anchored.nodes - 1
        deepest = depth + anchored.height
        aliases.append(YAMLAlias(name: name, line: mark.line, column: mark.column))
        return anchored.value
    }

    /// Records where the child `component` of the current path starts.
    @inline(never)
    private mutating func enter(_ component: String, _ mark: Mark) {
        path.append(component)
        positions?.record(path, SourcePositions.Position(line: mark.line, column: mark.column))
    }

    @inline(never)
    private mutating func leave() {
        path.removeLast()
    }

    /// The value of the node that starts with `event`, `depth` lists and maps down. A list or
    /// map deeper than `ParseLimits.maximumDepth` is refused before its contents are read, so
    /// the recursion here (and in everything that walks the value later) stays bounded.
    private mutating func node(_ event: Event, _ mark: Mark, depth: Int) throws(TemplateError) -> TemplateValue {
        let firstNode = nodeCount
        nodeCount += 1
        let outerDeepest = deepest
        deepest = depth
        defer { deepest = max(outerDeepest, deepest) }
        switch event {
        case .scalar(let text, let tag, let anchor, let plain):
            let value = try scalar(text, tag: tag, plain: plain, mark: mark)
            if let anchor { anchors[anchor] = Anchored(value: value, nodes: 1, height: 0) }
            return value
        case .sequenceStart(let tag, let anchor):
            return try sequence(tag: tag, anchor: anchor, mark: mark, depth: depth, firstNode: firstNode)
        case .mappingStart(let tag, let anchor):
            return try mapping(tag: tag, anchor: anchor, mark: mark, depth: depth, firstNode: firstNode)
        case .alias(let name):
            return try alias(name, mark: mark, depth: depth)
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
                if let long = YAMLScalars.longInteger(text) { return .number(long) }
                throw error(mark, "\(quoted(text)) is not an integer")
            case "float":
                if YAMLScalars.parseFloat(text) != nil, let number = YAMLScalars.parseNumber(text) { return number }
                // An integer under !!float: that number, as a float.
                if let i = YAMLScalars.parseInteger(text) {
                    return Double(exactly: i).map(TemplateValue.double) ?? .number(String(i) + ".0")
                }
                if let long = YAMLScalars.longInteger(text) { return .number(long + ".0") }
                throw error(mark, "\(quoted(text)) is not a number")
            default:
                throw unknownTag(tag, mark)
            }
        }
        return try tagged(.string(text), tag: tag, mark: mark)
    }

    /// The short-form tags, as a set.
    private static let shortForms = Set(YAMLParser.shortFormTags)

    /// Applies a node's tag: a short-form intrinsic tag wraps the node into that function; a tag
    /// that is neither a short form nor a standard YAML tag that fits the node is an error.
    private func tagged(_ value: TemplateValue, tag: String?, mark: Mark) throws(TemplateError) -> TemplateValue {
        guard let tag, tag != "!" else { return value }
        if tag.hasPrefix(Self.coreTag) {
            let kind = tag.dropFirst(Self.coreTag.count)
            if kind == "map", case .map = value { return value }
            if kind == "seq", case .list = value { return value }
            if kind == "map" || kind == "seq" || kind == "str" || kind == "int" || kind == "float" || kind == "bool" || kind == "null" {
                throw error(mark, "tag \(tag) does not fit a \(value.kindName)")
            }
            throw unknownTag(tag, mark)
        }
        guard Self.shortForms.contains(tag) else { throw unknownTag(tag, mark) }
        let short = String(tag.dropFirst())
        let name = (short == "Ref" || short == "Condition") ? short : "Fn::" + short
        if let function = Intrinsic(name: name, argument: value) {
            return .fn(function)
        }
        // A function this model has no case for (rule functions, Fn::Length, …), or one whose
        // argument has an unusual shape: keep the long form as data; validation reports it.
        return .map([name: value])
    }

    /// A tag CloudFormation does not read: the error names it and lists the short forms.
    private func unknownTag(_ tag: String, _ mark: Mark) -> TemplateError {
        let shown = tag.hasPrefix(Self.coreTag) ? "!!" + tag.dropFirst(Self.coreTag.count) : tag
        if shown.hasPrefix("!Rain::") {
            // Rain's preprocessor directives (`!Rain::Module`, `!Rain::Embed`, …): the file is a
            // Rain source, and `rain pkg` writes the template CloudFormation (and Formation) reads.
            return error(mark, "YAML tag \(shown) is a Rain directive, which CloudFormation does not read: "
                         + "validate the template `rain pkg` writes from this file")
        }
        return error(mark, "unknown YAML tag \(shown); CloudFormation reads only its short forms "
                     + YAMLParser.shortFormTags.joined(separator: ", ") + " (!Contains to !ValueOfAll in Rules, the last two with the AWS::LanguageExtensions transform)")
    }
}
