#!/usr/bin/env python3
"""Formation's rule pack beside checkov (the pinned checkov, an outside judge like cfn-lint).

    python3 scripts/checkov-compare.py --formation .build/debug/formation --checkov .cache/checkov-3.3.30/bin/checkov \
        --corpus snapshots snapshots/*.json snapshots/*.yaml \
        --corpus "cfn-lint fixtures" $(find .cache/cfn-lint-1.58.0/test/fixtures/templates/good ... ) \
        [--doc docs/checkov.md]

`make checkov-report` runs it (DOC=1 rewrites the generated part of docs/checkov.md). It:

* lists checkov's CloudFormation checks (`checkov --list --framework cloudformation`) and fails
  unless scripts/checkov_mapping.py says, for every one, the Formation rule that covers it or
  why none does (and names no check checkov lacks);
* runs both tools once per corpus on the same files (checkov with one `--file` per template,
  Formation's `validate --template` with `--output-format json`), timing each run's wall clock;
* compares per resource, for every check mapped to Formation rules: both flag, only checkov,
  only Formation (Formation flags while checkov passed or did not look). Suppressions count as
  what they are: a resource checkov skipped is neither.

Writes the report (markdown) to standard output, or between `<!-- generated:begin -->` and
`<!-- generated:end -->` of --doc.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkov_mapping import MAPPING  # noqa: E402

BEGIN = "<!-- generated:begin -->"
END = "<!-- generated:end -->"
COMPARED = ("same", "narrower", "partly")


def fail(message):
    print(f"checkov-compare: {message}", file=sys.stderr)
    sys.exit(1)


def checkov_checks(checkov):
    """checkov's CloudFormation checks: id → (entities, policy)."""
    result = subprocess.run([checkov, "--list", "--framework", "cloudformation", "--skip-download"], capture_output=True, text=True)
    checks = collections.OrderedDict()
    for line in result.stdout.splitlines():
        if not line.startswith("|") or "Cloudformation" not in line:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        check_id, entity, policy = cells[1], cells[3], cells[4]
        entry = checks.setdefault(check_id, ([], policy))
        entry[0].append(entity)
    if not checks:
        fail(f"checkov --list printed no CloudFormation checks (exit {result.returncode}): {result.stderr[-300:]}")
    return checks


def checkov_command(checkov, files):
    arguments = [checkov, "--framework", "cloudformation", "-o", "json", "--skip-download", "--compact"]
    for path in files:
        arguments += ["--file", path]
    return arguments


def crashing(checkov, files):
    """The files on which checkov crashes (exit status other than 0 or 1), found by halving."""
    result = subprocess.run(checkov_command(checkov, files), capture_output=True, text=True)
    if result.returncode in (0, 1):
        return []
    if len(files) == 1:
        return files
    middle = len(files) // 2
    return crashing(checkov, files[:middle]) + crashing(checkov, files[middle:])


def run_checkov(checkov, files):
    """(failed, passed, skipped) sets of (file, logical ID, check ID), and the wall time."""
    start = time.monotonic()
    result = subprocess.run(checkov_command(checkov, files), capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if result.returncode not in (0, 1):
        fail(f"checkov exited {result.returncode}: {result.stderr[-500:]}")
    document = json.loads(result.stdout) if result.stdout.strip() else []
    reports = document if isinstance(document, list) else [document]
    sets = {"failed": set(), "passed": set(), "skipped": set()}
    parse_errors = 0
    for report in reports:
        if report.get("check_type") not in (None, "cloudformation"):
            continue
        results = report.get("results", {})
        parse_errors += len(results.get("parsing_errors", []))
        for kind in sets:
            for check in results.get(f"{kind}_checks", []):
                logical = check["resource"].split(".", 1)[1] if "." in check["resource"] else check["resource"]
                sets[kind].add((os.path.realpath(check["file_abs_path"]), logical, check["check_id"]))
    return sets, elapsed, parse_errors


def run_formation(formation, files):
    """(file, logical ID) → set of rule IDs Formation reports, the same for the findings its
    suppressions silenced (SARIF lists those with `suppressions`), and the wall time."""
    start = time.monotonic()
    result = subprocess.run([formation, "validate", "--template", *files, "--output-format", "sarif"], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if result.returncode not in (0, 1):
        fail(f"formation exited {result.returncode}: {result.stderr[-500:]}")
    run = json.loads(result.stdout)["runs"][0]
    found = collections.defaultdict(set)
    suppressed = collections.defaultdict(set)
    for entry in run["results"]:
        if not entry.get("properties", {}).get("finding"):
            continue
        location = entry["locations"][0]
        logical = location.get("logicalLocations", [{}])[0]
        if logical.get("kind") != "resource":
            continue
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        path = os.path.realpath(unquote(uri[len("file://"):] if uri.startswith("file://") else uri))
        target = suppressed if entry.get("suppressions") else found
        target[(path, logical["name"])].add(entry["ruleId"])
    return found, suppressed, elapsed


def resource_types(files):
    """(file, logical ID) → resource type, read with cfn-lint's decoder (the pinned cfn-lint)."""
    from cfnlint.decode import decode
    types = {}
    for path in files:
        template, _ = decode(path)
        resources = (template or {}).get("Resources") if isinstance(template, dict) else None
        if not isinstance(resources, dict):
            continue
        for logical, body in resources.items():
            if isinstance(body, dict) and isinstance(body.get("Type"), str):
                types[(path, logical)] = body["Type"]
    return types


def compare(check_id, rules, entities, checkov_sets, formation, suppressed, types):
    """Both / only checkov / only Formation for one mapped check, over the resource types the
    check looks at; and which of Formation's were suppressed (with a reason) in the template."""
    failed = {(f, r) for f, r, c in checkov_sets["failed"] if c == check_id}
    skipped = {(f, r) for f, r, c in checkov_sets["skipped"] if c == check_id}
    def mine(table):
        return {key for key, codes in table.items() if codes & set(rules) and types.get(key) in entities}
    flagged = mine(formation) | mine(suppressed)
    both = failed & flagged
    only_checkov = failed - flagged
    only_formation = flagged - failed - skipped
    return both, only_checkov, only_formation, flagged & mine(suppressed)


def short(path, root):
    return os.path.relpath(path, root)


def report(corpora, checks, root):
    lines = []
    lines.append("### Wall time, same files, one process each")
    lines.append("")
    lines.append("| corpus | templates | checkov 3.3.30 | Formation | checkov findings | Formation findings |")
    lines.append("|---|---|---|---|---|---|")
    for name, files, checkov_sets, checkov_time, parse_errors, formation, formation_time, _, suppressed, _ in corpora:
        findings = sum(len(codes) for codes in formation.values())
        quiet = sum(len(codes) for codes in suppressed.values())
        note = f" ({parse_errors} not parsed)" if parse_errors else ""
        lines.append(f"| {name} | {len(files)}{note} | {checkov_time:.2f} s | {formation_time:.2f} s | "
                     f"{len(checkov_sets['failed'])} failed checks | {findings} (+ {quiet} suppressed with a reason) |")
    lines.append("")
    lines.append("Formation's count is rule findings (validity diagnostics left out); checkov's is failed checks.")
    for name, _, _, _, _, _, _, crashed, _, _ in corpora:
        if crashed:
            lines.append(f"checkov crashed (exit 2, a Python exception) on {len(crashed)} template(s) of {name}, left out of both runs: " +
                         ", ".join(short(f, root) for f in crashed) + ".")
    lines.append("")
    for name, files, checkov_sets, _, _, formation, _, _, suppressed, types in corpora:
        lines.append(f"### Agreement per mapped check: {name}")
        lines.append("")
        lines.append("Per resource: both flag it / only checkov / only Formation. Checks that flagged nothing on either side are left out.")
        lines.append("")
        lines.append("| checkov | Formation | relation | both | only checkov | only Formation | Formation's suppressed | examples of disagreement |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for check_id, (rules, relation, _) in MAPPING.items():
            if relation not in COMPARED or not rules:
                continue
            both, only_checkov, only_formation, quiet = compare(check_id, rules, set(checks[check_id][0]), checkov_sets, formation, suppressed, types)
            if not (both or only_checkov or only_formation):
                continue
            examples = [f"checkov: {short(f, root)} {r}" for f, r in sorted(only_checkov)[:2]]
            examples += [f"Formation: {short(f, root)} {r}" for f, r in sorted(only_formation)[:2]]
            lines.append(f"| {check_id} | {', '.join(rules)} | {relation} | {len(both)} | {len(only_checkov)} | {len(only_formation)} | {len(quiet)} | "
                         f"{'; '.join(examples)} |")
        lines.append("")
        unmapped = collections.Counter()
        for (f, r, c) in checkov_sets["failed"]:
            if MAPPING[c][1] not in COMPARED or not MAPPING[c][0]:
                unmapped[c] += 1
        if unmapped:
            lines.append(f"checkov's failed checks with no Formation counterpart ({name}): " +
                         ", ".join(f"{c} {n} ({MAPPING[c][1]})" for c, n in sorted(unmapped.items(), key=lambda x: (-x[1], x[0]))) + ".")
            lines.append("")
        mapped_rules = {rule for rules, relation, _ in MAPPING.values() if relation in COMPARED for rule in rules}
        own = collections.Counter(code for table in (formation, suppressed) for codes in table.values() for code in codes if code not in mapped_rules)
        if own:
            lines.append(f"Formation findings of rules no checkov check maps to ({name}): " +
                         ", ".join(f"{c} {n}" for c, n in sorted(own.items())) + ".")
            lines.append("")
    lines.append("### Every checkov CloudFormation check")
    lines.append("")
    relations = collections.Counter(relation for _, relation, _ in MAPPING.values())
    lines.append(f"{len(checks)} checks: " + ", ".join(f"{n} {r}" for r, n in sorted(relations.items(), key=lambda x: -x[1])) + ".")
    lines.append("")
    lines.append("| checkov | resource types | checkov says | Formation | relation | note |")
    lines.append("|---|---|---|---|---|---|")
    for check_id, (entities, policy) in checks.items():
        rules, relation, note = MAPPING[check_id]
        shown = ", ".join(entities[:3]) + (f" and {len(entities) - 3} more" if len(entities) > 3 else "")
        lines.append(f"| {check_id} | {shown} | {policy.replace('|', '/')} | {', '.join(rules) or '—'} | {relation} | {note.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--formation", required=True)
    parser.add_argument("--checkov", required=True)
    parser.add_argument("--corpus", nargs="+", action="append", required=True, metavar=("NAME", "FILE"))
    parser.add_argument("--doc")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    checks = checkov_checks(args.checkov)
    missing = [c for c in checks if c not in MAPPING]
    extra = [c for c in MAPPING if c not in checks]
    if missing or extra:
        fail(f"scripts/checkov_mapping.py is out of date: checks without an entry {missing}, entries checkov lacks {extra}")

    # Suppressions.foreign's checkov IDs must be checks this table calls the same (or narrower).
    suppressions = os.path.join(root, "Sources", "Formation", "Validation", "Suppressions.swift")
    with open(suppressions, encoding="utf-8") as handle:
        text = handle.read()
    for check_id, rules in re.findall(r'"(CKV2?_AWS_\d+)": \[([^\]]*)\]', text):
        named = re.findall(r'"(FM\d+)"', rules)
        mapped, relation, _ = MAPPING.get(check_id, ([], "missing", ""))
        if relation not in ("same", "narrower") or sorted(named) != sorted(mapped):
            fail(f"Suppressions.swift maps checkov {check_id} to {named}, but scripts/checkov_mapping.py says {mapped} ({relation})")

    corpora = []
    for name, *files in args.corpus:
        files = sorted(os.path.realpath(f) for f in files)
        if not files:
            fail(f"corpus {name}: no files")
        crashed = crashing(args.checkov, files)
        files = [f for f in files if f not in crashed]
        checkov_sets, checkov_time, parse_errors = run_checkov(args.checkov, files)
        formation, suppressed, formation_time = run_formation(args.formation, files)
        types = resource_types(files)
        corpora.append((name, files, checkov_sets, checkov_time, parse_errors, formation, formation_time, crashed, suppressed, types))
    text = report(corpora, checks, root)
    if args.doc:
        with open(args.doc, encoding="utf-8") as handle:
            doc = handle.read()
        if BEGIN not in doc or END not in doc:
            fail(f"{args.doc} has no {BEGIN} … {END}")
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(args.doc, "w", encoding="utf-8") as handle:
            handle.write(head + BEGIN + "\n" + text + END + tail)
        print(f"checkov-compare: wrote {args.doc}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
