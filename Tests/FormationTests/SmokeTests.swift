import Testing
@testable import Formation

@Test func smokeDSL() throws {
    let app = App()
    let stack = app.stack("Demo-dev", description: "demo", environment: "dev")
    let vpc = stack.parameter("VpcId", type: .vpcId)
    let key = stack.add("Key", RawResource(type: "AWS::KMS::Key", properties: ["EnableKeyRotation": true])).retainOnDelete()
    let arn: Value<String> = "arn:\(AWS.partition):logs:\(AWS.region):\(AWS.accountId):log-group:\(key.ref):*${literal}"
    let group = stack.node("Logs")
    group.add("Default", RawResource(type: "AWS::Logs::LogGroup", properties: ["KmsKeyId": key.getAtt("Arn").json, "X": arn.json, "V": vpc.ref.json]))
    group.add("Bad", RawResource(type: "AWS::Logs::LogGroup", properties: ["KmsKeyId": .fn(.ref("Nope")), "S": .fn(.sub("${Missing}", nil))]))
    stack.output("KeyArn", key.getAtt("Arn"))
    let s = stack.synthesize()
    let yaml = try s.render(.yaml).text
    #expect(yaml.contains("X: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Key}:*${!literal}"))
    #expect(s.diagnostics.map(\.description) == [
        "error FM1101 Demo-dev/Logs/Bad: KmsKeyId: Ref to Nope, which is not a resource, parameter or pseudo parameter of this template",
        "error FM1104 Demo-dev/Logs/Bad: S: Fn::Sub variable ${Missing} names no resource, parameter, pseudo parameter or Sub variable",
    ])
}
