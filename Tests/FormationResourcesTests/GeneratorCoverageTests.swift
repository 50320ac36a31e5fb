import Testing
import FormationTemplate
import Formation
@testable import FormationRegistry
@testable import FormationCodegen

/// The generator over the whole registry (`make codegen-all` type-checks every type, `make
/// codegen-sample` the sample): each special schema shape on a real registry type that has it,
/// checked in the generated Swift text.
@Suite struct GeneratorCoverageTests {
    /// The generated Swift of one registry type (a user's file: `import FormationResources`).
    func swift(_ typeName: String) throws -> String {
        let files = try Generator().types([typeName])
        try #require(files.count == 1)
        return files[0].contents
    }

    /// The lines of `text` from the one starting with `start` (after indentation) up to the next
    /// line at that indentation: one declaration of the generated file.
    func declaration(_ start: String, in text: String) throws -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(lines.firstIndex { $0.drop { $0 == " " }.hasPrefix(start) }, "no line starts with \(start)")
        let indent = lines[first].prefix { $0 == " " }
        var end = first + 1
        while end < lines.count, !(lines[end].hasPrefix(indent + "}") && lines[end].count == indent.count + 1) { end += 1 }
        return lines[first...min(end, lines.count - 1)].joined(separator: "\n")
    }

    // MARK: - Coverage

    /// Every registry type the generator writes: every type of every region and SAM's, the two
    /// whose vendor is not AWS included (in namespaces `ASK` and `SDC`).
    @Test func registryTypeNames() throws {
        let generator = try Generator()
        let names = generator.registryTypeNames
        #expect(names.count == 1898)
        #expect(names == generator.schemas.typeNames)
        #expect(names == names.sorted())
        #expect(names.contains("AWS::Serverless::Function"))
        #expect(names.contains("AWS::SQS::Queue"))
        #expect(names.contains("Alexa::ASK::Skill"))
        #expect(names.contains("AMZN::SDC::Deployment"))
        #expect(names.filter { !$0.hasPrefix("AWS::") } == ["AMZN::SDC::Deployment", "Alexa::ASK::Skill"])
        let namespaces = generator.serviceNamespaces()
        #expect(namespaces.contains { $0 == ("Alexa", "ASK") } && namespaces.contains { $0 == ("AMZN", "SDC") })
        #expect(Set(namespaces.map(\.service)).count == namespaces.count)
    }

    /// The two types whose vendor is not AWS generate like any other, and their type name is the
    /// registry's.
    @Test func typesOfOtherVendorsGenerate() throws {
        let generator = try Generator()
        for (name, qualified, file) in [("Alexa::ASK::Skill", "ASK.Skill", "ASK_Skill.swift"),
                                        ("AMZN::SDC::Deployment", "SDC.Deployment", "SDC_Deployment.swift")] {
            let model = try generator.model(name)
            #expect(model.typeName == name)
            #expect(model.qualifiedName == qualified)
            #expect(Generator.fileName(name) == file)
        }
    }

    /// The sample `make codegen-sample` type-checks: fixed by the bundle alone (twice the same),
    /// built-in types left out, the largest schema and the most nested ones in it, and spread
    /// over the alphabet.
    @Test func sampleIsFixedAndSpread() throws {
        let generator = try Generator()
        let sample = try generator.sampleTypeNames()
        #expect(try generator.sampleTypeNames() == sample)
        #expect(sample == sample.sorted())
        #expect(Set(sample).count == sample.count)
        #expect(Set(sample).isDisjoint(with: BuiltInTypes.names))
        // 25 largest + 25 deepest + every 20th of the 1,872 (94), less the overlap.
        #expect(sample.count > 100 && sample.count <= 144, "\(sample.count)")
        // The three largest schemas of the bundle, SAM's largest, and deeply nested recursive ones.
        for name in ["AWS::QuickSight::Analysis", "AWS::QuickSight::Dashboard", "AWS::QuickSight::Template",
                     "AWS::Serverless::Function", "AWS::WAFv2::WebACL", "AWS::Lex::Bot", "AWS::EMR::Cluster"] {
            #expect(sample.contains(name), "\(name)")
        }
        let services = Set(sample.map { $0.split(separator: ":")[1] })
        #expect(services.count > 60, "\(services.count) services")
        // One largest, no deepest, every 1,000th: the largest and the types at 0 and 1,000.
        let candidates = generator.registryTypeNames.filter { !BuiltInTypes.names.contains($0) }
        #expect(candidates.count == 1872)
        let small = try generator.sampleTypeNames(.init(largest: 1, deepest: 0, stride: 1_000))
        #expect(small == [candidates[0], candidates[1_000], "AWS::QuickSight::Dashboard"].sorted())
        // One deepest only: the deepest nesting of the registry (QuickSight analyses).
        let deepest = try generator.sampleTypeNames(.init(largest: 0, deepest: 1, stride: 10_000))
        #expect(deepest == [candidates[0], "AWS::QuickSight::Analysis"])
    }

    /// Nesting depth: the properties are level 1, each object inside one more; recursion is cut.
    @Test func nestingDepth() throws {
        let text = #"""
        {"typeName": "AWS::Test::Thing",
         "definitions": {"Node": {"type": "object", "properties": {"Children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                                                                    "Leaf": {"type": "object", "properties": {"Name": {"type": "string"}}}}}},
         "properties": {"Root": {"$ref": "#/definitions/Node"}, "Name": {"type": "string"}}}
        """#
        let document = try SchemaDocument(typeName: "AWS::Test::Thing", fileName: "thing.json", text: text)
        #expect(try Generator.nestingDepth(document) == 3)  // properties → Root (Node) → Leaf
        let flat = try SchemaDocument(typeName: "AWS::Test::Flat", fileName: "flat.json",
                                      text: #"{"typeName": "AWS::Test::Flat", "properties": {"Name": {"type": "string"}}}"#)
        #expect(try Generator.nestingDepth(flat) == 1)
    }

    /// Generating is deterministic over many types at once: the whole sample, twice, same bytes.
    @Test func generatingTheSampleTwiceGivesTheSameBytes() throws {
        let generator = try Generator()
        let sample = try generator.sampleTypeNames()
        let first = generator.eachType(sample)
        let second = try Generator().eachType(sample)
        #expect(first.failures.isEmpty, "\(first.failures.map { "\($0.typeName): \($0.error)" })")
        #expect(first.files.count == sample.count)
        #expect(first.files.map(\.fileName) == second.files.map(\.fileName))
        #expect(first.files.map(\.contents) == second.files.map(\.contents))
        #expect(first.files.map(\.fileName) == sample.map(Generator.fileName))
    }

    /// A type the generator cannot read is named with its error; the others are still generated.
    @Test func eachTypeNamesFailures() throws {
        let generator = try Generator()
        let result = generator.eachType(["AWS::SQS::Queue", "AWS::NoSuch::Thing", "AWS::KMS::Key"])
        #expect(result.files.map(\.fileName) == ["SQS_Queue.swift"])  // KMS::Key is built in
        #expect(result.failures.map(\.typeName) == ["AWS::NoSuch::Thing"])
        #expect(result.failures.first?.error.message == "the bundle has no schema of AWS::NoSuch::Thing")
    }

    // MARK: - Names

    /// `AWS::AppSync::Type` and `AWS::Cassandra::Type`: `AppSync.Type` would be the metatype, so
    /// the struct is `TypeResource`; the CloudFormation type name is unchanged.
    @Test func resourceNamedLikeASwiftTypeKeyword() throws {
        for service in ["AppSync", "Cassandra"] {
            let text = try swift("AWS::\(service)::Type")
            #expect(text.contains("extension \(service) {\n    /// The properties of an `AWS::\(service)::Type` resource."))
            #expect(text.contains("    public struct TypeResource: ResourceProperties {"))
            #expect(text.contains("public var resourceType: String { \"AWS::\(service)::Type\" }"))
            #expect(!text.contains("\(service).Type "))
            #expect(!text.contains("extension \(service).Type {"))
        }
        #expect(try swift("AWS::AppSync::Type").contains("extension Resource where Props == AppSync.TypeResource {"))
        #expect(TypeBuilder.resourceStructName("Queue") == "Queue")
        #expect(TypeBuilder.resourceStructName("Protocol") == "ProtocolResource")
    }

    /// `AWS::AutoScaling::AutoScalingGroup` has a property `Context`: in `encode(_ context:)` the
    /// member is read through `self` (the parameter would hide it and the code would not compile).
    @Test func memberNamedLikeAnEncodeLocal() throws {
        let text = try swift("AWS::AutoScaling::AutoScalingGroup")
        #expect(text.contains("        public var context: Value<String>?\n"))
        #expect(text.contains("map.encodeDistinct(\"Context\", self.context, context)"))
        #expect(text.contains("map.encodeDistinct(\"Cooldown\", cooldown, context)"))
        #expect(SwiftWriter.encodeLocals == ["map", "context"])
    }

    /// Members `ResourceType` and `Schema` of the resource struct would clash with
    /// `ResourceProperties`' own; attributes named like `Resource`'s members (`Id`) get a suffix.
    @Test func namesClashingWithGeneratedMembers() throws {
        let consumable = try swift("AWS::Batch::ConsumableResource")
        #expect(consumable.contains("public var resourceTypeProperty: Value<ResourceType>"))
        #expect(consumable.contains("map.encodeDistinct(\"ResourceType\", resourceTypeProperty, context)"))
        #expect(consumable.contains("public var resourceType: String { \"AWS::Batch::ConsumableResource\" }"))
        let model = try swift("AWS::ApiGateway::Model")
        #expect(model.contains("public var schemaProperty: TemplateValue?"))
        let broker = try swift("AWS::AmazonMQ::Broker")
        #expect(broker.contains("public var idAttribute: Value<String> { getAtt(\"Id\") }"))
        #expect(!broker.contains("public var id: Value<String> { getAtt"))
    }

    /// Swift keywords as property names and enum values are escaped with backticks
    /// (`AWS::DataSync::LocationFSxONTAP` has `Protocol`; `AWS::EC2::EC2Fleet`'s capacity
    /// reservation preference is `none`/…, its spot allocation strategies include `default`).
    @Test func keywords() throws {
        let ontap = try swift("AWS::DataSync::LocationFSxONTAP")
        #expect(ontap.contains("        public var `protocol`: LocationFSxONTAPProtocol?\n"))
        #expect(ontap.contains("self.protocol = `protocol`"))
        #expect(ontap.contains("map.encodeDistinct(\"Protocol\", `protocol`, context)"))
        let fleet = try swift("AWS::EC2::EC2Fleet")
        #expect(fleet.contains("        case `default` = \"default\"\n"))
        #expect(fleet.contains("public static var `default`: Self { .literal(.`default`) }"))
    }

    /// Definitions named like the types generated code uses take their owner's name as prefix:
    /// `Protocol` in `AWS::DataSync::LocationFSxONTAP`, `Resource` in
    /// `AWS::LakeFormation::Permissions`, `Type` in `AWS::Bedrock::Agent`.
    @Test func definitionsNamedLikeSwiftOrFormationTypes() throws {
        #expect(try swift("AWS::DataSync::LocationFSxONTAP").contains("    public struct LocationFSxONTAPProtocol: TemplateEncodable {"))
        let permissions = try swift("AWS::LakeFormation::Permissions")
        #expect(permissions.contains("    public struct PermissionsResource: TemplateEncodable {"))
        #expect(!permissions.contains("struct Resource:"))
        let agent = try swift("AWS::Bedrock::Agent")
        #expect(agent.contains("public enum ParameterDetailType: String, TemplateEnum {"))
        #expect(!agent.contains("enum Type:"))
        for name in ["Value", "String", "Int", "Bool", "Double", "TemplateValue", "OrderedMap", "EncodingContext", "Type", "Protocol", "Resource"] {
            #expect(TypeBuilder.reservedTypeNames.contains(name), "\(name)")
        }
    }

    /// Enum values that start with a digit become cases starting with `_`
    /// (`AWS::DocDB::DBCluster`'s engine versions `3.6.0` … `5.0.0`).
    @Test func enumValuesStartingWithDigits() throws {
        let text = try declaration("public enum EngineVersion:", in: try swift("AWS::DocDB::DBCluster"))
        #expect(text.contains("case _3_6_0 = \"3.6.0\""))
        #expect(text.contains("case _5_0_0 = \"5.0.0\""))
        #expect(!text.contains("case 3"))
    }

    /// Values that camel-case to the same name keep schema order; later ones get `_2`
    /// (`AWS::EC2::EC2Fleet` allows both `lowest-price` and `lowestPrice`).
    @Test func duplicateCaseNamesAfterCamelCasing() throws {
        let text = try swift("AWS::EC2::EC2Fleet")
        #expect(text.contains("        case lowestPrice = \"lowest-price\"\n"))
        #expect(text.contains("        case lowestPrice_2 = \"lowestPrice\"\n"))
        #expect(text.contains("        case capacityOptimized_2 = \"capacity-optimized\"\n"))
        #expect(text.contains("public static var lowestPrice_2: Self { .literal(.lowestPrice_2) }"))
    }

    /// `NONE` is `.noneValue`, never `.none` (which would mean `nil` for an optional value):
    /// `AWS::AppConfig::DeploymentStrategy`'s replicate-to setting.
    @Test func noneIsNotOptionalNone() throws {
        let text = try swift("AWS::AppConfig::DeploymentStrategy")
        #expect(text.contains("case noneValue = \"NONE\""))
        #expect(!text.contains("case none "))
    }

    /// An enum of integers is an integer with its values documented (`AWS::CloudFront::Distribution`'s
    /// `CustomErrorResponse.ErrorCode`), not a Swift enum of made-up names.
    @Test func enumOfIntegers() throws {
        let text = try declaration("public struct CustomErrorResponse:", in: try swift("AWS::CloudFront::Distribution"))
        #expect(text.contains("/// `ErrorCode`: required integer, one of 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504.\n        public var errorCode: Value<Int>\n"))
    }

    /// The largest enum in the registry, 342 X12 transaction sets of `AWS::B2BI::Transformer`: one
    /// case and one `Value` shorthand per value, nothing inferred (each a plain declaration).
    @Test func hugeEnum() throws {
        let text = try swift("AWS::B2BI::Transformer")
        let enumeration = try declaration("public enum X12TransactionSet:", in: text)
        let cases = enumeration.split(separator: "\n").filter { $0.hasPrefix("        case ") }
        #expect(cases.count == 342)
        #expect(cases.first == "        case x12_100 = \"X12_100\"")
        let shorthands = try declaration("extension Value where T == B2BI.Transformer.X12TransactionSet", in: text)
        #expect(shorthands.split(separator: "\n").filter { $0.hasPrefix("    public static var ") }.count == 342)
    }

    // MARK: - Shapes

    /// A definition that holds itself through a list is typed: `AWS::EMR::Cluster`'s
    /// `Configuration.Configurations` and `AWS::WAFv2::WebACL`'s `AndStatement.Statements`.
    @Test func recursionThroughAList() throws {
        let cluster = try declaration("public struct Configuration:", in: try swift("AWS::EMR::Cluster"))
        #expect(cluster.contains("public var configurations: Value<[Configuration]>?"))
        let webACL = try swift("AWS::WAFv2::WebACL")
        #expect(try declaration("public struct AndStatement:", in: webACL).contains("public var statements: Value<[Statement]>\n"))
        // A map works the same (`AWS::IoTTwinMaker::Entity`: `DataValue.MapValue`).
        let entity = try declaration("public struct DataValue:", in: try swift("AWS::IoTTwinMaker::Entity"))
        #expect(entity.contains("public var mapValue: Value<[String: DataValue]>?"))
        #expect(entity.contains("public var listValue: Value<[DataValue]>?"))
    }

    /// A definition that holds itself with no list or map in between (`AWS::WAFv2::WebACL`:
    /// `Statement.NotStatement.Statement`) is typed and stored out of line; the optional form
    /// in `AWS::Budgets::Budget` (`Expression.Not`).
    @Test func directRecursionIsStoredOutOfLine() throws {
        let not = try declaration("public struct NotStatement:", in: try swift("AWS::WAFv2::WebACL"))
        #expect(not.contains("""
                /// `Statement`: required `Statement` object.
                public var statement: Statement {
                    get { _statement[0] }
                    set { _statement = [newValue] }
                }
                /// `Statement`, stored out of line: `Statement` values can hold `NotStatement` values.
                private var _statement: [Statement]
        """))
        #expect(not.contains("            statement: Statement\n"))
        #expect(not.contains("self._statement = [statement]"))
        #expect(not.contains("map.encodeDistinct(\"Statement\", statement, context)"))
        let expression = try declaration("public struct Expression:", in: try swift("AWS::Budgets::Budget"))
        #expect(expression.contains("public var not: Expression? {\n            get { _not.first }\n            set { _not = newValue.map { [$0] } ?? [] }\n        }\n"))
        #expect(expression.contains("private var _not: [Expression]\n"))
        #expect(expression.contains("self._not = not.map { [$0] } ?? []"))
    }

    /// Unions Swift cannot name stay `TemplateValue` (the rules still check them at synthesis):
    /// `AWS::ApiGateway::RestApi`'s `Body` (object or string) and `AWS::ARCRegionSwitch::Plan`'s
    /// `ExecutionBlockConfiguration` (`oneOf` of differently shaped objects, no `type`).
    @Test func unionsOfDifferentShapes() throws {
        #expect(try swift("AWS::ApiGateway::RestApi").contains("        public var body: TemplateValue?\n"))
        let plan = try swift("AWS::ARCRegionSwitch::Plan")
        #expect(plan.contains("        public var executionBlockConfiguration: TemplateValue\n"))
    }

    /// No registry type has two properties that differ only by case (`make codegen-all` would
    /// fail on the duplicate member otherwise); the generator still keeps both, numbered. This
    /// schema is made up for that reason.
    @Test func propertiesDifferingOnlyByCase() throws {
        let text = #"""
        {"typeName": "AWS::Test::Thing", "additionalProperties": false,
         "properties": {"VpcId": {"type": "string"}, "VPCId": {"type": "string"}, "vpc_id": {"type": "integer"},
                        "3Way": {"type": "string", "enum": ["a", "A", "none", "3"]}}}
        """#
        let document = try SchemaDocument(typeName: "AWS::Test::Thing", fileName: "thing.json", text: text)
        var builder = TypeBuilder(document: document, resourceName: "Thing")
        let body = SwiftWriter.resourceBody(try builder.build(service: "Test"))
        #expect(body.contains("public var vpcId: Value<String>?\n"))
        #expect(body.contains("public var vpcId2: Value<String>?\n"))
        #expect(body.contains("public var vpcId3: Value<Int>?\n"))
        #expect(body.contains("map.encodeDistinct(\"VPCId\", vpcId2, context)"))
        #expect(body.contains("map.encodeDistinct(\"vpc_id\", vpcId3, context)"))
        #expect(body.contains("public var _3Way: Value<T3Way>?\n"))
        #expect(body.contains("public enum T3Way: String, TemplateEnum {"))
        #expect(body.contains("case a = \"a\""))
        #expect(body.contains("case a_2 = \"A\""))
        #expect(body.contains("case noneValue = \"none\""))
        #expect(body.contains("case _3 = \"3\""))
    }
}
