"""Reading a deployed stack back: the generic helpers the per-stack checks (checks.py) use.

Two kinds:

* pure functions, unit-tested in test_harness.py: `evaluate` (CloudFormation intrinsics against
  deployed values), `trusted_principals` (who may assume a role), `policy_statements` and
  `source_arns` (a resource policy's statements and their SourceArn conditions),
  `fill_definition` (Step Functions DefinitionSubstitutions), `permission_rules` (security group
  rules as comparable tuples);
* readers, which take a check's `ctx` and read through the AWS CLI (`ctx.aws`): SSM parameters in
  batches, a role, a security group, a resource attribute by logical ID (`attribute`), the value a
  template expression has once deployed (`expected`), a Lambda function's configuration and
  environment, a state machine and the definition it should have, an EventBridge rule's targets,
  a Lambda function's resource policy.

Nothing fails quietly: a failed call raises e2e's Failure (the command and its error), an
expression or attribute the helpers cannot evaluate raises Unresolvable (which, and what to add),
and e2e.run_checks turns either into a failure naming the stack, the step and the check.
"""

import json
import re

import moto_compat

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"

SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class Unresolvable(Exception):
    """A template expression the helpers cannot evaluate (a condition, an unknown attribute)."""


# --- pure ------------------------------------------------------------------------------------------

def evaluate(value, ref, getatt, import_value=None):
    """`value` (long-form template JSON) with its intrinsics evaluated to plain data.

    ref(name) answers Ref (parameters, pseudo parameters, resources); getatt(logical_id, attribute)
    answers Fn::GetAtt; import_value(export name), when given, answers Fn::ImportValue. Supports
    Ref, Fn::GetAtt (both spellings), Fn::Sub (string or [string, variables], `${!Literal}`),
    Fn::Join, Fn::Select, Fn::Split, Fn::ImportValue (with import_value); anything else that looks
    like an intrinsic (Fn::If, …) raises Unresolvable."""
    if isinstance(value, list):
        return [evaluate(item, ref, getatt, import_value) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, argument), = value.items()
        if key == "Ref":
            return ref(argument)
        if key == "Fn::GetAtt":
            target, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
            return getatt(target, evaluate(attribute, ref, getatt, import_value))
        if key == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], (argument + [{}])[1])
            values = {name: evaluate(expression, ref, getatt, import_value) for name, expression in variables.items()}
            return substitute(text, values, ref, getatt)
        if key == "Fn::Join":
            separator, items = argument
            items = evaluate(items, ref, getatt, import_value)
            return separator.join(str(item) for item in items)
        if key == "Fn::Select":
            index, items = evaluate(argument, ref, getatt, import_value)
            return items[int(index)]
        if key == "Fn::Split":
            separator, text = argument
            return evaluate(text, ref, getatt, import_value).split(separator)
        if key == "Fn::ImportValue" and import_value is not None:
            return import_value(evaluate(argument, ref, getatt, import_value))
        if key.startswith("Fn::") or key == "Condition":
            raise Unresolvable(f"{key} is not evaluated by the e2e helpers")
    return {key: evaluate(item, ref, getatt, import_value) for key, item in value.items()}


def substitute(text, variables, ref, getatt):
    """Fn::Sub's text with ${Name}, ${Logical.Attribute} and ${AWS::Pseudo} filled in."""
    def replace(match):
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return str(variables[name])
        if "." in name and not name.startswith("AWS::"):
            target, attribute = name.split(".", 1)
            return str(getatt(target, attribute))
        return str(ref(name))
    return SUB_VARIABLE.sub(replace, text)


def fill_definition(text, substitutions):
    """A Step Functions definition string with its DefinitionSubstitutions (${key}) filled in."""
    def replace(match):
        name = match.group(1)
        if name not in substitutions:
            raise Unresolvable(f"definition uses ${{{name}}} and DefinitionSubstitutions has no {name}")
        return str(substitutions[name])
    return SUB_VARIABLE.sub(replace, text)


def state_sequence(definition):
    """[(state name, state)] of a Step Functions definition from StartAt along Next until a state
    with End (or a terminal type); raises Unresolvable for a missing state, a loop or a Choice
    (a branching definition is not a sequence)."""
    states = definition.get("States", {})
    name, seen, sequence = definition.get("StartAt"), set(), []
    while True:
        if name not in states:
            raise Unresolvable(f"state {name!r} is not in the definition's States {sorted(states)}")
        if name in seen:
            raise Unresolvable(f"the definition loops back to {name!r}")
        seen.add(name)
        state = states[name]
        if state.get("Type") == "Choice" or "Branches" in state:
            raise Unresolvable(f"state {name!r} is a {state.get('Type')}: the definition is not a sequence")
        sequence.append((name, state))
        if state.get("End") or state.get("Type") in ("Succeed", "Fail") or "Next" not in state:
            return sequence
        name = state["Next"]


LAMBDA_ARN = re.compile(r"arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?")


def lambda_arns_in(value):
    """Every Lambda function ARN in a JSON-like value, in document order (dict order kept)."""
    if isinstance(value, dict):
        return [arn for item in value.values() for arn in lambda_arns_in(item)]
    if isinstance(value, list):
        return [arn for item in value for arn in lambda_arns_in(item)]
    return LAMBDA_ARN.findall(value) if isinstance(value, str) else []


def _listed(value):
    return value if isinstance(value, list) else [value]


def trusted_principals(document):
    """Who a role's trust policy lets assume it: {principal kind: set of principals} over the
    Allow statements whose actions include sts:AssumeRole (or a wildcard that covers it).
    "*" as a whole principal shows up as {"*": {"*"}}."""
    document = json.loads(document) if isinstance(document, str) else document
    found = {}
    for statement in _listed(document.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        actions = _listed(statement.get("Action", []))
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal")
        if principal == "*":
            found.setdefault("*", set()).add("*")
            continue
        for kind, names in (principal or {}).items():
            found.setdefault(kind, set()).update(_listed(names))
    return found


def policy_statements(policy):
    """The statements of a policy document given as JSON text or as data."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    return _listed(document.get("Statement", []))


def source_arns(statements):
    """[(principal, action, SourceArn)] for every statement with an aws:SourceArn condition
    (condition keys are case-insensitive: moto writes AWS:SourceArn)."""
    found = []
    for statement in statements:
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            principal = principal.get("Service") or principal.get("AWS")
        for operator in (statement.get("Condition") or {}).values():
            for key, value in operator.items():
                if key.lower() == "aws:sourcearn":
                    for arn in _listed(value):
                        found.append((principal, statement.get("Action"), arn))
    return found


def permission_rules(ip_permissions):
    """EC2 IpPermissions (describe-security-groups) as a set of (protocol, from port, to port,
    peer), one per peer: a CIDR, an IPv6 CIDR, a security group ID or a prefix list ID."""
    rules = set()
    for permission in ip_permissions:
        key = (permission.get("IpProtocol"), permission.get("FromPort"), permission.get("ToPort"))
        peers = ([r["CidrIp"] for r in permission.get("IpRanges", [])]
                 + [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])]
                 + [p["GroupId"] for p in permission.get("UserIdGroupPairs", [])]
                 + [p["PrefixListId"] for p in permission.get("PrefixListIds", [])])
        for peer in peers:
            rules.add(key + (peer,))
    return rules


# --- readers (through the AWS CLI) -----------------------------------------------------------------

def ssm_parameters(ctx, names):
    """{name: parameter} for the names that exist, read with `ssm get-parameters` in batches of
    ten (the API's limit); missing names are absent from the result."""
    found = {}
    names = list(names)
    for start in range(0, len(names), 10):
        answer = ctx.aws("ssm", "get-parameters", "--names", *names[start:start + 10])
        for parameter in answer.get("Parameters", []):
            found[parameter["Name"]] = parameter
    return found


def ssm_names_under(ctx, path):
    """Every parameter name under a path (recursively), with `ssm get-parameters-by-path`."""
    answer = ctx.aws("ssm", "get-parameters-by-path", "--path", path, "--recursive")
    return sorted(parameter["Name"] for parameter in answer.get("Parameters", []))


def role(ctx, role_name):
    """`iam get-role`'s Role, its trust policy as data."""
    found = ctx.aws("iam", "get-role", "--role-name", role_name)["Role"]
    document = found.get("AssumeRolePolicyDocument")
    if isinstance(document, str):
        found["AssumeRolePolicyDocument"] = json.loads(document)
    return found


def security_group(ctx, group_id):
    """`ec2 describe-security-groups` for one group (moto: ingress as deployed, egress always the
    default allow-all, so assert egress on the template)."""
    groups = ctx.aws("ec2", "describe-security-groups", "--group-ids", group_id)["SecurityGroups"]
    if len(groups) != 1:
        raise Unresolvable(f"describe-security-groups --group-ids {group_id} returned {len(groups)} groups")
    return groups[0]


def lambda_configuration(ctx, function_name):
    """`lambda get-function-configuration`."""
    return ctx.aws("lambda", "get-function-configuration", "--function-name", function_name)


def lambda_environment(ctx, function_name):
    """A function's environment variables as deployed."""
    return (lambda_configuration(ctx, function_name).get("Environment") or {}).get("Variables", {})


def lambda_policy_statements(ctx, function_name):
    """The statements of a function's resource policy (`lambda get-policy`)."""
    return policy_statements(ctx.aws("lambda", "get-policy", "--function-name", function_name)["Policy"])


def lambda_function(ctx, function_name):
    """`lambda get-function`: Configuration and Code (where the code came from)."""
    return ctx.aws("lambda", "get-function", "--function-name", function_name)


def policy_actions(documents):
    """{action: sorted resources} over the Allow statements of policy documents (JSON text or
    data): what a role may do, on what. A NotAction/NotResource statement raises Unresolvable
    (it cannot be compared as a plain set)."""
    found = {}
    for document in documents:
        for statement in policy_statements(document):
            if statement.get("Effect") != "Allow":
                continue
            if "NotAction" in statement or "NotResource" in statement:
                raise Unresolvable(f"statement {statement.get('Sid', '')!r} uses NotAction/NotResource")
            for action in _listed(statement.get("Action", [])):
                found.setdefault(action, set()).update(_listed(statement.get("Resource", [])))
    return {action: sorted(resources) for action, resources in found.items()}


def role_policies(ctx, role_name):
    """{policy name: document} of a role's inline policies (`iam list-role-policies`, then
    `iam get-role-policy` for each), documents as data."""
    names = ctx.aws("iam", "list-role-policies", "--role-name", role_name).get("PolicyNames", [])
    documents = {}
    for name in names:
        document = ctx.aws("iam", "get-role-policy", "--role-name", role_name, "--policy-name", name)["PolicyDocument"]
        try:
            documents[name], _ = moto_compat.described_policy_document(document)
        except ValueError as error:
            raise Unresolvable(f"iam get-role-policy {role_name} {name}: {error}")
    return documents


def log_groups(ctx, prefix):
    """{name: log group} for the log groups whose names start with prefix (describe-log-groups)."""
    groups = ctx.aws("logs", "describe-log-groups", "--log-group-name-prefix", prefix)["logGroups"]
    return {group["logGroupName"]: group for group in groups}


def state_machine(ctx, arn):
    """`stepfunctions describe-state-machine`, with `definition` parsed."""
    described = ctx.aws("stepfunctions", "describe-state-machine", "--state-machine-arn", arn)
    described["definition"] = json.loads(described["definition"])
    return described


def rule_targets(ctx, rule_name):
    """`events list-targets-by-rule`'s targets."""
    return ctx.aws("events", "list-targets-by-rule", "--rule", rule_name).get("Targets", [])


def resource_type(ctx, logical_id):
    body = ctx.deployed_template["Resources"].get(logical_id)
    if body is None:
        raise Unresolvable(f"{logical_id} is not a resource of the deployed template")
    return body["Type"]


def physical_id(ctx, logical_id):
    value = ctx.resources.get(logical_id)
    if not value:
        raise Unresolvable(f"{logical_id} has no physical ID in describe-stack-resources")
    return value


def _role_field(field):
    return lambda ctx, physical: role(ctx, physical)[field]


def _log_group_arn(ctx, physical):
    groups = ctx.aws("logs", "describe-log-groups", "--log-group-name-prefix", physical)["logGroups"]
    match = [g for g in groups if g["logGroupName"] == physical]
    if not match:
        raise Unresolvable(f"log group {physical} not found by describe-log-groups")
    return moto_compat.log_group_getatt_arn(match[0]["arn"])


def _key_arn(ctx, physical):
    # moto 5.2 fails describe-key for keys created with a KeyPolicy map; list-keys has the ARN.
    keys = ctx.aws("kms", "list-keys")["Keys"]
    match = [k for k in keys if k["KeyId"] == physical]
    if not match:
        raise Unresolvable(f"KMS key {physical} not in list-keys")
    return match[0]["KeyArn"]


def _security_group_field(field):
    return lambda ctx, physical: security_group(ctx, physical)[field]


# (resource type, attribute) -> reader(ctx, physical ID). Add a row when a check needs another.
ATTRIBUTE_READERS = {
    ("AWS::IAM::Role", "Arn"): _role_field("Arn"),
    ("AWS::IAM::Role", "RoleId"): _role_field("RoleId"),
    ("AWS::EC2::SecurityGroup", "GroupId"): _security_group_field("GroupId"),
    ("AWS::EC2::SecurityGroup", "VpcId"): _security_group_field("VpcId"),
    ("AWS::Lambda::Function", "Arn"): lambda ctx, physical: lambda_configuration(ctx, physical)["FunctionArn"],
    ("AWS::SNS::Topic", "TopicArn"): lambda ctx, physical: physical,
    ("AWS::SNS::Topic", "TopicName"): lambda ctx, physical: physical.rsplit(":", 1)[-1],
    ("AWS::StepFunctions::StateMachine", "Arn"): lambda ctx, physical: state_machine(ctx, physical)["stateMachineArn"],
    ("AWS::StepFunctions::StateMachine", "Name"): lambda ctx, physical: state_machine(ctx, physical)["name"],
    ("AWS::Events::Rule", "Arn"): lambda ctx, physical: ctx.aws("events", "describe-rule", "--name", physical)["Arn"],
    ("AWS::Logs::LogGroup", "Arn"): _log_group_arn,
    ("AWS::KMS::Key", "Arn"): _key_arn,
    ("AWS::KMS::Key", "KeyId"): lambda ctx, physical: physical,
    ("AWS::SSM::Parameter", "Value"): lambda ctx, physical: ssm_parameters(ctx, [physical])[physical]["Value"],
    ("AWS::EC2::VPC", "CidrBlock"): lambda ctx, physical: ctx.aws("ec2", "describe-vpcs", "--vpc-ids", physical)["Vpcs"][0]["CidrBlock"],
    ("AWS::DynamoDB::Table", "Arn"): lambda ctx, physical: ctx.aws("dynamodb", "describe-table", "--table-name", physical)["Table"]["TableArn"],
}


def attribute(ctx, logical_id, name):
    """The deployed value of `Fn::GetAtt [logical_id, name]`, read from the service that owns
    the resource (not from the template); cached per physical ID for the check run."""
    resource = resource_type(ctx, logical_id)
    reader = ATTRIBUTE_READERS.get((resource, name))
    if reader is None:
        raise Unresolvable(f"no reader for {resource} attribute {name} ({logical_id}); add one to readback.ATTRIBUTE_READERS")
    physical = physical_id(ctx, logical_id)
    cache = ctx.__dict__.setdefault("attribute_cache", {})
    if (physical, name) not in cache:
        cache[(physical, name)] = reader(ctx, physical)
    return cache[(physical, name)]


def pseudo_parameter(ctx, name):
    values = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": PARTITION,
              "AWS::URLSuffix": URL_SUFFIX, "AWS::StackName": ctx.stack_name}
    if name == "AWS::StackId" and getattr(ctx, "stack_id", None):
        return ctx.stack_id
    if name not in values:
        raise Unresolvable(f"pseudo parameter {name} is not evaluated by the e2e helpers")
    return values[name]


def ref(ctx, name):
    """The deployed value of `Ref name`: a pseudo parameter, a stack parameter (lists split) or a
    resource's physical ID."""
    if name.startswith("AWS::"):
        return pseudo_parameter(ctx, name)
    parameters = ctx.deployed_template.get("Parameters") or {}
    if name in parameters:
        if name not in ctx.parameters:
            raise Unresolvable(f"parameter {name} was not read back")
        value = ctx.parameters[name]
        kind = parameters[name].get("Type", "String")
        return value.split(",") if kind.startswith("List<") or kind == "CommaDelimitedList" else value
    return physical_id(ctx, name)


def import_value(ctx, name):
    """The value of `Fn::ImportValue name` in the deployed stack: the export as listed by
    `list-exports` and checked against its producer (ctx.exports, set by the references scenario)."""
    exports = getattr(ctx, "exports", None)
    if exports is None:
        raise Unresolvable(f"Fn::ImportValue {name}: this stack was deployed without the exports of an app")
    if name not in exports:
        raise Unresolvable(f"Fn::ImportValue {name}: no such export was listed by list-exports ({sorted(exports)})")
    return exports[name]


def expected(ctx, expression):
    """What a template expression (from the deployed template) evaluates to in the deployed stack."""
    return evaluate(expression, lambda name: ref(ctx, name), lambda target, name: attribute(ctx, target, name),
                    lambda name: import_value(ctx, name))


def expected_definition(ctx, logical_id):
    """The definition (parsed) a state machine of the deployed template should have: Definition or
    DefinitionString evaluated against the deployed stack, DefinitionSubstitutions filled in."""
    properties = ctx.deployed_template["Resources"][logical_id].get("Properties", {})
    substitutions = expected(ctx, properties.get("DefinitionSubstitutions", {}))
    if "Definition" in properties:
        text = json.dumps(expected(ctx, properties["Definition"]))
    else:
        text = expected(ctx, properties["DefinitionString"])
    return json.loads(fill_definition(text, substitutions) if substitutions else text)
