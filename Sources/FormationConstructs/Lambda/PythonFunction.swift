import Formation
import FormationAssets
import FormationResources

/// A Python 3.12 Lambda function whose code is an asset packaged from the repository, with its
/// own role (trusted by `lambda.amazonaws.com`, allowed to write to its own log group only) and
/// log group with retention.
///
/// Code small enough to inline is written as `Code.ZipFile`; anything else is a deterministic zip
/// named by its content hash, registered as a stack asset (written beside the template by
/// `formation synth --out`) and referred to through the stack's `AssetBucket` parameter and the
/// content-hash key, so the same bytes in give the same template out.
public struct PythonFunction {
    /// Network placement for functions that run in a VPC.
    public struct Network {
        public var securityGroup: SecurityGroup
        public var subnetIds: Value<[Value<String>]>

        public init(securityGroup: SecurityGroup, subnetIds: Value<[Value<String>]>) {
            self.securityGroup = securityGroup
            self.subnetIds = subnetIds
        }
    }

    /// The name of the stack parameter holding the bucket zipped code is uploaded to.
    public static let assetBucketParameter = StackAsset.bucketParameter

    /// The construct node.
    public let node: Construct
    /// The function.
    public let function: Resource<Lambda.Function>
    /// The function's role.
    public let role: Role
    /// The function's log group.
    public let logGroup: Resource<Logs.LogGroup>
    /// The function's timeout, in seconds.
    public let timeoutSeconds: Int

    public init(
        in scope: Construct, _ id: String,
        functionName: String,
        description: String? = nil,
        asset: Asset,
        handler: String,
        environment: [String: Value<String>] = [:],
        memorySize: Int = 256,
        timeoutSeconds: Int = 30,
        logRetentionDays: Int,
        network: Network? = nil,
        assetBucket: Value<String>? = nil
    ) {
        node = scope.node(id)
        self.timeoutSeconds = timeoutSeconds
        logGroup = LogGroup.add(in: node, "Logs", name: .literal("/aws/lambda/\(functionName)"), retentionDays: logRetentionDays)
        role = Role(in: node, "Role", assumedBy: .service("lambda.amazonaws.com"), description: "Execution role of \(functionName)")
        role.grantLogWriting(to: logGroup)
        if network != nil {
            // Lambda manages the function's VPC network interfaces with its role. These four
            // actions accept EC2 ARNs (network interface, subnet, security group): scoped to this
            // account and region, as Lambda's documentation writes them ("arn:aws:ec2:<region>:<account>:*/*").
            role.grant(.allow(
                ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                 "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                on: ["arn:\(AWS.partition):ec2:\(AWS.region):\(AWS.accountId):*/*"],
                sid: "VpcNetworkInterfaces"))
            role.grant(.allowOnAnyResource(
                ["ec2:DescribeNetworkInterfaces"],
                because: "a List action with no resource types: Lambda's documentation says it works only on \"*\"",
                sid: "DescribeVpcNetworkInterfaces"))
        }

        let code: Lambda.Function.Code
        switch asset.code {
        case .inline(let inline):
            code = .init(zipFile: .literal(inline.source))
        case .zip(let zip):
            node.stack.addAsset(StackAsset(fileName: zip.fileName, bytes: zip.bytes))
            code = .init(s3Bucket: assetBucket ?? PythonFunction.bucket(in: node.stack), s3Key: .literal(zip.s3Key()))
        }
        function = node.add("Default", Lambda.Function(
            code: code,
            role: role.arn,
            description: description.map { .literal($0) },
            environment: environment.isEmpty ? nil : .init(variables: .literal(environment)),
            functionName: .literal(functionName),
            handler: .literal(handler),
            loggingConfig: .init(logGroup: logGroup.ref),
            memorySize: .literal(memorySize),
            runtime: .literal(.python3_12),
            timeout: .literal(timeoutSeconds),
            vpcConfig: network.map { .init(securityGroupIds: .literal([$0.securityGroup.groupId]), subnetIds: $0.subnetIds) }))
    }

    /// The function's ARN.
    public var arn: Value<String> { function.arn }
    /// The function's name (`Ref`).
    public var name: Value<String> { function.ref }

    /// An alarm (`<id>/ErrorsAlarm`) when the function fails: the `AWS/Lambda` `Errors` sum over
    /// `period` seconds reaches `threshold` (default: any error), notifying `topics`.
    @discardableResult
    public func alarmOnErrors(name: Value<String>? = nil, threshold: Double = 1, period: Int = 300,
                              notify topics: [Value<String>]) -> Resource<CloudWatch.Alarm> {
        MetricAlarm.add(in: node, "ErrorsAlarm", name: name,
                        description: "The function reported errors (failed invocations)",
                        metric: Metric(namespace: "AWS/Lambda", name: "Errors", dimensions: [("FunctionName", self.name)],
                                       aggregation: .sum, period: period),
                        threshold: threshold, evaluationPeriods: 1, comparison: .greaterThanOrEqualToThreshold,
                        treatMissingData: .notBreaching, notify: topics)
    }

    /// An alarm (`<id>/DurationAlarm`) when the function's p99 duration over `period` seconds
    /// comes near its timeout — above `fractionOfTimeout` of it (default 80 %) for
    /// `evaluationPeriods` periods — notifying `topics`: invocations are about to time out.
    @discardableResult
    public func alarmOnDuration(name: Value<String>? = nil, fractionOfTimeout: Double = 0.8, period: Int = 300,
                                evaluationPeriods: Int = 2, notify topics: [Value<String>]) -> Resource<CloudWatch.Alarm> {
        let threshold = (Double(timeoutSeconds) * 1000 * fractionOfTimeout).rounded()
        return MetricAlarm.add(in: node, "DurationAlarm", name: name,
                               description: "p99 duration above \(Int(threshold)) ms of the \(timeoutSeconds) s timeout: invocations are about to time out",
                               metric: Metric(namespace: "AWS/Lambda", name: "Duration", dimensions: [("FunctionName", self.name)],
                                              aggregation: .p99, period: period),
                               threshold: threshold, evaluationPeriods: evaluationPeriods, comparison: .greaterThanThreshold,
                               treatMissingData: .notBreaching, notify: topics)
    }

    /// The stack's `AssetBucket` parameter, declared on first use.
    /// `description` is the parameter's when this call declares it (the first asset's construct).
    static func bucket(in stack: Stack,
                       description: String = "S3 bucket holding this stack's code assets (the .zip files synth writes beside the template)") -> Value<String> {
        if !stack.parameterDefinitions.contains(where: { $0.name == assetBucketParameter }) {
            stack.parameter(assetBucketParameter, type: .string, description: description)
        }
        return .token(Token(.ref(assetBucketParameter), stackName: stack.name))
    }
}
