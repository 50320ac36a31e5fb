#!/usr/bin/env python3
"""cfn-lint's own test templates through `formation validate --template`, beside cfn-lint.

    python3 scripts/cfn-lint-fixtures.py --formation .build/debug/formation \
        --fixtures .cache/cfn-lint-1.58.0/test/fixtures/templates [--cfn-lint cfn-lint] \
        [--doc docs/cfn-lint-fixtures.md] [--max-good-with-errors N]

`make cfn-lint-fixtures` fetches and unpacks the fixtures (the pinned cfn-lint's sdist);
`make fixtures-report` runs this script. What it does:

* GOOD templates (`good/`): each is classified with cfn-lint's own decoder. Templates that are not
  plain CloudFormation are skipped and counted by reason (not a template, a SAM or
  LanguageExtensions or other `Transform`, `Fn::ForEach`, SAM types, `Fn::Transform` macros). The
  plain ones go through Formation in one process; the report gives how many have no error and
  groups every error by diagnostic code and message shape (quoted values, property paths,
  logical IDs, numbers and type names abstracted), with the files. cfn-lint runs on the same files
  (`--format parseable`) and its error counts (E rules) stand beside Formation's per file.
* BAD templates (`bad/`): all of them, side by side per template: cfn-lint's errors (E rules)
  and Formation's errors, and per resource where cfn-lint names a line inside one; the misses
  (resources where cfn-lint reports an error and Formation none) are grouped by cfn-lint rule.

Formation crashing on any template (exit status other than 0 or 1) is always a failure. With
--max-good-with-errors N the script also fails when more than N plain good templates have errors
(the regression check). With --doc FILE the generated part of FILE (between the markers
`<!-- generated:begin -->` and `<!-- generated:end -->`) is replaced by the report; the rest of
the file (the explanations) is kept. Without --doc the report goes to standard output.

Needs the pinned cfn-lint installed (its decoder classifies the templates and maps cfn-lint's
line numbers to resources).
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time

BEGIN = "<!-- generated:begin -->"
END = "<!-- generated:end -->"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
SECTIONS = {"Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Rules", "Metadata", "Transform"}

# Skip reasons, in the order they are tested (a template counts under the first that applies).
NOT_TEMPLATE = "not a template (does not parse, or not a map with Resources)"
SAM = f"Transform {SAM_TRANSFORM} (SAM)"
LANGEXT = f"Transform {LANGUAGE_EXTENSIONS} (Fn::ForEach, Fn::Length, …)"
OTHER_TRANSFORM = "another Transform (a macro or AWS::Include)"
FOREACH = "Fn::ForEach without the LanguageExtensions transform"
SAM_TYPES = "AWS::Serverless::* types without the SAM transform"
FN_TRANSFORM = "Fn::Transform (a macro runs before validation)"
REASONS = [NOT_TEMPLATE, SAM, LANGEXT, OTHER_TRANSFORM, FOREACH, SAM_TYPES, FN_TRANSFORM]
# Kinds Formation validates although they are not plain CloudFormation: AWS::LanguageExtensions
# (loops expanded), macros and AWS::Include (validated where no macro reaches). They are run and
# reported apart from the plain ones, and count toward --max-good-with-errors.
RUN_REASONS = [LANGEXT, OTHER_TRANSFORM, FOREACH, FN_TRANSFORM]


def fail(message):
    print(f"cfn-lint-fixtures: {message}", file=sys.stderr)
    sys.exit(2)


# MARK: - Templates


def decode(path):
    """cfn-lint's view of a template: (template or None, resource line spans {id: (first, last)})."""
    import cfnlint.decode

    try:
        template, matches = cfnlint.decode.decode(path)
    except Exception:  # a decoder crash counts as "not a template"
        return None, {}
    if matches or not isinstance(template, dict):
        return None, {}
    spans = {}
    resources = template.get("Resources")
    if isinstance(resources, dict):
        keys = list(resources.keys())
        for position, key in enumerate(keys):
            start = getattr(key, "start_mark", None)
            if start is None:
                continue
            value = resources[key]
            end = getattr(value, "end_mark", None)
            last = end.line if end is not None else None
            if position + 1 < len(keys) and getattr(keys[position + 1], "start_mark", None) is not None:
                following = keys[position + 1].start_mark.line  # 0-based line of the next key
                last = following - 1 if last is None else min(last, following - 1)
            if last is None:
                last = start.line
            # cfn-lint prints 1-based lines.
            spans[str(key)] = (start.line + 1, last + 1)
    return template, spans


def walk_keys(value):
    """Every map key anywhere in `value`."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                yield key
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def classify(template):
    """The skip reason for a decoded template, or None when it is plain CloudFormation."""
    if template is None or not isinstance(template.get("Resources"), dict):
        return NOT_TEMPLATE
    transform = template.get("Transform")
    names = [transform] if isinstance(transform, str) else [t for t in transform if isinstance(t, str)] \
        if isinstance(transform, list) else []
    if transform is not None and not names:
        names = ["?"]  # a transform given as a map (a macro with parameters)
    if SAM_TRANSFORM in names:
        return SAM
    if LANGUAGE_EXTENSIONS in names:
        return LANGEXT
    if names:
        return OTHER_TRANSFORM
    keys = set(str(key) for key in walk_keys(template))
    if any(key.startswith("Fn::ForEach") for key in keys):
        return FOREACH
    resources = template["Resources"]
    if any(isinstance(body, dict) and str(body.get("Type", "")).startswith("AWS::Serverless::")
           for body in resources.values()):
        return SAM_TYPES
    if "Fn::Transform" in keys:
        return FN_TRANSFORM
    return None


# MARK: - Formation


DIAGNOSTIC = re.compile(r"^(error|warning|info) (FM\d{4}) (.*?): (.*)$")
# A diagnostic about a place in the file: `FILE:LINE:COLUMN: error FM4801 LogicalID: message`
# (`Section/Name: ` for a parameter, output…; nothing before the message for the whole template).
LOCATED_DIAGNOSTIC = re.compile(r"^(.*?):(\d+):(\d+): (error|warning|info) (FM\d{4}) (.*)$")
ENTRY = re.compile(r"^((?:[^\s:/]|::)+(?:/[^\s:]+)?): (.*)$")
LOCATED = re.compile(r"^(.*?):(\d+):(\d+): error: (.*)$")
FILE_ERROR = re.compile(r"^(.*?): error: (.*)$")
PLAIN_ERROR = re.compile(r"^error: (.*)$")


def owner_file(where, files):
    """The file (of `files`) a printed location starts with, and the rest of the location."""
    best = None
    for name in files:
        if where == name or where.startswith(name + "/") or where.startswith(name + ":"):
            if best is None or len(name) > len(best):
                best = name
    if best is None:
        return None, where
    return best, where[len(best):].lstrip("/:")


def run_formation(binary, root, files):
    """{file: [(severity, code, resource-or-None, location, message)]}, crashed files."""
    findings = {name: [] for name in files}
    crashed = []
    if not files:
        return findings, crashed

    def invoke(batch):
        return subprocess.run([binary, "validate", "--template", *batch], cwd=root,
                              capture_output=True, text=True)

    def parse(output, batch):
        for line in output.splitlines():
            line = line.rstrip()
            match = LOCATED_DIAGNOSTIC.match(line)
            if match:
                where, _, _, severity, code, rest = match.groups()
                name, _ = owner_file(where, batch)
                if name is not None:
                    entry = ENTRY.match(rest)
                    place, message = (entry.group(1), entry.group(2)) if entry else ("", rest)
                    parts = place.split("/") if place else []
                    resource = parts[0] if parts and parts[0] not in SECTIONS else None
                    findings[name].append((severity, code, resource, place, message))
                    continue
            match = DIAGNOSTIC.match(line)
            if match:
                severity, code, where, message = match.groups()
                name, rest = owner_file(where, batch)
                if name is None:
                    continue
                parts = rest.split("/") if rest else []
                resource = parts[0] if parts and parts[0] not in SECTIONS else None
                findings[name].append((severity, code, resource, rest, message))
                continue
            match = LOCATED.match(line)
            if match:
                where, message = match.group(1), match.group(4)
                name, _ = owner_file(where, batch)
                if name is not None:
                    findings[name].append(("error", "parse", None, f"{match.group(2)}:{match.group(3)}", message))
                continue
            match = FILE_ERROR.match(line)
            if match and not line.startswith("error"):
                name, _ = owner_file(match.group(1), batch)
                if name is not None:
                    findings[name].append(("error", "parse", None, "", match.group(2)))
                    continue
            match = PLAIN_ERROR.match(line)
            if match and "failed validation" not in line:
                name, _ = owner_file(match.group(1), batch)
                if name is None:
                    for candidate in batch:
                        if candidate in match.group(1):
                            name = candidate
                if name is not None:
                    findings[name].append(("error", "file", None, "", match.group(1)))

    result = invoke(files)
    if result.returncode in (0, 1):
        parse(result.stderr + result.stdout, files)
        return findings, crashed
    # Something crashed: one process per file finds which.
    for name in files:
        single = invoke([name])
        if single.returncode in (0, 1):
            parse(single.stderr + single.stdout, [name])
        else:
            crashed.append((name, single.returncode, (single.stderr or "").strip().splitlines()[-3:]))
    return findings, crashed


def run_formation_json(binary, root, files, extra=()):
    """`validate --output-format json` over `files` in one process (cwd `root`):
    ({file: [(severity, code, logical ID or None, path, message, finding)]}, crashed files).
    `finding` tells the rule pack's findings (opinions) from errors of validity."""
    import json

    findings = {name: [] for name in files}
    crashed = []
    if not files:
        return findings, crashed

    def invoke(batch):
        return subprocess.run([binary, "validate", "--output-format", "json", *extra, "--template", *batch],
                              cwd=root, capture_output=True, text=True)

    def parse(result):
        for unit in json.loads(result.stdout).get("units", []):
            name = unit.get("name")
            if name not in findings:
                continue
            for entry in unit.get("diagnostics", []):
                findings[name].append((entry["severity"], entry["code"], entry.get("logicalId"),
                                       entry.get("property") or entry.get("path", ""), entry["message"],
                                       bool(entry.get("finding"))))

    result = invoke(files)
    if result.returncode in (0, 1):
        parse(result)
        return findings, crashed
    for name in files:  # something crashed: one process per file finds which
        single = invoke([name])
        if single.returncode in (0, 1):
            parse(single)
        else:
            crashed.append((name, single.returncode, (single.stderr or "").strip().splitlines()[-3:]))
    return findings, crashed


QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
TYPE_SUFFIX = re.compile(r" \((?:AWS|Alexa|Custom)::[\w:-]+(?: in [^)]*)?\)$")
LEADING_PATH = re.compile(r"^[A-Za-z][\w.\[\]]*: ")
SUBJECT_PATH = re.compile(r"^[A-Za-z][\w\[\].]*(?= (?:\"…\" )?(?:is|does|has|requires|cannot|matches|match|must|key|holds)\b)")
NAME = r"(?:\$\{[^}]*\}|(?:[\w.-]|::)+)"
NAMES_AFTER = re.compile(r"\b(Ref to|Fn::GetAtt|Fn::Sub variable|Fn::FindInMap on|DependsOn|condition|logical ID|mapping|attribute) " + NAME)
TYPE_NAME = re.compile(r"\btype [\w]+(?:::[\w]+)+")
NAME_IS = re.compile(r"(?<=: )[A-Za-z]\w*(?= is (?:not|a|both))")
ACTIONS = re.compile(r"\bfor [\w:*, -]+?(?=, which)")
NUMBER = re.compile(r"(?<![\w:])\d+(?:\.\d+)?(?![\w:])")
KNOWN_LIST = re.compile(r"\((?:known|it has): [^)]*\)")
DID_YOU_MEAN = re.compile(r"did you mean [^;?]*\?")


def shape(message):
    """A Formation message with its particulars abstracted, for grouping."""
    text = TYPE_SUFFIX.sub(" (Type)", message)
    text = QUOTED.sub('"…"', text)
    text = LEADING_PATH.sub("P: ", text)
    text = SUBJECT_PATH.sub("P", text)
    text = TYPE_NAME.sub("type T", text)
    text = NAMES_AFTER.sub(lambda m: f"{m.group(1)} X", text)
    text = NAME_IS.sub("X", text)
    text = ACTIONS.sub("for A", text)
    text = KNOWN_LIST.sub("(…)", text)
    text = DID_YOU_MEAN.sub("did you mean …?", text)
    text = NUMBER.sub("N", text)
    if len(text) > 160:
        text = text[:157] + "…"
    return text


# MARK: - cfn-lint


PARSEABLE = re.compile(r"^(.*?):(\d+):(\d+):(\d+):(\d+):([EWI]\d{4}):(.*)$")


def run_cfnlint(command, root, files):
    """{file: [(rule, line, message)]} from `cfn-lint --format parseable` (all severities)."""
    findings = {name: [] for name in files}
    if not files or not command:
        return findings
    # One process for the lot; cfn-lint prints paths as given.
    result = subprocess.run([*command.split(), "--format", "parseable", "--", *files], cwd=root,
                            capture_output=True, text=True)
    for line in result.stdout.splitlines():
        match = PARSEABLE.match(line)
        if not match:
            continue
        name = match.group(1)
        if name.startswith("./"):
            name = name[2:]
        if name in findings:
            findings[name].append((match.group(6), int(match.group(2)), match.group(7)))
    return findings


def resource_at(line, spans):
    for logical_id, (first, last) in spans.items():
        if first <= line <= last:
            return logical_id
    return None


# MARK: - Report


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formation", required=True, help="the formation binary")
    parser.add_argument("--fixtures", required=True, help="cfn-lint's test/fixtures/templates directory")
    parser.add_argument("--cfn-lint", default="cfn-lint", help="the cfn-lint command ('' to skip it)")
    parser.add_argument("--doc", help="markdown file whose generated block is replaced by the report")
    parser.add_argument("--max-good-with-errors", type=int,
                        help="fail when more plain good templates than this have errors")
    args = parser.parse_args()

    root = os.path.abspath(args.fixtures)
    binary = os.path.abspath(args.formation)
    for sub in ("good", "bad"):
        if not os.path.isdir(os.path.join(root, sub)):
            fail(f"{root}/{sub} is missing; run make cfn-lint-fixtures")
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not an executable; build it with swift build --product formation")

    def listing(sub):
        names = []
        for directory, _, entries in os.walk(os.path.join(root, sub)):
            for entry in entries:
                names.append(os.path.relpath(os.path.join(directory, entry), root))
        return sorted(names)

    good, bad = listing("good"), listing("bad")
    started = time.monotonic()
    decoded = {name: decode(os.path.join(root, name)) for name in good + bad}
    reason = {name: classify(decoded[name][0]) for name in good + bad}
    plain_good = [name for name in good if reason[name] is None]
    extended_good = [name for name in good if reason[name] in RUN_REASONS]

    formation_started = time.monotonic()
    formation, crashed = run_formation(binary, root, plain_good + extended_good + bad)
    formation_seconds = time.monotonic() - formation_started
    cfnlint_started = time.monotonic()
    cfnlint = run_cfnlint(args.cfn_lint, root, plain_good + bad)
    cfnlint_seconds = time.monotonic() - cfnlint_started
    total_seconds = time.monotonic() - started

    # The rule pack's findings (`formation rules`) are opinions, not validity: they are reported
    # apart and do not count as errors (validate --template fails on them only per --fail-on).
    rules = subprocess.run([binary, "rules", "--format", "tsv"], capture_output=True, text=True)
    if rules.returncode != 0:
        fail(f"{binary} rules failed: {rules.stderr.strip()}")
    finding_codes = {line.split("\t")[0] for line in rules.stdout.splitlines() if line}

    def errors(name):
        return [f for f in formation[name] if f[0] == "error" and f[1] not in finding_codes]

    def rule_findings(name):
        return [f for f in formation[name] if f[1] in finding_codes]

    def lint_errors(name):
        return [f for f in cfnlint[name] if f[0].startswith("E")]

    lines = []
    emit = lines.append

    # Good templates.
    with_errors = [name for name in plain_good if errors(name)]
    emit("### Good templates")
    emit("")
    emit(f"{len(good)} files under `good/`; {len(plain_good)} plain CloudFormation; "
         f"**{len(plain_good) - len(with_errors)} with no Formation error**, {len(with_errors)} with errors.")
    emit("")
    skipped = collections.Counter(reason[name] for name in good if reason[name] is not None and reason[name] not in RUN_REASONS)
    emit("Skipped (not plain CloudFormation, not validated by Formation yet):")
    emit("")
    lines.extend(table(["reason", "files"], [(r, skipped[r]) for r in REASONS if skipped[r]]))
    emit("")
    if crashed:
        emit("**Crashes:** " + ", ".join(f"`{n}` (status {s})" for n, s, _ in crashed))
        emit("")
    groups = collections.OrderedDict()
    for name in plain_good:
        for severity, code, resource, location, message in errors(name):
            key = (code, shape(message))
            groups.setdefault(key, []).append((name, resource or location))
    emit("Formation's errors on plain good templates, by code and message shape:")
    emit("")
    rows = []
    for (code, text), hits in sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]), item[0][1])):
        files = sorted(set(name for name, _ in hits))
        shown = ", ".join(f"`{os.path.relpath(f, 'good')}`" for f in files[:4]) + (f", … ({len(files)})" if len(files) > 4 else "")
        rows.append((code, f"`{text}`", len(hits), shown))
    lines.extend(table(["code", "message shape", "errors", "templates"], rows) if rows else ["(none)"])
    emit("")
    findings_groups = collections.OrderedDict()
    for name in plain_good:
        for severity, code, resource, location, message in rule_findings(name):
            findings_groups.setdefault((code, severity, shape(message)), []).append(name)
    emit(f"Rule findings on plain good templates (`formation rules`; not errors of validity), in "
         f"{sum(1 for n in plain_good if rule_findings(n))} templates:")
    emit("")
    rows = []
    for (code, severity, text), hits in sorted(findings_groups.items(), key=lambda item: (item[0][0], -len(item[1]), item[0][2])):
        files = sorted(set(hits))
        shown = ", ".join(f"`{os.path.relpath(f, 'good')}`" for f in files[:4]) + (f", … ({len(files)})" if len(files) > 4 else "")
        rows.append((code, severity, f"`{text}`", len(hits), shown))
    lines.extend(table(["rule", "severity", "message shape", "findings", "templates"], rows) if rows else ["(none)"])
    emit("")
    if args.cfn_lint:
        emit("Plain good templates where either tool reports an error (cfn-lint: E rules only):")
        emit("")
        rows = []
        for name in plain_good:
            mine, theirs = errors(name), lint_errors(name)
            if mine or theirs:
                codes = collections.Counter(c for _, c, _, _, _ in mine)
                rules = collections.Counter(r for r, _, _ in theirs)
                rows.append((f"`{os.path.relpath(name, 'good')}`",
                             len(mine), " ".join(f"{c}×{n}" for c, n in sorted(codes.items())) or "–",
                             len(theirs), " ".join(f"{r}×{n}" for r, n in sorted(rules.items())) or "–"))
        lines.extend(table(["template", "Formation", "codes", "cfn-lint", "rules"], rows))
        emit("")

    # Good templates with language extensions or macros.
    extended_with_errors = [name for name in extended_good if errors(name)]
    emit("### Good templates with AWS::LanguageExtensions, macros or AWS::Include")
    emit("")
    emit(f"{len(extended_good)} good templates use them (not SAM); "
         f"**{len(extended_good) - len(extended_with_errors)} with no Formation error**, {len(extended_with_errors)} with errors. "
         "Loops are expanded; what a macro may rewrite is skipped, with one FM1131 line per macro.")
    emit("")
    rows = []
    for name in extended_good:
        mine = errors(name)
        codes = collections.Counter(c for _, c, _, _, _ in mine)
        notes = sum(1 for f in formation[name] if f[1] == "FM1131")
        rows.append((f"`{os.path.relpath(name, 'good')}`", reason[name], len(mine),
                     " ".join(f"{c}×{n}" for c, n in sorted(codes.items())) or "–", notes))
    lines.extend(table(["template", "kind", "Formation errors", "codes", "macro lines (FM1131)"], rows) if rows else ["(none)"])
    emit("")
    extended_bad = [name for name in bad if reason[name] in RUN_REASONS]
    emit(f"Bad templates of these kinds: {len(extended_bad)}; Formation rejects "
         f"{sum(1 for n in extended_bad if errors(n))} of them"
         + (" (" + ", ".join(f"`{os.path.relpath(n, 'bad')}`" for n in extended_bad) + ")." if extended_bad else "."))
    emit("")

    # Bad templates.
    emit("### Bad templates")
    emit("")
    total_lint = sum(len(lint_errors(n)) for n in bad)
    total_mine = sum(len(errors(n)) for n in bad)
    caught = [n for n in bad if lint_errors(n)]
    emit(f"{len(bad)} files under `bad/`; cfn-lint reports {total_lint} errors in {len(caught)} of them, "
         f"Formation {total_mine} errors in {sum(1 for n in bad if errors(n))}. "
         f"Of the {len(caught)} templates cfn-lint rejects, Formation rejects "
         f"{sum(1 for n in caught if errors(n))}; Formation rejects "
         f"{sum(1 for n in bad if errors(n) and not lint_errors(n))} that cfn-lint (default rules) accepts.")
    emit("")
    rows = []
    misses = collections.defaultdict(list)  # cfn-lint rule -> [(file, resource)]
    resource_totals = collections.Counter()
    for name in bad:
        spans = decoded[name][1]
        mine, theirs = errors(name), lint_errors(name)
        lint_by_resource = collections.defaultdict(list)
        for rule, line, message in theirs:
            lint_by_resource[resource_at(line, spans)].append(rule)
        mine_by_resource = collections.Counter(resource for _, _, resource, _, _ in mine)
        per_resource = []
        for resource in [r for r in spans if r in lint_by_resource or r in mine_by_resource]:
            lint_count, mine_count = len(lint_by_resource.get(resource, [])), mine_by_resource.get(resource, 0)
            per_resource.append(f"{resource} {lint_count}/{mine_count}")
            resource_totals["resources with findings"] += 1
            if lint_count and not mine_count:
                resource_totals["cfn-lint only"] += 1
                for rule in sorted(set(lint_by_resource[resource])):
                    misses[rule].append((name, resource))
            elif mine_count and not lint_count:
                resource_totals["Formation only"] += 1
            else:
                resource_totals["both"] += 1
        outside = len(lint_by_resource.get(None, []))
        if theirs and not mine:
            for rule in sorted(set(r for r in lint_by_resource.get(None, []))):
                misses[rule].append((name, None))
        detail = ", ".join(per_resource[:6]) + (f", … ({len(per_resource)})" if len(per_resource) > 6 else "")
        if outside:
            detail = (detail + "; " if detail else "") + f"outside resources {outside}/{sum(1 for f in mine if f[2] is None)}"
        rows.append((f"`{os.path.relpath(name, 'bad')}`", reason[name] or "plain", len(theirs), len(mine),
                     " ".join(sorted(set(r for r, _, _ in theirs))) or "–",
                     " ".join(sorted(set(c for _, c, _, _, _ in mine))) or "–", detail or "–"))
    lines.extend(table(["template", "kind", "cfn-lint E", "Formation", "cfn-lint rules", "Formation codes",
                        "per resource (cfn-lint/Formation)"], rows))
    emit("")
    emit(f"Per resource: {resource_totals['resources with findings']} resources with a finding; both tools "
         f"{resource_totals['both']}, cfn-lint only {resource_totals['cfn-lint only']}, Formation only "
         f"{resource_totals['Formation only']}.")
    emit("")
    emit("Misses by cfn-lint rule (a resource, or a template when not in a resource, where cfn-lint reports "
         "the rule and Formation reports nothing):")
    emit("")
    rows = []
    for rule, hits in sorted(misses.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(f"`{os.path.relpath(n, 'bad')}`" + (f" {r}" if r else "") for n, r in hits[:3])
        rows.append((rule, len(hits), shown + (", …" if len(hits) > 3 else "")))
    lines.extend(table(["rule", "misses", "examples"], rows) if rows else ["(none)"])
    emit("")
    emit(f"Run time: {total_seconds:.1f} s in all (Formation {formation_seconds:.1f} s for "
         f"{len(plain_good) + len(bad)} templates in one process, cfn-lint {cfnlint_seconds:.1f} s).")

    report = "\n".join(lines) + "\n"
    if args.doc:
        with open(args.doc, encoding="utf-8") as handle:
            text = handle.read()
        if BEGIN not in text or END not in text:
            fail(f"{args.doc} lacks the markers {BEGIN} and {END}")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(args.doc, "w", encoding="utf-8") as handle:
            handle.write(head + BEGIN + "\n" + report + END + tail)
        print(f"cfn-lint-fixtures: wrote the report into {args.doc}", file=sys.stderr)
    else:
        sys.stdout.write(report)

    status = 0
    if crashed:
        for name, code, tail in crashed:
            print(f"cfn-lint-fixtures: formation crashed on {name} (status {code}): {' / '.join(tail)}", file=sys.stderr)
        status = 1
    with_errors = with_errors + extended_with_errors
    summary = (f"{len(with_errors)} of {len(plain_good) + len(extended_good)} plain, LanguageExtensions and macro good templates have Formation errors "
               f"({sum(1 for n in plain_good if rule_findings(n))} have rule findings, not counted)")
    if args.max_good_with_errors is not None and len(with_errors) > args.max_good_with_errors:
        print(f"cfn-lint-fixtures: {summary}; at most {args.max_good_with_errors} allowed: "
              + ", ".join(with_errors), file=sys.stderr)
        status = 1
    else:
        print(f"cfn-lint-fixtures: {summary}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
