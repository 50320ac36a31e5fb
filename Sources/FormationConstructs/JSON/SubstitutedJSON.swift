import Formation

/// JSON text with deploy-time values in it, written as one `Fn::Sub`: for properties that take a
/// JSON *string* (a state machine's `DefinitionString`, a secret's `SecretString`) whose content
/// must refer to resources and parameters.
///
/// The value is built as typed data and serialized by json-c, so nothing is quoted by hand;
/// each token becomes a `${…}` placeholder inside its JSON string — `${Logical.Attr}` for
/// `Fn::GetAtt`, `${Name}` for `Ref`, the text of an `Fn::Sub` without variables in place, a
/// generated variable for any other intrinsic — and literal
/// `${` in the data is escaped as `${!`, so CloudFormation substitutes exactly the tokens.
///
/// ```swift
/// let text = try SubstitutedJSON.string(["app_id": appId.ref, "private_key": key.ref], in: stack, pretty: false)
/// // {"Fn::Sub": "{\"app_id\":\"${GitHubAppId}\",\"private_key\":\"${GitHubAppPrivateKey}\"}"}
/// ```
///
/// Tokens stand for strings: each is substituted inside a JSON string, as `Fn::Sub` substitutes
/// text. A value with no token is a plain literal string.
public enum SubstitutedJSON {
    /// The marker that stands for a token while json-c writes the text.
    static let markerPrefix = "__formation_token_"

    /// The JSON text of `value` (encoded for `stack`), as one `Fn::Sub` when it holds tokens.
    ///
    /// `pretty` writes json-c's two-space indented form (readable as a YAML literal block); the
    /// compact form has no whitespace. Throws ``TemplateError/unrepresentable(path:message:)``
    /// when json-c cannot write the value (a non-finite number) or a string of the data contains
    /// the placeholder marker itself.
    public static func string(_ value: some TemplateEncodable, in stack: Stack, pretty: Bool = true) throws(TemplateError) -> Value<String> {
        let context = EncodingContext(stackName: stack.name)
        let encoded = value.encode(context)
        var tokens: [Intrinsic] = []
        var trail: [PathStep] = []
        let marked = try mark(encoded, trail: &trail, tokens: &tokens)
        var text = pretty ? try JSONEmitter.emit(marked) : try JSONEmitter.emitCompact(marked)
        if pretty, text.hasSuffix("\n") { text.removeLast() }
        guard !tokens.isEmpty else { return .literal(text) }

        var builder = SubPlaceholders(for: tokens)
        var placeholders: [String] = []
        for token in tokens {
            if case .sub(let inner, nil) = token {
                // Already Fn::Sub text: in place, escaped as the inside of a JSON string.
                placeholders.append(String(try JSONEmitter.emitCompact(.string(inner)).dropFirst().dropLast()))
            } else {
                placeholders.append(builder.placeholder(for: token))
            }
        }
        text = substitute(text, placeholders: placeholders)
        let origin = context.foreignTokens.first?.stackName ?? stack.name
        let variables = builder.variables
        return .token(Token(.sub(text, variables.isEmpty ? nil : variables), stackName: origin))
    }

    /// `text` with literal `${` escaped as `${!` and marker *n* replaced by `placeholders[n]`, in
    /// one pass over the bytes (markers and `${` are ASCII, so no character is split).
    static func substitute(_ text: String, placeholders: [String]) -> String {
        let marker = Array(markerPrefix.utf8)
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), underscore = UInt8(ascii: "_")
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == dollar, index + 1 < bytes.count, bytes[index + 1] == open {
                output.append(contentsOf: "${!".utf8)
                index += 2
                continue
            }
            if byte == underscore, bytes[index...].starts(with: marker) {
                var end = index + marker.count
                var number = 0
                while end < bytes.count, bytes[end] >= zero, bytes[end] <= nine, number < placeholders.count {
                    number = number * 10 + Int(bytes[end] - zero)
                    end += 1
                }
                if end > index + marker.count, number < placeholders.count, end + 1 < bytes.count,
                   bytes[end] == underscore, bytes[end + 1] == underscore {
                    output.append(contentsOf: placeholders[number].utf8)
                    index = end + 2
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `value` with every intrinsic replaced by a marker string, the intrinsics collected in order;
    /// `trail` is the path to `value`, rendered only for a message.
    private static func mark(_ value: TemplateValue, trail: inout [PathStep], tokens: inout [Intrinsic]) throws(TemplateError) -> TemplateValue {
        switch value {
        case .fn(let intrinsic):
            tokens.append(intrinsic)
            return .string(markerPrefix + String(tokens.count - 1) + "__")
        case .string(let text):
            try checkNoMarker(text, trail: trail)
            return value
        case .list(let items):
            var result: [TemplateValue] = []
            result.reserveCapacity(items.count)
            for (offset, item) in items.enumerated() {
                trail.append(.index(offset))
                result.append(try mark(item, trail: &trail, tokens: &tokens))
                trail.removeLast()
            }
            return .list(result)
        case .map(let map):
            var result = OrderedMap()
            for entry in map.entries {
                try checkNoMarker(entry.key, trail: trail)
                trail.append(.key(entry.key))
                result[entry.key] = try mark(entry.value, trail: &trail, tokens: &tokens)
                trail.removeLast()
            }
            return .map(result)
        default:
            return value
        }
    }

    private static func checkNoMarker(_ text: String, trail: [PathStep]) throws(TemplateError) {
        if containsMarker(text) {
            throw TemplateError.unrepresentable(path: PathStep.render(trail), message: "the text \(TemplateValue.string(text)) contains \(markerPrefix), which stands for tokens while the JSON is written")
        }
    }

    /// Whether `text` contains the marker prefix.
    static func containsMarker(_ text: String) -> Bool { text.containsBytes(markerBytes) }

    private static let markerBytes = Array(markerPrefix.utf8)
}
