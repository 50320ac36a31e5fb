import Formation

/// A Step Functions state machine definition in the Amazon States Language, as typed data: the
/// subset workflows of Lambda tasks need (Task, Pass, Succeed and Fail states; Retry and Catch;
/// Next and End).
///
/// Function ARNs are tokens (`function.arn`), so the serialized definition refers to the real
/// resources (`${Analyzer.Arn}` inside one `Fn::Sub`) and CloudFormation orders the deployment.
/// ``problems`` finds what Step Functions would reject at deploy time — a `StartAt` or `Next`
/// naming no state, a duplicate or over-long state name, an unreachable state, a retrier with
/// impossible numbers — so ``StateMachine`` can report it at synthesis.
///
/// ```swift
/// let definition = StateMachineDefinition.sequence(comment: "analyze, open the PR, notify", [
///     ("Analyze", .init(.lambdaInvoke(analyzer.arn), retry: [.lambdaServiceErrors])),
///     ("CreatePullRequest", .init(.lambdaInvoke(updater.arn), retry: [.lambdaServiceErrors])),
///     ("Notify", .init(.lambdaInvoke(notifier.arn), retry: [.lambdaServiceErrors])),
/// ])
/// ```
public struct StateMachineDefinition: TemplateEncodable {
    /// One named state, in the order written.
    public struct NamedState: Sendable {
        /// The state's name (its key under `States`, and what `Next` names).
        public var name: String
        /// The state.
        public var state: State

        /// The state `state` named `name`.
        public init(_ name: String, _ state: State) {
            self.name = name
            self.state = state
        }
    }

    /// What the execution does after a state.
    public enum Transition: Sendable, Hashable {
        /// Continue with the named state.
        case next(String)
        /// The execution ends with this state's output.
        case end
    }

    /// One state.
    public enum State: Sendable {
        /// Runs a task (a Lambda function).
        case task(TaskState)
        /// Passes its input on, or a fixed result.
        case pass(PassState)
        /// Ends the execution successfully.
        case succeed(comment: String?)
        /// Ends the execution as failed, with an error name and a cause.
        case fail(error: String, cause: String)
    }

    /// What a Task state runs.
    public enum TaskResource: Sendable {
        /// The optimized Lambda integration (`arn:<partition>:states:::lambda:invoke`): the state's
        /// input is the payload and, unless the task sets a `resultPath`, the function's answer
        /// (`$.Payload`) is the state's output.
        case lambdaInvoke(Value<String>)
        /// The function's ARN as the resource: input in, the function's answer out.
        case lambdaFunction(Value<String>)

        /// The function the task invokes.
        public var function: Value<String> {
            switch self {
            case .lambdaInvoke(let arn), .lambdaFunction(let arn): arn
            }
        }
    }

    /// A Task state.
    public struct TaskState: Sendable {
        /// What the task runs.
        public var resource: TaskResource
        /// The state's `Comment`.
        public var comment: String?
        /// Where the result goes in the state's input (`$.analysis`); nil replaces the input.
        public var resultPath: String?
        /// Seconds before the task times out (States.Timeout).
        public var timeoutSeconds: Int?
        /// Retry rules, in order (the first matching one applies).
        public var retry: [Retrier]
        /// Catch rules, in order.
        public var catchers: [Catcher]
        /// Set by ``StateMachineDefinition/sequence(comment:timeoutSeconds:_:)``, or by hand.
        public var transition: Transition

        /// A task running `resource`; it ends the execution unless given another transition.
        public init(_ resource: TaskResource, comment: String? = nil, resultPath: String? = nil, timeoutSeconds: Int? = nil,
                    retry: [Retrier] = [], catchers: [Catcher] = [], transition: Transition = .end) {
            self.resource = resource
            self.comment = comment
            self.resultPath = resultPath
            self.timeoutSeconds = timeoutSeconds
            self.retry = retry
            self.catchers = catchers
            self.transition = transition
        }
    }

    /// A Pass state.
    public struct PassState: Sendable {
        /// The state's `Comment`.
        public var comment: String?
        /// A fixed result instead of the input.
        public var result: TemplateValue?
        /// Where the result goes in the state's input; nil replaces the input.
        public var resultPath: String?
        /// What follows the state.
        public var transition: Transition

        /// A Pass state; it ends the execution unless given another transition.
        public init(comment: String? = nil, result: TemplateValue? = nil, resultPath: String? = nil, transition: Transition = .end) {
            self.comment = comment
            self.result = result
            self.resultPath = resultPath
            self.transition = transition
        }
    }

    /// A Retry rule of a Task state.
    public struct Retrier: Sendable, Hashable {
        /// The error names this rule retries (`States.ALL` for any, alone and last).
        public var errorEquals: [String]
        /// Seconds before the first retry (at least 1).
        public var intervalSeconds: Int
        /// Retries at most (0 means none).
        public var maxAttempts: Int
        /// The factor the interval grows by on each retry (at least 1.0).
        public var backoffRate: Double

        /// A retry rule for `errorEquals`.
        public init(errorEquals: [String], intervalSeconds: Int = 1, maxAttempts: Int = 3, backoffRate: Double = 2) {
            self.errorEquals = errorEquals
            self.intervalSeconds = intervalSeconds
            self.maxAttempts = maxAttempts
            self.backoffRate = backoffRate
        }

        /// The transient Lambda service errors AWS recommends retrying for `lambda:invoke` tasks.
        public static let lambdaServiceErrors = Retrier(
            errorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                          "Lambda.TooManyRequestsException"],
            intervalSeconds: 2, maxAttempts: 3, backoffRate: 2)
    }

    /// A Catch rule of a Task state: on a matching error, continue with `next`.
    public struct Catcher: Sendable, Hashable {
        /// The error names this rule catches (`States.ALL` for any, alone and last).
        public var errorEquals: [String]
        /// The state to continue with.
        public var next: String
        /// Where the error goes in the state's input; nil replaces the input with the error.
        public var resultPath: String?

        /// A catch rule sending `errorEquals` to `next`.
        public init(errorEquals: [String], next: String, resultPath: String? = nil) {
            self.errorEquals = errorEquals
            self.next = next
            self.resultPath = resultPath
        }
    }

    /// A problem Step Functions would reject the definition for: where (`States.Notify.Next`) and what.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Where, as a property path in the definition (`States.Notify.Next`).
        public var property: String
        /// What is wrong, naming the value and the rule.
        public var message: String

        /// `property: message`.
        public var description: String { "\(property): \(message)" }
    }

    /// The longest state name Step Functions accepts.
    public static let maximumStateNameLength = 80

    /// The definition's `Comment`.
    public var comment: String?
    /// The first state's name.
    public var startAt: String
    /// Seconds before the whole execution times out.
    public var timeoutSeconds: Int?
    /// The states, in the order they are written.
    public var states: [NamedState]

    /// A definition starting at `startAt`.
    public init(comment: String? = nil, startAt: String, timeoutSeconds: Int? = nil, states: [NamedState]) {
        self.comment = comment
        self.startAt = startAt
        self.timeoutSeconds = timeoutSeconds
        self.states = states
    }

    /// Task states run one after the other: each continues with the next, the last ends the execution.
    public static func sequence(comment: String? = nil, timeoutSeconds: Int? = nil,
                                _ steps: [(name: String, task: TaskState)]) -> StateMachineDefinition {
        var states: [NamedState] = []
        for (offset, step) in steps.enumerated() {
            var task = step.task
            task.transition = offset + 1 < steps.count ? .next(steps[offset + 1].name) : .end
            states.append(NamedState(step.name, .task(task)))
        }
        return StateMachineDefinition(comment: comment, startAt: steps.first?.name ?? "", timeoutSeconds: timeoutSeconds, states: states)
    }

    /// The functions the Task states invoke, in state order, each once.
    public var invokedFunctions: [Value<String>] {
        var seen: [Value<String>] = []
        for named in states {
            if case .task(let task) = named.state, !seen.contains(task.resource.function) {
                seen.append(task.resource.function)
            }
        }
        return seen
    }

    // MARK: - Validation

    /// What Step Functions would reject, in the order found (empty when the definition is valid).
    public var problems: [Problem] {
        var problems: [Problem] = []
        func report(_ property: String, _ message: String) {
            problems.append(Problem(property: property, message: message))
        }
        if states.isEmpty {
            report("States", "a state machine needs at least one state")
            return problems
        }
        var names = Set<String>()
        for named in states {
            if named.name.isEmpty || named.name.count > Self.maximumStateNameLength {
                report("States", "state name \(TemplateValue.string(named.name)) must be 1 to \(Self.maximumStateNameLength) characters")
            }
            if !names.insert(named.name).inserted {
                report("States.\(named.name)", "state \(TemplateValue.string(named.name)) is defined twice; state names must be unique")
            }
        }
        let known = states.map(\.name).joined(separator: ", ")
        if !names.contains(startAt) {
            report("StartAt", "\(TemplateValue.string(startAt)) names no state; the states are \(known)")
        }
        if let timeoutSeconds, timeoutSeconds <= 0 {
            report("TimeoutSeconds", "\(timeoutSeconds) must be a positive number of seconds")
        }
        for named in states {
            let at = "States.\(named.name)"
            for (property, target) in Self.targets(of: named.state) where !names.contains(target) {
                report("\(at).\(property)", "\(TemplateValue.string(target)) names no state; the states are \(known)")
            }
            if case .task(let task) = named.state {
                if let timeout = task.timeoutSeconds, timeout <= 0 {
                    report("\(at).TimeoutSeconds", "\(timeout) must be a positive number of seconds")
                }
                for (offset, retrier) in task.retry.enumerated() {
                    let rat = "\(at).Retry[\(offset)]"
                    if retrier.errorEquals.isEmpty { report("\(rat).ErrorEquals", "a retrier must name at least one error") }
                    if retrier.intervalSeconds < 1 { report("\(rat).IntervalSeconds", "\(retrier.intervalSeconds) must be at least 1") }
                    if retrier.maxAttempts < 0 { report("\(rat).MaxAttempts", "\(retrier.maxAttempts) must not be negative") }
                    if !(retrier.backoffRate >= 1) {
                        report("\(rat).BackoffRate", "\(NumberFormatting.shortest(retrier.backoffRate)) must be at least 1.0")
                    }
                }
                Self.checkAllLast(task.retry.map(\.errorEquals), at: "\(at).Retry", report: report)
                Self.checkAllLast(task.catchers.map(\.errorEquals), at: "\(at).Catch", report: report)
            }
        }
        // Every state must be reachable from StartAt.
        if names.contains(startAt) {
            let byName = Dictionary(states.map { ($0.name, $0.state) }, uniquingKeysWith: { first, _ in first })
            var reached: Set<String> = [startAt]
            var queue = [startAt]
            while let name = queue.popLast() {
                guard let state = byName[name] else { continue }
                for (_, target) in Self.targets(of: state) where byName[target] != nil && reached.insert(target).inserted {
                    queue.append(target)
                }
            }
            for named in states where !reached.contains(named.name) {
                report("States.\(named.name)", "state \(TemplateValue.string(named.name)) is unreachable from StartAt \(TemplateValue.string(startAt)); Step Functions rejects unreachable states")
            }
        }
        return problems
    }

    /// The states a state can continue with, with the property naming each.
    private static func targets(of state: State) -> [(String, String)] {
        var result: [(String, String)] = []
        switch state {
        case .task(let task):
            if case .next(let name) = task.transition { result.append(("Next", name)) }
            for (offset, catcher) in task.catchers.enumerated() { result.append(("Catch[\(offset)].Next", catcher.next)) }
        case .pass(let pass):
            if case .next(let name) = pass.transition { result.append(("Next", name)) }
        case .succeed, .fail:
            break
        }
        return result
    }

    /// `States.ALL` must be the only error of the last retrier or catcher.
    private static func checkAllLast(_ rules: [[String]], at: String, report: (String, String) -> Void) {
        for (offset, errors) in rules.enumerated() where errors.contains("States.ALL") {
            if errors.count > 1 || offset != rules.count - 1 {
                report("\(at)[\(offset)].ErrorEquals", "States.ALL must be the only error of the last rule")
            }
        }
    }

    // MARK: - Encoding

    /// The definition as States Language data; tokens stay intrinsics.
    public func encode(_ context: EncodingContext) -> TemplateValue {
        var map = OrderedMap()
        map.set("Comment", comment.map(TemplateValue.string))
        map["StartAt"] = .string(startAt)
        map.set("TimeoutSeconds", timeoutSeconds.map { .int(Int64($0)) })
        var encodedStates = OrderedMap()
        for named in states {
            encodedStates[named.name] = Self.encode(named.state, context)
        }
        map["States"] = .map(encodedStates)
        return .map(map)
    }

    private static func encode(_ state: State, _ context: EncodingContext) -> TemplateValue {
        var map = OrderedMap()
        switch state {
        case .task(let task):
            map["Type"] = "Task"
            map.set("Comment", task.comment.map(TemplateValue.string))
            switch task.resource {
            case .lambdaInvoke(let function):
                let resource: Value<String> = "arn:\(AWS.partition):states:::lambda:invoke"
                map["Resource"] = resource.encode(context)
                map["Parameters"] = ["FunctionName": function.encode(context), "Payload.$": "$"]
                if let resultPath = task.resultPath {
                    map["ResultSelector"] = ["Payload.$": "$.Payload"]
                    map["ResultPath"] = .string(resultPath)
                } else {
                    map["OutputPath"] = "$.Payload"
                }
            case .lambdaFunction(let function):
                map["Resource"] = function.encode(context)
                map.set("ResultPath", task.resultPath.map(TemplateValue.string))
            }
            map.set("TimeoutSeconds", task.timeoutSeconds.map { .int(Int64($0)) })
            if !task.retry.isEmpty {
                map["Retry"] = .list(task.retry.map { retrier in
                    ["ErrorEquals": .list(retrier.errorEquals.map(TemplateValue.string)),
                     "IntervalSeconds": .int(Int64(retrier.intervalSeconds)),
                     "MaxAttempts": .int(Int64(retrier.maxAttempts)),
                     "BackoffRate": .double(retrier.backoffRate)]
                })
            }
            if !task.catchers.isEmpty {
                map["Catch"] = .list(task.catchers.map { catcher in
                    var entry: OrderedMap = ["ErrorEquals": .list(catcher.errorEquals.map(TemplateValue.string))]
                    entry.set("ResultPath", catcher.resultPath.map(TemplateValue.string))
                    entry["Next"] = .string(catcher.next)
                    return .map(entry)
                })
            }
            encode(task.transition, into: &map)
        case .pass(let pass):
            map["Type"] = "Pass"
            map.set("Comment", pass.comment.map(TemplateValue.string))
            map.set("Result", pass.result)
            map.set("ResultPath", pass.resultPath.map(TemplateValue.string))
            encode(pass.transition, into: &map)
        case .succeed(let comment):
            map["Type"] = "Succeed"
            map.set("Comment", comment.map(TemplateValue.string))
        case .fail(let error, let cause):
            map["Type"] = "Fail"
            map["Error"] = .string(error)
            map["Cause"] = .string(cause)
        }
        return .map(map)
    }

    private static func encode(_ transition: Transition, into map: inout OrderedMap) {
        switch transition {
        case .next(let name): map["Next"] = .string(name)
        case .end: map["End"] = true
        }
    }
}
