import Testing
@testable import FormationTemplate

/// `AWS::LanguageExtensions` and `Fn::Transform` constructs read from JSON and from YAML in the
/// long and the short form into one model, and written back (JSON, and YAML with short tags)
/// into that model again.
@Suite struct LanguageExtensionsParseTests {
    /// Each construct: the YAML short form, the YAML long form and the JSON form of one value.
    static let constructs: [(name: String, short: String, long: String, json: String)] = [
        ("Fn::Length", "X: !Length [a, b]", "X:\n  Fn::Length: [a, b]", #"{"X": {"Fn::Length": ["a", "b"]}}"#),
        ("Fn::Length of a Ref", "X: !Length\n  Ref: Names", "X:\n  Fn::Length: {Ref: Names}", #"{"X": {"Fn::Length": {"Ref": "Names"}}}"#),
        ("Fn::ToJsonString", "X: !ToJsonString {a: !Ref B}", "X:\n  Fn::ToJsonString: {a: {Ref: B}}", #"{"X": {"Fn::ToJsonString": {"a": {"Ref": "B"}}}}"#),
        ("Fn::FindInMap DefaultValue", "X: !FindInMap [M, !Ref K, S, {DefaultValue: d}]",
         "X:\n  Fn::FindInMap: [M, {Ref: K}, S, {DefaultValue: d}]",
         #"{"X": {"Fn::FindInMap": ["M", {"Ref": "K"}, "S", {"DefaultValue": "d"}]}}"#),
        ("Fn::GetAtt dynamic attribute", "X: !GetAtt [Bucket, !Sub '${P}']", "X:\n  Fn::GetAtt: [Bucket, {Fn::Sub: '${P}'}]",
         #"{"X": {"Fn::GetAtt": ["Bucket", {"Fn::Sub": "${P}"}]}}"#),
        ("DeletionPolicy intrinsic", "R: {Type: T, DeletionPolicy: !If [C, Retain, Delete], UpdateReplacePolicy: !Ref P}",
         "R: {Type: T, DeletionPolicy: {Fn::If: [C, Retain, Delete]}, UpdateReplacePolicy: {Ref: P}}",
         #"{"R": {"Type": "T", "DeletionPolicy": {"Fn::If": ["C", "Retain", "Delete"]}, "UpdateReplacePolicy": {"Ref": "P"}}}"#),
        ("Fn::Transform list form", "X: !Transform [{Name: AWS::Include, Parameters: {Location: s3://b/k}}]",
         "X:\n  Fn::Transform: [{Name: AWS::Include, Parameters: {Location: s3://b/k}}]",
         #"{"X": {"Fn::Transform": [{"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}]}}"#),
        ("Fn::ForEach in Resources, nested, ${} and &{} keys",
         """
         Fn::ForEach::Topics:
           - Name
           - !Ref Names
           - Fn::ForEach::Inner:
               - Cidr
               - !FindInMap [M, K, Cidrs]
               - Topic${Name}&{Cidr}:
                   Type: AWS::SNS::Topic
                   Properties: {TopicName: !Sub "t-${Name}"}
         """,
         """
         Fn::ForEach::Topics:
           - Name
           - {Ref: Names}
           - Fn::ForEach::Inner:
               - Cidr
               - {Fn::FindInMap: [M, K, Cidrs]}
               - Topic${Name}&{Cidr}:
                   Type: AWS::SNS::Topic
                   Properties: {TopicName: {Fn::Sub: "t-${Name}"}}
         """,
         #"{"Fn::ForEach::Topics": ["Name", {"Ref": "Names"}, {"Fn::ForEach::Inner": ["Cidr", {"Fn::FindInMap": ["M", "K", "Cidrs"]}, {"Topic${Name}&{Cidr}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "t-${Name}"}}}}]}]}"#),
        ("Fn::ForEach in Conditions", "Fn::ForEach::C: [S, [a, b], {'Is${S}': !Equals [!Ref P, !Ref S]}]",
         "Fn::ForEach::C: [S, [a, b], {'Is${S}': {Fn::Equals: [{Ref: P}, {Ref: S}]}}]",
         #"{"Fn::ForEach::C": ["S", ["a", "b"], {"Is${S}": {"Fn::Equals": [{"Ref": "P"}, {"Ref": "S"}]}}]}"#),
        ("Fn::ForEach in Outputs", "Fn::ForEach::O: [S, [a], {'Out${S}': {Value: !GetAtt [!Sub 'B${S}', !Ref A]}}]",
         "Fn::ForEach::O: [S, [a], {'Out${S}': {Value: {Fn::GetAtt: [{Fn::Sub: 'B${S}'}, {Ref: A}]}}}]",
         #"{"Fn::ForEach::O": ["S", ["a"], {"Out${S}": {"Value": {"Fn::GetAtt": [{"Fn::Sub": "B${S}"}, {"Ref": "A"}]}}}]}"#),
    ]

    @Test(arguments: constructs.indices)
    func readsAlikeAndRoundTrips(_ index: Int) throws {
        let construct = Self.constructs[index]
        let short = try YAMLParser.parse(construct.short)
        let long = try YAMLParser.parse(construct.long)
        let json = try JSONParser.parse(construct.json)
        #expect(short == long, "\(construct.name): short and long YAML differ")
        #expect(short == json, "\(construct.name): YAML and JSON differ")
        let yaml = try YAMLEmitter.emit(json)
        #expect(try YAMLParser.parse(yaml) == json, "\(construct.name): YAML round trip\n\(yaml)")
        #expect(try JSONParser.parse(try JSONEmitter.emit(json)) == json, "\(construct.name): JSON round trip")
    }

    @Test func functionsAreModelledAndWrittenInShortForm() throws {
        let value = try YAMLParser.parse("""
            A: !Length [a, b]
            B: !ToJsonString {k: v}
            C: !FindInMap [M, K, S, {DefaultValue: d}]
            D: !GetAtt [R, !Sub '${P}']
            E: !Transform [{Name: AWS::Include, Parameters: {Location: s3://b/k}}]
            """)
        #expect(value["A"] == .fn(.length(["a", "b"])))
        #expect(value["B"] == .fn(.toJsonString(["k": "v"])))
        #expect(value["C"] == .fn(.findInMapDefault("M", "K", "S", "d")))
        #expect(value["D"] == .fn(.getAttComputed("R", .fn(.sub("${P}", nil)))))
        #expect(value["E"] == .fn(.transformList([["Name": "AWS::Include", "Parameters": ["Location": "s3://b/k"]]])))
        let yaml = try YAMLEmitter.emit(value)
        for tag in ["A: !Length", "B: !ToJsonString", "C: !FindInMap", "E: !Transform"] {
            #expect(yaml.contains(tag), "\(tag) not in\n\(yaml)")
        }
    }

    @Test func malformedFormsStayData() throws {
        // A fourth FindInMap argument that is not {DefaultValue: …}, and a Transform list with a
        // non-map item, are kept as written (validation reports them).
        let value = try YAMLParser.parse("""
            A: !FindInMap [M, K, S, {Other: d}]
            B: {Fn::Transform: [x]}
            """)
        #expect(value["A"] == ["Fn::FindInMap": ["M", "K", "S", ["Other": "d"]]])
        #expect(value["B"] == ["Fn::Transform": ["x"]])
    }
}

/// `formation diff` and snapshot diffs on templates with loops: a loop is an entry of its
/// section, its changes shown by path inside the loop.
@Suite struct LanguageExtensionsDiffTests {
    @Test func loopChangesAreShownByPath() throws {
        let old = try Template(document: YAMLParser.parse("""
            Transform: AWS::LanguageExtensions
            Resources:
              Fn::ForEach::Queues:
                - Name
                - [a, b]
                - Queue${Name}: {Type: AWS::SQS::Queue, Properties: {DelaySeconds: !Length [1, 2]}}
            """))
        let new = try Template(document: YAMLParser.parse("""
            Transform: AWS::LanguageExtensions
            Resources:
              Fn::ForEach::Queues:
                - Name
                - [a, b, c]
                - Queue${Name}: {Type: AWS::SQS::Queue, Properties: {DelaySeconds: !Length [1, 2, 3]}}
            """))
        let diff = TemplateDiff(from: old, to: new)
        #expect(diff.resources.map(\.name) == ["Fn::ForEach::Queues"])
        #expect(diff.resources.first?.changes.map(\.path) == ["[1][2]", "[2].Queue${Name}.Properties.DelaySeconds.Fn::Length[2]"], "\(diff.description)")
    }
}
