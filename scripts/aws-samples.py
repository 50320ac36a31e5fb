#!/usr/bin/env python3
"""AWS's sample templates (github.com/aws-cloudformation/aws-cloudformation-templates) through
`formation validate --template`, beside cfn-lint, per template and per resource.

    python3 scripts/aws-samples.py --formation .build/debug/formation --samples DIR \
        [--commit 142ce6f] [--cfn-lint cfn-lint] [--doc docs/aws-samples.md]

DIR is an unpacked tree of the corpus at one commit (`git archive COMMIT | tar -x -C DIR`);
`make samples-report SAMPLES=DIR [DOC=1]` runs this script. It reuses the machinery of
scripts/cfn-lint-fixtures.py (cfn-lint's decoder, the template kinds, the cfn-lint runner, the
line → resource map, the message shapes, the doc's generated block).

Which files are templates (a file counts under the first rule that applies):

1. only files named *.yaml, *.yml, *.json or *.template are looked at (the rest are code, docs,
   images);
2. a file cfn-lint's decoder cannot read, or that is not a map with a Resources map, is not a
   template: GitHub workflows, buildspecs, Kubernetes manifests, Lambda test events, IAM policy
   documents, package manifests;
3. a file named by a `Rain::Module` directive of another file, or under a `RainModules/`
   directory, is a Rain module source (its Parameters are the module's inputs, not a stack's);
4. a file with a Rain directive (`!Rain::Module`, `!Rain::Embed`, … in YAML; a `Rain::…` key in
   the JSON twins) is a Rain preprocessor source: `rain pkg` turns it into a template first (the
   corpus's own scripts/lint-single.sh does exactly that before cfn-lint), so neither tool is run
   on it as written.

Every other file is a template and goes through both tools, whatever its kind (plain, SAM,
AWS::LanguageExtensions, macros: the kind is reported). Both tools run with the corpus's regions
(its .cfnlintrc: us-east-1 and us-west-2). cfn-lint's errors are its E rules; Formation's are its
errors of validity (`finding: false` in the JSON output); the rule pack's findings are reported
apart. A resource is compared when either tool reports an error in it (cfn-lint's line mapped to the
resource whose lines hold it; errors outside every resource count under "(outside resources)").

Exit status: 1 when Formation crashes on a template, 2 when the inputs are missing, else 0.
"""

import argparse
import collections
import importlib.util
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cfn_lint_fixtures", os.path.join(HERE, "cfn-lint-fixtures.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

REGIONS = ["us-east-1", "us-west-2"]
EXTENSIONS = (".yaml", ".yml", ".json", ".template")
RAIN_KEY = re.compile(r"^(?:Fn::)?Rain::(\w+)$")
OUTSIDE = "(outside resources)"

NOT_TEMPLATE = "not a template: does not parse, or not a map with a Resources map (workflows, buildspecs, manifests, test events, policies)"
RAIN_MODULE = "a Rain module source (named by a Rain::Module directive, or under RainModules/)"
RAIN_SOURCE = "a Rain preprocessor source (!Rain::Module, !Rain::Embed…: `rain pkg` makes the template)"
SKIP_REASONS = [NOT_TEMPLATE, RAIN_MODULE, RAIN_SOURCE]


def fail(message):
    print(f"aws-samples: {message}", file=sys.stderr)
    sys.exit(2)


def rain_directives(template):
    """[(directive, argument)] for every `Rain::X` key (YAML `!Rain::X` reads as `Fn::Rain::X`)."""
    found = []
    stack = [template]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                match = RAIN_KEY.match(str(key))
                if match:
                    found.append((match.group(1), child))
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def corpus_files(root):
    names = []
    for directory, subdirectories, entries in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != ".git")
        for entry in entries:
            names.append(os.path.relpath(os.path.join(directory, entry), root))
    return sorted(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formation", required=True, help="the formation binary")
    parser.add_argument("--samples", required=True, help="the corpus, unpacked at one commit")
    parser.add_argument("--commit", default="142ce6f", help="the corpus's commit (for the report)")
    parser.add_argument("--cfn-lint", default="cfn-lint", help="the cfn-lint command")
    parser.add_argument("--doc", help="markdown file whose generated block is replaced by the report")
    args = parser.parse_args()

    root = os.path.abspath(args.samples)
    binary = os.path.abspath(args.formation)
    if not os.path.isdir(root):
        fail(f"{root} is not a directory; unpack the corpus: git archive {args.commit} | tar -x -C DIR")
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not an executable; build it with swift build --product formation")

    started = time.monotonic()
    everything = corpus_files(root)
    candidates = [name for name in everything if name.endswith(EXTENSIONS)]
    decoded = {name: fixtures.decode(os.path.join(root, name)) for name in candidates}

    reason, kind, directives = {}, {}, {}
    modules = set()
    for name in candidates:
        template = decoded[name][0]
        if template is None or not isinstance(template.get("Resources"), dict):
            reason[name] = NOT_TEMPLATE
            continue
        directives[name] = rain_directives(template)
        for directive, argument in directives[name]:
            if directive == "Module" and isinstance(argument, str):
                modules.add(os.path.normpath(os.path.join(os.path.dirname(name), argument)))
    for name in candidates:
        if name in reason:
            continue
        if name in modules or "RainModules" in name.split(os.sep)[:-1]:
            reason[name] = RAIN_MODULE
        elif directives[name]:
            reason[name] = RAIN_SOURCE
        else:
            reason[name] = None
            kind[name] = fixtures.classify(decoded[name][0]) or "plain"
    templates = [name for name in candidates if reason[name] is None]

    extra = [option for region in REGIONS for option in ("--region", region)]
    formation_started = time.monotonic()
    formation, crashed = fixtures.run_formation_json(binary, root, templates, extra)
    formation_seconds = time.monotonic() - formation_started
    cfnlint_started = time.monotonic()
    cfnlint = fixtures.run_cfnlint(f"{args.cfn_lint} --regions {' '.join(REGIONS)}", root, templates)
    cfnlint_seconds = time.monotonic() - cfnlint_started

    def errors(name):
        return [f for f in formation[name] if f[0] == "error" and not f[5]]

    def rule_findings(name):
        return [f for f in formation[name] if f[5]]

    def lint_errors(name):
        return [f for f in cfnlint[name] if f[0].startswith("E")]

    lines = []
    emit = lines.append
    table = fixtures.table

    # Files.
    emit(f"Corpus: aws-cloudformation/aws-cloudformation-templates at commit `{args.commit}`, "
         f"{len(everything)} files, {len(candidates)} named *.yaml, *.yml, *.json or *.template. "
         f"Regions: {', '.join(REGIONS)} (the corpus's .cfnlintrc), for both tools.")
    emit("")
    skipped = collections.Counter(reason[name] for name in candidates if reason[name])
    rows = [(r, skipped[r], ", ".join(f"`{n}`" for n in candidates if reason[n] == r)) for r in SKIP_REASONS if skipped[r]]
    emit(f"**{len(templates)} templates** checked; {sum(skipped.values())} YAML/JSON files skipped:")
    emit("")
    lines.extend(table(["reason", "files", "which"], rows))
    emit("")
    kinds = collections.Counter(kind[name] for name in templates)
    emit("Templates by kind: " + ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds, key=lambda k: (k != "plain", k))) + ".")
    emit("")
    if crashed:
        emit("**Crashes:** " + ", ".join(f"`{n}` (status {s})" for n, s, _ in crashed))
        emit("")

    # Per template.
    verdicts = collections.Counter()
    for name in templates:
        mine, theirs = bool(errors(name)), bool(lint_errors(name))
        verdicts["both reject" if mine and theirs else "only cfn-lint" if theirs else "only Formation" if mine else "both accept"] += 1
    emit("### Per template")
    emit("")
    lines.extend(table(["verdict", "templates"], [(v, verdicts[v]) for v in ("both accept", "both reject", "only cfn-lint", "only Formation")]))
    emit("")

    # Per resource.
    per_resource = collections.Counter()
    only_formation = []  # (file, resource, finding)
    only_lint = collections.defaultdict(list)  # rule -> [(file, resource, message)]
    rows = []
    for name in templates:
        mine, theirs = errors(name), lint_errors(name)
        if not mine and not theirs:
            continue
        spans = decoded[name][1]
        lint_by = collections.defaultdict(list)
        for rule, line, message in theirs:
            lint_by[fixtures.resource_at(line, spans) or OUTSIDE].append((rule, message))
        mine_by = collections.defaultdict(list)
        for finding in mine:
            mine_by[finding[2] if finding[2] in spans else OUTSIDE].append(finding)
        detail = []
        for resource in [r for r in [*spans, OUTSIDE] if r in lint_by or r in mine_by]:
            ours, their = mine_by.get(resource, []), lint_by.get(resource, [])
            if ours and their:
                per_resource["both"] += 1
            elif their:
                per_resource["only cfn-lint"] += 1
                for rule, message in their:
                    only_lint[rule].append((name, resource, message))
            else:
                per_resource["only Formation"] += 1
                only_formation.extend((name, resource, finding) for finding in ours)
            detail.append(f"{resource} {len(their)}/{len(ours)}")
        rows.append((f"`{name}`", kind[name], len(theirs), len(mine),
                     " ".join(sorted(set(r for r, _, _ in theirs))) or "–",
                     " ".join(sorted(set(f[1] for f in mine))) or "–",
                     ", ".join(detail[:5]) + (f", … ({len(detail)})" if len(detail) > 5 else "")))
    emit("### Per resource")
    emit("")
    emit(f"{sum(per_resource.values())} resources (or a template's part outside its resources) with an error "
         f"from either tool: both {per_resource['both']}, only cfn-lint {per_resource['only cfn-lint']}, "
         f"only Formation {per_resource['only Formation']}.")
    emit("")
    emit("Templates where either tool reports an error (per resource: cfn-lint errors/Formation errors):")
    emit("")
    lines.extend(table(["template", "kind", "cfn-lint E", "Formation", "cfn-lint rules", "Formation codes", "per resource"], rows) if rows else ["(none)"])
    emit("")

    emit("#### Only Formation (every error; each is explained below the report)")
    emit("")
    rows = [(f"`{name}`", resource, code, message) for name, resource, (_, code, _, _, message, _) in only_formation]
    lines.extend(table(["template", "resource", "code", "message"], rows) if rows else ["(none)"])
    emit("")
    emit("#### Only cfn-lint, by rule")
    emit("")
    rows = []
    for rule, hits in sorted(only_lint.items(), key=lambda item: (-len(item[1]), item[0])):
        example = hits[0]
        rows.append((rule, len(hits), f"`{example[0]}` {example[1]}: {example[2][:140]}"))
    lines.extend(table(["rule", "errors", "first example"], rows) if rows else ["(none)"])
    emit("")

    # Rule pack.
    groups = collections.defaultdict(list)
    for name in templates:
        for severity, code, resource, _, message, _ in rule_findings(name):
            groups[(code, severity)].append((name, resource, message))
    emit("### Rule pack findings")
    emit("")
    emit(f"{sum(len(v) for v in groups.values())} findings in {sum(1 for n in templates if rule_findings(n))} templates "
         "(opinions, not validity; not counted above):")
    emit("")
    rows = []
    for (code, severity), hits in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        example = hits[0]
        rows.append((code, severity, len(hits), len(set(n for n, _, _ in hits)),
                     f"`{example[0]}` {example[1] or ''}: {fixtures.shape(example[2])}"))
    lines.extend(table(["rule", "severity", "findings", "templates", "first example"], rows) if rows else ["(none)"])
    emit("")
    emit(f"Run time: {time.monotonic() - started:.1f} s in all (Formation {formation_seconds:.1f} s for "
         f"{len(templates)} templates in one process, cfn-lint {cfnlint_seconds:.1f} s).")

    report = "\n".join(lines) + "\n"
    if args.doc:
        with open(args.doc, encoding="utf-8") as handle:
            text = handle.read()
        if fixtures.BEGIN not in text or fixtures.END not in text:
            fail(f"{args.doc} lacks the markers {fixtures.BEGIN} and {fixtures.END}")
        head, rest = text.split(fixtures.BEGIN, 1)
        _, tail = rest.split(fixtures.END, 1)
        with open(args.doc, "w", encoding="utf-8") as handle:
            handle.write(head + fixtures.BEGIN + "\n" + report + fixtures.END + tail)
        print(f"aws-samples: wrote the report into {args.doc}", file=sys.stderr)
    else:
        sys.stdout.write(report)
    print(f"aws-samples: {len(templates)} templates; " + ", ".join(f"{v} {verdicts[v]}" for v in
          ("both accept", "both reject", "only cfn-lint", "only Formation"))
          + f"; per resource: only Formation {per_resource['only Formation']}, only cfn-lint {per_resource['only cfn-lint']}",
          file=sys.stderr)
    for name, code, tail in crashed:
        print(f"aws-samples: formation crashed on {name} (status {code}): {' / '.join(tail)}", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
