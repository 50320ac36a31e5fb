"""The benchmark's generated app, built with troposphere: the same resources, properties and
references as Formation's `formation-bench` generated app (see Sources/formation-bench/GeneratedApp.swift).

Each unit of 100 resources of 67 types is one service's slice of a real account: a VPC with public
and private subnets, routes, an internet gateway, a NAT gateway and flow logs; security groups
and rules; S3 and Secrets Manager endpoints; a KMS key; S3 buckets with policies, a DynamoDB
table, an EFS file system with mount targets and an access point; a secret and SSM parameters;
an SNS topic feeding an SQS queue with a dead-letter queue; a Kinesis stream fed by a log
subscription; a Lambda function with a version, an alias, event source mappings and permissions;
an ECS Fargate service behind an application load balancer with HTTPS, DNS and a certificate,
autoscaled; an API Gateway REST API with a Cognito authorizer; an EventBridge bus and rules; a
Step Functions state machine; CloudWatch alarms and a dashboard. Units are spread over stacks of
at most 500 resources (five units a stack).

Usage: python troposphere_app.py RESOURCES RUNS
       python troposphere_app.py --template RESOURCES STACK   (one stack's JSON, for the check)
Prints one JSON line: {"resources": N, "runs": [seconds, ...], "bytes": total_json_bytes}.
"""
import json
import sys
import time

from troposphere import GetAtt, GetAZs, Ref, Select, Sub, Tags, Template
from troposphere import (apigateway, applicationautoscaling, awslambda, certificatemanager, cloudwatch, cognito,
                         dynamodb, ec2, ecr, ecs, efs, elasticloadbalancingv2 as elbv2, events, iam, kinesis, kms,
                         logs, route53, s3, secretsmanager, sns, sqs, ssm, stepfunctions)

PER_STACK = 500
PER_UNIT = 100

HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
LIFECYCLE = '{"rules":[{"rulePriority":1,"description":"keep 20 images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":20},"action":{"type":"expire"}}]}'
DASHBOARD = ('{"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"region":"${AWS::Region}",'
             '"title":"Function","metrics":[["AWS/Lambda","Invocations","FunctionName","${Function}"],'
             '["AWS/Lambda","Errors","FunctionName","${Function}"]]}},{"type":"metric","x":12,"y":0,"width":12,'
             '"height":6,"properties":{"region":"${AWS::Region}","title":"Queue","metrics":[["AWS/SQS",'
             '"ApproximateAgeOfOldestMessage","QueueName","${WorkQueue.QueueName}"]]}}]}')


def statement(actions, resource, sid=None):
    """An Allow statement."""
    body = {"Effect": "Allow", "Action": actions, "Resource": resource}
    return {"Sid": sid, **body} if sid else body


def document(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust(service):
    return document({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def managed(name):
    return Sub("arn:${AWS::Partition}:iam::aws:policy/" + name)


def add_unit(t, u):
    """One service: 100 resources."""
    add = t.add_resource
    name = f"svc{u}"
    net = f"10.{u % 250}"

    def tags(label):
        return Tags(Name=f"{name}-{label}")

    # Network: VPC, two public and two private subnets, routes, internet and NAT gateways, flow logs.
    vpc = add(ec2.VPC(f"Vpc{u}", CidrBlock=f"{net}.0.0/16", EnableDnsHostnames=True, EnableDnsSupport=True,
                      Tags=tags("vpc")))
    igw = add(ec2.InternetGateway(f"InternetGateway{u}", Tags=tags("igw")))
    attachment = add(ec2.VPCGatewayAttachment(f"GatewayAttachment{u}", VpcId=Ref(vpc), InternetGatewayId=Ref(igw)))
    subnets = {}
    for index, (label, public) in enumerate([("PublicA", True), ("PublicB", True), ("PrivateA", False), ("PrivateB", False)]):
        subnets[label] = add(ec2.Subnet(
            f"{label}Subnet{u}", VpcId=Ref(vpc), CidrBlock=f"{net}.{index * 16}.0/20",
            AvailabilityZone=Select(index % 2, GetAZs("")), MapPublicIpOnLaunch=public,
            Tags=tags(label.lower())))
    public_routes = add(ec2.RouteTable(f"PublicRouteTable{u}", VpcId=Ref(vpc), Tags=tags("public")))
    private_routes = add(ec2.RouteTable(f"PrivateRouteTable{u}", VpcId=Ref(vpc), Tags=tags("private")))
    add(ec2.Route(f"PublicDefaultRoute{u}", RouteTableId=Ref(public_routes), DestinationCidrBlock="0.0.0.0/0",
                  GatewayId=Ref(igw), DependsOn=[attachment.title]))
    eip = add(ec2.EIP(f"NatAddress{u}", Domain="vpc", DependsOn=[attachment.title]))
    nat = add(ec2.NatGateway(f"NatGateway{u}", AllocationId=GetAtt(eip, "AllocationId"),
                             SubnetId=Ref(subnets["PublicA"]), Tags=tags("nat")))
    add(ec2.Route(f"PrivateDefaultRoute{u}", RouteTableId=Ref(private_routes), DestinationCidrBlock="0.0.0.0/0",
                  NatGatewayId=Ref(nat)))
    for label, table in [("PublicA", public_routes), ("PublicB", public_routes),
                         ("PrivateA", private_routes), ("PrivateB", private_routes)]:
        add(ec2.SubnetRouteTableAssociation(f"{label}Routes{u}", SubnetId=Ref(subnets[label]), RouteTableId=Ref(table)))
    flow_group = add(logs.LogGroup(f"FlowLogGroup{u}", LogGroupName=f"/{name}/vpc-flow-logs", RetentionInDays=90))
    flow_role = add(iam.Role(
        f"FlowLogRole{u}", AssumeRolePolicyDocument=trust("vpc-flow-logs.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="flow-logs", PolicyDocument=document(statement(
            ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], GetAtt(flow_group, "Arn"))))]))
    add(ec2.FlowLog(f"FlowLog{u}", ResourceId=Ref(vpc), ResourceType="VPC", TrafficType="ALL",
                    LogDestinationType="cloud-watch-logs", LogGroupName=Ref(flow_group),
                    DeliverLogsPermissionArn=GetAtt(flow_role, "Arn"), MaxAggregationInterval=60))

    # Security groups and the rules between them.
    alb_sg = add(ec2.SecurityGroup(
        f"LoadBalancerSecurityGroup{u}", GroupDescription=f"{name} load balancer", VpcId=Ref(vpc),
        SecurityGroupIngress=[ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=443, ToPort=443, CidrIp="0.0.0.0/0",
                                                    Description="HTTPS"),
                              ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="0.0.0.0/0",
                                                    Description="HTTP, redirected")],
        Tags=tags("alb")))
    service_sg = add(ec2.SecurityGroup(f"ServiceSecurityGroup{u}", GroupDescription=f"{name} tasks and function",
                                       VpcId=Ref(vpc), Tags=tags("service")))
    endpoint_sg = add(ec2.SecurityGroup(
        f"EndpointSecurityGroup{u}", GroupDescription=f"{name} interface endpoints", VpcId=Ref(vpc),
        SecurityGroupIngress=[ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=443, ToPort=443,
                                                    CidrIp=GetAtt(vpc, "CidrBlock"))],
        Tags=tags("endpoints")))
    data_sg = add(ec2.SecurityGroup(f"DataSecurityGroup{u}", GroupDescription=f"{name} file system", VpcId=Ref(vpc),
                                    Tags=tags("data")))
    add(ec2.SecurityGroupIngress(f"ServiceFromLoadBalancer{u}", GroupId=Ref(service_sg), IpProtocol="tcp",
                                 FromPort=8080, ToPort=8080, SourceSecurityGroupId=Ref(alb_sg)))
    add(ec2.SecurityGroupIngress(f"DataFromService{u}", GroupId=Ref(data_sg), IpProtocol="tcp", FromPort=2049,
                                 ToPort=2049, SourceSecurityGroupId=Ref(service_sg)))
    add(ec2.SecurityGroupEgress(f"LoadBalancerToService{u}", GroupId=Ref(alb_sg), IpProtocol="tcp", FromPort=8080,
                                ToPort=8080, DestinationSecurityGroupId=Ref(service_sg)))

    # Encryption key.
    key = add(kms.Key(f"Key{u}", Description=f"{name} data", EnableKeyRotation=True, KeyPolicy=document(
        {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "Services", "Effect": "Allow",
         "Principal": {"Service": ["sns.amazonaws.com", "events.amazonaws.com", "sqs.amazonaws.com"]},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"})))
    add(kms.Alias(f"KeyAlias{u}", AliasName=f"alias/{name}", TargetKeyId=Ref(key)))

    # Endpoints.
    add(ec2.VPCEndpoint(f"S3Endpoint{u}", VpcId=Ref(vpc), VpcEndpointType="Gateway",
                        ServiceName=Sub("com.amazonaws.${AWS::Region}.s3"), RouteTableIds=[Ref(private_routes)]))
    add(ec2.VPCEndpoint(f"SecretsEndpoint{u}", VpcId=Ref(vpc), VpcEndpointType="Interface", PrivateDnsEnabled=True,
                        ServiceName=Sub("com.amazonaws.${AWS::Region}.secretsmanager"),
                        SubnetIds=[Ref(subnets["PrivateA"]), Ref(subnets["PrivateB"])],
                        SecurityGroupIds=[Ref(endpoint_sg)]))

    # Storage.
    logs_bucket = add(s3.Bucket(
        f"AccessLogsBucket{u}",
        BucketEncryption=s3.BucketEncryption(ServerSideEncryptionConfiguration=[s3.ServerSideEncryptionRule(
            ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(SSEAlgorithm="AES256"))]),
        PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
            BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True),
        OwnershipControls=s3.OwnershipControls(Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]),
        LifecycleConfiguration=s3.LifecycleConfiguration(Rules=[s3.LifecycleRule(
            Id="expire", Status="Enabled", ExpirationInDays=365)])))
    bucket = add(s3.Bucket(
        f"DataBucket{u}",
        BucketEncryption=s3.BucketEncryption(ServerSideEncryptionConfiguration=[s3.ServerSideEncryptionRule(
            BucketKeyEnabled=True, ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(
                SSEAlgorithm="aws:kms", KMSMasterKeyID=GetAtt(key, "Arn")))]),
        PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
            BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True),
        VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
        LoggingConfiguration=s3.LoggingConfiguration(DestinationBucketName=Ref(logs_bucket), LogFilePrefix="data/"),
        LifecycleConfiguration=s3.LifecycleConfiguration(Rules=[s3.LifecycleRule(
            Id="old-versions", Status="Enabled",
            NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(NoncurrentDays=30))]),
        Tags=tags("data")))
    add(s3.BucketPolicy(f"AccessLogsBucketPolicy{u}", Bucket=Ref(logs_bucket), PolicyDocument=document(
        {"Sid": "ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": Sub("${AccessLogsBucket%d.Arn}/*" % u),
         "Condition": {"ArnLike": {"aws:SourceArn": GetAtt(bucket, "Arn")},
                       "StringEquals": {"aws:SourceAccount": Ref("AWS::AccountId")}}})))
    add(s3.BucketPolicy(f"DataBucketPolicy{u}", Bucket=Ref(bucket), PolicyDocument=document(
        {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [GetAtt(bucket, "Arn"), Sub("${DataBucket%d.Arn}/*" % u)],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}})))
    table = add(dynamodb.Table(
        f"Table{u}", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[dynamodb.AttributeDefinition(AttributeName="pk", AttributeType="S"),
                              dynamodb.AttributeDefinition(AttributeName="sk", AttributeType="S")],
        KeySchema=[dynamodb.KeySchema(AttributeName="pk", KeyType="HASH"),
                   dynamodb.KeySchema(AttributeName="sk", KeyType="RANGE")],
        SSESpecification=dynamodb.SSESpecification(SSEEnabled=True, SSEType="KMS", KMSMasterKeyId=GetAtt(key, "Arn")),
        PointInTimeRecoverySpecification=dynamodb.PointInTimeRecoverySpecification(PointInTimeRecoveryEnabled=True),
        StreamSpecification=dynamodb.StreamSpecification(StreamViewType="NEW_AND_OLD_IMAGES"),
        Tags=tags("table")))
    file_system = add(efs.FileSystem(
        f"FileSystem{u}", Encrypted=True, KmsKeyId=GetAtt(key, "Arn"), PerformanceMode="generalPurpose",
        ThroughputMode="elastic", BackupPolicy=efs.BackupPolicy(Status="ENABLED"),
        LifecyclePolicies=[efs.LifecyclePolicy(TransitionToIA="AFTER_30_DAYS")],
        FileSystemTags=tags("files")))
    for label in ["PrivateA", "PrivateB"]:
        add(efs.MountTarget(f"MountTarget{label[-1]}{u}", FileSystemId=Ref(file_system), SubnetId=Ref(subnets[label]),
                            SecurityGroups=[Ref(data_sg)]))
    access_point = add(efs.AccessPoint(
        f"AccessPoint{u}", FileSystemId=Ref(file_system), PosixUser=efs.PosixUser(Uid="1000", Gid="1000"),
        RootDirectory=efs.RootDirectory(Path="/data", CreationInfo=efs.CreationInfo(
            OwnerUid="1000", OwnerGid="1000", Permissions="750"))))

    # Configuration.
    secret = add(secretsmanager.Secret(
        f"DatabaseSecret{u}", Description=f"{name} database credentials", KmsKeyId=Ref(key),
        GenerateSecretString=secretsmanager.GenerateSecretString(
            SecretStringTemplate='{"username":"app"}', GenerateStringKey="password", PasswordLength=32,
            ExcludePunctuation=True)))

    # Messaging.
    topic = add(sns.Topic(f"Topic{u}", DisplayName=f"{name} events", KmsMasterKeyId=Ref(key)))
    add(sns.TopicPolicy(f"TopicPolicy{u}", Topics=[Ref(topic)], PolicyDocument=document(
        {"Sid": "EventBridge", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
         "Action": "sns:Publish", "Resource": Ref(topic)})))
    dead_letters = add(sqs.Queue(f"DeadLetterQueue{u}", MessageRetentionPeriod=1209600, KmsMasterKeyId=Ref(key)))
    queue = add(sqs.Queue(
        f"WorkQueue{u}", VisibilityTimeout=180, MessageRetentionPeriod=345600, KmsMasterKeyId=Ref(key),
        RedrivePolicy=sqs.RedrivePolicy(deadLetterTargetArn=GetAtt(dead_letters, "Arn"), maxReceiveCount=5)))
    add(sqs.QueuePolicy(f"QueuePolicy{u}", Queues=[Ref(queue)], PolicyDocument=document(
        {"Sid": "Topic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
         "Action": "sqs:SendMessage", "Resource": GetAtt(queue, "Arn"),
         "Condition": {"ArnEquals": {"aws:SourceArn": Ref(topic)}}})))
    add(sns.SubscriptionResource(f"QueueSubscription{u}", Protocol="sqs", TopicArn=Ref(topic),
                                 Endpoint=GetAtt(queue, "Arn"), RawMessageDelivery=True))
    add(ssm.Parameter(f"QueueUrlParameter{u}", Name=f"/{name}/queue-url", Type="String", Value=Ref(queue),
                      Description="Work queue URL"))
    stream = add(kinesis.Stream(
        f"LogStream{u}", RetentionPeriodHours=48, StreamModeDetails=kinesis.StreamModeDetails(StreamMode="ON_DEMAND"),
        StreamEncryption=kinesis.StreamEncryption(EncryptionType="KMS", KeyId=GetAtt(key, "Arn"))))

    # Logs.
    function_logs = add(logs.LogGroup(f"FunctionLogGroup{u}", LogGroupName=f"/{name}/function", RetentionInDays=30))
    service_logs = add(logs.LogGroup(f"ServiceLogGroup{u}", LogGroupName=f"/{name}/service", RetentionInDays=30))
    api_logs = add(logs.LogGroup(f"ApiAccessLogGroup{u}", LogGroupName=f"/{name}/api-access", RetentionInDays=30))
    add(logs.MetricFilter(f"ServiceErrors{u}", LogGroupName=Ref(service_logs), FilterPattern="ERROR",
                          MetricTransformations=[logs.MetricTransformation(
                              MetricName="ServiceErrors", MetricNamespace=f"Service/{name}", MetricValue="1",
                              DefaultValue=0)]))
    logs_role = add(iam.Role(
        f"LogsToStreamRole{u}", AssumeRolePolicyDocument=trust("logs.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="stream", PolicyDocument=document(
            statement(["kinesis:PutRecord", "kinesis:PutRecords"], GetAtt(stream, "Arn")),
            statement(["kms:GenerateDataKey"], GetAtt(key, "Arn"))))]))
    add(logs.SubscriptionFilter(f"ServiceLogSubscription{u}", LogGroupName=Ref(service_logs), FilterPattern="",
                                DestinationArn=GetAtt(stream, "Arn"), RoleArn=GetAtt(logs_role, "Arn")))

    # Lambda.
    function_role = add(iam.Role(
        f"FunctionRole{u}", AssumeRolePolicyDocument=trust("lambda.amazonaws.com"),
        ManagedPolicyArns=[managed("service-role/AWSLambdaVPCAccessExecutionRole")],
        Policies=[iam.Policy(PolicyName="function", PolicyDocument=document(
            statement(["logs:CreateLogStream", "logs:PutLogEvents"], GetAtt(function_logs, "Arn")),
            statement(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                       "sqs:ChangeMessageVisibility"], GetAtt(queue, "Arn")),
            statement(["sqs:SendMessage"], GetAtt(dead_letters, "Arn")),
            statement(["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream",
                       "dynamodb:ListStreams"], GetAtt(table, "StreamArn")),
            statement(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], GetAtt(table, "Arn")),
            statement(["secretsmanager:GetSecretValue"], Ref(secret)),
            statement(["kms:Decrypt", "kms:GenerateDataKey"], GetAtt(key, "Arn")),
            statement(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*")))]))
    function = add(awslambda.Function(
        f"Function{u}", FunctionName=f"{name}-worker", Runtime="python3.12", Handler="index.handler",
        Role=GetAtt(function_role, "Arn"), MemorySize=256, Timeout=30, Code=awslambda.Code(ZipFile=HANDLER),
        Environment=awslambda.Environment(Variables={"TABLE_NAME": Ref(table), "SECRET_ARN": Ref(secret),
                                                     "BUCKET": Ref(bucket)}),
        VpcConfig=awslambda.VPCConfig(SubnetIds=[Ref(subnets["PrivateA"]), Ref(subnets["PrivateB"])],
                                      SecurityGroupIds=[Ref(service_sg)]),
        TracingConfig=awslambda.TracingConfig(Mode="Active"),
        LoggingConfig=awslambda.LoggingConfig(LogGroup=Ref(function_logs))))
    version = add(awslambda.Version(f"FunctionVersion{u}", FunctionName=Ref(function), Description="release"))
    alias = add(awslambda.Alias(f"FunctionAlias{u}", FunctionName=Ref(function),
                                FunctionVersion=GetAtt(version, "Version"), Name="live"))
    add(awslambda.EventSourceMapping(
        f"QueueMapping{u}", EventSourceArn=GetAtt(queue, "Arn"), FunctionName=Ref(alias), BatchSize=10,
        MaximumBatchingWindowInSeconds=5, FunctionResponseTypes=["ReportBatchItemFailures"]))
    add(awslambda.EventSourceMapping(
        f"TableStreamMapping{u}", EventSourceArn=GetAtt(table, "StreamArn"), FunctionName=Ref(alias),
        StartingPosition="LATEST", BatchSize=100, MaximumRetryAttempts=3, BisectBatchOnFunctionError=True,
        DestinationConfig=awslambda.DestinationConfig(OnFailure=awslambda.OnFailure(
            Destination=GetAtt(dead_letters, "Arn")))))

    # Containers: repository, cluster, roles, task definition, load balancer, service, scaling.
    repository = add(ecr.Repository(
        f"Repository{u}", RepositoryName=f"{name}/app", ImageTagMutability="IMMUTABLE",
        ImageScanningConfiguration=ecr.ImageScanningConfiguration(ScanOnPush=True),
        EncryptionConfiguration=ecr.EncryptionConfiguration(EncryptionType="KMS", KmsKey=GetAtt(key, "Arn")),
        LifecyclePolicy=ecr.LifecyclePolicy(LifecyclePolicyText=LIFECYCLE)))
    cluster = add(ecs.Cluster(f"Cluster{u}", ClusterSettings=[ecs.ClusterSetting(Name="containerInsights",
                                                                                Value="enabled")]))
    execution_role = add(iam.Role(
        f"TaskExecutionRole{u}", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"),
        ManagedPolicyArns=[managed("service-role/AmazonECSTaskExecutionRolePolicy")],
        Policies=[iam.Policy(PolicyName="secrets", PolicyDocument=document(
            statement(["secretsmanager:GetSecretValue"], Ref(secret)),
            statement(["kms:Decrypt"], GetAtt(key, "Arn"))))]))
    task_role = add(iam.Role(f"TaskRole{u}", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com")))
    add(iam.PolicyType(f"TaskPolicy{u}", PolicyName="task", Roles=[Ref(task_role)], PolicyDocument=document(
        statement(["s3:GetObject", "s3:PutObject"], Sub("${DataBucket%d.Arn}/*" % u)),
        statement(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                  GetAtt(table, "Arn")),
        {"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
         "Resource": GetAtt(file_system, "Arn"),
         "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": GetAtt(access_point, "Arn")}}},
        statement(["kms:Decrypt", "kms:GenerateDataKey"], GetAtt(key, "Arn")))))
    add(iam.ManagedPolicy(
        f"ReadConfigPolicy{u}", Description=f"{name}: read its parameters and list its bucket",
        Roles=[Ref(function_role), Ref(task_role)], PolicyDocument=document(
            statement(["ssm:GetParameter", "ssm:GetParametersByPath"],
                      Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/" + name + "/*")),
            statement(["s3:ListBucket"], GetAtt(bucket, "Arn")))))
    task = add(ecs.TaskDefinition(
        f"TaskDefinition{u}", Family=f"{name}-app", Cpu="512", Memory="1024", NetworkMode="awsvpc",
        RequiresCompatibilities=["FARGATE"], ExecutionRoleArn=GetAtt(execution_role, "Arn"),
        TaskRoleArn=GetAtt(task_role, "Arn"),
        RuntimePlatform=ecs.RuntimePlatform(OperatingSystemFamily="LINUX", CpuArchitecture="ARM64"),
        ContainerDefinitions=[ecs.ContainerDefinition(
            Name="app", Image=Sub("${Repository%d.RepositoryUri}:1.0.0" % u), Essential=True,
            PortMappings=[ecs.PortMapping(ContainerPort=8080, Protocol="tcp")],
            Environment=[ecs.Environment(Name="TABLE_NAME", Value=Ref(table)),
                         ecs.Environment(Name="BUCKET", Value=Ref(bucket))],
            Secrets=[ecs.Secret(Name="DB_PASSWORD", ValueFrom=Sub("${DatabaseSecret%d}:password::" % u))],
            LogConfiguration=ecs.LogConfiguration(LogDriver="awslogs", Options={
                "awslogs-group": Ref(service_logs), "awslogs-region": Ref("AWS::Region"),
                "awslogs-stream-prefix": "app"}),
            MountPoints=[ecs.MountPoint(SourceVolume="data", ContainerPath="/data", ReadOnly=False)],
            HealthCheck=ecs.HealthCheck(Command=["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                                        Interval=30, Timeout=5, Retries=3))],
        Volumes=[ecs.Volume(Name="data", EFSVolumeConfiguration=ecs.EFSVolumeConfiguration(
            FilesystemId=Ref(file_system), TransitEncryption="ENABLED",
            AuthorizationConfig=ecs.AuthorizationConfig(AccessPointId=Ref(access_point), IAM="ENABLED")))]))
    zone = add(route53.HostedZone(f"Zone{u}", Name=f"{name}.example.com",
                                  HostedZoneConfig=route53.HostedZoneConfiguration(Comment=f"{name} public zone")))
    certificate = add(certificatemanager.Certificate(
        f"Certificate{u}", DomainName=f"api.{name}.example.com", ValidationMethod="DNS",
        DomainValidationOptions=[certificatemanager.DomainValidationOption(
            DomainName=f"api.{name}.example.com", HostedZoneId=Ref(zone))]))
    balancer = add(elbv2.LoadBalancer(
        f"LoadBalancer{u}", Type="application", Scheme="internet-facing",
        Subnets=[Ref(subnets["PublicA"]), Ref(subnets["PublicB"])], SecurityGroups=[Ref(alb_sg)],
        LoadBalancerAttributes=[elbv2.LoadBalancerAttributes(Key="idle_timeout.timeout_seconds", Value="60"),
                                elbv2.LoadBalancerAttributes(Key="routing.http.drop_invalid_header_fields.enabled",
                                                             Value="true")]))
    target_group = add(elbv2.TargetGroup(
        f"TargetGroup{u}", Port=8080, Protocol="HTTP", TargetType="ip", VpcId=Ref(vpc), HealthCheckPath="/health",
        HealthCheckIntervalSeconds=15, Matcher=elbv2.Matcher(HttpCode="200"),
        TargetGroupAttributes=[elbv2.TargetGroupAttribute(Key="deregistration_delay.timeout_seconds", Value="30")]))
    https = add(elbv2.Listener(
        f"HttpsListener{u}", LoadBalancerArn=Ref(balancer), Port=443, Protocol="HTTPS",
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[elbv2.Certificate(CertificateArn=Ref(certificate))],
        DefaultActions=[elbv2.Action(Type="forward", TargetGroupArn=Ref(target_group))]))
    add(elbv2.Listener(
        f"HttpListener{u}", LoadBalancerArn=Ref(balancer), Port=80, Protocol="HTTP",
        DefaultActions=[elbv2.Action(Type="redirect", RedirectConfig=elbv2.RedirectConfig(
            Protocol="HTTPS", Port="443", StatusCode="HTTP_301"))]))
    add(elbv2.ListenerRule(
        f"PingRule{u}", ListenerArn=Ref(https), Priority=10,
        Conditions=[elbv2.Condition(Field="path-pattern", PathPatternConfig=elbv2.PathPatternConfig(Values=["/ping"]))],
        Actions=[elbv2.ListenerRuleAction(Type="fixed-response", FixedResponseConfig=elbv2.FixedResponseConfig(
            StatusCode="200", ContentType="text/plain", MessageBody="ok"))]))
    add(route53.RecordSetType(
        f"ApiRecord{u}", HostedZoneId=Ref(zone), Name=f"api.{name}.example.com.", Type="A",
        AliasTarget=route53.AliasTarget(DNSName=GetAtt(balancer, "DNSName"),
                                        HostedZoneId=GetAtt(balancer, "CanonicalHostedZoneID"))))
    service = add(ecs.Service(
        f"Service{u}", Cluster=Ref(cluster), TaskDefinition=Ref(task), DesiredCount=2, LaunchType="FARGATE",
        HealthCheckGracePeriodSeconds=60,
        NetworkConfiguration=ecs.NetworkConfiguration(AwsvpcConfiguration=ecs.AwsvpcConfiguration(
            AssignPublicIp="DISABLED", Subnets=[Ref(subnets["PrivateA"]), Ref(subnets["PrivateB"])],
            SecurityGroups=[Ref(service_sg)])),
        LoadBalancers=[ecs.LoadBalancer(ContainerName="app", ContainerPort=8080, TargetGroupArn=Ref(target_group))],
        DeploymentConfiguration=ecs.DeploymentConfiguration(
            MinimumHealthyPercent=100, MaximumPercent=200,
            DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True)),
        DependsOn=[https.title]))
    scaling = add(applicationautoscaling.ScalableTarget(
        f"ScalableTarget{u}", ServiceNamespace="ecs", ScalableDimension="ecs:service:DesiredCount",
        ResourceId=Sub("service/${Cluster%d}/${Service%d.Name}" % (u, u)), MinCapacity=2, MaxCapacity=10))
    add(applicationautoscaling.ScalingPolicy(
        f"CpuScaling{u}", PolicyName=f"{name}-cpu", PolicyType="TargetTrackingScaling", ScalingTargetId=Ref(scaling),
        TargetTrackingScalingPolicyConfiguration=applicationautoscaling.TargetTrackingScalingPolicyConfiguration(
            TargetValue=60, ScaleInCooldown=120, ScaleOutCooldown=60,
            PredefinedMetricSpecification=applicationautoscaling.PredefinedMetricSpecification(
                PredefinedMetricType="ECSServiceAverageCPUUtilization"))))

    # Users and the API.
    pool = add(cognito.UserPool(
        f"UserPool{u}", UserPoolName=f"{name}-users", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        Policies=cognito.Policies(PasswordPolicy=cognito.PasswordPolicy(
            MinimumLength=12, RequireLowercase=True, RequireUppercase=True, RequireNumbers=True,
            RequireSymbols=True)),
        AccountRecoverySetting=cognito.AccountRecoverySetting(RecoveryMechanisms=[
            cognito.RecoveryOption(Name="verified_email", Priority=1)])))
    add(cognito.UserPoolClient(
        f"UserPoolClient{u}", UserPoolId=Ref(pool), ClientName=f"{name}-web", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors="ENABLED",
        AccessTokenValidity=60, TokenValidityUnits=cognito.TokenValidityUnits(AccessToken="minutes")))
    api = add(apigateway.RestApi(
        f"RestApi{u}", Name=f"{name}-api", Description=f"{name} public API",
        EndpointConfiguration=apigateway.EndpointConfiguration(Types=["REGIONAL"])))
    items = add(apigateway.Resource(f"ItemsResource{u}", RestApiId=Ref(api), ParentId=GetAtt(api, "RootResourceId"),
                                    PathPart="items"))
    authorizer = add(apigateway.Authorizer(
        f"Authorizer{u}", Name=f"{name}-users", Type="COGNITO_USER_POOLS", RestApiId=Ref(api),
        IdentitySource="method.request.header.Authorization", ProviderARNs=[GetAtt(pool, "Arn")]))
    method = add(apigateway.Method(
        f"ItemsGet{u}", RestApiId=Ref(api), ResourceId=Ref(items), HttpMethod="GET",
        AuthorizationType="COGNITO_USER_POOLS", AuthorizerId=Ref(authorizer),
        Integration=apigateway.Integration(
            Type="AWS_PROXY", IntegrationHttpMethod="POST",
            Uri=Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                    "${FunctionAlias%d}/invocations" % u))))
    deployment = add(apigateway.Deployment(f"ApiDeployment{u}", RestApiId=Ref(api), Description="release",
                                           DependsOn=[method.title]))
    add(apigateway.Stage(
        f"ApiStage{u}", RestApiId=Ref(api), DeploymentId=Ref(deployment), StageName="prod", TracingEnabled=True,
        AccessLogSetting=apigateway.AccessLogSetting(
            DestinationArn=GetAtt(api_logs, "Arn"),
            Format='{"requestId":"$context.requestId","status":"$context.status"}'),
        MethodSettings=[apigateway.MethodSetting(ResourcePath="/*", HttpMethod="*", MetricsEnabled=True,
                                                 ThrottlingRateLimit=100, ThrottlingBurstLimit=200)]))
    add(awslambda.Permission(
        f"ApiPermission{u}", Action="lambda:InvokeFunction", FunctionName=Ref(alias),
        Principal="apigateway.amazonaws.com",
        SourceArn=Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestApi%d}/*/GET/items" % u)))
    add(ssm.Parameter(f"ApiUrlParameter{u}", Name=f"/{name}/api-url", Type="String",
                      Value=Sub("https://${RestApi%d}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod" % u),
                      Description="API base URL"))

    # Events and workflows.
    bus = add(events.EventBus(f"EventBus{u}", Name=f"{name}-events"))
    workflow_role = add(iam.Role(
        f"StateMachineRole{u}", AssumeRolePolicyDocument=trust("states.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="workflow", PolicyDocument=document(
            statement(["lambda:InvokeFunction"], Ref(alias)),
            statement(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                       "xray:GetSamplingTargets"], "*")))]))
    workflow = add(stepfunctions.StateMachine(
        f"StateMachine{u}", RoleArn=GetAtt(workflow_role, "Arn"), StateMachineType="STANDARD",
        TracingConfiguration=stepfunctions.TracingConfiguration(Enabled=True),
        Definition={"Comment": f"{name} nightly compaction", "StartAt": "Compact", "States": {"Compact": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": Ref(alias), "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3,
                       "BackoffRate": 2}],
            "End": True}}}))
    events_role = add(iam.Role(
        f"EventsRole{u}", AssumeRolePolicyDocument=trust("events.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="start", PolicyDocument=document(
            statement(["states:StartExecution"], Ref(workflow))))]))
    orders = add(events.Rule(
        f"OrderRule{u}", EventBusName=Ref(bus), State="ENABLED",
        EventPattern={"source": [f"{name}.orders"], "detail-type": ["OrderPlaced"]},
        Targets=[events.Target(Arn=Ref(alias), Id="function",
                               RetryPolicy=events.RetryPolicy(MaximumRetryAttempts=4, MaximumEventAgeInSeconds=3600)),
                 events.Target(Arn=Ref(topic), Id="topic")]))
    add(events.Rule(
        f"ScheduleRule{u}", ScheduleExpression="rate(1 hour)", State="ENABLED",
        Targets=[events.Target(Arn=Ref(workflow), Id="workflow", RoleArn=GetAtt(events_role, "Arn"))]))
    add(awslambda.Permission(f"EventsPermission{u}", Action="lambda:InvokeFunction", FunctionName=Ref(alias),
                             Principal="events.amazonaws.com", SourceArn=GetAtt(orders, "Arn")))

    # Alarms and a dashboard.
    add(cloudwatch.Alarm(
        f"FunctionErrors{u}", AlarmName=Sub("${AWS::StackName}-%s-function-errors" % name), Namespace="AWS/Lambda",
        MetricName="Errors", Dimensions=[cloudwatch.MetricDimension(Name="FunctionName", Value=Ref(function))],
        Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching",
        AlarmActions=[Ref(topic)]))
    add(cloudwatch.Alarm(
        f"QueueAge{u}", AlarmName=Sub("${AWS::StackName}-%s-queue-age" % name), Namespace="AWS/SQS",
        MetricName="ApproximateAgeOfOldestMessage",
        Dimensions=[cloudwatch.MetricDimension(Name="QueueName", Value=GetAtt(queue, "QueueName"))],
        Statistic="Maximum", Period=300, EvaluationPeriods=3, Threshold=900.0,
        ComparisonOperator="GreaterThanThreshold", AlarmActions=[Ref(topic)]))
    add(cloudwatch.Alarm(
        f"Target5xx{u}", AlarmName=Sub("${AWS::StackName}-%s-5xx" % name), Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Dimensions=[cloudwatch.MetricDimension(Name="LoadBalancer",
                                               Value=GetAtt(balancer, "LoadBalancerFullName"))],
        Statistic="Sum", Period=60, EvaluationPeriods=5, DatapointsToAlarm=3, Threshold=10.0,
        ComparisonOperator="GreaterThanThreshold", TreatMissingData="notBreaching", AlarmActions=[Ref(topic)]))
    add(cloudwatch.Dashboard(f"Dashboard{u}", DashboardName=Sub("${AWS::StackName}-" + name),
                             DashboardBody=Sub(DASHBOARD.replace("${Function}", "${Function%d}" % u)
                                               .replace("${WorkQueue.", "${WorkQueue%d." % u))))


def build_stack(first_unit, units):
    template = Template()
    template.set_version("2010-09-09")
    template.set_description(f"Generated benchmark stack from unit {first_unit}")
    for unit in range(first_unit, first_unit + units):
        add_unit(template, unit)
    return template


def stacks(resources):
    units = resources // PER_UNIT
    per_stack_units = PER_STACK // PER_UNIT
    for first in range(0, units, per_stack_units):
        yield build_stack(first, min(per_stack_units, units - first))


def build_app(resources):
    return sum(len(template.to_json(indent=2)) for template in stacks(resources))


def main():
    if sys.argv[1] == "--template":
        template = list(stacks(int(sys.argv[2])))[int(sys.argv[3])]
        print(template.to_json(indent=2))
        return
    resources = int(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    timings = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = build_app(resources)
        timings.append(time.perf_counter() - start)
    print(json.dumps({"resources": resources, "runs": timings, "bytes": size}))


if __name__ == "__main__":
    main()
