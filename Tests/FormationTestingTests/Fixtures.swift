import Formation
import FormationTemplate
@testable import FormationTesting

/// Templates the tests match against.
enum Fixtures {
    /// The guardrail's filter types, in the order CloudFormation receives them.
    static let filterTypes = ["PROMPT_ATTACK", "HATE", "INSULTS", "SEXUAL", "VIOLENCE"]

    /// A small stack with the shapes the seed stacks have: inline SG egress, ordered guardrail
    /// filters, a trust policy, a JSON state machine definition, attributes, outputs, parameters.
    static func synthesis(egressPort: Int64 = 443) -> Synthesis {
        let app = App(schemas: .empty)
        let stack = app.stack("Demo-dev", description: "demo", environment: "dev")
        let cidr = stack.parameter("VpcCidr", type: .string, default: "10.0.0.0/16")
        stack.parameter("AlertEmail", type: .string, allowedPattern: "^[^@]+@[^@]+$")
        let key = stack.add("Key", RawResource(type: "AWS::KMS::Key", properties: ["EnableKeyRotation": true]))
            .retainOnDelete()
        stack.add("AgentSg", RawResource(type: "AWS::EC2::SecurityGroup", properties: [
            "GroupDescription": "agent",
            "SecurityGroupEgress": [
                ["IpProtocol": "tcp", "FromPort": .int(egressPort), "ToPort": .int(egressPort), "CidrIp": cidr.ref.json],
            ],
        ]))
        stack.add("Guardrail", RawResource(type: "AWS::Bedrock::Guardrail", properties: [
            "Name": "customerServiceGuardrail_dev",
            "ContentPolicyConfig": [
                "FiltersConfig": .list(filterTypes.map { type in
                    ["Type": .string(type), "InputStrength": "HIGH", "OutputStrength": type == "PROMPT_ATTACK" ? "NONE" : "HIGH"]
                }),
            ],
        ]))
        let role = stack.add("ExecutionRole", RawResource(type: "AWS::IAM::Role", properties: [
            "AssumeRolePolicyDocument": [
                "Version": "2012-10-17",
                "Statement": [
                    ["Effect": "Allow", "Principal": ["Service": "bedrock-agentcore.amazonaws.com"], "Action": "sts:AssumeRole"],
                ],
            ],
        ]))
        stack.add("Machine", RawResource(type: "AWS::StepFunctions::StateMachine", properties: [
            "RoleArn": role.getAtt("Arn").json,
            "DefinitionString": #"{"StartAt": "Analyze", "States": {"Analyze": {"Type": "Task", "Next": "Notify"}, "Notify": {"Type": "Task", "End": true}}}"#,
        ]))
        let topic = stack.add("Topic", RawResource(type: "AWS::SNS::Topic", properties: ["KmsMasterKeyId": key.ref.json]))
            .dependsOn(key)
        stack.output("KeyArn", key.getAtt("Arn"), exportName: "demo-key-arn")
        stack.output("TopicArn", topic.ref)
        return stack.synthesize()
    }

    static func assertions(egressPort: Int64 = 443) -> TemplateAssertions {
        TemplateAssertions(synthesis(egressPort: egressPort))
    }
}
