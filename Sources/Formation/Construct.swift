/// A node in the construct tree: a stack, a group of resources, or a resource.
///
/// Every construct has an id unique among its siblings and a path from its stack
/// (`CustomerServiceAgentStack-dev/AgentSg/Default`). Reusable constructs are usually structs that
/// hold a `Construct` made with `scope.node(id)` and add resources under it.
open class Construct {
    /// The id within the parent.
    public let id: String
    /// The parent; nil only for a stack.
    public private(set) weak var parent: Construct?
    /// The children, in the order they were added.
    public private(set) var children: [Construct] = []
    private var childIDs: Set<String> = []
    /// The path from the stack, ids joined by `/`.
    public let path: String
    /// The name of the stack at the root of this construct's tree (what tokens record as their
    /// origin), kept so that making a token does not walk up the tree's weak parent links.
    let stackID: String
    private var prepareHooks: [() -> Void] = []

    /// A root construct (a stack).
    init(rootID: String) {
        id = rootID
        parent = nil
        path = rootID
        stackID = rootID
    }

    /// A construct with id `id` under `scope`. An empty id, an id with `/`, or an id already used
    /// by a sibling is reported as a synthesis error on the stack.
    public init(_ scope: Construct, _ id: String) {
        self.id = id
        self.parent = scope
        self.path = scope.path + "/" + id
        self.stackID = scope.stackID
        scope.adopt(self)
    }

    private func adopt(_ child: Construct) {
        if child.id.isEmpty || child.id.utf8.contains(UInt8(ascii: "/")) {
            stack.report(.error(DiagnosticCode.invalidConstructID, path: child.path,
                                "construct id \(quotedForMessage(child.id)) is invalid: an id must be non-empty and must not contain \"/\""))
        } else if !childIDs.insert(child.id).inserted {
            stack.report(.error(DiagnosticCode.duplicateConstructID, path: child.path,
                                "construct id \(quotedForMessage(child.id)) is already used under \(path); ids must be unique among siblings"))
        }
        children.append(child)
    }

    /// The stack this construct belongs to.
    open var stack: Stack {
        var node: Construct = self
        while let up = node.parent { node = up }
        // The root of every tree is a stack: only `Stack` uses the root initializer.
        return unsafeDowncast(node, to: Stack.self)
    }

    /// A plain child construct, to group resources under a path.
    public func node(_ id: String) -> Construct {
        Construct(self, id)
    }

    /// Registers work to run before every synthesis (for values that depend on what is added
    /// later, such as a key policy that grows as log groups use the key). Hooks must be
    /// idempotent: they run again on every synthesis.
    public func onPrepare(_ hook: @escaping () -> Void) {
        prepareHooks.append(hook)
    }

    /// Runs this construct's prepare hooks, then its children's, in tree order.
    func runPrepareHooks() {
        for hook in prepareHooks { hook() }
        var index = 0
        // Hooks may add children; visit those too.
        while index < children.count {
            children[index].runPrepareHooks()
            index += 1
        }
    }

    /// Every construct in this subtree, in tree order (self first).
    public var subtree: [Construct] {
        var result: [Construct] = [self]
        for child in children { result.append(contentsOf: child.subtree) }
        return result
    }
}

/// Quotes a value for a diagnostic message.
func quotedForMessage(_ text: String) -> String {
    TemplateValue.string(text).description
}
