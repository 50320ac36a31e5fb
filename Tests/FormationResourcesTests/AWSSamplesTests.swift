import Formation
@testable import FormationRegistry
import FormationResources
import FormationTemplate
import Testing

/// Regressions found by running AWS's sample templates (aws-cloudformation-templates,
/// `make samples-report`, docs/aws-samples.md) through `validate --template`: templates
/// CloudFormation accepts that Formation refused.
@Suite struct AWSSamplesTests {
    func validate(_ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml, file: "t.yaml"))
        let context = ValidationContext(stackPath: "t.yaml", schemas: .bundled)
        return TemplateValidator.validate(template, context).map(\.description)
    }

    @Test func longestMatch() {
        let cases: [(String, Int?)] = [
            (#"\S"#, 1), ("", 0), (#"\{####\}"#, 6), ("[a-zA-Z][a-zA-Z0-9_]{0,47}", 48), ("dev|prd", 3),
            ("(ab){2,3}c?", 7), ("a+", nil), ("x{2,}", nil), ("(a)\\1", nil), (#"[\]|]x?"#, 2),
            (#"\u0041{3}"#, 3), ("(?=a{9})b", 1), ("(?:ab|c)d", 3), ("(?<name>ab)", 2), ("[^<>&'\"]", 1),
            ("a{1", 3), ("(a|b", nil), ("*a", nil), ("a{0}", 0), ("[a-z]*?", nil), (".{1,255}", 255),
        ]
        for (pattern, longest) in cases {
            #expect(PatternAnchoring.longestMatch(pattern) == longest, "\(pattern)")
        }
    }

    @Test func patternsTheSchemaShowsAreNotTheWholeValueAreSearched() {
        #expect(PatternAnchoring.appliesAsSearch(#"\S"#, maxLength: 128))
        #expect(PatternAnchoring.appliesAsSearch(#"\S"#, maxLength: nil))
        #expect(PatternAnchoring.appliesAsSearch("", maxLength: nil))
        #expect(PatternAnchoring.appliesAsSearch(#"\{####\}"#, maxLength: 140))
        // The AgentCore name rule (no maxLength) and a bound equal to maxLength stay whole-value.
        #expect(!PatternAnchoring.appliesAsSearch("[a-zA-Z][a-zA-Z0-9_]{0,47}", maxLength: nil))
        #expect(!PatternAnchoring.appliesAsSearch("[a-z]{1,48}", maxLength: 48))
        #expect(!PatternAnchoring.appliesAsSearch("[a-z]+", maxLength: 100))
        #expect(!PatternAnchoring.appliesAsSearch(#"^\S"#, maxLength: 100))
        let vendor = SchemaPattern(#"\S"#, searched: PatternAnchoring.appliesAsSearch(#"\S"#, maxLength: 128))
        #expect(vendor.matches("AWS") && vendor.matches("a b") && !vendor.matches("   ") && !vendor.matches(""))
    }

    /// Solutions/WebApp/webapp.yaml: the registry's `VendorName` pattern is `\S` (maxLength 128);
    /// applied to the whole value it refused `AWS`, the vendor of every AWS managed rule group.
    @Test func wafVendorNameIsNotOneCharacter() throws {
        let diagnostics = try validate("""
            Resources:
              Acl:
                Type: AWS::WAFv2::WebACL
                Properties:
                  Scope: REGIONAL
                  DefaultAction: {Allow: {}}
                  VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl}
                  Rules:
                    - Name: common
                      Priority: 0
                      OverrideAction: {None: {}}
                      VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: common}
                      Statement:
                        ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}
                    - Name: blank
                      Priority: 1
                      OverrideAction: {None: {}}
                      VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: blank}
                      Statement:
                        ManagedRuleGroupStatement: {VendorName: '  ', Name: AWSManagedRulesCommonRuleSet}
            """)
        #expect(diagnostics == [
            "error FM3004 t.yaml/Acl: Rules[1].Statement.ManagedRuleGroupStatement.VendorName \"  \" does not match \\S (AWS::WAFv2::WebACL)",
        ])
    }

    /// Cognito's SMS messages (maxLength 140) must contain the `{####}` placeholder, not be it.
    @Test func cognitoMessagesContainThePlaceholder() throws {
        let diagnostics = try validate("""
            Resources:
              Pool:
                Type: AWS::Cognito::UserPool
                Properties:
                  SmsAuthenticationMessage: 'Your code is {####}'
                  SmsVerificationMessage: 'Your code is 1234'
            """)
        #expect(diagnostics == [
            "error FM3004 t.yaml/Pool: SmsVerificationMessage \"Your code is 1234\" does not match \\{####\\} (AWS::Cognito::UserPool)",
        ])
    }

    /// The JSON twin of a Rain source (CloudFormation/StackSets/common-resources.json,
    /// Solutions/GitLab/GitLabServer.json): one FM1145 per directive, not a cascade of FM1111,
    /// FM1101 and FM1102 on what the module would add.
    @Test func rainDirectivesInJSONAreOneErrorEach() throws {
        let template = try Template(document: JSONParser.parse("""
            {"Resources": {
              "Network": {"Type": {"Rain::Module": "../../RainModules/vpc.yml"}, "Properties": {"Name": "x"}},
              "Server": {"Type": "AWS::EC2::Instance", "Properties": {
                "SubnetId": {"Fn::GetAtt": ["NetworkPublicSubnet1", "SubnetId"]},
                "UserData": {"Fn::Base64": {"Rain::Embed": "server.sh"}}}}},
             "Outputs": {"Id": {"Value": {"Ref": "NetworkVPC"}}}}
            """))
        let context = ValidationContext(stackPath: "t.json", schemas: .bundled)
        #expect(TemplateValidator.validate(template, context).map(\.description) == [
            "error FM1145 t.json/Network: Type.Rain::Module: Rain::Module is a Rain directive, which CloudFormation does not read; validate the template `rain pkg` writes from this file",
            "error FM1145 t.json/Server: Properties.UserData.Rain::Embed: Rain::Embed is a Rain directive, which CloudFormation does not read; validate the template `rain pkg` writes from this file",
        ])
    }

    /// The AgentCore name rule (seed gotcha 1) still matches the whole value.
    @Test func agentCoreNamesStillMatchTheWholeValue() throws {
        let diagnostics = try validate("""
            Resources:
              Runtime:
                Type: AWS::BedrockAgentCore::Runtime
                Properties:
                  AgentRuntimeName: customer-service-agent-dev
                  AgentRuntimeArtifact: {ContainerConfiguration: {ContainerUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/a:latest}}
                  NetworkConfiguration: {NetworkMode: PUBLIC}
                  RoleArn: arn:aws:iam::123456789012:role/r
            """)
        #expect(diagnostics.contains { $0.contains("AgentRuntimeName \"customer-service-agent-dev\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$") })
    }
}
