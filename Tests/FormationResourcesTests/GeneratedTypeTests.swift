import Testing
import Formation
@testable import FormationResources
import Stacks
import FormationCodegen

/// The generated Swift API: enums, encoding, attributes, the bundled registry.
@Suite struct GeneratedTypeTests {
    /// Every case of every generated enum encodes to its raw value and reads back from it.
    @Test func enumsRoundTrip() throws {
        // The catalog must list every generated enum: count them in the generated sources.
        let directory = packageRoot() + "/Sources/FormationResources/Generated"
        var declaredEnums = 0
        var declaredCases = 0
        for name in try FileSystem.list(directory) where name.hasSuffix(".swift") {
            for line in try TextFile.read(directory + "/" + name).split(separator: "\n") {
                if line.contains(": String, TemplateEnum {") { declaredEnums += 1 }
                if line.hasPrefix("        case ") && line.contains(" = \"") { declaredCases += 1 }
            }
        }
        #expect(declaredEnums > 100)
        #expect(GeneratedCatalog.enumTypes.count == declaredEnums)
        var cases = 0
        func check<E: TemplateEnum>(_ type: E.Type) {
            var raws = Set<String>()
            for item in E.allCases {
                cases += 1
                let encoded = item.encode(EncodingContext())
                #expect(encoded == .string(item.rawValue), "\(E.self).\(item)")
                #expect(E(rawValue: item.rawValue) == item, "\(E.self).\(item)")
                #expect(raws.insert(item.rawValue).inserted, "\(E.self) repeats \(item.rawValue)")
                // The same case through Value<E>, as typed properties hold it.
                #expect(Value<E>.literal(item).encode(EncodingContext()) == .string(item.rawValue))
            }
        }
        for type in GeneratedCatalog.enumTypes {
            check(type)
        }
        #expect(cases == declaredCases)
    }

    /// `.none` would mean `nil` where an optional value is expected, so the schema's `NONE` is
    /// `.noneValue`.
    @Test func noneIsNotOptionalNone() {
        let filter = Bedrock.Guardrail.ContentFilterConfig(inputStrength: .high, outputStrength: .noneValue, type: .promptAttack)
        #expect(filter.encode(EncodingContext()) == ["InputStrength": "HIGH", "OutputStrength": "NONE", "Type": "PROMPT_ATTACK"])
    }

    @Test func typedPropertiesEncodeInSchemaOrderWithOnlyPresentMembers() {
        let runtime = BedrockAgentCore.Runtime(
            agentRuntimeArtifact: .init(containerConfiguration: .init(containerUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest")),
            agentRuntimeName: "customerServiceAgent_dev",
            roleArn: "arn:aws:iam::123456789012:role/agent",
            environmentVariables: ["REGION": AWS.region, "ENVIRONMENT": "dev"],
            lifecycleConfiguration: .init(idleRuntimeSessionTimeout: 900, maxLifetime: 28800),
            networkConfiguration: .init(networkMode: .vpc, networkModeConfig: .init(securityGroups: ["sg-0123456789abcdef0"], subnets: ["subnet-0123456789abcdef0"])),
            protocolConfiguration: .http)
        let encoded = runtime.encode(EncodingContext())
        #expect(encoded.mapValue?.keys == [
            "AgentRuntimeArtifact", "AgentRuntimeName", "EnvironmentVariables", "LifecycleConfiguration",
            "NetworkConfiguration", "ProtocolConfiguration", "RoleArn",
        ])
        #expect(encoded["EnvironmentVariables"] == ["ENVIRONMENT": "dev", "REGION": .fn(.ref("AWS::Region"))])
        #expect(encoded["LifecycleConfiguration"] == ["IdleRuntimeSessionTimeout": 900, "MaxLifetime": 28800])
        #expect(encoded["ProtocolConfiguration"] == "HTTP")
        #expect(runtime.resourceType == "AWS::BedrockAgentCore::Runtime")
        #expect(SchemaRegistry.bundled.schema(for: runtime.resourceType)?.validate(encoded.mapValue ?? [:]).isEmpty == true)
    }

    @Test func typedAttributes() {
        let app = App(schemas: .bundled)
        let stack = app.stack("Attributes-dev")
        let key = stack.add("Key", KMS.Key(enableKeyRotation: true))
        let cache = stack.add("Cache", ElastiCache.ReplicationGroup(replicationGroupDescription: "cache"))
        let group = stack.add("Sg", EC2.SecurityGroup(groupDescription: "sg", vpcId: "vpc-1"))
        let endpoint = stack.add("Endpoint", EC2.VPCEndpoint(vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3"))
        #expect(key.arn == .token(Token(.getAtt("Key", "Arn"), stackName: "Attributes-dev")))
        #expect(cache.primaryEndPointAddress.json == .fn(.getAtt("Cache", "PrimaryEndPoint.Address")))
        #expect(cache.readEndPointAddressesList.json == .fn(.getAtt("Cache", "ReadEndPoint.AddressesList")))
        #expect(group.groupId.json == .fn(.getAtt("Sg", "GroupId")))
        #expect(group.idAttribute.json == .fn(.getAtt("Sg", "Id")))  // `id` is the construct id
        #expect(endpoint.dnsEntries.json == .fn(.getAtt("Endpoint", "DnsEntries")))
        #expect(SchemaRegistry.bundled.schema(for: "AWS::KMS::Key")?.attributeNames == ["Arn", "KeyId"])
        #expect(stack.synthesize().diagnostics.errors == [])
    }

    @Test func getAttOfANonexistentAttributeIsAnError() {
        let app = App(schemas: .bundled)
        let stack = app.stack("Attributes-dev")
        let key = stack.add("Key", KMS.Key(enableKeyRotation: true))
        stack.output("Bad", key.getAtt("KeyArn"))
        stack.output("Good", key.arn)
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM1103 Attributes-dev/Outputs/Bad: Value: Fn::GetAtt Key.KeyArn: AWS::KMS::Key has no attribute KeyArn (it has Arn, KeyId)",
        ])
    }

    @Test func rawResourcesOfUnlistedTypesWarn() {
        let diagnostics = rawDiagnostics("AWS::Bedrock::ModelInvocationLoggingConfiguration", [
            "LoggingConfig": ["TextDataDeliveryEnabled": true],
        ], id: "ModelInvocationLogging")
        #expect(diagnostics == [
            "warning FM3000 CustomerServiceAgentStack-dev/ModelInvocationLogging: type AWS::Bedrock::ModelInvocationLoggingConfiguration: CloudFormation deploys it, but it is not in the CloudFormation registry schemas Formation bundles; its properties are not validated",
        ])
        // Custom resources are checked as AWS::CloudFormation::CustomResource: a ServiceToken.
        #expect(rawDiagnostics("Custom::Thing", ["ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"]) == [])
    }

    @Test func rawAndTypedResourcesAreHeldToTheSameRules() {
        let typed = Logs.LogGroup(logGroupName: "/aws/bedrock-agentcore/runtimes/agent", retentionInDays: 31)
        let raw: OrderedMap = ["LogGroupName": "/aws/bedrock-agentcore/runtimes/agent", "RetentionInDays": 31]
        let app = App()
        let stack = app.stack("Same-dev")
        stack.add("Typed", typed)
        stack.add("Raw", RawResource(type: "AWS::Logs::LogGroup", properties: raw))
        let messages = stack.synthesize().diagnostics.map(\.message)
        #expect(messages.count == 2)
        #expect(Set(messages).count == 1)
        #expect(messages.first.map { String($0.prefix(19)) } == "RetentionInDays 31 ")
    }

    @Test func bundledRegistryListsEveryType() {
        #expect(SchemaRegistry.bundled.typeNames.count > 1800)
        #expect(SchemaRegistry.bundled.contains("AWS::BedrockAgentCore::Runtime"))
        #expect(!SchemaRegistry.bundled.contains("AWS::Bedrock::ModelInvocationLoggingConfiguration"))
        #expect(GeneratedCatalog.propertyTypes.count == BuiltInTypes.names.count)
        for name in BuiltInTypes.names {
            #expect(SchemaRegistry.bundled.lookup(name).schemas.count == 1, "\(name)")
        }
    }

    /// The repository's app synthesizes with one finding per stack: the invocation logging
    /// resource, whose type the registry lacks, is a warning (FM3000), never an error.
    @Test func repositoryAppSynthesizesWithOnlyTheUnschematizedTypeWarning() throws {
        let app = FormationApp.make()
        for synthesis in app.synthesize() where synthesis.stackName.hasPrefix("CustomerServiceAgentStack") {
            #expect(synthesis.diagnostics.map(\.code) == [SchemaDiagnosticCode.unknownType], "\(synthesis.stackName)")
            #expect(synthesis.diagnostics.first?.path == "\(synthesis.stackName)/ModelInvocationLogging/Default")
            let json = try synthesis.render(.json).text
            #expect(json.contains("\"KmsKeyId\": {\n          \"Fn::GetAtt\": [\n            \"LogKey\",\n            \"Arn\""))
        }
    }
}
