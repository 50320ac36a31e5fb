/// A value known only at deploy time: an intrinsic function, plus the stack that defines what it
/// refers to (so a reference into another stack is caught while writing the template).
public struct Token: Sendable, Hashable, CustomStringConvertible {
    /// The intrinsic function the token stands for.
    public let intrinsic: Intrinsic
    /// The stack whose template defines the referenced thing; nil for pseudo parameters and
    /// functions over literals, which are valid in any stack.
    public let stackName: String?

    public init(_ intrinsic: Intrinsic, stackName: String? = nil) {
        self.intrinsic = intrinsic
        self.stackName = stackName
    }

    public var description: String { TemplateValue.fn(intrinsic).description }
}

/// A property value: either a Swift literal or a token resolved at deploy time.
///
/// Literals come from Swift literals, so typed code reads like data (`retentionInDays: 30`,
/// `name: "agent"`); tokens come from handles (`key.arn`, `vpcId.ref`, `AWS.region`).
/// Interpolating tokens into a string literal builds one `Fn::Sub`:
/// `"arn:\(AWS.partition):logs:\(AWS.region):\(AWS.accountId):log-group:\(group.ref):*"`.
public enum Value<T: TemplateEncodable>: TemplateEncodable {
    case literal(T)
    case token(Token)

    /// The literal, if this value is one.
    public var literalValue: T? {
        if case .literal(let value) = self { return value }
        return nil
    }

    /// The token, if this value is one.
    public var tokenValue: Token? {
        if case .token(let token) = self { return token }
        return nil
    }

    @inlinable
    public func encode(_ context: EncodingContext) -> TemplateValue {
        switch self {
        case .literal(let value):
            return value.encode(context)
        case .token(let token):
            return context.encode(token)
        }
    }

    /// The same token seen as another value type (a `Ref` to a Number parameter used as an
    /// integer, say). Literals cannot be re-typed this way.
    public func retyped<U>(as: U.Type = U.self) -> Value<U>? {
        if case .token(let token) = self { return .token(token) }
        return nil
    }
}

extension Value: Equatable where T: Equatable {}
extension Value: Hashable where T: Hashable {}

extension Value {
    /// A value standing for an intrinsic over literals (valid in any stack).
    public init(_ intrinsic: Intrinsic) {
        self = .token(Token(intrinsic))
    }
}

extension Value: CustomStringConvertible {
    /// The literal's text, or for a token a marker that synthesis rejects: a token interpolated
    /// into a plain Swift `String` (instead of a `Value<String>`) has lost its meaning, and the
    /// marker makes that an error (FM1113) rather than a template with JSON text in a property.
    public var description: String {
        switch self {
        case .literal(let value): "\(value)"
        case .token(let token): TokenMarker.text(for: token)
        }
    }
}

/// The text a token becomes when it is turned into a plain string by mistake.
public enum TokenMarker {
    /// The prefix every marker starts with.
    public static let prefix = "${Token["

    static func text(for token: Token) -> String {
        prefix + TemplateValue.fn(token.intrinsic).description + "]}"
    }
}

// MARK: - Literals

/// Types a `Value` can be written as with an integer literal (`Int`, `Double`).
public protocol IntegerLiteralValue: TemplateEncodable {
    init(integerLiteralValue: Int)
}

extension Int: IntegerLiteralValue {
    public init(integerLiteralValue: Int) { self = integerLiteralValue }
}

extension Double: IntegerLiteralValue {
    public init(integerLiteralValue: Int) { self = Double(integerLiteralValue) }
}

extension Value: ExpressibleByIntegerLiteral where T: IntegerLiteralValue {
    public init(integerLiteral value: Int) { self = .literal(T(integerLiteralValue: value)) }
}

extension Value: ExpressibleByFloatLiteral where T == Double {
    public init(floatLiteral value: Double) { self = .literal(value) }
}

extension Value: ExpressibleByBooleanLiteral where T == Bool {
    public init(booleanLiteral value: Bool) { self = .literal(value) }
}

/// Collections a `Value` can be written as with an array literal.
public protocol ArrayLiteralValue: TemplateEncodable {
    associatedtype Element
    init(elements: [Element])
}

extension Array: ArrayLiteralValue where Element: TemplateEncodable {
    public init(elements: [Element]) { self = elements }
}

extension Value: ExpressibleByArrayLiteral where T: ArrayLiteralValue {
    public init(arrayLiteral elements: T.Element...) { self = .literal(T(elements: elements)) }
}

/// Maps a `Value` can be written as with a dictionary literal.
public protocol DictionaryLiteralValue: TemplateEncodable {
    associatedtype MapValue
    init(pairs: [(String, MapValue)])
}

extension Dictionary: DictionaryLiteralValue where Key == String, Value: TemplateEncodable {
    public init(pairs: [(String, Value)]) {
        self.init(pairs, uniquingKeysWith: { _, last in last })
    }
}

extension Value: ExpressibleByDictionaryLiteral where T: DictionaryLiteralValue {
    public init(dictionaryLiteral elements: (String, T.MapValue)...) { self = .literal(T(pairs: elements)) }
}

extension Value: ExpressibleByUnicodeScalarLiteral where T == String {
    public init(unicodeScalarLiteral value: String) { self = .literal(value) }
}

extension Value: ExpressibleByExtendedGraphemeClusterLiteral where T == String {
    public init(extendedGraphemeClusterLiteral value: String) { self = .literal(value) }
}

extension Value: ExpressibleByStringLiteral where T == String {
    public init(stringLiteral value: String) { self = .literal(value) }
}

extension Value where T == String {
    /// A literal string value (for a `String` variable, where a literal would be written directly).
    public init(_ string: String) { self = .literal(string) }
}

extension Value where T: ArrayLiteralValue, T.Element: TemplateEncodable {
    /// A literal list from a Swift array.
    public init(_ elements: [T.Element]) { self = .literal(T(elements: elements)) }
}

// MARK: - String interpolation → Fn::Sub

extension Value: ExpressibleByStringInterpolation where T == String {
    public init(stringInterpolation: SubInterpolation) {
        self = stringInterpolation.build()
    }
}

/// Collects literal text and tokens; builds a literal when there are no tokens, the token itself
/// when it stands alone, and otherwise one `Fn::Sub` (literal `${` escaped as `${!`).
public struct SubInterpolation: StringInterpolationProtocol {
    enum Part {
        case text(String)
        case token(Token)
    }

    var parts: [Part] = []

    public init(literalCapacity: Int, interpolationCount: Int) {
        parts.reserveCapacity(interpolationCount * 2 + 1)
    }

    public mutating func appendLiteral(_ literal: String) {
        if !literal.isEmpty { appendText(literal) }
    }

    private mutating func appendText(_ text: String) {
        // Consecutive texts stay separate parts; `build` joins them once.
        parts.append(.text(text))
    }

    /// Interpolates a string value: literal text, or a token.
    public mutating func appendInterpolation(_ value: Value<String>) {
        switch value {
        case .literal(let text): appendText(text)
        case .token(let token): parts.append(.token(token))
        }
    }

    /// Interpolates a number value: its digits, or a token.
    public mutating func appendInterpolation(_ value: Value<Int>) {
        switch value {
        case .literal(let number): appendText(String(number))
        case .token(let token): parts.append(.token(token))
        }
    }

    /// Interpolates plain Swift text.
    public mutating func appendInterpolation(_ text: String) {
        appendText(text)
    }

    /// Interpolates any printable Swift value as text (numbers, names).
    public mutating func appendInterpolation<V: CustomStringConvertible>(_ value: V) {
        appendText(value.description)
    }

    /// The `Fn::Sub` text of parts whose tokens are all plain (Ref, Fn::GetAtt, Fn::Sub without
    /// variables) and whose texts hold no `$` (nothing to escape), written into one buffer of
    /// the exact size; nil otherwise.
    static func plainSubText(_ parts: [Part]) -> String? {
        var length = 0
        for part in parts {
            switch part {
            case .text(let text):
                if text.utf8.contains(UInt8(ascii: "$")) { return nil }
                length += text.utf8.count
            case .token(let token):
                switch token.intrinsic {
                case .ref(let name): length += 3 + name.utf8.count
                case .getAtt(let resource, let attribute): length += 4 + resource.utf8.count + attribute.utf8.count
                case .sub(let inner, nil): length += inner.utf8.count
                default: return nil
                }
            }
        }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var at = 0
            func put(_ byte: UInt8) {
                buffer[at] = byte
                at += 1
            }
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
                    (target + at).update(from: source, count: bytes.count)
                    at += bytes.count
                }
            }
            for part in parts {
                switch part {
                case .text(let text):
                    put(text)
                case .token(let token):
                    switch token.intrinsic {
                    case .ref(let name):
                        put(UInt8(ascii: "$")); put(UInt8(ascii: "{")); put(name); put(UInt8(ascii: "}"))
                    case .getAtt(let resource, let attribute):
                        put(UInt8(ascii: "$")); put(UInt8(ascii: "{")); put(resource); put(UInt8(ascii: ".")); put(attribute)
                        put(UInt8(ascii: "}"))
                    case .sub(let inner, nil):
                        put(inner)
                    default:
                        break
                    }
                }
            }
            return at
        }
    }

    func build() -> Value<String> {
        var tokenCount = 0
        var textBytes = 0
        var only: Token?
        // Whether every token is a Ref, a Fn::GetAtt or a Fn::Sub without variables (the usual
        // case): their placeholders are their own names, and no variable is generated.
        var plain = true
        for part in parts {
            switch part {
            case .text(let text):
                textBytes += text.utf8.count
            case .token(let token):
                tokenCount += 1
                only = token
                switch token.intrinsic {
                case .ref, .getAtt, .sub(_, nil): break
                default: plain = false
                }
            }
        }
        if tokenCount == 0 {
            if parts.count == 1, case .text(let text) = parts[0] { return .literal(text) }
            var joined = ""
            joined.reserveCapacity(textBytes)
            for case .text(let text) in parts { joined += text }
            return .literal(joined)
        }
        if parts.count == 1, let only {
            return .token(only)
        }
        if plain, let text = Self.plainSubText(parts) {
            return .token(Token(.sub(text, nil), stackName: parts.lazy.compactMap { part -> String? in
                if case .token(let token) = part { return token.stackName }
                return nil
            }.first))
        }
        // Texts with a `$` to escape, or tokens that need generated variables.
        let tokens = parts.compactMap { part -> Token? in
            if case .token(let token) = part { return token }
            return nil
        }
        var placeholders = SubPlaceholders(for: tokens.map(\.intrinsic))
        var text = ""
        var origin: String?
        // Consecutive texts are escaped together (a `$` ending one and a `{` starting the next
        // are a literal `${` too).
        var pending = ""
        for part in parts {
            switch part {
            case .text(let literal):
                pending += literal
            case .token(let token):
                if !pending.isEmpty {
                    text += pending.escapedForSub
                    pending = ""
                }
                origin = origin ?? token.stackName
                text += placeholders.placeholder(for: token.intrinsic)
            }
        }
        if !pending.isEmpty { text += pending.escapedForSub }
        let variables = placeholders.variables
        return .token(Token(.sub(text, variables.isEmpty ? nil : variables), stackName: origin))
    }
}

/// The `${…}` text that stands for each token put into one `Fn::Sub`: `${Name}` for a `Ref`,
/// `${Resource.Attribute}` for an `Fn::GetAtt`, the text itself for an `Fn::Sub` without
/// variables, and for any other intrinsic a generated variable `${VarN}` (collected in
/// `variables`), named to avoid every name the string refers to directly.
public struct SubPlaceholders {
    private let referenced: Set<String>
    private var counter = 0
    /// The generated variables, in the order their placeholders were made.
    public private(set) var variables = OrderedMap()

    /// Placeholders for a string that will hold `intrinsics` (all of them, so generated names
    /// avoid the names any of them refers to).
    public init(for intrinsics: [Intrinsic]) {
        var referenced = Set<String>()
        for intrinsic in intrinsics {
            switch intrinsic {
            case .ref(let name): referenced.insert(name)
            case .getAtt(let resource, _): referenced.insert(resource)
            default: break
            }
        }
        self.referenced = referenced
    }

    /// The placeholder for `intrinsic`; a generated variable is added to `variables`.
    public mutating func placeholder(for intrinsic: Intrinsic) -> String {
        switch intrinsic {
        case .ref(let name):
            return "${\(name)}"
        case .getAtt(let resource, let attribute):
            return "${\(resource).\(attribute)}"
        case .sub(let inner, nil):
            return inner
        default:
            var name: String
            repeat {
                name = "Var\(counter)"
                counter += 1
            } while referenced.contains(name) || variables.contains(name)
            variables[name] = .fn(intrinsic)
            return "${\(name)}"
        }
    }
}

extension String {
    /// The text with every literal `${` written `${!`, as `Fn::Sub` reads it back.
    var escapedForSub: String {
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{")
        guard utf8.contains(dollar) else { return self }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 4)
        var afterDollar = false
        for byte in utf8 {
            escaped.append(byte)
            if afterDollar && byte == open { escaped.append(UInt8(ascii: "!")) }
            afterDollar = byte == dollar
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
