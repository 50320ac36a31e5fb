import Formation

extension ConstructDiagnosticCode {
    /// A log group kept forever (no RetentionInDays).
    public static let logGroupWithoutRetention = "FM4220"
    /// A bucket without server access logging.
    public static let bucketWithoutAccessLogs = "FM4221"
    /// A load balancer without access logs.
    public static let loadBalancerWithoutAccessLogs = "FM4222"
    /// A CloudFront distribution without access logs.
    public static let distributionWithoutAccessLogs = "FM4223"
    /// An API Gateway stage without access logs.
    public static let stageWithoutAccessLogs = "FM4224"
}

/// FM4220–FM4224: log retention and access logs where the service has them.
///
/// - FM4220 (warning): `AWS::Logs::LogGroup` without `RetentionInDays` keeps every event forever.
/// - FM4221 (info): an S3 bucket without `LoggingConfiguration`. Info: server access logs are
///   best-effort and CloudTrail data events are the other way to see object access; a bucket that
///   receives access logs (another bucket's `DestinationBucketName`, or `AccessControl:
///   LogDeliveryWrite`) is not asked to log itself.
/// - FM4222 (warning): an Application Load Balancer without `access_logs.s3.enabled: true`, or a
///   Classic Load Balancer without `AccessLoggingPolicy.Enabled: true`. Network Load Balancers log
///   only TLS listeners and Gateway Load Balancers not at all: neither is checked.
/// - FM4223 (warning): a CloudFront distribution without `DistributionConfig.Logging`, unless an
///   `AWS::Logs::DeliverySource` of the template names it (standard logging v2).
/// - FM4224 (warning): an API Gateway stage (`AWS::ApiGateway::Stage`, a Deployment's own
///   `StageName`, `AWS::ApiGatewayV2::Stage`) without an access log destination.
public struct LoggingRules: TemplateRule {
    public init() {}

    static let retention = RuleInfo(ConstructDiagnosticCode.logGroupWithoutRetention, .warning, "log group without RetentionInDays (kept forever)",
        rationale: "events are stored and billed forever, and kept past any retention period the data is subject to",
        fix: "set RetentionInDays to what the logs are needed for (e.g. 30, 90, 365)")
    static let bucketLogs = RuleInfo(ConstructDiagnosticCode.bucketWithoutAccessLogs, .info, "bucket without server access logging",
        rationale: "without access logs (or CloudTrail data events) nobody can tell who read or changed an object",
        fix: "set LoggingConfiguration: {DestinationBucketName: a log bucket}, or record S3 data events in CloudTrail")
    static let balancerLogs = RuleInfo(ConstructDiagnosticCode.loadBalancerWithoutAccessLogs, .warning, "load balancer without access logs",
        rationale: "requests to the load balancer leave no record for incident response",
        fix: "ALB: LoadBalancerAttributes access_logs.s3.enabled: \"true\" and access_logs.s3.bucket; Classic: AccessLoggingPolicy {Enabled: true, S3BucketName}")
    static let distributionLogs = RuleInfo(ConstructDiagnosticCode.distributionWithoutAccessLogs, .warning, "CloudFront distribution without access logs",
        rationale: "viewer requests leave no record for incident response or abuse analysis",
        fix: "set DistributionConfig.Logging {Bucket, Prefix}, or add an AWS::Logs::DeliverySource for the distribution (standard logging v2)")
    static let stageLogs = RuleInfo(ConstructDiagnosticCode.stageWithoutAccessLogs, .warning, "API Gateway stage without access logs",
        rationale: "API calls leave no record of caller, path and status for incident response",
        fix: "REST: AccessLogSetting {DestinationArn: a log group ARN, Format}; HTTP/WebSocket: AccessLogSettings {DestinationArn, Format}")

    public var catalog: [RuleInfo] { [Self.retention, Self.bucketLogs, Self.balancerLogs, Self.distributionLogs, Self.stageLogs] }

    static let types: Set<String> = [
        "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::CloudFront::Distribution", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment", "AWS::ApiGatewayV2::Stage",
        "AWS::Logs::DeliverySource",
    ]

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        let resources = RuleSupport.resources(template, Self.types)
        // Buckets that receive access logs, and distributions with a v2 delivery source.
        var logBuckets: Set<String> = []
        var deliveredFrom: Set<String> = []
        for resource in resources {
            if resource.type == "AWS::S3::Bucket", let target = RuleSupport.resourceNamed(by: resource.properties["LoggingConfiguration"]?["DestinationBucketName"]) {
                logBuckets.insert(target)
            }
            if resource.type == "AWS::Logs::DeliverySource", let source = RuleSupport.resourceNamed(by: resource.properties["ResourceArn"]) {
                deliveredFrom.insert(source)
            }
        }
        var found: [Diagnostic] = []
        for resource in resources {
            let properties = resource.properties
            func report(_ rule: RuleInfo, _ property: String, _ message: String) {
                found.append(RuleSupport.finding(rule, context, resource, property: property, message))
            }
            switch resource.type ?? "" {
            case "AWS::Logs::LogGroup":
                if properties["RetentionInDays"] == nil {
                    report(Self.retention, "RetentionInDays", "RetentionInDays: absent — the log group keeps every event forever")
                }
            case "AWS::S3::Bucket":
                let receivesLogs = logBuckets.contains(resource.logicalID) || properties["AccessControl"] == "LogDeliveryWrite"
                if properties["LoggingConfiguration"] == nil && !receivesLogs {
                    report(Self.bucketLogs, "LoggingConfiguration", "LoggingConfiguration: absent — requests to the bucket are not logged")
                }
            case "AWS::ElasticLoadBalancingV2::LoadBalancer":
                let type = properties["Type"]?.stringValue ?? "application"
                guard type == "application" else { break }
                let attribute = (properties["LoadBalancerAttributes"]?.listValue ?? []).first { $0["Key"] == "access_logs.s3.enabled" }
                let enabled = attribute?["Value"]
                if !RuleSupport.isTrue(enabled) && !RuleSupport.isComputed(enabled) {
                    report(Self.balancerLogs, "LoadBalancerAttributes",
                           "LoadBalancerAttributes: access_logs.s3.enabled is \(enabled.map { $0.description } ?? "absent") — requests are not logged")
                }
            case "AWS::ElasticLoadBalancing::LoadBalancer":
                let enabled = properties["AccessLoggingPolicy"]?["Enabled"]
                if !RuleSupport.isTrue(enabled) && !RuleSupport.isComputed(enabled) {
                    report(Self.balancerLogs, "AccessLoggingPolicy", "AccessLoggingPolicy.Enabled: \(enabled.map { $0.description } ?? "absent") — requests are not logged")
                }
            case "AWS::CloudFront::Distribution":
                if properties["DistributionConfig"]?["Logging"] == nil && !deliveredFrom.contains(resource.logicalID) {
                    report(Self.distributionLogs, "DistributionConfig.Logging",
                           "DistributionConfig.Logging: absent, and no AWS::Logs::DeliverySource names the distribution — viewer requests are not logged")
                }
            case "AWS::ApiGateway::Stage":
                if !RuleSupport.isSet(properties["AccessLogSetting"]?["DestinationArn"]) {
                    report(Self.stageLogs, "AccessLogSetting", "AccessLogSetting.DestinationArn: absent — API calls are not logged")
                }
            case "AWS::ApiGateway::Deployment":
                // A deployment with StageName creates that stage itself, configured by StageDescription.
                if properties["StageName"] != nil, !RuleSupport.isSet(properties["StageDescription"]?["AccessLogSetting"]?["DestinationArn"]) {
                    report(Self.stageLogs, "StageDescription.AccessLogSetting",
                           "StageDescription.AccessLogSetting.DestinationArn: absent — the stage this deployment creates does not log API calls")
                }
            case "AWS::ApiGatewayV2::Stage":
                if !RuleSupport.isSet(properties["AccessLogSettings"]?["DestinationArn"]) {
                    report(Self.stageLogs, "AccessLogSettings", "AccessLogSettings.DestinationArn: absent — API calls are not logged")
                }
            default:
                break
            }
        }
        return found
    }
}
