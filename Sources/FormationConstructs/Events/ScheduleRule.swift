import Formation
import FormationResources

/// An EventBridge rule that invokes a Lambda function on a schedule, with the
/// `AWS::Lambda::Permission` that lets `events.amazonaws.com` invoke it **from this rule only**
/// (`SourceArn` is the rule's ARN).
///
/// A literal schedule is checked against EventBridge's grammar (``ScheduleExpression``) and an
/// invalid one is a synthesis error; a schedule from a parameter is checked by the parameter's
/// `AllowedPattern` at deploy time — check its default with ``ScheduleExpression/init(_:)`` too.
public struct ScheduleRule {
    /// The construct node.
    public let node: Construct
    /// The rule.
    public let rule: Resource<Events.Rule>
    /// The permission for EventBridge to invoke the function.
    public let permission: Resource<Lambda.Permission>

    /// A rule under `scope` running `function` on `schedule`; `targetId` names the target in the rule.
    public init(in scope: Construct, _ id: String, schedule: Value<String>, function: PythonFunction,
                targetId: String = "Function", description: String? = nil, name: Value<String>? = nil) {
        node = scope.node(id)
        if case .literal(let text) = schedule {
            do {
                _ = try ScheduleExpression(text)
            } catch {
                node.stack.report(.error(ConstructDiagnosticCode.invalidSchedule, path: node.path + "/Default",
                                         property: "ScheduleExpression", "ScheduleExpression: \(error)"))
            }
        }
        rule = node.add("Default", Events.Rule(
            description: description.map { .literal($0) },
            name: name,
            scheduleExpression: schedule,
            state: .literal(.enabled),
            targets: .literal([Events.Rule.Target(arn: function.arn, id: .literal(targetId))])))
        permission = node.add("InvokePermission", Lambda.Permission(
            action: "lambda:InvokeFunction",
            functionName: function.arn,
            principal: "events.amazonaws.com",
            sourceArn: rule.arn))
    }

    /// The rule's ARN.
    public var arn: Value<String> { rule.arn }
}
