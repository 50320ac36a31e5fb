import FormationConstructs

/// The benchmark's generated app: the same resources, properties and references as
/// `bench/troposphere_app.py` builds with troposphere, so the two tools do the same work.
///
/// Each unit of five resources is a realistic serverless slice: a log group, an IAM role whose
/// inline policy names that log group, a Lambda function using the role, an SSM parameter holding
/// the function's ARN, and an alarm on the function's errors. Units are spread over stacks of at
/// most 500 resources.
enum GeneratedApp {
    static let perStack = 500
    static let perUnit = 5
    static let handler = "def handler(event, context):\n    return {'ok': True}\n"

    /// An app of `resources` resources (rounded down to whole units).
    static func make(resources: Int) -> App {
        let app = App(schemas: .bundled)
        let units = resources / perUnit
        let unitsPerStack = perStack / perUnit
        var first = 0
        while first < units {
            addStack(to: app, firstUnit: first, units: min(unitsPerStack, units - first))
            first += unitsPerStack
        }
        return app
    }

    static func addStack(to app: App, firstUnit: Int, units: Int) {
        let stack = app.stack("Bench\(firstUnit / (perStack / perUnit))",
                              description: "Generated benchmark stack from unit \(firstUnit)")
        for unit in firstUnit..<(firstUnit + units) {
            let group = stack.add("Logs\(unit)", Logs.LogGroup(logGroupName: .literal("/aws/lambda/bench-fn-\(unit)"), retentionInDays: 30))
            let role = stack.add("Role\(unit)", IAM.Role(
                assumeRolePolicyDocument: [
                    "Version": "2012-10-17",
                    "Statement": [["Effect": "Allow", "Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]],
                ],
                policies: [IAM.Role.Policy(policyDocument: [
                    "Version": "2012-10-17",
                    "Statement": [["Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": group.arn.json]],
                ], policyName: "logs")]))
            let function = stack.add("Function\(unit)", Lambda.Function(
                code: .init(zipFile: .literal(handler)),
                role: role.arn,
                environment: .init(variables: ["LOG_GROUP": group.ref, "UNIT": .literal(String(unit))]),
                functionName: .literal("bench-fn-\(unit)"),
                handler: "index.handler",
                memorySize: 256,
                runtime: .literal(.python3_12),
                timeout: 30))
            stack.add("FunctionArn\(unit)", SSM.Parameter(
                type: .literal(.string), value: function.arn, name: .literal("/bench/functions/\(unit)/arn")))
            stack.add("Errors\(unit)", CloudWatch.Alarm(
                alarmName: "\(AWS.stackName)-errors-\(unit)",
                comparisonOperator: .literal(.greaterThanOrEqualToThreshold),
                dimensions: [CloudWatch.Alarm.Dimension(name: "FunctionName", value: function.ref)],
                evaluationPeriods: 1,
                metricName: "Errors",
                namespace: "AWS/Lambda",
                period: 300,
                statistic: .literal(.sum),
                threshold: 1,
                treatMissingData: .literal(.notBreaching)))
        }
    }
}
