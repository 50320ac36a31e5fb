import Formation
import Testing
@testable import FormationCLI

/// The pieces of `DeployImpact` and `DiffReport`, in-process.
@Suite struct DeployImpactTests {
    @Test func pointersSelectValuesAndStopAtIntrinsics() {
        let body: TemplateValue = [
            "Type": "AWS::EC2::VPCEndpoint",
            "Properties": [
                "DnsOptions": ["PrivateDnsPreference": "ALL"],
                "SubnetIds": [["Ref": "A"], "subnet-2"],
                "Rules": [["Name": "a"], ["Name": "b"]],
                "Conditional": .fn(.if("IsProd", "x", "y")),
                "a/b~c": 1,
            ],
        ]
        #expect(DeployImpact.values(at: "/properties/DnsOptions/PrivateDnsPreference", in: body) == ["ALL"])
        #expect(DeployImpact.values(at: "/properties/DnsOptions/Missing", in: body) == [])
        #expect(DeployImpact.values(at: "/properties/Rules/*/Name", in: body) == ["a", "b"])
        #expect(DeployImpact.values(at: "/properties/Rules/1/Name", in: body) == ["b"])
        #expect(DeployImpact.values(at: "/properties/Conditional/Deeper", in: body) == [.fn(.if("IsProd", "x", "y"))])
        #expect(DeployImpact.values(at: "/properties/a~1b~0c", in: body) == [1])
        #expect(DeployImpact.displayPath("/properties/Rules/*/Name") == "Properties.Rules[*].Name")
        #expect(DeployImpact.displayPath("/properties/a~1b") == "Properties.a/b")
    }

    @Test func keyOrderIsNotAChange() {
        let a: TemplateValue = ["KmsKey": "k", "EncryptionType": "KMS"]
        let b: TemplateValue = ["EncryptionType": "KMS", "KmsKey": "k"]
        #expect(DeployImpact.same(a, b))
        #expect(!DeployImpact.same(a, ["EncryptionType": "KMS"]))
        #expect(!DeployImpact.same([1, 2] as TemplateValue, [2, 1] as TemplateValue))
        #expect(DeployImpact.same(nil, nil))
        #expect(!DeployImpact.same(a, nil))
    }

    /// A replacement travels along create-only references: A → B (GroupId) → C (GroupId).
    @Test func knockOnReplacementsFollowReferences() throws {
        func template(_ description: String) -> Template {
            Template.canonical(resources: [
                "A": ["Type": "AWS::EC2::SecurityGroup", "Properties": ["GroupDescription": .string(description)]],
                "B": ["Type": "AWS::EC2::SecurityGroupIngress", "Properties": ["GroupId": .fn(.getAtt("A", "GroupId")), "IpProtocol": "-1"]],
                "C": ["Type": "AWS::EC2::SecurityGroupEgress", "Properties": ["GroupId": .fn(.sub("${B}", nil)), "IpProtocol": "-1"]],
                "D": ["Type": "AWS::EC2::SecurityGroupEgress", "Properties": ["GroupId": "sg-unrelated", "IpProtocol": "-1"]],
            ])
        }
        let old = template("old"), new = template("new")
        let report = DiffReport(stack: "S", source: "old.json", old: old, new: new)
        #expect(report.impact.knockOns.map(\.logicalID) == ["B", "C"])
        #expect(report.rendered(Palette(enabled: false)) == """
            S: old.json → synthesized
            Resources
            [~] A (AWS::EC2::SecurityGroup)
                Properties.GroupDescription: "old" → "new"
                ! would be REPLACED: Properties.GroupDescription changes (create-only)
            [!] B (AWS::EC2::SecurityGroupIngress)
                ! would be REPLACED: Properties.GroupId refers to A, which is replaced
            [!] C (AWS::EC2::SecurityGroupEgress)
                ! would be REPLACED: Properties.GroupId refers to B, which is replaced

            """)
    }

    /// Without findings the report is the header plus `TemplateDiff`'s text.
    @Test func reportIsTemplateDiffTextUnderAHeader() {
        let old = Template.canonical(description: "a", parameters: ["P": ["Type": "String"]],
                                     resources: ["T": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "x"]]])
        let new = Template.canonical(description: "b", resources: [
            "T": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "y"]],
            "U": ["Type": "AWS::SNS::Topic"],
        ], outputs: ["O": ["Value": "v"]])
        let report = DiffReport(stack: "S", source: "f", old: old, new: new)
        #expect(report.impact.allFindings.isEmpty)
        #expect(report.rendered(Palette(enabled: false)) == "S: f → synthesized\n" + TemplateDiff(from: old, to: new).description)
    }
}
