import Formation
import FormationCLI
import FormationResources

/// An orders service across seven AWS services: every resource typed, six of the types generated
/// by the FormationTypes plugin from formation-types.txt, two (Lambda.Function, IAM.Role) built
/// into FormationResources.
func makeApp() -> App {
    let app = App()
    let stack = app.stack("Orders-dev", description: "Orders: typed resources from the FormationTypes plugin")

    let queue = stack.add("OrdersQueue", SQS.Queue(
        messageRetentionPeriod: 1_209_600,
        sqsManagedSseEnabled: true,
        visibilityTimeout: 120))
    let table = stack.add("OrdersTable", DynamoDB.Table(
        keySchema: [["AttributeName": "orderId", "KeyType": "HASH"]],
        attributeDefinitions: [.init(attributeName: "orderId", attributeType: .s)],
        billingMode: .payPerRequest,
        pointInTimeRecoverySpecification: .init(pointInTimeRecoveryEnabled: true)))
    let bus = stack.add("OrdersBus", Events.EventBus(name: "orders-dev"))
    let api = stack.add("OrdersApi", ApiGateway.RestApi(
        description: "Orders API",
        endpointConfiguration: .init(types: ["REGIONAL"]),
        name: "orders-dev"))
    let cluster = stack.add("OrdersCluster", ECS.Cluster(clusterName: "orders-dev"))
    let service = stack.add("OrdersService", ECS.Service(
        cluster: cluster.ref,
        desiredCount: 2,
        launchType: .fargate,
        serviceName: "orders",
        taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/orders:1"))
    let database = stack.add("OrdersDatabase", RDS.DBInstance(
        allocatedStorage: "20",
        dbInstanceClass: "db.t4g.micro",
        deletionProtection: true,
        engine: "postgres",
        manageMasterUserPassword: true,
        masterUsername: "orders",
        storageEncrypted: true))
    let role = stack.add("WorkerRole", IAM.Role(assumeRolePolicyDocument: [
        "Version": "2012-10-17",
        "Statement": [["Effect": "Allow", "Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]],
    ]))
    let worker = stack.add("Worker", Lambda.Function(
        code: .init(zipFile: "def handler(event, context):\n    return None\n"),
        role: role.arn,
        handler: "index.handler",
        runtime: .python3_12))
    stack.add("WorkerQueueMapping", Lambda.EventSourceMapping(
        functionName: worker.ref,
        batchSize: 10,
        eventSourceArn: queue.arn))

    stack.output("QueueUrl", queue.queueUrl)
    stack.output("TableArn", table.arn)
    stack.output("BusArn", bus.arn)
    stack.output("ApiRootResourceId", api.rootResourceId)
    stack.output("ServiceArn", service.serviceArn)
    stack.output("DatabaseEndpoint", database.endpointAddress)
    return app
}

FormationCLI.main(makeApp)
