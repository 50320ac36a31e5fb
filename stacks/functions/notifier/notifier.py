"""Tells the team a pull request is waiting: one SNS message with the link and the summary.

Environment: TOPIC_ARN. Event: the updater's answer (with "pull_request" and "analysis").
Answer: {"message_id": ...}.
"""

import json
import os

MAX_SUBJECT_CHARS = 100  # SNS: ASCII, no line breaks, at most 100 characters


def format_subject(event):
    """A short subject: ``EKS AMI update: PR #7 for ami-… (risk 2/10, APPROVE)``."""
    analysis = event.get("analysis") or {}
    subject = "EKS AMI update: PR #%s for %s (risk %s/10, %s)" % (
        event["pull_request"]["number"], event["new_ami_id"], analysis.get("risk_score", "?"),
        analysis.get("recommendation", "REVIEW"))
    subject = "".join(c if 32 <= ord(c) < 127 else "?" for c in subject)
    return subject[:MAX_SUBJECT_CHARS]


def format_message(event):
    """The message body: what changed, the AI verdict, the link, what to do."""
    analysis = event.get("analysis") or {}
    pull = event["pull_request"]
    return "\n".join([
        "A new EKS-optimized AMI is available and a pull request is open for your review.",
        "",
        "Pull request: #%s %s" % (pull["number"], pull["url"]),
        "New AMI:      %s" % event["new_ami_id"],
        "Previous AMI: %s" % event.get("previous_ami_id", "unknown"),
        "AI risk:      %s/10, %s" % (analysis.get("risk_score", "?"), analysis.get("recommendation", "REVIEW")),
        "Summary:      %s" % (analysis.get("summary") or "no summary"),
        "",
        "Merge the pull request to roll the new AMI out; close it to skip this AMI.",
    ])


def validate(event):
    """Raises ValueError naming what the event lacks."""
    missing = [key for key in ("new_ami_id", "pull_request") if not event.get(key)]
    pull = event.get("pull_request") or {}
    missing += ["pull_request." + key for key in ("number", "url") if event.get("pull_request") and not pull.get(key)]
    if missing:
        raise ValueError("the event lacks %s" % ", ".join(missing))


def notify(event, sns, topic_arn, log=print):
    """Publishes the message; returns its id."""
    validate(event)
    response = sns.publish(TopicArn=topic_arn, Subject=format_subject(event), Message=format_message(event))
    log(json.dumps({"event": "notified", "message_id": response["MessageId"]}))
    return {"message_id": response["MessageId"]}


def lambda_handler(event, context):
    topic_arn = os.environ.get("TOPIC_ARN", "").strip()
    if not topic_arn:
        raise ValueError("TOPIC_ARN must be set")
    import boto3  # only in the Lambda runtime; unit tests call notify() with a fake

    return notify(event, boto3.client("sns"), topic_arn)
