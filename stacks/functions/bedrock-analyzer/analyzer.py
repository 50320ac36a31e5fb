"""Asks Bedrock to assess an EKS AMI update from the AMI's real release notes.

Environment: MODEL_ID, GUARDRAIL_ID, GUARDRAIL_VERSION,
RELEASE_NOTES_REPO (default awslabs/amazon-eks-ami), MAX_NOTES_CHARS (default 12000).

Event (the detector's execution input):
  {"new_ami_id", "previous_ami_id", "eks_version", "release_version"}
Answer: the event plus
  "analysis": {"risk_score": 1-10, "recommendation": "APPROVE" | "REJECT", "summary",
               "pr_description", "complete": whether the model's answer had every field}

A model answer that cannot be read, or that the guardrail blocks, gives risk 10 and REJECT: the
pull request still opens, and the reviewer sees why the analysis is missing.
"""

import json
import math
import os
import re
import urllib.error
import urllib.request

DEFAULT_NOTES_REPO = "awslabs/amazon-eks-ami"
EXPECTED_FIELDS = ("risk_score", "recommendation", "summary", "pr_description")
MAX_SUMMARY_CHARS = 200


class ConfigError(ValueError):
    """An environment variable is missing or unusable."""


def release_tag(release_version):
    """The amazon-eks-ami release tag of a release version: ``1.34.1-20250403`` → ``v20250403``."""
    match = re.search(r"(\d{8})$", release_version or "")
    return "v" + match.group(1) if match else None


def fetch_release_notes(repo, tag, max_chars, opener=urllib.request.urlopen):
    """The release notes (markdown) of ``tag``, or of the latest release when ``tag`` is None."""
    path = "releases/tags/" + tag if tag else "releases/latest"
    request = urllib.request.Request("https://api.github.com/repos/%s/%s" % (repo, path), headers={
        "Accept": "application/vnd.github+json", "User-Agent": "eks-ami-update-bot"})
    with opener(request, timeout=10) as response:
        data = json.loads(response.read().decode("utf-8"))
    notes = "# %s\n\n%s" % (data.get("name") or data.get("tag_name") or "", data.get("body") or "")
    if len(notes) > max_chars:
        notes = notes[:max_chars] + "\n\n[release notes truncated]"
    return notes


def build_prompt(new_ami_id, previous_ami_id, eks_version, release_notes):
    """The analysis prompt: the two AMIs, the release notes, and the JSON shape to answer in."""
    return (
        "You review Amazon EKS worker node AMI updates for a platform team.\n"
        "Assess the risk of moving the cluster's nodes to the new AMI, using only the release notes below.\n\n"
        "EKS version: %s\nNew AMI ID: %s\nPrevious AMI ID: %s\n\n"
        "<release_notes>\n%s\n</release_notes>\n\n"
        "Answer with one JSON object and nothing else, with exactly these keys:\n"
        '  "risk_score": an integer from 1 (routine) to 10 (do not roll out),\n'
        '  "recommendation": "APPROVE" or "REJECT",\n'
        '  "summary": one line naming the actual changes,\n'
        '  "pr_description": a markdown pull request body with sections for what changed (packages and '
        "versions), CVEs fixed or introduced, the risk assessment, and review guidance.\n"
    ) % (eks_version, new_ami_id, previous_ami_id, release_notes)


def extract_json_object(text):
    """The first JSON object in ``text`` that has an expected key (else the first object; else
    None), wherever it sits: in a code fence, after prose, with trailing commas."""
    for candidate in (text, re.sub(r",\s*([}\]])", r"\1", text)):
        decoder, fallback = json.JSONDecoder(), None
        for index, char in enumerate(candidate):
            if char != "{":
                continue
            try:
                value, _ = decoder.raw_decode(candidate, index)
            except ValueError:
                continue
            if isinstance(value, dict):
                if any(field in value for field in EXPECTED_FIELDS):
                    return value
                fallback = fallback or value
        if fallback is not None:
            return fallback
    return None


def coerce_risk_score(value):
    """An integer 1–10 from 7, 7.4, "7", "7/10" or "risk 7 of 10"; None when there is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = re.search(r"-?\d+(?:\.\d+)?", value)
        number = float(match.group(0)) if match else None
    else:
        number = None
    if number is None or not math.isfinite(number):
        return None
    return min(10, max(1, int(math.floor(number + 0.5))))


def coerce_recommendation(value):
    """APPROVE or REJECT from "approve", "APPROVED", " Reject "; None for anything else."""
    if not isinstance(value, str):
        return None
    word = value.strip().upper()
    if word.startswith("APPROVE"):
        return "APPROVE"
    if word.startswith("REJECT"):
        return "REJECT"
    return None


def fail_safe(reason, raw=""):
    """The analysis used when the model's answer cannot be used: risk 10, REJECT."""
    description = "**The automated analysis is unavailable:** %s\n\nReview the release notes by hand." % reason
    if raw.strip():
        description += "\n\n<details><summary>Model answer</summary>\n\n```\n%s\n```\n</details>" % raw.strip()[:20000]
    return {"risk_score": 10, "recommendation": "REJECT", "summary": "Automated analysis unavailable: " + reason,
            "pr_description": description, "complete": False}


def parse_analysis(text):
    """The analysis in the model's answer, every field checked and normalized."""
    data = extract_json_object(text)
    if data is None:
        return fail_safe("the model's answer has no JSON object", text)
    risk = coerce_risk_score(data.get("risk_score"))
    recommendation = coerce_recommendation(data.get("recommendation"))
    summary = " ".join(str(data.get("summary") or "").split())
    description = str(data.get("pr_description") or "").strip()
    complete = None not in (risk, recommendation) and bool(summary) and bool(description)
    if risk is None or recommendation is None:
        # Without a score and a verdict there is no assessment to approve on.
        risk, recommendation = 10, "REJECT"
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS - 1] + "…"
    summary = summary or "No summary in the model's answer"
    description = description or "The model gave no description. Summary: " + summary
    return {"risk_score": risk, "recommendation": recommendation, "summary": summary,
            "pr_description": description, "complete": complete}


class Config:
    def __init__(self, env):
        def required(name):
            value = env.get(name, "").strip()
            if not value:
                raise ConfigError("%s must be set" % name)
            return value

        self.model_id = required("MODEL_ID")
        self.guardrail_id = required("GUARDRAIL_ID")
        self.guardrail_version = required("GUARDRAIL_VERSION")
        self.notes_repo = env.get("RELEASE_NOTES_REPO", "").strip() or DEFAULT_NOTES_REPO
        raw = env.get("MAX_NOTES_CHARS", "").strip() or "12000"
        if not raw.isdigit() or int(raw) <= 0:
            raise ConfigError("MAX_NOTES_CHARS must be a positive integer, not %r" % raw)
        self.max_notes_chars = int(raw)


def ask_model(bedrock, config, prompt):
    """(answer text, stop reason) of one Converse call through the guardrail."""
    response = bedrock.converse(
        modelId=config.model_id,
        messages=[{"role": "user", "content": [{"text": prompt}]}],
        inferenceConfig={"maxTokens": 2000, "temperature": 0},
        guardrailConfig={"guardrailIdentifier": config.guardrail_id,
                         "guardrailVersion": config.guardrail_version, "trace": "disabled"},
    )
    blocks = response.get("output", {}).get("message", {}).get("content", [])
    return "".join(block.get("text", "") for block in blocks), response.get("stopReason")


def analyze(event, config, bedrock, fetch_notes, log=print):
    """The event with its ``analysis`` added."""
    missing = [key for key in ("new_ami_id", "previous_ami_id") if not event.get(key)]
    if missing:
        raise ValueError("the event lacks %s" % ", ".join(missing))
    tag = release_tag(event.get("release_version"))
    try:
        notes = fetch_notes(config.notes_repo, tag, config.max_notes_chars)
    except (urllib.error.URLError, OSError, ValueError) as error:
        log(json.dumps({"event": "release_notes_unavailable", "tag": tag, "error": str(error)}))
        notes = "(The release notes could not be fetched: %s. Say so in the analysis.)" % error
    prompt = build_prompt(event["new_ami_id"], event["previous_ami_id"], event.get("eks_version", "unknown"), notes)
    text, stop_reason = ask_model(bedrock, config, prompt)
    if stop_reason == "guardrail_intervened":
        analysis = fail_safe("the Bedrock guardrail blocked the model's answer")
    else:
        analysis = parse_analysis(text)
    log(json.dumps({"event": "analysis", "risk_score": analysis["risk_score"],
                    "recommendation": analysis["recommendation"], "complete": analysis["complete"]}))
    return dict(event, analysis=analysis)


def lambda_handler(event, context):
    config = Config(os.environ)
    import boto3  # only in the Lambda runtime; unit tests call analyze() with fakes

    return analyze(event, config, boto3.client("bedrock-runtime"), fetch_release_notes)
