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
            "error FM4002 S/Grant: Policies[0].PolicyDocument.Statement[0].Resource: \"*\" for ecr:BatchGetImage, which AWS authorizes on specific resources; name their ARNs",
        ])
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
