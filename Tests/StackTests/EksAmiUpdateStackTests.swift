import Foundation
import FormationConstructs
import FormationTesting
import Stacks
import Testing

@Suite struct EksAmiUpdateStackTests {
    func template(_ env: String) -> TemplateAssertions {
        TemplateAssertions(synthesize { EksAmiUpdateStack.add(to: $0, environment(env)) })
    }

    static let functionIDs = ["Detector", "Analyzer", "Updater", "Notifier"]

    @Test(arguments: environmentNames)
    func synthesizesWithoutDiagnostics(_ env: String) {
        let synthesis = synthesize { EksAmiUpdateStack.add(to: $0, environment(env)) }
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics.map(\.description))")
    }

    // MARK: - Parameters

    @Test(arguments: environmentNames)
    func theTenParametersWithNoEchoOnTheKeyOnly(_ env: String) {
        let t = template(env)
        #expect(t.template.parameters.keys == [
            "NotificationEmail", "GitHubAppId", "GitHubAppInstallationId", "GitHubAppPrivateKey", "GitHubRepoOwner",
            "GitHubRepoName", "GitHubFilePath", "GitHubBranch", "EKSVersion", "PollingSchedule", "AssetBucket",
        ])
        t.hasParameter("NotificationEmail", ["Type": "String", "AllowedPattern": .anyValue])
        t.hasParameter("GitHubAppPrivateKey", ["Type": "String", "NoEcho": true, "Default": .absent])
        #expect(t.findParameters(["NoEcho": .anyValue]).keys == ["GitHubAppPrivateKey"])
        t.hasParameter("GitHubBranch", ["Default": "main"])
        t.hasParameter("EKSVersion", ["Default": "1.34", "AllowedPattern": .anyValue])
        t.hasParameter("PollingSchedule", ["Default": "cron(0 9,21 * * ? *)", "AllowedPattern": .exact(.string(ScheduleExpression.allowedPattern))])
    }

    @Test func deployValuesNeverIncludeThePrivateKey() {
        let app = App(schemas: .bundled, rules: FormationApp.rules)
        let values = EksAmiUpdateStack.add(to: app, .dev).deploymentValues
        let settings = Environment.dev.amiUpdate
        #expect(values == [
            "NotificationEmail": settings.notificationEmail, "GitHubAppId": settings.gitHubAppId,
            "GitHubAppInstallationId": settings.gitHubAppInstallationId, "GitHubRepoOwner": settings.gitHubRepoOwner,
            "GitHubRepoName": settings.gitHubRepoName, "GitHubFilePath": settings.gitHubFilePath, "GitHubBranch": settings.gitHubBranch,
        ])
    }

    @Test func thePrivateKeyPatternAdmitsWhatTheHandlerReadsAndNothingThatBreaksTheJSON() throws {
        let pattern = try #require(template("dev").template.parameters["GitHubAppPrivateKey"]?["AllowedPattern"]?.stringValue)
        let regex = try Regex(pattern)
        let base64 = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF+/a="
        let escaped = #"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"#
        #expect(base64.wholeMatch(of: regex) != nil)
        #expect(escaped.wholeMatch(of: regex) != nil)
        for broken in ["a\"b", "line\nbreak", ""] {
            #expect(broken.wholeMatch(of: regex) == nil, "\(broken)")
        }
    }

    // MARK: - Secret

    @Test func theSecretHoldsTheAppCredentialsBuiltFromTheParameters() {
        template("dev").hasResourceProperties("AWS::SecretsManager::Secret", [
            "SecretString": .intrinsic("Fn::Sub", .serializedJSON(.objectExactly([
                "app_id": "${GitHubAppId}",
                "installation_id": "${GitHubAppInstallationId}",
                "private_key": "${GitHubAppPrivateKey}",
            ]))),
            "GenerateSecretString": .absent,
        ])
    }

    @Test func theSecretHasTheShapeTheGitHubClientParses() throws {
        let secret = try #require(template("dev").findResources("AWS::SecretsManager::Secret").first)
        guard case .fn(.sub(let text, nil))? = secret.properties["SecretString"] else {
            Issue.record("SecretString is not one Fn::Sub without variables")
            return
        }
        let key = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ=="
        let deployed = text.replacingOccurrences(of: "${GitHubAppId}", with: "1234567")
            .replacingOccurrences(of: "${GitHubAppInstallationId}", with: "76543210")
            .replacingOccurrences(of: "${GitHubAppPrivateKey}", with: key)
        let shared = try FunctionCode.repositoryRoot().resolve("stacks/functions/shared")
        let script = "import sys; sys.path.insert(0, sys.argv[1]); import github_app, json; print(json.dumps(github_app.parse_credentials(sys.argv[2]), sort_keys=True))"
        let result = try run("python3", ["-c", script, shared, deployed])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == #"{"app_id": "1234567", "installation_id": "76543210", "private_key": "\#(key)"}"# + "\n")
    }

    // MARK: - Roles

    @Test func fiveRolesOnePerFunctionAndOneForStepFunctions() {
        let t = template("dev")
        t.resourceCount("AWS::IAM::Role", is: 5)
        for id in Self.functionIDs {
            #expect(roleOfFunction(id, in: t.template) == id + "Role")
            t.hasResourceProperties("AWS::IAM::Role", [
                "AssumeRolePolicyDocument": ["Statement": [["Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]]],
            ], logicalID: id + "Role")
        }
        t.hasResourceProperties("AWS::StepFunctions::StateMachine", ["RoleArn": .getAtt("WorkflowRole", "Arn")])
        t.hasResourceProperties("AWS::IAM::Role", [
            "AssumeRolePolicyDocument": ["Statement": [["Principal": ["Service": "states.amazonaws.com"], "Action": "sts:AssumeRole"]]],
        ], logicalID: "WorkflowRole")
    }

    @Test func noRoleHasAWildcardActionOrResource() {
        let t = template("dev")
        for role in t.findResources("AWS::IAM::Role") {
            for statement in statements(ofRole: role.logicalID, in: t.template) {
                #expect(!strings(statement["Action"]).contains { $0 == "*" || $0.hasSuffix(":*") }, "\(role.logicalID): \(statement)")
                #expect(!strings(statement["Resource"]).contains("*"), "\(role.logicalID): \(statement)")
            }
        }
    }

    @Test func eachFunctionLogsOnlyToItsOwnLogGroup() {
        let t = template("dev")
        for id in Self.functionIDs {
            let logs = statements(ofRole: id + "Role", in: t.template).filter { strings($0["Action"]).contains { $0.hasPrefix("logs:") } }
            let expected: TemplateValue = ["Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                           "Resource": .fn(.getAtt(id + "Logs", "Arn"))]
            #expect(logs == [expected], "\(id)")
            t.hasResourceProperties("AWS::Lambda::Function", ["LoggingConfig": ["LogGroup": .ref(id + "Logs")], "Runtime": "python3.12"],
                                    logicalID: id)
            t.hasResourceProperties("AWS::Logs::LogGroup", ["RetentionInDays": 30], logicalID: id + "Logs")
        }
    }

    @Test(arguments: environmentNames)
    func detectorReadsTheAmiParametersAndTheSecretAndStartsTheWorkflow(_ env: String) {
        let t = template(env)
        #expect(actions(ofRole: "DetectorRole", in: t.template) == [
            "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameter", "secretsmanager:GetSecretValue", "states:StartExecution",
        ])
        let prefix = "arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/eks/optimized-ami/${EKSVersion}/amazon-linux-2023/x86_64/standard/recommended/"
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayExactly([
            logStatement(for: "DetectorLogs"),
            .objectExactly(["Sid": "ReadRecommendedAmi", "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": [
                .intrinsic("Fn::Sub", .exact(.string(prefix + "image_id"))),
                .intrinsic("Fn::Sub", .exact(.string(prefix + "release_version"))),
            ]]),
            .objectExactly(["Sid": "ReadGitHubAppSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": .ref("GitHubAppSecret")]),
            .objectExactly(["Sid": "StartWorkflow", "Effect": "Allow", "Action": "states:StartExecution", "Resource": .ref("Workflow")]),
        ])]]]], logicalID: "DetectorRole")
    }

    @Test func theAmiParametersAreTheOnesTheDetectorReads() throws {
        let detector = try String(contentsOfFile: try FunctionCode.repositoryRoot().resolve("stacks/functions/ami-detector/detector.py"), encoding: .utf8)
        #expect(detector.contains(#"PARAMETER_PATH = "/aws/service/eks/optimized-ami/{version}/amazon-linux-2023/x86_64/standard/recommended/""#))
        for name in EksAmiUpdateStack.amiParameterNames {
            #expect(detector.contains("+ \"\(name)\""), "the detector no longer reads \(name)")
        }
    }

    @Test func analyzerInvokesTheAnalysisModelThroughTheGuardrail() {
        let t = template("dev")
        #expect(actions(ofRole: "AnalyzerRole", in: t.template) == ["logs:CreateLogStream", "logs:PutLogEvents", "bedrock:InvokeModel", "bedrock:ApplyGuardrail"])
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayExactly([
            logStatement(for: "AnalyzerLogs"),
            .objectExactly(["Sid": "InvokeAnalysisModel", "Effect": "Allow", "Action": "bedrock:InvokeModel",
                            "Resource": .intrinsic("Fn::Sub", .exact(.string("arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/\(Models.amiAnalysis)")))]),
            .objectExactly(["Sid": "ApplyGuardrail", "Effect": "Allow", "Action": "bedrock:ApplyGuardrail",
                            "Resource": .getAtt("AnalysisGuardrail", "GuardrailArn")]),
        ])]]]], logicalID: "AnalyzerRole")
    }

    @Test func updaterReadsTheSecretOnly() {
        let t = template("dev")
        #expect(actions(ofRole: "UpdaterRole", in: t.template) == ["logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue"])
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayExactly([
            logStatement(for: "UpdaterLogs"),
            .objectExactly(["Sid": "ReadGitHubAppSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": .ref("GitHubAppSecret")]),
        ])]]]], logicalID: "UpdaterRole")
    }

    @Test func notifierPublishesToTheTopicOnly() {
        let t = template("dev")
        #expect(actions(ofRole: "NotifierRole", in: t.template) == ["logs:CreateLogStream", "logs:PutLogEvents", "sns:Publish"])
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayExactly([
            logStatement(for: "NotifierLogs"),
            .objectExactly(["Sid": "PublishNotifications", "Effect": "Allow", "Action": "sns:Publish", "Resource": .ref("Notifications")]),
        ])]]]], logicalID: "NotifierRole")
    }

    @Test func stepFunctionsInvokesExactlyTheThreeTaskFunctions() {
        let t = template("dev")
        #expect(actions(ofRole: "WorkflowRole", in: t.template) == ["lambda:InvokeFunction"])
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayExactly([
            .objectExactly(["Sid": "InvokeTaskFunctions", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [
                .getAtt("Analyzer", "Arn"), .getAtt("Updater", "Arn"), .getAtt("Notifier", "Arn"),
            ]]),
        ])]]]], logicalID: "WorkflowRole")
    }

    // MARK: - Workflow

    @Test func theDefinitionRunsAnalyzeThenPullRequestThenNotify() {
        func task(_ function: String, _ transition: (String, Match)) -> Match {
            .objectExactly([
                "Type": "Task", "Comment": .anyValue,
                "Resource": "arn:${AWS::Partition}:states:::lambda:invoke",
                "Parameters": .objectExactly(["FunctionName": .exact(.string("${\(function).Arn}")), "Payload.$": "$"]),
                "OutputPath": "$.Payload",
                "Retry": [["ErrorEquals": .arrayContainingInAnyOrder(["Lambda.ServiceException", "Lambda.TooManyRequestsException"])]],
                transition.0: transition.1,
            ])
        }
        template("dev").hasResourceProperties("AWS::StepFunctions::StateMachine", [
            "DefinitionString": .serializedJSON(.objectExactly([
                "Comment": .anyValue,
                "StartAt": "AnalyzeAmi",
                "States": .objectExactly([
                    "AnalyzeAmi": task("Analyzer", ("Next", "CreatePullRequest")),
                    "CreatePullRequest": task("Updater", ("Next", "NotifyTeam")),
                    "NotifyTeam": task("Notifier", ("End", true)),
                ]),
            ])),
            "StateMachineType": "STANDARD",
            "StateMachineName": "eks-ami-update-dev",
        ])
    }

    @Test func theDefinitionReferencesExactlyTheThreeTaskFunctionsInOrder() throws {
        let machine = try #require(template("dev").findResources("AWS::StepFunctions::StateMachine").first)
        guard case .fn(.sub(let text, nil))? = machine.properties["DefinitionString"] else {
            Issue.record("DefinitionString is not one Fn::Sub without variables: \(String(describing: machine.properties["DefinitionString"]))")
            return
        }
        let references = text.matches(of: /\$\{([A-Za-z0-9]+)\.Arn\}/).map { String($0.1) }
        #expect(references == ["Analyzer", "Updater", "Notifier"])
        let parsed = try JSONParser.parse(text)
        #expect(parsed["States"]?.mapValue?.keys == EksAmiUpdateStack.workflowStates)
        #expect(!text.contains("Detector"))
    }

    @Test(arguments: environmentNames)
    func eachFunctionGetsTheEnvironmentItsHandlerReads(_ env: String) {
        let t = template(env)
        let github: [(String, Match)] = [
            ("SECRET_ARN", .ref("GitHubAppSecret")), ("GITHUB_REPO_OWNER", .ref("GitHubRepoOwner")),
            ("GITHUB_REPO_NAME", .ref("GitHubRepoName")), ("GITHUB_FILE_PATH", .ref("GitHubFilePath")),
            ("GITHUB_BRANCH", .ref("GitHubBranch")),
        ]
        func variables(_ entries: [(String, Match)]) -> Match {
            ["Environment": ["Variables": .objectExactly(entries)]]
        }
        t.hasResourceProperties("AWS::Lambda::Function", variables(github + [
            ("EKS_VERSION", .ref("EKSVersion")), ("STATE_MACHINE_ARN", .ref("Workflow")),
        ]), logicalID: "Detector")
        t.hasResourceProperties("AWS::Lambda::Function", variables([
            ("MODEL_ID", .exact(.string(Models.amiAnalysis))),
            ("GUARDRAIL_ID", .getAtt("AnalysisGuardrail", "GuardrailId")),
            ("GUARDRAIL_VERSION", .getAtt("AnalysisGuardrailVersion", "Version")),
        ]), logicalID: "Analyzer")
        t.hasResourceProperties("AWS::Lambda::Function", variables(github), logicalID: "Updater")
        t.hasResourceProperties("AWS::Lambda::Function", variables([("TOPIC_ARN", .ref("Notifications"))]), logicalID: "Notifier")
    }

    @Test func handlersAndCode() {
        let t = template("dev")
        t.hasResourceProperties("AWS::Lambda::Function", ["Handler": "detector.lambda_handler", "Code": ["S3Bucket": .ref("AssetBucket")]],
                                logicalID: "Detector")
        t.hasResourceProperties("AWS::Lambda::Function", ["Handler": "updater.lambda_handler", "Code": ["S3Bucket": .ref("AssetBucket")]],
                                logicalID: "Updater")
        // Single small files are inline (CloudFormation names them index.py).
        t.hasResourceProperties("AWS::Lambda::Function", ["Handler": "index.lambda_handler", "Code": .objectExactly(["ZipFile": .anyValue])],
                                logicalID: "Analyzer")
        t.hasResourceProperties("AWS::Lambda::Function", ["Handler": "index.lambda_handler", "Code": .objectExactly(["ZipFile": .anyValue])],
                                logicalID: "Notifier")
    }

    // MARK: - Schedule

    @Test func theScheduleRunsTheDetectorAndOnlyThisRuleMayInvokeIt() {
        let t = template("dev")
        t.resourceCount("AWS::Events::Rule", is: 1)
        t.hasResourceProperties("AWS::Events::Rule", [
            "ScheduleExpression": .ref("PollingSchedule"),
            "State": "ENABLED",
            "Targets": [.objectExactly(["Arn": .getAtt("Detector", "Arn"), "Id": "Detector"])],
        ], logicalID: "Schedule")
        t.resourceCount("AWS::Lambda::Permission", is: 1)
        t.hasResourceProperties("AWS::Lambda::Permission", .objectExactly([
            "Action": "lambda:InvokeFunction",
            "FunctionName": .getAtt("Detector", "Arn"),
            "Principal": "events.amazonaws.com",
            "SourceArn": .getAtt("Schedule", "Arn"),
        ]))
    }

    // MARK: - Guardrail, topic, alarms, outputs

    @Test func guardrailFiltersTheAnalysisInOrder() {
        let t = template("dev")
        t.hasResourceProperties("AWS::Bedrock::Guardrail", [
            "ContentPolicyConfig": ["FiltersConfig": .arrayContainingInOrder([
                ["Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"],
                ["Type": "HATE"], ["Type": "INSULTS"], ["Type": "SEXUAL"], ["Type": "VIOLENCE"], ["Type": "MISCONDUCT"],
            ])],
        ])
        t.hasResourceProperties("AWS::Bedrock::GuardrailVersion", ["GuardrailIdentifier": .getAtt("AnalysisGuardrail", "GuardrailId")])
    }

    @Test func topicAlarmsAndOutputs() {
        let t = template("dev")
        t.hasResourceProperties("AWS::SNS::Subscription", ["Protocol": "email", "Endpoint": .ref("NotificationEmail"), "TopicArn": .ref("Notifications")])
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "Namespace": "AWS/States", "MetricName": "ExecutionsFailed",
            "Dimensions": [["Name": "StateMachineArn", "Value": .ref("Workflow")]], "AlarmActions": [.ref("Notifications")],
        ])
        t.hasResourceProperties("AWS::CloudWatch::Alarm", [
            "Namespace": "AWS/Lambda", "MetricName": "Errors",
            "Dimensions": [["Name": "FunctionName", "Value": .ref("Detector")]], "AlarmActions": [.ref("Notifications")],
        ])
        t.hasOutput("StateMachineArn", ["Value": .ref("Workflow")])
        t.hasOutput("NotificationTopicArn", ["Value": .ref("Notifications")])
        t.hasOutput("DetectorFunctionArn", ["Value": .getAtt("Detector", "Arn")])
        t.hasOutput("GitHubAppSecretArn", ["Value": .ref("GitHubAppSecret")])
    }

    // MARK: - Settings errors

    @Test(arguments: [
        ("cron(0 9,21 * * * *)", #"day-of-month "*" and day-of-week "*" are both set; EventBridge cannot combine them, so one must be "?""#),
        ("cron(0 9,21 * * ?)", "cron takes six fields (minutes hours day-of-month month day-of-week year), found 5"),
        ("cron(0 25 * * ? *)", #"hours field "25": "25" is not a value within 0-23"#),
        ("rate(1 hours)", #"a rate of 1 takes a singular unit (minute, hour or day), not "hours""#),
    ])
    func anInvalidScheduleDefaultIsASynthesisError(_ schedule: String, _ reason: String) {
        var env = Environment.dev
        env.amiPollingSchedule = schedule
        let synthesis = synthesize { EksAmiUpdateStack.add(to: $0, env) }
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM4601 EksAmiUpdateStack-dev/Parameters/PollingSchedule: Default: environment dev's amiPollingSchedule: \(TemplateValue.string(schedule)) is not a valid EventBridge schedule expression: \(reason)",
        ])
    }

    @Test(arguments: ["v1.34", "01.34", "1.", ".34", "1", "1.3.4", "1.34 ", "1,34", "\u{661}.\u{663}\u{664}", ""])
    func aMalformedEksVersionIsASynthesisError(_ version: String) {
        var env = Environment.prd
        env.eksVersion = version
        #expect(synthesize { EksAmiUpdateStack.add(to: $0, env) }.diagnostics.map(\.description) == [
            "error FM4402 EksAmiUpdateStack-prd/Parameters/EKSVersion: Default: environment prd's eksVersion \(TemplateValue.string(version)) is not an EKS version; versions are written major.minor, as in 1.34",
        ])
    }

    @Test(arguments: ["1.34", "1.0", "10.100"])
    func wellFormedEksVersionsAreAccepted(_ version: String) {
        var env = Environment.prd
        env.eksVersion = version
        #expect(synthesize { EksAmiUpdateStack.add(to: $0, env) }.diagnostics.isEmpty)
    }

    @Test func missingHandlerFilesAreOneDiagnosticEach() {
        let code = EksAmiUpdateStack.Code(
            detector: FunctionCode(paths: ["stacks/functions/ami-detector", "stacks/functions/missing-shared"], entryPoint: "detector.lambda_handler"),
            notifier: FunctionCode(paths: ["stacks/functions/notifier/missing.py"], entryPoint: "missing.lambda_handler"))
        #expect(synthesize { EksAmiUpdateStack.add(to: $0, .dev, code: code) }.diagnostics.map(\.description) == [
            "error FM5001 EksAmiUpdateStack-dev/Detector/Default: Code: asset path 'stacks/functions/missing-shared' does not exist",
            "error FM5001 EksAmiUpdateStack-dev/Notifier/Default: Code: asset path 'stacks/functions/notifier/missing.py' does not exist",
        ])
    }
}
