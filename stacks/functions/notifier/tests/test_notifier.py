import unittest

import notifier

EVENT = {"new_ami_id": "ami-04b406d4e6eaca578", "previous_ami_id": "ami-0123456789abcdef0",
         "analysis": {"risk_score": 2, "recommendation": "APPROVE", "summary": "Kernel 6.12.79, Go 1.25.9"},
         "pull_request": {"number": 7, "url": "https://github.com/acme/infra/pull/7", "branch": "b"}}


class FakeSns:
    def __init__(self):
        self.calls = []

    def publish(self, **kwargs):
        self.calls.append(kwargs)
        return {"MessageId": "m-1"}


class NotifierTests(unittest.TestCase):
    def test_subject(self):
        self.assertEqual(notifier.format_subject(EVENT),
                         "EKS AMI update: PR #7 for ami-04b406d4e6eaca578 (risk 2/10, APPROVE)")

    def test_subject_is_ascii_and_at_most_100_characters(self):
        event = dict(EVENT, analysis={"risk_score": 3, "recommendation": "APPROVE—" + "x" * 100})
        subject = notifier.format_subject(event)
        self.assertEqual(len(subject), 100)
        self.assertTrue(all(32 <= ord(c) < 127 for c in subject))
        self.assertIn("APPROVE?", subject)

    def test_message(self):
        message = notifier.format_message(EVENT)
        self.assertIn("Pull request: #7 https://github.com/acme/infra/pull/7", message)
        self.assertIn("AI risk:      2/10, APPROVE", message)
        self.assertIn("Summary:      Kernel 6.12.79, Go 1.25.9", message)
        self.assertIn("Previous AMI: ami-0123456789abcdef0", message)

    def test_publish(self):
        sns = FakeSns()
        self.assertEqual(notifier.notify(EVENT, sns, "arn:aws:sns:us-east-1:111122223333:ami", log=lambda line: None), {"message_id": "m-1"})
        (call,) = sns.calls
        self.assertEqual(call["TopicArn"], "arn:aws:sns:us-east-1:111122223333:ami")
        self.assertEqual(call["Subject"], notifier.format_subject(EVENT))
        self.assertEqual(call["Message"], notifier.format_message(EVENT))

    def test_incomplete_event_names_what_is_missing(self):
        for event, message in (({"new_ami_id": "ami-12345678"}, "the event lacks pull_request"),
                               (dict(EVENT, pull_request={"number": 7}), "the event lacks pull_request.url")):
            with self.assertRaises(ValueError) as caught:
                notifier.notify(event, FakeSns(), "arn")
            self.assertEqual(str(caught.exception), message)

    def test_missing_topic_is_a_clear_error(self):
        import os
        saved = os.environ.pop("TOPIC_ARN", None)
        try:
            with self.assertRaises(ValueError) as caught:
                notifier.lambda_handler(EVENT, None)
            self.assertEqual(str(caught.exception), "TOPIC_ARN must be set")
        finally:
            if saved is not None:
                os.environ["TOPIC_ARN"] = saved


if __name__ == "__main__":
    unittest.main()
