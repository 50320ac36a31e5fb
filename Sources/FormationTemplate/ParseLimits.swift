/// What the template parsers accept from input nobody vetted: the limits that keep a hostile or
/// broken file from crashing the process or taking unbounded time and memory.
///
/// Every limit sits well above any template CloudFormation accepts, so a real template never
/// meets one (the README's "Limits on input" gives the reasons).
public struct ParseLimits: Sendable, Hashable {
    /// Lists and maps nested deeper than this are refused, before the parser goes deeper:
    /// everything that walks a parsed value (the template model, validation, diff, the emitters,
    /// the matchers) recurses once per level, and a file of a million `[` would otherwise
    /// overflow the stack. Real templates nest a few dozen levels at most (an inline Step
    /// Functions definition under `Fn::Sub` is about 20).
    public static let maximumDepth = 1_000

    /// CloudFormation's largest template: a template body in S3 may have 1 MB (1,048,576 bytes).
    public static let cloudFormationMaximumBytes = 1_048_576

    /// What YAML aliases (`*name`) do.
    public enum Aliases: Sendable, Hashable {
        /// An alias is an error at its line: CloudFormation refuses aliases ("YAML aliases are
        /// not allowed in CloudFormation templates").
        case reject
        /// Aliases are expanded, as `aws cloudformation package` does, while the expanded
        /// document stays within `maximumNodes`.
        case expand
    }

    /// What YAML aliases do.
    public var aliases: Aliases
    /// The most nodes (scalars, lists and maps, keys included) a document may have once its
    /// aliases are expanded: a few bytes of YAML can otherwise expand into billions of nodes
    /// (nine aliases of nine aliases of … "billion laughs"), which every later step would walk.
    public var maximumNodes: Int

    /// Limits for `maximumBytes` of input: aliases expanded up to one node per byte, so the
    /// expanded document could still be written within that many bytes (every node takes at
    /// least one).
    public init(aliases: Aliases = .expand, maximumBytes: Int = cloudFormationMaximumBytes) {
        self.aliases = aliases
        maximumNodes = max(maximumBytes, 1)
    }

    /// The limits of a template read for CloudFormation as it is (aliases refused).
    public static let cloudFormation = ParseLimits(aliases: .reject)

    /// The message for nesting deeper than `maximumDepth`.
    static var depthMessage: String {
        "nesting deeper than \(maximumDepth) levels (the limit on lists and maps inside one another)"
    }
}
