import Formation

extension ConstructDiagnosticCode {
    /// A Lambda function invoked asynchronously with nowhere to send failed events.
    public static let asyncFunctionWithoutDeadLetter = "FM4504"
}

/// FM4504 (warning): a Lambda function the template has invoked **asynchronously** with no
/// dead-letter queue and no on-failure destination. After Lambda's retries such an event is
/// dropped without a trace.
///
/// "Asynchronously" is read from the template, not guessed: the function is the target of
/// something AWS documents as an asynchronous invoker —
/// an `AWS::Lambda::Permission` for `s3`, `sns`, `ses`, `events`, `logs`, `iot`, `iotevents`,
/// `codecommit`, `config` or `codepipeline`; an SNS subscription (`Protocol: lambda`); an
/// EventBridge rule or EventBridge Scheduler target; an S3 bucket notification; a CloudWatch Logs
/// subscription filter; or a SAM event of those kinds. Functions called synchronously (API
/// Gateway, a load balancer, Step Functions, SDK calls) or by a poller (SQS, Kinesis, DynamoDB
/// streams: their failures go to the event source mapping's own destination) are not asked for a
/// dead-letter queue, and a function whose invoker the template does not show is not flagged.
///
/// Handled means `DeadLetterConfig.TargetArn` on the function, an `AWS::Lambda::EventInvokeConfig`
/// naming it with `DestinationConfig.OnFailure`, or SAM's `DeadLetterQueue` /
/// `EventInvokeConfig.DestinationConfig.OnFailure`.
public struct LambdaDeadLetterRule: TemplateRule {
    public init() {}

    static let rule = RuleInfo(ConstructDiagnosticCode.asyncFunctionWithoutDeadLetter, .warning, "asynchronously invoked Lambda function without a dead-letter queue or on-failure destination",
        rationale: "an event that still fails after Lambda's two retries (or is older than six hours) is dropped without a trace",
        fix: "set DeadLetterConfig.TargetArn (an SQS queue or SNS topic), or add an AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure")

    public var catalog: [RuleInfo] { [Self.rule] }

    /// Services AWS documents as invoking Lambda asynchronously, by their service principal.
    static let asyncPrincipals: Set<String> = [
        "s3.amazonaws.com", "sns.amazonaws.com", "ses.amazonaws.com", "events.amazonaws.com", "logs.amazonaws.com", "iot.amazonaws.com",
        "iotevents.amazonaws.com", "codecommit.amazonaws.com", "config.amazonaws.com", "codepipeline.amazonaws.com",
    ]
    /// SAM event types whose source invokes asynchronously.
    static let asyncSAMEvents: Set<String> = ["S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2", "CloudWatchLogs", "IoTRule"]

    public func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
        // Logical ID of function → what invokes it asynchronously (the first one found).
        var invokedBy: [String: String] = [:]
        var handled: Set<String> = []
        func invoked(_ value: TemplateValue?, _ by: String) {
            if let id = RuleSupport.resourceNamed(by: value), invokedBy[id] == nil { invokedBy[id] = by }
        }
        for entry in template.resources.entries {
            guard case .map(let body) = entry.value, case .string(let type)? = body["Type"] else { continue }
            let properties = body["Properties"]
            let source = "\(entry.key) (\(type))"
            switch type {
            case "AWS::Lambda::Permission":
                if let principal = properties?["Principal"]?.stringValue, Self.asyncPrincipals.contains(principal) {
                    invoked(properties?["FunctionName"], "\(entry.key) (a permission for \(principal))")
                }
            case "AWS::SNS::Subscription":
                if properties?["Protocol"] == "lambda" { invoked(properties?["Endpoint"], source) }
            case "AWS::SNS::Topic":
                for subscription in properties?["Subscription"]?.listValue ?? [] where subscription["Protocol"] == "lambda" {
                    invoked(subscription["Endpoint"], source)
                }
            case "AWS::Events::Rule":
                for target in properties?["Targets"]?.listValue ?? [] { invoked(target["Arn"], source) }
            case "AWS::Scheduler::Schedule":
                invoked(properties?["Target"]?["Arn"], source)
            case "AWS::S3::Bucket":
                for notification in properties?["NotificationConfiguration"]?["LambdaConfigurations"]?.listValue ?? [] {
                    invoked(notification["Function"], source)
                }
            case "AWS::Logs::SubscriptionFilter":
                invoked(properties?["DestinationArn"], source)
            case "AWS::Lambda::EventInvokeConfig":
                if RuleSupport.isSet(properties?["DestinationConfig"]?["OnFailure"]?["Destination"]),
                   let function = RuleSupport.resourceNamed(by: properties?["FunctionName"]) {
                    handled.insert(function)
                }
            case "AWS::Serverless::Function":
                for event in properties?["Events"]?.mapValue?.entries ?? [] {
                    if let kind = event.value["Type"]?.stringValue, Self.asyncSAMEvents.contains(kind), invokedBy[entry.key] == nil {
                        invokedBy[entry.key] = "its \(kind) event \(event.key)"
                    }
                }
            default:
                break
            }
        }
        var found: [Diagnostic] = []
        for function in RuleSupport.resources(template, ["AWS::Lambda::Function", "AWS::Serverless::Function"]) {
            guard let by = invokedBy[function.logicalID], !handled.contains(function.logicalID) else { continue }
            let properties = function.properties
            let hasDeadLetter = function.type == "AWS::Lambda::Function"
                ? RuleSupport.isSet(properties["DeadLetterConfig"]?["TargetArn"])
                : properties["DeadLetterQueue"] != nil || properties["EventInvokeConfig"]?["DestinationConfig"]?["OnFailure"] != nil
            if !hasDeadLetter {
                let property = function.type == "AWS::Lambda::Function" ? "DeadLetterConfig" : "DeadLetterQueue"
                found.append(RuleSupport.finding(Self.rule, context, function, property: property,
                                                 "\(property): absent — invoked asynchronously by \(by), and no on-failure destination; events that keep failing are dropped"))
            }
        }
        return found
    }
}
