import FormationAssets
import Testing
@testable import FormationConstructs

@Suite struct ScheduleExpressionTests {
    @Test(arguments: [
        "cron(0 9,21 * * ? *)", "cron(0/15 * * * ? *)", "cron(*/5 8-17 ? * MON-FRI *)", "cron(0 12 L * ? *)",
        "cron(0 12 15W * ? 2030)", "cron(0 12 LW * ? *)", "cron(0 10 ? * 6L *)", "cron(0 10 ? * FRI#2 *)",
        "cron(30 2 1,15 JAN,jul ? 1970-2199)", "cron(0 0 ? * SUN *)", "cron(59 23 31 12 ? 2199)",
        "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(30 days)",
    ])
    func validExpressions(_ expression: String) throws {
        #expect(try ScheduleExpression(expression).rawValue == expression)
    }

    @Test(arguments: [
        ("cron(0 9 * * * *)", #"day-of-month "*" and day-of-week "*" are both set; EventBridge cannot combine them, so one must be "?""#),
        ("cron(0 9 ? * ? *)", #"day-of-month and day-of-week are both "?"; exactly one of them must be "?""#),
        ("cron(0 9,21 * * ?)", "cron takes six fields (minutes hours day-of-month month day-of-week year), found 5"),
        ("cron(0 9 * * ? * *)", "cron takes six fields (minutes hours day-of-month month day-of-week year), found 7"),
        ("cron(0 24 * * ? *)", #"hours field "24": "24" is not a value within 0-23"#),
        ("cron(60 1 * * ? *)", #"minutes field "60": "60" is not a value within 0-59"#),
        ("cron(0 1 0 * ? *)", #"day-of-month field "0": "0" is not a value within 1-31"#),
        ("cron(0 1 * 13 ? *)", #"month field "13": "13" is not a value within 1-12 or JAN-DEC"#),
        ("cron(0 1 ? * 8 *)", #"day-of-week field "8": "8" is not a value within 1-7 or SUN-SAT"#),
        ("cron(0 1 * * ? 1969)", #"year field "1969": "1969" is not a value within 1970-2199"#),
        ("cron(? 1 * * ? *)", #"minutes field "?": "?" is allowed only in day-of-month and day-of-week"#),
        ("cron(0 1 L * ? *)x", "an expression is rate(value unit) or cron(six fields)"),
        ("cron(0/0 1 * * ? *)", #"minutes field "0/0": "0/0": the increment after / must be a whole number from 1 to 59"#),
        ("cron(0 1-30 * * ? *)", #"hours field "1-30": "1-30": a range needs two values within 0-23"#),
        ("cron(0 1,,2 * * ? *)", #"hours field "1,,2": an empty entry in the list"#),
        ("cron(0 1 ? * MON#6 *)", #"day-of-week field "MON#6": "MON#6": # is followed by the week of the month, 1-5"#),
        ("cron(0 1 32W * ? *)", #"day-of-month field "32W": "32W": W follows a day of the month 1-31"#),
        ("cron(0 L * * ? *)", #"hours field "L": "L" is not a value within 0-23"#),
        ("rate(1 minutes)", #"a rate of 1 takes a singular unit (minute, hour or day), not "minutes""#),
        ("rate(5 minute)", #"a rate of 5 takes a plural unit (minutes, hours or days), not "minute""#),
        ("rate(0 minutes)", #"rate value "0" must be a positive whole number"#),
        ("rate(5 weeks)", #"a rate of 5 takes a plural unit (minutes, hours or days), not "weeks""#),
        ("rate(5  minutes)", "rate takes a value and a unit separated by one space, as in rate(5 minutes)"),
        ("at(2030-01-01T00:00:00)", "an expression is rate(value unit) or cron(six fields)"),
    ])
    func invalidExpressions(_ expression: String, _ reason: String) {
        #expect(throws: ScheduleExpression.Invalid(expression: expression, reason: reason)) {
            try ScheduleExpression(expression)
        }
    }

    @Test func messageNamesTheExpressionAndTheRule() {
        let error = ScheduleExpression.Invalid(expression: "cron(0 24 * * ? *)", reason: #"hours field "24": "24" is not a value within 0-23"#)
        #expect(error.description == #""cron(0 24 * * ? *)" is not a valid EventBridge schedule expression: hours field "24": "24" is not a value within 0-23"#)
    }

    @Test func allowedPatternOutlinesBothForms() throws {
        let pattern = try Regex(ScheduleExpression.allowedPattern)
        for good in ["cron(0 9,21 * * ? *)", "rate(5 minutes)", "rate(1 day)"] {
            #expect(good.wholeMatch(of: pattern) != nil, "\(good)")
        }
        for bad in ["cron(0 9 * * ?)", "rate(0 minutes)", "rate(5 weeks)", "every day"] {
            #expect(bad.wholeMatch(of: pattern) == nil, "\(bad)")
        }
    }
}

@Suite struct ScheduleRuleTests {
    func function(in stack: Stack) throws -> PythonFunction {
        let asset = try Asset.package(files: [ArchiveFile(path: "job.py", contents: Array("def run(event, context):\n    return 1\n".utf8))],
                                      sourcePaths: ["job.py"])
        return PythonFunction(in: stack, "Job", functionName: "job", asset: asset, handler: try asset.handler("job.run"),
                              logRetentionDays: 7)
    }

    @Test func ruleTargetsTheFunctionAndThePermissionIsScopedToTheRule() throws {
        let stack = App(schemas: .bundled).stack("S")
        let rule = ScheduleRule(in: stack, "Nightly", schedule: "cron(0 2 * * ? *)", function: try function(in: stack), targetId: "Job")
        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        let resources = synthesis.template
        #expect(resources.resource("Nightly")?.properties == [
            "ScheduleExpression": "cron(0 2 * * ? *)", "State": "ENABLED",
            "Targets": [["Arn": .fn(.getAtt("Job", "Arn")), "Id": "Job"]],
        ])
        #expect(resources.resource("NightlyInvokePermission")?.properties == [
            "Action": "lambda:InvokeFunction", "FunctionName": .fn(.getAtt("Job", "Arn")),
            "Principal": "events.amazonaws.com", "SourceArn": .fn(.getAtt("Nightly", "Arn")),
        ])
        #expect(rule.arn == .token(Token(.getAtt("Nightly", "Arn"), stackName: "S")))
    }

    @Test func anInvalidLiteralScheduleIsASynthesisError() throws {
        let stack = App(schemas: .bundled).stack("S")
        _ = ScheduleRule(in: stack, "Nightly", schedule: "cron(0 2 * * * *)", function: try function(in: stack))
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            #"error FM4601 S/Nightly/Default: ScheduleExpression: "cron(0 2 * * * *)" is not a valid EventBridge schedule expression: day-of-month "*" and day-of-week "*" are both set; EventBridge cannot combine them, so one must be "?""#,
        ])
    }
}
