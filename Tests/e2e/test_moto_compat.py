#!/usr/bin/env python3
"""Tests of the harness's template adaptation for moto (no server needed): `make e2e` runs them
first. The templates mirror what the real stacks hold: a secret, a guardrail and its version, an
alarm, an email subscription, a cross-security-group egress rule; AgentCore's runtime and memory
whose attributes SSM parameters hold, invocation logging, ElastiCache."""

import copy
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_compat  # noqa: E402

P = "arn:aws:formation-e2e:us-east-1:123456789012:placeholder/"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:Secret-e2e"

TEMPLATE = {
    "Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True}},
        "Secret": {"Type": "AWS::SecretsManager::Secret"},
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Email": {"Type": "AWS::SNS::Subscription", "Properties": {"TopicArn": {"Ref": "Topic"}}},
        "Guardrail": {"Type": "AWS::Bedrock::Guardrail"},
        "GuardrailVersion": {"Type": "AWS::Bedrock::GuardrailVersion",
                             "Properties": {"GuardrailIdentifier": {"Fn::GetAtt": ["Guardrail", "GuardrailId"]}}},
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmActions": [{"Ref": "Topic"}]}},
        "Egress": {"Type": "AWS::EC2::SecurityGroupEgress"},
        "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": ["Secret", "Topic"], "Properties": {
            "Environment": {"Variables": {
                "SECRET": {"Ref": "Secret"},
                "GUARDRAIL": {"Fn::GetAtt": ["Guardrail", "GuardrailId"]},
                "VERSION": {"Fn::GetAtt": "GuardrailVersion.Version"},
                "MIX": {"Fn::Sub": "${Guardrail.GuardrailId}/${Topic}/${!Guardrail}/${AWS::Region}"},
                "SHADOWED": {"Fn::Sub": ["${Secret}", {"Secret": "local"}]},
                "TOPIC": {"Ref": "Topic"},
            }},
        }},
        "Only": {"Type": "AWS::SSM::Parameter", "DependsOn": "Secret", "Properties": {"Value": "x"}},
    },
    "Outputs": {"SecretArn": {"Value": {"Ref": "Secret"}}, "TopicArn": {"Value": {"Ref": "Topic"}}},
}


class AdaptTests(unittest.TestCase):
    def setUp(self):
        self.original = copy.deepcopy(TEMPLATE)
        self.adapted, self.notes = moto_compat.adapt(TEMPLATE)

    def test_removes_unmodeled_resources_only(self):
        self.assertEqual(list(self.adapted["Resources"]), ["Key", "Topic", "Fn", "Only"])
        self.assertEqual(TEMPLATE, self.original, "the input must not be modified")

    def test_substitutes_every_reference_to_a_removed_resource(self):
        variables = self.adapted["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]
        self.assertEqual(variables["SECRET"], SECRET)
        self.assertEqual(variables["GUARDRAIL"], P + "Guardrail/GuardrailId")
        self.assertEqual(variables["VERSION"], P + "GuardrailVersion/Version")
        self.assertEqual(variables["MIX"], {"Fn::Sub": P + "Guardrail/GuardrailId/${Topic}/${!Guardrail}/${AWS::Region}"})
        self.assertEqual(variables["SHADOWED"], {"Fn::Sub": ["${Secret}", {"Secret": "local"}]})
        self.assertEqual(variables["TOPIC"], {"Ref": "Topic"})
        self.assertEqual(self.adapted["Outputs"]["SecretArn"]["Value"], SECRET)
        self.assertEqual(self.adapted["Outputs"]["TopicArn"]["Value"], {"Ref": "Topic"})
        self.assertNotIn('{"Ref": "Secret"}', json.dumps(self.adapted))
        self.assertNotIn('"Guardrail"', json.dumps(self.adapted))

    def test_drops_depends_on_removed_resources(self):
        self.assertEqual(self.adapted["Resources"]["Fn"]["DependsOn"], ["Topic"])
        self.assertNotIn("DependsOn", self.adapted["Resources"]["Only"])

    def test_fills_what_moto_requires(self):
        policy = self.adapted["Resources"]["Key"]["Properties"]["KeyPolicy"]
        self.assertEqual(policy["Statement"][0]["Action"], "kms:*")
        kept = {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"mine": True}}}}}
        self.assertEqual(moto_compat.adapt(kept)[0], kept)

    def test_names_ssm_parameters_per_logical_id(self):
        template = {"Resources": {"P1": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v"}},
                                  "P2": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/mine", "Type": "String", "Value": "v"}}}}
        adapted, notes = moto_compat.adapt(template)
        self.assertEqual(adapted["Resources"]["P1"]["Properties"]["Name"], {"Fn::Sub": "/formation-e2e/${AWS::StackName}/P1"})
        self.assertEqual(adapted["Resources"]["P2"]["Properties"]["Name"], "/mine")
        self.assertEqual(notes, ["Resources/P1: filled Name (AWS::SSM::Parameter): moto 5.2 requires it"])

    def test_reports_every_change(self):
        text = "\n".join(self.notes)
        for expected in ["removed Secret (AWS::SecretsManager::Secret)", "removed Egress", "filled KeyPolicy",
                         "Ref Secret ->", "GetAtt Guardrail.GuardrailId ->", "Fn::Sub ${Guardrail.GuardrailId} ->",
                         "Resources/Fn/DependsOn: dropped ['Secret']"]:
            self.assertIn(expected, text)
        self.assertNotIn("${Secret}", text, "a Sub variable shadowed by the variable map is not a reference")

    def test_untouched_template_has_no_notes(self):
        plain = {"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}
        self.assertEqual(moto_compat.adapt(plain), (plain, []))


AGENT = {
    "Resources": {
        "Memory": {"Type": "AWS::BedrockAgentCore::Memory"},
        "Runtime": {"Type": "AWS::BedrockAgentCore::Runtime", "Properties": {
            "EnvironmentVariables": {"AGENTCORE_MEMORY_ID": {"Fn::GetAtt": ["Memory", "MemoryId"]}}}},
        "Logging": {"Type": "AWS::Bedrock::ModelInvocationLoggingConfiguration"},
        "Role": {"Type": "AWS::IAM::Role"},
        "RuntimeId": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": "/x/runtime-id", "Type": "String", "Value": {"Fn::GetAtt": ["Runtime", "AgentRuntimeId"]}}},
        "RoleArn": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": "/x/execution-role-arn", "Type": "String", "Value": {"Fn::GetAtt": ["Role", "Arn"]}}},
        "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup"},
        "CacheSubnets": {"Type": "AWS::ElastiCache::SubnetGroup"},
        "Ingress": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
            "Description": {"Fn::Sub": "to ${Cache.PrimaryEndPoint.Address}"}}},
    },
    "Outputs": {"RuntimeId": {"Value": {"Fn::GetAtt": ["Runtime", "AgentRuntimeId"]}}},
}


class AgentCoreTests(unittest.TestCase):
    def test_modelled_sources_stay_and_the_others_become_the_placeholder_checks_expect(self):
        adapted, notes = moto_compat.adapt(AGENT)
        self.assertEqual(sorted(adapted["Resources"]), ["Ingress", "Role", "RoleArn", "RuntimeId"])
        runtime_id = moto_compat.placeholder("Runtime", "AWS::BedrockAgentCore::Runtime", "AgentRuntimeId")
        self.assertEqual(runtime_id, P + "Runtime/AgentRuntimeId")
        self.assertEqual(adapted["Resources"]["RuntimeId"]["Properties"]["Value"], runtime_id)
        self.assertEqual(adapted["Outputs"]["RuntimeId"]["Value"], runtime_id)
        self.assertEqual(adapted["Resources"]["RoleArn"]["Properties"]["Value"], {"Fn::GetAtt": ["Role", "Arn"]})
        # A dotted attribute in Fn::Sub (ElastiCache's endpoint) keeps its dots in the placeholder.
        self.assertEqual(adapted["Resources"]["Ingress"]["Properties"]["Description"],
                         {"Fn::Sub": "to " + P + "Cache/PrimaryEndPoint.Address"})
        self.assertTrue(any("removed Logging (AWS::Bedrock::ModelInvocationLoggingConfiguration)" in n for n in notes))
        self.assertEqual(moto_compat.check_coverage(AGENT), [])


class DescribedParameterTests(unittest.TestCase):
    def test_moto_list_repr_read_as_cloudformation_text(self):
        self.assertEqual(moto_compat.described_parameter("['subnet-1', 'subnet-2']", "List<AWS::EC2::Subnet::Id>"),
                         ("subnet-1,subnet-2", True))
        self.assertEqual(moto_compat.described_parameter("['a']", "CommaDelimitedList"), ("a", True))
        self.assertEqual(moto_compat.described_parameter("a,b", "CommaDelimitedList"), ("a,b", False))
        self.assertEqual(moto_compat.described_parameter("['a']", "String"), ("['a']", False))
        self.assertEqual(moto_compat.described_parameter("[not python", "List<Number>"), ("[not python", False))


class DescribedPolicyTests(unittest.TestCase):
    def test_moto_python_repr_read_as_the_document(self):
        document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s:A"], "Resource": "*", "Bool": True}]}
        self.assertEqual(moto_compat.described_policy_document(str(document)), (document, True))
        self.assertEqual(moto_compat.described_policy_document(json.dumps(document)), (document, False))
        self.assertEqual(moto_compat.described_policy_document(document), (document, False))
        for garbage in ("{'Version': ", "[1, 2]"):
            with self.assertRaises(ValueError):
                moto_compat.described_policy_document(garbage)

    def test_log_group_arn_as_getatt_gives_it_in_moto(self):
        described = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*"
        self.assertEqual(moto_compat.log_group_getatt_arn(described), described[:-2])
        self.assertEqual(moto_compat.log_group_getatt_arn(described[:-2]), described[:-2])


class CoverageTests(unittest.TestCase):
    def test_every_listed_type_is_unmodeled_and_every_no_physical_id_type_modeled(self):
        every = {"Resources": {f"R{i}": {"Type": t} for i, t in enumerate(sorted(moto_compat.UNMODELED))}}
        self.assertEqual(moto_compat.check_coverage(every), [])
        from moto.cloudformation.parsing import get_model_map
        modeled = get_model_map()
        for resource_type in moto_compat.NO_PHYSICAL_ID:
            self.assertIn(resource_type, modeled)
            self.assertNotIn(resource_type, moto_compat.UNMODELED)

    def test_every_unmodeled_type_is_really_unmodeled_and_unknown_types_fail(self):
        self.assertEqual(moto_compat.check_coverage(TEMPLATE), [])
        problems = moto_compat.check_coverage({"Resources": {"X": {"Type": "AWS::Made::Up"}}})
        self.assertEqual(len(problems), 1)
        self.assertIn("AWS::Made::Up", problems[0])
        stale = dict(moto_compat.UNMODELED, **{"AWS::SNS::Topic": None})
        original = moto_compat.UNMODELED
        try:
            moto_compat.UNMODELED = stale
            problems = moto_compat.check_coverage({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}})
        finally:
            moto_compat.UNMODELED = original
        self.assertTrue(problems and "now models" in problems[0], problems)


if __name__ == "__main__":
    unittest.main()
