import unittest

import updater

NEW, OLD = "ami-04b406d4e6eaca578", "ami-0123456789abcdef0"
FILE = "spec:\n  amiSelectorTerms:\n    - id: %s  # pinned\n" % OLD
EVENT = {"new_ami_id": NEW, "previous_ami_id": OLD, "eks_version": "1.34", "release_version": "1.34.1-20250403",
         "analysis": {"risk_score": 2, "recommendation": "APPROVE", "summary": "Kernel update",
                      "pr_description": "### What changed\n- Kernel 6.12.79"}}
ENV = {"SECRET_ARN": "arn:secret", "GITHUB_REPO_OWNER": "acme", "GITHUB_REPO_NAME": "infra",
       "GITHUB_FILE_PATH": "karpenter/nodeclass.yaml"}


class FakeRepo:
    """The GitHubRepo interface over an in-memory repository."""

    def __init__(self, files):
        self.branches = {"main": dict(files)}
        self.pulls = []
        self.log = []

    def branch_head(self, branch):
        self.log.append(("head", branch))
        return "sha-" + branch

    def create_branch(self, branch, sha):
        self.log.append(("create_branch", branch, sha))
        if branch in self.branches:
            return False
        self.branches[branch] = dict(self.branches["main"])
        return True

    def read_file(self, path, ref):
        self.log.append(("read", path, ref))
        return self.branches[ref][path], "blob-" + ref

    def write_file(self, path, branch, text, blob_sha, message):
        self.log.append(("write", path, branch, blob_sha, message))
        self.branches[branch][path] = text
        return "commit"

    def open_pull_request(self, head, base, title, body):
        self.log.append(("pull", head, base, title))
        for pull in self.pulls:
            if pull["head"] == head:
                return pull
        pull = {"number": len(self.pulls) + 1, "html_url": "https://github.com/acme/infra/pull/%d" % (len(self.pulls) + 1),
                "head": head, "body": body}
        self.pulls.append(pull)
        return pull


class UpdaterTests(unittest.TestCase):
    def setUp(self):
        self.config = updater.Config(ENV)
        self.repo = FakeRepo({"karpenter/nodeclass.yaml": FILE})
        self.logs = []

    def test_opens_a_pull_request_with_a_one_line_change(self):
        result = updater.open_update_pr(EVENT, self.config, self.repo, self.logs.append)
        branch = "eks-ami-update/" + NEW
        self.assertEqual(result["pull_request"], {"number": 1, "url": "https://github.com/acme/infra/pull/1",
                                                  "branch": branch})
        self.assertEqual(self.repo.branches[branch]["karpenter/nodeclass.yaml"], FILE.replace(OLD, NEW))
        self.assertEqual(self.repo.branches["main"]["karpenter/nodeclass.yaml"], FILE)
        self.assertIn(("write", "karpenter/nodeclass.yaml", branch, "blob-" + branch,
                       "Update EKS node AMI from %s to %s" % (OLD, NEW)), self.repo.log)
        self.assertEqual(self.repo.log[-1], ("pull", branch, "main", "EKS AMI update: %s (risk 2/10, APPROVE)" % NEW))

    def test_second_run_reuses_branch_commit_and_pull_request(self):
        updater.open_update_pr(EVENT, self.config, self.repo, self.logs.append)
        self.repo.log.clear()
        result = updater.open_update_pr(EVENT, self.config, self.repo, self.logs.append)
        self.assertEqual(result["pull_request"]["number"], 1)
        self.assertFalse([entry for entry in self.repo.log if entry[0] == "write"])
        self.assertEqual(len(self.repo.pulls), 1)

    def test_body(self):
        body = updater.pr_body(EVENT)
        self.assertTrue(body.startswith("## EKS AMI Update — %s\n\n**AI risk score: 2/10 — APPROVE**\n\n### What changed" % NEW))
        self.assertIn("Previous AMI: `%s` · EKS 1.34 · release 1.34.1-20250403" % OLD, body)
        self.assertIn("*Close this PR to skip this AMI version.*", body)
        long_event = dict(EVENT, analysis=dict(EVENT["analysis"], pr_description="x" * 70000))
        self.assertLess(len(updater.pr_body(long_event)), 65536)

    def test_rejects_a_bad_ami_id(self):
        with self.assertRaises(ValueError) as caught:
            updater.open_update_pr(dict(EVENT, new_ami_id="ami-latest"), self.config, self.repo, self.logs.append)
        self.assertEqual(str(caught.exception), "the event's new_ami_id 'ami-latest' is not an AMI id")
        self.assertEqual(self.repo.log, [])

    def test_config(self):
        self.assertEqual(self.config.base_branch, "main")
        with self.assertRaises(updater.ConfigError) as caught:
            updater.Config(dict(ENV, GITHUB_FILE_PATH=""))
        self.assertEqual(str(caught.exception), "GITHUB_FILE_PATH must be set")


if __name__ == "__main__":
    unittest.main()
