import Formation
import FormationTemplate
import Testing

/// References between the stacks of one app: exports in the producer, imports in the consumer,
/// the deploy order, and the errors (a stack outside the app, other regions, cycles, clashes).
@Suite struct CrossStackTests {
    /// A network stack with a VPC, a topic and a key; a service stack using them.
    struct TwoStacks {
        let app = App(schemas: .bundled)
        let network: Stack
        let service: Stack

        init(serviceRegions: [String] = [], networkAccount: String? = nil, serviceAccount: String? = nil) {
            network = app.stack("Network-dev", account: networkAccount)
            let vpc = network.add("Vpc", RawResource(type: "AWS::EC2::VPC", properties: ["CidrBlock": "10.0.0.0/16"]))
            let key = network.add("Key", RawResource(type: "AWS::KMS::Key"))
            service = app.stack("Service-dev", regions: serviceRegions, account: serviceAccount)
            service.add("Group", RawResource(
                type: "AWS::EC2::SecurityGroup",
                properties: ["GroupDescription": "service", "VpcId": .fn(.ref("Vpc"))],
                tokens: [Token(.ref("Vpc"), stackName: "Network-dev")]))
            service.add("Logs", RawResource(
                type: "AWS::Logs::LogGroup",
                properties: ["KmsKeyId": .fn(.getAtt("Key", "Arn"))],
                tokens: [Token(.getAtt("Key", "Arn"), stackName: "Network-dev")]))
            service.output("VpcOfService", Value<String>.token(Token(.ref("Vpc"), stackName: "Network-dev")))
            _ = (vpc, key)
        }
    }

    @Test func theConsumerImportsAndTheProducerExports() throws {
        let stacks = TwoStacks()
        let syntheses = stacks.app.synthesize()
        for synthesis in syntheses {
            #expect(synthesis.diagnostics.isEmpty, "\(synthesis.stackName): \(synthesis.diagnostics)")
        }
        let service = syntheses[1].template
        #expect(service.resources["Group"]?["Properties"]?["VpcId"] == .fn(.importValue("Network-dev:Vpc")))
        #expect(service.resources["Logs"]?["Properties"]?["KmsKeyId"] == .fn(.importValue("Network-dev:Key:Arn")))
        #expect(service.outputs["VpcOfService"]?["Value"] == .fn(.importValue("Network-dev:Vpc")))
        // The producer exports each value once, sorted by export name, named for the consumers.
        let network = syntheses[0].template
        #expect(network.outputs.keys == ["ExportKeyArn", "ExportVpc"])
        #expect(network.outputs["ExportVpc"] == [
            "Description": "Imported by Service-dev",
            "Value": .fn(.ref("Vpc")),
            "Export": ["Name": "Network-dev:Vpc"],
        ])
        #expect(network.outputs["ExportKeyArn"]?["Value"] == .fn(.getAtt("Key", "Arn")))
        // One stack synthesized alone gets the same exports (it asks the app who imports).
        #expect(stacks.network.synthesize().template == network)
        #expect(try stacks.network.synthesize().render(.json).text == syntheses[0].render(.json).text)
    }

    @Test func theDeployOrderPutsProducersFirst() {
        let app = App(schemas: .empty)
        let service = app.stack("Service")
        let data = app.stack("Data")
        let network = app.stack("Network")
        let bucket = data.add("Bucket", RawResource(type: "AWS::S3::Bucket"))
        let vpc = network.add("Vpc", RawResource(type: "AWS::EC2::VPC"))
        service.output("B", bucket.ref)
        data.output("V", vpc.ref)
        #expect(app.deployOrder().map(\.name) == ["Network", "Data", "Service"])
        let plan = app.crossStackPlan()
        #expect(plan.dependencies(of: "Service") == ["Data"])
        #expect(plan.dependencies(of: "Data") == ["Network"])
        #expect(plan.dependencies(of: "Network") == [])
        #expect(plan.cycles(among: app.stacks.map(\.name)) == [])
    }

    @Test func aCycleBetweenStacksIsAnErrorWithTheChain() {
        let app = App(schemas: .empty)
        let a = app.stack("A")
        let b = app.stack("B")
        let c = app.stack("C")
        let topicA = a.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let topicB = b.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let topicC = c.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        a.output("FromB", topicB.ref)
        b.output("FromC", topicC.ref)
        c.output("FromA", topicA.ref)
        // A imports from B, B from C, C from A.
        for stack in [a, b, c] {
            let found = stack.synthesize().diagnostics.map(\.description)
            #expect(found == ["error FM1108 \(stack.name): stacks A → B → C → A import from each other in a cycle: none of them can be deployed first; move what they share into a stack of its own"],
                    "\(found)")
        }
        #expect(app.crossStackPlan().cycles(among: ["A", "B", "C"]) == [["A", "B", "C", "A"]])
        // The order still lists every stack once.
        #expect(app.deployOrder().map(\.name).sorted() == ["A", "B", "C"])
    }

    @Test func otherRegionsAreAnErrorThatOffersSSM() {
        let stacks = TwoStacks(serviceRegions: ["eu-west-1"])
        let found = stacks.service.synthesize().diagnostics.map(\.description)
        #expect(found.count == 3)
        #expect(found.first == "error FM1108 Service-dev/Group: {\"Ref\": \"Vpc\"} of Network-dev/Vpc (regions us-east-1) is used in Service-dev (regions eu-west-1): an export can be imported only in its own account and region; across regions, write the value to an SSM parameter in the producer's region and read it with a custom resource or at deploy time")
    }

    /// An export is visible in its own account only: stacks in two accounts, or one in an
    /// account and one left to the deploying credentials, cannot share it. One account is fine.
    @Test func otherAccountsAreAnError() {
        let split = TwoStacks(networkAccount: "111111111111", serviceAccount: "222222222222")
        let found = split.service.synthesize().diagnostics.map(\.description)
        #expect(found.count == 3)
        #expect(found.first == "error FM1108 Service-dev/Group: {\"Ref\": \"Vpc\"} of Network-dev/Vpc (account 111111111111) is used in Service-dev (account 222222222222): an export can be imported only in its own account and region; give both stacks the same account, or share the value through a parameter or an SSM parameter the consumer's account can read")
        let half = TwoStacks(networkAccount: "111111111111")
        #expect(half.service.synthesize().diagnostics.first?.description.contains("(account 111111111111) is used in Service-dev (no account (the deploying credentials')") == true)
        let same = TwoStacks(networkAccount: "111111111111", serviceAccount: "111111111111")
        for synthesis in same.app.synthesize() {
            #expect(synthesis.diagnostics.isEmpty, "\(synthesis.stackName): \(synthesis.diagnostics)")
        }
    }

    /// An account is 12 digits (FM1122, on the stack).
    @Test func anAccountThatIsNotTwelveDigitsIsAnError() {
        let app = App(schemas: .empty)
        let stack = app.stack("Network-dev", account: "1234-5678-9012")
        stack.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM1122 Network-dev: stack Network-dev deploys to account \"1234-5678-9012\", which is not an AWS account ID: it must be 12 digits",
        ])
    }

    @Test func exportNamesThatClashOrAreTooLongAreErrors() {
        let app = App(schemas: .empty)
        let producer = app.stack("Producer")
        producer.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        // A declared output already exports the name a consumer's import needs.
        producer.output("Mine", Value<String>.token(Token(.ref("Topic"), stackName: "Producer")), exportName: "Producer:Topic")
        let consumer = app.stack("Consumer")
        consumer.output("T", Value<String>.token(Token(.ref("Topic"), stackName: "Producer")))
        #expect(producer.synthesize().diagnostics.map(\.description) == [
            "error FM1108 Producer/Outputs/ExportTopic: export name Producer:Topic, used for Consumer, is already declared by an output of Producer; rename that export",
        ])

        let longApp = App(schemas: .empty)
        let longName = "P" + String(repeating: "x", count: 127)
        let long = longApp.stack(longName)
        let logicalID = "T" + String(repeating: "y", count: 130)
        long.add("Topic", RawResource(type: "AWS::SNS::Topic"), logicalID: logicalID)
        longApp.stack("C").output("T", Value<String>.token(Token(.ref(logicalID), stackName: longName)))
        let found = long.synthesize().diagnostics.map(\.description)
        #expect(found.count == 1 && found[0].contains("is 260 characters; CloudFormation allows 255"), "\(found)")
    }

    @Test func exportNamesAreDeterministicAndReadable() {
        #expect(CrossStack.exportName(Token(.ref("Vpc"), stackName: "Net")) == "Net:Vpc")
        #expect(CrossStack.exportName(Token(.getAtt("Db", "Endpoint.Address"), stackName: "Data")) == "Data:Db:Endpoint-Address")
        let sub = Token(.sub("${Vpc}-x", nil), stackName: "Net")
        #expect(CrossStack.exportName(sub) == CrossStack.exportName(sub))
        #expect(CrossStack.exportName(sub).hasPrefix("Net:Value-") && CrossStack.exportName(sub).count == "Net:Value-".count + 16)
        #expect(CrossStack.exportName(sub) != CrossStack.exportName(Token(.sub("${Vpc}-y", nil), stackName: "Net")))
        #expect(CrossStack.outputName(exportName: "Data:Db:Endpoint-Address") == "ExportDbEndpointAddress")
    }

    @Test func anAppOfOneStackHasNoPlan() {
        let app = App(schemas: .empty)
        let only = app.stack("Only")
        only.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        #expect(app.crossStackPlan().imports.isEmpty)
        #expect(app.deployOrder().map(\.name) == ["Only"])
    }
}
