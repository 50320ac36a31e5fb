"""Apps of many stacks in the end-to-end run: what `formation deploy-args --all` printed, and what
the templates say about references across stacks. Pure functions (unit-tested in
test_harness.py); e2e.py runs the flows (`E2ERun.exercise_references`, `exercise_stack_sets`).
"""

import re
import shlex

HEADER = re.compile(r"^# (\d+)/(\d+) (\S+)(?: \(after ([^)]*)\))?$")


class PlanError(Exception):
    """deploy-args printed something the harness cannot read as the plan it expects."""


def app_command(spec):
    """`NAME=VALUE ... PATH` (as a shell would take it) → ({NAME: VALUE}, PATH): the executable of
    an app and the environment it needs (`FORMATION_TESTAPP=cross-stack .build/debug/app`)."""
    words = shlex.split(spec)
    environment = {}
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        name, _, value = words.pop(0).partition("=")
        environment[name] = value
    if len(words) != 1:
        raise PlanError(f"expected [NAME=VALUE ...] EXECUTABLE, got {spec!r}")
    return environment, words[0]


def commands(text):
    """The shell commands in printed text: comment lines apart, continuation lines joined, each
    split into words as /bin/sh would. Returns [(comment lines before it, words)]."""
    result, comments, pending = [], [], ""
    for line in text.splitlines():
        if not pending and line.startswith("#"):
            comments.append(line)
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            result.append((comments, shlex.split(pending)))
            comments = []
        pending = ""
    if pending.strip():
        raise PlanError(f"a command ends with a line continuation: {pending!r}")
    return result


def sections(text):
    """`deploy-args --all` output → [(stack, [after ...], [(comments, words), ...])] in printed
    order, checking the `# i/N STACK (after A, B)` headers are numbered 1..N."""
    result = []
    for comments, words in commands(text):
        headers = [HEADER.match(c) for c in comments if HEADER.match(c)]
        if len(headers) > 1:
            raise PlanError(f"two stack headers before one command: {comments}")
        if headers:
            index, total, stack, after = headers[0].groups()
            if int(index) != len(result) + 1:
                raise PlanError(f"header {comments} out of sequence (expected {len(result) + 1})")
            result.append({"stack": stack, "total": int(total),
                           "after": [a.strip() for a in after.split(",")] if after else [], "commands": []})
        if not result:
            raise PlanError(f"a command before any '# i/N STACK' header: {shlex.join(words)}")
        result[-1]["commands"].append((comments, words))
    for section in result:
        if section["total"] != len(result):
            raise PlanError(f"headers say {section['total']} stacks, {len(result)} printed")
    return [(s["stack"], s["after"], s["commands"]) for s in result]


def option(words, name):
    """The values of `--name` in words (up to the next --option); None when absent."""
    if name not in words:
        return None
    start = words.index(name) + 1
    end = next((i for i in range(start, len(words)) if words[i].startswith("--")), len(words))
    return words[start:end]


def single(words, name):
    values = option(words, name)
    if values is None or len(values) != 1:
        raise PlanError(f"expected one value after {name} in: {shlex.join(words)}")
    return values[0]


# --- references across stacks ---------------------------------------------------------------------

def exports_of(template):
    """{export name: output name} of a template's Outputs with Export (names must be literal)."""
    found = {}
    for output_name, output in (template.get("Outputs") or {}).items():
        if "Export" in output:
            name = output["Export"].get("Name")
            if not isinstance(name, str):
                raise PlanError(f"output {output_name} exports a name that is not a literal string: {name!r}")
            found[name] = output_name
    return found


def imports_of(value, where="template"):
    """{export name: [where it is imported]} for every Fn::ImportValue in a template part."""
    found = {}

    def walk(node, path):
        if isinstance(node, dict):
            if len(node) == 1 and "Fn::ImportValue" in node:
                name = node["Fn::ImportValue"]
                if not isinstance(name, str):
                    raise PlanError(f"{path}: Fn::ImportValue of a name that is not a literal string: {name!r}")
                found.setdefault(name, []).append(path)
                return
            for key, item in node.items():
                walk(item, f"{path}.{key}")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]")

    walk(value, where)
    return found


def producers(templates):
    """{export name: producing stack} over templates {stack: template}; raises PlanError when two
    stacks export one name (CloudFormation refuses the second)."""
    found = {}
    for stack, template in templates.items():
        for name in exports_of(template):
            if name in found:
                raise PlanError(f"export {name} is declared by {found[name]} and {stack}")
            found[name] = stack
    return found


def reference_problems(printed, templates):
    """What is wrong with a printed deploy order [(stack, [after ...])] against the templates
    {stack: template}: every stack printed once and every template printed; every import
    exported by exactly one stack that is printed earlier; each stack's printed `after` exactly the
    stacks it imports from. [] when the order deploys."""
    problems = []
    order = [stack for stack, _ in printed]
    if sorted(order) != sorted(templates) or len(set(order)) != len(order):
        problems.append(f"printed stacks {order}, templates of {sorted(templates)}")
    try:
        exported_by = producers(templates)
    except PlanError as error:
        return problems + [str(error)]
    for position, (stack, after) in enumerate(printed):
        imported = imports_of(templates.get(stack, {}), stack)
        sources = set()
        for name, places in sorted(imported.items()):
            producer = exported_by.get(name)
            if producer is None:
                problems.append(f"{stack} imports {name} ({places[0]}), which no stack of the app exports")
                continue
            sources.add(producer)
            if producer not in order[:position]:
                problems.append(f"{stack} imports {name} from {producer}, which is not printed before it")
        if sorted(after) != sorted(sources):
            problems.append(f"{stack} is printed after {after or 'nothing'}; its imports come from {sorted(sources) or 'nothing'}")
    return problems


def importers(templates):
    """{export name: sorted stacks that import it}."""
    found = {}
    for stack, template in templates.items():
        for name in imports_of(template, stack):
            found.setdefault(name, set()).add(stack)
    return {name: sorted(stacks) for name, stacks in found.items()}


def deploy_command(words, template_dir=None):
    """A printed `aws cloudformation deploy` command → {stack, template_file, capabilities,
    parameters}; PlanError for anything else or a parameter left to fill in."""
    if words[:3] != ["aws", "cloudformation", "deploy"]:
        raise PlanError(f"expected aws cloudformation deploy, got: {shlex.join(words)}")
    parameters = {}
    for word in option(words, "--parameter-overrides") or []:
        name, _, value = word.partition("=")
        if value.startswith("<fill in"):
            raise PlanError(f"{name} is left to fill in ({value}); the references scenario deploys printed values only")
        parameters[name] = value
    return {"stack": single(words, "--stack-name"), "template_file": single(words, "--template-file"),
            "capabilities": option(words, "--capabilities") or [], "parameters": parameters}


# --- StackSets --------------------------------------------------------------------------------------

def stack_set_plan(section_commands):
    """The commands printed for one StackSet → {"create": create-stack-set words, "instances":
    create-stack-instances words, "update": update-stack-set words}, each under its comment."""
    found = {}
    phase = None
    for comments, words in section_commands:
        for comment in comments:
            if comment.startswith("# first deploy"):
                phase = "first"
            elif comment.startswith("# later deploys"):
                phase = "later"
        if words[:2] != ["aws", "cloudformation"] or len(words) < 3:
            raise PlanError(f"expected an aws cloudformation command, got: {shlex.join(words)}")
        key = {("first", "create-stack-set"): "create", ("first", "create-stack-instances"): "instances",
               ("later", "update-stack-set"): "update"}.get((phase, words[2]))
        if key is None or key in found:
            raise PlanError(f"unexpected {words[2]} under {phase or 'no'} deploy comment")
        found[key] = words
    missing = [k for k in ("create", "instances", "update") if k not in found]
    if missing:
        raise PlanError(f"missing {missing} commands")
    names = {single(words, "--stack-set-name") for words in found.values()}
    if len(names) != 1:
        raise PlanError(f"the commands name different stack sets: {sorted(names)}")
    return found


def shorthand(value):
    """An AWS CLI shorthand `A=1,B=x` → {"A": "1", "B": "x"} (no nesting, as deploy-args prints)."""
    result = {}
    for part in value.split(","):
        key, sep, item = part.partition("=")
        if not sep:
            raise PlanError(f"not KEY=VALUE shorthand: {value!r}")
        result[key] = item
    return result


def instance_targets(words):
    """create-stack-instances words → (accounts or None, organizational units or None, regions)."""
    accounts = option(words, "--accounts")
    targets = option(words, "--deployment-targets")
    units = None
    if targets is not None:
        if len(targets) != 1:
            raise PlanError(f"expected one --deployment-targets value: {targets}")
        units = [u for u in shorthand(targets[0]).get("OrganizationalUnitIds", "").split(",") if u]
        if not units:
            raise PlanError(f"--deployment-targets {targets[0]} names no organizational unit")
    if (accounts is None) == (units is None):
        raise PlanError(f"expected exactly one of --accounts and --deployment-targets: {shlex.join(words)}")
    regions = option(words, "--regions")
    if not regions:
        raise PlanError(f"no --regions in: {shlex.join(words)}")
    return accounts, units, regions


def stack_set_parameters(words):
    """--parameters ParameterKey=K,ParameterValue=V ... → {K: V}."""
    result = {}
    for word in option(words, "--parameters") or []:
        fields = shorthand(word)
        if set(fields) != {"ParameterKey", "ParameterValue"}:
            raise PlanError(f"unexpected parameter shorthand {word!r}")
        result[fields["ParameterKey"]] = fields["ParameterValue"]
    return result


def replaced(words, name, old, new):
    """words with `old` replaced by `new` inside the values of option `name` (each replacement
    must happen: PlanError otherwise)."""
    values = option(words, name)
    if values is None or not any(old in v for v in values):
        raise PlanError(f"{old} is not in {name} of: {shlex.join(words)}")
    start = words.index(name) + 1
    return words[:start] + [v.replace(old, new) for v in values] + words[start + len(values):]


# --- nested stacks ----------------------------------------------------------------------------------

def nested_stacks(template):
    """{logical ID: TemplateURL value} of the template's AWS::CloudFormation::Stack resources."""
    return {lid: (body.get("Properties") or {}).get("TemplateURL")
            for lid, body in (template.get("Resources") or {}).items()
            if body.get("Type") == "AWS::CloudFormation::Stack"}


def nested_output_reads(template):
    """Every `Fn::GetAtt [N, Outputs.X]` on a nested stack N of the template, as sorted
    [(where, N, X)] (`where` a path such as Outputs/NetworkVpcId/Value)."""
    nested = set(nested_stacks(template))
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            if len(node) == 1 and "Fn::GetAtt" in node:
                target = node["Fn::GetAtt"]
                if isinstance(target, str):
                    target = target.split(".", 1)
                if (isinstance(target, list) and len(target) == 2 and target[0] in nested
                        and isinstance(target[1], str) and target[1].startswith("Outputs.")):
                    found.append(("/".join(path), target[0], target[1][len("Outputs."):]))
                    return
            for key, value in node.items():
                walk(value, path + [key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + [str(index)])

    walk({k: v for k, v in template.items() if k in ("Resources", "Outputs")}, [])
    return sorted(found)


def without_nested_output_reads(template, placeholder):
    """A copy of the template with each `Fn::GetAtt [N, Outputs.X]` on a nested stack replaced by
    placeholder(N, X): moto 5.2 answers such a GetAtt with a 500 ('Stack' object has no attribute
    'get_cfn_attribute'), so the harness deploys the parent without it and reads the child's
    outputs from the child stack instead."""
    reads = {(n, x) for _, n, x in nested_output_reads(template)}

    def replace(node):
        if isinstance(node, dict):
            if len(node) == 1 and "Fn::GetAtt" in node:
                target = node["Fn::GetAtt"]
                if isinstance(target, str):
                    target = target.split(".", 1)
                if isinstance(target, list) and len(target) == 2 and isinstance(target[1], str) \
                        and target[1].startswith("Outputs.") and (target[0], target[1][len("Outputs."):]) in reads:
                    return placeholder(target[0], target[1][len("Outputs."):])
            return {key: replace(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replace(value) for value in node]
        return node

    return replace(template)


def printed_uploads(stderr):
    """The `aws s3 cp FILE s3://<Bucket>/KEY` commands deploy-args printed in its upload note, as
    [(file, bucket placeholder, key)]."""
    result = []
    for line in stderr.splitlines():
        line = line.strip()
        if not line.startswith("aws s3 cp "):
            continue
        words = shlex.split(line)
        if len(words) != 5 or not words[4].startswith("s3://"):
            raise PlanError(f"an upload command of an unexpected shape: {line!r}")
        bucket, _, key = words[4][len("s3://"):].partition("/")
        result.append((words[3], bucket, key))
    return result


def region_commands(text):
    """deploy-args output for a stack declared for regions → (account or None, [(region, deploy
    words)]): each `# region R` comment before a deploy whose --region is R."""
    account, result = None, []
    for comments, words in commands(text):
        region = None
        for comment in comments:
            match = re.match(r"^# account (\d{12}): ", comment)
            if match:
                account = match.group(1)
            match = re.match(r"^# region (\S+)$", comment)
            if match:
                region = match.group(1)
        if words[:3] != ["aws", "cloudformation", "deploy"]:
            raise PlanError(f"expected aws cloudformation deploy, got: {shlex.join(words)}")
        given = single(words, "--region")
        if region is not None and given != region:
            raise PlanError(f"the command under '# region {region}' deploys to --region {given}")
        result.append((given, words))
    return account, result
