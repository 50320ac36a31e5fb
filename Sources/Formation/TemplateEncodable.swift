@_exported import FormationTemplate
@_exported import FormationRegistry

/// A Swift value that can be written into a template.
///
/// Encoding goes through an `EncodingContext` so that tokens can report where they come from
/// (a reference into another stack is an error, found while encoding, not guessed afterwards).
public protocol TemplateEncodable: Sendable {
    /// The template value for `self`.
    func encode(_ context: EncodingContext) -> TemplateValue
}

/// What encoding learns on the way: references into other stacks and values it could not write.
public final class EncodingContext {
    /// The name of the stack whose template is being written (nil outside a stack).
    public let stackName: String?
    /// Tokens that refer to something defined in another stack.
    public private(set) var foreignTokens: [Token] = []
    /// Problems met while encoding (property path relative to the resource, message).
    public private(set) var problems: [(property: String, message: String)] = []

    public init(stackName: String? = nil) {
        self.stackName = stackName
    }

    /// Records a token's origin; called by `Value.encode`.
    public func record(_ token: Token) {
        if let origin = token.stackName, let stackName, origin != stackName {
            foreignTokens.append(token)
        }
    }

    /// A token as this stack's template writes it (recorded): its intrinsic, or for a token of
    /// another stack, `Fn::ImportValue` of the export that stack declares for it (`CrossStack`).
    public func encode(_ token: Token) -> TemplateValue {
        if let origin = token.stackName, let stackName, origin != stackName {
            foreignTokens.append(token)
            return CrossStack.importValue(token)
        }
        return .fn(token.intrinsic)
    }

    /// Records a value that cannot be written as it is.
    public func problem(property: String, _ message: String) {
        problems.append((property, message))
    }
}

extension TemplateValue: TemplateEncodable {
    public func encode(_ context: EncodingContext) -> TemplateValue { self }
}

extension String: TemplateEncodable {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue { .string(self) }
}

extension Int: TemplateEncodable {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue { .int(Int64(self)) }
}

extension Double: TemplateEncodable {
    public func encode(_ context: EncodingContext) -> TemplateValue {
        if !isFinite { context.problem(property: "", "\(self) is not a finite number") }
        return .double(self)
    }
}

extension Bool: TemplateEncodable {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue { .bool(self) }
}

extension Array: TemplateEncodable where Element: TemplateEncodable {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue {
        .list(map { $0.encode(context) })
    }
}

extension Dictionary: TemplateEncodable where Key == String, Value: TemplateEncodable {
    /// Swift dictionaries have no order, so keys are written sorted (deterministic output).
    public func encode(_ context: EncodingContext) -> TemplateValue {
        var map = OrderedMap()
        for key in keys.sorted() {
            if let value = self[key] { map[key] = value.encode(context) }
        }
        return .map(map)
    }
}

extension Optional: TemplateEncodable where Wrapped: TemplateEncodable {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue {
        self?.encode(context) ?? .null
    }
}

/// A string enumeration from a schema (`.http` for `"HTTP"`), written as its raw value.
public protocol TemplateEnum: TemplateEncodable, RawRepresentable, CaseIterable, Hashable where RawValue == String {}

extension TemplateEnum {
    @inlinable public func encode(_ context: EncodingContext) -> TemplateValue { .string(rawValue) }
}

extension OrderedMap {
    /// Sets `key` to the encoded value when it is present (the generated property writers use this).
    @inlinable public mutating func encode<V: TemplateEncodable>(_ key: String, _ value: V?, _ context: EncodingContext) {
        if let value { self[key] = value.encode(context) }
    }

    /// Appends `key` with the encoded value when it is present, without looking for `key` first:
    /// the generated property writers use this, their keys being a type's distinct property names.
    @inlinable public mutating func encodeDistinct<V: TemplateEncodable>(_ key: String, _ value: V?, _ context: EncodingContext) {
        if let value { appendDistinct(key, value.encode(context)) }
    }
}
