import FormationConstructs

/// `EksAmiUpdateStack-<env>`: the EKS AMI update bot (seed: eks-ami-update-bot).
///
/// Twice a day an EventBridge rule runs the detector, which compares the recommended EKS AMI in
/// the public SSM parameters with the one the Karpenter node class in GitHub names; on a new AMI
/// it starts the workflow: Bedrock analyzes the release notes (through a guardrail), the GitOps
/// updater opens the one-line pull request, the notifier emails the team. Every function has its
/// own least-privilege role and log group; Step Functions has its own role that may invoke the
/// three task functions only. The GitHub App's credentials live in Secrets Manager, built from
/// parameters (the private key NoEcho).
public enum EksAmiUpdateStack {
    /// The code of the four functions.
    public struct Code: Sendable {
        /// The AMI detector (run by the schedule).
        public var detector: FunctionCode
        /// The Bedrock analyzer (first task).
        public var analyzer: FunctionCode
        /// The GitOps pull request updater (second task).
        public var updater: FunctionCode
        /// The notifier (last task).
        public var notifier: FunctionCode

        /// This repository's functions, any of them replaced.
        public init(detector: FunctionCode = .amiDetector, analyzer: FunctionCode = .bedrockAnalyzer,
                    updater: FunctionCode = .gitopsUpdater, notifier: FunctionCode = .notifier) {
            self.detector = detector
            self.analyzer = analyzer
            self.updater = updater
            self.notifier = notifier
        }

        /// This repository's functions.
        public static let repository = Code()
    }

    /// Whether `text` is written major.minor (`1.34`): digits without a leading zero, a dot, digits.
    static func isEKSVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = parts.first, let minor = parts.last,
              let lead = major.first, lead != "0", !minor.isEmpty else { return false }
        return (major + minor).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The stack's name for an environment.
    public static func stackName(_ environment: String) -> String { "EksAmiUpdateStack-\(environment)" }

    /// The workflow's Task states, in order.
    public static let workflowStates = ["AnalyzeAmi", "CreatePullRequest", "NotifyTeam"]

    /// The public SSM parameters the detector reads, below
    /// `/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/`.
    public static let amiParameterNames = ["image_id", "release_version"]

    /// Adds the stack for `env` to `app`. An invalid schedule or EKS version in the environment
    /// table and code that cannot be packaged are synthesis errors.
    @discardableResult
    public static func add(to app: App, _ env: Environment, code: Code = .repository) -> Stack {
        let stack = app.stack(stackName(env.name),
                              description: "EKS AMI update bot: detect new EKS-optimized AMIs, analyze them with Bedrock, open a GitOps pull request, notify (\(env.name))",
                              environment: env.name, regions: env.regions)
        let packages = [("Detector", code.detector), ("Analyzer", code.analyzer), ("Updater", code.updater), ("Notifier", code.notifier)]
            .map { id, functionCode in functionCode.package(reportingTo: stack, at: stack.path + "/\(id)/Default") }
        guard let detectorCode = packages[0], let analyzerCode = packages[1], let updaterCode = packages[2],
              let notifierCode = packages[3] else { return stack }

        do {
            _ = try ScheduleExpression(env.amiPollingSchedule)
        } catch {
            stack.report(.error(ConstructDiagnosticCode.invalidSchedule, path: stack.path + "/Parameters/PollingSchedule", property: "Default",
                                "Default: environment \(env.name)'s amiPollingSchedule: \(error)"))
        }
        if !isEKSVersion(env.eksVersion) {
            stack.report(.error(ConstructDiagnosticCode.invalidSetting, path: stack.path + "/Parameters/EKSVersion", property: "Default",
                                "Default: environment \(env.name)'s eksVersion \(TemplateValue.string(env.eksVersion)) is not an EKS version; versions are written major.minor, as in 1.34"))
        }

        // Parameters, in the seed's order. Deploy values for all but the private key (NoEcho).
        let settings = env.amiUpdate
        let email = stack.parameter("NotificationEmail", type: .string, description: "Who receives the pull request notifications and alarms",
                                    allowedPattern: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, constraintDescription: "an email address",
                                    deployValue: settings.notificationEmail)
        let appId = stack.parameter("GitHubAppId", type: .string, description: "The GitHub App's id",
                                    allowedPattern: "^[0-9]+$", constraintDescription: "the App's numeric id",
                                    deployValue: settings.gitHubAppId)
        let installationId = stack.parameter("GitHubAppInstallationId", type: .string, description: "The GitHub App installation's id",
                                             allowedPattern: "^[0-9]+$", constraintDescription: "the installation's numeric id",
                                             deployValue: settings.gitHubAppInstallationId)
        // The key goes into the secret's JSON: one line of base64 (`base64 -i app.pem | tr -d '\n'`)
        // or the PEM with its line breaks written as \n; never a quote or a real line break.
        let privateKey = stack.parameter("GitHubAppPrivateKey", type: .string,
                                         description: "The GitHub App's private key: the PEM base64-encoded on one line (base64 -i app.pem | tr -d '\\n')",
                                         noEcho: true, allowedPattern: #"^[A-Za-z0-9+/= \\-]+$"#,
                                         constraintDescription: "the PEM base64-encoded on one line, or the PEM with its line breaks written as \\n")
        let owner = stack.parameter("GitHubRepoOwner", type: .string, description: "The owner (user or organization) of the node class repository",
                                    allowedPattern: "^[A-Za-z0-9-]+$", constraintDescription: "a GitHub user or organization name",
                                    deployValue: settings.gitHubRepoOwner)
        let repo = stack.parameter("GitHubRepoName", type: .string, description: "The repository holding the Karpenter node class",
                                   allowedPattern: #"^[A-Za-z0-9_.-]+$"#, constraintDescription: "a GitHub repository name",
                                   deployValue: settings.gitHubRepoName)
        let filePath = stack.parameter("GitHubFilePath", type: .string, description: "The EC2NodeClass file in the repository",
                                       minLength: 1, deployValue: settings.gitHubFilePath)
        let branch = stack.parameter("GitHubBranch", type: .string, description: "The branch pull requests target",
                                     default: "main", minLength: 1, deployValue: settings.gitHubBranch)
        let eksVersion = stack.parameter("EKSVersion", type: .string, description: "The EKS version whose optimized AMIs are watched",
                                         default: .string(env.eksVersion), allowedPattern: #"^[1-9][0-9]*\.[0-9]+$"#,
                                         constraintDescription: "an EKS version such as 1.34")
        let schedule = stack.parameter("PollingSchedule", type: .string, description: "When the detector runs (EventBridge schedule expression, UTC)",
                                       default: .string(env.amiPollingSchedule), allowedPattern: ScheduleExpression.allowedPattern,
                                       constraintDescription: "an EventBridge schedule: rate(value unit) or cron(six fields)")

        // Guardrail on the analysis: the release notes come from the internet, so prompt attacks
        // are filtered on input; harmful content on both sides.
        let guardrail = Guardrail(
            in: stack, "AnalysisGuardrail", name: .literal("eksAmiAnalysisGuardrail-\(env.name)"),
            description: "Filters the EKS AMI release notes sent to the model and the analysis it returns",
            filters: [
                .init(.promptAttack, input: .high, output: .noneValue),
                .init(.hate, input: .high, output: .high),
                .init(.insults, input: .high, output: .high),
                .init(.sexual, input: .high, output: .high),
                .init(.violence, input: .high, output: .high),
                .init(.misconduct, input: .high, output: .high),
            ],
            blockedInputMessage: "The release notes were blocked by the guardrail.",
            blockedOutputMessage: "The analysis was blocked by the guardrail.")

        // The GitHub App's credentials, in the shape the functions read.
        let secretJSON: Value<String>
        do {
            secretJSON = try SubstitutedJSON.string(
                ["app_id": appId.ref, "installation_id": installationId.ref, "private_key": privateKey.ref] as [String: Value<String>],
                in: stack, pretty: false)
        } catch {
            stack.report(.error(DiagnosticCode.unencodableValue, path: stack.path + "/GitHubAppSecret", property: "SecretString",
                                "SecretString: \(error)"))
            return stack
        }
        let secret = stack.add("GitHubAppSecret", SecretsManager.Secret(
            description: .literal("GitHub App credentials of the EKS AMI update bot (\(env.name))"),
            name: .literal("eks-ami-update/\(env.name)/github-app"),
            secretString: secretJSON))
        secret.suppress("FM4260", reason: "its value is built from NoEcho parameters on every deploy, so a deleted or replaced secret loses nothing the next deploy does not write again")

        let topic = NotificationTopic(in: stack, "Notifications", displayName: "EKS AMI updates (\(env.name))", email: email.ref)
        RuleDecisions.plainNotifications(topic)

        // The three task functions.
        let analyzer = PythonFunction(
            in: stack, "Analyzer", functionName: "eks-ami-bedrock-analyzer-\(env.name)",
            description: "Bedrock risk analysis of the new AMI's release notes, through the guardrail",
            asset: analyzerCode.asset, handler: analyzerCode.handler,
            environment: [
                "MODEL_ID": .literal(Models.amiAnalysis),
                "GUARDRAIL_ID": guardrail.guardrailId,
                "GUARDRAIL_VERSION": guardrail.version,
            ],
            timeoutSeconds: 120, logRetentionDays: env.logRetentionDays)
        analyzer.role.grant(
            .allow(["bedrock:InvokeModel"], on: [Models.foundationModelArn(Models.amiAnalysis)], sid: "InvokeAnalysisModel"),
            .allow(["bedrock:ApplyGuardrail"], on: [guardrail.arn], sid: "ApplyGuardrail"))

        let gitHubEnvironment: [String: Value<String>] = [
            "SECRET_ARN": secret.ref,
            "GITHUB_REPO_OWNER": owner.ref,
            "GITHUB_REPO_NAME": repo.ref,
            "GITHUB_FILE_PATH": filePath.ref,
            "GITHUB_BRANCH": branch.ref,
        ]
        let updater = PythonFunction(
            in: stack, "Updater", functionName: "eks-ami-gitops-updater-\(env.name)",
            description: "Opens the one-line pull request that moves the node class to the new AMI",
            asset: updaterCode.asset, handler: updaterCode.handler, environment: gitHubEnvironment,
            timeoutSeconds: 60, logRetentionDays: env.logRetentionDays)
        updater.role.grant(.allow(["secretsmanager:GetSecretValue"], on: [secret.ref], sid: "ReadGitHubAppSecret"))

        let notifier = PythonFunction(
            in: stack, "Notifier", functionName: "eks-ami-notifier-\(env.name)",
            description: "Emails the pull request link and the analysis summary",
            asset: notifierCode.asset, handler: notifierCode.handler, environment: ["TOPIC_ARN": topic.arn],
            timeoutSeconds: 30, logRetentionDays: env.logRetentionDays)
        notifier.role.grant(.allow(["sns:Publish"], on: [topic.arn], sid: "PublishNotifications"))

        // analyze → create PR → notify, as typed data; its role may invoke these three only.
        let workflow = StateMachine(
            in: stack, "Workflow", name: .literal("eks-ami-update-\(env.name)"),
            definition: .sequence(comment: "EKS AMI update: analyze the release notes, open the pull request, notify the team", [
                (workflowStates[0], .init(.lambdaInvoke(analyzer.arn), comment: "Bedrock risk analysis", retry: [.lambdaServiceErrors])),
                (workflowStates[1], .init(.lambdaInvoke(updater.arn), comment: "Branch, one-line edit, pull request", retry: [.lambdaServiceErrors])),
                (workflowStates[2], .init(.lambdaInvoke(notifier.arn), comment: "Email the team", retry: [.lambdaServiceErrors])),
            ]))

        // The detector starts the workflow; it is not one of its tasks (no cycle).
        var detectorEnvironment = gitHubEnvironment
        detectorEnvironment["EKS_VERSION"] = eksVersion.ref
        detectorEnvironment["STATE_MACHINE_ARN"] = workflow.arn
        let detector = PythonFunction(
            in: stack, "Detector", functionName: "eks-ami-detector-\(env.name)",
            description: "Compares the recommended EKS AMI with the node class in GitHub; starts the update workflow",
            asset: detectorCode.asset, handler: detectorCode.handler, environment: detectorEnvironment,
            timeoutSeconds: 60, logRetentionDays: env.logRetentionDays)
        let parameterPath: Value<String> = "parameter/aws/service/eks/optimized-ami/\(eksVersion.ref)/amazon-linux-2023/x86_64/standard/recommended/"
        detector.role.grant(
            .allow(["ssm:GetParameter"],
                   on: amiParameterNames.map { name -> Value<String> in "arn:\(AWS.partition):ssm:\(AWS.region)::\(parameterPath)\(name)" },
                   sid: "ReadRecommendedAmi"),
            .allow(["secretsmanager:GetSecretValue"], on: [secret.ref], sid: "ReadGitHubAppSecret"),
            .allow(["states:StartExecution"], on: [workflow.arn], sid: "StartWorkflow"))

        detector.function.suppress("FM4504", reason: "a scheduled poll: the next run detects the same new AMI again, so a dropped event is retried by the schedule, and failed runs raise the DetectorErrors alarm")
        for function in [analyzer, updater, notifier, detector] { RuleDecisions.keepOnlyWhileTheStackLives(function.logGroup) }
        let rule = ScheduleRule(in: stack, "Schedule", schedule: schedule.ref, function: detector, targetId: "Detector",
                                description: "Runs the EKS AMI detector (\(env.name))")

        // A failed workflow or detector run would otherwise go unnoticed.
        MetricAlarm.add(in: stack, "WorkflowFailedAlarm", name: .literal("eksAmiUpdate-WorkflowFailed-\(env.name)"),
                        description: "An AMI update workflow execution failed: no pull request or no notification",
                        metric: Metric(namespace: "AWS/States", name: "ExecutionsFailed", dimensions: [("StateMachineArn", workflow.arn)],
                                       aggregation: .sum, period: 300),
                        threshold: 1, evaluationPeriods: 1, comparison: .greaterThanOrEqualToThreshold,
                        treatMissingData: .notBreaching, notify: [topic.arn])
        detector.alarmOnErrors(name: .literal("eksAmiUpdate-DetectorErrors-\(env.name)"), notify: [topic.arn])

        stack.output("StateMachineArn", workflow.arn, description: "The analyze → pull request → notify workflow")
        stack.output("NotificationTopicArn", topic.arn)
        stack.output("DetectorFunctionArn", detector.arn, description: "aws lambda invoke it to check for a new AMI now")
        stack.output("GitHubAppSecretArn", secret.ref, description: "The GitHub App credentials (update the private key here)")
        stack.output("ScheduleRuleArn", rule.arn)
        return stack
    }
}
