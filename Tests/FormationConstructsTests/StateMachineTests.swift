import Testing
@testable import FormationConstructs

@Suite struct SubstitutedJSONTests {
    @Test func tokensBecomePlaceholdersAndLiteralDollarBracesAreEscaped() throws {
        let stack = App(schemas: .empty).stack("S")
        let topic = stack.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let queue = stack.add("Queue", RawResource(type: "AWS::SQS::Queue"))
        let value: TemplateValue = [
            "Arn": queue.getAtt("Arn").encode(EncodingContext()),
            "Topic": topic.ref.encode(EncodingContext()),
            "Region": AWS.region.encode(EncodingContext()),
            "Both": Value<String>("arn:\(AWS.partition):x:\(topic.ref)").encode(EncodingContext()),
            "Joined": Fn.join(",", [topic.ref, "a"]).encode(EncodingContext()),
            "Literal": "cost ${not a variable} \"quoted\"",
        ]
        let result = try SubstitutedJSON.string(value, in: stack, pretty: false)
        let expectedText = #"{"Arn":"${Queue.Arn}","Topic":"${Topic}","Region":"${AWS::Region}","Both":"arn:${AWS::Partition}:x:${Topic}","#
            + #""Joined":"${Var0}","Literal":"cost ${!not a variable} \"quoted\""}"#
        #expect(result == .token(Token(.sub(expectedText, ["Var0": .fn(.join(",", [.fn(.ref("Topic")), "a"]))]), stackName: "S")))
    }

    @Test func twelveTokensKeepTheirOwnPlaceholdersBesideNonASCIIAndDollarBraces() throws {
        let stack = App(schemas: .empty).stack("S")
        var items: [TemplateValue] = []
        for index in 0..<12 {
            let topic = stack.add("Topic\(index)", RawResource(type: "AWS::SNS::Topic"))
            items.append(topic.ref.encode(EncodingContext()))
            items.append(.string("é${x}→$"))
        }
        let result = try SubstitutedJSON.string(TemplateValue.list(items), in: stack, pretty: false)
        let expectedText = "[" + (0..<12).map { #""${Topic\#($0)}","é${!x}→$""# }.joined(separator: ",") + "]"
        #expect(result == .token(Token(.sub(expectedText, nil), stackName: "S")))
    }

    @Test func substituteLeavesMarkerLikeTextThatIsNoMarkerAlone() {
        #expect(SubstitutedJSON.substitute("__formation_token_1__ __formation_token_9__ __formation_token___ __formation_token_1_",
                                           placeholders: ["a", "b"]) == "b __formation_token_9__ __formation_token___ __formation_token_1_")
        #expect(SubstitutedJSON.substitute("$${{$", placeholders: []) == "$${!{$")
    }

    @Test func withoutTokensTheTextIsALiteral() throws {
        let result = try SubstitutedJSON.string(["a": [1, 2]] as TemplateValue, in: App(schemas: .empty).stack("S"), pretty: false)
        #expect(result == .literal(#"{"a":[1,2]}"#))
    }

    @Test func prettyTextHasNoTrailingNewline() throws {
        let result = try SubstitutedJSON.string(["a": "b"] as TemplateValue, in: App(schemas: .empty).stack("S"))
        #expect(result == .literal("{\n  \"a\": \"b\"\n}"))
    }

    @Test func theMarkerDeepInTheDataIsRefusedWithItsPath() {
        let value: TemplateValue = ["a": [1, ["k": "x__formation_token_7__"]]]
        #expect(throws: TemplateError.unrepresentable(path: "a[1].k", message: #"the text "x__formation_token_7__" contains __formation_token_, which stands for tokens while the JSON is written"#)) {
            try SubstitutedJSON.string(value, in: App(schemas: .empty).stack("S"))
        }
        #expect(SubstitutedJSON.containsMarker("é__formation_token_"))
        #expect(!SubstitutedJSON.containsMarker("__formation_token"))
    }

    @Test func theMarkerInTheDataIsRefused() {
        #expect(throws: TemplateError.self) {
            try SubstitutedJSON.string(["k": "__formation_token_0__"] as TemplateValue, in: App(schemas: .empty).stack("S"))
        }
    }

    @Test func aReferenceIntoAnotherStackKeepsItsOrigin() throws {
        let app = App(schemas: .empty)
        let other = app.stack("Other")
        let topic = other.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        let here = app.stack("Here")
        let result = try SubstitutedJSON.string(["Topic": topic.ref] as [String: Value<String>], in: here)
        #expect(result.tokenValue?.stackName == "Other")
        here.add("Param", SSM.Parameter(type: .literal(.string), value: result))
        // The whole Fn::Sub is Other's value: Here imports it, Other exports it as it is.
        let exportName = try #require(result.tokenValue.map(CrossStack.exportName))
        #expect(exportName.hasPrefix("Other:Value-"))
        let synthesized = here.synthesize()
        #expect(synthesized.diagnostics.isEmpty, "\(synthesized.diagnostics)")
        #expect(synthesized.template.resources["Param"]?["Properties"]?["Value"] == .fn(.importValue(.string(exportName))))
        let exported = other.synthesize()
        #expect(exported.diagnostics.isEmpty, "\(exported.diagnostics)")
        let output = try #require(exported.template.outputs.entries.first)
        #expect(output.value["Value"] == .fn(try #require(result.tokenValue).intrinsic))
        #expect(output.value["Export"]?["Name"] == .string(exportName))
    }
}

@Suite struct StateMachineDefinitionTests {
    static let analyzer: Value<String> = .token(Token(.getAtt("Analyzer", "Arn"), stackName: "S"))
    static let notifier: Value<String> = .token(Token(.getAtt("Notifier", "Arn"), stackName: "S"))

    @Test func sequenceChainsTheTasksAndEndsWithTheLast() {
        let definition = StateMachineDefinition.sequence(comment: "c", [
            ("Analyze", .init(.lambdaInvoke(Self.analyzer), retry: [.lambdaServiceErrors])),
            ("Notify", .init(.lambdaFunction(Self.notifier), resultPath: "$.sent")),
        ])
        #expect(definition.problems.isEmpty)
        #expect(definition.invokedFunctions == [Self.analyzer, Self.notifier])
        let encoded = definition.encode(EncodingContext())
        let retry: TemplateValue = [[
            "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                            "Lambda.TooManyRequestsException"],
            "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0,
        ]]
        #expect(encoded == [
            "Comment": "c",
            "StartAt": "Analyze",
            "States": [
                "Analyze": [
                    "Type": "Task",
                    "Resource": .fn(.sub("arn:${AWS::Partition}:states:::lambda:invoke", nil)),
                    "Parameters": ["FunctionName": .fn(.getAtt("Analyzer", "Arn")), "Payload.$": "$"],
                    "OutputPath": "$.Payload",
                    "Retry": retry,
                    "Next": "Notify",
                ],
                "Notify": ["Type": "Task", "Resource": .fn(.getAtt("Notifier", "Arn")), "ResultPath": "$.sent", "End": true],
            ],
        ])
    }

    @Test func lambdaInvokeWithAResultPathSelectsThePayload() {
        let definition = StateMachineDefinition.sequence([("Analyze", .init(.lambdaInvoke(Self.analyzer), resultPath: "$.analysis"))])
        let state = definition.encode(EncodingContext())["States"]?["Analyze"]
        #expect(state?["ResultSelector"] == ["Payload.$": "$.Payload"])
        #expect(state?["ResultPath"] == "$.analysis")
        #expect(state?["OutputPath"] == nil)
    }

    @Test func everyOtherStateKindEncodes() {
        let definition = StateMachineDefinition(startAt: "Wait", timeoutSeconds: 60, states: [
            .init("Wait", .pass(.init(comment: "p", result: ["x": 1], resultPath: "$.p", transition: .next("Work")))),
            .init("Work", .task(.init(.lambdaFunction(Self.analyzer), timeoutSeconds: 10,
                                      catchers: [.init(errorEquals: ["States.ALL"], next: "Failed", resultPath: "$.error")],
                                      transition: .next("Done")))),
            .init("Done", .succeed(comment: nil)),
            .init("Failed", .fail(error: "AnalysisFailed", cause: "the analyzer failed")),
        ])
        #expect(definition.problems.isEmpty)
        let encoded = definition.encode(EncodingContext())
        #expect(encoded["TimeoutSeconds"] == 60)
        #expect(encoded["States"]?["Wait"] == ["Type": "Pass", "Comment": "p", "Result": ["x": 1], "ResultPath": "$.p", "Next": "Work"])
        #expect(encoded["States"]?["Work"] == [
            "Type": "Task", "Resource": .fn(.getAtt("Analyzer", "Arn")), "TimeoutSeconds": 10,
            "Catch": [["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"]], "Next": "Done",
        ])
        #expect(encoded["States"]?["Done"] == ["Type": "Succeed"])
        #expect(encoded["States"]?["Failed"] == ["Type": "Fail", "Error": "AnalysisFailed", "Cause": "the analyzer failed"])
    }

    @Test func problemsStepFunctionsWouldReject() {
        let definition = StateMachineDefinition(startAt: "Begin", timeoutSeconds: 0, states: [
            .init("A", .task(.init(.lambdaFunction(Self.analyzer),
                                   retry: [.init(errorEquals: ["States.ALL"], intervalSeconds: 0, maxAttempts: -1, backoffRate: 0.5),
                                           .init(errorEquals: [])],
                                   catchers: [.init(errorEquals: ["States.ALL", "X"], next: "Nowhere")], transition: .next("Missing")))),
            .init("A", .succeed(comment: nil)),
            .init("Orphan", .pass(.init())),
            .init(String(repeating: "n", count: 81), .succeed(comment: nil)),
        ])
        #expect(definition.problems.map(\.description) == [
            #"States.A: state "A" is defined twice; state names must be unique"#,
            #"States: state name "\#(String(repeating: "n", count: 81))" must be 1 to 80 characters"#,
            #"StartAt: "Begin" names no state; the states are A, A, Orphan, \#(String(repeating: "n", count: 81))"#,
            "TimeoutSeconds: 0 must be a positive number of seconds",
            #"States.A.Next: "Missing" names no state; the states are A, A, Orphan, \#(String(repeating: "n", count: 81))"#,
            #"States.A.Catch[0].Next: "Nowhere" names no state; the states are A, A, Orphan, \#(String(repeating: "n", count: 81))"#,
            "States.A.Retry[0].IntervalSeconds: 0 must be at least 1",
            "States.A.Retry[0].MaxAttempts: -1 must not be negative",
            "States.A.Retry[0].BackoffRate: 0.5 must be at least 1.0",
            "States.A.Retry[1].ErrorEquals: a retrier must name at least one error",
            "States.A.Retry[0].ErrorEquals: States.ALL must be the only error of the last rule",
            "States.A.Catch[0].ErrorEquals: States.ALL must be the only error of the last rule",
        ])
    }

    @Test func unreachableStatesAreFound() {
        let definition = StateMachineDefinition(startAt: "A", states: [
            .init("A", .pass(.init(transition: .next("B")))),
            .init("B", .succeed(comment: nil)),
            .init("C", .pass(.init(transition: .next("B")))),
        ])
        #expect(definition.problems.map(\.description) == [
            #"States.C: state "C" is unreachable from StartAt "A"; Step Functions rejects unreachable states"#,
        ])
        #expect(StateMachineDefinition(startAt: "", states: []).problems.map(\.description) == [
            "States: a state machine needs at least one state",
        ])
    }
}

@Suite struct StateMachineTests {
    func functions(_ stack: Stack, _ names: String...) -> [Resource<RawResource>] {
        names.map { stack.add($0, RawResource(type: "AWS::Lambda::Function")) }
    }

    @Test func definitionIsOneSubAndTheRoleInvokesExactlyTheTaskFunctions() throws {
        let stack = App(schemas: .empty, rules: [LeastPrivilegeRule()]).stack("S")
        let fns = functions(stack, "First", "Second")
        let machine = StateMachine(in: stack, "Flow", name: "flow", definition: .sequence([
            ("One", .init(.lambdaInvoke(fns[0].getAtt("Arn")))),
            ("Two", .init(.lambdaInvoke(fns[1].getAtt("Arn")))),
            ("Again", .init(.lambdaInvoke(fns[0].getAtt("Arn")))),
        ]))
        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        let properties = try #require(synthesis.template.resource("Flow")?.properties)
        guard case .fn(.sub(let text, nil))? = properties["DefinitionString"] else {
            Issue.record("DefinitionString is not one Fn::Sub: \(String(describing: properties["DefinitionString"]))")
            return
        }
        let parsed = try JSONParser.parse(text)
        #expect(parsed["StartAt"] == "One")
        #expect(parsed["States"]?.mapValue?.keys == ["One", "Two", "Again"])
        #expect(parsed["States"]?["Two"]?["Parameters"]?["FunctionName"] == "${Second.Arn}")
        #expect(properties["RoleArn"] == .fn(.getAtt("FlowRole", "Arn")))
        #expect(properties["StateMachineName"] == "flow")
        #expect(properties["StateMachineType"] == "STANDARD")
        let policy = synthesis.template.resource("FlowRole")?.properties["Policies"]?[0]?["PolicyDocument"]
        #expect(policy?["Statement"] == [[
            "Sid": "InvokeTaskFunctions", "Effect": "Allow", "Action": "lambda:InvokeFunction",
            "Resource": [.fn(.getAtt("First", "Arn")), .fn(.getAtt("Second", "Arn"))],
        ]])
        let trust = synthesis.template.resource("FlowRole")?.properties["AssumeRolePolicyDocument"]?["Statement"]?[0]
        #expect(trust?["Principal"] == ["Service": "states.amazonaws.com"])
        #expect(trust?["Condition"] == ["StringEquals": ["aws:SourceAccount": .fn(.ref("AWS::AccountId"))]])
        #expect(machine.arn == .token(Token(.ref("Flow"), stackName: "S")))
    }

    @Test func anInvalidDefinitionIsOneErrorPerProblem() {
        let stack = App(schemas: .empty).stack("S")
        let fns = functions(stack, "First")
        var task = StateMachineDefinition.TaskState(.lambdaInvoke(fns[0].getAtt("Arn")))
        task.transition = .next("Notfy")
        _ = StateMachine(in: stack, "Flow", definition: StateMachineDefinition(startAt: "Analyze", states: [.init("Analyze", .task(task))]))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            #"error FM4701 S/Flow/Default: DefinitionString.States.Analyze.Next: "Notfy" names no state; the states are Analyze"#,
        ])
    }
}
