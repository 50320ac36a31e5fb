import Formation
import FormationResources

/// A Step Functions state machine whose definition is typed data (``StateMachineDefinition``),
/// with its own role trusted by `states.amazonaws.com` in this account.
///
/// The definition is serialized by json-c into `DefinitionString` as one `Fn::Sub` (see
/// ``SubstitutedJSON``), so function ARNs stay real references. The role may invoke exactly the
/// functions the Task states name — `lambda:InvokeFunction` on those ARNs, derived from the
/// definition, nothing else. A definition Step Functions would reject is a synthesis error
/// naming the state and the rule (``ConstructDiagnosticCode/invalidStateMachine``).
public struct StateMachine {
    /// The construct node.
    public let node: Construct
    /// The state machine.
    public let resource: Resource<StepFunctions.StateMachine>
    /// The role Step Functions runs the tasks with.
    public let role: Role
    /// The definition, as written.
    public let definition: StateMachineDefinition

    /// A state machine under `scope` running `definition`, named `name` (generated when nil).
    public init(in scope: Construct, _ id: String, name: Value<String>? = nil, definition: StateMachineDefinition,
                type: StepFunctions.StateMachine.StateMachineType = .standard) {
        node = scope.node(id)
        self.definition = definition
        role = Role(in: node, "Role", assumedBy: .service("states.amazonaws.com"),
                    description: "Assumed by Step Functions: invoke the state machine's task functions",
                    trustConditions: [PolicyCondition("StringEquals", "aws:SourceAccount", [AWS.accountId])])
        let functions = definition.invokedFunctions
        if !functions.isEmpty {
            role.grant(.allow(["lambda:InvokeFunction"], on: functions, sid: "InvokeTaskFunctions"))
        }

        let path = node.path + "/Default"
        for problem in definition.problems {
            node.stack.report(.error(ConstructDiagnosticCode.invalidStateMachine, path: path, property: "DefinitionString." + problem.property,
                                     "DefinitionString.\(problem.property): \(problem.message)"))
        }
        var text: Value<String>
        do {
            text = try SubstitutedJSON.string(definition, in: node.stack)
        } catch {
            node.stack.report(.error(DiagnosticCode.unencodableValue, path: path, property: "DefinitionString",
                                     "DefinitionString: the definition cannot be written as JSON: \(error)"))
            text = ""
        }
        resource = node.add("Default", StepFunctions.StateMachine(
            roleArn: role.arn,
            definitionString: text,
            stateMachineName: name,
            stateMachineType: .literal(type)))
    }

    /// The state machine's ARN (`Ref`).
    public var arn: Value<String> { resource.ref }
    /// The state machine's name.
    /// The state machine's name (`Fn::GetAtt Name`).
    public var name: Value<String> { resource.name }
}
