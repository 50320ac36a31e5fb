#!/usr/bin/env python3
"""Tests of the harness's own logic (`make e2e` runs them first): the parameter roles and the moto
network (network.py), the deploy command's rewritten overrides (e2e.py), the read-back helpers
(readback.py) on fakes and, for the readers the coming stacks need, on a moto_server of their own,
and the AWS CLI driver against the `aws` process."""

import atexit
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import assets  # noqa: E402
import awscli_driver  # noqa: E402
import checks  # noqa: E402
import e2e  # noqa: E402
import moto_compat  # noqa: E402
import multistack  # noqa: E402
import network  # noqa: E402
import readback  # noqa: E402


class FakeAws:
    """Records aws calls; answers from a function of the arguments."""

    def __init__(self, answer):
        self.calls = []
        self.answer = answer

    def __call__(self, *args):
        self.calls.append(args)
        return self.answer(args)


AGENT_PARAMETERS = {
    "VpcId": {"Type": "AWS::EC2::VPC::Id"},
    "SubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>"},
    "VpcCidr": {"Type": "String", "AllowedPattern": r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$"},
    "AlarmEmail": {"Type": "String", "AllowedPattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
    "RetentionDays": {"Type": "Number", "Default": 30},
    "Greeting": {"Type": "String"},
}


class NetworkRoleTests(unittest.TestCase):
    def test_roles_come_from_types_and_names(self):
        template = {"Parameters": dict(AGENT_PARAMETERS, **{
            "Subnet": {"Type": "AWS::EC2::Subnet::Id"},
            "Groups": {"Type": "List<AWS::EC2::SecurityGroup::Id>"},
            "Zone": {"Type": "AWS::EC2::AvailabilityZone::Name"},
            "NotificationEmail": {"Type": "String"},
            "VpcCidrNumber": {"Type": "Number"},
        })}
        self.assertEqual(network.roles(template), {
            "VpcId": "vpc", "SubnetIds": "subnets", "VpcCidr": "cidr", "AlarmEmail": "email",
            "Subnet": "subnet", "Groups": "security-groups", "Zone": "zone", "NotificationEmail": "email"})

    def test_other_aws_specific_types_fail_naming_the_parameter(self):
        for kind in ("AWS::EC2::KeyPair::KeyName", "AWS::SSM::Parameter::Value<String>", "List<AWS::EC2::Image::Id>"):
            with self.assertRaises(network.Unsupported) as raised:
                network.roles({"Parameters": {"Thing": {"Type": kind}}})
            self.assertIn("Thing", str(raised.exception))
            self.assertIn(kind, str(raised.exception))

    def test_requested_network_follows_the_printed_values(self):
        roles = network.roles({"Parameters": AGENT_PARAMETERS})
        self.assertEqual(network.requested_network(roles, {"VpcCidr": "10.30.0.0/16", "SubnetIds": "a,b,c"}), ("10.30.0.0/16", 3))
        self.assertEqual(network.requested_network(roles, {"SubnetIds": "a"}), (network.DEFAULT_CIDR, 2))
        self.assertEqual(network.requested_network(roles, {"SubnetIds": "a,b,c,d,e"})[1], 3)
        with self.assertRaises(network.Unsupported):
            network.requested_network(roles, {"VpcCidr": "10.30.0.1/16"})
        self.assertFalse(network.needs_network({"AlarmEmail": "email"}))
        self.assertTrue(network.needs_network(roles))

    def test_subnet_blocks(self):
        self.assertEqual(network.subnet_cidrs("10.10.0.0/16", 3), ["10.10.0.0/24", "10.10.1.0/24", "10.10.2.0/24"])
        self.assertEqual(network.subnet_cidrs("10.1.2.0/24", 2), ["10.1.2.0/26", "10.1.2.64/26"])
        with self.assertRaises(network.Unsupported):
            network.subnet_cidrs("10.1.2.0/27", 2)

    def test_create_and_overrides(self):
        counter = iter(range(100))

        def answer(args):
            if args[1] == "create-vpc":
                return {"Vpc": {"VpcId": "vpc-1", "CidrBlock": args[3]}}
            if args[1] == "create-subnet":
                return {"Subnet": {"SubnetId": f"subnet-{next(counter)}", "AvailabilityZone": args[args.index("--availability-zone") + 1]}}
            return {"SecurityGroups": [{"GroupId": "sg-default"}]}
        aws = FakeAws(answer)
        made = network.Network.create(aws, "dev", "10.10.0.0/16", 2)
        self.assertEqual([call[1] for call in aws.calls], ["create-vpc", "create-subnet", "create-subnet", "describe-security-groups"])
        self.assertIn("Key=Name,Value=formation-e2e-dev", aws.calls[0][-1])
        self.assertEqual(aws.calls[2][aws.calls[2].index("--cidr-block") + 1], "10.10.1.0/24")
        roles = dict(network.roles({"Parameters": AGENT_PARAMETERS}), Groups="security-groups", Zones="zones")
        self.assertEqual(network.overrides(roles, made), {
            "VpcId": "vpc-1", "SubnetIds": "subnet-0,subnet-1", "VpcCidr": "10.10.0.0/16",
            "AlarmEmail": "e2e-alarmemail@example.com", "Groups": "sg-default", "Zones": "us-east-1a,us-east-1b"})
        with self.assertRaises(network.Unsupported):
            network.overrides({"VpcId": "vpc"}, None)

    def test_violations(self):
        template = {"Parameters": dict(AGENT_PARAMETERS, Size={"Type": "String", "AllowedValues": ["s", "m"]},
                                       Names={"Type": "CommaDelimitedList", "AllowedPattern": "[a-z]+"})}
        self.assertEqual(network.violations(template, {"VpcCidr": "10.0.0.0/16", "AlarmEmail": "a@b.co", "Size": "m", "Names": "ab,cd"}), [])
        problems = network.violations(template, {"VpcCidr": "10.0.0.0", "AlarmEmail": "nobody", "Size": "xl", "Names": "ab,C", "Nope": "1"})
        self.assertEqual(len(problems), 5, problems)
        for text in ("VpcCidr='10.0.0.0'", "AlarmEmail='nobody'", "Size='xl'", "Names='C'", "Nope="):
            self.assertTrue(any(text in p for p in problems), (text, problems))


PRINTED = ["aws", "cloudformation", "deploy", "--template-file", "out/S.template.yaml", "--stack-name", "S",
           "--capabilities", "CAPABILITY_NAMED_IAM", "--parameter-overrides", "VpcId=vpc-0a1", "Greeting=it's $HOME",
           "SubnetIds=subnet-1,subnet-2", "--no-fail-on-empty-changeset"]


class DeployWordsTests(unittest.TestCase):
    def test_values_replaced_in_place_and_missing_keys_appended(self):
        words = e2e.with_overrides(PRINTED, {"SubnetIds": "subnet-a,subnet-b", "VpcId": "vpc-moto", "AlarmEmail": "e@x.io"})
        self.assertEqual(words[9:], ["--parameter-overrides", "VpcId=vpc-moto", "Greeting=it's $HOME",
                                     "SubnetIds=subnet-a,subnet-b", "AlarmEmail=e@x.io", "--no-fail-on-empty-changeset"])
        self.assertEqual(words[:9], PRINTED[:9])
        self.assertEqual(PRINTED[10], "VpcId=vpc-0a1", "the printed words are not modified")

    def test_option_added_when_the_command_has_none(self):
        bare = PRINTED[:9] + ["--no-fail-on-empty-changeset"]
        self.assertEqual(e2e.with_overrides(bare, {"Email": "e@x.io"})[9:],
                         ["--parameter-overrides", "Email=e@x.io", "--no-fail-on-empty-changeset"])
        self.assertEqual(e2e.option_span(bare, "--parameter-overrides"), (0, 0))
        self.assertEqual(e2e.option_span(PRINTED, "--capabilities"), (8, 9))

    def test_aws_environment_stays_on_loopback(self):
        env = e2e.aws_environment("http://127.0.0.1:5000")
        self.assertEqual(env["AWS_ENDPOINT_URL"], "http://127.0.0.1:5000")
        self.assertEqual((env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"]), (os.devnull, os.devnull))
        self.assertEqual(env["AWS_MAX_ATTEMPTS"], "1")
        self.assertFalse({k for k in env if k.lower() in ("http_proxy", "https_proxy", "all_proxy")})

    def test_localhost_is_loopback_for_the_s3_bucket_form(self):
        class Server:
            port, url = 5000, "http://127.0.0.1:5000"
        run_ = e2e.E2ERun(Server(), "/nonexistent")
        self.assertEqual(run_.localhost_endpoint(), "http://localhost:5000")

    def test_family(self):
        self.assertEqual(e2e.family_of("CustomerServiceAgentStack-dev"), "CustomerServiceAgentStack")
        self.assertEqual(e2e.family_of("NamedIam-test"), "NamedIam")


NOTES = """note: GitHubAppPrivateKey is NoEcho: replace <fill in: NoEcho> with its value (formation never prints NoEcho values)
note: AssetBucket names the S3 bucket holding this stack's code assets: replace <fill in: S3 bucket holding the code assets> with it
note: upload 2 code assets to the asset bucket before deploying (synth --out writes them beside the template):
  aws s3 cp {out}/{a}.zip 's3://<AssetBucket>/{a}.zip'
  aws s3 cp '{out}/{b}.zip' 's3://<AssetBucket>/{b}.zip'
note: {out}/S-dev.template.yaml does not exist yet
"""


class AssetTests(unittest.TestCase):
    """The printed upload commands against the template and the files synth wrote."""

    def setUp(self):
        import hashlib
        import tempfile
        self.out = tempfile.mkdtemp(prefix="formation-e2e-assets-")
        self.addCleanup(__import__("shutil").rmtree, self.out, True)
        self.keys = []
        for body in (b"zip one", b"zip two"):
            key = hashlib.sha256(body).hexdigest()
            with open(os.path.join(self.out, key + ".zip"), "wb") as handle:
                handle.write(body)
            self.keys.append(key)
        self.notes = NOTES.format(out=self.out, a=self.keys[0], b=self.keys[1])
        code = lambda key: {"S3Bucket": {"Ref": "AssetBucket"}, "S3Key": key + ".zip"}  # noqa: E731
        self.template = {"Resources": {
            "One": {"Type": "AWS::Lambda::Function", "Properties": {"Code": code(self.keys[0])}},
            "Two": {"Type": "AWS::Lambda::Function", "Properties": {"Code": code(self.keys[1])}},
            "Inline": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}}},
            "Topic": {"Type": "AWS::SNS::Topic"}}}

    def test_parameters_and_commands_from_what_deploy_args_prints(self):
        printed = {"GitHubAppPrivateKey": "<fill in: NoEcho>", "AssetBucket": assets.BUCKET_PLACEHOLDER, "Env": "dev"}
        self.assertEqual(assets.bucket_parameters(printed), ["AssetBucket"])
        commands = assets.upload_commands(self.notes)
        self.assertEqual(len(commands), 2)
        self.assertTrue(all(c.startswith("aws s3 cp ") for c in commands))
        self.assertEqual(assets.upload_commands("note: nothing to upload\n"), [])
        with self.assertRaises(assets.AssetError):  # announced 2, listed 1
            assets.upload_commands("\n".join(self.notes.splitlines()[:4]))

    def test_template_assets(self):
        self.assertEqual(assets.template_assets(self.template),
                         {"One": ("AssetBucket", self.keys[0] + ".zip"), "Two": ("AssetBucket", self.keys[1] + ".zip")})
        bad = {"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "fixed", "S3Key": "k.zip"}}}}}
        with self.assertRaises(assets.AssetError):
            assets.template_assets(bad)

    def test_plan_fills_the_bucket_and_checks_every_key_and_file(self):
        commands = assets.upload_commands(self.notes)
        filled, uploaded = assets.plan_uploads(self.template, commands, "AssetBucket", "formation-e2e-assets-s-dev", self.out)
        self.assertEqual([assets.parse_upload(c)[1:] for c in filled],
                         [("formation-e2e-assets-s-dev", k + ".zip") for k in self.keys])
        self.assertNotIn("<AssetBucket>", " ".join(filled))
        self.assertEqual(uploaded[self.keys[1] + ".zip"]["size"], 7)
        self.assertEqual(uploaded[self.keys[1] + ".zip"]["path"], os.path.join(self.out, self.keys[1] + ".zip"))

    def test_plan_failures_name_what_differs(self):
        commands = assets.upload_commands(self.notes)
        cases = {
            "no upload command for": (self.template, commands[:1], self.out),
            "which no function of the template names": (self.template, commands + [commands[0].replace(self.keys[0], "f" * 64)], self.out),
            "two upload commands write": (self.template, commands + commands[:1], self.out),
            "not a file of the synth --out directory": (self.template, commands, self.out + "-elsewhere"),
            "has no <AssetBucket>": (self.template, [c.replace("<AssetBucket>", "fixed") for c in commands], self.out),
        }
        for expected, (template, given, out) in cases.items():
            with self.assertRaises(assets.AssetError, msg=expected) as raised:
                assets.plan_uploads(template, given, "AssetBucket", "bucket-x", out)
            self.assertIn(expected, str(raised.exception))
        # A file whose bytes are not its name.
        with open(os.path.join(self.out, self.keys[0] + ".zip"), "ab") as handle:
            handle.write(b"changed")
        with self.assertRaises(assets.AssetError) as raised:
            assets.plan_uploads(self.template, commands, "AssetBucket", "bucket-x", self.out)
        self.assertIn("has SHA-256", str(raised.exception))
        with self.assertRaises(assets.AssetError):
            assets.plan_uploads(self.template, commands, "OtherBucket", "bucket-x", self.out)
        with self.assertRaises(assets.AssetError):
            assets.parse_upload("aws s3 sync . s3://b/")

    def test_bucket_names(self):
        for stack in ("BedrockCacheStack-dev", "X" * 80 + "-prd", "Good_test"):
            name = assets.bucket_name(stack)
            self.assertRegex(name, r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
        self.assertEqual(assets.bucket_name("BedrockCacheStack-dev"), "formation-e2e-assets-bedrockcachestack-dev")
        with self.assertRaises(assets.AssetError):
            assets.with_bucket("aws s3 cp a 's3://<AssetBucket>/k'", "AssetBucket", "Not_A_Bucket")


class MessageTests(unittest.TestCase):
    def test_difference_names_the_keys_that_differ(self):
        self.assertEqual(e2e.difference({"A": "1", "B": "2", "C": "x"}, {"A": "1", "B": "3", "D": "4"}),
                         "differs at 'B': expected '3', got '2'; 'D' missing (expected '4'); 'C' unexpected ('x')")
        self.assertEqual(e2e.difference([1], [2]), "expected [2], got [1]")


SWIFT_TABLE = '''
public struct Environment: Sendable {
    public var name: String
    public var ratio: Double
    public var schedule: String = "cron(0 9,21 * * ? *)"
    public var highAvailability: Bool = false
    public static let dev = Environment(
        name: "dev", ratio: 0.90, ttl: 3_600, ids: ["a", "b"], note: "a (paren) \\"quoted\\"",
        nested: Settings(email: "x@example.com", branch: "main"))
    public static let prd = Environment(
        name: "prd", ratio: 0.92, ttl: 86_400, highAvailability: true,
        nested: Settings(email: "y@example.com"))
}
'''


class EnvironmentTableTests(unittest.TestCase):
    def test_literals_defaults_and_nested_arguments(self):
        table = checks.environment_table(SWIFT_TABLE)
        self.assertEqual(sorted(table), ["dev", "prd"])
        self.assertEqual(table["dev"], {"schedule": "cron(0 9,21 * * ? *)", "highAvailability": False, "name": "dev", "ratio": 0.9,
                                        "ttl": 3600, "note": 'a (paren) "quoted"', "email": "x@example.com", "branch": "main"})
        self.assertEqual((table["prd"]["ratio"], table["prd"]["ttl"], table["prd"]["highAvailability"]), (0.92, 86400, True))
        with self.assertRaises(ValueError):
            checks.environment_table("struct Nothing {}")

    def test_the_repository_table(self):
        table = checks.environments()
        self.assertEqual(sorted(table), ["dev", "prd", "stg"])
        for settings in table.values():
            for key in ("similarityThreshold", "cacheTTLSeconds", "logRetentionDays", "amiPollingSchedule", "eksVersion", "gitHubFilePath"):
                self.assertIn(key, settings)

    def test_numbers_as_formation_writes_them(self):
        self.assertEqual([checks.swift_number(v) for v in (0.9, 0.92, 1, 0.125)], ["0.9", "0.92", "1.0", "0.125"])


class DefinitionTests(unittest.TestCase):
    def test_state_sequence(self):
        definition = {"StartAt": "A", "States": {"C": {"Type": "Task", "End": True}, "A": {"Type": "Task", "Next": "B"},
                                                   "B": {"Type": "Pass", "Next": "C"}}}
        self.assertEqual([name for name, _ in readback.state_sequence(definition)], ["A", "B", "C"])
        for broken in ({"StartAt": "A", "States": {"A": {"Type": "Task", "Next": "A"}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Task", "Next": "Z"}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": []}}}):
            with self.assertRaises(readback.Unresolvable):
                readback.state_sequence(broken)

    def test_lambda_arns_in_document_order(self):
        arn = "arn:aws:lambda:us-east-1:123456789012:function:"
        definition = {"States": {"A": {"Parameters": {"FunctionName": arn + "one"}}, "B": {"Resource": arn + "two:live"},
                                 "C": {"Resource": "arn:aws:states:::lambda:invoke", "Comment": f"calls {arn}three"}}}
        self.assertEqual(readback.lambda_arns_in(definition), [arn + "one", arn + "two:live", arn + "three"])

    def test_policy_actions(self):
        documents = [{"Statement": [{"Effect": "Allow", "Action": ["a:X", "a:Y"], "Resource": "r1"},
                                    {"Effect": "Allow", "Action": "a:X", "Resource": ["r2", "r1"]},
                                    {"Effect": "Deny", "Action": "a:Z", "Resource": "*"}]},
                     json.dumps({"Statement": {"Effect": "Allow", "Action": "b:W", "Resource": "*"}})]
        self.assertEqual(readback.policy_actions(documents), {"a:X": ["r1", "r2"], "a:Y": ["r1"], "b:W": ["*"]})
        with self.assertRaises(readback.Unresolvable):
            readback.policy_actions([{"Statement": [{"Effect": "Allow", "NotAction": "a:X", "Resource": "*"}]}])


def resolver(refs, attributes):
    return (lambda name: refs[name]), (lambda target, name: attributes[(target, name)])


class EvaluateTests(unittest.TestCase):
    def setUp(self):
        self.ref, self.getatt = resolver(
            {"Topic": "arn:topic", "Subnets": ["s-1", "s-2"], "AWS::Region": "us-east-1", "Env": "dev"},
            {("Fn", "Arn"): "arn:fn", ("Role", "Arn"): "arn:role"})

    def evaluate(self, value):
        return readback.evaluate(value, self.ref, self.getatt)

    def test_intrinsics(self):
        self.assertEqual(self.evaluate({"Ref": "Topic"}), "arn:topic")
        self.assertEqual(self.evaluate({"Fn::GetAtt": ["Fn", "Arn"]}), "arn:fn")
        self.assertEqual(self.evaluate({"Fn::GetAtt": "Role.Arn"}), "arn:role")
        self.assertEqual(self.evaluate({"Fn::Join": [",", {"Ref": "Subnets"}]}), "s-1,s-2")
        self.assertEqual(self.evaluate({"Fn::Select": [1, {"Ref": "Subnets"}]}), "s-2")
        self.assertEqual(self.evaluate({"Fn::Split": [":", {"Ref": "Topic"}]}), ["arn", "topic"])
        self.assertEqual(self.evaluate({"A": [{"Ref": "Env"}, 3, True]}), {"A": ["dev", 3, True]})

    def test_sub(self):
        self.assertEqual(self.evaluate({"Fn::Sub": "${Fn.Arn}|${Topic}|${AWS::Region}|${!Literal}|$x"}),
                         "arn:fn|arn:topic|us-east-1|${Literal}|$x")
        self.assertEqual(self.evaluate({"Fn::Sub": ["${Topic}/${Local}", {"Local": {"Ref": "Env"}, "Topic": "mine"}]}), "mine/dev")

    def test_unsupported_intrinsics_raise(self):
        for value in ({"Fn::If": ["C", 1, 2]}, {"Fn::ImportValue": "X"}):
            with self.assertRaises(readback.Unresolvable):
                self.evaluate(value)

    def test_import_value_with_exports(self):
        exports = {"Net:Vpc": "vpc-1", "Env-dev": "x"}
        evaluate = lambda value: readback.evaluate(value, self.ref, self.getatt, exports.__getitem__)
        self.assertEqual(evaluate({"Fn::ImportValue": "Net:Vpc"}), "vpc-1")
        self.assertEqual(evaluate({"Fn::ImportValue": {"Fn::Sub": "Env-${Env}"}}), "x")
        self.assertEqual(evaluate({"Fn::Join": ["/", [{"Fn::ImportValue": "Net:Vpc"}, {"Ref": "Env"}]]}), "vpc-1/dev")
        ctx = Ctx({"Resources": {}}, {})
        with self.assertRaises(readback.Unresolvable):  # a stack deployed alone has no exports
            readback.expected(ctx, {"Fn::ImportValue": "Net:Vpc"})
        ctx.exports = {"Net:Other": "o"}
        with self.assertRaises(readback.Unresolvable):
            readback.expected(ctx, {"Fn::ImportValue": "Net:Vpc"})
        ctx.exports["Net:Vpc"] = "vpc-2"
        self.assertEqual(readback.expected(ctx, {"Fn::ImportValue": "Net:Vpc"}), "vpc-2")

    def test_state_machine_definition_substitutions(self):
        text = '{"States":{"A":{"Resource":"${AnalyzeArn}"}}}'
        self.assertEqual(readback.fill_definition(text, {"AnalyzeArn": "arn:fn"}), '{"States":{"A":{"Resource":"arn:fn"}}}')
        with self.assertRaises(readback.Unresolvable):
            readback.fill_definition(text, {})


class Ctx:
    """The parts of e2e.StackContext the readers use."""

    def __init__(self, template, resources, parameters=None, answers=None):
        self.stack_name = "S-dev"
        self.deployed_template = template
        self.resources = resources
        self.parameters = parameters or {}
        self.calls = []
        self.answers = answers or {}

    def aws(self, *args):
        self.calls.append(args)
        return self.answers[args[:2]](args)


class ReaderTests(unittest.TestCase):
    TEMPLATE = {
        "Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}},
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function"},
            "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                "DefinitionString": {"Fn::Sub": '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Fn.Arn}","Next":"B"},'
                                                 '"B":{"Type":"Task","Resource":"${!Notify}","End":true}}}'},
                "DefinitionSubstitutions": {"Notify": {"Fn::GetAtt": ["Fn", "Arn"]}}}},
            "Bucket": {"Type": "AWS::S3::Bucket"},
        }}

    def ctx(self):
        return Ctx(self.TEMPLATE, {"Fn": "S-Fn-1", "Machine": "arn:sm", "Bucket": "b"}, {"Subnets": "s-1,s-2"}, {
            ("lambda", "get-function-configuration"): lambda args: {"FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:S-Fn-1"},
        })

    def test_attribute_reads_the_service_once_and_expected_evaluates(self):
        ctx = self.ctx()
        arn = "arn:aws:lambda:us-east-1:123456789012:function:S-Fn-1"
        self.assertEqual(readback.attribute(ctx, "Fn", "Arn"), arn)
        self.assertEqual(readback.attribute(ctx, "Fn", "Arn"), arn)
        self.assertEqual(len(ctx.calls), 1, "cached per physical ID")
        self.assertEqual(readback.expected(ctx, {"Fn::Join": ["|", [{"Ref": "Fn"}, {"Ref": "AWS::AccountId"}, {"Fn::Select": [1, {"Ref": "Subnets"}]}]]}),
                         "S-Fn-1|123456789012|s-2")
        with self.assertRaises(readback.Unresolvable) as raised:
            readback.attribute(ctx, "Bucket", "Arn")
        self.assertIn("ATTRIBUTE_READERS", str(raised.exception))
        with self.assertRaises(readback.Unresolvable):
            readback.attribute(ctx, "Missing", "Arn")

    def test_expected_definition_fills_function_arns(self):
        definition = readback.expected_definition(self.ctx(), "Machine")
        arn = "arn:aws:lambda:us-east-1:123456789012:function:S-Fn-1"
        self.assertEqual([definition["States"][s]["Resource"] for s in ("A", "B")], [arn, arn])

    def test_ssm_parameters_in_batches_of_ten(self):
        ctx = Ctx({"Resources": {}}, {}, answers={("ssm", "get-parameters"): lambda args: {
            "Parameters": [{"Name": n, "Value": n.upper()} for n in args[3:] if n != "/p/7"]}})
        found = readback.ssm_parameters(ctx, [f"/p/{i}" for i in range(23)])
        self.assertEqual([len(call) - 3 for call in ctx.calls], [10, 10, 3])
        self.assertEqual(len(found), 22)
        self.assertNotIn("/p/7", found)
        self.assertEqual(found["/p/3"]["Value"], "/P/3")

    def test_trusted_principals(self):
        document = {"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "bedrock-agentcore.amazonaws.com"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}},
            {"Effect": "Deny", "Principal": {"Service": "evil.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Service": "other.amazonaws.com"}, "Action": "sts:TagSession"}]}
        self.assertEqual(readback.trusted_principals(document), {"Service": {"bedrock-agentcore.amazonaws.com"}})
        self.assertEqual(readback.trusted_principals(json.dumps({"Statement": {
            "Effect": "Allow", "Principal": {"Service": ["a", "b"], "AWS": "arn:root"}, "Action": ["sts:*"]}})),
            {"Service": {"a", "b"}, "AWS": {"arn:root"}})
        self.assertEqual(readback.trusted_principals({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]}), {"*": {"*"}})

    def test_lambda_policy_source_arns(self):
        # The shape moto 5.2.1 answers `lambda get-policy` with for a CloudFormation permission.
        policy = ('{"Version": "2012-10-17", "Id": "default", "Statement": [{"FunctionName": "probe-Fn", "Action": '
                  '"lambda:InvokeFunction", "Principal": {"Service": "events.amazonaws.com"}, "Effect": "Allow", '
                  '"Resource": "arn:aws:lambda:us-east-1:123456789012:function:probe-Fn", "Sid": "1", "Condition": '
                  '{"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/probe-Rule"}}}]}')
        self.assertEqual(readback.source_arns(readback.policy_statements(policy)),
                         [("events.amazonaws.com", "lambda:InvokeFunction", "arn:aws:events:us-east-1:123456789012:rule/probe-Rule")])
        self.assertEqual(readback.source_arns([{"Principal": "*", "Action": "x"}]), [])

    def test_permission_rules(self):
        permissions = [{"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "UserIdGroupPairs": [{"UserId": "1", "GroupId": "sg-l"}],
                        "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": [], "PrefixListIds": []},
                       {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        self.assertEqual(readback.permission_rules(permissions), {
            ("tcp", 6379, 6379, "sg-l"), ("tcp", 6379, 6379, "10.0.0.0/16"), ("-1", None, None, "0.0.0.0/0")})


PROBE = {
    "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "RolePolicy", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::GetAtt": ["Logs", "Arn"]}},
                {"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}]}}]}},
        "Zipped": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "main.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"S3Bucket": {"Ref": "AssetBucket"}, "S3Key": "KEY"}}},
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"ZipFile": "def handler(event, context):\n    return 1\n"},
            "Environment": {"Variables": {"TOPIC": {"Ref": "Topic"}, "MODE": "probe"}}}},
        "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
            "DefinitionString": {"Fn::Sub": '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Fn.Arn}","End":true}}}'}}},
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {
            "ScheduleExpression": "cron(0 9,21 * * ? *)", "Targets": [{"Arn": {"Fn::GetAtt": ["Fn", "Arn"]}, "Id": "detector"}]}},
        "Invoke": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Ref": "Fn"}, "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/probe/${AWS::StackName}"}}},
    },
    "Parameters": {"AssetBucket": {"Type": "String"}},
    "Outputs": {"RuleArn": {"Value": {"Fn::GetAtt": ["Rule", "Arn"]}}, "Machine": {"Value": {"Ref": "Machine"}},
                "LogsArn": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}}},
}


class CheckCtx(e2e.StackContext):
    """A StackContext over another's stack, collecting failures instead of printing them."""

    def __init__(self, live):
        super().__init__(live.run, live.stack_name)
        self.step = "test"
        self.deployed_template = live.deployed_template
        self.resources = live.resources

    def log(self, message):
        pass


class LiveReaderTests(unittest.TestCase):
    """The readers the coming stacks' checks need, against moto_server itself: a Lambda function,
    a state machine calling it, a schedule rule targeting it and the permission for the rule."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.workdir = tempfile.mkdtemp(prefix="formation-e2e-test-")
        cls.server = e2e.MotoServer(cls.workdir)
        atexit.register(cls.server.stop)  # by its PID, however the test process ends
        try:
            cls.server.start()
            cls.run_ = e2e.E2ERun(cls.server, cls.workdir)
        except e2e.Failure as failure:
            cls.server.stop()
            raise unittest.SkipTest(str(failure))
        try:
            ctx = cls.ctx = e2e.StackContext(cls.run_, "Probe-test")
            # A code asset as synth --out writes it: a ZIP named by its SHA-256, uploaded with s3 cp.
            import io
            import zipfile
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr(zipfile.ZipInfo("main.py", (1980, 1, 1, 0, 0, 0)), "def handler(event, context):\n    return 2\n")
            data = buffer.getvalue()
            import hashlib
            cls.asset_key = hashlib.sha256(data).hexdigest() + ".zip"
            cls.asset_path = os.path.join(cls.workdir, cls.asset_key)
            with open(cls.asset_path, "wb") as handle:
                handle.write(data)
            cls.bucket = assets.bucket_name(ctx.stack_name)
            ctx.aws("s3api", "create-bucket", "--bucket", cls.bucket)
            status, _, error = cls.run_.aws_call(["s3", "cp", cls.asset_path, f"s3://{cls.bucket}/{cls.asset_key}"])
            assert status == 0, error
            template = json.loads(json.dumps(PROBE).replace('"KEY"', json.dumps(cls.asset_key)))
            path = os.path.join(cls.workdir, "probe.json")
            with open(path, "w") as handle:
                json.dump(template, handle)
            ctx.aws("cloudformation", "create-stack", "--stack-name", ctx.stack_name, "--template-body", "file://" + path,
                    "--parameters", f"ParameterKey=AssetBucket,ParameterValue={cls.bucket}")
            stack = ctx.aws("cloudformation", "describe-stacks", "--stack-name", ctx.stack_name)["Stacks"][0]
            assert stack["StackStatus"] == "CREATE_COMPLETE", stack
            cls.outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
            ctx.deployed_template = template
            listed = ctx.aws("cloudformation", "describe-stack-resources", "--stack-name", ctx.stack_name)["StackResources"]
            ctx.resources = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in listed}
        except BaseException:
            cls.tearDownClass()  # unittest skips tearDownClass when setUpClass raises
            raise

    @classmethod
    def tearDownClass(cls):
        cls.run_.stop_drivers()
        cls.server.stop()
        import shutil
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def test_readers(self):
        ctx = self.ctx
        function = ctx.resources["Fn"]
        function_arn = readback.attribute(ctx, "Fn", "Arn")
        self.assertEqual(function_arn, f"arn:aws:lambda:us-east-1:123456789012:function:{function}")
        self.assertEqual(readback.lambda_environment(ctx, function), {"TOPIC": ctx.resources["Topic"], "MODE": "probe"})
        machine = readback.state_machine(ctx, ctx.resources["Machine"])
        self.assertEqual(machine["definition"], readback.expected_definition(ctx, "Machine"))
        self.assertEqual(machine["definition"]["States"]["A"]["Resource"], function_arn)
        rule_arn = readback.attribute(ctx, "Rule", "Arn")
        self.assertEqual(readback.rule_targets(ctx, ctx.resources["Rule"]), [{"Id": "detector", "Arn": function_arn}])
        self.assertEqual(readback.source_arns(readback.lambda_policy_statements(ctx, function)),
                         [("events.amazonaws.com", "lambda:InvokeFunction", rule_arn)])
        self.assertEqual(self.outputs, {name: readback.expected(ctx, PROBE["Outputs"][name]["Value"]) for name in PROBE["Outputs"]})
        self.assertTrue(readback.attribute(ctx, "Key", "Arn").endswith(":key/" + ctx.resources["Key"]))
        # The reader gives what GetAtt gave moto's stack (moto_compat.log_group_getatt_arn).
        described = readback.log_groups(ctx, f"/probe/{ctx.stack_name}")[f"/probe/{ctx.stack_name}"]["arn"]
        self.assertEqual(described, f"arn:aws:logs:us-east-1:123456789012:log-group:/probe/{ctx.stack_name}:*")
        self.assertEqual(readback.attribute(ctx, "Logs", "Arn"), self.outputs["LogsArn"])
        self.assertEqual(moto_compat.log_group_getatt_arn(described), self.outputs["LogsArn"])
        trust = readback.role(ctx, ctx.resources["Role"])["AssumeRolePolicyDocument"]
        self.assertEqual(readback.trusted_principals(trust), {"Service": {"lambda.amazonaws.com"}})

    def test_role_policies_read_as_data(self):
        ctx = self.ctx
        documents = readback.role_policies(ctx, ctx.resources["Role"])
        self.assertEqual(list(documents), ["RolePolicy"])
        self.assertEqual(readback.policy_actions(documents.values()), {
            "logs:CreateLogStream": [self.outputs["LogsArn"]], "logs:PutLogEvents": [self.outputs["LogsArn"]],
            "sns:Publish": [ctx.resources["Topic"]]})

    def test_function_from_a_code_asset(self):
        ctx = self.ctx
        function = readback.lambda_function(ctx, ctx.resources["Zipped"])
        digest = assets.file_digest(self.asset_path)
        self.assertEqual((function["Configuration"]["CodeSize"], function["Configuration"]["CodeSha256"]),
                         (digest["size"], digest["code_sha256"]))
        self.assertTrue(function["Code"]["Location"].endswith("/" + self.asset_key), function["Code"])
        # The generic check passes on it and fails, naming the function, when the bytes differ.
        check = CheckCtx(ctx)
        check.assets = {self.asset_key: dict(digest, path=self.asset_path)}
        checks.code_asset_readback(check)
        self.assertEqual(check.failures, [])
        check.assets = {self.asset_key: dict(digest, path=self.asset_path, code_sha256="AAAA")}
        checks.code_asset_readback(check)
        self.assertEqual(len(check.failures), 1)
        self.assertIn("Zipped", check.failures[0])
        self.assertIn("AAAA", check.failures[0])
        check.assets = {}
        check.failures = []
        checks.code_asset_readback(check)
        self.assertIn("was not uploaded", check.failures[0])


class DriverTests(unittest.TestCase):
    """The driver answers exactly what the `aws` process answers."""

    @classmethod
    def setUpClass(cls):
        cls.aws = e2e.tool("aws")
        if not cls.aws:
            raise unittest.SkipTest("aws is not installed (make pydeps)")
        cls.env = e2e.aws_environment()
        cls.driver = awscli_driver.Driver(awscli_driver.interpreter_of(cls.aws) or sys.executable, cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.driver.stop()

    def same_as_process(self, argv):
        process = subprocess.run([self.aws, *argv], capture_output=True, text=True, env=self.env, timeout=60,
                                 stdin=subprocess.DEVNULL)
        status, output, error = self.driver.call(argv, 60)
        self.assertEqual((status, output), (process.returncode, process.stdout), argv)
        # text=True reads the process's "\r" (in awscli's usage text) as "\n"; the bytes are the same.
        self.assertEqual(error.replace("\r\n", "\n").replace("\r", "\n"), process.stderr, argv)
        return status, output, error

    def test_same_answers_as_the_process(self):
        status, output, _ = self.same_as_process(["--version"])
        self.assertEqual(status, 0)
        self.assertIn("aws-cli/1.45.11", output)
        status, _, error = self.same_as_process(["ssm", "get-parameter"])
        self.assertEqual(status, 2)
        self.assertIn("aws: error: the following arguments are required: --name", error)
        # Nothing listens on port 9 of 127.0.0.1: the same connection error, one attempt.
        status, _, error = self.same_as_process(["--endpoint-url", "http://127.0.0.1:9", "ssm", "get-parameter", "--name", "x"])
        self.assertEqual(status, 255)
        self.assertIn("Could not connect to the endpoint URL", error)

    def test_stdin_is_refused_and_the_driver_survives(self):
        status, _, error = self.driver.call(["cloudformation", "create-stack", "--stack-name", "x", "--template-body", "file:///dev/stdin"], 30)
        self.assertEqual(status, 2)
        self.assertIn("/dev/stdin", error)
        self.assertEqual(self.driver.call(["--version"], 30)[0], 0)

    def test_stop_ends_the_process(self):
        driver = awscli_driver.Driver(awscli_driver.interpreter_of(self.aws) or sys.executable, self.env)
        driver.stop()
        self.assertIsNotNone(driver.process.poll())
        with self.assertRaises(awscli_driver.DriverError):
            driver.call(["--version"], 5)



DEPLOY_ALL = """# 1/3 Network-x
aws cloudformation deploy \\
  --template-file out/Network-x.template.json \\
  --stack-name Network-x \\
  --no-fail-on-empty-changeset
# 2/3 Data-x (after Network-x)
aws cloudformation deploy \\
  --template-file out/Data-x.template.json \\
  --stack-name Data-x \\
  --parameter-overrides 'Greeting=it'"'"'s' \\
  --no-fail-on-empty-changeset
# 3/3 Service-x (after Data-x, Network-x)
aws cloudformation deploy \\
  --template-file out/Service-x.template.json \\
  --stack-name Service-x \\
  --capabilities CAPABILITY_IAM \\
  --no-fail-on-empty-changeset
"""

STACK_SET = """# 1/1 Baseline-x
# first deploy: create the stack set, then its instances
aws cloudformation create-stack-set \\
  --stack-set-name Baseline-x \\
  --template-body file://out/Baseline-x.template.json \\
  --parameters ParameterKey=AlertEmail,ParameterValue=ops@example.com \\
  --permission-model SELF_MANAGED
aws cloudformation create-stack-instances \\
  --stack-set-name Baseline-x \\
  --accounts 111111111111 222222222222 \\
  --regions us-east-1 eu-west-1
# later deploys: update the stack set (and its instances)
aws cloudformation update-stack-set \\
  --stack-set-name Baseline-x \\
  --template-body file://out/Baseline-x.template.json \\
  --accounts 111111111111 222222222222 \\
  --regions us-east-1 eu-west-1
"""


def producer(name, export):
    return {"Resources": {"R": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"Export" + name: {"Value": {"Ref": "R"}, "Export": {"Name": export}}}}


class MultiStackTests(unittest.TestCase):
    """multistack.py: the printed plans of apps of many stacks, and references in templates."""

    TEMPLATES = {
        "Network-x": producer("Group", "Network-x:Group"),
        "Data-x": dict(producer("Table", "Data-x:Table"), Outputs={
            "ExportTable": {"Value": {"Ref": "R"}, "Export": {"Name": "Data-x:Table"}},
            "Group": {"Value": {"Fn::ImportValue": "Network-x:Group"}}}),
        "Service-x": {"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Value": {"Fn::Join": [",", [{"Fn::ImportValue": "Data-x:Table"}, {"Fn::ImportValue": "Network-x:Group"}]]}}}}},
    }

    def test_app_command(self):
        self.assertEqual(multistack.app_command("FORMATION_TESTAPP=cross-stack A=b=c '/x y/app'"),
                         ({"FORMATION_TESTAPP": "cross-stack", "A": "b=c"}, "/x y/app"))
        self.assertEqual(multistack.app_command("/bin/app"), ({}, "/bin/app"))
        for bad in ("X=1", "X=1 a b", ""):
            with self.assertRaises(multistack.PlanError):
                multistack.app_command(bad)

    def test_sections_of_deploy_all(self):
        sections = multistack.sections(DEPLOY_ALL)
        self.assertEqual([(s, a) for s, a, _ in sections],
                         [("Network-x", []), ("Data-x", ["Network-x"]), ("Service-x", ["Data-x", "Network-x"])])
        data = multistack.deploy_command(sections[1][2][0][1])
        self.assertEqual(data, {"stack": "Data-x", "template_file": "out/Data-x.template.json", "capabilities": [],
                                "parameters": {"Greeting": "it's"}})
        self.assertEqual(multistack.deploy_command(sections[2][2][0][1])["capabilities"], ["CAPABILITY_IAM"])

    def test_malformed_plans_are_refused(self):
        for text in (DEPLOY_ALL.replace("# 2/3", "# 3/3"),                 # out of sequence
                     DEPLOY_ALL.replace("/3 ", "/4 "),                    # the count disagrees
                     "aws cloudformation deploy --stack-name A\n",      # no header
                     "# 1/1 A\naws cloudformation deploy \\\n"):   # dangling continuation
            with self.assertRaises(multistack.PlanError, msg=text):
                multistack.sections(text)
        with self.assertRaises(multistack.PlanError):
            multistack.deploy_command(["aws", "cloudformation", "create-stack", "--stack-name", "A"])
        with self.assertRaises(multistack.PlanError):
            multistack.deploy_command(["aws", "cloudformation", "deploy", "--stack-name", "A", "--template-file", "f",
                                       "--parameter-overrides", "Key=<fill in: NoEcho>"])

    def test_references_in_templates(self):
        self.assertEqual(multistack.exports_of(self.TEMPLATES["Data-x"]), {"Data-x:Table": "ExportTable"})
        self.assertEqual(multistack.imports_of(self.TEMPLATES["Service-x"], "Service-x"), {
            "Data-x:Table": ["Service-x.Resources.P.Properties.Value.Fn::Join[1][0]"],
            "Network-x:Group": ["Service-x.Resources.P.Properties.Value.Fn::Join[1][1]"]})
        self.assertEqual(multistack.importers(self.TEMPLATES), {"Network-x:Group": ["Data-x", "Service-x"], "Data-x:Table": ["Service-x"]})
        with self.assertRaises(multistack.PlanError):
            multistack.imports_of({"Outputs": {"O": {"Value": {"Fn::ImportValue": {"Fn::Sub": "${X}"}}}}})
        with self.assertRaises(multistack.PlanError):
            multistack.producers({"A": producer("X", "Same"), "B": producer("Y", "Same")})

    def test_reference_problems(self):
        good = [("Network-x", []), ("Data-x", ["Network-x"]), ("Service-x", ["Data-x", "Network-x"])]
        self.assertEqual(multistack.reference_problems(good, self.TEMPLATES), [])
        # A consumer before its producer.
        swapped = [good[1], good[0], good[2]]
        self.assertEqual(multistack.reference_problems(swapped, self.TEMPLATES),
                         ["Data-x imports Network-x:Group from Network-x, which is not printed before it"])
        # The printed "after" differs from what the templates import.
        wrong_after = [good[0], good[1], ("Service-x", ["Data-x"])]
        self.assertEqual(multistack.reference_problems(wrong_after, self.TEMPLATES),
                         ["Service-x is printed after ['Data-x']; its imports come from ['Data-x', 'Network-x']"])
        # An import nobody exports; a stack left out of the printed order.
        orphan = dict(self.TEMPLATES, **{"Data-x": {"Resources": {}, "Outputs": {"G": {"Value": {"Fn::ImportValue": "Gone"}}}}})
        problems = multistack.reference_problems(good, orphan)
        self.assertIn("Data-x imports Gone (Data-x.Outputs.G.Value), which no stack of the app exports", problems)
        self.assertEqual(multistack.reference_problems(good[:2], self.TEMPLATES)[0],
                         "printed stacks ['Network-x', 'Data-x'], templates of ['Data-x', 'Network-x', 'Service-x']")

    def test_stack_set_plan(self):
        (stack, after, commands), = multistack.sections(STACK_SET)
        self.assertEqual((stack, after), ("Baseline-x", []))
        plan = multistack.stack_set_plan(commands)
        self.assertEqual([words[2] for words in plan.values()], ["create-stack-set", "create-stack-instances", "update-stack-set"])
        self.assertEqual(multistack.instance_targets(plan["instances"]),
                         (["111111111111", "222222222222"], None, ["us-east-1", "eu-west-1"]))
        self.assertEqual(multistack.stack_set_parameters(plan["create"]), {"AlertEmail": "ops@example.com"})
        units = ["aws", "cloudformation", "create-stack-instances", "--stack-set-name", "G",
                 "--deployment-targets", "OrganizationalUnitIds=ou-abcd-11112222", "--regions", "us-east-1",
                 "--operation-preferences", "MaxConcurrentPercentage=25"]
        self.assertEqual(multistack.instance_targets(units), (None, ["ou-abcd-11112222"], ["us-east-1"]))
        moved = multistack.replaced(units, "--deployment-targets", "ou-abcd-11112222", "ou-r00t-12345678")
        self.assertEqual(moved[5:8], ["--deployment-targets", "OrganizationalUnitIds=ou-r00t-12345678", "--regions"])
        with self.assertRaises(multistack.PlanError):
            multistack.replaced(units, "--regions", "ou-abcd-11112222", "x")
        with self.assertRaises(multistack.PlanError):  # both kinds of target
            multistack.instance_targets(units + ["--accounts", "111111111111"])
        with self.assertRaises(multistack.PlanError):  # the update missing
            multistack.stack_set_plan(commands[:2])
        with self.assertRaises(multistack.PlanError):  # create-stack-instances under "later deploys"
            multistack.stack_set_plan([commands[0], (["# later deploys"], commands[1][1]), commands[2]])

if __name__ == "__main__":
    unittest.main()


class NestedPlanTests(unittest.TestCase):
    """The nested-stack and region helpers of multistack.py, on templates and printed text."""

    PARENT = {
        "Resources": {
            "Network": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"}},
            "Setting": {"Type": "AWS::SSM::Parameter", "Properties": {
                "Value": {"Fn::GetAtt": ["Network", "Outputs.VpcCidr"]},
                "Description": {"Fn::GetAtt": "Network.Outputs.VpcId"},
                "Other": {"Fn::GetAtt": ["Setting", "Value"]}}},
        },
        "Outputs": {"Vpc": {"Value": {"Fn::GetAtt": ["Network", "Outputs.VpcId"]}}},
    }

    def test_nested_output_reads_in_both_forms(self):
        self.assertEqual(multistack.nested_stacks(self.PARENT), {"Network": "x"})
        self.assertEqual(multistack.nested_output_reads(self.PARENT), [
            ("Outputs/Vpc/Value", "Network", "VpcId"),
            ("Resources/Setting/Properties/Description", "Network", "VpcId"),
            ("Resources/Setting/Properties/Value", "Network", "VpcCidr"),
        ])

    def test_reads_are_replaced_and_nothing_else(self):
        adapted = multistack.without_nested_output_reads(self.PARENT, lambda n, x: f"P/{n}/{x}")
        properties = adapted["Resources"]["Setting"]["Properties"]
        self.assertEqual(properties["Value"], "P/Network/VpcCidr")
        self.assertEqual(properties["Description"], "P/Network/VpcId")
        self.assertEqual(properties["Other"], {"Fn::GetAtt": ["Setting", "Value"]})
        self.assertEqual(adapted["Outputs"]["Vpc"]["Value"], "P/Network/VpcId")
        self.assertEqual(self.PARENT["Outputs"]["Vpc"]["Value"], {"Fn::GetAtt": ["Network", "Outputs.VpcId"]}, "the input changed")

    def test_printed_uploads(self):
        stderr = ("note: upload 1 asset to the asset bucket before deploying (synth --out writes it beside the template):\n"
                  "  aws s3 cp out/ab.template.json 's3://<AssetBucket>/ab.template.json'\n")
        self.assertEqual(multistack.printed_uploads(stderr), [("out/ab.template.json", "<AssetBucket>", "ab.template.json")])
        with self.assertRaises(multistack.PlanError):
            multistack.printed_uploads("  aws s3 cp a b c\n")

    def test_region_commands(self):
        text = ("# account 123456789012: run with credentials for this account\n"
                "# region us-east-1\naws cloudformation deploy \\\n  --stack-name S \\\n  --region us-east-1\n"
                "# region eu-west-1\naws cloudformation deploy \\\n  --stack-name S \\\n  --region eu-west-1\n")
        account, deploys = multistack.region_commands(text)
        self.assertEqual(account, "123456789012")
        self.assertEqual([region for region, _ in deploys], ["us-east-1", "eu-west-1"])
        with self.assertRaises(multistack.PlanError):
            multistack.region_commands("# region eu-west-1\naws cloudformation deploy --stack-name S --region us-east-1\n")
