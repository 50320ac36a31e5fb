"""Checks that Formation's and troposphere's generated apps are the same template.

    python bench/check_equivalence.py FORMATION_BENCH [RESOURCES] [STACK]

Builds stack STACK (default 0) of the generated app of RESOURCES resources (default 500: one full
stack of five units) on both sides: `formation-bench --template RESOURCES STACK` (which fails when
Formation reports any error) and `bench/troposphere_app.py --template RESOURCES STACK` with the
Python running this script (troposphere must be importable). Both JSON documents are parsed and
compared value by value: maps regardless of key order, lists in order, and the JSON type of
every scalar (an integer is not a float, a string is not a number). Prints the resource and type
counts and the first differences; exits 1 when there is any.
"""
import collections
import json
import os
import subprocess
import sys


def differences(ours, theirs, path="", found=None):
    found = [] if found is None else found
    if len(found) >= 20:
        return found
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            where = f"{path}/{key}"
            if key not in theirs:
                found.append(f"{where}: only in Formation's")
            elif key not in ours:
                found.append(f"{where}: only in troposphere's")
            else:
                differences(ours[key], theirs[key], where, found)
    elif isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            found.append(f"{path}: {len(ours)} items in Formation's, {len(theirs)} in troposphere's")
        for index, (a, b) in enumerate(zip(ours, theirs)):
            differences(a, b, f"{path}[{index}]", found)
    elif type(ours) is not type(theirs) or ours != theirs:
        found.append(f"{path}: Formation {json.dumps(ours)}, troposphere {json.dumps(theirs)}")
    return found


def main():
    bench = sys.argv[1]
    resources = sys.argv[2] if len(sys.argv) > 2 else "500"
    stack = sys.argv[3] if len(sys.argv) > 3 else "0"
    here = os.path.dirname(os.path.abspath(__file__))
    ours = subprocess.run([bench, "--template", resources, stack], capture_output=True, text=True)
    if ours.returncode != 0:
        sys.exit(f"check_equivalence: formation-bench failed:\n{ours.stderr}")
    theirs = subprocess.run([sys.executable, os.path.join(here, "troposphere_app.py"), "--template", resources, stack],
                            capture_output=True, text=True, check=True)
    a, b = json.loads(ours.stdout), json.loads(theirs.stdout)
    types = collections.Counter(body["Type"] for body in a["Resources"].values())
    print(f"stack {stack} of the {resources}-resource app: {len(a['Resources'])} resources of {len(types)} types "
          f"({len(ours.stdout)} bytes from Formation, {len(theirs.stdout)} from troposphere)")
    if ours.stderr.strip():
        print(f"Formation's warnings:\n{ours.stderr.strip()}")
    found = differences(a, b)
    if found:
        print(f"DIFFERENT ({'first ' if len(found) >= 20 else ''}{len(found)}):")
        for line in found:
            print("  " + line)
        sys.exit(1)
    print("identical after parsing (key order aside)")


if __name__ == "__main__":
    main()
