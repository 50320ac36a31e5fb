"""Per-stack checks of the end-to-end run: what to read back from the endpoint, what to assert
on the template, and what to change in the change-set update.

Add a stack family by writing functions and registering them with its stack-name prefix:

    @template_check("BedrockCacheStack-")
    def cache_template(ctx): ...          # ctx.template is the synthesized template (long-form JSON)

    @readback_check("BedrockCacheStack-")
    def cache_readback(ctx): ...          # after CREATE_COMPLETE, for both deploy forms

    @after_update("BedrockCacheStack-")
    def cache_update(ctx): ...            # after the change set executed

    UPDATE_PARAMETERS["BedrockCacheStack-"] = {"CacheTtlSeconds": "600"}   # changed by the update

`ctx` (a `StackContext` from e2e.py) gives: stack_name, environment, step (what the run is doing),
template (as synthesized), deployed_template (after moto_compat), stripped (logical ID -> type of
what moto_compat removed), network (the moto VPC: vpc_id, cidr, subnet_ids), values (parameter
values passed), outputs, parameters, resources (logical ID -> physical ID), aws(*args) -> parsed
JSON, aws_error(*args) -> error text, expect(condition, message), expect_equal(actual, expected,
what), expect_output(name, value) (outputs is None where moto cannot report them: stacks created
by a change set). readback.py has the generic readers (SSM in batches, roles and their trust,
attributes by logical ID, template expressions evaluated against the deployed stack, Lambda
configuration and policy, state machine definitions, EventBridge targets).

Every stack, whatever its family, also gets the generic read-back in e2e.py and
`generic_readback` below: physical IDs, parameters as passed, outputs and SSM parameter values
equal to what the deployed template's expressions evaluate to.
"""

import functools
import json
import os
import re

import assets
import moto_compat
import readback

TEMPLATE_CHECKS = {}
READBACKS = {}
AFTER_UPDATE = {}
# Parameter values the change-set update sets, by stack-name prefix.
UPDATE_PARAMETERS = {}
# Values for parameters `formation deploy-args` leaves as placeholders (NoEcho, or required with
# no deploy value) that network.py does not provide. Never real secrets: this is a loopback endpoint.
# Each must pass the parameter's AllowedPattern (the run checks it, as CloudFormation would).
PLACEHOLDER_VALUES = {
    "GitHubAppPrivateKey": "-----BEGIN E2E TEST KEY-----",
    "GitHubAppId": "100001",
    "GitHubAppInstallationId": "200002",
    "GitHubRepoOwner": "formation-e2e",
    "GitHubRepoName": "node-classes",
    "GitHubFilePath": "clusters/e2e/nodeclass.yaml",
}

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENVIRONMENTS_SWIFT = os.path.join(REPOSITORY, "stacks", "Environments.swift")


def _register(table, prefix):
    def decorator(function):
        table.setdefault(prefix, []).append(function)
        return function
    return decorator


def template_check(prefix):
    """Registers a check on the synthesized template of every stack whose name starts with prefix."""
    return _register(TEMPLATE_CHECKS, prefix)


def readback_check(prefix):
    """Registers a read-back run after each successful create (pipe and deploy forms)."""
    return _register(READBACKS, prefix)


def after_update(prefix):
    """Registers a read-back run after the change-set update."""
    return _register(AFTER_UPDATE, prefix)


def matching(table, stack_name):
    """Every function registered for a prefix of stack_name."""
    return [f for prefix, functions in table.items() if stack_name.startswith(prefix) for f in functions]


def update_parameters(stack_name):
    """The parameter values the update sets for stack_name."""
    values = {}
    for prefix, table in UPDATE_PARAMETERS.items():
        if stack_name.startswith(prefix):
            values.update(table)
    return values


def resources_of_type(template, resource_type):
    return {lid: body for lid, body in template["Resources"].items() if body.get("Type") == resource_type}


# --- the environment table (stacks/Environments.swift), the source of the stacks' settings -------

SWIFT_LITERAL = r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9_]*(?:\.[0-9]+)?|true|false'


def swift_literal(text):
    """A Swift literal as Python: "text", 3_600, 0.90, true."""
    if text.startswith('"'):
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    if text in ("true", "false"):
        return text == "true"
    return float(text.replace("_", "")) if "." in text else int(text.replace("_", ""))


def environment_table(source):
    """{environment name: {setting: value}} from the Swift source of the environment table: the
    `public var name: Type = literal` defaults, overridden by the literal `label: value`
    arguments of each `static let NAME = Environment(...)` (nested initializers' too, such as
    AmiUpdateSettings's). Raises ValueError when no environment is found."""
    defaults = {name: swift_literal(value) for name, value in
                re.findall(r"public var (\w+): \w+ = (" + SWIFT_LITERAL + r")", source)}
    table = {}
    for match in re.finditer(r"static let (\w+) = Environment\(", source):
        depth, index, in_string = 1, match.end(), False
        while depth and index < len(source):
            char = source[index]
            if in_string:
                in_string = not (char == '"' and source[index - 1] != "\\")
            elif char == '"':
                in_string = True
            elif char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
            index += 1
        body = source[match.end():index - 1]
        settings = dict(defaults)
        settings.update({label: swift_literal(value) for label, value in
                         re.findall(r"(\w+):\s*(" + SWIFT_LITERAL + r")\s*[,)\n]", body + "\n")})
        table[match.group(1)] = settings
    if not table:
        raise ValueError("no `static let NAME = Environment(` in the environment table")
    return table


@functools.lru_cache(maxsize=1)
def environments():
    with open(ENVIRONMENTS_SWIFT) as source:
        return environment_table(source.read())


def settings_of(ctx):
    """The environment table's settings for the stack's environment."""
    table = environments()
    if ctx.environment not in table:
        raise KeyError(f"environment {ctx.environment} is not in {ENVIRONMENTS_SWIFT} (it has {sorted(table)})")
    return table[ctx.environment]


def swift_number(value):
    """A Double as Formation writes it (NumberFormatting.shortest, Swift's description): 0.9, 1.0."""
    return repr(float(value))


def stripped_or(ctx, logical_id, attribute, read):
    """The placeholder moto_compat put in place of a removed resource's Ref (attribute None) or
    GetAtt, or else the deployed value read()."""
    if logical_id in ctx.stripped:
        return moto_compat.placeholder(logical_id, ctx.stripped[logical_id], attribute)
    return read()


def check_role(ctx, logical_id, principal, actions, function_config=None):
    """A role, by the physical ID of logical_id: trusted by exactly `principal` (a service), and
    allowed exactly `actions` ({action: resources}) by its inline policies; when the role is a
    function's, the function runs with it."""
    name = ctx.resources.get(logical_id)
    found = readback.role(ctx, name)
    ctx.expect_equal(readback.trusted_principals(found["AssumeRolePolicyDocument"]), {"Service": {principal}},
                     f"who may assume {logical_id} {name} (iam get-role)")
    allowed = readback.policy_actions(readback.role_policies(ctx, name).values())
    ctx.expect_equal(allowed, {action: sorted(resources) for action, resources in actions.items()},
                     f"actions and resources {logical_id} {name} allows (iam get-role-policy)")
    if function_config is not None:
        ctx.expect_equal(function_config.get("Role"), found["Arn"], f"role of function {function_config.get('FunctionName')}")
    return found


def check_log_group(ctx, name, retention):
    group = readback.log_groups(ctx, name).get(name)
    ctx.expect(group is not None, f"log group {name} exists (logs describe-log-groups)")
    if group:
        ctx.expect_equal(group.get("retentionInDays"), retention, f"log group {name} retentionInDays")
    return group


# --- every stack ---------------------------------------------------------------------------------

@readback_check("")
@after_update("")
def generic_readback(ctx):
    """Outputs (where moto reports them) and SSM parameter values equal what the deployed
    template's expressions evaluate to against the deployed stack (attributes read from the
    owning service, placeholders where moto_compat substituted)."""
    if ctx.outputs is not None:
        for name, output in (ctx.deployed_template.get("Outputs") or {}).items():
            if name in ctx.outputs:
                ctx.expect_equal(ctx.outputs[name], readback.expected(ctx, output["Value"]), f"output {name}")
    parameters = resources_of_type(ctx.deployed_template, "AWS::SSM::Parameter")
    names = {lid: readback.expected(ctx, body["Properties"]["Name"]) for lid, body in parameters.items()
             if "Name" in body.get("Properties", {})}
    found = readback.ssm_parameters(ctx, names.values())
    for lid, name in names.items():
        parameter = found.get(name)
        if parameter is None:
            ctx.expect(False, f"SSM parameter {name} ({lid}) not found by ssm get-parameters")
            continue
        properties = parameters[lid]["Properties"]
        ctx.expect_equal(parameter["Type"], properties.get("Type"), f"SSM parameter {name} Type")
        ctx.expect_equal(parameter["Value"], readback.expected(ctx, properties["Value"]), f"SSM parameter {name} Value")


@readback_check("")
@after_update("")
def code_asset_readback(ctx):
    """Every function whose code is a code asset runs exactly the ZIP synth --out wrote: the code
    `lambda get-function` reports has the file's size and SHA-256 and comes from its S3 key."""
    for logical_id, (_, key) in assets.template_assets(ctx.deployed_template).items():
        digest = ctx.assets.get(key)
        if digest is None:
            ctx.expect(False, f"{logical_id}: code asset {key} was not uploaded by the harness")
            continue
        name = ctx.resources.get(logical_id)
        function = readback.lambda_function(ctx, name)
        configuration, code = function["Configuration"], function.get("Code", {})
        ctx.expect_equal((configuration.get("CodeSize"), configuration.get("CodeSha256")), (digest["size"], digest["code_sha256"]),
                         f"{logical_id} {name} code (CodeSize, CodeSha256 from lambda get-function) against {digest['path']}")
        ctx.expect(code.get("RepositoryType") == "S3" and str(code.get("Location", "")).endswith("/" + key),
                   f"{logical_id} {name} code location: expected S3 key {key}, got {code.get('RepositoryType')} {code.get('Location')}")


# --- CustomerServiceAgentStack-<env> (stacks/CustomerServiceAgentStack.swift) ------------------

AGENT = "CustomerServiceAgentStack-"
UPDATE_PARAMETERS[AGENT] = {"AlarmEmail": "e2e-alarms-updated@example.com"}
# The seven SSM parameters (the names are the requirement) and the attribute each one holds.
AGENT_PARAMETERS = {
    "runtime-id": ("AgentRuntime", "AgentRuntimeId"),
    "runtime-arn": ("AgentRuntime", "AgentRuntimeArn"),
    "memory-id": ("Memory", "MemoryId"),
    "guardrail-id": ("Guardrail", "GuardrailId"),
    "guardrail-version": ("GuardrailVersion", "Version"),
    "execution-role-arn": ("ExecutionRole", "Arn"),
    "security-group-id": ("AgentSg", "GroupId"),
}


def agent_prefix(ctx):
    return f"/customerServiceAgent/{ctx.environment}/"


@template_check(AGENT)
def agent_template(ctx):
    """What moto does not model or report, asserted on the synthesized template."""
    types = {name: body.get("Type") for name, body in ctx.template["Parameters"].items()}
    ctx.expect_equal({n: types.get(n) for n in ("VpcId", "SubnetIds", "VpcCidr")},
                     {"VpcId": "AWS::EC2::VPC::Id", "SubnetIds": "List<AWS::EC2::Subnet::Id>", "VpcCidr": "String"},
                     "network parameter types")
    # Egress (moto ignores inline egress): exactly one inline rule, tcp 443 to the VPC CIDR, and
    # no separate egress resource anywhere in the template.
    egress = ctx.template["Resources"]["AgentSg"]["Properties"].get("SecurityGroupEgress", [])
    rules = [{k: v for k, v in rule.items() if k != "Description"} for rule in egress]
    ctx.expect_equal(rules, [{"CidrIp": {"Ref": "VpcCidr"}, "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}],
                     "AgentSg inline SecurityGroupEgress")
    ctx.expect_equal(sorted(resources_of_type(ctx.template, "AWS::EC2::SecurityGroupEgress")), [],
                     "AWS::EC2::SecurityGroupEgress resources")
    # The seven parameters: names, types, and the attribute each holds.
    parameters = resources_of_type(ctx.template, "AWS::SSM::Parameter")
    by_name = {body["Properties"]["Name"]: body["Properties"] for body in parameters.values()}
    wanted = {agent_prefix(ctx) + suffix for suffix in AGENT_PARAMETERS}
    ctx.expect_equal(sorted(name for name in by_name if name.startswith(agent_prefix(ctx))), sorted(wanted),
                     f"SSM parameter names under {agent_prefix(ctx)}")
    for suffix, (source, attribute) in AGENT_PARAMETERS.items():
        properties = by_name.get(agent_prefix(ctx) + suffix, {})
        ctx.expect_equal(properties.get("Type"), "String", f"SSM parameter {suffix} Type")
        ctx.expect_equal(properties.get("Value"), {"Fn::GetAtt": [source, attribute]}, f"SSM parameter {suffix} Value")
    # moto does not report a log group's kmsKeyId.
    logs = ctx.template["Resources"]["RuntimeLogs"]["Properties"]
    ctx.expect_equal(logs.get("KmsKeyId"), {"Fn::GetAtt": ["LogKey", "Arn"]}, "RuntimeLogs KmsKeyId")


@readback_check(AGENT)
def agent_readback(ctx):
    env = ctx.environment
    prefix = agent_prefix(ctx)

    # The execution role, by its name: trusted by the AgentCore service only.
    role_name = f"customerServiceAgentExecutionRole-{env}"
    ctx.expect_equal(ctx.resources.get("ExecutionRole"), role_name, "ExecutionRole physical ID")
    execution_role = readback.role(ctx, role_name)
    ctx.expect_equal(readback.trusted_principals(execution_role["AssumeRolePolicyDocument"]),
                     {"Service": {"bedrock-agentcore.amazonaws.com"}}, f"who may assume {role_name} (iam get-role)")
    logging_role_name = ctx.resources.get("ModelInvocationLoggingRole")
    logging_role = readback.role(ctx, logging_role_name)
    ctx.expect_equal(readback.trusted_principals(logging_role["AssumeRolePolicyDocument"]),
                     {"Service": {"bedrock.amazonaws.com"}}, f"who may assume the invocation-logging role {logging_role_name}")

    # The security group, in the VPC the harness created.
    group = readback.security_group(ctx, ctx.resources.get("AgentSg"))
    ctx.expect_equal(group["VpcId"], ctx.network.vpc_id, f"VPC of security group {group['GroupId']}")

    # The seven parameters: exact names and types; values live where moto models the source,
    # the printed placeholder where moto_compat substituted it.
    ctx.expect_equal(readback.ssm_names_under(ctx, prefix), sorted(prefix + s for s in AGENT_PARAMETERS),
                     f"SSM parameters under {prefix} (ssm get-parameters-by-path)")
    found = readback.ssm_parameters(ctx, [prefix + s for s in AGENT_PARAMETERS])
    live = {"execution-role-arn": execution_role["Arn"], "security-group-id": group["GroupId"]}
    for suffix, (source, attribute) in AGENT_PARAMETERS.items():
        name = prefix + suffix
        parameter = found.get(name)
        if parameter is None:
            ctx.expect(False, f"SSM parameter {name} not found")
            continue
        ctx.expect_equal(parameter["Type"], "String", f"SSM parameter {name} Type")
        if source in ctx.stripped:
            wanted, source_of = moto_compat.placeholder(source, ctx.stripped[source], attribute), "placeholder"
        else:
            wanted, source_of = readback.attribute(ctx, source, attribute), "deployed"
            if suffix in live:
                ctx.expect_equal(wanted, live[suffix], f"{source}.{attribute} read two ways")
        ctx.expect_equal(parameter["Value"], wanted, f"SSM parameter {name} ({source_of} {source}.{attribute})")

    # The log key rotates; both log groups exist with the template's retention.
    key_id = ctx.resources.get("LogKey")
    rotation = ctx.aws("kms", "get-key-rotation-status", "--key-id", key_id)
    ctx.expect_equal(rotation.get("KeyRotationEnabled"), True, f"LogKey {key_id} rotation (kms get-key-rotation-status)")
    groups_wanted = {readback.expected(ctx, body["Properties"]["LogGroupName"]): body["Properties"].get("RetentionInDays")
                     for body in resources_of_type(ctx.deployed_template, "AWS::Logs::LogGroup").values()}
    ctx.expect_equal(len(groups_wanted), 2, "log groups in the template")
    common = os.path.commonprefix(list(groups_wanted)) or "/"
    described = {g["logGroupName"]: g for g in ctx.aws("logs", "describe-log-groups", "--log-group-name-prefix", common)["logGroups"]}
    for name, retention in groups_wanted.items():
        group = described.get(name)
        ctx.expect(group is not None, f"log group {name} exists (logs describe-log-groups)")
        if group:
            ctx.expect_equal(group.get("retentionInDays"), retention, f"log group {name} retentionInDays")

    # Interface endpoints (environments that create them) sit in the harness's VPC and subnets.
    endpoints = resources_of_type(ctx.deployed_template, "AWS::EC2::VPCEndpoint")
    if endpoints:
        ids = [ctx.resources.get(lid) for lid in endpoints]
        described = {e["VpcEndpointId"]: e for e in ctx.aws("ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", *ids)["VpcEndpoints"]}
        for lid, body in endpoints.items():
            endpoint = described.get(ctx.resources.get(lid))
            if endpoint is None:
                ctx.expect(False, f"VPC endpoint {lid} ({ctx.resources.get(lid)}) not found by describe-vpc-endpoints")
                continue
            service = readback.expected(ctx, body["Properties"]["ServiceName"])
            ctx.expect_equal((endpoint["VpcId"], endpoint["ServiceName"], sorted(endpoint.get("SubnetIds", []))),
                             (ctx.network.vpc_id, service, sorted(ctx.network.subnet_ids)), f"VPC endpoint {lid}")


@after_update(AGENT)
def agent_after_update(ctx):
    names = readback.ssm_names_under(ctx, agent_prefix(ctx))
    ctx.expect_equal(names, sorted(agent_prefix(ctx) + s for s in AGENT_PARAMETERS), "SSM parameters after the update")


# --- BedrockCacheStack-<env> (stacks/BedrockCacheStack.swift) ------------------------------------

CACHE = "BedrockCacheStack-"
# Harmless: only the (unmodeled) email subscription uses it.
UPDATE_PARAMETERS[CACHE] = {"AlarmEmail": "e2e-cache-alarms-updated@example.com"}
CACHE_GENERATION_MODEL = "amazon.nova-micro-v1:0"
CACHE_EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0"
# The network-interface actions Lambda needs in a VPC: four accept EC2 ARNs (scoped to the
# account and region), DescribeNetworkInterfaces lists no resource type ("*").
VPC_INTERFACE_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                         "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
VPC_INTERFACE_ARN = f"arn:{readback.PARTITION}:ec2:{readback.REGION}:{readback.ACCOUNT}:*/*"


def foundation_model_arn(model_id):
    return f"arn:{readback.PARTITION}:bedrock:{readback.REGION}::foundation-model/{model_id}"


def without_description(rules):
    return [{k: v for k, v in rule.items() if k != "Description"} for rule in rules]


@template_check(CACHE)
def cache_template(ctx):
    """What moto does not model or report: egress, the replication group, the alarms."""
    settings = settings_of(ctx)
    resources = ctx.template["Resources"]
    ctx.expect_equal(without_description(resources["FunctionSg"]["Properties"].get("SecurityGroupEgress", [])),
                     [{"CidrIp": {"Ref": "VpcCidr"}, "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}],
                     "FunctionSg inline SecurityGroupEgress")
    # The cache's group allows no egress (CloudFormation's disallow-all placeholder rule).
    ctx.expect_equal(without_description(resources["CacheSg"]["Properties"].get("SecurityGroupEgress", [])),
                     [{"CidrIp": "255.255.255.255/32", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}],
                     "CacheSg SecurityGroupEgress (none allowed)")
    sg = lambda lid: {"Fn::GetAtt": [lid, "GroupId"]}  # noqa: E731
    egress = {lid: {k: v for k, v in body["Properties"].items() if k != "Description"}
              for lid, body in resources_of_type(ctx.template, "AWS::EC2::SecurityGroupEgress").items()}
    ctx.expect_equal(list(egress.values()), [{"GroupId": sg("FunctionSg"), "DestinationSecurityGroupId": sg("CacheSg"),
                                              "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379}],
                     "AWS::EC2::SecurityGroupEgress resources (Redis from the function's group to the cache's only)")
    ingress = [{k: v for k, v in body["Properties"].items() if k != "Description"}
               for body in resources_of_type(ctx.template, "AWS::EC2::SecurityGroupIngress").values()]
    ctx.expect_equal(ingress, [{"GroupId": sg("CacheSg"), "SourceSecurityGroupId": sg("FunctionSg"),
                                "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379}],
                     "AWS::EC2::SecurityGroupIngress resources (6379 into the cache from the function's group only)")
    cache = resources["Cache"]["Properties"]
    high = settings["cacheHighAvailability"]
    ctx.expect_equal({k: cache.get(k) for k in ("Engine", "EngineVersion", "Port", "AtRestEncryptionEnabled", "TransitEncryptionEnabled",
                                                 "CacheNodeType", "AutomaticFailoverEnabled", "MultiAZEnabled", "NumCacheClusters",
                                                 "SecurityGroupIds", "CacheSubnetGroupName")},
                     {"Engine": "redis", "EngineVersion": "7.1", "Port": 6379, "AtRestEncryptionEnabled": True,
                      "TransitEncryptionEnabled": True, "CacheNodeType": settings["cacheNodeType"], "AutomaticFailoverEnabled": high,
                      "MultiAZEnabled": high, "NumCacheClusters": 2 if high else 1, "SecurityGroupIds": [sg("CacheSg")],
                      "CacheSubnetGroupName": {"Ref": "CacheSubnets"}},
                     "Cache (AWS::ElastiCache::ReplicationGroup) against the environment table")
    ctx.expect_equal(resources["CacheSubnets"]["Properties"].get("SubnetIds"), {"Ref": "SubnetIds"}, "CacheSubnets SubnetIds")
    alarms = {body["Properties"]["MetricName"]: body["Properties"] for body in resources_of_type(ctx.template, "AWS::CloudWatch::Alarm").values()}
    ctx.expect_equal(sorted(alarms), ["Duration", "Errors"], "alarm metrics")
    for metric, alarm in alarms.items():
        ctx.expect_equal((alarm.get("Namespace"), alarm.get("Dimensions"), alarm.get("AlarmActions")),
                         ("AWS/Lambda", [{"Name": "FunctionName", "Value": {"Ref": "CacheFunction"}}], [{"Ref": "Alarms"}]),
                         f"{metric} alarm: namespace, dimensions, actions")


@readback_check(CACHE)
@after_update(CACHE)
def cache_readback(ctx):
    settings = settings_of(ctx)
    env = ctx.environment
    name = ctx.resources.get("CacheFunction")
    ctx.expect_equal(name, f"bedrock-semantic-cache-{env}", "CacheFunction physical ID")
    configuration = readback.lambda_function(ctx, name)["Configuration"]
    ctx.expect_equal({k: configuration.get(k) for k in ("Runtime", "Handler", "MemorySize", "Timeout")},
                     {"Runtime": "python3.12", "Handler": "handler.lambda_handler", "MemorySize": 512, "Timeout": 30},
                     f"{name} configuration (lambda get-function)")

    # Environment: the table's settings; Redis from the replication group (a placeholder where
    # moto_compat removed it: moto 5.2 does not model ElastiCache replication groups).
    redis = {attribute: stripped_or(ctx, "Cache", attribute, lambda a=attribute: readback.attribute(ctx, "Cache", a))
             for attribute in ("PrimaryEndPoint.Address", "PrimaryEndPoint.Port")}
    ctx.expect_equal((configuration.get("Environment") or {}).get("Variables"), {
        "SIMILARITY_THRESHOLD": swift_number(settings["similarityThreshold"]),
        "CACHE_TTL_SECONDS": str(settings["cacheTTLSeconds"]),
        "GENERATION_MODEL_ID": CACHE_GENERATION_MODEL,
        "EMBEDDING_MODEL_ID": CACHE_EMBEDDING_MODEL,
        "REDIS_HOST": redis["PrimaryEndPoint.Address"],
        "REDIS_PORT": redis["PrimaryEndPoint.Port"],
    }, f"{name} environment variables (REDIS_* {'placeholders: Cache stripped' if 'Cache' in ctx.stripped else 'deployed'})")

    # In the harness's VPC and subnets, with the function's own group.
    function_sg, cache_sg = ctx.resources.get("FunctionSg"), ctx.resources.get("CacheSg")
    vpc_config = configuration.get("VpcConfig") or {}
    ctx.expect_equal((sorted(vpc_config.get("SubnetIds", [])), vpc_config.get("SecurityGroupIds")),
                     (sorted(ctx.network.subnet_ids), [function_sg]), f"{name} VpcConfig (subnets, security groups)")
    subnets = ctx.aws("ec2", "describe-subnets", "--subnet-ids", *vpc_config.get("SubnetIds", ["none"]))["Subnets"]
    ctx.expect_equal({s["VpcId"] for s in subnets}, {ctx.network.vpc_id}, f"VPC of {name}'s subnets (ec2 describe-subnets)")
    groups = {lid: readback.security_group(ctx, ctx.resources.get(lid)) for lid in ("FunctionSg", "CacheSg")}
    for lid, group in groups.items():
        ctx.expect_equal(group["VpcId"], ctx.network.vpc_id, f"VPC of {lid} {group['GroupId']}")

    # Redis admits 6379 from the function's group only; nothing may connect to the function.
    ingress = [lid for lid, body in resources_of_type(ctx.deployed_template, "AWS::EC2::SecurityGroupIngress").items()]
    if ingress:
        ctx.expect_equal(readback.permission_rules(groups["CacheSg"].get("IpPermissions", [])), {("tcp", 6379, 6379, function_sg)},
                         f"ingress of CacheSg {cache_sg} (ec2 describe-security-groups)")
    else:
        ctx.log(f"{ctx.step}: CacheSg ingress not modelled by moto: asserted on the template only")
    ctx.expect_equal(readback.permission_rules(groups["FunctionSg"].get("IpPermissions", [])), set(),
                     f"ingress of FunctionSg {function_sg}")

    log_name = f"/aws/lambda/{name}"
    group = check_log_group(ctx, log_name, settings["logRetentionDays"])
    logging = configuration.get("LoggingConfig")
    if logging:
        ctx.expect_equal(logging.get("LogGroup"), log_name, f"{name} LoggingConfig.LogGroup")
    log_arn = moto_compat.log_group_getatt_arn(group["arn"]) if group else "(missing)"
    check_role(ctx, "CacheFunctionRole", "lambda.amazonaws.com", dict(
        {"logs:CreateLogStream": [log_arn], "logs:PutLogEvents": [log_arn],
         "bedrock:InvokeModel": [foundation_model_arn(CACHE_GENERATION_MODEL), foundation_model_arn(CACHE_EMBEDDING_MODEL)]},
        **{action: [VPC_INTERFACE_ARN] for action in VPC_INTERFACE_ACTIONS},
        **{"ec2:DescribeNetworkInterfaces": ["*"]}), configuration)


# --- EksAmiUpdateStack-<env> (stacks/EksAmiUpdateStack.swift) ---------------------------------------

EKS = "EksAmiUpdateStack-"
# Harmless: pull requests would target another branch; the detector's and updater's environment
# must follow it (read back after the update).
UPDATE_PARAMETERS[EKS] = {"GitHubBranch": "e2e-updated-branch"}
EKS_ANALYSIS_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"
# logical ID -> (function name stem, handler)
EKS_FUNCTIONS = {
    "Detector": ("eks-ami-detector", "detector.lambda_handler"),
    "Analyzer": ("eks-ami-bedrock-analyzer", "index.lambda_handler"),
    "Updater": ("eks-ami-gitops-updater", "updater.lambda_handler"),
    "Notifier": ("eks-ami-notifier", "index.lambda_handler"),
}
EKS_TASKS = [("AnalyzeAmi", "Analyzer"), ("CreatePullRequest", "Updater"), ("NotifyTeam", "Notifier")]
EKS_GITHUB_PARAMETERS = {"GitHubRepoOwner": "gitHubRepoOwner", "GitHubRepoName": "gitHubRepoName",
                         "GitHubFilePath": "gitHubFilePath", "GitHubBranch": "gitHubBranch"}
AMI_PARAMETER_PATH = "/aws/service/eks/optimized-ami/{version}/amazon-linux-2023/x86_64/standard/recommended/"


def eks_secret_arn(ctx):
    return stripped_or(ctx, "GitHubAppSecret", None, lambda: ctx.resources.get("GitHubAppSecret"))


@template_check(EKS)
def eks_template(ctx):
    """What moto does not model: the secret (built from the parameters, the key NoEcho), the email
    subscription, the alarms; the parameters' defaults against the environment table."""
    settings = settings_of(ctx)
    parameters = ctx.template["Parameters"]
    ctx.expect_equal((parameters["PollingSchedule"].get("Default"), parameters["EKSVersion"].get("Default")),
                     (settings["amiPollingSchedule"], settings["eksVersion"]), "PollingSchedule and EKSVersion Defaults")
    ctx.expect_equal(parameters["GitHubAppPrivateKey"].get("NoEcho"), True, "GitHubAppPrivateKey NoEcho")
    secret = ctx.template["Resources"]["GitHubAppSecret"]["Properties"]
    ctx.expect_equal(secret.get("Name"), f"eks-ami-update/{ctx.environment}/github-app", "GitHubAppSecret Name")
    text = secret.get("SecretString", {}).get("Fn::Sub") if isinstance(secret.get("SecretString"), dict) else None
    try:
        shape = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        shape = None
    ctx.expect_equal(shape, {"app_id": "${GitHubAppId}", "installation_id": "${GitHubAppInstallationId}",
                             "private_key": "${GitHubAppPrivateKey}"}, "GitHubAppSecret SecretString (Fn::Sub JSON)")
    subscription = ctx.template["Resources"]["NotificationsEmail"]["Properties"]
    ctx.expect_equal(subscription, {"Endpoint": {"Ref": "NotificationEmail"}, "Protocol": "email", "TopicArn": {"Ref": "Notifications"}},
                     "NotificationsEmail subscription")
    alarms = {body["Properties"]["AlarmName"]: body["Properties"] for body in resources_of_type(ctx.template, "AWS::CloudWatch::Alarm").values()}
    ctx.expect_equal(sorted(alarms), sorted(f"eksAmiUpdate-{n}-{ctx.environment}" for n in ("WorkflowFailed", "DetectorErrors")), "alarm names")
    for name, alarm in alarms.items():
        ctx.expect_equal(alarm.get("AlarmActions"), [{"Ref": "Notifications"}], f"{name} AlarmActions")


def eks_deployed_values(ctx):
    """The parameter values the stack runs with: passed, else the template's Default."""
    return {name: str(ctx.values.get(name, definition.get("Default")))
            for name, definition in ctx.template["Parameters"].items()}


@readback_check(EKS)
def eks_deploy_values(ctx):
    """The values deploy-args printed (deployed here) are the environment table's."""
    settings = settings_of(ctx)
    for parameter, setting in EKS_GITHUB_PARAMETERS.items():
        ctx.expect_equal(ctx.parameters.get(parameter), settings[setting], f"parameter {parameter} against the environment table")


@readback_check(EKS)
@after_update(EKS)
def eks_readback(ctx):
    settings = settings_of(ctx)
    env = ctx.environment
    values = eks_deployed_values(ctx)

    # The four functions, their code entry points and runtime.
    configurations = {}
    for lid, (stem, handler) in EKS_FUNCTIONS.items():
        name = ctx.resources.get(lid)
        ctx.expect_equal(name, f"{stem}-{env}", f"{lid} physical ID")
        configuration = configurations[lid] = readback.lambda_configuration(ctx, name)
        ctx.expect_equal((configuration.get("Runtime"), configuration.get("Handler")), ("python3.12", handler),
                         f"{name} runtime and handler (lambda get-function-configuration)")
    arns = {lid: configuration["FunctionArn"] for lid, configuration in configurations.items()}

    machine_arn = ctx.resources.get("Workflow")
    machine = readback.state_machine(ctx, machine_arn)
    topic_arn = ctx.aws("sns", "get-topic-attributes", "--topic-arn", ctx.resources.get("Notifications"))["Attributes"]["TopicArn"]
    secret_arn = eks_secret_arn(ctx)
    github = {"GITHUB_REPO_OWNER": values["GitHubRepoOwner"], "GITHUB_REPO_NAME": values["GitHubRepoName"],
              "GITHUB_FILE_PATH": values["GitHubFilePath"], "GITHUB_BRANCH": values["GitHubBranch"], "SECRET_ARN": secret_arn}
    guardrail = {attribute: stripped_or(ctx, source, attribute, lambda s=source, a=attribute: readback.attribute(ctx, s, a))
                 for source, attribute in (("AnalysisGuardrail", "GuardrailId"), ("AnalysisGuardrailVersion", "Version"),
                                           ("AnalysisGuardrail", "GuardrailArn"))}
    wanted = {
        "Detector": dict(github, EKS_VERSION=values["EKSVersion"], STATE_MACHINE_ARN=machine["stateMachineArn"]),
        "Analyzer": {"MODEL_ID": EKS_ANALYSIS_MODEL, "GUARDRAIL_ID": guardrail["GuardrailId"], "GUARDRAIL_VERSION": guardrail["Version"]},
        "Updater": github,
        "Notifier": {"TOPIC_ARN": topic_arn},
    }
    for lid, variables in wanted.items():
        ctx.expect_equal((configurations[lid].get("Environment") or {}).get("Variables"), variables,
                         f"{configurations[lid].get('FunctionName')} environment variables")
    ctx.expect_equal(values["EKSVersion"], settings["eksVersion"], "EKSVersion deployed (its Default, the environment table's)")

    # The workflow: analyze -> create PR -> notify, each task the real function's ARN.
    ctx.expect_equal((machine["name"], machine["stateMachineArn"]), (f"eks-ami-update-{env}", machine_arn), "state machine name and ARN")
    ctx.expect_equal(machine["definition"], readback.expected_definition(ctx, "Workflow"),
                     f"state machine {machine_arn} definition against the template's, evaluated")
    try:
        sequence = readback.state_sequence(machine["definition"])
    except readback.Unresolvable as error:
        ctx.expect(False, f"state machine {machine_arn} definition: {error}")
        sequence = []
    ctx.expect_equal([(name, state.get("Type"), state.get("Resource"), (state.get("Parameters") or {}).get("FunctionName"))
                      for name, state in sequence],
                     [(state, "Task", f"arn:{readback.PARTITION}:states:::lambda:invoke", arns[lid]) for state, lid in EKS_TASKS],
                     f"state machine {machine_arn} tasks in order (describe-state-machine)")
    ctx.expect_equal(readback.lambda_arns_in(machine["definition"]), [arns[lid] for _, lid in EKS_TASKS],
                     "every Lambda ARN in the definition, in order (exactly the three task functions)")
    workflow_role = check_role(ctx, "WorkflowRole", "states.amazonaws.com",
                               {"lambda:InvokeFunction": [arns[lid] for _, lid in EKS_TASKS]})
    ctx.expect_equal(machine.get("roleArn"), workflow_role["Arn"], "state machine roleArn")

    # The schedule runs the detector, and only this rule may invoke it.
    rule_name = ctx.resources.get("Schedule")
    rule = ctx.aws("events", "describe-rule", "--name", rule_name)
    ctx.expect_equal((rule.get("ScheduleExpression"), rule.get("State")), (values["PollingSchedule"], "ENABLED"),
                     f"rule {rule_name} schedule and state (events describe-rule)")
    ctx.expect_equal(values["PollingSchedule"], settings["amiPollingSchedule"], "PollingSchedule deployed (its Default)")
    ctx.expect_equal(readback.rule_targets(ctx, rule_name), [{"Id": "Detector", "Arn": arns["Detector"]}],
                     f"targets of rule {rule_name} (events list-targets-by-rule)")
    ctx.expect_equal(readback.source_arns(readback.lambda_policy_statements(ctx, ctx.resources.get("Detector"))),
                     [("events.amazonaws.com", "lambda:InvokeFunction", rule["Arn"])],
                     f"{ctx.resources.get('Detector')} resource policy (lambda get-policy): principal, action, SourceArn")

    # The topic; the secret (read back where moto models it).
    topic = ctx.aws("sns", "get-topic-attributes", "--topic-arn", topic_arn)["Attributes"]
    ctx.expect_equal(topic.get("DisplayName"), f"EKS AMI updates ({env})", f"topic {topic_arn} DisplayName")
    if "GitHubAppSecret" in ctx.stripped:
        ctx.log(f"{ctx.step}: GitHubAppSecret not modelled by moto: asserted on the template; functions and policies get the placeholder {secret_arn}")
    else:
        secret = ctx.aws("secretsmanager", "get-secret-value", "--secret-id", secret_arn)
        ctx.expect_equal(json.loads(secret["SecretString"]), {
            "app_id": values["GitHubAppId"], "installation_id": values["GitHubAppInstallationId"],
            "private_key": values["GitHubAppPrivateKey"]}, f"secret {secret_arn} value")

    # Each function's role: trusted by Lambda, its own log group, and only what it needs.
    ami_path = AMI_PARAMETER_PATH.format(version=values["EKSVersion"])
    ami_arns = [f"arn:{readback.PARTITION}:ssm:{readback.REGION}::parameter{ami_path}{name}" for name in ("image_id", "release_version")]
    grants = {
        "Detector": {"ssm:GetParameter": ami_arns, "secretsmanager:GetSecretValue": [secret_arn], "states:StartExecution": [machine_arn]},
        "Analyzer": {"bedrock:InvokeModel": [foundation_model_arn(EKS_ANALYSIS_MODEL)], "bedrock:ApplyGuardrail": [guardrail["GuardrailArn"]]},
        "Updater": {"secretsmanager:GetSecretValue": [secret_arn]},
        "Notifier": {"sns:Publish": [topic_arn]},
    }
    for lid, grant in grants.items():
        name = configurations[lid]["FunctionName"]
        group = check_log_group(ctx, f"/aws/lambda/{name}", settings["logRetentionDays"])
        log_arn = moto_compat.log_group_getatt_arn(group["arn"]) if group else "(missing)"
        check_role(ctx, f"{lid}Role", "lambda.amazonaws.com",
                   dict(grant, **{"logs:CreateLogStream": [log_arn], "logs:PutLogEvents": [log_arn]}), configurations[lid])


# --- The CLI test app's stacks (Tests/CLITestApp), deployed to prove deploy-args end to end ----

UPDATE_PARAMETERS["Good-test"] = {"RetentionDays": "7"}


@readback_check("Good-test")
def good_readback(ctx):
    ctx.expect_equal(ctx.parameters.get("Env"), "test", "parameter Env (the stack's deploy value)")
    ctx.expect_output("LogGroupName", "/formation/cli-test/test")


@readback_check("Big-test")
def big_readback(ctx):
    # Over the inline limit: deploy-args printed --s3-bucket, and both forms went through S3.
    ctx.expect(ctx.plan.get("needs_s3"), "deploy-args printed --s3-bucket for a template over 51,200 bytes")
    parameters = resources_of_type(ctx.deployed_template, "AWS::SSM::Parameter")
    ctx.expect_equal(len(parameters), 60, "SSM parameters in the template")
    ctx.expect_equal(sorted(ctx.resources), sorted(parameters), "resources deployed")


@readback_check("NamedIam-test")
def named_iam_readback(ctx):
    # The deploy value is full of shell metacharacters: it must arrive byte for byte.
    ctx.expect_equal(ctx.parameters.get("Greeting"), "it's a \"quoted\" $HOME `value` \\ & more", "parameter Greeting")
    ctx.expect_equal(ctx.parameters.get("GitHubBranch"), "main", "parameter GitHubBranch (its Default)")
    ctx.expect_equal(ctx.resources.get("FunctionRole"), "formation-cli-test-role", "FunctionRole physical ID")
    role = readback.role(ctx, "formation-cli-test-role")
    ctx.expect_equal(readback.trusted_principals(role["AssumeRolePolicyDocument"]), {"Service": {"lambda.amazonaws.com"}},
                     "who may assume formation-cli-test-role")
