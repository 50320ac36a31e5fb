#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormationTemplate

/// What the registry says of one resource type name for the regions a template deploys to.
public struct TypeLookup: Sendable {
    /// The schemas that apply, each with the regions it applies in (one entry when every region
    /// has the same schema, as is usual).
    public var schemas: [(regions: [String], schema: any ResourceSchema)] = []
    /// The regions asked about where the type does not exist.
    public var missingRegions: [String] = []
    /// Every region where the type exists (filled when some region misses it).
    public var availableRegions: [String] = []
    /// Whether the registry knows the name at all (in some region, or as a SAM type).
    public var exists = false
    /// Whether the type is one of SAM's (`AWS::Serverless::*`), which exist only under the
    /// `AWS::Serverless-2016-10-31` transform.
    public var isServerless = false
    /// Schemas that exist but could not be read (a damaged bundle): one error per schema.
    public var failures: [RegistryError] = []

    public init() {}
}

/// The registry bundle's schemas, compiled on first use and kept for the life of the process.
///
/// Thread-safe: stacks are validated concurrently, and each schema is compiled once: a thread
/// asking for a schema another thread is compiling waits for that result (stacks of one app use
/// the same types in the same order, so without waiting both threads compiled most of them).
public final class BundledSchemas: @unchecked Sendable {
    // @unchecked: `cache` and `compiling` are read and written only under `lock`; everything else
    // is immutable.

    /// The bundle the schemas come from.
    public let bundle: RegistryBundle
    private var cache: [Int: Result<RegistrySchema, RegistryError>] = [:]
    /// Schemas a thread is compiling now (outside the lock); `compiled` is signalled when one is
    /// done.
    private var compiling: Set<Int> = []
    /// How many times a schema was compiled (once per schema asked for; for the tests).
    private(set) var compilations = 0
    private let compiled: UnsafeMutablePointer<pthread_cond_t>
    private var allTypeNames: [String]?
    private let regionRows: [String: Int]
    private let lock = PThreadLock()

    /// The region validation uses when a stack or a command names none.
    public static let defaultRegion = "us-east-1"

    /// The schemas of the bundle embedded in this binary.
    public static let embedded: Result<BundledSchemas, RegistryError> = RegistryBundle.embedded.map(BundledSchemas.init)

    /// The schemas of `bundle`.
    public init(bundle: RegistryBundle) {
        self.bundle = bundle
        var rows: [String: Int] = [:]
        for (row, name) in bundle.regions.enumerated() { rows[name] = row }
        regionRows = rows
        compiled = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        pthread_cond_init(compiled, nil)
    }

    deinit {
        pthread_cond_destroy(compiled)
        compiled.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    /// Schema `index`, compiled (once: a thread that finds another compiling it waits for it).
    /// Compiling a schema never asks for another, so no thread waits for one that waits for it.
    public func schema(_ index: Int) -> Result<RegistrySchema, RegistryError> {
        pthread_mutex_lock(lock.mutex)
        while true {
            if let cached = cache[index] {
                pthread_mutex_unlock(lock.mutex)
                return cached
            }
            if !compiling.contains(index) { break }
            pthread_cond_wait(compiled, lock.mutex)
        }
        compiling.insert(index)
        compilations += 1
        pthread_mutex_unlock(lock.mutex)
        let result: Result<RegistrySchema, RegistryError>
        do throws(RegistryError) {
            result = .success(try compile(index))
        } catch {
            result = .failure(error)
        }
        locked {
            cache[index] = result
            compiling.remove(index)
        }
        pthread_cond_broadcast(compiled)
        return result
    }

    /// Schema `index` from its stored table, or compiled from its JSON when the bundle has none.
    private func compile(_ index: Int) throws(RegistryError) -> RegistrySchema {
        if let table = try bundle.tableText(index) {
            let parsed: TemplateValue
            do {
                parsed = try JSONParser.parse(table, file: bundle.source)
            } catch {
                throw RegistryError(file: bundle.source, message: "the table of schema \(index) is not JSON: \(error.description)")
            }
            return try RegistrySchema(table: parsed, source: "\(bundle.source), table of schema \(index)")
        }
        return try RegistrySchema(document: try document(index))
    }

    /// Schema `index` as a parsed document (for the compiler and the generator).
    public func document(_ index: Int) throws(RegistryError) -> SchemaDocument {
        let text = try bundle.schemaText(index)
        let parsed: TemplateValue
        do {
            parsed = try JSONParser.parse(text, file: bundle.source)
        } catch {
            throw RegistryError(file: bundle.source, message: "schema \(index) is not JSON: \(error.description)")
        }
        guard let typeName = SchemaDocument.object(parsed)?["typeName"]?.stringValue else {
            throw RegistryError(file: bundle.source, message: "schema \(index) has no typeName")
        }
        return try SchemaDocument(typeName: typeName, fileName: "\(bundle.source), schema of \(typeName)", value: parsed)
    }

    /// The schema text of `typeName` in `region` (for the generator and tools), if it exists there.
    public func schemaText(_ typeName: String, region: String = BundledSchemas.defaultRegion) throws(RegistryError) -> String? {
        guard let type = bundle.typeIndex(typeName) else { return nil }
        let index: Int?
        if let row = regionRows[region], let found = bundle.schemaIndex(type: type, region: row) {
            index = found
        } else {
            index = bundle.samSchemaIndex(type: type)
        }
        guard let index else { return nil }
        return try bundle.schemaText(index)
    }

    /// What the registry says of `typeName` in `regions` (SAM types are region-independent).
    public func lookup(_ typeName: String, regions: [String]) -> TypeLookup {
        var result = TypeLookup()
        guard let type = bundle.typeIndex(typeName) else { return result }
        result.exists = true
        if let sam = bundle.samSchemaIndex(type: type) {
            result.isServerless = true
            switch schema(sam) {
            case .success(let schema): result.schemas = [(regions, schema)]
            case .failure(let error): result.failures = [error]
            }
            return result
        }
        var byIndex: [(index: Int, regions: [String])] = []
        for region in regions {
            guard let row = regionRows[region], let index = bundle.schemaIndex(type: type, region: row) else {
                result.missingRegions.append(region)
                continue
            }
            if let position = byIndex.firstIndex(where: { $0.index == index }) {
                byIndex[position].regions.append(region)
            } else {
                byIndex.append((index, [region]))
            }
        }
        for entry in byIndex {
            switch schema(entry.index) {
            case .success(let schema): result.schemas.append((entry.regions, schema))
            case .failure(let error): result.failures.append(error)
            }
        }
        if !result.missingRegions.isEmpty {
            result.availableRegions = bundle.regions(whereTypeExists: type)
        }
        return result
    }

    /// Whether `region` is one the registry has a type table for.
    public func knowsRegion(_ region: String) -> Bool {
        regionRows[region] != nil
    }

    /// Every region the registry has a type table for, sorted.
    public var regions: [String] { bundle.regions }

    /// Every type name the registry knows (every region's and SAM's), sorted.
    public var typeNames: [String] {
        locked {
            if let allTypeNames { return allTypeNames }
            let names = bundle.typeNames
            allTypeNames = names
            return names
        }
    }

    /// The real type closest to `typeName` (`AWS::S3::Buckett` → `AWS::S3::Bucket`), if one is
    /// close: same service preferred, then any.
    public func suggestion(for typeName: String) -> String? {
        TypeNameSuggestion.closest(to: typeName, among: typeNames)
    }
}

/// "Did you mean" for resource type names: the edit distance over the whole name, allowing about
/// one typo in four characters of the differing part, preferring the same service.
public enum TypeNameSuggestion {
    /// The name in `names` closest to `query`, if one is close enough.
    public static func closest(to query: String, among names: [String]) -> String? {
        let lowerQuery = Array(query.lowercased().unicodeScalars)
        let queryParts = query.split(separator: ":", omittingEmptySubsequences: true)
        // The tail after `AWS::` carries the meaning: allow a typo per four of its characters.
        let limit = max(2, max(1, lowerQuery.count - 5) / 4)
        var best: (distance: Int, sameService: Bool, name: String)?
        for name in names {
            // Names whose lengths differ by more than the best distance (or the limit) cannot
            // beat it; type names are ASCII, so bytes count characters for this cheap test.
            let bound = best?.distance ?? limit
            if abs(name.utf8.count - lowerQuery.count) > bound + 2 { continue }
            let candidate = Array(name.lowercased().unicodeScalars)
            guard let distance = EditDistance.atMost(lowerQuery, candidate, limit: bound) else { continue }
            let parts = name.split(separator: ":", omittingEmptySubsequences: true)
            let sameService = queryParts.count == 3 && parts.count == 3 && queryParts[1].lowercased() == parts[1].lowercased()
            if let current = best {
                if distance > current.distance { continue }
                if distance == current.distance && (current.sameService || !sameService) { continue }
            }
            best = (distance, sameService, name)
        }
        return best?.name
    }
}
