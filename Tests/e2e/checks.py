"""Per-stack checks of the end-to-end run: what to read back from the endpoint, what to assert
on the template, and what to change in the change-set update.

Add a stack family by writing functions and registering them with its stack-name prefix:

    @template_check("BedrockCacheStack-")
    def cache_template(ctx): ...          # ctx.template is the synthesized template (long-form JSON)

    @readback("BedrockCacheStack-")
    def cache_readback(ctx): ...          # after CREATE_COMPLETE, for both deploy forms

    @after_update("BedrockCacheStack-")
    def cache_update(ctx): ...            # after the change set executed

    UPDATE_PARAMETERS["BedrockCacheStack-"] = {"CacheTtlSeconds": "600"}   # changed by the update

`ctx` (a `StackContext` from e2e.py) gives: stack_name, environment, template (as synthesized),
deployed_template (after moto_compat), stripped (logical ID -> type), outputs, parameters,
resources (logical ID -> physical ID), aws(*args) -> parsed JSON, aws_error(*args) -> error text,
expect(condition, message), expect_equal(actual, expected, what), expect_output(name, value)
(outputs is None where moto cannot report them: stacks created by a change set).
"""

TEMPLATE_CHECKS = {}
READBACKS = {}
AFTER_UPDATE = {}
# Parameter values the change-set update sets, by stack-name prefix.
UPDATE_PARAMETERS = {}
# Values for parameters `formation deploy-args` leaves as placeholders (NoEcho, or required with
# no deploy value). Never real secrets: this is a loopback test endpoint.
PLACEHOLDER_VALUES = {
    "GitHubAppPrivateKey": "-----BEGIN E2E TEST KEY-----",
    "NotificationEmail": "e2e@example.com",
}


def _register(table, prefix):
    def decorator(function):
        table.setdefault(prefix, []).append(function)
        return function
    return decorator


def template_check(prefix):
    """Registers a check on the synthesized template of every stack whose name starts with prefix."""
    return _register(TEMPLATE_CHECKS, prefix)


def readback(prefix):
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


# --- FormationExampleStack-<env> (stacks/App.swift) -------------------------------------------

UPDATE_PARAMETERS["FormationExampleStack-"] = {"RetentionDays": "14"}


@template_check("FormationExampleStack-")
def example_template(ctx):
    key = ctx.template["Resources"]["LogKey"]
    ctx.expect_equal(key.get("DeletionPolicy"), "Retain", "LogKey DeletionPolicy")
    ctx.expect_equal(key.get("UpdateReplacePolicy"), "Retain", "LogKey UpdateReplacePolicy")
    ctx.expect_equal(ctx.template["Parameters"]["RetentionDays"].get("Default"), 30, "RetentionDays Default")
    logs = ctx.template["Resources"]["AppLogs"]["Properties"]
    ctx.expect_equal(logs.get("KmsKeyId"), {"Fn::GetAtt": ["LogKey", "Arn"]}, "AppLogs KmsKeyId")
    ctx.expect_equal(logs.get("RetentionInDays"), {"Ref": "RetentionDays"}, "AppLogs RetentionInDays")


@readback("FormationExampleStack-")
def example_readback(ctx):
    group_name = f"/formation/example/{ctx.environment}"
    ctx.expect_output("LogGroupName", group_name)
    ctx.expect_equal(ctx.resources.get("AppLogs"), group_name, "AppLogs physical ID")
    key_id = ctx.resources.get("LogKey")
    rotation = ctx.aws("kms", "get-key-rotation-status", "--key-id", key_id)
    ctx.expect_equal(rotation.get("KeyRotationEnabled"), True, "LogKey rotation (kms get-key-rotation-status)")
    groups = ctx.aws("logs", "describe-log-groups", "--log-group-name-prefix", group_name)["logGroups"]
    group = next((g for g in groups if g["logGroupName"] == group_name), None)
    ctx.expect(group is not None, f"log group {group_name} exists (logs describe-log-groups)")
    if group:
        # moto 5.2 does not return kmsKeyId: the key reference is asserted on the template.
        ctx.expect_equal(group.get("retentionInDays"), 30, "log group retentionInDays")


@after_update("FormationExampleStack-")
def example_after_update(ctx):
    ctx.expect_equal(ctx.parameters.get("RetentionDays"), "14", "stack parameter RetentionDays after the update")


# --- The CLI test app's stacks (Tests/CLITestApp), deployed to prove deploy-args end to end ----

UPDATE_PARAMETERS["Good-test"] = {"RetentionDays": "7"}


@readback("Good-test")
def good_readback(ctx):
    ctx.expect_equal(ctx.parameters.get("Env"), "test", "parameter Env (the stack's deploy value)")
    ctx.expect_output("LogGroupName", "/formation/cli-test/test")


@readback("NamedIam-test")
def named_iam_readback(ctx):
    # The deploy value is full of shell metacharacters: it must arrive byte for byte.
    ctx.expect_equal(ctx.parameters.get("Greeting"), "it's a \"quoted\" $HOME `value` \\ & more", "parameter Greeting")
    ctx.expect_equal(ctx.parameters.get("GitHubBranch"), "main", "parameter GitHubBranch (its Default)")
    ctx.expect_equal(ctx.resources.get("FunctionRole"), "formation-cli-test-role", "FunctionRole physical ID")
    role = ctx.aws("iam", "get-role", "--role-name", "formation-cli-test-role")["Role"]
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    ctx.expect_equal(statement["Principal"], {"Service": "lambda.amazonaws.com"}, "FunctionRole trust principal")
    ctx.expect_equal(statement["Action"], "sts:AssumeRole", "FunctionRole trust action")

