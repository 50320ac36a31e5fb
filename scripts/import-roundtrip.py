#!/usr/bin/env python3
"""Round trip of cfn-lint's good template fixtures through `formation import`.

    python3 scripts/import-roundtrip.py --formation .build/debug/formation \
        --fixtures .cache/cfn-lint-1.58.0/test/fixtures/templates --checkout . [--work DIR]

`make import-roundtrip` runs it (after `make cfn-lint-fixtures`). Every plain CloudFormation
template of `good/` (selected as scripts/cfn-lint-fixtures.py selects them: no SAM or other
Transform, no Fn::ForEach, no Fn::Transform) is imported on its own first (`formation import`,
for its counts and to leave out what does not parse), then all of them into one project
(`formation init DIR --from … --formation-path CHECKOUT`). The project is built once
(`swift build --build-tests`, timed) and its test compares each stack's synthesized template
with the template it was imported from, as data. The report: how many round-trip exactly, the
resources typed and raw, the build time, and each difference.
"""

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load_fixtures_module():
    spec = importlib.util.spec_from_file_location("fixtures", os.path.join(HERE, "cfn-lint-fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COUNTS = re.compile(r"^wrote .*: stack (\S+) from (.*) \((\d+) typed, (\d+) raw resources, (\d+) raw property values\)$")
DIFFERS = re.compile(r"stack (\S+) differs from imported/(\S+?): (.*?)(?:\"\)?$|$)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formation", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--checkout", required=True)
    parser.add_argument("--work", help="keep the project here (default: a temporary directory, removed)")
    args = parser.parse_args()
    fixtures = load_fixtures_module()
    good = os.path.join(args.fixtures, "good")
    files = sorted(os.path.join(root, name) for root, _, names in os.walk(good) for name in names
                   if name.endswith((".yaml", ".yml", ".json", ".template")))
    plain = []
    for path in files:
        template, _ = fixtures.decode(path)
        if fixtures.classify(template) is None:
            plain.append(path)
    work = args.work or tempfile.mkdtemp(prefix="import-roundtrip-")
    scratch = os.path.join(work, "scratch")
    os.makedirs(scratch, exist_ok=True)
    formation = os.path.abspath(args.formation)
    importable, refused, typed, raw, overrides, warnings = [], [], 0, 0, 0, 0
    for path in plain:
        out = tempfile.mkdtemp(dir=scratch)
        result = subprocess.run([formation, "import", path, "--out", out], capture_output=True, text=True)
        if result.returncode != 0:
            refused.append((path, result.returncode, (result.stderr.strip().splitlines() or ["?"])[0]))
            continue
        importable.append(path)
        warnings += sum(1 for line in result.stderr.splitlines() if line.startswith("warning: "))
        for line in result.stdout.splitlines():
            match = COUNTS.match(line)
            if match:
                typed += int(match.group(3))
                raw += int(match.group(4))
                overrides += int(match.group(5))
    project = os.path.join(work, "project")
    shutil.rmtree(project, ignore_errors=True)
    init = subprocess.run([formation, "init", project, "--name", "RoundTrip", "--formation-path", os.path.abspath(args.checkout),
                           "--quiet", "--from"] + importable, capture_output=True, text=True)
    if init.returncode != 0:
        print(init.stderr)
        sys.exit(f"formation init --from failed ({init.returncode})")
    start = time.monotonic()
    build = subprocess.run(["swift", "build", "--build-tests"], cwd=project, capture_output=True, text=True)
    build_seconds = time.monotonic() - start
    if build.returncode != 0:
        errors = [line for line in (build.stdout + build.stderr).splitlines() if ": error:" in line]
        print("\n".join(errors[:60]) or build.stdout[-3000:] + build.stderr[-3000:])
        sys.exit(f"the project does not build ({len(errors)} errors, {build_seconds:.0f} s)")
    test = subprocess.run(["swift", "test", "--skip-build"], cwd=project, capture_output=True, text=True)
    differing = {}
    for line in (test.stdout + test.stderr).splitlines():
        match = DIFFERS.search(line)
        if match:
            differing[match.group(1)] = (match.group(2), match.group(3))
    if test.returncode != 0 and not differing:
        print(test.stdout[-4000:] + test.stderr[-4000:])
        sys.exit("the project's test failed without naming a stack")
    print(f"plain good templates: {len(plain)} of {len(files)}")
    print(f"imported: {len(importable)}; refused by formation import: {len(refused)}")
    for path, status, message in refused:
        print(f"  {os.path.relpath(path, good)} (exit {status}): {message}")
    print(f"round trip exact (as data): {len(importable) - len(differing)} of {len(importable)}")
    print(f"resources: {typed} typed, {raw} raw; raw property values over typed resources: {overrides}; findings printed: {warnings}")
    print(f"project build (swift build --build-tests, clean): {build_seconds:.1f} s")
    for stack, (file, what) in sorted(differing.items()):
        print(f"  differs: {file} (stack {stack}): {what}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
