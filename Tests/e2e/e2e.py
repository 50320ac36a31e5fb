#!/usr/bin/env python3
"""End-to-end proof that Formation's templates deploy through the real AWS CLI.

Starts moto_server on 127.0.0.1 (a free port), then for every stack of every app given:

  1. template checks on the synthesized template (checks.py);
  2. pipe form: `formation synth STACK --format yaml | aws cloudformation create-stack
     --template-body file:///dev/stdin` (capabilities and parameters from `formation deploy-args`),
     polled with describe-stacks until CREATE_COMPLETE, then read back: every resource's physical ID,
     every output, the parameters, and the stack's own read-backs (checks.py);
  3. update through a change set (create-change-set with a new template through a pipe, polled
     with describe-change-set, executed, polled until UPDATE_COMPLETE, read back);
  4. delete-stack, polled with list-stacks until the stack ID is DELETE_COMPLETE;
  5. deploy form: the `aws cloudformation deploy --template-file out/STACK.template.yaml ...` command
     that `formation deploy-args` prints, run in a shell as printed (file from `synth --out`), read
     back, deleted, verified gone.

moto cannot model some types: moto_compat.py (test-only) removes them and substitutes placeholders
for references to them, printing every substitution. Every wait is a bounded loop; every process
has a timeout; moto_server is stopped by its PID on exit, whatever the exit.

Usage: e2e.py --app PATH_TO_FORMATION[:STACK,STACK...] [--app ...] [--jobs N] [--timeout S]
"""

import argparse
import atexit
import copy
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import checks  # noqa: E402
import moto_compat  # noqa: E402

REGION = "us-east-1"
CALL_TIMEOUT = 60        # seconds for any one process
POLL_TIMEOUT = 30        # seconds for any one status to be reached
POLL_INTERVAL = 0.25
SERVER_START_TIMEOUT = 30
UPDATE_MARKER = "FormationE2EUpdateMarker"


def tool(name):
    """The path of a Python console script: beside this interpreter first (where `python3 -m pip`
    installed it; this skips pyenv-style shims, which cost ~0.1 s per call), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    return shutil.which(name)


class Failure(Exception):
    """A check failed or a step could not run; the message says which and why."""


_print_lock = threading.Lock()


def say(prefix, message):
    with _print_lock:
        for line in str(message).splitlines() or [""]:
            print(f"[{prefix}] {line}", flush=True)


# --- processes -----------------------------------------------------------------------------------

def aws_environment():
    """The environment for every aws process: dummy credentials, one attempt, no config files,
    no instance metadata, no proxies (so nothing leaves 127.0.0.1)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update({
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    })
    return env


def run(argv, *, input_text=None, env=None, timeout=CALL_TIMEOUT):
    """Runs argv; returns CompletedProcess (text). Raises Failure on a timeout."""
    try:
        return subprocess.run(argv, input=input_text, capture_output=True, text=True,
                              env=env, timeout=timeout, stdin=None if input_text is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out after {timeout}s: {shlex.join(argv)}")


def pipeline(stages, *, env, timeout=CALL_TIMEOUT):
    """Runs stages connected by OS pipes (stage i's stdout is stage i+1's stdin), like a shell
    pipeline. Returns (exit statuses, stdout of the last stage, stderr of every stage)."""
    processes, errors = [], []
    previous = None
    try:
        for index, argv in enumerate(stages):
            error = tempfile.TemporaryFile(mode="w+")
            errors.append(error)
            process = subprocess.Popen(argv, stdin=previous.stdout if previous else subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=error, env=env, text=True)
            if previous:
                previous.stdout.close()  # the next stage owns the read end now
            processes.append(process)
            previous = process
        deadline = time.monotonic() + timeout
        output = processes[-1].communicate(timeout=timeout)[0]
        statuses = [p.wait(timeout=max(0.1, deadline - time.monotonic())) for p in processes]
    except subprocess.TimeoutExpired:
        raise Failure(f"pipeline timed out after {timeout}s: {' | '.join(shlex.join(a) for a in stages)}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    texts = []
    for error in errors:
        error.seek(0)
        texts.append(error.read())
        error.close()
    return statuses, output, texts


# --- moto_server ---------------------------------------------------------------------------------

class MotoServer:
    """moto_server on 127.0.0.1 at a free port; stopped by its PID."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        executable = tool("moto_server")
        if not executable:
            raise Failure("moto_server is not on PATH (make pydeps installs moto[server]==5.2.1)")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log_path = os.path.join(self.workdir, "moto_server.log")
        log = open(self.log_path, "w")
        self.process = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise Failure(f"moto_server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                opener.open(self.url + "/moto-api/", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return  # it answered
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise Failure(f"moto_server did not answer on {self.url} within {SERVER_START_TIMEOUT}s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        pid = self.process.pid
        try:
            os.kill(pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        say("e2e", f"stopped moto_server (PID {pid})")

    def log_tail(self, lines=30):
        try:
            with open(self.log_path) as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return "(no log)"


# --- one stack -----------------------------------------------------------------------------------

class StackContext:
    """Everything the checks of one stack need (see checks.py)."""

    def __init__(self, run_, stack_name):
        self.run = run_
        self.stack_name = stack_name
        self.environment = stack_name.rsplit("-", 1)[-1]
        self.template = None
        self.deployed_template = None
        self.stripped = {}
        self.outputs = {}
        self.parameters = {}
        self.resources = {}
        self.failures = []

    def log(self, message):
        say(self.stack_name, message)

    def aws(self, *args, input_text=None):
        """Runs `aws --endpoint-url URL ARGS --output json`; returns the parsed JSON."""
        result = run(self.run.aws_argv(*args), input_text=input_text, env=self.run.env)
        if result.returncode != 0:
            raise Failure(f"aws {shlex.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def aws_error(self, *args):
        """Runs an aws command that must fail; returns its stderr (Failure when it succeeds)."""
        result = run(self.run.aws_argv(*args), env=self.run.env)
        if result.returncode == 0:
            raise Failure(f"aws {shlex.join(args)} succeeded but should have failed")
        return result.stderr

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)
            self.log(f"FAIL {message}")

    def expect_equal(self, actual, expected, what):
        self.expect(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")

    def expect_output(self, name, expected):
        """Checks an output's value, unless moto cannot report outputs for this stack."""
        if self.outputs is None:
            self.log(f"output {name} not checked: moto 5.2 gives stacks created by a change set no outputs")
            return
        self.expect_equal(self.outputs.get(name), expected, f"output {name}")


class E2ERun:
    def __init__(self, server, workdir):
        self.server = server
        self.workdir = workdir
        self.env = aws_environment()
        self.aws_executable = tool("aws")
        if not self.aws_executable:
            raise Failure("aws is not on PATH (make pydeps installs awscli==1.45.11)")

    def aws_argv(self, *args):
        return [self.aws_executable, "--endpoint-url", self.server.url, "--region", REGION, "--output", "json", *args]

    # The whole sequence for one stack.
    def exercise(self, formation, stack_name, out_dir):
        ctx = StackContext(self, stack_name)
        timings = {}
        started = time.monotonic()
        try:
            synth = run([formation, "synth", stack_name, "--format", "json", "--quiet"])
            if synth.returncode != 0:
                raise Failure(f"formation synth {stack_name} failed: {synth.stderr}")
            ctx.template = json.loads(synth.stdout)
            ctx.deployed_template, notes = moto_compat.adapt(ctx.template)
            ctx.stripped = {lid: body["Type"] for lid, body in ctx.template["Resources"].items()
                            if lid not in ctx.deployed_template["Resources"]}
            problems = moto_compat.check_coverage(ctx.template)
            if problems:
                raise Failure("; ".join(problems))
            for note in notes:
                ctx.log(f"moto-compat: {note}")
            for check in checks.matching(checks.TEMPLATE_CHECKS, stack_name):
                check(ctx)

            plan = self.deploy_plan(formation, stack_name, out_dir)
            ctx.log(f"deploy-args: capabilities {plan['capabilities'] or 'none'}, "
                    f"parameters {sorted(plan['parameters']) or 'none'}")

            # The deploy form first: moto 5.2 forgets a log group whose properties an update
            # changed and leaves it behind on delete, which would block a second create.
            phase = time.monotonic()
            stack = self.deploy_form(ctx, formation, plan, adapted=bool(notes))
            self.read_back(ctx, "deploy", stack)
            self.delete(ctx, stack["StackId"])
            timings["deploy"] = time.monotonic() - phase

            phase = time.monotonic()
            stack = self.pipe_create(ctx, formation, plan, adapted=bool(notes))
            self.read_back(ctx, "pipe create", stack)
            timings["pipe create"] = time.monotonic() - phase

            phase = time.monotonic()
            self.change_set_update(ctx, formation, plan)
            timings["change set"] = time.monotonic() - phase

            phase = time.monotonic()
            self.delete(ctx, stack["StackId"])
            timings["delete"] = time.monotonic() - phase
        except Failure as failure:
            ctx.failures.append(str(failure))
            ctx.log(f"FAIL {failure}")
        except Exception as error:  # a harness bug must fail the run, not hang or pass
            ctx.failures.append(f"{type(error).__name__}: {error}")
            ctx.log(f"FAIL {type(error).__name__}: {error}")
        total = time.monotonic() - started
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
        ctx.log(f"{'FAILED' if ctx.failures else 'ok'} in {total:.1f}s ({phases})")
        return stack_name, ctx.failures, total, len(ctx.stripped)

    def deploy_plan(self, formation, stack, out_dir):
        """The words of `formation deploy-args`, parsed the way a shell would."""
        result = run([formation, "deploy-args", stack, "--format", "yaml", "--out", out_dir, "--quiet"])
        if result.returncode != 0:
            raise Failure(f"formation deploy-args {stack} failed: {result.stderr}")
        words = shlex.split(result.stdout.replace("\\\n", " "))
        if words[:3] != ["aws", "cloudformation", "deploy"]:
            raise Failure(f"deploy-args printed something else: {result.stdout}")

        def values(option):
            if option not in words:
                return []
            start = words.index(option) + 1
            end = next((i for i in range(start, len(words)) if words[i].startswith("--")), len(words))
            return words[start:end]

        parameters = {}
        for word in values("--parameter-overrides"):
            name, _, value = word.partition("=")
            parameters[name] = value
        return {"text": result.stdout, "words": words, "capabilities": values("--capabilities"),
                "parameters": parameters, "template_file": values("--template-file")[0]}

    @staticmethod
    def filled(parameters, stack):
        """Parameters with deploy-args placeholders replaced by checks.PLACEHOLDER_VALUES."""
        result = {}
        for name, value in parameters.items():
            if value.startswith("<fill in"):
                if name not in checks.PLACEHOLDER_VALUES:
                    raise Failure(f"deploy-args left {name}={value} and checks.PLACEHOLDER_VALUES has no value for it")
                value = checks.PLACEHOLDER_VALUES[name]
            result[name] = value
        return result

    def stack_arguments(self, plan, stack, overrides=None):
        parameters = self.filled(plan["parameters"], stack)
        parameters.update(overrides or {})
        argv = []
        if plan["capabilities"]:
            argv += ["--capabilities", *plan["capabilities"]]
        if parameters:
            argv += ["--parameters", json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])]
        return argv

    def compat_stages(self, formation):
        """Pipeline stages that adapt a YAML template on stdin for moto (YAML out)."""
        return [[formation, "convert", "-", "--to", "json"],
                [sys.executable, os.path.join(HERE, "moto_compat.py")],
                [formation, "convert", "-", "--to", "yaml"]]

    def pipe_create(self, ctx, formation, plan, adapted):
        stages = [[formation, "synth", ctx.stack_name, "--format", "yaml"]]
        if adapted:
            stages += self.compat_stages(formation)
        stages.append(self.aws_argv("cloudformation", "create-stack", "--stack-name", ctx.stack_name,
                                    "--template-body", "file:///dev/stdin", *self.stack_arguments(plan, ctx.stack_name)))
        ctx.log("pipe: " + " | ".join(["formation synth %s --format yaml" % ctx.stack_name]
                                      + (["formation convert - --to json", "moto_compat.py", "formation convert - --to yaml"] if adapted else [])
                                      + ["aws cloudformation create-stack --template-body file:///dev/stdin ..."]))
        statuses, output, errors = pipeline(stages, env=self.env)
        if any(statuses):
            details = "\n".join(f"  stage {i + 1} exit {s}: {e.strip()}" for i, (s, e) in enumerate(zip(statuses, errors)) if s or e.strip())
            raise Failure(f"create-stack pipeline failed:\n{details}")
        return self.wait_for_stack(ctx, json.loads(output)["StackId"], "CREATE_COMPLETE")

    def wait_for_stack(self, ctx, stack_id, wanted):
        """Polls describe-stacks (bounded) until the stack reaches `wanted`."""
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            stacks = ctx.aws("cloudformation", "describe-stacks", "--stack-name", stack_id)["Stacks"]
            status = stacks[0]["StackStatus"]
            if status == wanted:
                ctx.log(f"{status}")
                return stacks[0]
            if status.endswith("FAILED") or "ROLLBACK" in status or (status.endswith("COMPLETE") and status != wanted):
                raise Failure(f"stack reached {status} instead of {wanted}: {stacks[0].get('StackStatusReason')}")
            if time.monotonic() > deadline:
                raise Failure(f"stack still {status} after {POLL_TIMEOUT}s (wanted {wanted})")
            time.sleep(POLL_INTERVAL)

    def read_back(self, ctx, when, stack):
        """Generic read-back (resources, outputs, parameters) and the stack's own checks;
        `stack` is the stack's describe-stacks entry."""
        outputs_available = when != "deploy" or moto_compat.OUTPUTS_AFTER_CHANGE_SET_CREATE
        ctx.outputs = {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs") or []} if outputs_available else None
        ctx.parameters = {p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])}
        listed = ctx.aws("cloudformation", "describe-stack-resources", "--stack-name", ctx.stack_name)["StackResources"]
        ctx.resources = {}
        for entry in listed:
            if "LogicalResourceId" not in entry:
                ctx.expect(False, f"{when}: moto skipped a resource silently ({entry}); moto_compat.UNMODELED is missing its type")
                continue
            ctx.resources[entry["LogicalResourceId"]] = entry.get("PhysicalResourceId")
            ctx.expect(entry.get("ResourceStatus") in ("CREATE_COMPLETE", "UPDATE_COMPLETE"),
                       f"{when}: {entry['LogicalResourceId']} is {entry.get('ResourceStatus')}")
        for logical_id, body in ctx.deployed_template["Resources"].items():
            if body.get("Type") == "AWS::Lambda::Permission":
                ctx.expect(logical_id in ctx.resources, f"{when}: resource {logical_id} missing from describe-stack-resources")
                continue  # moto gives permissions no physical ID
            ctx.expect(bool(ctx.resources.get(logical_id)), f"{when}: resource {logical_id} has no physical ID")
        for name in ctx.deployed_template.get("Outputs", {}) if ctx.outputs is not None else []:
            ctx.expect(name in ctx.outputs, f"{when}: output {name} missing")
        for name, definition in ctx.deployed_template.get("Parameters", {}).items():
            ctx.expect(name in ctx.parameters, f"{when}: parameter {name} missing")
        outputs = "outputs not reported by moto" if ctx.outputs is None else f"{len(ctx.outputs)} outputs"
        ctx.log(f"{when}: read back {len(ctx.resources)} resources, {outputs}, {len(ctx.parameters)} parameters")
        for check in checks.matching(checks.READBACKS, ctx.stack_name):
            check(ctx)
        if ctx.failures:
            raise Failure(f"{when}: {len(ctx.failures)} read-back check(s) failed")

    def change_set_update(self, ctx, formation, plan):
        """A new template (the stack plus a marker SSM parameter) and changed parameters, applied
        through create-change-set → describe-change-set → execute-change-set."""
        marker_name = f"/formation-e2e/{ctx.stack_name}/update-marker"
        updated = copy.deepcopy(ctx.deployed_template)
        updated["Resources"][UPDATE_MARKER] = {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": marker_name, "Type": "String", "Value": "updated by change set"}}
        converted = run([formation, "convert", "-", "--to", "yaml"], input_text=json.dumps(updated))
        if converted.returncode != 0:
            raise Failure(f"formation convert failed: {converted.stderr}")
        changes = checks.update_parameters(ctx.stack_name)
        created = ctx.aws("cloudformation", "create-change-set", "--stack-name", ctx.stack_name,
                          "--change-set-name", "formation-e2e-update", "--change-set-type", "UPDATE",
                          "--template-body", "file:///dev/stdin", *self.stack_arguments(plan, ctx.stack_name, changes),
                          input_text=converted.stdout)
        change_set_id = created["Id"]
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            described = ctx.aws("cloudformation", "describe-change-set", "--change-set-name", change_set_id)
            if described["Status"] == "CREATE_COMPLETE":
                break
            if described["Status"] == "FAILED":
                raise Failure(f"change set failed: {described.get('StatusReason')}")
            if time.monotonic() > deadline:
                raise Failure(f"change set still {described['Status']} after {POLL_TIMEOUT}s")
            time.sleep(POLL_INTERVAL)
        actions = {(c["ResourceChange"]["LogicalResourceId"], c["ResourceChange"]["Action"])
                   for c in described.get("Changes", []) if c.get("Type") == "Resource"}
        ctx.expect((UPDATE_MARKER, "Add") in actions, f"change set adds {UPDATE_MARKER}; changes: {sorted(actions)}")
        ctx.aws("cloudformation", "execute-change-set", "--change-set-name", change_set_id)
        stack = self.wait_for_stack(ctx, ctx.stack_name, "UPDATE_COMPLETE")
        marker = ctx.aws("ssm", "get-parameter", "--name", marker_name)["Parameter"]["Value"]
        ctx.expect_equal(marker, "updated by change set", f"SSM parameter {marker_name}")
        ctx.parameters = {p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])}
        for name, value in changes.items():
            ctx.expect_equal(ctx.parameters.get(name), value, f"parameter {name} after the update")
        for check in checks.matching(checks.AFTER_UPDATE, ctx.stack_name):
            check(ctx)
        ctx.log(f"change set executed: {len(actions)} resource change(s), parameters {changes or 'unchanged'}")
        if ctx.failures:
            raise Failure("update read-back failed")
        ctx.marker_name = marker_name

    def delete(self, ctx, stack_id):
        """delete-stack, then list-stacks (bounded) until this stack ID is DELETE_COMPLETE and no
        stack of that name is left in any other state."""
        ctx.aws("cloudformation", "delete-stack", "--stack-name", stack_id)
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            summaries = ctx.aws("cloudformation", "list-stacks")["StackSummaries"]
            ours = [s for s in summaries if s["StackId"] == stack_id]
            alive = [s for s in summaries if s["StackName"] == ctx.stack_name and s["StackStatus"] != "DELETE_COMPLETE"]
            if ours and ours[0]["StackStatus"] == "DELETE_COMPLETE" and not alive:
                break
            if ours and ours[0]["StackStatus"] == "DELETE_FAILED":
                raise Failure(f"delete failed: {ours[0].get('StackStatusReason')}")
            if time.monotonic() > deadline:
                raise Failure(f"after {POLL_TIMEOUT}s list-stacks shows {[(s['StackId'], s['StackStatus']) for s in ours + alive]}")
            time.sleep(POLL_INTERVAL)
        marker_name = getattr(ctx, "marker_name", None)
        if marker_name:
            error = ctx.aws_error("ssm", "get-parameter", "--name", marker_name)
            ctx.expect("ParameterNotFound" in error, f"{marker_name} deleted with the stack: {error.strip()}")
            ctx.marker_name = None
        ctx.log("deleted: list-stacks shows DELETE_COMPLETE")

    def deploy_form(self, ctx, formation, plan, adapted):
        """Runs the command deploy-args printed, on the file synth --out wrote."""
        template_file = plan["template_file"]
        if not os.path.isfile(template_file):
            raise Failure(f"{template_file} (from deploy-args) was not written by synth --out")
        words = list(plan["words"])
        needs_words = adapted or any(v.startswith("<fill in") for v in plan["parameters"].values())
        if adapted:
            adapted_file = os.path.join(self.workdir, "moto-templates", os.path.basename(template_file))
            os.makedirs(os.path.dirname(adapted_file), exist_ok=True)
            converted = run([formation, "convert", template_file, "--to", "json"])
            adapted_json = json.dumps(moto_compat.adapt(json.loads(converted.stdout))[0])
            yaml = run([formation, "convert", "-", "--to", "yaml"], input_text=adapted_json)
            if converted.returncode or yaml.returncode:
                raise Failure(f"adapting {template_file} failed: {converted.stderr}{yaml.stderr}")
            with open(adapted_file, "w") as target:
                target.write(yaml.stdout)
            words[words.index("--template-file") + 1] = adapted_file
            ctx.log(f"deploy: {template_file} adapted for moto as {adapted_file}")
        if needs_words:
            filled = self.filled(plan["parameters"], ctx.stack_name)
            if "--parameter-overrides" in words:
                start = words.index("--parameter-overrides") + 1
                for offset, name in enumerate(plan["parameters"]):
                    words[start + offset] = f"{name}={filled[name]}"
            argv = [self.aws_executable] + words[1:] + ["--endpoint-url", self.server.url]
            ctx.log("deploy: deploy-args words with placeholders filled: aws cloudformation deploy ...")
            result = run(argv, env=self.env)
        else:
            command = plan["text"].rstrip("\n") + f" --endpoint-url {self.server.url}"
            ctx.log("deploy: sh -c \"$(formation deploy-args ...) --endpoint-url ...\" (as printed)")
            shell_env = dict(self.env)
            shell_env["PATH"] = os.path.dirname(self.aws_executable) + os.pathsep + shell_env.get("PATH", "")
            result = run(["/bin/sh", "-c", command], env=shell_env)
        if result.returncode != 0:
            raise Failure(f"aws cloudformation deploy failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        return self.wait_for_stack(ctx, ctx.stack_name, "CREATE_COMPLETE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", action="append", required=True,
                        help="a formation executable, optionally :STACK,STACK (default: every stack it lists)")
    parser.add_argument("--jobs", type=int, default=2, help="stacks exercised at once (default 2)")
    parser.add_argument("--timeout", type=int, default=300, help="abort the whole run after this many seconds")
    options = parser.parse_args()

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="formation-e2e-")
    server = MotoServer(workdir)

    def cleanup():
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    atexit.register(cleanup)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(128 + number))

    def abort():
        say("e2e", f"FAIL the run exceeded {options.timeout}s; stopping")
        cleanup()
        os._exit(1)

    watchdog = threading.Timer(options.timeout, abort)
    watchdog.daemon = True
    watchdog.start()

    try:
        work = []
        for index, spec in enumerate(options.app):
            formation, _, names = spec.partition(":")
            formation = os.path.abspath(formation)
            if names:
                stacks = names.split(",")
            else:
                listing = run([formation, "list"])
                if listing.returncode != 0:
                    raise Failure(f"formation list failed: {listing.stderr}")
                stacks = [line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip()]
            out_dir = os.path.join(workdir, f"out-{index}")
            synth = run([formation, "synth", *stacks, "--format", "yaml", "--out", out_dir])
            if synth.returncode != 0:
                raise Failure(f"formation synth --out failed:\n{synth.stderr}")
            say("e2e", f"{os.path.basename(formation)}: synth --out wrote {len(stacks)} templates")
            work += [(formation, stack, out_dir) for stack in stacks]

        server.start()
        say("e2e", f"moto_server PID {server.process.pid} answering on {server.url} "
                   f"after {time.monotonic() - started:.1f}s")
        e2e = E2ERun(server, workdir)
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            results = list(pool.map(lambda item: e2e.exercise(*item), work))
    except Failure as failure:
        say("e2e", f"FAIL {failure}")
        return 1
    finally:
        watchdog.cancel()

    failed = [(stack, failures) for stack, failures, _, _ in results if failures]
    say("e2e", f"{len(results) - len(failed)}/{len(results)} stacks passed in {time.monotonic() - started:.1f}s "
               f"(moto_server on 127.0.0.1:{server.port})")
    for stack, failures in failed:
        for failure in failures:
            say("e2e", f"FAIL {stack}: {failure}")
    if failed:
        say("e2e", f"moto_server log tail:\n{server.log_tail()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
