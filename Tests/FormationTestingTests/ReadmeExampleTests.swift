import Formation
import FormationTesting
import Testing

/// A stack shaped like the README's agent stack (raw resources stand in for typed ones).
func agentStack(environment: String) -> Stack {
    let app = App()
    let stack = app.stack("CustomerServiceAgentStack-\(environment)", environment: environment)
    stack.add("Key", RawResource(type: "AWS::KMS::Key", properties: ["EnableKeyRotation": true])).retainOnDelete()
    stack.add("AgentSg", RawResource(type: "AWS::EC2::SecurityGroup", properties: [
        "GroupDescription": "agent",
        "VpcId": "vpc-0123456789abcdef0",
        "SecurityGroupEgress": [["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"]],
    ]))
    stack.add("Guardrail", RawResource(type: "AWS::Bedrock::Guardrail", properties: [
        "Name": .string("customerServiceGuardrail_\(environment)"),
        "BlockedInputMessaging": "Sorry, I can't help with that.",
        "BlockedOutputsMessaging": "Sorry, I can't help with that.",
        "ContentPolicyConfig": ["FiltersConfig": [
            ["Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"],
            ["Type": "HATE", "InputStrength": "HIGH", "OutputStrength": "HIGH"],
        ]],
    ]))
    let role = stack.add("ExecutionRole", RawResource(type: "AWS::IAM::Role", properties: [
        "AssumeRolePolicyDocument": ["Version": "2012-10-17", "Statement": [
            ["Effect": "Allow", "Principal": ["Service": "bedrock-agentcore.amazonaws.com"], "Action": "sts:AssumeRole"],
        ]],
    ]))
    stack.add("Runtime", RawResource(type: "AWS::BedrockAgentCore::Runtime", properties: [
        "AgentRuntimeName": .string("customerServiceAgent_\(environment)"),
        "AgentRuntimeArtifact": ["ContainerConfiguration": ["ContainerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"]],
        "RoleArn": role.getAtt("Arn").json,
    ]))
    return stack
}

// The README's "Testing your stacks" example, verbatim except for the snapshot directory
// (a temporary one, so this package's snapshots/ holds only the app's stacks).
@Suite struct AgentStackTests {
    let template = TemplateAssertions(agentStack(environment: "dev").synthesize())

    @Test func synthesizesWithoutErrors() {
        template.hasNoErrors()
    }

    @Test func securityGroupAllowsOnlyHTTPSOut() {
        template.resourceCount("AWS::EC2::SecurityGroupEgress", is: 0)  // CIDR egress is inline
        template.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupEgress": .arrayContainingInAnyOrder([
                ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443],
            ]),
        ])
    }

    @Test func guardrailFiltersKeepTheirOrder() {
        template.hasResourceProperties("AWS::Bedrock::Guardrail", [
            "ContentPolicyConfig": ["FiltersConfig": .arrayContainingInOrder([  // order is the point here
                ["Type": "PROMPT_ATTACK", "OutputStrength": "NONE"], ["Type": "HATE"],
            ])],
        ])
    }

    @Test func namesFollowTheAgentCoreRule() {
        template.hasResourceProperties("AWS::BedrockAgentCore::Runtime", [
            "AgentRuntimeName": .stringMatching("[a-zA-Z][a-zA-Z0-9_]{0,47}"),  // the whole name must match
        ])
    }

    @Test func runtimeUsesTheExecutionRole() {
        let role = Capture()
        template.hasResourceProperties("AWS::BedrockAgentCore::Runtime", [
            "RoleArn": .capture(role, .intrinsic("Fn::GetAtt")),
        ])
        template.hasResourceProperties("AWS::IAM::Role", [
            "AssumeRolePolicyDocument": ["Statement": .arrayContainingInAnyOrder([
                ["Principal": ["Service": "bedrock-agentcore.amazonaws.com"], "Action": "sts:AssumeRole"],
            ])],
        ], logicalID: role.referencedLogicalID ?? "(no role captured)")
        #expect(role.referencedLogicalID == "ExecutionRole")
    }

    @Test func keyIsRetained() {
        template.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"])
    }

    @Test func snapshot() throws {
        let directory = try TemporaryDirectory()
        Snapshots(directory: directory.path, mode: .local).assertMatches(agentStack(environment: "dev").synthesize(), format: .yaml)
        Snapshots(directory: directory.path, mode: .ci).assertMatches(agentStack(environment: "dev").synthesize(), format: .yaml)
    }

    @Test func theExampleFailsWhereTheStackIsWrong() {
        // The same assertions against a stack with a hyphenated name and no egress rule.
        let stack = agentStack(environment: "dev")
        stack.add("Other", RawResource(type: "AWS::BedrockAgentCore::Runtime", properties: ["AgentRuntimeName": "customer-service-agent-dev"]))
        let broken = TemplateAssertions(stack.synthesize())
        #expect(broken.check.allResourcesHaveProperties("AWS::BedrockAgentCore::Runtime", [
            "AgentRuntimeName": .stringMatching("[a-zA-Z][a-zA-Z0-9_]{0,47}"),
        ]).message == """
            1 of 2 AWS::BedrockAgentCore::Runtime resources do not match: Other
              Resources.Other.Properties.AgentRuntimeName: expected a string wholly matching /[a-zA-Z][a-zA-Z0-9_]{0,47}/, got "customer-service-agent-dev"
            """)
    }
}
