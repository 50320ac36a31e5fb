import Foundation
import Formation
@testable import FormationRegistry
import FormationCodegen
import FormationResources
import TestSupport
import Testing

/// The registry as Formation ships it: type names, regions, declared types, SAM, macros, and a
/// damaged bundle.
@Suite struct RegistryTests {
    /// The printed diagnostics of a template (YAML text) validated for `regions`.
    func validate(_ yaml: String, regions: [String] = [], declared: DeclaredTypes = DeclaredTypes(),
                  schemas: SchemaRegistry = .bundled) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml, file: "t.yaml"))
        let context = ValidationContext(stackPath: "t.yaml", schemas: schemas, regions: regions, declaredTypes: declared)
        return TemplateValidator.validate(template, context).map(\.description)
    }

    @Test func theBundleHoldsEveryRegionAndSAM() throws {
        let bundle = try RegistryBundle.embedded.get()
        #expect(bundle.cfnLintVersion == "1.58.0")
        #expect(bundle.regions.count >= 40)
        #expect(bundle.regions.contains("us-east-1") && bundle.regions.contains("eu-west-1") && bundle.regions.contains("cn-north-1"))
        #expect(bundle.typeCount > 1800)
        let registry = SchemaRegistry.bundled
        #expect(registry.lookup("AWS::Serverless::Function").isServerless)
        #expect(!registry.lookup("AWS::Lambda::Function").isServerless)
        // The byte order of names is what the search by halves relies on.
        let names = bundle.typeNames
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for name in ["AWS::S3::Bucket", "AWS::ACMPCA::Certificate", "AWS::XRay::Group", names[0], names[names.count - 1]] {
            #expect(bundle.typeIndex(name).map(bundle.typeName) == name)
        }
        #expect(bundle.typeIndex("AWS::S3::Bucke") == nil)
        #expect(bundle.typeIndex("") == nil)
    }

    @Test func unknownTypesAreErrorsWithTheClosestType() throws {
        #expect(try validate("Resources: {B: {Type: 'AWS::S3::Buckett'}}") == [
            "error FM3000 t.yaml/B: type AWS::S3::Buckett is not a CloudFormation resource type; did you mean AWS::S3::Bucket?",
        ])
        #expect(try validate("Resources: {F: {Type: 'AWS::Lamda::Function', Properties: {}}}") == [
            "error FM3000 t.yaml/F: type AWS::Lamda::Function is not a CloudFormation resource type; did you mean AWS::Lambda::Function?",
        ])
        #expect(try validate("Resources: {Q: {Type: 'AWS::SQS::Queues'}}") == [
            "error FM3000 t.yaml/Q: type AWS::SQS::Queues is not a CloudFormation resource type; did you mean AWS::SQS::Queue?",
        ])
        // Nothing close: no suggestion.
        #expect(try validate("Resources: {X: {Type: 'AWS::Nothing::LikeThis'}}") == [
            "error FM3000 t.yaml/X: type AWS::Nothing::LikeThis is not a CloudFormation resource type",
        ])
    }

    @Test func aTypeMissingFromARegionIsAnErrorNamingWhereItExists() throws {
        let memory = "Resources: {M: {Type: 'AWS::BedrockAgentCore::Memory', Properties: {Name: mem_dev, EventExpiryDuration: 30}}}"
        #expect(try validate(memory) == [])
        #expect(try validate(memory, regions: ["us-east-1", "us-west-2"]) == [])
        let west = try validate(memory, regions: ["us-east-1", "us-west-1"])
        #expect(west.count == 1)
        let message = try #require(west.first)
        #expect(message.hasPrefix("error FM3015 t.yaml/M: type AWS::BedrockAgentCore::Memory does not exist in us-west-1; it exists in "))
        let listed = message.split(separator: ";")[1].dropFirst(" it exists in ".count).split(separator: ",").map { $0.trimmingWhitespaceForTest }
        let expected = SchemaRegistry.bundled.regions.filter {
            SchemaRegistry.bundled.lookup("AWS::BedrockAgentCore::Memory", regions: [$0]).missingRegions.isEmpty
        }
        #expect(listed == expected)
        #expect(listed.contains("us-east-1") && !listed.contains("us-west-1"))
    }

    @Test func aStackSaysItsRegions() {
        let app = App()
        let east = app.stack("East-dev", regions: ["us-east-1"])
        east.add("Memory", RawResource(type: "AWS::BedrockAgentCore::Memory", properties: ["Name": "mem_dev", "EventExpiryDuration": 30]))
        #expect(east.synthesize().diagnostics.isEmpty)
        let west = app.stack("West-dev", regions: ["us-west-1"])
        west.add("Memory", RawResource(type: "AWS::BedrockAgentCore::Memory", properties: ["Name": "mem_dev", "EventExpiryDuration": 30]))
        #expect(west.synthesize().diagnostics.map(\.code) == [SchemaDiagnosticCode.unavailableInRegion])
        let typo = app.stack("Typo-dev", regions: ["us-eest-1"])
        typo.add("Queue", RawResource(type: "AWS::SQS::Queue"))
        let messages = typo.synthesize().diagnostics.map(\.description)
        #expect(messages.first == "error FM3016 Typo-dev: stack Typo-dev deploys to \"us-eest-1\", which is not a region the registry knows; did you mean us-east-1?")
    }

    @Test func thirdPartyAndModuleTypesAreLegalWhenDeclared() throws {
        let yaml = """
            Resources:
              Thing: {Type: 'MyOrg::Queue::Thing', Properties: {Size: 3}}
              Network: {Type: 'MyOrg::Network::Vpc::MODULE', Properties: {Cidr: 10.0.0.0/16}}
            """
        let undeclared = try validate(yaml)
        #expect(undeclared.count == 2)
        #expect(undeclared.allSatisfy { $0.hasPrefix("error FM3000 ") && $0.contains("must be declared") })
        var declared = DeclaredTypes()
        declared.declare("MyOrg::Queue::Thing")
        declared.declare("MyOrg::Network::Vpc::MODULE")
        #expect(try validate(yaml, declared: declared) == [])
    }

    @Test func aDeclaredTypeWithASchemaFileIsValidated() throws {
        let directory = "/tmp/formation-registry-test-\(UInt32.random(in: 0...UInt32.max))"
        let path = directory + "/thing.json"
        try FileSystem.makeDirectory(directory)
        try FileSystem.write("""
            {"typeName": "MyOrg::Queue::Thing", "additionalProperties": false,
             "properties": {"Size": {"type": "integer", "minimum": 1, "maximum": 10}, "Name": {"type": "string", "pattern": "^[a-z]+$"},
                            "Arn": {"type": "string"}},
             "required": ["Name"], "readOnlyProperties": ["/properties/Arn"], "primaryIdentifier": ["/properties/Arn"]}
            """, to: path)
        let app = App()
        app.declareType("MyOrg::Queue::Thing", schemaFile: path)
        let stack = app.stack("Third-dev")
        let thing = stack.add("Thing", RawResource(type: "MyOrg::Queue::Thing", properties: ["Name": "Jobs", "Size": 11, "Colour": "red"]))
        stack.output("ThingArn", thing.getAtt("Arn"))
        stack.output("Bad", thing.getAtt("Url"))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM1103 Third-dev/Outputs/Bad: Value: Fn::GetAtt Thing.Url: MyOrg::Queue::Thing has no attribute Url (it has Arn)",
            "error FM3004 Third-dev/Thing: Name \"Jobs\" does not match ^[a-z]+$ (MyOrg::Queue::Thing)",
            "error FM3006 Third-dev/Thing: Size 11 is greater than maximum 10 (MyOrg::Queue::Thing)",
            "error FM3009 Third-dev/Thing: Colour is not a known property (known: Size, Name) (MyOrg::Queue::Thing)",
        ])

        // A schema file that cannot be used is one error naming it, for every stack.
        let broken = App()
        broken.declareType("MyOrg::Other::Thing", schemaFile: directory + "/missing.json")
        let other = broken.stack("Other-dev")
        other.add("Queue", RawResource(type: "AWS::SQS::Queue"))
        let messages = other.synthesize().diagnostics.map(\.description)
        #expect(messages == ["error FM3014 MyOrg::Other::Thing: the schema of MyOrg::Other::Thing cannot be used: \(directory)/missing.json: cannot read: No such file or directory; its resources are not validated"])
        try FileSystem.remove(path)
        try FileSystem.removeDirectory(directory)
    }

    @Test func customResourcesAreCheckedAsCustomResources() throws {
        #expect(try validate("Resources: {C: {Type: 'Custom::Seeder', Properties: {ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', Size: 1}}}") == [])
        #expect(try validate("Resources: {C: {Type: 'Custom::Seeder', Properties: {Size: 1}}}") == [
            "error FM3001 t.yaml/C: ServiceToken is required (Custom::Seeder)",
        ])
        // Any attribute of a custom resource is accepted (the function decides).
        #expect(try validate("""
            Resources:
              C: {Type: 'Custom::Seeder', Properties: {ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f'}}
            Outputs:
              V: {Value: !GetAtt C.Anything.Nested}
            """) == [])
    }

    @Test func samTypesNeedTheTransformAndAreValidatedUnderIt() throws {
        let function = """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src/, MemorySise: 256, Timeout: soon}
            """
        #expect(try validate(function) == [
            "error FM3000 t.yaml/Fn: type AWS::Serverless::Function is a SAM type: it exists only in a template with Transform: AWS::Serverless-2016-10-31; add the transform, or use the CloudFormation types SAM expands it to",
        ])
        #expect(try validate("Transform: AWS::Serverless-2016-10-31\n" + function) == [
            "error FM3002 t.yaml/Fn: Timeout \"soon\" is not an integer (AWS::Serverless::Function)",
            "error FM3009 t.yaml/Fn: MemorySise is not a known property; did you mean MemorySize? (AWS::Serverless::Function)",
            // CodeUri: src/ is what aws cloudformation package (or sam package) uploads.
            "warning FM1118 t.yaml: the template needs packaging: a local path (CodeUri of Fn) stands where aws cloudformation package writes S3 locations; validated as package leaves them. Run aws cloudformation package (or sam package) before deploying",
        ])
        #expect(try validate("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {T: {Type: AWS::Serverless::SimpleTable}}") == [])
    }

    @Test func underAMacroAnUnknownTypeIsAWarning() throws {
        // The macro may rewrite the whole template: what it reaches is skipped, said in one line
        // (LanguageExtensionsTests covers the reach of Fn::Transform).
        #expect(try validate("Transform: MyMacro\nResources: {T: {Type: 'AWS::Made::Up'}}") == [
            "info FM1131 t.yaml: Transform macro MyMacro rewrites the whole template before CloudFormation validates it; not validated there (1 finding skipped)",
        ])
        // AWS's own transforms define no types.
        #expect(try validate("Transform: AWS::LanguageExtensions\nResources: {T: {Type: 'AWS::Made::Up'}}").first?.hasPrefix("error FM3000") == true)
    }

    @Test func anEmptyRegistryJudgesNoType() throws {
        #expect(try validate("Resources: {T: {Type: 'AWS::Made::Up'}}", schemas: .empty) == [])
    }

    // MARK: - A damaged bundle

    static let embeddedBytes: [UInt8] = {
        guard let bundle = try? RegistryBundle.embedded.get() else { return [] }
        return (try? TextFile.readBytes(packageRoot() + "/data/registry/registry.bin")).flatMap { $0.count == bundle.byteCount ? $0 : nil } ?? []
    }()

    func load(_ bytes: [UInt8]) -> String? {
        do {
            _ = try RegistryBundle(bytes: bytes, source: "broken.bin")
            return nil
        } catch {
            return error.description
        }
    }

    /// The tables the bundle stores are what the compiler makes of its schemas today: a change
    /// to the compiler needs `make schemas` (as a change to the generator needs `make codegen`).
    @Test func storedTablesAreWhatTheCompilerMakesNow() throws {
        let schemas = try BundledSchemas.embedded.get()
        var stale: [String] = []
        for index in 0..<schemas.bundle.schemaCount {
            let document = try schemas.document(index)
            let compiled = try JSONEmitter.emitCompact(try RegistrySchema.table(document))
            if try schemas.bundle.tableText(index) != compiled { stale.append(document.typeName) }
        }
        #expect(stale.isEmpty, "run `make schemas`: \(stale.count) stored tables differ, e.g. \(stale.prefix(5))")
    }

    @Test func theCommittedBundleIsTheEmbeddedOne() throws {
        let bytes = Self.embeddedBytes
        try #require(!bytes.isEmpty, "data/registry/registry.bin differs in size from the embedded bundle: rebuild")
        let bundle = try RegistryBundle(bytes: bytes, source: "copy")
        #expect(bundle.typeNames == (try RegistryBundle.embedded.get()).typeNames)
    }

    @Test func damagedBundlesAreOneErrorNamingTheFile() throws {
        let bytes = Self.embeddedBytes
        try #require(bytes.count > 100_000)
        #expect(load([]) == "broken.bin: the registry bundle is damaged: it does not start with the bundle signature FMREG002; rebuild it with `make schemas`")
        #expect(load(Array("FMREG002".utf8)) == "broken.bin: the registry bundle is damaged: it is 8 bytes long, shorter than the bundle header; rebuild it with `make schemas`")
        #expect(load(Array(bytes.prefix(5_000)))?.hasPrefix("broken.bin: the registry bundle is damaged: it is 5000 bytes long, but its header describes") == true)
        var wrongMagic = bytes
        wrongMagic[3] = UInt8(ascii: "X")
        #expect(load(wrongMagic)?.contains("signature") == true)
        // A type count of zero.
        var zeroTypes = bytes
        for offset in 8..<12 { zeroTypes[offset] = 0 }
        #expect(load(zeroTypes)?.contains("header counts 0 types") == true)
        // A name offset past the string table.
        var badOffset = bytes
        for offset in 36..<40 { badOffset[offset] = 0xFF }
        #expect(load(badOffset)?.contains("name offset") == true)
        // Random damage anywhere in the tables never traps: it is an error or a readable bundle.
        var generator = SplitMix64(seed: 13)
        for _ in 0..<300 {
            var damaged = bytes
            let position = Int.random(in: 0..<min(bytes.count, 400_000), using: &generator)
            damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
            if let bundle = try? RegistryBundle(bytes: damaged, source: "damaged.bin") {
                _ = bundle.typeIndex("AWS::S3::Bucket")
                _ = bundle.regions
            }
        }
    }

    @Test func aDamagedSchemaIsReportedOnceWithItsType() throws {
        var bytes = Self.embeddedBytes
        try #require(!bytes.isEmpty)
        let pristine = try RegistryBundle(bytes: bytes, source: "pristine.bin")
        let type = try #require(pristine.typeIndex("AWS::SQS::Queue"))
        let region = try #require(pristine.regions.firstIndex(of: "us-east-1"))
        let schema = try #require(pristine.schemaIndex(type: type, region: region))
        // Flip a byte in the middle of that schema's compiled table's zlib stream.
        let dataStart = bytes.count - pristine.dataByteCount
        let (offset, length) = pristine.tableLocation(schema)
        try #require(length > 0)
        bytes[dataStart + offset + length / 2] ^= 0x5A
        let damaged = BundledSchemas(bundle: try RegistryBundle(bytes: bytes, source: "damaged.bin"))
        let lookup = damaged.lookup("AWS::SQS::Queue", regions: ["us-east-1"])
        #expect(lookup.exists && lookup.schemas.isEmpty && lookup.failures.count == 1)
        #expect(lookup.failures.first?.description.hasPrefix("damaged.bin: the table of schema \(schema) does not inflate") == true)
        #expect(damaged.lookup("AWS::SNS::Topic", regions: ["us-east-1"]).schemas.count == 1)

        // Through validation: one error for the type, however many resources use it.
        let path = "/tmp/formation-damaged-\(UInt32.random(in: 0...UInt32.max)).bin"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileSystem.remove(path) }
        let messages = try validate("Resources: {A: {Type: 'AWS::SQS::Queue'}, B: {Type: 'AWS::SQS::Queue'}, T: {Type: 'AWS::SNS::Topic'}}",
                                    schemas: .bundle(file: path))
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("error FM3014 t.yaml/A: the schema of AWS::SQS::Queue cannot be read (\(path): the table of schema \(schema) does not inflate (") == true, "\(messages)")
        #expect(messages.first?.hasSuffix("): the bundle is damaged; rebuild it with `make schemas`); resources of this type are not validated") == true)
    }
}

extension Substring {
    fileprivate var trimmingWhitespaceForTest: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The bounded search for the closest type name finds what comparing with every name finds.
@Suite struct TypeNameSuggestionTests {
    /// The exhaustive search the bounded one replaced: every name's full distance, then the limit.
    static func exhaustive(_ query: String, _ names: [String]) -> String? {
        let lowerQuery = Array(query.lowercased().unicodeScalars)
        let queryParts = query.split(separator: ":")
        var best: (distance: Int, sameService: Bool, name: String)?
        for name in names {
            let distance = EditDistance.between(lowerQuery, Array(name.lowercased().unicodeScalars))
            let parts = name.split(separator: ":")
            let sameService = queryParts.count == 3 && parts.count == 3 && queryParts[1].lowercased() == parts[1].lowercased()
            if let current = best, distance > current.distance || (distance == current.distance && (current.sameService || !sameService)) {
                continue
            }
            best = (distance, sameService, name)
        }
        guard let best else { return nil }
        return best.distance <= max(2, max(1, lowerQuery.count - 5) / 4) ? best.name : nil
    }

    @Test func boundedSearchEqualsExhaustive() throws {
        let names = try RegistryBundle.embedded.get().typeNames
        var generator = SplitMix64(seed: 7)
        var queries = ["AWS::S3::Buckett", "AWS::Lamda::Function", "AWS::EC2::VPCC", "Org::Service::Thing", "", "AWS::", "AWS::İ::Ü"]
        // Every 37th real name with one to four random edits.
        for name in stride(from: 0, to: names.count, by: 37).map({ names[$0] }) {
            var scalars = Array(name.unicodeScalars)
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let at = Int(generator.next() % UInt64(scalars.count))
                switch generator.next() % 3 {
                case 0: scalars.remove(at: at)
                case 1: scalars.insert("x", at: at)
                default: scalars[at] = "q"
                }
                if scalars.isEmpty { scalars = ["A"] }
            }
            var query = ""
            query.unicodeScalars.append(contentsOf: scalars)
            queries.append(query)
        }
        var suggested = 0
        for query in queries {
            let bounded = TypeNameSuggestion.closest(to: query, among: names)
            #expect(bounded == Self.exhaustive(query, names), "\(query)")
            if bounded != nil { suggested += 1 }
        }
        #expect(suggested > queries.count / 2)
    }

    @Test func boundedDistanceIsExactWithinTheLimit() {
        var generator = SplitMix64(seed: 11)
        let alphabet = Array("abc")
        for _ in 0..<2_000 {
            let a = (0..<Int(generator.next() % 9)).map { _ in alphabet[Int(generator.next() % 3)] }
            let b = (0..<Int(generator.next() % 9)).map { _ in alphabet[Int(generator.next() % 3)] }
            let exact = EditDistance.between(a, b)
            for limit in 0...5 {
                #expect(EditDistance.atMost(a, b, limit: limit) == (exact <= limit ? exact : nil), "\(a) \(b) \(limit)")
            }
        }
    }
}

/// Stacks are validated concurrently and use the same types in the same order: a thread that asks
/// for a schema another thread is compiling waits for it instead of compiling it again.
@Suite struct SchemaCompilationTests {
    @Test func threadsAskingForOneSchemaCompileItOnce() throws {
        let schemas = BundledSchemas(bundle: try RegistryBundle.embedded.get())
        let types = ["AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::S3::Bucket", "AWS::EC2::VPC"]
        let lock = NSLock()
        nonisolated(unsafe) var results: [[String]] = []
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            // Every thread asks for the same types in the same order, as stacks of one app do.
            let found = types.flatMap { schemas.lookup($0, regions: ["us-east-1", "eu-west-1"]).schemas.map(\.schema.typeName) }
            lock.lock()
            results.append(found.sorted())
            lock.unlock()
        }
        #expect(schemas.compilations == types.count)
        #expect(results.count == 8 && Set(results).count == 1 && results.first == types.sorted())
    }
}
