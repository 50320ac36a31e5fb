import json
import unittest

import detector
from ami_file import AmiFileError


class ClientError(Exception):
    """Shaped like botocore's: the code is in response["Error"]["Code"]."""

    def __init__(self, code):
        super().__init__(code)
        self.response = {"Error": {"Code": code, "Message": code}}


class FakeSsm:
    def __init__(self, values):
        self.values = values
        self.names = []

    def get_parameter(self, Name):
        self.names.append(Name)
        if Name not in self.values:
            raise ClientError("AccessDeniedException")
        return {"Parameter": {"Name": Name, "Value": self.values[Name]}}


class FakeSfn:
    def __init__(self, error=None):
        self.error = error
        self.calls = []

    def start_execution(self, **kwargs):
        self.calls.append(kwargs)
        if self.error:
            raise self.error
        return {"executionArn": "arn:aws:states:us-east-1:111122223333:execution:AmiUpdate:" + kwargs["name"]}


ENV = {
    "EKS_VERSION": "1.34",
    "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:111122223333:stateMachine:AmiUpdate",
    "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:github-app",
    "GITHUB_REPO_OWNER": "acme",
    "GITHUB_REPO_NAME": "infra",
    "GITHUB_FILE_PATH": "karpenter/nodeclass.yaml",
}
IMAGE = "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id"
RELEASE = "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/release_version"
FILE = "spec:\n  amiSelectorTerms:\n    - id: ami-0123456789abcdef0\n"


class DetectorTests(unittest.TestCase):
    def setUp(self):
        self.config = detector.Config(ENV)
        self.reads = []
        self.logs = []

    def read_file(self, path, ref):
        self.reads.append((path, ref))
        return FILE

    def test_parameter_names(self):
        self.assertEqual(detector.image_id_parameter("1.34"), IMAGE)
        self.assertEqual(detector.release_version_parameter("1.34"), RELEASE)

    def test_up_to_date_starts_nothing(self):
        sfn = FakeSfn()
        result = detector.detect(self.config, FakeSsm({IMAGE: "ami-0123456789abcdef0"}), self.read_file, sfn,
                                 self.logs.append)
        self.assertEqual(result, {"status": "up-to-date", "ami_id": "ami-0123456789abcdef0"})
        self.assertEqual(sfn.calls, [])
        self.assertEqual(self.reads, [("karpenter/nodeclass.yaml", "main")])

    def test_new_ami_starts_one_named_execution(self):
        sfn = FakeSfn()
        ssm = FakeSsm({IMAGE: "ami-04b406d4e6eaca578\n", RELEASE: "1.34.1-20250403"})
        result = detector.detect(self.config, ssm, self.read_file, sfn, self.logs.append)
        self.assertEqual(result["status"], "started")
        (call,) = sfn.calls
        self.assertEqual(call["stateMachineArn"], ENV["STATE_MACHINE_ARN"])
        self.assertEqual(call["name"], "ami-update-ami-04b406d4e6eaca578")
        self.assertEqual(json.loads(call["input"]), {
            "new_ami_id": "ami-04b406d4e6eaca578", "previous_ami_id": "ami-0123456789abcdef0",
            "eks_version": "1.34", "release_version": "1.34.1-20250403"})

    def test_same_ami_again_is_not_a_second_workflow(self):
        sfn = FakeSfn(error=ClientError("ExecutionAlreadyExists"))
        result = detector.detect(self.config, FakeSsm({IMAGE: "ami-04b406d4e6eaca578"}), self.read_file, sfn,
                                 self.logs.append)
        self.assertEqual(result["status"], "already-started")

    def test_other_start_errors_propagate(self):
        sfn = FakeSfn(error=ClientError("AccessDeniedException"))
        with self.assertRaises(ClientError):
            detector.detect(self.config, FakeSsm({IMAGE: "ami-04b406d4e6eaca578"}), self.read_file, sfn,
                            self.logs.append)

    def test_missing_release_version_is_logged_not_fatal(self):
        sfn = FakeSfn()
        detector.detect(self.config, FakeSsm({IMAGE: "ami-04b406d4e6eaca578"}), self.read_file, sfn, self.logs.append)
        self.assertIsNone(json.loads(sfn.calls[0]["input"])["release_version"])
        self.assertIn("release_version_unavailable", self.logs[0])

    def test_bad_parameter_value_is_an_error(self):
        with self.assertRaises(ValueError) as caught:
            detector.detect(self.config, FakeSsm({IMAGE: "none"}), self.read_file, FakeSfn(), self.logs.append)
        self.assertIn("holds 'none', not an AMI id", str(caught.exception))

    def test_ambiguous_file_is_an_error(self):
        read = lambda path, ref: "a: ami-12345678\nb: ami-87654321\n"
        with self.assertRaises(AmiFileError):
            detector.detect(self.config, FakeSsm({IMAGE: "ami-04b406d4e6eaca578"}), read, FakeSfn(), self.logs.append)

    def test_config(self):
        self.assertEqual(self.config.branch, "main")
        self.assertEqual(detector.Config(dict(ENV, GITHUB_BRANCH="prod")).branch, "prod")
        for env, message in (({k: v for k, v in ENV.items() if k != "SECRET_ARN"}, "SECRET_ARN must be set"),
                             (dict(ENV, EKS_VERSION="v1.34"), "EKS_VERSION must look like 1.34, not 'v1.34'")):
            with self.assertRaises(detector.ConfigError) as caught:
                detector.Config(env)
            self.assertEqual(str(caught.exception), message)


if __name__ == "__main__":
    unittest.main()
