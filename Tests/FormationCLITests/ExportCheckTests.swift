import Foundation
import Formation
@testable import FormationCLI
import FormationTemplate
import Testing

/// The "deadly embrace" of exports, caught by `formation diff` before deploy.
@Suite struct ExportCheckTests {
    static func template(_ yaml: String) throws -> Template {
        try Template(document: YAMLParser.parse(yaml))
    }

    @Test func anExportRemovedOrChangedWhileImportedIsAProblem() throws {
        let producerOld = try Self.template("""
            Resources: {T: {Type: AWS::SNS::Topic}}
            Outputs:
              A: {Value: !Ref T, Export: {Name: "P:A"}}
              B: {Value: !Ref T, Export: {Name: "P:B"}}
              C: {Value: !Ref T, Export: {Name: "P:C"}}
            """)
        let producerNew = try Self.template("""
            Resources: {T: {Type: AWS::SNS::Topic}}
            Outputs:
              B: {Value: !GetAtt T.TopicName, Export: {Name: "P:B"}}
              C: {Value: !Ref T, Export: {Name: "P:C"}}
            """)
        let consumer = try Self.template("""
            Resources:
              Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !ImportValue "P:A", Tags: [{Key: b, Value: !ImportValue "P:B"}]}}
            Outputs:
              C: {Value: !Join ["", [!ImportValue "P:C"]]}
            """)
        let problems = ExportCheck.problems(stacks: ["P", "C"], old: ["P": producerOld, "C": consumer], new: ["P": producerNew, "C": consumer],
                                            order: ["P", "C"])
        #expect(problems == [
            "deploying P removes export P:A, which C still imports: CloudFormation refuses (\"Export P:A cannot be deleted as it is in use by C\"). Deploy in two steps: first C without the import (use the value itself, or another export), then P",
            "deploying P changes the value of export P:B, which C still imports: CloudFormation refuses (\"Export P:B cannot be updated as it is in use by C\"). Deploy in two steps: first C without the import (use the value itself, or another export), then P",
        ])
        // Nobody imports it any more: removing it is fine.
        #expect(ExportCheck.problems(stacks: ["P"], old: ["P": producerOld], new: ["P": producerNew], order: ["P"]) == [])
    }

    @Test func anImportOfAnExportThatComesLaterIsAProblem() throws {
        let consumerNew = try Self.template("Resources: {Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !ImportValue \"P:A\"}}}")
        let producerOld = try Self.template("Resources: {T: {Type: AWS::SNS::Topic}}")
        let problems = ExportCheck.problems(stacks: ["C"], old: ["P": producerOld], new: ["C": consumerNew], order: ["C", "P"])
        #expect(problems == ["C imports P:A, which P does not export yet and deploys after C: deploy P first"])
        // In deploy order (P first) it is fine.
        #expect(ExportCheck.problems(stacks: ["C"], old: ["P": producerOld], new: ["C": consumerNew], order: ["P", "C"]) == [])
    }

    /// The whole command: a snapshot of the consumer still imports an export the producer no
    /// longer has.
    @Test func diffReportsTheEmbraceWithTheTwoStepFix() throws {
        let dir = try TemporaryDirectory()
        let environment = ["FORMATION_TESTAPP": "cross-stack"]
        let updated = try CLI.run(CLI.testApp, ["snapshot", "--update", "--format", "json"], in: dir.path, environment: environment)
        #expect(updated.status == 0, "\(updated)")
        let clean = try CLI.run(CLI.testApp, ["diff", "--format", "json"], in: dir.path, environment: environment)
        #expect(clean.status == 0, "\(clean)")
        var network = try EditableTemplate(String(decoding: try dir.bytes("snapshots/Network-x.json"), as: UTF8.self))
        network.set("Outputs", "ExportOld", to: ["Value": "x", "Export": ["Name": "Network-x:Old"]])
        try dir.write("snapshots/Network-x.json", network.json())
        var data = try EditableTemplate(String(decoding: try dir.bytes("snapshots/Data-x.json"), as: UTF8.self))
        data.set("Outputs", "Old", to: ["Value": .fn(.importValue("Network-x:Old"))])
        try dir.write("snapshots/Data-x.json", data.json())
        let result = try CLI.run(CLI.testApp, ["diff", "Network-x", "--format", "json"], in: dir.path, environment: environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error: deploying Network-x removes export Network-x:Old, which Data-x still imports: CloudFormation refuses (\"Export Network-x:Old cannot be deleted as it is in use by Data-x\"). Deploy in two steps: first Data-x without the import (use the value itself, or another export), then Network-x\n"),
                "\(result)")
    }
}
