#!/usr/bin/env python3
"""What the end-to-end harness changes in a template before moto 5.2 deploys it.

This is test-harness code, never product code: Formation's templates are written for the real
CloudFormation. moto's CloudFormation emulation differs in two ways that matter here, and this
module is the one place that knows them (as data):

* UNMODELED: resource types moto cannot model. moto skips them silently, and any GetAtt or
  ${X.Attr} pointing at one aborts the whole stack (a Ref to one yields ""). The harness removes
  them and substitutes placeholder values for every reference to them, and says so.
* MOTO_REQUIRED: properties CloudFormation treats as optional but moto needs (it crashes with a
  500 without them). The harness fills them in when absent, and says so.

Found by deploying each type to moto_server 5.2.1 (see Tests/e2e/README.md); `check_coverage`
keeps the list honest against moto's own model registry on every run.

Run as a filter: `python3 moto_compat.py < template.json > adapted.json` (notes on stderr).
"""

import ast
import copy
import functools
import json
import re
import sys

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"

# Resource types moto 5.2 does not model. The value is the placeholder pattern for a Ref to a
# resource of that type ({id} is its logical ID); None means the generic placeholder below.
UNMODELED = {
    "AWS::Bedrock::Guardrail": "arn:aws:bedrock:{region}:{account}:guardrail/e2e-{id}",
    "AWS::Bedrock::GuardrailVersion": None,
    "AWS::Bedrock::ModelInvocationLoggingConfiguration": None,
    "AWS::BedrockAgentCore::Runtime": None,
    "AWS::BedrockAgentCore::Memory": None,
    "AWS::CloudWatch::Alarm": None,
    "AWS::EC2::SecurityGroupEgress": None,
    "AWS::ElastiCache::ReplicationGroup": None,
    "AWS::ElastiCache::SubnetGroup": None,
    "AWS::SecretsManager::Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{id}-e2e",
    "AWS::SNS::Subscription": "arn:aws:sns:{region}:{account}:e2e-topic:{id}",
}

# Placeholder for a reference to a removed resource: ARN-shaped, because moto validates IAM
# policy documents (a Resource must be an ARN or "*"), and any other string property takes it too.
GENERIC_PLACEHOLDER = "arn:aws:formation-e2e:{region}:{account}:placeholder/{id}"

# Properties moto needs that CloudFormation does not, per type, with the value to fill in (a
# function of the logical ID where the value must differ per resource).
MOTO_REQUIRED = {
    # moto's SSM model reads properties["Name"] unconditionally (a 500 without it); CloudFormation
    # generates a name. The harness names it after the stack and the logical ID.
    "AWS::SSM::Parameter": {
        "Name": lambda logical_id: {"Fn::Sub": "/formation-e2e/${AWS::StackName}/" + logical_id},
    },
    # moto's KMS model reads properties["KeyPolicy"] unconditionally; CloudFormation's default
    # key policy gives the account root full access, which is what this fills in.
    "AWS::KMS::Key": {
        "KeyPolicy": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "EnableRootAccess",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                "Action": "kms:*",
                "Resource": "*",
            }],
        },
    },
}

# What moto 5.2's CloudFormation does not do, so the harness does not read it back there:
# a stack created by executing a change set (what `aws cloudformation deploy` does) gets its
# resources but no Outputs (ChangeSet.apply updates the resource map, never the output map).
OUTPUTS_AFTER_CHANGE_SET_CREATE = False
# Types moto creates but lists in describe-stack-resources without a PhysicalResourceId.
NO_PHYSICAL_ID = {"AWS::Lambda::Permission", "AWS::EC2::SecurityGroupIngress"}
# describe-stacks shows NoEcho parameters' values unmasked (moto's Stack.parameter_list compares
# each value, not each key, with its list of NoEcho keys); CloudFormation shows "****".
NO_ECHO_MASKED = False
# References across stacks (moto 5.2.1's cloudformation/models.py): only create_stack registers
# a stack's exports and hands it the export table; a stack created by a change set (what `aws
# cloudformation deploy` does) gets an empty one, so its Fn::ImportValue fails execute-change-set
# with "No export named X found" and its own exports are never listed by list-exports. The
# references scenario therefore creates each stack with create-stack (the printed deploy
# command's stack name, template file, capabilities and parameters) and checks on every run that
# the change-set path still fails (e2e.change_set_import_canary). `list-imports` is not
# implemented (NotImplementedError: a 500). delete_stack pops the stack's exports without
# looking for importers: a producer whose export is imported is deleted, where CloudFormation
# fails the delete ("Export X cannot be deleted as it is in use by Y"); the harness then asserts
# on the templates (the producer exports the name the consumers import) and says so.
# StackSets: self-managed instances are stacks named `StackSet:<name>` (a ':' CloudFormation
# refuses in stack names, so a resource named after its stack, such as an SNS topic without
# TopicName, fails) in the target account and region, read with credentials from `sts
# assume-role` into that account; service-managed instances go to the accounts moto's
# Organizations has under the OU (so the harness creates an OU and two accounts and puts moto's
# OU ID in place of the printed one) as stacks no account lists; AutoDeployment, operation
# preferences and capabilities are taken and ignored; delete-stack-instances with
# --deployment-targets deletes nothing.
# Also known, and why the harness is shaped as it is: an update that changes a log group's
# properties makes moto leave that log group behind when the stack is deleted (so the harness
# runs the deploy form before the update); a ManagedPolicy attached to a role in the same stack
# makes delete-stack fail with DeleteConflict; moto does not enforce --capabilities; log groups
# are described without kmsKeyId; describe-key fails for keys created with a KeyPolicy map;
# security groups are described with the default allow-all egress whatever SecurityGroupEgress
# says; list parameters are described as Python lists (described_parameter below); inline role
# policies from a template are described as Python dicts (described_policy_document below).



def described_parameter(value, parameter_type):
    """A parameter value as real CloudFormation's describe-stacks gives it. moto 5.2 describes a
    List<...> or CommaDelimitedList parameter as the Python repr of the list ("['a', 'b']");
    CloudFormation gives the comma-joined text ("a,b"). Returns (value, whether it was converted)."""
    is_list = parameter_type.startswith("List<") or parameter_type == "CommaDelimitedList"
    if is_list and isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            items = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value, False
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return ",".join(items), True
    return value, False


# CloudFormation's `Fn::GetAtt [LogGroup, Arn]` is the ARN describe-log-groups reports, ending in
# ":*"; moto 5.2's lacks the ":*" (LogGroup.get_cfn_attribute returns its bare ARN).
LOG_GROUP_GETATT_ARN_HAS_WILDCARD = False


def log_group_getatt_arn(described_arn):
    """What `Fn::GetAtt [LogGroup, Arn]` yields in the deployed stack, given the ARN
    describe-log-groups reports for the group (…:log-group:NAME:*)."""
    if LOG_GROUP_GETATT_ARN_HAS_WILDCARD or not described_arn.endswith(":*"):
        return described_arn
    return described_arn[:-2]


def described_policy_document(value):
    """An inline role policy as IAM's get-role-policy gives it (JSON, as data). moto 5.2 keeps
    the policies of an `AWS::IAM::Role` created from a template as the dict it parsed and
    describes them as its Python repr ("{'Version': '2012-10-17', ...}"). Returns (document,
    whether it was converted); raises ValueError for text that is neither."""
    if not isinstance(value, str):
        document, converted = value, False
    else:
        try:
            document, converted = json.loads(value), False
        except ValueError:
            try:
                document, converted = ast.literal_eval(value), True
            except (ValueError, SyntaxError):
                raise ValueError(f"policy document is neither JSON nor a Python literal: {value[:200]!r}")
    if not isinstance(document, dict):
        raise ValueError(f"policy document is not an object: {str(value)[:200]!r}")
    return document, converted


SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


def placeholder(logical_id, resource_type, attribute=None):
    """The value that stands in for Ref (attribute None) or GetAtt of a removed resource."""
    pattern = UNMODELED.get(resource_type) if attribute is None else None
    value = (pattern or GENERIC_PLACEHOLDER).format(region=REGION, account=ACCOUNT, id=logical_id)
    return value if attribute is None else f"{value}/{attribute}"


def adapt(template):
    """Returns (adapted copy of template, notes): unmodeled resources removed, references to
    them replaced by placeholders, moto-required properties filled in."""
    template = copy.deepcopy(template)
    notes = []
    resources = template.get("Resources", {})
    removed = {lid: body.get("Type") for lid, body in resources.items()
               if isinstance(body, dict) and body.get("Type") in UNMODELED}
    for lid, rtype in removed.items():
        del resources[lid]
        notes.append(f"removed {lid} ({rtype}): moto 5.2 does not model it")

    def substitute(value, where):
        if isinstance(value, list):
            return [substitute(item, f"{where}[{index}]") for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            if key == "Ref" and argument in removed:
                new = placeholder(argument, removed[argument])
                notes.append(f"{where}: Ref {argument} -> {new}")
                return new
            if key == "Fn::GetAtt":
                target, attribute = (argument.split(".", 1) + [""])[:2] if isinstance(argument, str) else (argument + ["", ""])[:2]
                if target in removed and isinstance(attribute, str):
                    new = placeholder(target, removed[target], attribute)
                    notes.append(f"{where}: GetAtt {target}.{attribute} -> {new}")
                    return new
            if key == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1] if len(argument) > 1 else {})
                if isinstance(text, str):
                    def replace(match):
                        name = match.group(1)
                        target, _, attribute = name.partition(".")
                        if target in removed and name not in (variables or {}):
                            new = placeholder(target, removed[target], attribute or None)
                            notes.append(f"{where}: Fn::Sub ${{{name}}} -> {new}")
                            return new
                        return match.group(0)
                    new_text = SUB_VARIABLE.sub(replace, text)
                    variables = substitute(variables, f"{where}/Fn::Sub") if variables else variables
                    if isinstance(argument, str):
                        return {"Fn::Sub": new_text}
                    return {"Fn::Sub": [new_text, variables] if len(argument) > 1 else [new_text]}
        return {key: substitute(item, f"{where}/{key}") for key, item in value.items()}

    for lid, body in list(resources.items()):
        if not isinstance(body, dict):
            continue
        depends = body.get("DependsOn")
        if depends is not None:
            kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in removed]
            if len(kept) != (1 if isinstance(depends, str) else len(depends)):
                notes.append(f"Resources/{lid}/DependsOn: dropped {sorted(set(removed) & set([depends] if isinstance(depends, str) else depends))}")
                if kept:
                    body["DependsOn"] = kept
                else:
                    del body["DependsOn"]
        resources[lid] = substitute(body, f"Resources/{lid}")
        rtype = body.get("Type")
        for prop, default in MOTO_REQUIRED.get(rtype, {}).items():
            properties = resources[lid].setdefault("Properties", {})
            if prop not in properties:
                properties[prop] = default(lid) if callable(default) else copy.deepcopy(default)
                notes.append(f"Resources/{lid}: filled {prop} ({rtype}): moto 5.2 requires it")
    if "Outputs" in template:
        template["Outputs"] = substitute(template["Outputs"], "Outputs")
    return template, notes


@functools.lru_cache(maxsize=1)
def modeled_types():
    """The resource types moto's CloudFormation models (importing moto takes ~3 s of CPU, so
    e2e.py warms this while moto_server starts)."""
    from moto.cloudformation.parsing import get_model_map
    return frozenset(get_model_map())


def check_coverage(template):
    """Problems with the lists themselves for this template: a type moto does not model and
    UNMODELED does not name (moto would skip it silently), or an UNMODELED type moto now models."""
    try:
        modeled = modeled_types()
    except ImportError as error:  # moto is installed for moto_server; without it nothing runs
        return [f"cannot import moto to check the strip list: {error}"]
    problems = []
    for lid, body in template.get("Resources", {}).items():
        rtype = body.get("Type", "") if isinstance(body, dict) else ""
        if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            continue
        if rtype not in modeled and rtype not in UNMODELED:
            problems.append(f"{lid}: moto 5.2 does not model {rtype} and moto_compat.UNMODELED does not list it; add it there")
        if rtype in modeled and rtype in UNMODELED:
            problems.append(f"{lid}: moto now models {rtype}; remove it from moto_compat.UNMODELED")
    return problems


def main():
    template = json.load(sys.stdin)
    adapted, notes = adapt(template)
    for note in notes:
        print(f"moto-compat: {note}", file=sys.stderr)
    json.dump(adapted, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
