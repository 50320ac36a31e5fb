#!/usr/bin/env python3
"""Refreshes data/schemas/ from the CloudFormation registry schemas bundled with cfn-lint.

Reads the type names in data/schemas/types.txt, looks each one up in cfn-lint's
us-east-1 provider table (type -> schema hash), copies the schema file byte for byte to
data/schemas/resources/<hash>.json, removes schema files no longer listed, and rewrites
types.txt with each type's hash (sorted by type name).

The cfn-lint version must equal the pin (the Makefile passes it); anything else fails, so
the schemas in the repository always come from exactly one known release.

    python3 scripts/refresh-schemas.py 1.51.0
"""

import ast
import importlib.metadata
import importlib.util
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "schemas")
TYPES = os.path.join(DATA, "types.txt")
RESOURCES = os.path.join(DATA, "resources")
HEADER = """\
# CloudFormation resource types Formation generates typed properties and validation for.
# One type per line: TYPE-NAME SCHEMA-HASH. The hash names the schema file
# data/schemas/resources/<hash>.json, copied from cfn-lint {version}'s bundled registry schemas
# (cfnlint/data/schemas/providers/us_east_1.py maps type -> hash).
# Add a type by adding its name on a line of its own, then run `make schemas codegen`.
"""


def fail(message):
    print(f"refresh-schemas: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail("usage: refresh-schemas.py PINNED-CFN-LINT-VERSION")
    pin = sys.argv[1]
    try:
        installed = importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        fail(f"cfn-lint is not installed; install the pinned version: python3 -m pip install cfn-lint=={pin}")
    if installed != pin:
        fail(f"cfn-lint {installed} is installed but the pin is {pin}; "
             f"install it with: python3 -m pip install cfn-lint=={pin}")

    # find_spec locates the package without importing it (importing cfn-lint is slow and
    # pulls in its whole rule set).
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.origin is None:
        fail("cannot locate the cfnlint package")
    package = os.path.dirname(spec.origin)
    provider = os.path.join(package, "data", "schemas", "providers", "us_east_1.py")
    with open(provider, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), provider)
    table = None
    for node in tree.body:
        target = getattr(node, "target", None) or (node.targets[0] if getattr(node, "targets", None) else None)
        if isinstance(target, ast.Name) and target.id == "types":
            table = ast.literal_eval(node.value)
    if not isinstance(table, dict):
        fail(f"{provider} has no `types` table")

    names = []
    with open(TYPES, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.split()[0])
    if not names:
        fail(f"{TYPES} lists no types")
    missing = [name for name in names if name not in table]
    if missing:
        fail("not in cfn-lint's registry schemas (leave them out and use RawResource): " + ", ".join(missing))

    os.makedirs(RESOURCES, exist_ok=True)
    wanted = {}
    for name in sorted(set(names)):
        digest = table[name]
        source = os.path.join(package, "data", "schemas", "resources", digest + ".json")
        shutil.copyfile(source, os.path.join(RESOURCES, digest + ".json"))
        wanted[name] = digest
    keep = {digest + ".json" for digest in wanted.values()}
    for entry in sorted(os.listdir(RESOURCES)):
        if entry.endswith(".json") and entry not in keep:
            os.remove(os.path.join(RESOURCES, entry))

    with open(TYPES, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(HEADER.format(version=pin))
        for name in sorted(wanted):
            handle.write(f"{name} {wanted[name]}\n")
    print(f"refresh-schemas: {len(wanted)} schemas from cfn-lint {installed} in {os.path.relpath(RESOURCES, ROOT)}")


if __name__ == "__main__":
    main()
