import Testing
import Formation
import FormationResources

/// Resources typed by the FormationTypes build plugin from this target's formation-types.txt:
/// they compile, encode as the schema spells them, validate against the registry like any other
/// type, and sit beside FormationResources' built-in types.
@Suite struct TypedServicesTests {
    /// Five services' types, generated at build time, in one stack with a built-in type.
    @Test func generatedTypesSynthesize() throws {
        let app = App()
        let stack = app.stack("Orders-dev")
        let bucket = stack.add("Archive", S3.Bucket())
        let dlq = stack.add("DeadLetters", SQS.Queue(messageRetentionPeriod: 1_209_600))
        let queue = stack.add("Orders", SQS.Queue(delaySeconds: 5, sqsManagedSseEnabled: true, visibilityTimeout: 60))
        stack.add("OrdersPolicy", SQS.QueuePolicy(
            policyDocument: ["Version": "2012-10-17", "Statement": []],
            queues: [queue.queueUrl]))
        let table = stack.add("OrdersTable", DynamoDB.Table(
            keySchema: [["AttributeName": "orderId", "KeyType": "HASH"]],
            attributeDefinitions: [.init(attributeName: "orderId", attributeType: .s)],
            billingMode: .payPerRequest))
        let api = stack.add("Api", ApiGateway.RestApi(name: "orders-dev"))
        let bus = stack.add("Bus", Events.EventBus(name: "orders-dev"))
        stack.add("DatabaseSubnets", RDS.DBSubnetGroup(
            dbSubnetGroupDescription: "orders",
            subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]))
        stack.output("DeadLetterArn", dlq.arn)
        stack.output("TableStream", table.streamArn)
        stack.output("ApiRoot", api.rootResourceId)
        stack.output("BusArn", bus.arn)
        stack.output("BucketArn", bucket.arn)

        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.map(\.description) == [])
        let resources = synthesis.template.resources
        #expect(resources.keys == ["Archive", "DeadLetters", "Orders", "OrdersPolicy", "OrdersTable", "Api", "Bus", "DatabaseSubnets"])
        #expect(resources["Orders"] == ["Type": "AWS::SQS::Queue", "Properties": ["DelaySeconds": 5, "SqsManagedSseEnabled": true, "VisibilityTimeout": 60]])
        #expect(resources["OrdersPolicy"]?.mapValue?["Properties"]?.mapValue?["Queues"] == [.fn(.getAtt("Orders", "QueueUrl"))])
        #expect(resources["OrdersTable"]?.mapValue?["Properties"] == [
            "AttributeDefinitions": [["AttributeName": "orderId", "AttributeType": "S"]],
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [["AttributeName": "orderId", "KeyType": "HASH"]],
        ])
        #expect(resources["DatabaseSubnets"]?.mapValue?["Type"] == "AWS::RDS::DBSubnetGroup")
        #expect(synthesis.template.outputs["TableStream"]?.mapValue?["Value"] == .fn(.getAtt("OrdersTable", "StreamArn")))
        #expect(synthesis.template.outputs["ApiRoot"]?.mapValue?["Value"] == .fn(.getAtt("Api", "RootResourceId")))
    }

    /// SAM's types generate from aws-sam-translator's specification like any registry type, and
    /// are legal under the SAM transform only.
    @Test func samTypesSynthesizeUnderTheTransform() throws {
        func stack(transform: Bool) -> Stack {
            let app = App()
            let stack = app.stack("Items-dev")
            if transform { stack.transform = "AWS::Serverless-2016-10-31" }
            let table = stack.add("Items", Serverless.SimpleTable(tableName: "items-dev"))
            let function = stack.add("Reader", Serverless.Function(
                codeUri: "s3://artifacts-bucket/reader.zip",
                environment: .init(variables: ["STAGE": "dev"]),
                handler: "app.handler", memorySize: 256, runtime: .python3_13, timeout: 10))
            stack.output("ReaderArn", function.arn)
            stack.output("TableName", table.ref)
            return stack
        }
        let synthesis = stack(transform: true).synthesize()
        #expect(synthesis.diagnostics.map(\.description) == [])
        #expect(synthesis.template.root["Transform"] == "AWS::Serverless-2016-10-31")
        #expect(synthesis.template.resources["Reader"] == ["Type": "AWS::Serverless::Function", "Properties": [
            "CodeUri": "s3://artifacts-bucket/reader.zip", "Environment": ["Variables": ["STAGE": "dev"]],
            "Handler": "app.handler", "MemorySize": 256, "Runtime": "python3.13", "Timeout": 10,
        ]])
        #expect(synthesis.template.outputs["ReaderArn"]?.mapValue?["Value"] == .fn(.getAtt("Reader", "Arn")))
        // Without the transform, CloudFormation has no such type.
        #expect(stack(transform: false).synthesize().diagnostics.map(\.code) == ["FM3000", "FM3000"])
    }

    /// A generated type is checked against its registry schema at synthesis like a built-in one:
    /// SQS allows a delay of at most 900 seconds.
    @Test func generatedTypesAreValidated() {
        let app = App()
        let stack = app.stack("Orders-dev")
        stack.add("Orders", SQS.Queue(delaySeconds: 901))
        let diagnostics = stack.synthesize().diagnostics.map(\.description)
        #expect(diagnostics == ["error FM3006 Orders-dev/Orders: DelaySeconds 901 is greater than maximum 900 (AWS::SQS::Queue)"])
    }

    /// `AWS::SQS::*` typed every SQS type the registry has.
    @Test func aWholeServiceIsTyped() {
        let typed: [any ResourceProperties] = [
            SQS.Queue(),
            SQS.QueuePolicy(policyDocument: [:], queues: ["https://sqs.us-east-1.amazonaws.com/123456789012/q"]),
            SQS.QueueInlinePolicy(policyDocument: [:], queue: "https://sqs.us-east-1.amazonaws.com/123456789012/q"),
        ]
        let registry = SchemaRegistry.bundled.typeNames.filter { $0.hasPrefix("AWS::SQS::") }
        #expect(typed.map(\.resourceType).sorted() == registry)
    }
}
