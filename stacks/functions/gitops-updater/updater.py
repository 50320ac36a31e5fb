"""Opens the pull request that moves the node class to the new AMI, with the analysis as its body.

Environment: SECRET_ARN (GitHub App credentials: JSON with app_id, installation_id, private_key),
GITHUB_REPO_OWNER, GITHUB_REPO_NAME, GITHUB_FILE_PATH, GITHUB_BRANCH (default main).

Event: the analyzer's answer ({"new_ami_id", "previous_ami_id", "eks_version", "release_version",
"analysis": {...}}). Answer: the event plus "pull_request": {"number", "url", "branch"}.

Running it twice for one AMI is harmless: the branch, the commit and the pull request are each
reused when they already exist.
"""

import json
import os

import ami_file
import github_app

MAX_BODY_CHARS = 60000  # GitHub refuses pull request bodies over 65,536 characters


class ConfigError(ValueError):
    """An environment variable is missing or unusable."""


class Config:
    def __init__(self, env):
        def required(name):
            value = env.get(name, "").strip()
            if not value:
                raise ConfigError("%s must be set" % name)
            return value

        self.secret_arn = required("SECRET_ARN")
        self.repo_owner = required("GITHUB_REPO_OWNER")
        self.repo_name = required("GITHUB_REPO_NAME")
        self.file_path = required("GITHUB_FILE_PATH")
        self.base_branch = env.get("GITHUB_BRANCH", "").strip() or "main"


def branch_name(ami_id):
    """The branch for one AMI's update."""
    return "eks-ami-update/" + ami_id


def pr_title(ami_id, analysis):
    return "EKS AMI update: %s (risk %s/10, %s)" % (ami_id, analysis.get("risk_score", "?"),
                                                    analysis.get("recommendation", "REVIEW"))


def commit_message(new_id, old_id):
    return "Update EKS node AMI from %s to %s" % (old_id, new_id)


def pr_body(event):
    """The pull request description: the verdict, the model's description, and what merging does."""
    analysis = event.get("analysis") or {}
    description = str(analysis.get("pr_description") or "").strip() or "_No analysis was produced._"
    if len(description) > MAX_BODY_CHARS:
        description = description[:MAX_BODY_CHARS] + "\n\n_[analysis truncated]_"
    details = ["Previous AMI: `%s`" % event.get("previous_ami_id", "unknown")]
    if event.get("eks_version"):
        details.append("EKS %s" % event["eks_version"])
    if event.get("release_version"):
        details.append("release %s" % event["release_version"])
    return "\n".join([
        "## EKS AMI Update — %s" % event["new_ami_id"],
        "",
        "**AI risk score: %s/10 — %s**" % (analysis.get("risk_score", "?"), analysis.get("recommendation", "REVIEW")),
        "",
        description,
        "",
        "---",
        " · ".join(details),
        "",
        "*Merge this PR to roll the new AMI out (ArgoCD syncs the node class, Karpenter replaces the nodes).*",
        "*Close this PR to skip this AMI version.*",
        "",
    ])


def open_update_pr(event, config, repo, log=print):
    """Creates the branch, commits the one-line change, opens (or finds) the pull request."""
    new_id = event.get("new_ami_id")
    if not ami_file.is_ami_id(new_id):
        raise ValueError("the event's new_ami_id %r is not an AMI id" % (new_id,))
    branch = branch_name(new_id)
    created = repo.create_branch(branch, repo.branch_head(config.base_branch))
    text, blob_sha = repo.read_file(config.file_path, branch)
    committed = False
    if ami_file.current_ami_id(text) != new_id:
        new_text, old_id = ami_file.replace_ami_id(text, new_id)
        repo.write_file(config.file_path, branch, new_text, blob_sha, commit_message(new_id, old_id))
        committed = True
    pull = repo.open_pull_request(branch, config.base_branch, pr_title(new_id, event.get("analysis") or {}),
                                  pr_body(event))
    log(json.dumps({"event": "pull_request", "number": pull["number"], "branch": branch,
                    "branch_created": created, "committed": committed}))
    return dict(event, pull_request={"number": pull["number"], "url": pull["html_url"], "branch": branch})


def lambda_handler(event, context):
    config = Config(os.environ)
    import boto3  # only in the Lambda runtime; unit tests call open_update_pr() with fakes

    secret = boto3.client("secretsmanager").get_secret_value(SecretId=config.secret_arn)["SecretString"]
    repo = github_app.repo_from_secret(secret, config.repo_owner, config.repo_name)
    return open_update_pr(event, config, repo)
