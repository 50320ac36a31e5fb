"""Checks the template the plugin test's app synthesizes (scripts/plugin-test.sh): every typed
resource is there with its type and the properties the Swift code set, references between them are
intrinsics, and the outputs read the typed attributes."""
import json
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as handle:
    template = json.load(handle)

resources = template["Resources"]
expected_types = {
    "OrdersQueue": "AWS::SQS::Queue",
    "OrdersTable": "AWS::DynamoDB::Table",
    "OrdersBus": "AWS::Events::EventBus",
    "OrdersApi": "AWS::ApiGateway::RestApi",
    "OrdersCluster": "AWS::ECS::Cluster",
    "OrdersService": "AWS::ECS::Service",
    "OrdersDatabase": "AWS::RDS::DBInstance",
    "WorkerRole": "AWS::IAM::Role",
    "Worker": "AWS::Lambda::Function",
    "WorkerQueueMapping": "AWS::Lambda::EventSourceMapping",
}
problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


expect({name: body["Type"] for name, body in resources.items()} == expected_types,
       f"resources and types: {sorted((n, b['Type']) for n, b in resources.items())}")


def props(name):
    return resources.get(name, {}).get("Properties", {})


expect(props("OrdersQueue") == {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True,
                                "VisibilityTimeout": 120}, f"queue: {props('OrdersQueue')}")
expect(props("OrdersTable").get("BillingMode") == "PAY_PER_REQUEST", f"table: {props('OrdersTable')}")
expect(props("OrdersTable").get("AttributeDefinitions") == [{"AttributeName": "orderId", "AttributeType": "S"}],
       f"table attributes: {props('OrdersTable')}")
expect(props("OrdersTable").get("KeySchema") == [{"AttributeName": "orderId", "KeyType": "HASH"}],
       f"table key: {props('OrdersTable')}")
expect(props("OrdersTable").get("PointInTimeRecoverySpecification") == {"PointInTimeRecoveryEnabled": True},
       f"table recovery: {props('OrdersTable')}")
expect(props("OrdersBus") == {"Name": "orders-dev"}, f"bus: {props('OrdersBus')}")
expect(props("OrdersApi") == {"Description": "Orders API", "EndpointConfiguration": {"Types": ["REGIONAL"]},
                              "Name": "orders-dev"}, f"api: {props('OrdersApi')}")
expect(props("OrdersService").get("Cluster") == {"Ref": "OrdersCluster"}, f"service cluster: {props('OrdersService')}")
expect(props("OrdersService").get("LaunchType") == "FARGATE", f"service launch type: {props('OrdersService')}")
expect(props("OrdersService").get("DesiredCount") == 2, f"service count: {props('OrdersService')}")
expect(props("OrdersDatabase").get("Engine") == "postgres" and props("OrdersDatabase").get("AllocatedStorage") == "20"
       and props("OrdersDatabase").get("StorageEncrypted") is True, f"database: {props('OrdersDatabase')}")
expect(props("WorkerQueueMapping") == {"FunctionName": {"Ref": "Worker"}, "BatchSize": 10,
                                       "EventSourceArn": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}},
       f"mapping: {props('WorkerQueueMapping')}")
expect(props("Worker").get("Role") == {"Fn::GetAtt": ["WorkerRole", "Arn"]}, f"function role: {props('Worker')}")

outputs = {name: body["Value"] for name, body in template.get("Outputs", {}).items()}
expect(outputs == {
    "QueueUrl": {"Fn::GetAtt": ["OrdersQueue", "QueueUrl"]},
    "TableArn": {"Fn::GetAtt": ["OrdersTable", "Arn"]},
    "BusArn": {"Fn::GetAtt": ["OrdersBus", "Arn"]},
    "ApiRootResourceId": {"Fn::GetAtt": ["OrdersApi", "RootResourceId"]},
    "ServiceArn": {"Fn::GetAtt": ["OrdersService", "ServiceArn"]},
    "DatabaseEndpoint": {"Fn::GetAtt": ["OrdersDatabase", "Endpoint.Address"]},
}, f"outputs: {outputs}")

if problems:
    for problem in problems:
        print(f"check_template: {path}: {problem}", file=sys.stderr)
    sys.exit(1)
print(f"check_template: {path}: {len(resources)} resources of {len(set(expected_types.values()))} types, "
      f"{len(outputs)} outputs as expected")
