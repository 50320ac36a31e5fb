import FormationRegistry
import FormationTemplate

/// The fixed sample of registry types `make codegen-sample` generates and type-checks on every
/// `make test` (the whole registry, `make codegen-all`, takes too long for every push): the
/// largest schemas, the most deeply nested ones, and every `stride`-th type by name for spread.
/// It depends only on the registry bundle, so it changes only when `make schemas` does.
extension Generator {
    /// How the sample is chosen.
    public struct SampleSize: Sendable {
        /// The schemas with the most bytes (minified JSON).
        public var largest: Int
        /// Then the schemas whose objects nest deepest (not already among the largest).
        public var deepest: Int
        /// Then every `stride`-th type by name (the first included).
        public var stride: Int

        public init(largest: Int, deepest: Int, stride: Int) {
            self.largest = largest
            self.deepest = deepest
            self.stride = stride
        }

        /// What `make codegen-sample` checks: 25 largest, 25 deepest, every 20th type.
        public static let standard = SampleSize(largest: 25, deepest: 25, stride: 20)
    }

    /// The sample's type names, sorted; built-in types are not in it (`FormationResources`
    /// compiles them on every build).
    public func sampleTypeNames(_ size: SampleSize = .standard) throws(GeneratorError) -> [String] {
        let builtIn = Set(BuiltInTypes.names)
        let candidates = registryTypeNames.filter { !builtIn.contains($0) }
        var measured: [(name: String, bytes: Int, depth: Int)] = []
        for name in candidates {
            guard let text = try schemaText(name) else { continue }
            let document = try SchemaDocument(typeName: name, fileName: "\(name) (\(schemas.bundle.source))", text: text)
            measured.append((name, text.utf8.count, try Generator.nestingDepth(document)))
        }
        var chosen: Set<String> = []
        // Ties are broken by name, so the choice never depends on the order of the bundle.
        let bySize = measured.sorted { ($0.bytes, $1.name) > ($1.bytes, $0.name) }
        for entry in bySize.prefix(size.largest) { chosen.insert(entry.name) }
        let byDepth = measured.sorted { ($0.depth, $1.name) > ($1.depth, $0.name) }
        var deep = 0
        for entry in byDepth where deep < size.deepest && chosen.insert(entry.name).inserted { deep += 1 }
        for (offset, name) in candidates.enumerated() where offset % max(size.stride, 1) == 0 { chosen.insert(name) }
        return chosen.sorted()
    }

    /// How many objects nest inside one another below the resource's properties (the properties
    /// themselves are depth 1), following `$ref`, list items, map values and union branches; a
    /// definition met again on the way down (a recursive schema) is not followed again.
    static func nestingDepth(_ document: SchemaDocument) throws(GeneratorError) -> Int {
        var memo: [String: Int] = [:]
        return try depth(of: document.root, pointer: "#", document: document, onPath: [], memo: &memo)
    }

    private static func depth(of raw: OrderedMap, pointer rawPointer: String, document: SchemaDocument,
                              onPath: Set<String>, memo: inout [String: Int]) throws(GeneratorError) -> Int {
        let (schema, pointer, _) = try document.dereference(raw, pointer: rawPointer)
        if let known = memo[pointer] { return known }
        guard !onPath.contains(pointer) else { return 0 }
        let path = onPath.union([pointer])
        var children: [(OrderedMap, String)] = []
        for key in ["properties", "patternProperties"] {
            for entry in SchemaDocument.object(schema[key])?.entries ?? [] {
                if let child = SchemaDocument.object(entry.value) { children.append((child, pointer + "/\(key)/" + entry.key)) }
            }
        }
        for key in ["items", "additionalProperties"] {
            if let child = SchemaDocument.object(schema[key]) { children.append((child, pointer + "/" + key)) }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for (offset, branch) in (schema[key]?.listValue ?? []).enumerated() {
                if let child = SchemaDocument.object(branch) { children.append((child, pointer + "/\(key)/\(offset)")) }
            }
        }
        var deepest = 0
        for (child, childPointer) in children {
            deepest = max(deepest, try depth(of: child, pointer: childPointer, document: document, onPath: path, memo: &memo))
        }
        // An object with named members is one level; lists, maps and unions pass their depth on.
        let result = deepest + (SchemaDocument.object(schema["properties"])?.isEmpty == false ? 1 : 0)
        memo[pointer] = result
        return result
    }
}
