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

import base64
import os

import moto_compat
import readback

TEMPLATE_CHECKS = {}
READBACKS = {}
AFTER_UPDATE = {}
# Parameter values the change-set update sets, by stack-name prefix.
UPDATE_PARAMETERS = {}
# Values for parameters `formation deploy-args` leaves as placeholders (NoEcho, or required with
# no deploy value) that network.py does not provide. Never real secrets: this is a loopback endpoint.
PLACEHOLDER_VALUES = {
    "GitHubAppPrivateKey": "-----BEGIN E2E TEST KEY-----",
    # e2e.py creates this bucket in moto and uploads the code zips with the commands deploy-args prints.
    "AssetBucket": "formation-e2e-assets",
}


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


# --- Shared by the Lambda-based stacks ------------------------------------------------------------

def check_function(ctx, logical_id):
    """A deployed function against its template: runtime, handler, every environment variable as
    the template's expression evaluates in the deployed stack (placeholders where moto_compat
    substituted a stripped resource), the role, and — for code in the asset bucket — moto's
    CodeSha256 equal to the content hash the zip is named by. Returns the configuration."""
    properties = ctx.deployed_template["Resources"][logical_id]["Properties"]
    name = ctx.resources.get(logical_id)
    configuration = readback.lambda_configuration(ctx, name)
    ctx.expect_equal(configuration.get("Runtime"), properties["Runtime"], f"{logical_id} Runtime")
    ctx.expect_equal(configuration.get("Handler"), properties["Handler"], f"{logical_id} Handler")
    ctx.expect_equal(configuration.get("Role"), readback.expected(ctx, properties["Role"]), f"{logical_id} Role")
    wanted = {key: readback.expected(ctx, value)
              for key, value in ((properties.get("Environment") or {}).get("Variables") or {}).items()}
    ctx.expect_equal((configuration.get("Environment") or {}).get("Variables", {}), wanted,
                     f"{logical_id} environment variables (lambda get-function-configuration)")
    code = properties.get("Code", {})
    if code.get("S3Bucket") == {"Ref": "AssetBucket"}:
        digest = code["S3Key"][:-len(".zip")]
        ctx.expect_equal(configuration.get("CodeSha256"), base64.b64encode(bytes.fromhex(digest)).decode(),
                         f"{logical_id} CodeSha256 vs its content-addressed S3Key {code['S3Key']}")
    return configuration


def check_trust(ctx, logical_id, service):
    role = readback.role(ctx, ctx.resources.get(logical_id))
    ctx.expect_equal(readback.trusted_principals(role["AssumeRolePolicyDocument"]), {"Service": {service}},
                     f"who may assume {logical_id} (iam get-role)")
    return role


def check_log_groups(ctx):
    """Every log group of the deployed template exists with its retention."""
    for lid, body in resources_of_type(ctx.deployed_template, "AWS::Logs::LogGroup").items():
        name = readback.expected(ctx, body["Properties"]["LogGroupName"])
        found = [g for g in ctx.aws("logs", "describe-log-groups", "--log-group-name-prefix", name)["logGroups"]
                 if g["logGroupName"] == name]
        ctx.expect(len(found) == 1, f"log group {name} ({lid}) exists (logs describe-log-groups)")
        if found:
            ctx.expect_equal(found[0].get("retentionInDays"), body["Properties"].get("RetentionInDays"),
                             f"log group {name} retentionInDays")


# --- BedrockCacheStack-<env> (stacks/BedrockCacheStack.swift) ------------------------------------

CACHE = "BedrockCacheStack-"
UPDATE_PARAMETERS[CACHE] = {"AlarmEmail": "e2e-cache-alarms-updated@example.com"}


@template_check(CACHE)
def cache_template(ctx):
    """What moto strips (ElastiCache) or ignores (inline egress), asserted on the template."""
    resources = ctx.template["Resources"]
    cache = resources["Cache"]["Properties"]
    ctx.expect_equal((cache.get("Engine"), cache.get("EngineVersion"), cache.get("TransitEncryptionEnabled"),
                      cache.get("AtRestEncryptionEnabled")), ("redis", "7.1", True, True), "Cache engine and encryption")
    ctx.expect_equal(resources["CacheSg"]["Properties"].get("SecurityGroupIngress"), None, "CacheSg inline ingress")
    ingress = [body["Properties"] for body in resources_of_type(ctx.template, "AWS::EC2::SecurityGroupIngress").values()]
    ctx.expect_equal([(i["GroupId"], i["SourceSecurityGroupId"], i["IpProtocol"], i["FromPort"], i["ToPort"]) for i in ingress],
                     [({"Fn::GetAtt": ["CacheSg", "GroupId"]}, {"Fn::GetAtt": ["FunctionSg", "GroupId"]}, "tcp", 6379, 6379)],
                     "the only ingress into the cache: 6379 from the function's security group")
    variables = resources["CacheFunction"]["Properties"]["Environment"]["Variables"]
    ctx.expect_equal((variables.get("REDIS_HOST"), variables.get("REDIS_PORT")),
                     ({"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Address"]}, {"Fn::GetAtt": ["Cache", "PrimaryEndPoint.Port"]}),
                     "REDIS_HOST/REDIS_PORT from the cluster's attributes")


@readback_check(CACHE)
def cache_readback(ctx):
    configuration = check_function(ctx, "CacheFunction")
    vpc = configuration.get("VpcConfig") or {}
    ctx.expect_equal((sorted(vpc.get("SubnetIds", [])), vpc.get("SecurityGroupIds")),
                     (sorted(ctx.network.subnet_ids), [ctx.resources.get("FunctionSg")]),
                     "CacheFunction VpcConfig (the harness's subnets, the function's security group)")
    check_trust(ctx, "CacheFunctionRole", "lambda.amazonaws.com")
    cache_group = readback.security_group(ctx, ctx.resources.get("CacheSg"))
    ctx.expect_equal(cache_group["VpcId"], ctx.network.vpc_id, "CacheSg VPC")
    ctx.expect_equal(readback.permission_rules(cache_group.get("IpPermissions", [])),
                     {("tcp", 6379, 6379, ctx.resources.get("FunctionSg"))},
                     "CacheSg ingress as deployed (ec2 describe-security-groups)")
    check_log_groups(ctx)


# --- EksAmiUpdateStack-<env> (stacks/EksAmiUpdateStack.swift) ------------------------------------

AMI = "EksAmiUpdateStack-"
UPDATE_PARAMETERS[AMI] = {"GitHubBranch": "e2e-updated-branch"}
AMI_FUNCTIONS = ["Detector", "Analyzer", "Updater", "Notifier"]
# The workflow's task functions, in the order the definition must run them.
AMI_TASKS = ["Analyzer", "Updater", "Notifier"]


def task_functions(definition):
    """The function each Task state invokes, following StartAt and Next from the start."""
    functions, state, seen = [], definition.get("StartAt"), set()
    states = definition.get("States", {})
    while state and state not in seen and state in states:
        seen.add(state)
        body = states[state]
        if body.get("Type") == "Task":
            functions.append((body.get("Parameters") or {}).get("FunctionName") or body.get("Resource"))
        state = None if body.get("End") else body.get("Next")
    return functions


@readback_check(AMI)
def ami_readback(ctx):
    arns = {name: check_function(ctx, name)["FunctionArn"] for name in AMI_FUNCTIONS}
    for name in AMI_FUNCTIONS:
        check_trust(ctx, f"{name}Role", "lambda.amazonaws.com")
    check_trust(ctx, "WorkflowRole", "states.amazonaws.com")

    # The state machine's definition as deployed: the template's, with the real function ARNs,
    # running exactly the three task functions in order.
    machine = readback.state_machine(ctx, ctx.resources.get("Workflow"))
    ctx.expect_equal(machine["definition"], readback.expected_definition(ctx, "Workflow"),
                     "state machine definition (stepfunctions describe-state-machine)")
    ctx.expect_equal(task_functions(machine["definition"]), [arns[name] for name in AMI_TASKS],
                     "the functions the workflow runs, in order (analyze, pull request, notify)")

    # The schedule runs the detector; only that rule may invoke it.
    rule_name = ctx.resources.get("Schedule")
    rule = ctx.aws("events", "describe-rule", "--name", rule_name)
    ctx.expect_equal(rule.get("ScheduleExpression"), ctx.parameters.get("PollingSchedule"), "schedule expression")
    ctx.expect_equal(ctx.parameters.get("PollingSchedule"), "cron(0 9,21 * * ? *)", "PollingSchedule (its Default)")
    ctx.expect_equal([target["Arn"] for target in readback.rule_targets(ctx, rule_name)], [arns["Detector"]],
                     "schedule rule targets (events list-targets-by-rule)")
    permissions = readback.source_arns(readback.lambda_policy_statements(ctx, ctx.resources.get("Detector")))
    ctx.expect_equal([(principal, arn) for principal, _, arn in permissions], [("events.amazonaws.com", rule["Arn"])],
                     "who may invoke the detector (lambda get-policy): the schedule rule only")

    topic = ctx.resources.get("Notifications")
    ctx.expect_equal(ctx.aws("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"].get("TopicArn"), topic,
                     "notification topic (sns get-topic-attributes)")
    check_log_groups(ctx)


@after_update(AMI)
def ami_after_update(ctx):
    variables = readback.lambda_environment(ctx, ctx.resources.get("Detector"))
    ctx.expect_equal(variables.get("GITHUB_BRANCH"), "e2e-updated-branch",
                     "the detector sees the updated GitHubBranch")


# --- The CLI test app's stacks (Tests/CLITestApp), deployed to prove deploy-args end to end ----

UPDATE_PARAMETERS["Good-test"] = {"RetentionDays": "7"}


@readback_check("Good-test")
def good_readback(ctx):
    ctx.expect_equal(ctx.parameters.get("Env"), "test", "parameter Env (the stack's deploy value)")
    ctx.expect_output("LogGroupName", "/formation/cli-test/test")


@readback_check("NamedIam-test")
def named_iam_readback(ctx):
    # The deploy value is full of shell metacharacters: it must arrive byte for byte.
    ctx.expect_equal(ctx.parameters.get("Greeting"), "it's a \"quoted\" $HOME `value` \\ & more", "parameter Greeting")
    ctx.expect_equal(ctx.parameters.get("GitHubBranch"), "main", "parameter GitHubBranch (its Default)")
    ctx.expect_equal(ctx.resources.get("FunctionRole"), "formation-cli-test-role", "FunctionRole physical ID")
    role = readback.role(ctx, "formation-cli-test-role")
    ctx.expect_equal(readback.trusted_principals(role["AssumeRolePolicyDocument"]), {"Service": {"lambda.amazonaws.com"}},
                     "who may assume formation-cli-test-role")
