"""Code assets: the content-addressed ZIPs `formation synth --out` writes beside the templates.

A function whose code is too large to inline refers to a ZIP as `S3Bucket: !Ref AssetBucket`,
`S3Key: <sha256>.zip`; `formation deploy-args` prints `AssetBucket=<fill in: S3 bucket holding
the code assets>` and, on stderr, a note with one `aws s3 cp <out>/<sha256>.zip
's3://<AssetBucket>/<sha256>.zip'` per asset. The harness creates a bucket in moto for each stack,
runs exactly those commands with `<AssetBucket>` replaced by the bucket's name (which proves
they are right: the stack creates only if the keys and files match what the template names),
and fills the parameter with the same name in both deploy forms.

Pure functions here (unit-tested in test_harness.py); e2e.py runs the commands.
"""

import base64
import hashlib
import os
import re
import shlex

# The value deploy-args prints for the asset bucket parameter (DeployPlan.Override.argument).
BUCKET_PLACEHOLDER = "<fill in: S3 bucket holding the code assets>"
UPLOAD_NOTE = re.compile(r"^note: upload (\d+) code assets? to the asset bucket")
KEY_PATTERN = re.compile(r"^([0-9a-f]{64})\.zip$")


class AssetError(Exception):
    """The printed upload commands do not match the template or the files synth wrote."""


def bucket_parameters(printed):
    """The parameters the printed command leaves as the asset bucket placeholder, in order."""
    return [name for name, value in printed.items() if value == BUCKET_PLACEHOLDER]


def upload_commands(notes):
    """The `aws s3 cp` lines of deploy-args' upload note (stderr text), in order; [] without one.
    Raises AssetError when the note announces another number of commands than it lists."""
    lines = notes.splitlines()
    for index, line in enumerate(lines):
        match = UPLOAD_NOTE.match(line)
        if not match:
            continue
        commands = []
        for following in lines[index + 1:]:
            if not following.startswith("  "):
                break
            commands.append(following.strip())
        if len(commands) != int(match.group(1)) or not all(c.startswith("aws s3 cp ") for c in commands):
            raise AssetError(f"deploy-args announced {match.group(1)} upload command(s) and listed {commands}")
        return commands
    return []


def with_bucket(command, parameter, bucket):
    """A printed upload command with `<parameter>` (the bucket placeholder in its s3:// URL)
    replaced by `bucket` (S3 bucket names need no shell quoting, so the quoting stays right)."""
    placeholder = f"<{parameter}>"
    if placeholder not in command:
        raise AssetError(f"upload command has no {placeholder} to fill in: {command}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise AssetError(f"{bucket!r} is not an S3 bucket name")
    return command.replace(placeholder, bucket)


def parse_upload(command):
    """(source file, bucket, key) of `aws s3 cp SOURCE s3://BUCKET/KEY`, read the way a shell
    reads it. Raises AssetError for anything else."""
    words = shlex.split(command)
    if len(words) != 5 or words[:3] != ["aws", "s3", "cp"] or not words[4].startswith("s3://"):
        raise AssetError(f"not an 'aws s3 cp FILE s3://BUCKET/KEY' command: {command}")
    bucket, _, key = words[4][len("s3://"):].partition("/")
    if not bucket or not key:
        raise AssetError(f"no bucket and key in {words[4]}: {command}")
    return words[3], bucket, key


def template_assets(template):
    """{logical ID: (bucket parameter, key)} for every Lambda function (or layer) whose code is
    an S3 object named by a literal key in a bucket given by `Ref` to a parameter. Raises
    AssetError for an S3 code location of another shape (the harness would not know what to
    upload)."""
    found = {}
    for logical_id, body in (template.get("Resources") or {}).items():
        properties = body.get("Properties") or {}
        code = properties.get("Code") if body.get("Type") == "AWS::Lambda::Function" else \
            properties.get("Content") if body.get("Type") == "AWS::Lambda::LayerVersion" else None
        if not isinstance(code, dict) or "S3Key" not in code:
            continue
        bucket, key = code.get("S3Bucket"), code["S3Key"]
        if not (isinstance(bucket, dict) and set(bucket) == {"Ref"} and isinstance(key, str)):
            raise AssetError(f"{logical_id}: code at S3Bucket {bucket!r}, S3Key {key!r}; expected Ref to a parameter and a literal key")
        found[logical_id] = (bucket["Ref"], key)
    return found


def file_digest(path):
    """(size, hex SHA-256, base64 SHA-256 as Lambda reports CodeSha256, hex MD5 as S3's
    single-part ETag) of a file."""
    with open(path, "rb") as handle:
        data = handle.read()
    sha = hashlib.sha256(data)
    return {"size": len(data), "sha256": sha.hexdigest(), "code_sha256": base64.b64encode(sha.digest()).decode(),
            "md5": hashlib.md5(data).hexdigest()}


def plan_uploads(template, commands, parameter, bucket, out_dir):
    """Checks the printed upload commands against the template and the files synth wrote and
    returns ([command with the bucket filled in], {key: file digest + path}).

    Every key the template names must be uploaded by exactly one command, to the bucket the
    parameter names; every command must upload a file synth wrote into out_dir whose SHA-256 is
    its key, and only keys the template names. Raises AssetError naming what differs."""
    wanted = template_assets(template)
    parameters = {p for p, _ in wanted.values()}
    if wanted and parameters != {parameter}:
        raise AssetError(f"the template's code assets are in the bucket(s) {sorted(parameters)}; "
                         f"deploy-args left {parameter} to fill in")
    keys = {key for _, key in wanted.values()}
    filled, uploaded = [], {}
    for command in commands:
        command = with_bucket(command, parameter, bucket)
        source, target_bucket, key = parse_upload(command)
        if target_bucket != bucket:
            raise AssetError(f"upload command writes to bucket {target_bucket}, not {bucket}: {command}")
        if key in uploaded:
            raise AssetError(f"two upload commands write {key}")
        if key not in keys:
            raise AssetError(f"upload command writes {key}, which no function of the template names (it names {sorted(keys)})")
        if os.path.dirname(os.path.abspath(source)) != os.path.abspath(out_dir):
            raise AssetError(f"upload command reads {source}, not a file of the synth --out directory {out_dir}")
        if not os.path.isfile(source):
            raise AssetError(f"upload command reads {source}, which synth --out did not write")
        digest = file_digest(source)
        name = KEY_PATTERN.match(os.path.basename(source))
        if os.path.basename(source) != key or not name or name.group(1) != digest["sha256"]:
            raise AssetError(f"{source} has SHA-256 {digest['sha256']}; its upload key is {key}")
        uploaded[key] = dict(digest, path=source)
        filled.append(command)
    missing = sorted(keys - set(uploaded))
    if missing:
        raise AssetError(f"no upload command for {missing}, which the template names")
    return filled, uploaded


def bucket_name(stack_name):
    """The moto bucket for one stack's assets: a valid S3 name derived from the stack's."""
    stem = re.sub(r"[^a-z0-9-]+", "-", stack_name.lower()).strip("-")
    return f"formation-e2e-assets-{stem}"[:63].rstrip("-")
