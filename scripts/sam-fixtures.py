#!/usr/bin/env python3
"""cfn-lint's SAM fixtures through `formation validate --template`: how many good ones pass with no
error, how many bad ones are caught.

    python3 scripts/sam-fixtures.py --formation .build/debug/formation \
        --fixtures .cache/cfn-lint-1.58.0/test/fixtures/templates \
        [--max-good-with-errors N] [--max-bad-missed M]

The fixtures are the templates under good/ and bad/ (cfn-lint's sdist, `make cfn-lint-fixtures`)
whose Transform names AWS::Serverless-2016-10-31. One Formation process validates them all
(`--output-format json`). A good template passes when Formation reports no error; a bad one is
caught when it reports an error. Errors of validity and the rule pack's findings (`finding`:
least privilege, deprecated runtimes, …: opinions, not validity) are told apart, per file.

With --accepted DIR, every template in DIR (this repository's realistic SAM templates) must be
accepted by the pinned aws-sam-translator itself (translated offline: region us-east-1, no managed
policy lookups) and have no validity error from Formation: the translator is the oracle that
these are valid SAM.

Exit status: 2 when Formation crashes or its output cannot be read; 1 when more good templates
than N have validity errors, or more bad ones than M have none (the regression check
`make sam-fixtures-check` runs); 0 otherwise. The report goes to standard output.
"""
import argparse
import json
import os
import re
import subprocess
import sys

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
# A cheap filter before parsing: the transform's name appears in the file.
MENTION = re.compile(re.escape(SAM_TRANSFORM))


def fail(message):
    print(f"sam-fixtures: {message}", file=sys.stderr)
    sys.exit(2)


def declares_sam(path):
    """Whether the template's Transform (a string or a list) names SAM's transform, read with the
    pinned cfn-lint's decoder (the YAML short forms included)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        if not MENTION.search(handle.read()):
            return False
    from cfnlint.decode import decode

    template, _ = decode(path)
    if not isinstance(template, dict):
        return False
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return SAM_TRANSFORM in names


def translates(path):
    """Whether the pinned aws-sam-translator turns `path` into CloudFormation (offline)."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import logging

    from cfnlint.decode import decode
    from samtranslator.public.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform

    logging.getLogger("samtranslator").setLevel(logging.ERROR)

    class NoManagedPolicies:
        def load(self):
            return {}

    template, _ = decode(path)
    try:
        transform(template, {"AWS::Region": "us-east-1"}, NoManagedPolicies())
        return True
    except InvalidDocumentException as error:
        print(f"sam-fixtures: the translator refuses {path}: " + "; ".join(str(c.message) for c in error.causes),
              file=sys.stderr)
        return False


def fixtures(root, kind):
    found = []
    for directory, _, files in os.walk(os.path.join(root, kind)):
        for name in files:
            if name.endswith((".yaml", ".yml", ".json", ".template")):
                path = os.path.join(directory, name)
                if declares_sam(path):
                    found.append(path)
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formation", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--max-good-with-errors", type=int)
    parser.add_argument("--max-bad-missed", type=int)
    parser.add_argument("--accepted", help="a directory of SAM templates the translator accepts")
    args = parser.parse_args()

    accepted = sorted(os.path.join(args.accepted, name) for name in os.listdir(args.accepted)
                      if name.endswith((".yaml", ".json"))) if args.accepted else []
    rejected_by_translator = [path for path in accepted if not translates(path)]

    good, bad = fixtures(args.fixtures, "good"), fixtures(args.fixtures, "bad")
    if not good or not bad:
        fail(f"no SAM fixture under {args.fixtures} (run make cfn-lint-fixtures)")
    result = subprocess.run([args.formation, "validate", "--output-format", "json", "--template", *good, *bad, *accepted],
                            capture_output=True, text=True)
    if result.returncode not in (0, 1):
        fail(f"formation exited with {result.returncode}:\n{result.stderr[-2000:]}")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        fail(f"formation's JSON output does not parse: {error}")
    units = {unit["name"]: unit for unit in report.get("units", [])}

    def split(path):
        unit = units.get(path)
        if unit is None:
            fail(f"formation's report has no unit for {path}")
        errors = [d for d in unit["diagnostics"] if d["severity"] == "error"]
        return [d for d in errors if not d.get("finding")], [d for d in errors if d.get("finding")]

    def show(diagnostic):
        where = f":{diagnostic['line']}" if "line" in diagnostic else ""
        subject = diagnostic.get("logicalId") or diagnostic.get("path", "").rsplit("/", 1)[-1]
        return f"      {diagnostic['code']}{where} {subject}: {diagnostic['message'][:220]}"

    relative = lambda path: os.path.relpath(path, args.fixtures)  # noqa: E731
    good_with_errors, bad_missed = [], []
    print(f"SAM fixtures (Transform: {SAM_TRANSFORM}) of {args.fixtures}")
    print(f"\ngood: {len(good)} templates")
    for path in good:
        validity, findings = split(path)
        status = "error" if validity else ("rule finding" if findings else "pass")
        print(f"  {status:12} {relative(path)}")
        for diagnostic in validity + findings:
            print(show(diagnostic))
        if validity:
            good_with_errors.append(path)
    print(f"\nbad: {len(bad)} templates")
    bad_by_findings = 0
    for path in bad:
        validity, findings = split(path)
        status = "caught" if validity else ("finding only" if findings else "missed")
        print(f"  {status:12} {relative(path)}")
        for diagnostic in validity + findings:
            print(show(diagnostic))
        if not validity:
            bad_missed.append(path)
            bad_by_findings += bool(findings)
    good_clean = len(good) - len(good_with_errors)
    print(f"\nsummary: {good_clean} of {len(good)} good templates have no validity error; "
          f"{len(bad) - len(bad_missed)} of {len(bad)} bad templates are caught by a validity error "
          f"({bad_by_findings} more by rule findings only)")
    status = 0
    if accepted:
        print(f"\naccepted by aws-sam-translator (--accepted): {len(accepted)} templates")
        for path in accepted:
            validity, findings = split(path)
            verdict = "translator refuses" if path in rejected_by_translator else ("error" if validity else "pass")
            print(f"  {verdict:12} {path}")
            for diagnostic in validity:
                print(show(diagnostic))
            if validity or path in rejected_by_translator:
                status = 1
        if status:
            print("sam-fixtures: a template of --accepted is refused by the translator or has Formation errors", file=sys.stderr)
    if args.max_good_with_errors is not None and len(good_with_errors) > args.max_good_with_errors:
        print(f"sam-fixtures: {len(good_with_errors)} good templates have errors, more than the "
              f"{args.max_good_with_errors} explained in docs/sam.md", file=sys.stderr)
        status = 1
    if args.max_bad_missed is not None and len(bad_missed) > args.max_bad_missed:
        print(f"sam-fixtures: {len(bad_missed)} bad templates are not caught, more than the "
              f"{args.max_bad_missed} explained in docs/sam.md", file=sys.stderr)
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
