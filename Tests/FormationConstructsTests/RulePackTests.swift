import Testing
@testable import FormationConstructs

/// The rule pack's rules, each on templates it must pass and templates it must fail.
@Suite struct RulePackTests {
    func findings(_ rule: some TemplateRule, _ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml))
        return rule.check(template, ValidationContext(stackPath: "t.yaml")).map(\.description)
    }

    // MARK: - IAM

    @Test func adminAccessFails() throws {
        #expect(try findings(AdminAccessRule(), """
        Resources:
          Admin:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
              ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess, !Sub "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"]
              Policies:
                - PolicyName: all
                  PolicyDocument: {Statement: [{Effect: Allow, Action: "*:*", Resource: "*"}]}
          Everything:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument: {Statement: [{Effect: Allow, Action: ["*"], Resource: ["*"]}]}
        """) == [
            "error FM4005 t.yaml/Admin: Policies[0].PolicyDocument.Statement[0]: allows every action on every resource: administrator access",
            "error FM4005 t.yaml/Admin: ManagedPolicyArns[1]: AWS's AdministratorAccess policy: administrator access",
            "error FM4005 t.yaml/Everything: PolicyDocument.Statement[0]: allows every action on every resource: administrator access",
        ])
    }

    @Test func narrowerGrantsAreNotAdminAccess() throws {
        #expect(try findings(AdminAccessRule(), """
        Resources:
          Scoped:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Action: "*", Resource: "arn:aws:s3:::bucket/*"}
                  - {Effect: Allow, Action: "s3:*", Resource: "*"}
                  - {Effect: Deny, Action: "*", Resource: "*"}
          ReadOnly:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
              ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
          Key:
            Type: AWS::KMS::Key
            Properties:
              KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}, Action: "kms:*", Resource: "*"}]}
        """).isEmpty)
    }

    @Test func trustOpenToEveryoneFails() throws {
        #expect(try findings(OpenTrustPolicyRule(), """
        Resources:
          Open:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
                  - {Effect: Allow, Principal: {AWS: ["arn:aws:iam::111122223333:root", "*"]}, Action: sts:AssumeRole}
          Star:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: {Effect: Allow, Principal: "*", Action: sts:AssumeRole}}
        """) == [
            "error FM4006 t.yaml/Open: AssumeRolePolicyDocument.Statement[1].Principal: \"*\" with no Condition lets any AWS account assume the role",
            "error FM4006 t.yaml/Star: AssumeRolePolicyDocument.Statement[0].Principal: \"*\" with no Condition lets any AWS account assume the role",
        ])
    }

    @Test func trustNamingPrincipalsOrConditionedPasses() throws {
        #expect(try findings(OpenTrustPolicyRule(), """
        Resources:
          Service:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
          Org:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: {AWS: "*"}
                    Action: sts:AssumeRole
                    Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123}}
          Denied:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: sts:AssumeRole}]}
        """).isEmpty)
    }

    // MARK: - S3

    @Test func publicBucketPolicyFails() throws {
        #expect(try findings(S3BucketRules(), """
        Resources:
          Site:
            Type: AWS::S3::Bucket
          SitePolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Site
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${Site.Arn}/*"}
                  - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {aws:SecureTransport: false}}}
        """) == [
            "error FM4901 t.yaml/SitePolicy: PolicyDocument.Statement[0].Principal: \"*\" with no Condition allows s3:GetObject to anyone",
        ])
    }

    @Test func publicAccessBlockTurnedOffWarns() throws {
        #expect(try findings(S3BucketRules(), """
        Resources:
          Open:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration: {BlockPublicAcls: false, BlockPublicPolicy: "false", IgnorePublicAcls: true, RestrictPublicBuckets: true}
          Default:
            Type: AWS::S3::Bucket
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Open
              PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {"aws:SecureTransport": "false"}}}]}
          DefaultPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Default
              PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {"aws:SecureTransport": [false]}}}]}
        """) == [
            "warning FM4902 t.yaml/Open: PublicAccessBlockConfiguration: BlockPublicAcls, BlockPublicPolicy are false; the bucket can be made public",
        ])
    }

    @Test func bucketWithoutTLSOnlyPolicyWarns() throws {
        #expect(try findings(S3BucketRules(), """
        Resources:
          Plain:
            Type: AWS::S3::Bucket
          Other:
            Type: AWS::S3::Bucket
          OtherPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Other
              PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {aws:SecureTransport: true}}}]}
        """) == [
            "warning FM4903 t.yaml/Plain: no bucket policy of the template denies requests without TLS (aws:SecureTransport false)",
            "warning FM4903 t.yaml/Other: no bucket policy of the template denies requests without TLS (aws:SecureTransport false)",
        ])
    }

    /// AWS's samples (Rain's bucket module, packaged): the policy names its bucket by the same
    /// `Fn::Sub` as the bucket's BucketName, not by Ref; a different name is still a finding.
    @Test func aPolicyNamingTheBucketByItsNameCovers() throws {
        #expect(try findings(S3BucketRules(), """
        Resources:
          Named:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Sub "${AWS::StackName}-logs-${AWS::AccountId}"}
          Literal:
            Type: AWS::S3::Bucket
            Properties: {BucketName: my-literal-bucket}
          Elsewhere:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Sub "${AWS::StackName}-other"}
          NamedPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Sub "${AWS::StackName}-logs-${AWS::AccountId}"
              PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {aws:SecureTransport: false}}}]}
          LiteralPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: my-literal-bucket
              PolicyDocument: {Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {aws:SecureTransport: false}}}]}
        """) == [
            "warning FM4903 t.yaml/Elsewhere: no bucket policy of the template denies requests without TLS (aws:SecureTransport false)",
        ])
    }

    // MARK: - Network

    @Test func worldOpenAdminAndDatabasePortsFail() throws {
        #expect(try findings(OpenIngressRule(), """
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
                - {IpProtocol: "6", FromPort: "3300", ToPort: "3400", CidrIpv6: "::/0"}
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
          All:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: {GroupId: !Ref Sg, IpProtocol: "-1", CidrIp: 0.0.0.0/0}
          Redis:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIp: 0.0.0.0/0}
        """) == [
            "error FM4801 t.yaml/Sg: SecurityGroupIngress[1]: admits 0.0.0.0/0 on 22 (SSH)",
            "error FM4801 t.yaml/Sg: SecurityGroupIngress[2]: admits ::/0 on 3389 (RDP), 3306 (MySQL)",
            "error FM4801 t.yaml/All: admits 0.0.0.0/0 on 22 (SSH), 23 (Telnet), 3389 (RDP), 5985 (WinRM), 5986 (WinRM over HTTPS), 1433 (SQL Server), 1521 (Oracle), 3306 (MySQL), 5432 (PostgreSQL), 5439 (Redshift), 6379 (Redis), 9042 (Cassandra), 9200 (Elasticsearch), 11211 (Memcached), 27017 (MongoDB)",
            "error FM4801 t.yaml/Redis: admits 0.0.0.0/0 on 6379 (Redis)",
        ])
        // A parameter whose Default is open opens the port when the deploy does not override it
        // (AWS's samples' SSHLocation); a parameter without such a Default is not judged.
        #expect(try findings(OpenIngressRule(), """
        Parameters:
          SSHLocation: {Type: String, Default: 0.0.0.0/0}
          Office: {Type: String, Default: 203.0.113.0/24}
          Given: {Type: String}
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: ssh
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Office}
                - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Given}
        """) == [
            "error FM4801 t.yaml/Sg: SecurityGroupIngress[0]: admits 0.0.0.0/0 (the Default of parameter SSHLocation) on 22 (SSH)",
        ])
    }

    @Test func webPortsPeersAndIntrinsicsPass() throws {
        #expect(try findings(OpenIngressRule(), """
        Parameters:
          Port: {Type: Number}
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
                - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: "::/0"}
                - {IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}
                - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0}
          FromPeer:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref Sg}
        """).isEmpty)
    }

    // MARK: - Lambda

    static let functions = """
    Resources:
      Old:
        Type: AWS::Lambda::Function
        Properties: {Runtime: python3.9, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
      Blocked:
        Type: AWS::Lambda::Function
        Properties: {Runtime: nodejs18.x, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
      Gone:
        Type: AWS::Serverless::Function
        Properties: {Runtime: go1.x, Handler: main, CodeUri: s3://b/k}
      Current:
        Type: AWS::Lambda::Function
        Properties: {Runtime: python3.12, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
      Unknown:
        Type: AWS::Lambda::Function
        Properties: {Runtime: cobol85, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
      FromParameter:
        Type: AWS::Lambda::Function
        Properties: {Runtime: !Ref Runtime, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
    """

    /// The dates are cfn-lint 1.58.0's (LmbdRuntimeLifecycle.json): python3.9 deprecated
    /// 2025-12-15, create-block 2027-02-01, update-block 2027-03-03; nodejs18.x 2025-09-01,
    /// 2027-02-01, 2027-03-03; go1.x 2024-01-08, 2024-02-08, 2027-03-03; python3.12 2028-10-31.
    @Test func runtimesByDate() throws {
        #expect(try findings(LambdaRuntimeRule(today: "2025-01-01"), Self.functions) == [
            "error FM4503 t.yaml/Gone: Runtime: Lambda has refused to create functions on go1.x since 2024-02-08, and will refuse updates from 2027-03-03; move to provided.al2023",
        ])
        #expect(try findings(LambdaRuntimeRule(today: "2026-01-01"), Self.functions) == [
            "warning FM4502 t.yaml/Old: Runtime: python3.9 has been deprecated since 2025-12-15; Lambda refuses to create functions on it from 2027-02-01; move to python3.14",
            "warning FM4502 t.yaml/Blocked: Runtime: nodejs18.x has been deprecated since 2025-09-01; Lambda refuses to create functions on it from 2027-02-01; move to nodejs24.x",
            "error FM4503 t.yaml/Gone: Runtime: Lambda has refused to create functions on go1.x since 2024-02-08, and will refuse updates from 2027-03-03; move to provided.al2023",
        ])
        #expect(try findings(LambdaRuntimeRule(today: "2027-03-03"), Self.functions) == [
            "error FM4503 t.yaml/Old: Runtime: Lambda has refused to create or update functions on python3.9 since 2027-03-03; move to python3.14",
            "error FM4503 t.yaml/Blocked: Runtime: Lambda has refused to create or update functions on nodejs18.x since 2027-03-03; move to nodejs24.x",
            "error FM4503 t.yaml/Gone: Runtime: Lambda has refused to create or update functions on go1.x since 2027-03-03; move to provided.al2023",
        ])
        #expect(try findings(LambdaRuntimeRule(today: "2028-10-31"), Self.functions).contains(
            "warning FM4502 t.yaml/Current: Runtime: python3.12 has been deprecated since 2028-10-31; Lambda refuses to create functions on it from 2028-11-30; move to python3.14"))
    }

    @Test func aRuntimeWithoutAnnouncedBlockDates() throws {
        // dotnet9: deprecated 2026-11-10, no create-block or update-block date announced.
        let yaml = "Resources:\n  F: {Type: AWS::Lambda::Function, Properties: {Runtime: dotnet9}}\n"
        #expect(try findings(LambdaRuntimeRule(today: "2030-01-01"), yaml) == [
            "warning FM4502 t.yaml/F: Runtime: dotnet9 has been deprecated since 2026-11-10; move to dotnet10",
        ])
        #expect(try findings(LambdaRuntimeRule(today: "2026-11-09"), yaml).isEmpty)
    }

    @Test func todayIsADate() {
        let today = LambdaRuntimeRule().today
        #expect(today.count == 10 && today >= "2026-01-01" && today < "2100-01-01", "\(today)")
        #expect(LambdaRuntimeRule.lifecycle.count == 47 && LambdaRuntimeRule.lifecycleSource == "cfn-lint 1.58.0")
    }

    // MARK: - The pack

    @Test func everyRuleHasAUniqueIDRationaleAndFix() {
        let ids = RulePack.catalog.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ["FM4001", "FM4002", "FM4003", "FM4004", "FM4005", "FM4006", "FM4901", "FM4902", "FM4903", "FM4801",
                        "FM4502", "FM4503", "FM4201", "FM4202", "FM4203", "FM4204", "FM4205", "FM4206", "FM4207", "FM4208",
                        "FM4209", "FM4210", "FM4905", "FM4802", "FM4220", "FM4221", "FM4222", "FM4223", "FM4224",
                        "FM4504", "FM4250", "FM4251", "FM4260",
                        "FM4211", "FM4212", "FM4213", "FM4214", "FM4215", "FM4216", "FM4217", "FM4230", "FM4231", "FM4232", "FM4233",
                        "FM4234", "FM4235", "FM4236", "FM4237", "FM4238", "FM4239", "FM4240", "FM4242", "FM4810", "FM4811", "FM4812", "FM4813", "FM4814",
                        "FM4815", "FM4816", "FM4817", "FM4818", "FM4819", "FM4007", "FM4008", "FM4009", "FM4225", "FM4226",
                        "FM4227", "FM4270", "FM4271", "FM4280", "FM4281", "FM4282", "FM4283", "FM4252", "FM4241"])
        for rule in RulePack.catalog {
            #expect(!rule.title.isEmpty && !rule.rationale.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
        }
    }
}
