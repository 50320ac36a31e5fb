import Testing
import Formation
import FormationResources

/// The seed article's mistakes (part 2 and part 6), written the way CDK's `CfnResource` lets you
/// write them: as raw properties. Formation catches each one at synthesis, naming the construct,
/// the property, the value and the rule.
///
/// In typed code the same mistakes do not compile at all:
///
/// ```swift
/// BedrockAgentCore.Runtime(agentRuntimeArtifact: artifact, agentRuntimeName: name,
///                          networkConfiguration: network, roleArn: role.arn,
///                          serverProtocol: .http)
/// // error: extra argument 'serverProtocol' in call
///
/// BedrockAgentCore.Runtime.LifecycleConfiguration(idleTimeoutInSeconds: 900)
/// // error: extra argument 'idleTimeoutInSeconds' in call
///
/// runtime.properties.protocolConfiguration = "HTTPS"
/// // error: generic enum 'Value' requires the types 'BedrockAgentCore.Runtime.ProtocolConfiguration'
/// //        and 'String' be equivalent
///
/// runtime.properties.protocolConfiguration = .https
/// // error: no exact matches in reference to static property 'https'
///
/// runtime.properties.protocolConfiguration = .http    // compiles: the only spellings are the schema's
/// ```
///
/// (Checked with `swiftc -typecheck -I .build/debug/Modules` against this package's modules.)
///
/// Only the name rule is a value a compiler cannot judge; `typedNameMistake` shows synthesis
/// catching it in typed code too.
@Suite struct SeedMistakeTests {
    @Test func hyphenatedRuntimeNameIsAnError() {
        let diagnostics = rawDiagnostics("AWS::BedrockAgentCore::Runtime",
                                         validRuntime().with("AgentRuntimeName", "customer-service-agent-dev"),
                                         id: "AgentRuntime")
        #expect(diagnostics == [
            "error FM3004 CustomerServiceAgentStack-dev/AgentRuntime: AgentRuntimeName \"customer-service-agent-dev\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ (AWS::BedrockAgentCore::Runtime)",
        ])
    }

    @Test func misnamedPropertiesAreErrorsWithTheRealNames() {
        var properties = validRuntime()
        properties["ProtocolConfiguration"] = nil
        properties["ServerProtocol"] = "HTTP"
        properties["LifecycleConfiguration"] = ["IdleTimeoutInSeconds": 900, "MaxSessionDurationInSeconds": 28800]
        let diagnostics = rawDiagnostics("AWS::BedrockAgentCore::Runtime", properties, id: "AgentRuntime")
        #expect(diagnostics == [
            "error FM3009 CustomerServiceAgentStack-dev/AgentRuntime: LifecycleConfiguration.IdleTimeoutInSeconds is not a known property; did you mean LifecycleConfiguration.IdleRuntimeSessionTimeout? (AWS::BedrockAgentCore::Runtime)",
            "error FM3009 CustomerServiceAgentStack-dev/AgentRuntime: LifecycleConfiguration.MaxSessionDurationInSeconds is not a known property; did you mean LifecycleConfiguration.MaxLifetime? (AWS::BedrockAgentCore::Runtime)",
            "error FM3009 CustomerServiceAgentStack-dev/AgentRuntime: ServerProtocol is not a known property; did you mean ProtocolConfiguration? (AWS::BedrockAgentCore::Runtime)",
        ])
    }

    @Test func lifecycleNamesAtTheTopLevelPointIntoLifecycleConfiguration() {
        var properties = validRuntime()
        properties["LifecycleConfiguration"] = nil
        properties["IdleTimeoutInSeconds"] = 900
        #expect(violations("AWS::BedrockAgentCore::Runtime", properties) == [
            "FM3009 IdleTimeoutInSeconds is not a known property; did you mean LifecycleConfiguration.IdleRuntimeSessionTimeout?",
        ])
    }

    @Test func wrongEnumValueIsAnError() {
        let diagnostics = rawDiagnostics("AWS::BedrockAgentCore::Runtime",
                                         validRuntime().with("ProtocolConfiguration", "HTTPS"), id: "AgentRuntime")
        #expect(diagnostics == [
            "error FM3003 CustomerServiceAgentStack-dev/AgentRuntime: ProtocolConfiguration \"HTTPS\" is not one of MCP, HTTP, A2A, AGUI; did you mean HTTP? (AWS::BedrockAgentCore::Runtime)",
        ])
    }

    @Test func theCorrectedRuntimeIsClean() {
        #expect(rawDiagnostics("AWS::BedrockAgentCore::Runtime", validRuntime(), id: "AgentRuntime") == [])
    }

    @Test func typedNameMistake() {
        let app = App(schemas: .bundled)
        let stack = app.stack("CustomerServiceAgentStack-dev")
        stack.add("AgentRuntime", BedrockAgentCore.Runtime(
            agentRuntimeArtifact: .init(containerConfiguration: .init(
                containerUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/customerserviceagent/runtime-dev:latest")),
            agentRuntimeName: "customer-service-agent-dev",
            roleArn: "arn:aws:iam::123456789012:role/customerServiceAgentExecutionRole-dev",
            lifecycleConfiguration: .init(idleRuntimeSessionTimeout: 900, maxLifetime: 28800),
            networkConfiguration: .init(networkMode: .vpc),
            protocolConfiguration: .http))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM3004 CustomerServiceAgentStack-dev/AgentRuntime: AgentRuntimeName \"customer-service-agent-dev\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ (AWS::BedrockAgentCore::Runtime)",
        ])
    }
}
