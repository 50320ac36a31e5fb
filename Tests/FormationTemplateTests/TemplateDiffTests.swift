import Testing
@testable import FormationTemplate

/// The structural template diff that snapshot tests and `formation diff` print.
@Suite struct TemplateDiffTests {
    func template(_ yaml: String) throws -> Template {
        try Template(document: YAMLParser.parse(yaml))
    }

    let old = """
        AWSTemplateFormatVersion: '2010-09-09'
        Description: demo
        Parameters:
          VpcCidr: {Type: String, Default: 10.0.0.0/16}
        Resources:
          Key: {Type: AWS::KMS::Key, Properties: {EnableKeyRotation: true}, DeletionPolicy: Retain}
          AgentSg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: agent
              SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: !Ref VpcCidr}]
          OldEgress: {Type: AWS::EC2::SecurityGroupEgress, Properties: {GroupId: !Ref AgentSg}}
          Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 30}}
        Outputs:
          KeyArn: {Value: !GetAtt Key.Arn}
        """

    let new = """
        AWSTemplateFormatVersion: '2010-09-09'
        Description: demo stack
        Parameters:
          VpcCidr: {Type: String, Default: 10.0.0.0/16}
          AlertEmail: {Type: String}
        Resources:
          Key: {Type: AWS::KMS::Key, Properties: {EnableKeyRotation: true}, DeletionPolicy: Delete, UpdateReplacePolicy: Retain}
          AgentSg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: agent
              SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref VpcCidr}]
          Logs: {Type: AWS::Logs::Other, Properties: {RetentionInDays: 30}}
          Topic: {Type: AWS::SNS::Topic, DependsOn: [Key]}
        Outputs:
          KeyArn: {Value: !GetAtt Key.Arn, Export: {Name: key}}
        """

    @Test func rendersSectionsResourcesAndPropertyPaths() throws {
        let diff = TemplateDiff(from: try template(old), to: try template(new))
        #expect(diff.description == """
            Description: "demo" → "demo stack"
            Parameters
            [+] AlertEmail
            Resources
            [~] Key (AWS::KMS::Key)
                DeletionPolicy: "Retain" → "Delete"
                UpdateReplacePolicy: (absent) → "Retain"
            [~] AgentSg (AWS::EC2::SecurityGroup)
                Properties.SecurityGroupEgress[0].FromPort: 80 → 443
                Properties.SecurityGroupEgress[0].ToPort: 80 → 443
            [-] OldEgress (AWS::EC2::SecurityGroupEgress)
            [~] Logs (AWS::Logs::LogGroup → AWS::Logs::Other)
                Type: "AWS::Logs::LogGroup" → "AWS::Logs::Other"
            [+] Topic (AWS::SNS::Topic)
            Outputs
            [~] KeyArn
                Export: (absent) → {"Name": "key"}

            """)
    }

    @Test func exposesTheStructureForTools() throws {
        let diff = TemplateDiff(from: try template(old), to: try template(new))
        #expect(!diff.isEmpty)
        #expect(diff.sections.map(\.name) == ["Description", "Parameters", "Resources", "Outputs"])
        #expect(diff.resources.map(\.name) == ["Key", "AgentSg", "OldEgress", "Logs", "Topic"])
        #expect(diff.resources.map(\.kind) == [.changed, .changed, .removed, .changed, .added])
        #expect(diff.resources.map(\.typeChanged) == [false, false, false, true, false])
        let port = diff.resources[1].changes[0]
        #expect(port.path == "Properties.SecurityGroupEgress[0].FromPort")
        #expect(port.oldValue == 80)
        #expect(port.newValue == 443)
        #expect(diff.section("Description")?.change == .value(ValueChange(path: "Description", kind: .modified("demo", "demo stack"))))
        #expect(diff.section("Mappings") == nil)
        // The reverse direction swaps every side.
        let back = TemplateDiff(from: try template(new), to: try template(old))
        #expect(back.resources.map(\.kind) == [.changed, .changed, .changed, .removed, .added])
        #expect(back.resources[1].changes[0].description == "Properties.SecurityGroupEgress[0].FromPort: 443 → 80")
    }

    @Test func equalTemplatesHaveAnEmptyDiff() throws {
        let diff = TemplateDiff(from: try template(old), to: try template(old))
        #expect(diff.isEmpty)
        #expect(diff.description == "")
        // Long and short intrinsic forms are the same model, hence no difference.
        let long = try Template(document: JSONParser.parse(#"{"Resources": {"A": {"Type": "T", "Properties": {"K": {"Fn::GetAtt": ["B", "Arn"]}}}}}"#))
        let short = try template("Resources: {A: {Type: T, Properties: {K: !GetAtt B.Arn}}}")
        #expect(TemplateDiff(from: long, to: short).isEmpty)
    }

    @Test func listsAlignOnTheLongestCommonSubsequence() {
        // One insertion at the front is one addition, not a change at every index.
        #expect(ValueChange.changes(from: ["b", "c", "d"], to: ["a", "b", "c", "d"], path: "L").map(\.description) == [
            #"L[0]: (absent) → "a""#,
        ])
        #expect(ValueChange.changes(from: ["a", "b", "c"], to: ["a", "c"], path: "L").map(\.description) == [
            #"L[1]: "b" → (absent)"#,
        ])
        // Unaligned elements between aligned ones are compared inside.
        #expect(ValueChange.changes(from: ["a", ["k": 1, "j": 2], "c"], to: ["x", "a", ["k": 5, "j": 2], "c"], path: "L").map(\.description) == [
            #"L[0]: (absent) → "x""#,
            "L[2].k: 1 → 5",
        ])
        // A swap: one element kept in place, the other removed and added.
        #expect(ValueChange.changes(from: ["HATE", "PROMPT_ATTACK"], to: ["PROMPT_ATTACK", "HATE"], path: "F").map(\.description) == [
            #"F[0]: "HATE" → (absent)"#,
            #"F[1]: (absent) → "HATE""#,
        ])
    }

    @Test func longListsAreComparedByIndex() {
        let count = 600  // 600 × 600 exceeds the alignment limit
        #expect(count * count > ValueChange.alignmentLimit)
        let a = TemplateValue.list((0..<count).map { .int(Int64($0)) })
        let b = TemplateValue.list([.int(-1)] + (0..<count).map { .int(Int64($0)) })
        let changes = ValueChange.changes(from: a, to: b)
        #expect(changes.count == count + 1)
        #expect(changes.first?.description == "[0]: 0 → -1")
        #expect(changes.last?.description == "[600]: (absent) → 599")
    }

    @Test func keyOrderAndSectionOrderAreChangesToo() throws {
        let a = try template("Description: d\nResources: {A: {Type: T, Properties: {X: 1, Y: 2}}, B: {Type: T}}")
        let b = try template("Resources: {B: {Type: T}, A: {Type: T, Properties: {Y: 2, X: 1}}}\nDescription: d")
        #expect(TemplateDiff(from: a, to: b).description == """
            Sections: key order ["Description", "Resources"] → ["Resources", "Description"]
            Resources
                key order ["A", "B"] → ["B", "A"]
            [~] A (T)
                Properties: key order ["X", "Y"] → ["Y", "X"]

            """)
    }

    @Test func intrinsicsWithNestedValuesAreComparedInside() throws {
        let a = try template("Resources: {A: {Type: T, Properties: {N: !Join ['', [a, !Ref B]], R: !Ref B, G: !GetAtt B.Arn}}}")
        let b = try template("Resources: {A: {Type: T, Properties: {N: !Join ['', [a, !Ref C]], R: !Ref C, G: !Sub '${B.Arn}'}}}")
        #expect(TemplateDiff(from: a, to: b).description == """
            Resources
            [~] A (T)
                Properties.N.Fn::Join[1][1]: {"Ref": "B"} → {"Ref": "C"}
                Properties.R: {"Ref": "B"} → {"Ref": "C"}
                Properties.G: {"Fn::GetAtt": ["B", "Arn"]} → {"Fn::Sub": "${B.Arn}"}

            """)
    }

    @Test func wholeSectionsAndOddShapes() throws {
        let a = try template("Resources: {A: {Type: T}}\nOutputs: {O: {Value: 1}}\nCustom: [1]")
        let b = try template("Transform: AWS::Serverless-2016-10-31\nResources: {A: {Type: T}}\nCustom: {k: v}\nMappings: {M: {a: {b: c}}}")
        #expect(TemplateDiff(from: a, to: b).description == """
            Mappings
            [+] M
            Transform: (absent) → "AWS::Serverless-2016-10-31"
            Outputs
            [-] O
            Custom: [1] → {"k": "v"}

            """)
        // A resource that is not a map, or has no Type, still diffs without a type in its header.
        let c = try template("Resources: {A: 1, B: {Properties: {}}}")
        let d = try template("Resources: {A: 2, B: {Properties: {X: 1}}}")
        #expect(TemplateDiff(from: c, to: d).description == """
            Resources
            [~] A
                1 → 2
            [~] B
                Properties.X: (absent) → 1

            """)
    }
}
