import Formation
import FormationTemplate
import Testing

/// Stacks deployed as StackSets: the deployment's rules, and its regions checked for every type.
@Suite struct StackSetTests {
    static let accounts = StackSetDeployment(targets: .accounts(["111111111111"]), regions: ["us-east-1", "eu-west-1"],
                                             permissionModel: .selfManaged())

    @Test func aValidDeploymentHasNoProblems() {
        #expect(Self.accounts.problems == [])
        let organization = StackSetDeployment(targets: .organizationalUnits(["ou-abcd-11112222", "r-ab12"]), regions: ["us-east-1"],
                                              permissionModel: .serviceManaged(autoDeployment: true),
                                              failureTolerancePercentage: 10, maxConcurrentPercentage: 50)
        #expect(organization.problems == [])
    }

    @Test func eachProblemIsNamed() {
        let bad = StackSetDeployment(targets: .accounts(["12345", "111111111111"]), regions: ["us-east-1", "us-east-1"],
                                     permissionModel: .serviceManaged(autoDeployment: false),
                                     failureToleranceCount: 0, failureTolerancePercentage: 5,
                                     maxConcurrentCount: 3, maxConcurrentPercentage: 101)
        #expect(bad.problems == [
            "targets: account \"12345\" is not a 12-digit AWS account ID",
            "targets: the service-managed permission model deploys to organizational units, not accounts; use .organizationalUnits or .selfManaged",
            "regions: a region is listed twice",
            "failure tolerance: give a count or a percentage, not both",
            "max concurrency: give a count or a percentage, not both",
            "max concurrency: 101 % is not between 0 and 100",
            "max concurrency 3 exceeds failure tolerance 0 + 1, which CloudFormation refuses",
        ])
        let units = StackSetDeployment(targets: .organizationalUnits(["ou-x", "Root"]), regions: [],
                                       permissionModel: .selfManaged(administrationRoleARN: "admin"))
        #expect(units.problems == [
            "targets: \"ou-x\" is not an organizational unit ID (ou-xxxx-yyyyyyyy) or a root ID (r-xxxx)",
            "targets: \"Root\" is not an organizational unit ID (ou-xxxx-yyyyyyyy) or a root ID (r-xxxx)",
            "targets: organizational units need the service-managed permission model (AWS Organizations); use .serviceManaged or list accounts",
            "regions: no region given",
            "administration role \"admin\" is not an IAM role ARN",
        ])
    }

    @Test func problemsAreErrorsOfTheStackAndEveryTargetRegionIsChecked() {
        let app = App(schemas: .bundled)
        let set = app.stackSet("Agents", deployment: StackSetDeployment(
            targets: .accounts(["111111111111"]), regions: ["us-east-1", "us-west-1"], permissionModel: .selfManaged()))
        #expect(set.regions == ["us-east-1", "us-west-1"])
        #expect(set.stackSetDeployment?.regions == ["us-east-1", "us-west-1"])
        set.add("Memory", RawResource(type: "AWS::BedrockAgentCore::Memory", properties: ["Name": "m", "EventExpiryDuration": 30]))
        let found = set.synthesize().diagnostics.map(\.description)
        #expect(found.contains { $0.hasPrefix("error FM3015 Agents/Memory: type AWS::BedrockAgentCore::Memory does not exist in us-west-1") }, "\(found)")

        let broken = app.stackSet("Broken", deployment: StackSetDeployment(targets: .accounts(["1"]), regions: ["us-east-1"],
                                                                            permissionModel: .selfManaged()))
        broken.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        #expect(broken.synthesize().diagnostics.map(\.description) == [
            "error FM1119 Broken: stack set Broken: targets: account \"1\" is not a 12-digit AWS account ID",
        ])
    }

    @Test func aStackSetTakesNoPartInReferencesAcrossStacks() {
        let app = App(schemas: .empty)
        let set = app.stackSet("Baseline", deployment: Self.accounts)
        let topic = set.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let consumer = app.stack("Consumer", regions: ["us-east-1", "eu-west-1"])
        consumer.output("T", topic.ref)
        #expect(consumer.synthesize().diagnostics.map(\.description) == [
            "error FM1108 Consumer/Outputs/T: {\"Ref\": \"Topic\"} of Baseline/Topic is used in Consumer, but Baseline is a StackSet, whose instances deploy into other accounts where no export of one stack reaches: pass the value as a parameter, or through an SSM parameter in each account",
        ])
    }
}
