import io
import json
import unittest
import urllib.error

import analyzer

ENV = {"MODEL_ID": "anthropic.claude-3-5-haiku-20241022-v1:0", "GUARDRAIL_ID": "gr-123", "GUARDRAIL_VERSION": "1"}
EVENT = {"new_ami_id": "ami-04b406d4e6eaca578", "previous_ami_id": "ami-0123456789abcdef0",
         "eks_version": "1.34", "release_version": "1.34.1-20250403"}
GOOD = {"risk_score": 2, "recommendation": "APPROVE", "summary": "Kernel 6.12.79, Go 1.25.9",
        "pr_description": "### What changed\n- Kernel updated"}


class FakeBedrock:
    def __init__(self, text, stop_reason="end_turn"):
        self.text, self.stop_reason = text, stop_reason
        self.calls = []

    def converse(self, **kwargs):
        self.calls.append(kwargs)
        return {"output": {"message": {"content": [{"text": self.text}]}}, "stopReason": self.stop_reason}


class ParseTests(unittest.TestCase):
    def test_plain_json(self):
        self.assertEqual(analyzer.parse_analysis(json.dumps(GOOD)), dict(GOOD, complete=True))

    def test_json_in_prose_and_code_fence(self):
        text = "Here is my analysis:\n```json\n" + json.dumps(GOOD, indent=2) + "\n```\nLet me know {if} needed."
        self.assertEqual(analyzer.parse_analysis(text)["summary"], GOOD["summary"])

    def test_braces_inside_strings_and_trailing_commas(self):
        text = '{"risk_score": "3/10", "recommendation": "approved", "summary": "a {b} c", ' \
               '"pr_description": "x } y",}'
        self.assertEqual(analyzer.parse_analysis(text), {"risk_score": 3, "recommendation": "APPROVE",
                                                         "summary": "a {b} c", "pr_description": "x } y",
                                                         "complete": True})

    def test_prefers_the_object_with_expected_keys(self):
        text = 'Context: {"note": 1} Answer: ' + json.dumps(GOOD)
        self.assertEqual(analyzer.parse_analysis(text)["risk_score"], 2)

    def test_risk_score_coercion(self):
        cases = [(7, 7), (7.4, 7), (7.5, 8), ("8", 8), ("risk 9 of 10", 9), ("3/10", 3), (0, 1), (42, 10),
                 (-3, 1), ("high", None), (None, None), (True, None), (float("nan"), None), ([5], None)]
        for value, expected in cases:
            self.assertEqual(analyzer.coerce_risk_score(value), expected, value)

    def test_recommendation_coercion(self):
        for value, expected in (("approve", "APPROVE"), (" Rejected ", "REJECT"), ("maybe", None), (1, None)):
            self.assertEqual(analyzer.coerce_recommendation(value), expected)

    def test_unusable_verdict_fails_safe(self):
        analysis = analyzer.parse_analysis(json.dumps(dict(GOOD, recommendation="LGTM")))
        self.assertEqual((analysis["risk_score"], analysis["recommendation"], analysis["complete"]), (10, "REJECT", False))
        analysis = analyzer.parse_analysis(json.dumps(dict(GOOD, risk_score="unknown")))
        self.assertEqual((analysis["risk_score"], analysis["recommendation"]), (10, "REJECT"))

    def test_no_json_fails_safe_and_keeps_the_answer_for_the_reviewer(self):
        analysis = analyzer.parse_analysis("I cannot assess this update.")
        self.assertEqual((analysis["risk_score"], analysis["recommendation"], analysis["complete"]), (10, "REJECT", False))
        self.assertIn("I cannot assess this update.", analysis["pr_description"])

    def test_missing_text_fields_get_defaults_and_long_summary_is_cut(self):
        analysis = analyzer.parse_analysis(json.dumps({"risk_score": 4, "recommendation": "APPROVE",
                                                       "summary": "word " * 100}))
        self.assertFalse(analysis["complete"])
        self.assertEqual(len(analysis["summary"]), 200)
        self.assertTrue(analysis["pr_description"].startswith("The model gave no description."))


class PromptAndNotesTests(unittest.TestCase):
    def test_release_tag(self):
        self.assertEqual(analyzer.release_tag("1.34.1-20250403"), "v20250403")
        self.assertIsNone(analyzer.release_tag(None))
        self.assertIsNone(analyzer.release_tag("latest"))

    def test_prompt_names_both_amis_and_the_fields(self):
        prompt = analyzer.build_prompt("ami-new00001", "ami-old00001", "1.34", "NOTES")
        for text in ("New AMI ID: ami-new00001", "Previous AMI ID: ami-old00001", "EKS version: 1.34",
                     "<release_notes>\nNOTES\n</release_notes>", '"risk_score"', '"recommendation"',
                     '"summary"', '"pr_description"'):
            self.assertIn(text, prompt)

    def test_fetch_release_notes(self):
        requests = []

        def opener(request, timeout):
            requests.append(request.full_url)
            return io.BytesIO(json.dumps({"tag_name": "v20250403", "name": "AMI Release v20250403",
                                          "body": "x" * 50}).encode())

        notes = analyzer.fetch_release_notes("awslabs/amazon-eks-ami", "v20250403", 40, opener)
        self.assertEqual(requests, ["https://api.github.com/repos/awslabs/amazon-eks-ami/releases/tags/v20250403"])
        self.assertTrue(notes.startswith("# AMI Release v20250403\n\nxxxx"))
        self.assertTrue(notes.endswith("[release notes truncated]"))
        analyzer.fetch_release_notes("awslabs/amazon-eks-ami", None, 40, opener)
        self.assertEqual(requests[-1], "https://api.github.com/repos/awslabs/amazon-eks-ami/releases/latest")


class AnalyzeTests(unittest.TestCase):
    def setUp(self):
        self.config = analyzer.Config(ENV)
        self.logs = []

    def test_calls_bedrock_with_the_guardrail_and_adds_the_analysis(self):
        bedrock = FakeBedrock(json.dumps(GOOD))
        fetched = []
        result = analyzer.analyze(EVENT, self.config, bedrock,
                                  lambda repo, tag, limit: fetched.append((repo, tag, limit)) or "NOTES",
                                  self.logs.append)
        self.assertEqual(fetched, [("awslabs/amazon-eks-ami", "v20250403", 12000)])
        (call,) = bedrock.calls
        self.assertEqual(call["modelId"], ENV["MODEL_ID"])
        self.assertEqual(call["guardrailConfig"], {"guardrailIdentifier": "gr-123", "guardrailVersion": "1",
                                                   "trace": "disabled"})
        self.assertIn("NOTES", call["messages"][0]["content"][0]["text"])
        self.assertEqual(result, dict(EVENT, analysis=dict(GOOD, complete=True)))

    def test_guardrail_intervention_fails_safe(self):
        bedrock = FakeBedrock("Sorry, I can't help with that.", stop_reason="guardrail_intervened")
        result = analyzer.analyze(EVENT, self.config, bedrock, lambda *a: "NOTES", self.logs.append)
        self.assertEqual(result["analysis"]["recommendation"], "REJECT")
        self.assertIn("guardrail", result["analysis"]["summary"])

    def test_unreachable_release_notes_still_analyzes(self):
        def fail(*args):
            raise urllib.error.URLError("timed out")

        bedrock = FakeBedrock(json.dumps(GOOD))
        analyzer.analyze(EVENT, self.config, bedrock, fail, self.logs.append)
        self.assertIn("could not be fetched", bedrock.calls[0]["messages"][0]["content"][0]["text"])
        self.assertIn("release_notes_unavailable", self.logs[0])

    def test_event_must_name_the_amis(self):
        with self.assertRaises(ValueError) as caught:
            analyzer.analyze({"eks_version": "1.34"}, self.config, FakeBedrock("{}"), lambda *a: "", self.logs.append)
        self.assertEqual(str(caught.exception), "the event lacks new_ami_id, previous_ami_id")

    def test_config(self):
        self.assertEqual(self.config.notes_repo, "awslabs/amazon-eks-ami")
        with self.assertRaises(analyzer.ConfigError) as caught:
            analyzer.Config(dict(ENV, GUARDRAIL_VERSION=""))
        self.assertEqual(str(caught.exception), "GUARDRAIL_VERSION must be set")


if __name__ == "__main__":
    unittest.main()
