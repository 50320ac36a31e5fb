@testable import Formation
import FormationTemplate
import Testing

/// `AWS::LanguageExtensions` in validation (loops expanded, placeholders for deploy-time
/// collections, malformed loops reported once each) and macros (what they reach is skipped).
@Suite struct LanguageExtensionsTests {
    func diagnostics(_ yaml: String) throws -> [Diagnostic] {
        let template = try Template(document: try YAMLParser.parse(yaml))
        return TemplateValidator.validate(template, ValidationContext(stackPath: "t.yaml", schemas: .bundled))
    }

    func messages(_ yaml: String) throws -> [String] {
        try diagnostics(yaml).map(\.description)
    }

    static let header = "Transform: AWS::LanguageExtensions\n"

    @Test func knownCollectionsExpandPerItemUnderTheirOwnNames() throws {
        let found = try diagnostics(Self.header + """
            Mappings: {Net: {Cidrs: {List: ["10.0.1.0/24", "10.0.2.0/24"]}}}
            Conditions:
              Fn::ForEach::Stages: [S, [Prod, Dev], {"Is${S}": !Equals [!Ref "AWS::Region", !Ref S]}]
            Resources:
              Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
              Fn::ForEach::Subnets:
                - Cidr
                - !FindInMap [Net, Cidrs, List]
                - Subnet&{Cidr}:
                    Type: AWS::EC2::Subnet
                    Condition: IsProd
                    Properties: {VpcId: !Ref Vpc, CidrBlock: !Ref Cidr, MapPublicIpOnLaunch: yes-please}
            Outputs:
              Fn::ForEach::Out:
                - Cidr
                - ["10.0.1.0/24", "10.0.2.0/24"]
                - Fn::ForEach::Attr:
                    - Attr
                    - [VpcId, CidrBlock]
                    - Subnet&{Cidr}${Attr}:
                        Value: !GetAtt [!Sub "Subnet&{Cidr}", !Ref Attr]
            """)
        // One schema error per expansion, each under its own logical ID (&{Cidr}: the item's
        // letters and digits only, 10.0.1.0/24 → 1001024), at the loop.
        let paths = found.filter(\.isError).map(\.path)
        #expect(paths == ["t.yaml/Fn::ForEach::Subnets/Subnet1001024", "t.yaml/Fn::ForEach::Subnets/Subnet1002024"], "\(found)")
        #expect(found.filter(\.isError).allSatisfy { $0.property == "MapPublicIpOnLaunch" }, "\(found)")
    }

    @Test func expandedNamesAreCheckedLikeWrittenOnes() throws {
        // The GetAtt reaches a resource the loop did not produce, and an attribute the type lacks.
        let found = try messages(Self.header + """
            Resources:
              Fn::ForEach::Queues: [N, [a, b], {"Queue${N}": {Type: AWS::SQS::Queue}}]
            Outputs:
              Fn::ForEach::Out: [N, [a, c], {"Out${N}": {Value: !GetAtt [!Sub "Queue${N}", Arn]}}]
              Bad: {Value: !GetAtt [Queuea, Nope]}
            """)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("error FM1102 t.yaml/Outputs/Fn::ForEach::Out/Outc: ") && $0.contains("Queuec") })
        #expect(found.contains { $0.hasPrefix("error FM1103 t.yaml/Outputs/Bad: ") && $0.contains("no attribute Nope") })
    }

    /// AWS's example of conditions made by a loop names each copy's condition with
    /// `Condition: !Sub TopicCondition${LogicalId}`: the transform resolves the Fn::Sub to a name,
    /// which is then checked like a written one (a DependsOn item too).
    @Test func aConditionOrDependsOnWrittenWithSubIsAName() throws {
        let template = { (names: String) in Self.header + """
            Parameters: {Stage: {Type: String}}
            Conditions:
              Fn::ForEach::Conditions: [Id, [A, B], {"TopicCondition${Id}": !Equals [!Ref Stage, !Ref Id]}]
            Resources:
              Fn::ForEach::Topics:
                - LogicalId
                - \(names)
                - ${LogicalId}:
                    Type: AWS::SNS::Topic
                    Condition: !Sub TopicCondition${LogicalId}
                    DependsOn: [!Sub "Queue${LogicalId}"]
                  Queue${LogicalId}: {Type: AWS::SQS::Queue, Condition: !Sub "TopicCondition${LogicalId}"}
            """
        }
        let clean = try messages(template("[A, B]")).filter { $0.hasPrefix("error") }
        #expect(clean.isEmpty, "\(clean)")
        // C has no condition: each Fn::Sub that names TopicConditionC is a dangling condition.
        let dangling = try diagnostics(template("[A, C]")).errors
        #expect(dangling.map(\.path) == ["t.yaml/Fn::ForEach::Topics/C", "t.yaml/Fn::ForEach::Topics/QueueC"], "\(dangling)")
        #expect(dangling.allSatisfy { $0.code == DiagnosticCode.undefinedCondition && $0.message.contains("TopicConditionC") }, "\(dangling)")
    }

    @Test func deployTimeCollectionsAreCheckedOnceWithAPlaceholder() throws {
        let found = try messages(Self.header + """
            Parameters:
              Names: {Type: CommaDelimitedList}
              Env: {Type: String}
            Mappings: {Buckets: {Prod: {Ids: [A, B]}}}
            Resources:
              Fn::ForEach::Topics:
                - Name
                - !Ref Names
                - Topic${Name}:
                    Type: AWS::SNS::Topic
                    DependsOn: Queue${Name}
                    Properties: {TopicName: !Sub "topic-${Name}", DisplayName: "${Name} topic", Tags: [{Key: k, Value: !Ref Name}]}
                  Queue${Name}:
                    Type: AWS::SQS::Queue
              Fn::ForEach::Buckets:
                - Id
                - !FindInMap [Buckets, !Ref Env, Ids]
                - Bucket${Id}: {Type: AWS::S3::Bucket, Properties: {Tags: [{Key: k, Value: !Ref Id}], Nope: 1}}
            """)
        // Only the real mistake: the placeholder resolves as a name and as a value.
        #expect(found.count == 1 && found[0].hasPrefix("error FM3009 t.yaml/Fn::ForEach::Buckets/BucketId: Nope is not a known property"), "\(found)")
    }

    @Test func malformedLoopsAreOneDiagnosticEach() throws {
        let found = try messages(Self.header + """
            Parameters: {One: {Type: String}}
            Resources:
              Fn::ForEach::Arity: [X, [a]]
              Fn::ForEach::Clash: [One, [a], {"Q${One}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::NoKey: [X, [a, b], {Queue: {Type: AWS::SQS::Queue}}]
              Fn::ForEach::Dup: [X, [a-b, ab], {"Q&{X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::NotList: [X, !Ref One, {"Q${X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::NotList2: [X, "a,b", {"Q${X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::Nested: [X, [a], {Fn::ForEach::Inner: [X, [b], {"Q${X}": {Type: AWS::SQS::Queue}}]}]
              Qa: {Type: AWS::SQS::Queue}
              Fn::ForEach::Twice: [X, [a], {"Q${X}": {Type: AWS::SQS::Queue}}]
            """)
        #expect(found == [
            "error FM1130 t.yaml/Fn::ForEach::Arity: takes [identifier, collection, {output key: output value}], found 2 items",
            "error FM1130 t.yaml/Fn::ForEach::Clash: the identifier One clashes with a parameter of the template (Ref: One would be ambiguous); rename the identifier",
            "error FM1130 t.yaml/Fn::ForEach::NoKey: the output key \"Queue\" has no ${X} or &{X}, so every item would write the same key",
            "error FM1130 t.yaml/Fn::ForEach::Dup: produces Qab twice (for \"ab\"); each item must give a distinct key",
            "error FM1130 t.yaml/Fn::ForEach::NotList: the collection must be a list (literal, a CommaDelimitedList or List<…> parameter, or Fn::FindInMap of one), found Ref to parameter One of type String",
            "error FM1130 t.yaml/Fn::ForEach::NotList2: the collection must be a list (literal, a CommaDelimitedList or List<…> parameter, or Fn::FindInMap of one), found a string",
            "error FM1130 t.yaml/Fn::ForEach::Nested: Fn::ForEach::Inner: the identifier X is already the identifier of an enclosing loop; nested loops need distinct identifiers",
            "error FM1130 t.yaml/Fn::ForEach::Twice: the loop produces Qa, which the section already has; each expansion needs its own logical ID",
        ])
    }

    @Test func hostileLoopsAreOneDiagnosticEachAndExpansionIsBounded() throws {
        let found = try messages(Self.header + """
            Resources:
              Fn::ForEach::: [X, [a], {"Q${X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::Null: null
              Fn::ForEach::Id: [{a: b}, [a], {"Q${X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::Body: [X, [a], [1]]
              Fn::ForEach::Items: [X, [[a]], {"Q${X}": {Type: AWS::SQS::Queue}}]
              Fn::ForEach::Len: [X, !Length [a], {"Q${X}": {Type: AWS::SQS::Queue}}]
            """)
        #expect(found.count == 6 && found.allSatisfy { $0.hasPrefix("error FM1130 t.yaml/Fn::ForEach::") }, "\(found)")
        // Nested loops over long lists stop at the bound, with one error and no follow-on ones.
        let items = (0..<300).map { "i\($0)" }.joined(separator: ", ")
        let bounded = try messages(Self.header + """
            Resources:
              Fn::ForEach::A: [X, [\(items)], {Fn::ForEach::B: [Y, [\(items)], {"Q${X}${Y}": {Type: AWS::SQS::Queue}}]}]
            """)
        #expect(bounded == ["error FM1130 t.yaml/Fn::ForEach::A: Fn::ForEach::B: the loops expand to more than 20000 entries; CloudFormation accepts at most 500 resources and 200 outputs"])
    }

    @Test func extensionsWithoutTheTransformAreErrorsNamingIt() throws {
        let found = try messages("""
            Mappings: {M: {a: {b: x}}}
            Resources:
              Fn::ForEach::Queues: [N, [a], {"Q${N}": {Type: AWS::SQS::Queue}}]
              Q:
                Type: AWS::SQS::Queue
                DeletionPolicy: !If [C, Retain, Delete]
                Properties:
                  DelaySeconds: !Length [1, 2]
                  QueueName: !FindInMap [M, z, b, {DefaultValue: x}]
                  RedrivePolicy: !ToJsonString {a: b}
            Conditions: {C: !Equals [a, b]}
            """)
        #expect(found == [
            "error FM1109 t.yaml/Fn::ForEach::Queues: Fn::ForEach::Queues exists only with Transform: AWS::LanguageExtensions; declare the transform, or write the entries out",
            "error FM1109 t.yaml/Q: DeletionPolicy: Fn::If in a resource policy exists only with Transform: AWS::LanguageExtensions; declare the transform, or write Delete, Retain or Snapshot",
            "error FM1109 t.yaml/Q: DelaySeconds: Fn::Length exists only with Transform: AWS::LanguageExtensions; declare the transform",
            "error FM1109 t.yaml/Q: QueueName: Fn::FindInMap with DefaultValue exists only with Transform: AWS::LanguageExtensions; declare the transform",
            "error FM1109 t.yaml/Q: RedrivePolicy: Fn::ToJsonString exists only with Transform: AWS::LanguageExtensions; declare the transform",
        ])
        // A loop inside properties, alone or among other keys, is one error at the loop.
        #expect(try messages("""
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  Fn::ForEach::Props: [P, [DelaySeconds], {"${P}": 5}]
                  QueueName: q
            """) == ["error FM1109 t.yaml/Q: Properties.Fn::ForEach::Props: Fn::ForEach::Props exists only with Transform: AWS::LanguageExtensions; declare the transform, or write the entries out"])
        // With the transform: nothing (the DefaultValue covers the missing key z).
        #expect(try messages(Self.header + """
            Mappings: {M: {a: {b: x}}}
            Parameters: {P: {Type: String}}
            Resources:
              Fn::ForEach::Queues: [N, [a], {"Q${N}": {Type: AWS::SQS::Queue}}]
              Q:
                Type: AWS::SQS::Queue
                DeletionPolicy: !If [C, Retain, Delete]
                UpdateReplacePolicy: !FindInMap [M, z, b, {DefaultValue: Retain}]
                Properties:
                  DelaySeconds: !Length [1, 2]
                  QueueName: !FindInMap [M, z, b, {DefaultValue: x}]
                  RedrivePolicy: !ToJsonString {a: b}
            Conditions: {C: !Equals [a, b]}
            Outputs: {A: {Value: !GetAtt [Qa, !Ref P]}}
            """) == [])
    }

    @Test func macrosReachIsSkippedWithOneLinePerMacro() throws {
        // A template-level macro rewrites everything.
        #expect(try messages("""
            Transform: [MyMacro]
            Resources:
              Q: {Type: AWS::SQS::Queue, Properties: {Bogus: 1, X: !Ref Nothing}}
            """) == ["info FM1131 t.yaml: Transform macro MyMacro rewrites the whole template before CloudFormation validates it; not validated there (3 findings skipped)"])
        // Fn::Transform (AWS::Include, list form) rewrites only the resource holding it.
        #expect(try messages("""
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions:
                    Fn::Transform: [{Name: AWS::Include, Parameters: {Location: s3://b/attributes.yaml}}]
                  Bogus: 1
              Other: {Type: AWS::SQS::Queue, Properties: {Bogus: 1}}
            """).map { line in line.firstRange(of: " (known:").map { String(line[..<$0.lowerBound]) } ?? line } == [
            "error FM3009 t.yaml/Other: Bogus is not a known property",
            "info FM1131 t.yaml: Fn::Transform AWS::Include rewrites Table before CloudFormation validates it; not validated there (2 findings skipped)",
        ])
        // At a section's level it may add entries: references to names it may add are not errors.
        #expect(try messages("""
            Resources:
              Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/resources.yaml}}
              Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt Included.QueueName}}
            """) == ["info FM1131 t.yaml: Fn::Transform AWS::Include in Resources rewrites the Resources section before CloudFormation validates it; not validated there (5 findings skipped)"])
    }
}

/// The DSL's `forEach`: a compact template with one loop entry, the transform declared, and the
/// loop's expansions validated at synthesis.
@Suite struct ForEachDSLTests {
    func app(items: [String], property: TemplateValue = "x") -> App {
        let app = App(schemas: .bundled)
        let stack = app.stack("Loops-dev")
        let queue = stack.add("Dead", RawResource(type: "AWS::SQS::Queue"))
        stack.forEach("Queues", "Name", in: .items(items)) { loop in
            [("Queue\(loop.key)", ForEachResource(
                RawResource(type: "AWS::SQS::Queue", properties: [
                    "QueueName": Value<String>("shop-\(loop.item)").json,
                    "RedrivePolicy": ["deadLetterTargetArn": queue.getAtt("Arn").json, "maxReceiveCount": property],
                ]),
                deletionPolicy: .fn(.if("Keep", "Retain", "Delete"))))]
        }
        stack.forEachOutput("Arns", "Name", in: .items(items)) { loop in
            [("Queue\(loop.key)Arn", Value<String>(.getAtt("Queue" + loop.key, "Arn")))]
        }
        _ = stack.condition("Keep", Fn.equals(AWS.region, Value<String>("us-east-1")))
        return app
    }

    @Test func writesOneLoopAndDeclaresTheTransform() throws {
        let synthesis = try #require(app(items: ["Orders", "Refunds"], property: 3).synthesize().first)
        #expect(synthesis.diagnostics.filter(\.isError).isEmpty, "\(synthesis.diagnostics)")
        let root = synthesis.template.root
        #expect(root["Transform"] == "AWS::LanguageExtensions")
        let loop = try #require(root["Resources"]?["Fn::ForEach::Queues"])
        #expect(loop[0] == "Name")
        #expect(loop[1] == ["Orders", "Refunds"])
        #expect(loop[2]?["Queue${Name}"]?["Properties"]?["QueueName"] == .fn(.sub("shop-${Name}", nil)))
        #expect(loop[2]?["Queue${Name}"]?["DeletionPolicy"] == .fn(.if("Keep", "Retain", "Delete")))
        // The copy's name is an Fn::Sub, which the transform resolves (a plain string keeps ${Name}).
        #expect(root["Outputs"]?["Fn::ForEach::Arns"]?[2]?["Queue${Name}Arn"]?["Value"] == .map(["Fn::GetAtt": .list([.fn(.sub("Queue${Name}", nil)), "Arn"])]))
        // Identical bytes on two runs, and the YAML reads back as the same template.
        let yaml = try synthesis.render(.yaml).text
        #expect(yaml == (try #require(app(items: ["Orders", "Refunds"], property: 3).synthesize().first).render(.yaml).text))
        #expect(try Template(document: YAMLParser.parse(yaml)) == synthesis.template)
    }

    @Test func expansionsAreValidatedAtSynthesis() throws {
        // maxReceiveCount must be an integer: one error per expansion, under its own logical ID;
        // two items that give one logical ID are one FM1130.
        let bad = try #require(app(items: ["Orders"], property: "many").synthesize().first).diagnostics.filter(\.isError)
        #expect(bad.map(\.path) == ["Loops-dev/Fn::ForEach::Queues/QueueOrders"], "\(bad)")
        let twice = try #require(app(items: ["a-b", "a-b"]).synthesize().first).diagnostics.filter(\.isError)
        #expect(twice.map(\.code).contains(DiagnosticCode.malformedForEach), "\(twice)")
    }
}
