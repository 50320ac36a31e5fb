import FormationAssets
import Testing
@testable import FormationConstructs

@Suite struct RedisCacheTests {
    func build(highAvailability: Bool, nodeType: String = "cache.t4g.micro") -> (Stack, RedisCache, SecurityGroup) {
        let stack = App(schemas: .bundled).stack("S")
        let vpc = stack.parameter("VpcId", type: .vpcId)
        let subnets = stack.parameter("SubnetIds", type: .subnetIds)
        let clients = SecurityGroup(in: stack, "ClientSg", vpcId: vpc.ref, description: "clients")
        let cache = RedisCache(in: stack, "Cache", description: "test cache", vpcId: vpc.ref, subnetIds: subnets.ref,
                               nodeType: nodeType, highAvailability: highAvailability)
        cache.allowConnections(from: clients, description: "Redis from clients")
        return (stack, cache, clients)
    }

    @Test func encryptedSingleClusterWithoutHighAvailability() throws {
        let (stack, cache, _) = build(highAvailability: false)
        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        #expect(synthesis.template.resource("Cache")?.properties == [
            "AtRestEncryptionEnabled": true,
            "AutomaticFailoverEnabled": false,
            "CacheNodeType": "cache.t4g.micro",
            "CacheSubnetGroupName": .fn(.ref("CacheSubnets")),
            "Engine": "redis",
            "EngineVersion": "7.1",
            "MultiAZEnabled": false,
            "NumCacheClusters": 1,
            "Port": 6379,
            "ReplicationGroupDescription": "test cache",
            "SecurityGroupIds": [.fn(.getAtt("CacheSg", "GroupId"))],
            "TransitEncryptionEnabled": true,
        ])
        #expect(synthesis.template.resource("CacheSubnets")?.properties["SubnetIds"] == .fn(.ref("SubnetIds")))
        #expect(cache.host == .token(Token(.getAtt("Cache", "PrimaryEndPoint.Address"), stackName: "S")))
        #expect(cache.portAttribute == .token(Token(.getAtt("Cache", "PrimaryEndPoint.Port"), stackName: "S")))
    }

    @Test func highAvailabilityIsFailoverMultiAZAndTwoClusters() {
        let (stack, _, _) = build(highAvailability: true)
        let properties = stack.synthesize().template.resource("Cache")?.properties
        #expect(properties?["AutomaticFailoverEnabled"] == true)
        #expect(properties?["MultiAZEnabled"] == true)
        #expect(properties?["NumCacheClusters"] == 2)
    }

    @Test func clientsAreAdmittedBySecurityGroupOnlyThroughSeparateRules() {
        let (stack, _, _) = build(highAvailability: false)
        let template = stack.synthesize().template
        let cacheSg = template.resource("CacheSg")?.properties
        #expect(cacheSg?["SecurityGroupIngress"] == nil)
        #expect(cacheSg?["SecurityGroupEgress"] == [[
            "CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86,
        ]])
        #expect(template.resourceViews.filter { $0.type == "AWS::EC2::SecurityGroupIngress" }.map(\.logicalID) == ["CacheSgIngressFromClientSgTcp6379"])
        #expect(template.resource("CacheSgIngressFromClientSgTcp6379")?.properties == [
            "Description": "Redis from clients", "FromPort": 6379, "GroupId": .fn(.getAtt("CacheSg", "GroupId")), "IpProtocol": "tcp",
            "SourceSecurityGroupId": .fn(.getAtt("ClientSg", "GroupId")), "ToPort": 6379,
        ])
        #expect(template.resource("ClientSgEgressToCacheSgTcp6379")?.properties == [
            "Description": "Redis from clients", "DestinationSecurityGroupId": .fn(.getAtt("CacheSg", "GroupId")), "FromPort": 6379,
            "GroupId": .fn(.getAtt("ClientSg", "GroupId")), "IpProtocol": "tcp", "ToPort": 6379,
        ])
    }

    @Test(arguments: ["t4g.micro", "cache.T4G.micro", "cache..micro", "cache.t4g.micro.x", ""])
    func aMalformedNodeTypeIsNamed(_ nodeType: String) {
        let (stack, _, _) = build(highAvailability: false, nodeType: nodeType)
        #expect(stack.synthesize().diagnostics.map(\.description) == [
            "error FM4402 S/Cache/Default: CacheNodeType: \(TemplateValue.string(nodeType)) is not a cache node type; node types are written cache.<family>.<size>, as in cache.t4g.micro",
        ])
    }
}

@Suite struct PythonFunctionAlarmTests {
    @Test func errorAndDurationAlarmsFollowTheFunction() throws {
        let stack = App(schemas: .bundled).stack("S")
        let asset = try Asset.package(files: [ArchiveFile(path: "job.py", contents: Array("def run(e, c):\n    pass\n".utf8))],
                                      sourcePaths: ["job.py"])
        let function = PythonFunction(in: stack, "Job", functionName: "job", asset: asset, handler: try asset.handler("job.run"),
                                      timeoutSeconds: 45, logRetentionDays: 7)
        let topic: Value<String> = "arn:aws:sns:us-east-1:123456789012:alarms"
        function.alarmOnErrors(name: "job-errors", notify: [topic])
        function.alarmOnDuration(notify: [topic])
        let synthesis = stack.synthesize()
        #expect(synthesis.diagnostics.isEmpty, "\(synthesis.diagnostics)")
        let errors = synthesis.template.resource("JobErrorsAlarm")?.properties
        #expect(errors?["MetricName"] == "Errors")
        #expect(errors?["Namespace"] == "AWS/Lambda")
        #expect(errors?["Statistic"] == "Sum")
        #expect(errors?["Threshold"] == 1.0)
        #expect(errors?["ComparisonOperator"] == "GreaterThanOrEqualToThreshold")
        #expect(errors?["Dimensions"] == [["Name": "FunctionName", "Value": .fn(.ref("Job"))]])
        #expect(errors?["AlarmActions"] == [.string("arn:aws:sns:us-east-1:123456789012:alarms")])
        let duration = synthesis.template.resource("JobDurationAlarm")?.properties
        #expect(duration?["MetricName"] == "Duration")
        #expect(duration?["ExtendedStatistic"] == "p99")
        #expect(duration?["Threshold"] == 36000.0)  // 80 % of the 45 s timeout, in ms
        #expect(duration?["ComparisonOperator"] == "GreaterThanThreshold")
        #expect(function.timeoutSeconds == 45)
    }
}
