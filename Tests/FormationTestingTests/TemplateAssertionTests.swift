import Formation
import FormationTemplate
import Foundation
import Testing
@testable import FormationTesting

/// The assertions over whole templates, through ``TemplateCheck`` (results) and, where they
/// pass, through ``TemplateAssertions`` (reporting) too.
@Suite struct TemplateAssertionTests {
    let template = Fixtures.assertions()

    @Test func resourceCountByType() {
        #expect(template.check.resourceCount("AWS::SNS::Topic", is: 1).passed)
        #expect(template.check.resourceCount("AWS::EC2::SecurityGroupEgress", is: 0).passed)
        #expect(template.check.resourceCount("AWS::EC2::SecurityGroupEgress", is: 1).message
            == "expected 1 AWS::EC2::SecurityGroupEgress resource in Demo-dev, found 0")
        #expect(template.check.resourceCount("AWS::KMS::Key", is: 2).message
            == "expected 2 AWS::KMS::Key resources in Demo-dev, found 1: Key")
        template.resourceCount("AWS::IAM::Role", is: 1)
    }

    /// The failure shape from the brief: the candidate, then the first path where it differs.
    @Test func failureShowsTheCandidateAndTheFirstDifferingPath() {
        let port80 = Fixtures.assertions(egressPort: 80)
        let pattern: Match = ["SecurityGroupEgress": [["IpProtocol": "tcp", "FromPort": 443]]]
        #expect(template.check.hasResourceProperties("AWS::EC2::SecurityGroup", pattern).passed)
        #expect(port80.check.hasResourceProperties("AWS::EC2::SecurityGroup", pattern).message == """
            the only AWS::EC2::SecurityGroup, AgentSg, does not match:
              Resources.AgentSg.Properties.SecurityGroupEgress[0].FromPort: expected 443, got 80
            """)
        let contained: Match = ["SecurityGroupEgress": .arrayContainingInAnyOrder([["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]])]
        #expect(port80.check.hasResourceProperties("AWS::EC2::SecurityGroup", contained).message == """
            the only AWS::EC2::SecurityGroup, AgentSg, does not match:
              Resources.AgentSg.Properties.SecurityGroupEgress[0].FromPort: expected 443, got 80
              Resources.AgentSg.Properties.SecurityGroupEgress[0].ToPort: expected 443, got 80
              Resources.AgentSg.Properties.SecurityGroupEgress: no element matches pattern element 0 ({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, …}); closest is [0], differences above
            """)
        template.hasResourceProperties("AWS::EC2::SecurityGroup", contained)
    }

    @Test func theClosestOfSeveralCandidatesIsTheOneWithFewestDifferences() throws {
        let groups = try TemplateAssertions(parsing: """
            Resources:
              WebSg:
                Type: AWS::EC2::SecurityGroup
                Properties: {GroupDescription: web, SecurityGroupEgress: [{IpProtocol: udp, FromPort: 53, ToPort: 53}]}
              AgentSg:
                Type: AWS::EC2::SecurityGroup
                Properties: {GroupDescription: agent, SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 80, ToPort: 443}]}
              EmptySg:
                Type: AWS::EC2::SecurityGroup
            """, name: "groups.yaml")
        let pattern: Match = ["SecurityGroupEgress": .arrayContainingInAnyOrder([["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]])]
        #expect(groups.check.hasResourceProperties("AWS::EC2::SecurityGroup", pattern).message == """
            no AWS::EC2::SecurityGroup matches (3 candidates); closest is AgentSg:
              Resources.AgentSg.Properties.SecurityGroupEgress[0].FromPort: expected 443, got 80
              Resources.AgentSg.Properties.SecurityGroupEgress: no element matches pattern element 0 ({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, …}); closest is [0], differences above
            """)
        // A resource without Properties is matched as an empty map: an empty pattern fits it.
        #expect(groups.check.hasResourceProperties("AWS::EC2::SecurityGroup", [:], logicalID: "EmptySg").passed)
        #expect(groups.check.hasResourceProperties("AWS::EC2::SecurityGroup", ["GroupDescription": "web"], logicalID: "AgentSg").message == """
            resource AgentSg (AWS::EC2::SecurityGroup) does not match:
              Resources.AgentSg.Properties.GroupDescription: expected "web", got "agent"
            """)
    }

    @Test func missingTypesAndLogicalIDsSayWhatIsThere() {
        #expect(template.check.hasResourceProperties("AWS::Lambda::Function", [:]).message
            == "no AWS::Lambda::Function in Demo-dev; types present: AWS::KMS::Key, AWS::EC2::SecurityGroup, "
            + "AWS::Bedrock::Guardrail, AWS::IAM::Role, AWS::StepFunctions::StateMachine, AWS::SNS::Topic")
        #expect(template.check.hasResource("AWS::SNS::Topic", [:], logicalID: "Key").message
            == "resource Key in Demo-dev is AWS::KMS::Key, not AWS::SNS::Topic")
        #expect(template.check.hasResource("AWS::SNS::Topic", [:], logicalID: "Alarms").message
            == "no resource Alarms in Demo-dev")
        let empty = TemplateAssertions(Template.canonical(resources: [:]), name: "empty.json")
        #expect(empty.check.hasResourceProperties("AWS::SNS::Topic", [:]).message == "no AWS::SNS::Topic in empty.json; it has no resources")
    }

    @Test func hasResourceMatchesAttributes() {
        #expect(template.check.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"]).passed)
        #expect(template.check.hasResource("AWS::SNS::Topic", ["DependsOn": ["Key"], "Properties": ["KmsMasterKeyId": .ref("Key")]]).passed)
        #expect(template.check.hasResource("AWS::SNS::Topic", ["Condition": .absent]).passed)
        #expect(template.check.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Delete", "DependsOn": .absent]).message == """
            the only AWS::KMS::Key, Key, does not match:
              Resources.Key.DeletionPolicy: expected "Delete", got "Retain"
            """)
        #expect(template.check.hasResource("AWS::IAM::Role", ["DeletionPolicy": "Retain"]).message == """
            the only AWS::IAM::Role, ExecutionRole, does not match:
              Resources.ExecutionRole.DeletionPolicy: expected "Retain", got no value
            """)
        template.hasResource("AWS::SNS::Topic", ["DependsOn": .arrayContainingInAnyOrder(["Key"])])
    }

    /// Seed gotcha 9 through a whole assertion: order-sensitive only when asked for.
    @Test func guardrailFilterOrder() {
        let inOrder: Match = ["ContentPolicyConfig": ["FiltersConfig": .arrayContainingInOrder([
            ["Type": "PROMPT_ATTACK", "OutputStrength": "NONE"], ["Type": "HATE"], ["Type": "VIOLENCE"],
        ])]]
        let swapped: Match = ["ContentPolicyConfig": ["FiltersConfig": .arrayContainingInOrder([["Type": "HATE"], ["Type": "PROMPT_ATTACK"]])]]
        let anyOrder: Match = ["ContentPolicyConfig": ["FiltersConfig": .arrayContainingInAnyOrder([["Type": "HATE"], ["Type": "PROMPT_ATTACK"]])]]
        #expect(template.check.hasResourceProperties("AWS::Bedrock::Guardrail", inOrder).passed)
        #expect(template.check.hasResourceProperties("AWS::Bedrock::Guardrail", anyOrder).passed)
        #expect(template.check.hasResourceProperties("AWS::Bedrock::Guardrail", swapped).message == """
            the only AWS::Bedrock::Guardrail, Guardrail, does not match:
              Resources.Guardrail.Properties.ContentPolicyConfig.FiltersConfig: pattern element 1 ({"Type": "PROMPT_ATTACK", …}) matches only [0], which is not after [1] (matched by pattern element 0); arrayContainingInOrder is order-sensitive: use arrayContainingInAnyOrder if the order does not matter
            """)
        template.hasResourceProperties("AWS::Bedrock::Guardrail", inOrder)
    }

    @Test func allResourcesHaveProperties() throws {
        let roles = try TemplateAssertions(parsing: """
            {"Resources": {
              "A": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/"}},
              "B": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/service/"}},
              "C": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/", "MaxSessionDuration": 7200}}
            }}
            """, name: "roles.json")
        #expect(roles.check.allResourcesHaveProperties("AWS::IAM::Role", ["Path": .anyValue]).passed)
        #expect(roles.check.allResourcesHaveProperties("AWS::IAM::Role", ["Path": "/", "MaxSessionDuration": .absent]).message == """
            2 of 3 AWS::IAM::Role resources do not match: B, C
              Resources.B.Properties.Path: expected "/", got "/service/"
              Resources.C.Properties.MaxSessionDuration: expected no value, got 7200
            """)
        #expect(roles.check.allResourcesHaveProperties("AWS::SQS::Queue", [:]).message
            == "no AWS::SQS::Queue in roles.json; types present: AWS::IAM::Role")
    }

    @Test func findResources() {
        #expect(template.findResources("AWS::EC2::SecurityGroup").map(\.logicalID) == ["AgentSg"])
        #expect(template.findResources("AWS::EC2::SecurityGroup", properties: ["GroupDescription": "web"]).isEmpty)
        #expect(template.findResources("AWS::IAM::Role", properties: [
            "AssumeRolePolicyDocument": ["Statement": .arrayContainingInAnyOrder([["Principal": ["Service": "bedrock-agentcore.amazonaws.com"]]])],
        ]).map(\.logicalID) == ["ExecutionRole"])
    }

    @Test func serializedJSONDefinitionInAResource() {
        let pattern: Match = ["DefinitionString": .serializedJSON(["StartAt": "Analyze", "States": ["Notify": ["End": true]]]),
                              "RoleArn": .getAtt("ExecutionRole", "Arn")]
        #expect(template.check.hasResourceProperties("AWS::StepFunctions::StateMachine", pattern).passed)
        #expect(template.check.hasResourceProperties("AWS::StepFunctions::StateMachine", [
            "DefinitionString": .serializedJSON(["States": ["Analyze": ["Next": "Done"]]]),
        ]).message == """
            the only AWS::StepFunctions::StateMachine, Machine, does not match:
              Resources.Machine.Properties.DefinitionString(json).States.Analyze.Next: expected "Done", got "Notify"
            """)
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", pattern)
    }

    @Test func outputs() {
        #expect(template.check.hasOutput("KeyArn", ["Value": .getAtt("Key", "Arn"), "Export": ["Name": "demo-key-arn"]]).passed)
        #expect(template.check.hasOutput("TopicArn").passed)
        #expect(template.check.hasOutput("TopicArn", ["Export": .anyValue]).message == """
            output TopicArn does not match:
              Outputs.TopicArn.Export: expected any value, got no value
            """)
        #expect(template.check.hasOutput("QueueUrl").message == "no output QueueUrl in Demo-dev; outputs present: KeyArn, TopicArn")
        #expect(template.check.hasOutput(matching: ["Value": .ref("Topic")]).passed)
        #expect(template.check.hasOutput(matching: ["Value": .ref("Queue")]).message == """
            no output matches (2 candidates); closest is KeyArn:
              Outputs.KeyArn.Value: expected {"Ref": "Queue"}, got {"Fn::GetAtt": ["Key", "Arn"]}
            """)
        #expect(template.findOutputs(["Export": .anyValue]).keys == ["KeyArn"])
        let bare = TemplateAssertions(Template.canonical(resources: [:]), name: "bare")
        #expect(bare.check.hasOutput("X").message == "no output X in bare; it has no outputs")
        #expect(bare.check.hasOutput(matching: .anyValue).message == "no output in bare; it has no outputs")
        template.hasOutput("KeyArn", ["Value": .getAtt("Key", "Arn")])
    }

    @Test func parameters() {
        #expect(template.check.hasParameter("AlertEmail", ["Type": "String", "AllowedPattern": .anyValue, "NoEcho": .absent]).passed)
        #expect(template.check.hasParameter("VpcCidr", ["Default": "10.0.0.0/8"]).message == """
            parameter VpcCidr does not match:
              Parameters.VpcCidr.Default: expected "10.0.0.0/8", got "10.0.0.0/16"
            """)
        #expect(template.check.hasParameter("GitHubAppPrivateKey").message
            == "no parameter GitHubAppPrivateKey in Demo-dev; parameters present: VpcCidr, AlertEmail")
        #expect(template.check.hasParameter(matching: ["Default": .stringMatching("10\\..*")]).passed)
        #expect(template.findParameters(["Default": .absent]).keys == ["AlertEmail"])
        template.hasParameter("VpcCidr", ["Type": "String"])
    }

    @Test func captureRecordsTheMatchedValue() {
        let role = Capture()
        #expect(template.check.hasResourceProperties("AWS::StepFunctions::StateMachine", ["RoleArn": .capture(role)]).passed)
        #expect(role.value == .fn(.getAtt("ExecutionRole", "Arn")))
        // The captured value feeds the next assertion.
        guard case .fn(.getAtt(let roleID, _))? = role.value else {
            Issue.record("no GetAtt captured")
            return
        }
        #expect(template.check.hasResource("AWS::IAM::Role", .anyValue, logicalID: roleID).passed)

        let name = Capture()
        template.hasResourceProperties("AWS::Bedrock::Guardrail", ["Name": name.matching(.stringMatching("[a-zA-Z][a-zA-Z0-9_]{0,47}"))])
        #expect(name.stringValue == "customerServiceGuardrail_dev")

        // Failing assertions clear the capture rather than leave a stale value.
        #expect(!template.check.hasResourceProperties("AWS::Bedrock::Guardrail", ["Name": name.matching(.stringMatching("x")), "Missing": 1]).passed)
        #expect(name.values.isEmpty)
    }

    @Test func captureInsideContainmentCollectsEveryAssignedElement() {
        let types = Capture()
        let pattern: Match = ["ContentPolicyConfig": ["FiltersConfig": .arrayContainingInAnyOrder(
            Array(repeating: ["Type": .capture(types)], count: 5))]]
        #expect(template.check.hasResourceProperties("AWS::Bedrock::Guardrail", pattern).passed)
        #expect(types.values.compactMap(\.stringValue) == Fixtures.filterTypes)
        #expect(types.listValue == nil)
    }

    @Test func templateMatchesTheWholeDocument() {
        #expect(template.check.templateMatches(["Description": "demo", "Resources": ["Key": ["Type": "AWS::KMS::Key"]]]).passed)
        #expect(template.check.templateMatches(["Transform": .anyValue]).message == """
            Demo-dev does not match:
              Transform: expected any value, got no value
            """)
    }

    @Test func hasNoErrorsListsSynthesisErrors() {
        #expect(template.check.hasNoErrors().passed)
        let app = App(schemas: .empty)
        let stack = app.stack("Broken-dev")
        stack.add("Topic", RawResource(type: "AWS::SNS::Topic", properties: ["KmsMasterKeyId": .fn(.ref("Nope"))]))
        let broken = TemplateAssertions(stack.synthesize())
        #expect(broken.check.hasNoErrors().message == """
            Broken-dev has 1 synthesis error:
              error FM1101 Broken-dev/Topic: KmsMasterKeyId: Ref to Nope, which is not a resource, parameter or pseudo parameter of this template
            """)
    }

    @Test func templateFilesParseFromJSONAndYAML() throws {
        let directory = try TemporaryDirectory()
        let yaml = try Fixtures.synthesis().render(.yaml).text
        let path = directory.path + "/Demo-dev.yaml"
        try yaml.write(toFile: path, atomically: false, encoding: .utf8)
        let file = try TemplateAssertions(contentsOfFile: path)
        #expect(file.name == path)
        #expect(file.template == template.template)
        #expect(file.check.resourceCount("AWS::KMS::Key", is: 2).message == "expected 2 AWS::KMS::Key resources in \(path), found 1: Key")
        file.hasResourceProperties("AWS::SNS::Topic", ["KmsMasterKeyId": .ref("Key")])

        #expect(throws: TemplateError.io(path: directory.path + "/absent.json", message: "no such file")) {
            try TemplateAssertions(contentsOfFile: directory.path + "/absent.json")
        }
        #expect(throws: TemplateError.structure(path: "", message: "a template must be a map at the top level, found list")) {
            try TemplateAssertions(parsing: "[1, 2]")
        }
        #expect(throws: TemplateError.self) {
            try TemplateAssertions(parsing: "{\"Resources\": ", name: "cut.json")
        }
    }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/formation-testing-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
