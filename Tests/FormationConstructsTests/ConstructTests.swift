import FormationAssets
import FormationTesting
import Testing
@testable import FormationConstructs

func synthesize(_ build: (Stack) -> Void) -> Synthesis {
    let app = App(schemas: .bundled, rules: [LeastPrivilegeRule(), LogGroupKeyPolicyRule()])
    let stack = app.stack("S")
    build(stack)
    return stack.synthesize()
}

@Suite struct SecurityGroupTests {
    @Test func cidrRulesAreInlineAndPeerRulesAreSeparateResources() {
        let synthesis = synthesize { stack in
            let app = SecurityGroup(in: stack, "AppSg", vpcId: "vpc-1", description: "app")
            let cache = SecurityGroup(in: stack, "CacheSg", vpcId: "vpc-1", description: "cache")
            app.allowOutbound(to: .cidr("10.0.0.0/16"), .tcp(443), description: "https")
            app.connect(to: cache, .tcp(6379), description: "redis")
        }
        let t = TemplateAssertions(synthesis)
        t.hasNoErrors()
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupEgress": .arrayExactly([["CidrIp": "10.0.0.0/16", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]]),
            "SecurityGroupIngress": .absent,
        ], logicalID: "AppSg")
        // No outbound rule on the cache group: the placeholder keeps CloudFormation from adding allow-all.
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupEgress": .arrayExactly([["CidrIp": "255.255.255.255/32", "IpProtocol": "icmp", "FromPort": 252, "ToPort": 86]]),
            "SecurityGroupIngress": .absent,
        ], logicalID: "CacheSg")
        t.hasResourceProperties("AWS::EC2::SecurityGroupEgress", [
            "GroupId": .getAtt("AppSg", "GroupId"), "DestinationSecurityGroupId": .getAtt("CacheSg", "GroupId"),
            "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379,
        ], logicalID: "AppSgEgressToCacheSgTcp6379")
        t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", [
            "GroupId": .getAtt("CacheSg", "GroupId"), "SourceSecurityGroupId": .getAtt("AppSg", "GroupId"),
            "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379,
        ], logicalID: "CacheSgIngressFromAppSgTcp6379")
    }

    @Test func allowAllOutboundWritesTheAllowAllRule() {
        let t = TemplateAssertions(synthesize { stack in
            _ = SecurityGroup(in: stack, "Sg", vpcId: "vpc-1", description: "open", allowAllOutbound: true)
        })
        t.hasResourceProperties("AWS::EC2::SecurityGroup", [
            "SecurityGroupEgress": .arrayExactly([["IpProtocol": "-1", "CidrIp": "0.0.0.0/0"]]),
        ])
    }
}

@Suite struct EncryptionKeyTests {
    @Test func theLogsStatementAppearsOnlyOnceTheKeyIsHandedToALogGroup() {
        let unused = TemplateAssertions(synthesize { stack in _ = EncryptionKey(in: stack, "Key") })
        unused.hasResourceProperties("AWS::KMS::Key", ["KeyPolicy": ["Statement": .arrayExactly([["Sid": "AccountAdministersKey"]])]])

        let used = TemplateAssertions(synthesize { stack in
            let key = EncryptionKey(in: stack, "Key")
            LogGroup.add(in: stack, "Logs", name: "/x", retentionDays: 7, encryptionKey: key)
        })
        used.hasNoErrors()
        used.hasResourceProperties("AWS::KMS::Key", ["KeyPolicy": ["Statement": .arrayContainingInOrder([
            ["Sid": "AccountAdministersKey"], ["Sid": "CloudWatchLogsUseKey"],
        ])]])
        used.hasResourceProperties("AWS::Logs::LogGroup", ["KmsKeyId": .getAtt("Key", "Arn"), "RetentionInDays": 7])
    }

    /// Gotcha 5 caught for code that does not go through `EncryptionKey`.
    @Test func aLogGroupOnAKeyWithoutTheLogsGrantIsAnError() {
        let synthesis = synthesize { stack in
            let key = stack.add("Key", KMS.Key(enableKeyRotation: true, keyPolicy: PolicyDocument([
                PolicyStatement(principals: [.aws("arn:aws:iam::123456789012:root")], actions: ["kms:*"], resources: ["*"]),
            ]).json))
            stack.add("Logs", Logs.LogGroup(kmsKeyId: key.arn, retentionInDays: 7))
        }
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM4201 S/Logs: KmsKeyId: key Key does not let logs.<region>.amazonaws.com use it; CloudWatch Logs cannot encrypt the group (give the key to the group with EncryptionKey.encrypt)",
        ])
    }
}

@Suite struct RoleAndAlarmTests {
    @Test func grantsBecomeOneInlinePolicyNamedAfterTheRole() {
        let t = TemplateAssertions(synthesize { stack in
            let role = Role(in: stack, "Worker", assumedBy: .service("lambda.amazonaws.com"))
            role.grant(.allow(["sqs:ReceiveMessage"], on: ["arn:aws:sqs:us-east-1:123456789012:q"]))
            role.grant(.allow(["sqs:DeleteMessage"], on: ["arn:aws:sqs:us-east-1:123456789012:q"]))
        })
        t.hasNoErrors()
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": .arrayExactly([[
            "PolicyName": "WorkerPolicy",
            "PolicyDocument": ["Statement": .arrayExactly([["Action": "sqs:ReceiveMessage"], ["Action": "sqs:DeleteMessage"]])],
        ]])])
    }

    @Test func percentileAlarmsUseExtendedStatistic() {
        let t = TemplateAssertions(synthesize { stack in
            MetricAlarm.add(in: stack, "Slow", metric: Metric(namespace: "AWS/Lambda", name: "Duration", aggregation: .percentile(99.9)),
                            threshold: 1000, evaluationPeriods: 1)
            MetricAlarm.add(in: stack, "Errors", metric: Metric(namespace: "AWS/Lambda", name: "Errors", aggregation: .sum),
                            threshold: 1, evaluationPeriods: 1, comparison: .greaterThanOrEqualToThreshold)
        })
        t.hasNoErrors()
        t.hasResourceProperties("AWS::CloudWatch::Alarm", ["ExtendedStatistic": "p99.9", "Statistic": .absent], logicalID: "Slow")
        t.hasResourceProperties("AWS::CloudWatch::Alarm", ["Statistic": "Sum", "ExtendedStatistic": .absent, "Threshold": 1.0],
                                logicalID: "Errors")
    }
}

@Suite struct PythonFunctionTests {
    func asset(_ source: String, inlineLimit: Int) throws -> Asset {
        try Asset.package(files: [ArchiveFile(path: "index.py", contents: Array(source.utf8))], sourcePaths: ["fn"], inlineLimit: inlineLimit)
    }

    @Test func smallCodeIsInlinedAndTheRoleWritesOnlyItsLogGroup() throws {
        let code = try asset("def handler(event, context):\n    return 1\n", inlineLimit: 4096)
        let synthesis = synthesize { stack in
            _ = PythonFunction(in: stack, "Fn", functionName: "fn-dev", asset: code, handler: "index.handler", logRetentionDays: 14)
        }
        let t = TemplateAssertions(synthesis)
        t.hasNoErrors()
        #expect(synthesis.assets.isEmpty)
        t.hasResourceProperties("AWS::Lambda::Function", [
            "Code": ["ZipFile": "def handler(event, context):\n    return 1\n"], "Runtime": "python3.12", "Handler": "index.handler",
            "Role": .getAtt("FnRole", "Arn"), "LoggingConfig": ["LogGroup": .ref("FnLogs")], "VpcConfig": .absent,
        ])
        t.hasResourceProperties("AWS::Logs::LogGroup", ["LogGroupName": "/aws/lambda/fn-dev", "RetentionInDays": 14])
        t.hasResourceProperties("AWS::IAM::Role", [
            "AssumeRolePolicyDocument": ["Statement": [["Principal": ["Service": "lambda.amazonaws.com"]]]],
            "Policies": [["PolicyDocument": ["Statement": .arrayExactly([[
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": .getAtt("FnLogs", "Arn"),
            ]])]]],
        ])
        t.resourceCount("AWS::Lambda::Function", is: 1)
        #expect(synthesis.template.parameters.isEmpty)
    }

    @Test func largerCodeIsAContentAddressedZipFromTheAssetBucket() throws {
        let code = try asset("def handler(event, context):\n    return 2\n", inlineLimit: 0)
        let zip = try #require(code.zip)
        let synthesis = synthesize { stack in
            let sg = SecurityGroup(in: stack, "Sg", vpcId: "vpc-1", description: "fn")
            _ = PythonFunction(in: stack, "Fn", functionName: "fn-dev", asset: code, handler: "index.handler", logRetentionDays: 14,
                               network: .init(securityGroup: sg, subnetIds: ["subnet-1"]))
        }
        let t = TemplateAssertions(synthesis)
        t.hasNoErrors()
        #expect(synthesis.assets == [StackAsset(fileName: zip.fileName, bytes: zip.bytes)])
        t.hasParameter("AssetBucket", ["Type": "String"])
        t.hasResourceProperties("AWS::Lambda::Function", [
            "Code": .objectExactly(["S3Bucket": .ref("AssetBucket"), "S3Key": .exact(.string(zip.fileName))]),
            "VpcConfig": ["SecurityGroupIds": [.getAtt("Sg", "GroupId")], "SubnetIds": ["subnet-1"]],
        ])
        t.hasResourceProperties("AWS::IAM::Role", ["Policies": [["PolicyDocument": ["Statement": .arrayContainingInAnyOrder([
            ["Sid": "VpcNetworkInterfaces", "Action": .arrayContainingInAnyOrder(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]),
             "Resource": .intrinsic("Fn::Sub", "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*")],
            ["Sid": "DescribeVpcNetworkInterfaces", "Action": "ec2:DescribeNetworkInterfaces", "Resource": "*"],
        ])]]]])
    }
}

@Suite struct StringifiedTokenTests {
    /// A token interpolated into a plain Swift String (not a Value<String>) is an error, not JSON
    /// text in a property.
    @Test func aTokenTurnedIntoPlainTextIsAnError() {
        let synthesis = synthesize { stack in
            let topic = stack.add("Topic", SNS.Topic())
            let name: String = "topic-\(topic.ref)"
            stack.add("Param", SSM.Parameter(type: .literal(.string), value: .literal(name)))
        }
        #expect(synthesis.diagnostics.map(\.description) == [
            "error FM1113 S/Param: Value: \"topic-${Token[{\\\"Ref\\\": \\\"Topic\\\"}]}\" holds a token turned into plain text; interpolate it into a Value<String> (which builds Fn::Sub), not a Swift String",
        ])
    }
}
