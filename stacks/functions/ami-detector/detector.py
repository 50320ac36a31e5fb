"""Detects a new EKS-optimized AMI and starts the update workflow.

Reads the recommended Amazon Linux 2023 AMI id from the public SSM parameter, reads the AMI id the
node class file in GitHub names, and when they differ starts the Step Functions execution that
analyzes the update, opens the pull request and notifies the team. The execution is named after
the new AMI, so the twice-daily schedule never opens a second pull request for the same AMI.

Environment: EKS_VERSION, STATE_MACHINE_ARN, SECRET_ARN (GitHub App credentials),
GITHUB_REPO_OWNER, GITHUB_REPO_NAME, GITHUB_FILE_PATH, GITHUB_BRANCH (default main).
"""

import json
import os
import re

import ami_file
import github_app

PARAMETER_PATH = "/aws/service/eks/optimized-ami/{version}/amazon-linux-2023/x86_64/standard/recommended/"


class ConfigError(ValueError):
    """An environment variable is missing or unusable."""


class Config:
    def __init__(self, env):
        def required(name):
            value = env.get(name, "").strip()
            if not value:
                raise ConfigError("%s must be set" % name)
            return value

        self.eks_version = required("EKS_VERSION")
        if not re.fullmatch(r"\d+\.\d+", self.eks_version):
            raise ConfigError("EKS_VERSION must look like 1.34, not %r" % self.eks_version)
        self.state_machine_arn = required("STATE_MACHINE_ARN")
        self.secret_arn = required("SECRET_ARN")
        self.repo_owner = required("GITHUB_REPO_OWNER")
        self.repo_name = required("GITHUB_REPO_NAME")
        self.file_path = required("GITHUB_FILE_PATH")
        self.branch = env.get("GITHUB_BRANCH", "").strip() or "main"


def image_id_parameter(eks_version):
    """The public SSM parameter holding the recommended AMI id for ``eks_version``."""
    return PARAMETER_PATH.format(version=eks_version) + "image_id"


def release_version_parameter(eks_version):
    """The public SSM parameter holding that AMI's release version (``1.34.1-20250403``)."""
    return PARAMETER_PATH.format(version=eks_version) + "release_version"


def execution_name(ami_id):
    """The Step Functions execution name for an AMI: one execution per AMI, ever."""
    return "ami-update-" + ami_id


def error_code(error):
    """The AWS error code of a botocore ClientError (None for anything else)."""
    response = getattr(error, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


def latest_ami(ssm, eks_version, log=print):
    """(AMI id, release version or None) from the public parameters."""
    value = ssm.get_parameter(Name=image_id_parameter(eks_version))["Parameter"]["Value"].strip()
    if not ami_file.is_ami_id(value):
        raise ValueError("the SSM parameter %s holds %r, not an AMI id" % (image_id_parameter(eks_version), value))
    try:
        release = ssm.get_parameter(Name=release_version_parameter(eks_version))["Parameter"]["Value"].strip()
    except Exception as error:  # optional: the analysis falls back to the latest release notes
        log(json.dumps({"event": "release_version_unavailable", "error": str(error)}))
        release = None
    return value, release


def detect(config, ssm, read_file, sfn, log=print):
    """Compares the AMIs and starts the workflow when they differ; returns what happened."""
    new_id, release = latest_ami(ssm, config.eks_version, log)
    current_id = ami_file.current_ami_id(read_file(config.file_path, config.branch))
    if new_id == current_id:
        result = {"status": "up-to-date", "ami_id": current_id}
    else:
        payload = json.dumps({"new_ami_id": new_id, "previous_ami_id": current_id,
                              "eks_version": config.eks_version, "release_version": release}, sort_keys=True)
        result = {"new_ami_id": new_id, "previous_ami_id": current_id}
        try:
            started = sfn.start_execution(stateMachineArn=config.state_machine_arn,
                                          name=execution_name(new_id), input=payload)
            result.update(status="started", execution_arn=started["executionArn"])
        except Exception as error:
            if error_code(error) != "ExecutionAlreadyExists":
                raise
            result.update(status="already-started")
    log(json.dumps(dict(result, event="detection"), sort_keys=True))
    return result


def lambda_handler(event, context):
    config = Config(os.environ)
    import boto3  # only in the Lambda runtime; unit tests call detect() with fakes

    secret = boto3.client("secretsmanager").get_secret_value(SecretId=config.secret_arn)["SecretString"]
    repo = github_app.repo_from_secret(secret, config.repo_owner, config.repo_name)
    return detect(config, boto3.client("ssm"), lambda path, ref: repo.read_file(path, ref)[0],
                  boto3.client("stepfunctions"))
