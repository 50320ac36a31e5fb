#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks up resource schemas by CloudFormation type name and region, for every resource of a
/// synthesized stack and of a template file.
///
/// `.bundled` is the whole CloudFormation registry as Formation ships it (every type of every
/// region in the pinned cfn-lint's bundle, and SAM's types), read lazily: a stack of three types
/// compiles three schemas. It is the default of `App()`.
///
/// ```swift
/// let app = App()                                        // the whole registry, us-east-1
/// SchemaRegistry.bundled.lookup("AWS::SQS::Queue", regions: ["eu-west-1"]).schemas.count   // 1
/// ```
public struct SchemaRegistry: Sendable {
    private let explicit: [String: any ResourceSchema]
    private let bundle: BundledSchemas?
    /// Why the bundled registry cannot be used, if it cannot (reported as one error per
    /// template, never a crash and never a silent skip).
    public let loadError: RegistryError?

    /// A registry of exactly the given schemas (no bundle): for tests and special tools.
    public init(_ schemas: [any ResourceSchema]) {
        var byType: [String: any ResourceSchema] = [:]
        for schema in schemas { byType[schema.typeName] = schema }
        explicit = byType
        bundle = nil
        loadError = nil
    }

    private init(explicit: [String: any ResourceSchema], bundle: BundledSchemas?, loadError: RegistryError?) {
        self.explicit = explicit
        self.bundle = bundle
        self.loadError = loadError
    }

    /// The environment variable that points Formation at a registry bundle file (as
    /// `make schemas` writes it) instead of the one embedded in the binary.
    public static let bundleVariable = "FORMATION_REGISTRY"

    /// The whole registry embedded in Formation (or the bundle file `FORMATION_REGISTRY` names).
    public static let bundled: SchemaRegistry = {
        if let path = getenv(bundleVariable).map({ String(cString: $0) }), !path.isEmpty {
            return bundle(file: path)
        }
        switch BundledSchemas.embedded {
        case .success(let schemas): return SchemaRegistry(explicit: [:], bundle: schemas, loadError: nil)
        case .failure(let error): return SchemaRegistry(explicit: [:], bundle: nil, loadError: error)
        }
    }()

    /// A registry read from a bundle file (as `make schemas` writes it) instead of the embedded
    /// one; a damaged file gives a registry whose `loadError` names it.
    public static func bundle(file path: String) -> SchemaRegistry {
        let bytes: [UInt8]
        do {
            bytes = Array(try TextFile.readBytes(path))
        } catch {
            let message: String
            if case .io(_, let text) = error { message = text } else { message = error.description }
            return SchemaRegistry(explicit: [:], bundle: nil, loadError: RegistryError(file: path, message: message))
        }
        do {
            return SchemaRegistry(explicit: [:], bundle: BundledSchemas(bundle: try RegistryBundle(bytes: bytes, source: path)), loadError: nil)
        } catch {
            return SchemaRegistry(explicit: [:], bundle: nil, loadError: error)
        }
    }

    /// A registry with no schemas: nothing is validated against schemas, and no type is judged.
    public static let empty = SchemaRegistry([])

    /// This registry with `schemas` added (they take precedence over the bundle's for their types).
    public func adding(_ schemas: [any ResourceSchema]) -> SchemaRegistry {
        var merged = explicit
        for schema in schemas { merged[schema.typeName] = schema }
        return SchemaRegistry(explicit: merged, bundle: bundle, loadError: loadError)
    }

    /// What the registry says of `typeName` in `regions` (us-east-1 when empty).
    public func lookup(_ typeName: String, regions: [String] = []) -> TypeLookup {
        let regions = regions.isEmpty ? [BundledSchemas.defaultRegion] : regions
        if let schema = explicit[typeName] {
            var result = TypeLookup()
            result.exists = true
            result.schemas = [(regions, schema)]
            return result
        }
        return bundle?.lookup(typeName, regions: regions) ?? TypeLookup()
    }

    /// The schema for `typeName` in us-east-1, if the registry has it.
    public func schema(for typeName: String) -> (any ResourceSchema)? {
        lookup(typeName).schemas.first?.schema
    }

    /// Whether the registry knows `typeName` (in any region).
    public func contains(_ typeName: String) -> Bool {
        lookup(typeName).exists
    }

    /// The type names the registry knows, sorted.
    public var typeNames: [String] {
        // The bundle's list is sorted and kept; only explicit schemas make a new one.
        guard !explicit.isEmpty else { return bundle?.typeNames ?? [] }
        return Array(Set(explicit.keys).union(bundle?.typeNames ?? [])).sorted()
    }

    /// The regions the registry has type tables for (empty without a bundle).
    public var regions: [String] { bundle?.regions ?? [] }

    /// Whether `region` is one the registry has a type table for.
    /// (A registry of explicit schemas alone has no region tables and judges no region.)
    public func knowsRegion(_ region: String) -> Bool {
        bundle?.knowsRegion(region) ?? true
    }

    /// The closest real type name, for "did you mean".
    public func suggestion(for typeName: String) -> String? {
        TypeNameSuggestion.closest(to: typeName, among: typeNames)
    }

    /// The closest region name, for "did you mean".
    public func regionSuggestion(for region: String) -> String? {
        TypeNameSuggestion.closest(to: region, among: regions)
    }

    /// Whether the registry has any schemas at all (an empty registry cannot judge types).
    public var isEmpty: Bool { explicit.isEmpty && bundle == nil && loadError == nil }

    /// The cfn-lint release the bundled schemas come from, if the registry has a bundle.
    public var sourceVersion: String? { bundle.map { "cfn-lint \($0.bundle.cfnLintVersion)" } }
}
