import Formation
import FormationAssets
import FormationConstructs
import FormationResources
import FormationTemplate
import Testing

/// Nested stacks: the child template as an asset beside the parent, parameters passed down,
/// outputs read through Fn::GetAtt, validation of both, and the errors.
@Suite struct NestedStackTests {
    static func parentWithNetwork() -> (App, Stack, NestedStack) {
        let app = App(schemas: .bundled)
        let parent = app.stack("Parent-dev")
        let network = NestedStack(parent, "Network", description: "The network")
        let cidr = network.parameter("Cidr", value: "10.0.0.0/16", description: "The VPC's range")
        let vpc = network.template.add("Vpc", RawResource(type: "AWS::EC2::VPC", properties: ["CidrBlock": .fn(.ref("Cidr"))],
                                                          tokens: [cidr.tokenValue].compactMap { $0 }))
        network.template.output("VpcId", vpc.ref)
        parent.add("Group", EC2.SecurityGroup(groupDescription: "app", vpcId: network.output("VpcId")))
        return (app, parent, network)
    }

    @Test func theChildIsAnAssetAndTheParentDeploysIt() throws {
        let (_, parent, network) = Self.parentWithNetwork()
        let synthesis = parent.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        // The child's template, as synth writes it, is the asset named by its SHA-256.
        let child = network.template.synthesize()
        let childText = try child.render(.json).text
        let name = SHA256.hexDigest(Array(childText.utf8)) + ".template.json"
        #expect(network.templateFileName == name)
        #expect(synthesis.assets == [StackAsset(fileName: name, bytes: Array(childText.utf8))])
        #expect(child.template.parameters.keys == ["Cidr"])
        #expect(child.template.outputs["VpcId"]?["Value"] == .fn(.ref("Vpc")))
        let resource = try #require(synthesis.template.resources["Network"])
        #expect(resource["Type"] == "AWS::CloudFormation::Stack")
        #expect(resource["Properties"]?["TemplateURL"]
                == .fn(.sub("https://${AssetBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/\(name)", nil)))
        #expect(resource["Properties"]?["Parameters"] == ["Cidr": "10.0.0.0/16"])
        #expect(synthesis.template.resources["Group"]?["Properties"]?["VpcId"] == .fn(.getAtt("Network", "Outputs.VpcId")))
        #expect(synthesis.template.parameters.keys.contains("AssetBucket"))
        // Deterministic: the same bytes twice.
        #expect(try Self.parentWithNetwork().1.synthesize().render(.json).text == synthesis.render(.json).text)
    }

    @Test func theChildIsValidatedWithTheParent() {
        let (_, parent, network) = Self.parentWithNetwork()
        network.template.add("Queue", RawResource(type: "AWS::SQS::Queue", properties: ["DelaySeconds": 5000]))
        let found = parent.synthesize().diagnostics.map(\.description)
        #expect(found.count == 1 && found[0].hasPrefix("error FM3006 Parent-dev/Network/Queue: DelaySeconds 5000 is greater than maximum 900"), Comment(rawValue: found.joined()))
        // An error in the child writes no asset for it.
        #expect(parent.synthesize().assets.isEmpty)
    }

    @Test func aReferenceToTheParentWithoutAParameterIsAnError() {
        let app = App(schemas: .bundled)
        let parent = app.stack("Parent-dev")
        let topic = parent.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let child = NestedStack(parent, "Child")
        child.template.output("T", topic.ref)
        let found = parent.synthesize().diagnostics.map(\.description)
        #expect(found == [
            "error FM1108 Parent-dev/Network/Outputs/T: {\"Ref\": \"Topic\"} refers to Parent-dev, the stack this nested stack is part of: a nested template sees only its own parameters; pass the value with NestedStack.parameter",
        ].map { $0.replacingOccurrences(of: "Network", with: "Child") }, "\(found)")
    }

    @Test func overFiveHundredResourcesSuggestsANestedStack() {
        let app = App(schemas: .empty)
        let big = app.stack("Big")
        for index in 0..<501 { big.add("T\(index)", RawResource(type: "AWS::SNS::Topic")) }
        let found = big.synthesize().diagnostics.map(\.description)
        #expect(found == ["error FM2001 Big: the template has 501 resources; CloudFormation allows at most 500 per template (split the stack, or move a part into a nested stack (FormationConstructs' NestedStack), which counts as one resource here)"])
    }
}
