import Testing
@testable import Formation

/// A schema that knows only attribute names, to test GetAtt checks without generated code.
struct AttributeOnlySchema: ResourceSchema {
    let typeName: String
    let attributeNames: Set<String>
    func validate(_ properties: OrderedMap) -> [SchemaViolation] { [] }
}

/// Messages of a synthesis, as printed.
func messages(_ stack: Stack) -> [String] {
    stack.synthesize().diagnostics.map(\.description)
}

/// Messages for a parsed template.
func messages(yaml: String, schemas: SchemaRegistry = .empty) throws -> [String] {
    let template = try Template(document: try YAMLParser.parse(yaml))
    return TemplateValidator.validate(template, ValidationContext(stackPath: "t.yaml", schemas: schemas)).map(\.description)
}

@Suite struct DiagnosticTests {
    @Test func danglingRef() {
        let stack = App(schemas: .empty).stack("S")
        stack.add("A", RawResource(type: "AWS::SNS::Topic", properties: ["X": .fn(.ref("Missing"))]))
        #expect(messages(stack) == ["error FM1101 S/A: X: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template"])
    }

    @Test func danglingGetAtt() {
        let stack = App(schemas: .empty).stack("S")
        let p = stack.parameter("P", type: .string)
        stack.add("A", RawResource(type: "AWS::SNS::Topic", properties: [
            "X": .fn(.getAtt("Missing", "Arn")),
            "Y": .fn(.getAtt(p.name, "Arn")),
        ]))
        #expect(messages(stack) == [
            "error FM1102 S/A: X: Fn::GetAtt Missing.Arn: Missing is not a resource of this template",
            "error FM1102 S/A: Y: Fn::GetAtt P.Arn: P is a parameter; Fn::GetAtt needs a resource",
        ])
    }

    @Test func unknownAttributeWhenTheTypeHasASchema() {
        let app = App(schemas: SchemaRegistry([AttributeOnlySchema(typeName: "AWS::KMS::Key", attributeNames: ["Arn", "KeyId"])]))
        let stack = app.stack("S")
        let key = stack.add("Key", RawResource(type: "AWS::KMS::Key"))
        stack.add("A", RawResource(type: "AWS::SNS::Topic", properties: ["X": key.getAtt("Nope").json]))
        #expect(messages(stack) == [
            "error FM1103 S/A: X: Fn::GetAtt Key.Nope: AWS::KMS::Key has no attribute Nope (it has Arn, KeyId)",
            "error FM3000 S/A: type AWS::SNS::Topic is not a CloudFormation resource type",
        ])
    }

    @Test func subVariableThatNamesNothing() {
        let stack = App(schemas: .empty).stack("S")
        stack.add("A", RawResource(type: "AWS::SNS::Topic", properties: [
            "X": .fn(.sub("${Missing}-${AWS::Region}-${!Escaped}-${Declared}", ["Declared": "d"])),
            "Y": .fn(.sub("${Nope.Arn}", nil)),
        ]))
        #expect(messages(stack) == [
            "error FM1104 S/A: X: Fn::Sub variable ${Missing} names no resource, parameter, pseudo parameter or Sub variable",
            "error FM1104 S/A: Y: Fn::Sub variable ${Nope.Arn} names no resource of this template",
        ])
    }

    @Test func dependsOnAMissingResource() throws {
        #expect(try messages(yaml: """
        Resources:
          A:
            Type: AWS::SNS::Topic
            DependsOn: [Missing]
        """) == ["error FM1105 t.yaml/A: DependsOn: Missing is not a resource of this template"])
    }

    /// Conditions that name one another in a ring passed validation without a word (cfn-lint
    /// answers with an exception, E3001).
    @Test func conditionCycleIsReportedOnceWithItsChain() throws {
        #expect(try messages(yaml: """
        Conditions:
          A: !Condition B
          B: !And [!Condition C, !Equals [a, a]]
          C: {"Condition": "A"}
          D: !Not [!Condition D]
          E: !Condition A
        Resources:
          T:
            Type: AWS::SNS::Topic
            Condition: E
        """) == [
            "error FM1106 t.yaml/Conditions/A: condition cycle: A → B → C → A; CloudFormation cannot evaluate conditions that depend on themselves",
            "error FM1106 t.yaml/Conditions/D: condition cycle: D → D; CloudFormation cannot evaluate conditions that depend on themselves",
        ])
    }

    @Test func dependencyCycleIsReportedOnceWithItsChain() {
        let stack = App(schemas: .empty).stack("S")
        stack.add("A", RawResource(type: "AWS::SNS::Topic", properties: ["X": .fn(.ref("B"))]))
        stack.add("B", RawResource(type: "AWS::SNS::Topic", properties: ["X": .fn(.getAtt("C", "Arn"))]))
        stack.add("C", RawResource(type: "AWS::SNS::Topic", properties: ["X": .fn(.sub("${A}", nil))]))
        stack.add("D", RawResource(type: "AWS::SNS::Topic", properties: ["X": .fn(.ref("D"))]))
        #expect(messages(stack) == [
            "error FM1106 S/A: dependency cycle: A → B → C → A; CloudFormation cannot create these resources in any order",
            "error FM1106 S/D: dependency cycle: D → D; CloudFormation cannot create these resources in any order",
        ])
    }

    @Test func undefinedConditions() throws {
        #expect(try messages(yaml: """
        Conditions:
          Both: !And [!Condition Missing, !Equals [a, a]]
        Resources:
          A:
            Type: AWS::SNS::Topic
            Condition: Nope
            Properties:
              X: !If [Gone, 1, 2]
        """) == [
            "error FM1107 t.yaml/A: X: condition Gone is not declared in Conditions",
            "error FM1107 t.yaml/A: Condition: condition Nope is not declared in Conditions",
            "error FM1107 t.yaml/Conditions/Both: condition Missing is not declared in Conditions",
        ])
    }

    @Test func conditionsMayReferToParametersOnly() throws {
        #expect(try messages(yaml: """
        Conditions:
          C: !Equals [!Ref A, x]
        Resources:
          A:
            Type: AWS::SNS::Topic
        """) == ["error FM1101 t.yaml/Conditions/C: Ref to A: a condition may refer to parameters only, and A is a resource"])
    }

    @Test func crossStackReferenceToAStackOutsideTheApp() {
        let elsewhere = App(schemas: .empty)
        let producer = elsewhere.stack("Producer")
        let key = producer.add("Key", RawResource(type: "AWS::KMS::Key"))
        let app = App(schemas: .empty)
        let consumer = app.stack("Consumer")
        consumer.add("Uses", RawResource(type: "AWS::SNS::Topic", properties: ["KmsMasterKeyId": .fn(.ref("Key"))],
                                         tokens: [key.ref.tokenValue].compactMap { $0 }))
        #expect(messages(consumer) == [
            "error FM1108 Consumer/Uses: {\"Ref\": \"Key\"} refers to stack Producer, which is not in this app: a reference across stacks is wired through an export, so both stacks must be in one app",
        ])
    }

    @Test func malformedIntrinsic() throws {
        #expect(try messages(yaml: """
        Resources:
          A:
            Type: AWS::SNS::Topic
            Properties:
              X:
                Fn::GetAtt: NoDot
        """) == ["error FM1109 t.yaml/A: X: Fn::GetAtt has a malformed argument \"NoDot\": expected [resource, attribute], [resource, {Ref: name}] or \"resource.attribute\""])
    }

    @Test func undefinedMapping() throws {
        #expect(try messages(yaml: """
        Mappings:
          M: {a: {b: c}}
        Resources:
          A:
            Type: AWS::SNS::Topic
            Properties:
              X: !FindInMap [Nope, a, b]
              Y: !FindInMap [M, z, b]
        """) == [
            "error FM1110 t.yaml/A: X: Fn::FindInMap names mapping Nope, which is not declared in Mappings",
            "error FM1110 t.yaml/A: Y: Fn::FindInMap: mapping M has no top-level key z",
        ])
        // Second-level keys: under a literal top-level key; in no top-level key when it is
        // computed (cfn-lint's E1011); a computed second key, or one some entry has, passes.
        #expect(try messages(yaml: """
        Mappings:
          Amis: {us-east-1: {Arm: ami-1, X86: ami-2}, eu-west-1: {Arm: ami-3}}
        Resources:
          A:
            Type: AWS::SNS::Topic
            Properties:
              X: !FindInMap [Amis, us-east-1, Amr]
              Y: !FindInMap [Amis, !Ref "AWS::Region", X68]
              Z: !FindInMap [Amis, !Ref "AWS::Region", X86]
              W: !FindInMap [Amis, eu-west-1, !Ref "AWS::Region"]
        """) == [
            "error FM1110 t.yaml/A: X: Fn::FindInMap: mapping Amis has no key Amr under us-east-1",
            "error FM1110 t.yaml/A: Y: Fn::FindInMap: no top-level key of mapping Amis has a second-level key X68",
        ])
    }

    /// Fn::Cidr with literal arguments, as CloudFormation evaluates it (cfn-lint's E1017 bounds,
    /// and subnets that must fit the block); computed arguments are not judged.
    @Test func cidrArguments() throws {
        #expect(try messages(yaml: """
        Resources:
          A:
            Type: AWS::SNS::Topic
            Properties:
              Count: !Cidr [10.0.0.0/16, 300, 8]
              Bits: !Cidr [10.0.0.0/16, 4, 200]
              Block: !Cidr [10.0.0.0/33, 4, 8]
              Octet: !Cidr [10.0.256.0/16, 4, 8]
              Larger: !Cidr [10.0.0.0/24, 2, 12]
              Fit: !Cidr [10.0.0.0/24, 6, 6]
              Fits: !Cidr [10.0.0.0/24, 4, 6]
              Six: !Cidr ["2001:db8::/56", 256, 64]
              SixBad: !Cidr ["2001:db8:::1/56", 2, 64]
              Computed: !Cidr [!GetAtt Vpc.CidrBlock, 6, "8"]
          Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
        """).filter { $0.contains("Fn::Cidr") } == [
            "error FM1109 t.yaml/A: Count: Fn::Cidr: count 300 is outside 1–256",
            "error FM1109 t.yaml/A: Bits: Fn::Cidr: cidrBits 200 is outside 0–128",
            "error FM1109 t.yaml/A: Block: Fn::Cidr: \"10.0.0.0/33\" is not an IPv4 or IPv6 CIDR block (such as 10.0.0.0/16)",
            "error FM1109 t.yaml/A: Octet: Fn::Cidr: \"10.0.256.0/16\" is not an IPv4 or IPv6 CIDR block (such as 10.0.0.0/16)",
            "error FM1109 t.yaml/A: Larger: Fn::Cidr: cidrBits 12 makes /20 subnets, larger than the /24 block 10.0.0.0/24",
            "error FM1109 t.yaml/A: Fit: Fn::Cidr: the /24 block 10.0.0.0/24 holds 4 subnets of /26, not 6",
            "error FM1109 t.yaml/A: SixBad: Fn::Cidr: \"2001:db8:::1/56\" is not an IPv4 or IPv6 CIDR block (such as 10.0.0.0/16)",
        ])
    }

    @Test func logicalIDCollisionNamesBothPaths() {
        let stack = App(schemas: .empty).stack("S")
        stack.node("Web").add("Server", RawResource(type: "AWS::SNS::Topic"))
        stack.node("WebServer").add("Default", RawResource(type: "AWS::SNS::Topic"))
        #expect(messages(stack) == [
            "error FM1004 S/WebServer/Default: logical ID WebServer is already used by S/Web/Server; rename one of the two constructs (Formation never renames silently)",
        ])
    }

    @Test func invalidAndDuplicateConstructIDs() {
        let stack = App(schemas: .empty).stack("S")
        stack.add("a/b", RawResource(type: "AWS::SNS::Topic"))
        stack.add("T", RawResource(type: "AWS::SNS::Topic"))
        _ = stack.node("T")
        stack.add("---", RawResource(type: "AWS::SNS::Topic"))
        #expect(messages(stack) == [
            "error FM1001 S/a/b: construct id \"a/b\" is invalid: an id must be non-empty and must not contain \"/\"",
            "error FM1002 S/T: construct id \"T\" is already used under S; ids must be unique among siblings",
            "error FM1003 S/---: logical ID \"\" is invalid: it must be 1 to 255 ASCII letters and digits",
        ])
    }

    @Test func logicalIDLongerThan255Characters() {
        let stack = App(schemas: .empty).stack("S")
        let long = String(repeating: "A", count: 256)
        stack.add(long, RawResource(type: "AWS::SNS::Topic"))
        #expect(messages(stack) == [
            "error FM1003 S/\(long): logical ID \"\(long)\" is invalid: it must be 1 to 255 ASCII letters and digits",
        ])
    }

    @Test func invalidAndDuplicateStackNames() {
        let app = App(schemas: .empty)
        let bad = app.stack("1bad_name")
        bad.add("A", RawResource(type: "AWS::SNS::Topic"))
        let first = app.stack("Twice")
        first.add("A", RawResource(type: "AWS::SNS::Topic"))
        app.stack("Twice").add("A", RawResource(type: "AWS::SNS::Topic"))
        #expect(messages(bad) == ["error FM1005 1bad_name: stack name \"1bad_name\" is invalid: it must match ^[A-Za-z][A-Za-z0-9-]{0,127}$"])
        #expect(messages(first) == ["error FM1006 Twice: stack name Twice is used by two stacks in this app"])
    }

    @Test func tooManyResourcesParametersAndOutputs() {
        let stack = App(schemas: .empty).stack("S")
        for index in 0..<501 {
            let topic = stack.add("T\(index)", RawResource(type: "AWS::SNS::Topic"))
            stack.output("O\(index)", topic.ref)
        }
        for index in 0..<201 { stack.parameter("P\(index)", type: .string) }
        #expect(messages(stack) == [
            "error FM2001 S: the template has 501 resources; CloudFormation allows at most 500 per template (split the stack, or move a part into a nested stack (FormationConstructs' NestedStack), which counts as one resource here)",
            "error FM2002 S: the template has 201 parameters; CloudFormation allows at most 200 per template (split the stack)",
            "error FM2003 S: the template has 501 outputs; CloudFormation allows at most 200 per template (split the stack)",
        ])
    }

    @Test func templateBodySizeLimits() throws {
        let stack = App(schemas: .empty).stack("S")
        stack.add("Big", RawResource(type: "AWS::SNS::Topic", properties: ["Blob": .string(String(repeating: "x", count: 60_000))]))
        let synthesis = stack.synthesize()
        let json = try synthesis.render(.json)
        #expect(json.diagnostics.map(\.description) == [
            "warning FM2004 S: the JSON template is \(json.byteCount) bytes, over the 51200-byte limit for --template-body; deploy it with --s3-bucket (aws cloudformation deploy uploads it)",
        ])
        let huge = App(schemas: .empty).stack("H")
        huge.add("Big", RawResource(type: "AWS::SNS::Topic", properties: ["Blob": .string(String(repeating: "x", count: 1_100_000))]))
        let yaml = try huge.synthesize().render(.yaml)
        #expect(yaml.diagnostics.map(\.description) == [
            "error FM2005 H: the YAML template is \(yaml.byteCount) bytes; CloudFormation accepts at most 1048576 bytes even from S3 (split the stack)",
        ])
    }

    @Test func missingResourcesSectionInAFile() throws {
        #expect(try messages(yaml: "Description: nothing\n") == [
            "error FM1111 t.yaml: the template has no Resources section; CloudFormation requires at least one resource",
        ])
    }
}
