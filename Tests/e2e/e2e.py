#!/usr/bin/env python3
"""End-to-end proof that Formation's templates deploy through the real AWS CLI.

Starts moto_server on 127.0.0.1 (a free port), creates in it the network the stacks take as
parameters (network.py: per environment a VPC with the environment's CIDR and its subnets), then
for every stack of every app given:

  1. template checks on the synthesized template (checks.py); the printed `formation deploy-args`
     command must name every parameter without a Default, and its values must pass the template's
     AllowedPattern/AllowedValues; code assets: a moto bucket per stack, and the `aws s3 cp`
     commands deploy-args prints run with it filled in (assets.py);
  2. deploy form (one environment per stack family): the `aws cloudformation deploy
     --template-file out/STACK.template.yaml ...` command that `formation deploy-args` prints, run
     as printed, with the moto network's values in place of the printed ones in its
     `--parameter-overrides` (each replacement printed); read back, deleted, verified gone;
  3. pipe form (every stack): `formation synth STACK --format yaml | aws cloudformation create-stack
     --template-body file:///dev/stdin --parameters ...`, polled to CREATE_COMPLETE, then read back:
     every resource's physical ID, every output, every parameter as passed, and the stack's own
     read-backs (checks.py);
  4. update through a change set (one environment per family): a new template piped to
     create-change-set, polled with describe-change-set, executed, polled to UPDATE_COMPLETE, read back;
     (a template over 51,200 bytes goes through S3 in every form: deploy's --s3-bucket, or
     `aws s3 cp -` and --template-url;)
  5. delete-stack, polled with list-stacks until the stack ID is DELETE_COMPLETE.

moto cannot model some types: moto_compat.py (test-only) removes them and substitutes placeholders
for references to them, printing every substitution. The user-facing commands (2, 3 and the piped
change set) run as real `aws` processes; the many small calls (polls, read-backs, network set-up)
go through the AWS CLI's own driver in long-lived helper processes (awscli_driver.py), which saves
its ~0.7 s start-up per call; `--aws-per-call` runs those as processes too. Every wait is a
bounded loop; every process has a timeout; moto_server and the helpers are stopped by their PIDs
on exit, whatever the exit.

Usage: e2e.py --app PATH_TO_FORMATION[:STACK,STACK...] [--app ...] [--jobs N] [--timeout S]
              [--all-forms] [--aws-per-call]
"""

import argparse
import atexit
import resource
import copy
import hashlib
import ipaddress
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import assets  # noqa: E402
import awscli_driver  # noqa: E402
import checks  # noqa: E402
import moto_compat  # noqa: E402
import multistack  # noqa: E402
import network  # noqa: E402
import readback  # noqa: E402

REGION = "us-east-1"
CALL_TIMEOUT = 60        # seconds for any one process
POLL_TIMEOUT = 30        # seconds for any one status to be reached
POLL_INTERVAL = 0.2
SERVER_START_TIMEOUT = 30
UPDATE_MARKER = "FormationE2EUpdateMarker"
TEMPLATE_BODY_LIMIT = 51200  # bytes CloudFormation takes in --template-body; more needs S3


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

def aws_environment(endpoint=None):
    """The environment for every aws process: dummy credentials, one attempt, no config files,
    no instance metadata, no proxies, and AWS_ENDPOINT_URL, so that even a client the CLI makes
    without --endpoint-url (`cloudformation deploy` uploads to S3 with one) talks to moto on
    127.0.0.1 and nothing leaves the machine."""
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
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


def run(argv, *, input_text=None, env=None, timeout=CALL_TIMEOUT):
    """Runs argv; returns CompletedProcess (text). Raises Failure on a timeout."""
    try:
        return subprocess.run(argv, input=input_text, capture_output=True, text=True,
                              env=env, timeout=timeout, stdin=None if input_text is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out after {timeout}s: {shlex.join(argv)}")


def pipeline(stages, *, env, timeout=CALL_TIMEOUT, first_stdin=None):
    """Runs stages connected by OS pipes (stage i's stdout is stage i+1's stdin), like a shell
    pipeline; the first stage reads first_stdin (a file) or nothing. Returns (exit statuses,
    stdout of the last stage, stderr of every stage)."""
    processes, errors = [], []
    previous = None
    try:
        for index, argv in enumerate(stages):
            error = tempfile.TemporaryFile(mode="w+")
            errors.append(error)
            process = subprocess.Popen(argv, stdin=previous.stdout if previous else (first_stdin or subprocess.DEVNULL),
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

    def cpu_seconds(self):
        """moto_server's CPU time so far (user + system), from /proc; None where unreadable."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, AttributeError):
            return None

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

def flow_failure(label, error, where):
    """What an app flow records for an exception that ended it: a Failure as `where` + its
    message; anything else (a harness bug) with its type, the traceback printed."""
    if isinstance(error, Failure):
        message = f"{where}{error}"
        say(label, f"FAIL {message}")
        return message
    say(label, f"FAIL {type(error).__name__}: {error}\n{traceback.format_exc()}")
    return f"{type(error).__name__}: {error}"


class StackContext:
    """Everything the checks of one stack need (see checks.py)."""

    def __init__(self, run_, stack_name):
        self.run = run_
        self.stack_name = stack_name
        self.environment = stack_name.rsplit("-", 1)[-1]
        self.step = "template"
        self.template = None
        self.deployed_template = None
        self.stripped = {}
        self.network = None
        self.values = {}
        self.outputs = {}
        self.parameters = {}
        self.resources = {}
        self.stack_id = None
        self.asset_bucket = None
        self.bucket_created = False
        self.plan = {}
        self.assets = {}
        self.failures = []

    def log(self, message):
        say(self.stack_name, message)

    def aws(self, *args):
        """Runs `aws --endpoint-url URL ARGS --output json`; returns the parsed JSON."""
        status, output, error = self.run.aws_call(args)
        if status != 0:
            raise Failure(f"aws {shlex.join(args)} failed ({status}): {error.strip()}")
        return json.loads(output) if output.strip() else {}

    def aws_error(self, *args):
        """Runs an aws command that must fail; returns its stderr (Failure when it succeeds)."""
        status, _, error = self.run.aws_call(args)
        if status == 0:
            raise Failure(f"aws {shlex.join(args)} succeeded but should have failed")
        return error

    def expect(self, condition, message):
        if not condition:
            message = f"{self.step}: {message}"
            self.failures.append(message)
            self.log(f"FAIL {message}")

    def expect_equal(self, actual, expected, what):
        self.expect(actual == expected, f"{what}: {difference(actual, expected)}")

    def expect_output(self, name, expected):
        """Checks an output's value, unless moto cannot report outputs for this stack."""
        if self.outputs is None:
            self.log(f"{self.step}: output {name} not checked: moto 5.2 gives stacks created by a change set no outputs")
            return
        self.expect_equal(self.outputs.get(name), expected, f"output {name}")


def difference(actual, expected):
    """What differs, for a failure message: for two dicts only the keys that differ (missing,
    unexpected, changed), else both values."""
    if isinstance(actual, dict) and isinstance(expected, dict) and actual != expected:
        parts = []
        for key in list(expected) + [k for k in actual if k not in expected]:
            if key not in actual:
                parts.append(f"{key!r} missing (expected {expected[key]!r})")
            elif key not in expected:
                parts.append(f"{key!r} unexpected ({actual[key]!r})")
            elif actual[key] != expected[key]:
                parts.append(f"{key!r}: expected {expected[key]!r}, got {actual[key]!r}")
        return "differs at " + "; ".join(parts)
    return f"expected {expected!r}, got {actual!r}"


def family_of(stack_name):
    """A stack's family: its name without the trailing -<environment>."""
    return stack_name.rsplit("-", 1)[0]


class E2ERun:
    def __init__(self, server, workdir, per_call=False):
        self.server = server
        self.workdir = workdir
        self.per_call = per_call
        self.env = aws_environment(server.url)
        self.aws_executable = tool("aws")
        if not self.aws_executable:
            raise Failure("aws is not on PATH (make pydeps installs awscli==1.45.11)")
        self.aws_python = awscli_driver.interpreter_of(self.aws_executable) or sys.executable
        self.local = threading.local()
        self.lock = threading.Lock()
        self.drivers = []
        self.counts = {"aws processes": 0, "aws driver calls": 0}
        self.networks = {}

    def aws_argv(self, *args):
        return [self.aws_executable, *self.global_options(), *args]

    def global_options(self):
        return ["--endpoint-url", self.server.url, "--region", REGION, "--output", "json"]

    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def aws_call(self, args):
        """`aws GLOBAL-OPTIONS ARGS`: (exit status, stdout, stderr), through this thread's helper
        (awscli_driver) or, with --aws-per-call, a process."""
        argv = [*self.global_options(), *args]
        if self.per_call:
            self.count("aws processes")
            result = run([self.aws_executable, *argv], env=self.env)
            return result.returncode, result.stdout, result.stderr
        driver = getattr(self.local, "driver", None)
        if driver is None or driver.process.poll() is not None:
            try:
                driver = awscli_driver.Driver(self.aws_python, self.env)
            except awscli_driver.DriverError as error:
                raise Failure(str(error))
            with self.lock:
                self.drivers.append(driver)
            self.local.driver = driver
        self.count("aws driver calls")
        try:
            return driver.call(argv, CALL_TIMEOUT)
        except awscli_driver.DriverError as error:
            raise Failure(str(error))

    def shell_environment(self):
        """The environment for printed commands run in /bin/sh: the run's (endpoint, dummy
        credentials), with the pinned aws first on PATH."""
        shell_env = dict(self.env)
        shell_env["PATH"] = os.path.dirname(self.aws_executable) + os.pathsep + shell_env.get("PATH", "")
        return shell_env

    def stop_drivers(self):
        with self.lock:
            drivers, self.drivers = self.drivers, []
        for driver in drivers:
            driver.stop()

    # The whole sequence for one stack.
    def exercise(self, formation, stack_name, out_dir, full):
        ctx = StackContext(self, stack_name)
        timings = {}
        started = time.monotonic()
        try:
            synth = run([formation, "synth", stack_name, "--format", "json", "--quiet"])
            if synth.returncode != 0:
                raise Failure(f"formation synth {stack_name} failed: {synth.stderr}")
            notes = self.prepare_template(ctx, json.loads(synth.stdout))

            ctx.step = "deploy-args"
            plan = ctx.plan = self.deploy_plan(formation, stack_name, out_dir)
            ctx.log(f"deploy-args: capabilities {plan['capabilities'] or 'none'}, "
                    f"parameters {sorted(plan['parameters']) or 'none'}")
            self.parameter_values(ctx, plan)
            if ctx.failures:
                raise Failure(f"{len(ctx.failures)} check(s) failed before deploying")
            ctx.step = "assets"
            self.upload_assets(ctx, plan, out_dir, as_printed=full)
            timings["setup"] = time.monotonic() - started

            if full:
                # The deploy form first: moto 5.2 forgets a log group whose properties an update
                # changed and leaves it behind on delete, which would block a second create.
                phase = time.monotonic()
                ctx.step = "deploy form"
                stack = self.deploy_form(ctx, formation, plan, adapted=bool(notes))
                self.read_back(ctx, stack)
                self.delete(ctx, stack["StackId"])
                timings["deploy form"] = time.monotonic() - phase

            phase = time.monotonic()
            ctx.step = "pipe form"
            stack = self.pipe_create(ctx, formation, plan, adapted=bool(notes))
            self.read_back(ctx, stack)
            timings["pipe form"] = time.monotonic() - phase

            if full:
                phase = time.monotonic()
                ctx.step = "change set"
                self.change_set_update(ctx, formation, plan)
                timings["change set"] = time.monotonic() - phase

            phase = time.monotonic()
            ctx.step = "delete"
            self.delete(ctx, stack["StackId"])
            timings["delete"] = time.monotonic() - phase
        except Failure as failure:
            ctx.failures.append(f"{ctx.step}: {failure}")
            ctx.log(f"FAIL {ctx.step}: {failure}")
        except Exception as error:  # a harness bug must fail the run, not hang or pass
            ctx.failures.append(f"{ctx.step}: {type(error).__name__}: {error}")
            ctx.log(f"FAIL {ctx.step}: {type(error).__name__}: {error}\n{traceback.format_exc()}")
        total = time.monotonic() - started
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
        ctx.log(f"{'FAILED' if ctx.failures else 'ok'} in {total:.1f}s ({'all forms' if full else 'pipe form'}: {phases})")
        return stack_name, ctx.failures, total, len(ctx.stripped)

    @staticmethod
    def run_checks(ctx, table):
        """Runs the checks registered for this stack; a check that cannot evaluate something
        fails with what and why instead of aborting the others."""
        for check in checks.matching(table, ctx.stack_name):
            try:
                check(ctx)
            except (Failure, readback.Unresolvable, KeyError) as error:
                ctx.expect(False, f"{check.__name__}: {type(error).__name__}: {error}")

    def prepare_template(self, ctx, template):
        """ctx.template, and what moto deploys of it (ctx.deployed_template: moto_compat's
        adaptation, ctx.stripped: the types it removed); the coverage check, the notes logged, the
        template checks run. Returns the notes."""
        ctx.template = template
        ctx.deployed_template, notes = moto_compat.adapt(template)
        ctx.stripped = {lid: body["Type"] for lid, body in template["Resources"].items()
                        if lid not in ctx.deployed_template["Resources"]}
        problems = moto_compat.check_coverage(template)
        if problems:
            raise Failure("; ".join(problems))
        for note in notes:
            ctx.log(f"moto-compat: {note}")
        self.run_checks(ctx, checks.TEMPLATE_CHECKS)
        return notes

    def deploy_plan(self, formation, stack, out_dir):
        """The words of `formation deploy-args`, parsed the way a shell would."""
        result = run([formation, "deploy-args", stack, "--format", "yaml", "--out", out_dir])
        if result.returncode != 0:
            raise Failure(f"formation deploy-args {stack} failed: {result.stderr}")
        if "differs from a fresh synth" in result.stderr or "does not exist yet" in result.stderr:
            raise Failure(f"deploy-args says the file synth --out wrote is not the stack's template: {result.stderr.strip()}")
        try:
            uploads = assets.upload_commands(result.stderr)
        except assets.AssetError as error:
            raise Failure(str(error))
        words = shlex.split(result.stdout.replace("\\\n", " "))
        if words[:3] != ["aws", "cloudformation", "deploy"]:
            raise Failure(f"deploy-args printed something else: {result.stdout}")
        start, end = option_span(words, "--parameter-overrides")
        parameters = {}
        for word in words[start:end]:
            name, _, value = word.partition("=")
            parameters[name] = value
        capabilities = words[slice(*option_span(words, "--capabilities"))]
        template_file = words[slice(*option_span(words, "--template-file"))]
        if len(template_file) != 1:
            raise Failure(f"deploy-args printed no single --template-file: {result.stdout}")
        s3_bucket = words[slice(*option_span(words, "--s3-bucket"))]
        if "--s3-bucket" in words and (len(s3_bucket) != 1 or not s3_bucket[0].startswith("<fill in")):
            raise Failure(f"deploy-args printed --s3-bucket {s3_bucket}; expected one placeholder to fill in")
        return {"text": result.stdout, "words": words, "capabilities": capabilities,
                "parameters": parameters, "template_file": template_file[0], "uploads": uploads,
                "needs_s3": "--s3-bucket" in words}

    def parameter_values(self, ctx, plan):
        """ctx.values: the parameter values to deploy with — the printed ones, the moto network's
        (and other harness values) where network.roles says the printed ones cannot work in moto,
        checks.PLACEHOLDER_VALUES where the printed command leaves a placeholder. Checks on the way
        that the printed command would work on a real account."""
        parameters = ctx.template.get("Parameters") or {}
        printed = plan["parameters"]
        for name, definition in parameters.items():
            ctx.expect(name in printed or "Default" in definition,
                       f"parameter {name} has no Default and the printed command does not set it")
        for name in printed:
            ctx.expect(name in parameters, f"the printed command sets {name}, which the template does not declare")
        usable = {n: v for n, v in printed.items() if not v.startswith("<fill in")}
        for problem in network.violations(ctx.template, usable):
            ctx.expect(False, f"printed deploy value rejected by the template: {problem}")
        try:
            roles = network.roles(ctx.template)
            if network.needs_network(roles):
                ctx.network = self.network_for(ctx, *network.requested_network(roles, printed))
            overrides = network.overrides(roles, ctx.network)
        except network.Unsupported as error:
            raise Failure(str(error))
        buckets = assets.bucket_parameters(printed)
        if len(buckets) > 1:
            raise Failure(f"deploy-args left several asset bucket parameters to fill in: {buckets}")
        for name in buckets:
            ctx.asset_bucket = assets.bucket_name(ctx.stack_name)
            overrides[name] = ctx.asset_bucket
        values = {}
        for name, value in printed.items():
            if name not in overrides and value.startswith("<fill in"):
                if name not in checks.PLACEHOLDER_VALUES:
                    raise Failure(f"deploy-args left {name}={value} and checks.PLACEHOLDER_VALUES has no value for it")
                overrides[name] = checks.PLACEHOLDER_VALUES[name]
            values[name] = value
        for name, value in overrides.items():
            reason = f"role {roles[name]}" if name in roles else "asset bucket" if name in buckets else "placeholder"
            ctx.log(f"parameter {name}: printed {printed.get(name, '(not printed)')!r} -> {value!r} for moto ({reason})")
        values.update(overrides)
        for problem in network.violations(ctx.template, values):
            ctx.expect(False, f"harness value rejected by the template: {problem}")
        ctx.overrides = overrides
        ctx.values = values

    def stack_bucket(self, ctx):
        """The stack's bucket in moto (code assets, and templates over the inline limit), created
        on first use."""
        if ctx.asset_bucket is None:
            ctx.asset_bucket = assets.bucket_name(ctx.stack_name)
        if not ctx.bucket_created:
            ctx.aws("s3api", "create-bucket", "--bucket", ctx.asset_bucket)
            ctx.bucket_created = True
        return ctx.asset_bucket

    def localhost_endpoint(self):
        """moto_server's URL by the name localhost, after checking that the name means loopback
        only here: moto 5.2 reads a TemplateURL as a path-style S3 URL only when it contains
        'localhost', and `aws cloudformation deploy --s3-bucket` builds that URL from its S3
        client's endpoint."""
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo("localhost", self.server.port, proto=socket.IPPROTO_TCP)}
        except OSError as error:
            raise Failure(f"localhost does not resolve ({error}); the --s3-bucket form needs it for moto")
        if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
            raise Failure(f"localhost resolves to {sorted(addresses)}, not only loopback; the harness sends nothing off 127.0.0.1")
        return f"http://localhost:{self.server.port}"

    def create_from_s3(self, ctx, stages, input_text, key, create_args):
        """For a template over the inline limit: the YAML the stages produce is piped to
        `aws s3 cp - s3://BUCKET/KEY` (a real process), then `aws CREATE_ARGS --template-url
        https://BUCKET.s3.amazonaws.com/KEY` (which moto resolves to its own bucket, in process).
        Returns the create call's parsed answer."""
        bucket = self.stack_bucket(ctx)
        stages = stages + [self.aws_argv("s3", "cp", "-", f"s3://{bucket}/{key}")]
        ctx.log(f"{ctx.step}: the template is over {TEMPLATE_BODY_LIMIT} bytes: ... | aws s3 cp - s3://{bucket}/{key}, "
                f"then {' '.join(create_args[:2])} --template-url https://{bucket}.s3.amazonaws.com/{key}")
        self.count("aws processes")
        if input_text is None:
            statuses, _, errors = pipeline(stages, env=self.env)
        else:
            statuses, _, errors = pipeline_with_input(stages, input_text, env=self.env)
        if any(statuses):
            details = "\n".join(f"  stage {i + 1} exit {s}: {e.strip()}" for i, (s, e) in enumerate(zip(statuses, errors)) if s or e.strip())
            raise Failure(f"upload pipeline failed:\n{details}")
        return ctx.aws(*create_args, "--template-url", f"https://{bucket}.s3.amazonaws.com/{key}")

    def upload_assets(self, ctx, plan, out_dir, as_printed):
        """Creates the stack's asset bucket in moto and runs the `aws s3 cp` commands deploy-args
        printed, with the bucket filled in: as printed in /bin/sh (real `aws` processes) for a
        stack deployed in every form, through the driver otherwise (the same words). Then the
        bucket must hold exactly the files synth wrote, byte for byte (size and MD5 ETag)."""
        parameters = assets.bucket_parameters(plan["parameters"])
        try:
            wanted = assets.template_assets(ctx.template)
            if not parameters:
                if wanted or plan["uploads"]:
                    raise Failure(f"the template has code assets {sorted(k for _, k in wanted.values())} and deploy-args printed "
                                  f"{len(plan['uploads'])} upload command(s), but no asset bucket parameter to fill in")
                return
            commands, uploaded = assets.plan_uploads(ctx.template, plan["uploads"], parameters[0], ctx.asset_bucket, out_dir)
        except assets.AssetError as error:
            raise Failure(str(error))
        self.stack_bucket(ctx)
        suffix = f" --endpoint-url {self.server.url}"
        if as_printed:
            script = "set -e\n" + "".join(command + suffix + "\n" for command in commands)
            ctx.log(f"assets: sh -c with the {len(commands)} printed 'aws s3 cp' command(s), <{parameters[0]}> -> {ctx.asset_bucket}")
            shell_env = self.shell_environment()
            self.count("aws processes")
            result = run(["/bin/sh", "-c", script], env=shell_env)
            if result.returncode != 0:
                raise Failure(f"the printed upload commands failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        else:
            ctx.log(f"assets: the {len(commands)} printed 'aws s3 cp' command(s) through the driver, <{parameters[0]}> -> {ctx.asset_bucket}")
            for command in commands:
                status, _, error = self.aws_call(shlex.split(command)[1:])
                if status != 0:
                    raise Failure(f"{command} failed ({status}): {error.strip()}")
        listed = {o["Key"]: o for o in ctx.aws("s3api", "list-objects-v2", "--bucket", ctx.asset_bucket).get("Contents", [])}
        ctx.expect_equal(sorted(listed), sorted(uploaded), f"objects in s3://{ctx.asset_bucket} (s3api list-objects-v2)")
        for key, digest in uploaded.items():
            found = listed.get(key)
            if found:
                ctx.expect_equal((found["Size"], found["ETag"].strip('"')), (digest["size"], digest["md5"]),
                                 f"s3://{ctx.asset_bucket}/{key} (size, MD5 ETag) against {digest['path']}")
        if ctx.failures:
            raise Failure("the uploaded code assets differ from what synth --out wrote")
        ctx.assets = uploaded
        held = ", ".join(f"{key} ({digest['size']} bytes)" for key, digest in uploaded.items())
        ctx.log(f"assets: s3://{ctx.asset_bucket} holds {held}")

    def network_for(self, ctx, cidr, count):
        """The environment's moto network (created once per environment, CIDR and subnet count)."""
        key = (ctx.environment, cidr, count)
        with self.lock:
            found = self.networks.get(key)
            if found is None:
                found = self.networks[key] = {"lock": threading.Lock(), "network": None}
        with found["lock"]:
            if found["network"] is None:
                found["network"] = network.Network.create(ctx.aws, ctx.environment, cidr, count)
                say("e2e", f"moto network for {ctx.environment}: {found['network'].describe()}")
        return found["network"]

    def stack_arguments(self, plan, values):
        argv = []
        if plan["capabilities"]:
            argv += ["--capabilities", *plan["capabilities"]]
        if values:
            argv += ["--parameters", json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()])]
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
        if plan["needs_s3"]:
            # CloudFormation refuses a --template-body over 51,200 bytes: the body goes through S3.
            answer = self.create_from_s3(ctx, stages, None, f"{ctx.stack_name}.template.yaml", [
                "cloudformation", "create-stack", "--stack-name", ctx.stack_name, *self.stack_arguments(plan, ctx.values)])
            return self.wait_for_stack(ctx, answer["StackId"], "CREATE_COMPLETE")
        stages.append(self.aws_argv("cloudformation", "create-stack", "--stack-name", ctx.stack_name,
                                    "--template-body", "file:///dev/stdin", *self.stack_arguments(plan, ctx.values)))
        ctx.log("pipe: " + " | ".join(["formation synth %s --format yaml" % ctx.stack_name]
                                      + (["formation convert - --to json", "moto_compat.py", "formation convert - --to yaml"] if adapted else [])
                                      + ["aws cloudformation create-stack --template-body file:///dev/stdin --parameters ..."]))
        self.count("aws processes")
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
                ctx.stack_id = stacks[0]["StackId"]
                return stacks[0]
            if status.endswith("FAILED") or "ROLLBACK" in status or (status.endswith("COMPLETE") and status != wanted):
                raise Failure(f"stack reached {status} instead of {wanted}: {stacks[0].get('StackStatusReason')}")
            if time.monotonic() > deadline:
                raise Failure(f"stack still {status} after {POLL_TIMEOUT}s (wanted {wanted})")
            time.sleep(POLL_INTERVAL)

    def read_parameters(self, ctx, stack, expected_values):
        """ctx.parameters from describe-stacks; every parameter arrived as passed (NoEcho ones
        masked), and the template's others hold their Default."""
        ctx.parameters = {p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])}
        for name, definition in (ctx.deployed_template.get("Parameters") or {}).items():
            if name in ctx.parameters:
                value, converted = moto_compat.described_parameter(ctx.parameters[name], definition.get("Type", "String"))
                if converted:
                    ctx.log(f"{ctx.step}: parameter {name} described by moto as {ctx.parameters[name]}; read as {value!r}")
                    ctx.parameters[name] = value
            if name not in ctx.parameters:
                ctx.expect(False, f"parameter {name} missing from describe-stacks")
                continue
            if definition.get("NoEcho") in (True, "true", "True") and moto_compat.NO_ECHO_MASKED:
                ctx.expect_equal(ctx.parameters[name], "****", f"NoEcho parameter {name} as described")
                continue
            wanted = expected_values.get(name, definition.get("Default"))
            if wanted is not None:
                ctx.expect_equal(ctx.parameters[name], str(wanted), f"parameter {name} as deployed")

    def read_back(self, ctx, stack):
        """Generic read-back (resources, outputs, parameters) and the stack's own checks;
        `stack` is the stack's describe-stacks entry."""
        outputs_available = ctx.step != "deploy form" or moto_compat.OUTPUTS_AFTER_CHANGE_SET_CREATE
        ctx.outputs = {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs") or []} if outputs_available else None
        self.read_parameters(ctx, stack, ctx.values)
        listed = ctx.aws("cloudformation", "describe-stack-resources", "--stack-name", ctx.stack_name)["StackResources"]
        ctx.resources = {}
        ctx.attribute_cache = {}
        for entry in listed:
            if "LogicalResourceId" not in entry:
                ctx.expect(False, f"moto skipped a resource silently ({entry}); moto_compat.UNMODELED is missing its type")
                continue
            ctx.resources[entry["LogicalResourceId"]] = entry.get("PhysicalResourceId")
            ctx.expect(entry.get("ResourceStatus") in ("CREATE_COMPLETE", "UPDATE_COMPLETE"),
                       f"{entry['LogicalResourceId']} is {entry.get('ResourceStatus')}")
        for logical_id, body in ctx.deployed_template["Resources"].items():
            if body.get("Type") in moto_compat.NO_PHYSICAL_ID:
                ctx.expect(logical_id in ctx.resources, f"resource {logical_id} missing from describe-stack-resources")
                continue
            ctx.expect(bool(ctx.resources.get(logical_id)), f"resource {logical_id} has no physical ID")
        for name in ctx.deployed_template.get("Outputs", {}) if ctx.outputs is not None else []:
            ctx.expect(name in ctx.outputs, f"output {name} missing")
        outputs = "outputs not reported by moto" if ctx.outputs is None else f"{len(ctx.outputs)} outputs"
        ctx.log(f"{ctx.step}: read back {len(ctx.resources)} resources, {outputs}, {len(ctx.parameters)} parameters")
        self.run_checks(ctx, checks.READBACKS)
        if ctx.failures:
            raise Failure(f"{len(ctx.failures)} read-back check(s) failed")

    def change_set_update(self, ctx, formation, plan):
        """A new template (the stack plus a marker SSM parameter) and changed parameters, piped to
        create-change-set, then describe-change-set → execute-change-set."""
        marker_name = f"/formation-e2e/{ctx.stack_name}/update-marker"
        updated = copy.deepcopy(ctx.deployed_template)
        updated["Resources"][UPDATE_MARKER] = {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": marker_name, "Type": "String", "Value": "updated by change set"}}
        changes = checks.update_parameters(ctx.stack_name)
        values = dict(ctx.values, **changes)
        for problem in network.violations(ctx.template, changes):
            ctx.expect(False, f"update value rejected by the template: {problem}")
        create = ["cloudformation", "create-change-set", "--stack-name", ctx.stack_name, "--change-set-name", "formation-e2e-update",
                  "--change-set-type", "UPDATE", *self.stack_arguments(plan, values)]
        updated_text = json.dumps(updated)
        if plan["needs_s3"] or len(updated_text.encode()) > TEMPLATE_BODY_LIMIT:
            change_set_id = self.create_from_s3(ctx, [[formation, "convert", "-", "--to", "yaml"]], updated_text,
                                                f"{ctx.stack_name}.update.template.yaml", create)["Id"]
        else:
            stages = [[formation, "convert", "-", "--to", "yaml"], self.aws_argv(*create, "--template-body", "file:///dev/stdin")]
            self.count("aws processes")
            statuses, output, errors = pipeline_with_input(stages, updated_text, env=self.env)
            if any(statuses):
                details = "\n".join(f"  stage {i + 1} exit {s}: {e.strip()}" for i, (s, e) in enumerate(zip(statuses, errors)) if s or e.strip())
                raise Failure(f"create-change-set pipeline failed:\n{details}")
            change_set_id = json.loads(output)["Id"]
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
        self.read_parameters(ctx, stack, values)
        ctx.values = values
        ctx.outputs = {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs") or []} if ctx.outputs is not None else None
        self.run_checks(ctx, checks.AFTER_UPDATE)
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
        ctx.log(f"{ctx.step}: deleted, list-stacks shows DELETE_COMPLETE")

    def deploy_form(self, ctx, formation, plan, adapted):
        """Runs the command deploy-args printed, on the file synth --out wrote: as printed in a
        shell when nothing needs replacing, else its words with the adapted template file and the
        replaced --parameter-overrides values (each replacement printed)."""
        template_file = plan["template_file"]
        if not os.path.isfile(template_file):
            raise Failure(f"{template_file} (from deploy-args) was not written by synth --out")
        words = list(plan["words"])
        if adapted:
            adapted_file = os.path.join(self.workdir, "moto-templates", os.path.basename(template_file))
            os.makedirs(os.path.dirname(adapted_file), exist_ok=True)
            converted = run([formation, "convert", template_file, "--to", "json"])
            if converted.returncode:
                raise Failure(f"formation convert {template_file} failed: {converted.stderr}")
            adapted_json = json.dumps(moto_compat.adapt(json.loads(converted.stdout))[0])
            yaml = run([formation, "convert", "-", "--to", "yaml"], input_text=adapted_json)
            if yaml.returncode:
                raise Failure(f"formation convert - --to yaml failed: {yaml.stderr}")
            with open(adapted_file, "w") as target:
                target.write(yaml.stdout)
            words[words.index("--template-file") + 1] = adapted_file
            ctx.log(f"deploy: --template-file {template_file} -> {adapted_file} (adapted for moto)")
        if ctx.overrides:
            words = with_overrides(words, ctx.overrides)
            ctx.log(f"deploy: --parameter-overrides values replaced for moto: {', '.join(sorted(ctx.overrides))}")
        endpoint, env = self.server.url, self.env
        if plan["needs_s3"]:
            at = words.index("--s3-bucket") + 1
            words[at] = self.stack_bucket(ctx)
            endpoint = self.localhost_endpoint()
            env = dict(self.env, AWS_ENDPOINT_URL=endpoint)
            ctx.log(f"deploy: --s3-bucket {plan['words'][at]!r} -> {words[at]}; endpoint {endpoint} (loopback; moto reads the "
                    f"TemplateURL deploy builds from it only when it names localhost)")
        if words != plan["words"]:
            argv = [self.aws_executable] + words[1:] + ["--endpoint-url", endpoint]
            ctx.log("deploy: the printed words with those replacements: aws cloudformation deploy ...")
            self.count("aws processes")
            result = run(argv, env=env)
        else:
            command = plan["text"].rstrip("\n") + f" --endpoint-url {self.server.url}"
            ctx.log("deploy: sh -c \"$(formation deploy-args ...) --endpoint-url ...\" (as printed)")
            shell_env = self.shell_environment()
            self.count("aws processes")
            result = run(["/bin/sh", "-c", command], env=shell_env)
        if result.returncode != 0:
            raise Failure(f"aws cloudformation deploy failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        if plan["needs_s3"]:
            listed = ctx.aws("s3api", "list-objects-v2", "--bucket", ctx.asset_bucket).get("Contents", [])
            uploaded = [o["Key"] for o in listed if o["Key"].endswith(".template")]
            ctx.expect(bool(uploaded), f"aws cloudformation deploy --s3-bucket uploaded no template to s3://{ctx.asset_bucket} "
                                       f"(it holds {[o['Key'] for o in listed]})")
            ctx.log(f"deploy: the template went through s3://{ctx.asset_bucket}/{', '.join(uploaded)}")
        return self.wait_for_stack(ctx, ctx.stack_name, "CREATE_COMPLETE")

    # --- apps of many stacks (multistack.py) ------------------------------------------------------

    def app_run(self, formation, environment, args):
        """`formation ARGS` with the app's environment (FORMATION_TESTAPP=...); Failure on exit != 0."""
        result = run([formation, *args], env=dict(os.environ, **environment))
        if result.returncode != 0:
            raise Failure(f"formation {shlex.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result

    def printed_app_plan(self, formation, environment, out_dir):
        """`list --order`, `synth --out` of those stacks (JSON), then `deploy-args --all`: the
        printed sections [(stack, after, commands)], checked against the listed order."""
        listing = self.app_run(formation, environment, ["list", "--order"])
        order = [line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip()]
        self.app_run(formation, environment, ["synth", *order, "--format", "json", "--out", out_dir])
        printed = self.app_run(formation, environment, ["deploy-args", "--all", "--format", "json", "--out", out_dir])
        if "differs from a fresh synth" in printed.stderr or "does not exist yet" in printed.stderr:
            raise Failure(f"deploy-args says the files synth --out wrote are not the stacks' templates: {printed.stderr.strip()}")
        try:
            sections = multistack.sections(printed.stdout)
        except multistack.PlanError as error:
            raise Failure(f"deploy-args --all: {error}\n{printed.stdout}")
        if [stack for stack, _, _ in sections] != order:
            raise Failure(f"deploy-args --all prints {[s for s, _, _ in sections]}; list --order lists {order}")
        return sections

    def exercise_references(self, formation, environment, out_dir):
        """References across stacks: the stacks deployed in the order `deploy-args --all`
        prints, each producer's exports read back (list-exports against the producer's resources),
        each consumer's imports read back (outputs, SSM parameters), the change-set path and
        list-imports probed, the producer deleted while imported, then the rest in reverse order."""
        label, started = "references", time.monotonic()
        created, failures = [], []
        ctx = None
        try:
            sections = self.printed_app_plan(formation, environment, out_dir)
            deploys = {}
            for stack, _, commands in sections:
                if len(commands) != 1:
                    raise Failure(f"deploy-args printed {len(commands)} commands for {stack}; expected one deploy")
                try:
                    deploy = multistack.deploy_command(commands[0][1])
                except multistack.PlanError as error:
                    raise Failure(f"{stack}: {error}")
                if deploy["stack"] != stack:
                    raise Failure(f"the command under '# {stack}' deploys {deploy['stack']}")
                with open(deploy["template_file"]) as source:
                    deploy["template"] = json.load(source)
                deploys[stack] = deploy
            templates = {stack: deploy["template"] for stack, deploy in deploys.items()}
            problems = multistack.reference_problems([(stack, after) for stack, after, _ in sections], templates)
            if problems:
                raise Failure("the printed order does not deploy: " + "; ".join(problems))
            importing = multistack.importers(templates)
            exported_by = multistack.producers(templates)
            if not importing:
                raise Failure("no stack of the app imports anything: nothing to prove")
            say(label, "deploy-args --all order: " + " -> ".join(stack for stack, _, _ in sections) + "; " + "; ".join(
                f"{name}: exported by {exported_by[name]}, imported by {', '.join(stacks)}" for name, stacks in sorted(importing.items())))
            exports = {}
            for stack, _, _ in sections:
                ctx = StackContext(self, stack)
                ctx.exports = exports
                created.append(ctx)  # before the create: its failures are reported with the run's
                self.reference_create(ctx, deploys[stack])
            ctx = next(c for c in reversed(created) if multistack.imports_of(c.template))
            self.change_set_import_canary(ctx, importing)
            for name, stacks in sorted(importing.items()):
                self.list_imports(ctx, name, stacks)
            producer = max(created, key=lambda c: sum(len(importing.get(n, [])) for n in multistack.exports_of(c.template)))
            ctx = producer
            gone = self.delete_imported_producer(producer, {n: importing[n] for n in multistack.exports_of(producer.template) if n in importing})
            for ctx in reversed(created):
                if ctx is producer and gone:
                    continue
                ctx.step = "delete"
                self.delete(ctx, ctx.stack_id)
            left = [e["Name"] for e in self.list_exports(ctx) if e["Name"] in exported_by]
            ctx.expect(not left, f"list-exports still lists {left} after every stack was deleted")
        except Exception as error:  # a Failure, or a harness bug, which must fail the run
            failures.append(flow_failure(label, error, f"{ctx.step if ctx else 'plan'}: "))
        for each in created:
            failures += [f"{each.stack_name}: {f}" for f in each.failures if f"{each.stack_name}: {f}" not in failures]
        total = time.monotonic() - started
        say(label, f"{'FAILED' if failures else 'ok'} in {total:.1f}s ({len(created)} stacks)")
        return f"references ({', '.join(c.stack_name for c in created) or 'none created'})", failures, total, 0

    def list_exports(self, ctx):
        exports, token = [], None
        while True:
            answer = ctx.aws("cloudformation", "list-exports", *(["--next-token", token] if token else []))
            exports += answer.get("Exports", [])
            token = answer.get("NextToken")
            if not token:
                return exports

    def reference_create(self, ctx, deploy):
        """One stack of the app: the printed deploy command's stack name, template file,
        capabilities and parameters, created with create-stack (moto's change sets neither take
        nor give exports: moto_compat), read back with its imports resolved from the exports
        listed so far, and its own exports checked against its resources."""
        ctx.step = "references"
        notes = self.prepare_template(ctx, deploy["template"])
        ctx.values, ctx.overrides = dict(deploy["parameters"]), {}
        body_file = deploy["template_file"]
        if notes:
            body_file = os.path.join(self.workdir, "moto-templates", ctx.stack_name + ".references.json")
            os.makedirs(os.path.dirname(body_file), exist_ok=True)
            with open(body_file, "w") as target:
                json.dump(ctx.deployed_template, target)
        argv = self.aws_argv("cloudformation", "create-stack", "--stack-name", deploy["stack"], "--template-body", "file://" + body_file,
                             *self.stack_arguments({"capabilities": deploy["capabilities"]}, ctx.values))
        ctx.log(f"aws cloudformation create-stack --stack-name {deploy['stack']} --template-body file://{body_file}: the printed "
                f"deploy's stack, template{' (adapted)' if notes else ''}, capabilities and parameters (moto's change sets do not resolve imports)")
        self.count("aws processes")
        result = run(argv, env=self.env)
        if result.returncode != 0:
            raise Failure(f"create-stack failed ({result.returncode}): {result.stderr.strip()}")
        stack = self.wait_for_stack(ctx, json.loads(result.stdout)["StackId"], "CREATE_COMPLETE")
        self.read_back(ctx, stack)
        imported = sorted(multistack.imports_of(ctx.template))
        if imported:
            ctx.log(f"imports read back (outputs, SSM parameters) equal to the exports: {', '.join(imported)}")
        listed = {e["Name"]: e for e in self.list_exports(ctx)}
        described = {o["OutputKey"]: o for o in stack.get("Outputs") or []}
        for name, output in multistack.exports_of(ctx.template).items():
            entry = listed.get(name)
            if entry is None:
                ctx.expect(False, f"export {name} (output {output}) not listed by list-exports")
                continue
            ctx.expect_equal(entry["ExportingStackId"], ctx.stack_id, f"export {name} ExportingStackId")
            value = readback.expected(ctx, ctx.deployed_template["Outputs"][output]["Value"])
            ctx.expect_equal(entry["Value"], value, f"export {name} (list-exports) against output {output}'s value read from its service")
            ctx.expect_equal(described.get(output, {}).get("ExportName"), name, f"output {output} ExportName (describe-stacks)")
            ctx.exports[name] = entry["Value"]
            ctx.log(f"export {name} = {entry['Value']} (list-exports, equal to the resource's)")
        if ctx.failures:
            raise Failure("exports differ")

    def change_set_import_canary(self, ctx, importing):
        """What the printed `deploy` would do in moto for a consumer: a stack created by a change
        set must still fail on its import (else moto has learnt it, and the scenario should run
        the printed deploy commands instead of create-stack)."""
        ctx.step = "change-set canary"
        name = f"formation-e2e-changeset-{ctx.stack_name}"
        created = ctx.aws("cloudformation", "create-change-set", "--stack-name", name, "--change-set-name", "imports",
                          "--change-set-type", "CREATE", "--template-body", json.dumps(ctx.deployed_template),
                          *self.stack_arguments({"capabilities": []}, ctx.values))
        status, _, error = self.aws_call(["cloudformation", "execute-change-set", "--change-set-name", created["Id"]])
        canary = StackContext(self, name)
        canary.step = ctx.step
        self.delete(canary, created["StackId"])
        if status == 0:
            raise Failure(f"moto now resolves Fn::ImportValue in a stack created by a change set: run the printed "
                          f"deploy commands in the references scenario, and update moto_compat's notes")
        wanted = [f"No export named {n} found" for n in multistack.imports_of(ctx.template)]
        ctx.expect(any(w in error for w in wanted), f"execute-change-set failed otherwise than with one of {wanted}: {error.strip()}")
        ctx.log(f"moto 5.2: the printed deploy (a change set) of {ctx.stack_name} fails: {error.strip()} "
                f"(so each stack is created with create-stack)")

    def list_imports(self, ctx, name, stacks):
        """list-imports must name exactly the importing stacks; moto 5.2 does not implement it
        (a 500), which is the one failure accepted."""
        ctx.step = "list-imports"
        status, output, error = self.aws_call(["cloudformation", "list-imports", "--export-name", name])
        if status == 0:
            ctx.expect_equal(sorted(json.loads(output).get("Imports", [])), stacks, f"list-imports --export-name {name}")
            return
        ctx.expect("500 Internal Server Error" in error, f"list-imports --export-name {name} failed: {error.strip()}")
        ctx.log(f"moto 5.2 does not implement list-imports (500); the importers of {name} are asserted on the templates: {', '.join(stacks)}")

    def delete_imported_producer(self, ctx, imported):
        """delete-stack on a producer whose exports are imported: CloudFormation fails the delete
        ("Export X cannot be deleted as it is in use by Y"), and so must moto; moto 5.2 deletes
        it, which is said, and the templates are what is asserted (the producer exports each name
        the consumers import, reference_problems). Returns True when the stack is gone."""
        ctx.step = "delete imported producer"
        ctx.aws("cloudformation", "delete-stack", "--stack-name", ctx.stack_id)
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            stack = ctx.aws("cloudformation", "describe-stacks", "--stack-name", ctx.stack_id)["Stacks"][0]
            if stack["StackStatus"] in ("DELETE_FAILED", "DELETE_COMPLETE"):
                break
            if time.monotonic() > deadline:
                raise Failure(f"stack still {stack['StackStatus']} after {POLL_TIMEOUT}s")
            time.sleep(POLL_INTERVAL)
        usage = "; ".join(f"{n} imported by {', '.join(s)}" for n, s in sorted(imported.items()))
        if stack["StackStatus"] == "DELETE_FAILED":
            reason = stack.get("StackStatusReason") or ""
            ctx.expect("cannot be deleted as it is in use by" in reason, f"{ctx.stack_name} DELETE_FAILED: {reason!r}")
            ctx.log(f"delete-stack {ctx.stack_name} refused while {usage}: {reason}")
            return False
        ctx.log(f"moto 5.2 deleted {ctx.stack_name} while {usage} (CloudFormation refuses: \"Export ... cannot be deleted "
                f"as it is in use by ...\"); asserted on the templates instead: {ctx.stack_name} exports each of these names")
        return True

    def exercise_nested(self, formation, environment, out_dir):
        """Nested stacks, and stacks declared for an account and regions: for a parent, the
        upload commands deploy-args printed run (the child template into a moto bucket), the
        parent created with the printed parameters, the child found through the parent's
        resource and read back (parameters passed down, resources, outputs, its template equal
        to the uploaded file), every `Fn::GetAtt Child.Outputs.X` of the parent checked against
        the child's outputs, then the parent deleted and the child gone with it. For a stack with
        regions, each printed per-region deploy runs as printed and the stack is read in that region."""
        label, started = "nested", time.monotonic()
        ctx = StackContext(self, "nested")
        created = []
        try:
            listing = self.app_run(formation, environment, ["list"])
            stacks = [line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip()]
            self.app_run(formation, environment, ["synth", *stacks, "--format", "json", "--out", out_dir])
            parents = regional = 0
            for stack in stacks:
                ctx = StackContext(self, stack)
                ctx.step = "plan"
                created.append(ctx)
                with open(os.path.join(out_dir, stack + ".template.json")) as source:
                    ctx.template = json.load(source)
                printed = self.app_run(formation, environment, ["deploy-args", stack, "--format", "json", "--out", out_dir])
                if "differs from a fresh synth" in printed.stderr or "does not exist yet" in printed.stderr:
                    raise Failure(f"deploy-args says the files synth --out wrote are not the stack's template: {printed.stderr.strip()}")
                if multistack.nested_stacks(ctx.template):
                    parents += 1
                    self.nested_parent(ctx, printed, out_dir)
                elif "# region " in printed.stdout:
                    regional += 1
                    self.regional_deploys(ctx, printed)
            if not parents:
                raise Failure("no stack of the app has a nested stack: nothing to prove")
        except Exception as error:  # a Failure, or a harness bug, which must fail the run
            ctx.failures.append(flow_failure(label, error, f"{ctx.stack_name} {ctx.step}: " if ctx not in created else f"{ctx.step}: "))
        failures = [f"{c.stack_name}: {f}" for c in created for f in c.failures]
        if ctx not in created:
            failures += ctx.failures
        total = time.monotonic() - started
        say(label, f"{'FAILED' if failures else 'ok'} in {total:.1f}s ({', '.join(c.stack_name for c in created)})")
        return f"nested ({', '.join(c.stack_name for c in created) or 'none'})", failures, total, 0

    NESTED_URL = "https://${AssetBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/"

    def nested_parent(self, ctx, printed, out_dir):
        ctx.step = "nested upload"
        nested = multistack.nested_stacks(ctx.template)
        keys = {}
        for logical_id, url in nested.items():
            sub = url.get("Fn::Sub") if isinstance(url, dict) else None
            if not isinstance(sub, str) or not sub.startswith(self.NESTED_URL):
                raise Failure(f"{logical_id}: TemplateURL {url!r} is not {self.NESTED_URL}<key>")
            keys[logical_id] = sub[len(self.NESTED_URL):]
        try:
            uploads = multistack.printed_uploads(printed.stderr)
        except multistack.PlanError as error:
            raise Failure(str(error))
        ctx.expect_equal(sorted(k for _, _, k in uploads), sorted(set(keys.values())),
                         "keys of the printed 'aws s3 cp' commands against the nested stacks' TemplateURLs")
        bucket = self.stack_bucket(ctx)
        lines = [line.strip() for line in printed.stderr.splitlines() if line.strip().startswith("aws s3 cp ")]
        script = "set -e\n" + "".join(line.replace("<AssetBucket>", bucket) + f" --endpoint-url {self.server.url}\n" for line in lines)
        shell_env = self.shell_environment()
        self.count("aws processes")
        result = run(["/bin/sh", "-c", script], env=shell_env)
        if result.returncode != 0:
            raise Failure(f"the printed upload commands failed ({result.returncode}): {result.stderr.strip()}")
        children = {}
        for path, _, key in uploads:
            with open(path, "rb") as source:
                data = source.read()
            ctx.expect_equal(hashlib.sha256(data).hexdigest() + ".template.json", key, f"{path}: its name is its SHA-256")
            fetched = run([self.aws_executable, *self.global_options(), "s3", "cp", f"s3://{bucket}/{key}", "-"], env=self.env)
            ctx.expect(fetched.returncode == 0 and fetched.stdout == data.decode(), f"s3://{bucket}/{key} holds {path} byte for byte")
            children[key] = json.loads(data)
        ctx.log(f"nested: ran the {len(lines)} printed 'aws s3 cp' command(s) with <AssetBucket> -> {bucket}")

        ctx.step = "nested create"
        deploys = [words for _, words in multistack.commands(printed.stdout)]
        if len(deploys) != 1 or deploys[0][:3] != ["aws", "cloudformation", "deploy"]:
            raise Failure(f"deploy-args printed {printed.stdout!r}; expected one aws cloudformation deploy")
        words = deploys[0]
        values = {}
        for word in multistack.option(words, "--parameter-overrides") or []:
            name, _, value = word.partition("=")
            values[name] = bucket if name == "AssetBucket" else value
            if value.startswith("<fill in") and name != "AssetBucket":
                raise Failure(f"{name} is left to fill in: {value}")
        reads = multistack.nested_output_reads(ctx.template)
        adapted = multistack.without_nested_output_reads(ctx.template, lambda n, x: f"formation-e2e-nested-output/{n}/{x}")
        ctx.deployed_template, notes = moto_compat.adapt(adapted)
        for where, child, output in reads:
            ctx.log(f"moto-compat: {where}: Fn::GetAtt [{child}, Outputs.{output}] replaced by a placeholder (moto 5.2 answers "
                    f"a nested stack's GetAtt with a 500); checked against {child}'s outputs below")
        for note in notes:
            ctx.log(f"moto-compat: {note}")
        body_file = os.path.join(self.workdir, "moto-templates", ctx.stack_name + ".nested.json")
        os.makedirs(os.path.dirname(body_file), exist_ok=True)
        with open(body_file, "w") as target:
            json.dump(ctx.deployed_template, target)
        ctx.values = values
        capabilities = multistack.option(words, "--capabilities") or []
        answer = ctx.aws("cloudformation", "create-stack", "--stack-name", multistack.single(words, "--stack-name"),
                         "--template-body", "file://" + body_file, *self.stack_arguments({"capabilities": capabilities}, values))
        ctx.log(f"create-stack with the printed deploy's stack name, capabilities and parameters (AssetBucket -> {bucket})")
        stack = self.wait_for_stack(ctx, answer["StackId"], "CREATE_COMPLETE")
        self.read_back(ctx, stack)

        ctx.step = "nested child"
        for logical_id, key in keys.items():
            child_id = ctx.resources.get(logical_id)
            if not child_id:
                raise Failure(f"{logical_id} has no physical ID: the nested stack was not created")
            child = StackContext(self, child_id)
            child.step = "nested child"
            child.template = child.deployed_template = children[key]
            passed = (ctx.template["Resources"][logical_id].get("Properties") or {}).get("Parameters") or {}
            child.values = {name: value for name, value in passed.items() if isinstance(value, str)}
            described = ctx.aws("cloudformation", "describe-stacks", "--stack-name", child_id)["Stacks"][0]
            ctx.expect_equal(described["StackStatus"], "CREATE_COMPLETE", f"nested stack {child_id} status")
            self.read_back(child, described)
            body = ctx.aws("cloudformation", "get-template", "--stack-name", child_id).get("TemplateBody")
            body = json.loads(body) if isinstance(body, str) else body
            ctx.expect_equal(body, children[key], f"nested stack {child_id}'s template (get-template) against the uploaded {key}")
            for where, name, output in reads:
                if name != logical_id:
                    continue
                ctx.expect(output in (child.outputs or {}), f"{where} reads {logical_id}'s output {output}, which {child_id} does not have")
                ctx.log(f"{where}: Fn::GetAtt [{logical_id}, Outputs.{output}] = {child.outputs.get(output)!r} "
                        f"(the output of nested stack {child_id}, found through the parent's resource {logical_id})")
            ctx.failures += [f"{child_id}: {f}" for f in child.failures]
            ctx.log(f"nested stack {child_id}: parameters {child.values} passed down, {len(child.resources)} resources, "
                    f"outputs {child.outputs}")

        ctx.step = "nested delete"
        self.delete(ctx, ctx.stack_id)
        alive = [s["StackName"] for s in ctx.aws("cloudformation", "list-stacks")["StackSummaries"]
                 if s["StackName"] in ctx.resources.values() and s["StackStatus"] != "DELETE_COMPLETE"]
        ctx.expect(not alive, f"nested stacks {alive} still alive after their parent was deleted")

    def regional_deploys(self, ctx, printed):
        """The printed per-region deploy commands, run as printed (the account comment checked
        against the caller's account), each stack read in its region, then deleted there."""
        ctx.step = "regions"
        try:
            account, deploys = multistack.region_commands(printed.stdout)
        except multistack.PlanError as error:
            raise Failure(str(error))
        if account is not None:
            caller = ctx.aws("sts", "get-caller-identity")["Account"]
            ctx.expect_equal(caller, account, "the printed account against aws sts get-caller-identity")
        shell_env = self.shell_environment()
        for region, words in deploys:
            self.count("aws processes")
            result = run(["/bin/sh", "-c", shlex.join(words) + f" --endpoint-url {self.server.url}"], env=shell_env)
            if result.returncode != 0:
                raise Failure(f"the printed deploy for {region} failed ({result.returncode}): {result.stderr.strip()}")
            name = multistack.single(words, "--stack-name")
            found = ctx.aws("cloudformation", "describe-stacks", "--stack-name", name, "--region", region)["Stacks"][0]
            ctx.expect(found["StackStatus"] == "CREATE_COMPLETE" and f":{region}:" in found["StackId"],
                       f"{name} in {region}: {found['StackStatus']} {found['StackId']}")
            ctx.log(f"deployed as printed to {region}: {found['StackId']} {found['StackStatus']}")
        for region, words in deploys:
            name = multistack.single(words, "--stack-name")
            ctx.aws("cloudformation", "delete-stack", "--stack-name", name, "--region", region)

    def exercise_stack_sets(self, formation, environment, out_dir):
        """StackSets: the printed create-stack-set and create-stack-instances run against moto
        (an OU created in moto's Organizations in place of a printed one), the stack set and its
        instances read back (accounts × regions), self-managed instances' stacks read in each
        target account and region, then deleted."""
        label, started = "stack-sets", time.monotonic()
        ctx = StackContext(self, "stack-sets")
        try:
            sections = self.printed_app_plan(formation, environment, out_dir)
            for stack, after, commands in sections:
                ctx.stack_name, ctx.step = stack, "stack set"
                if after:
                    raise Failure(f"{stack} is printed after {after}: a StackSet takes no part in references across stacks")
                try:
                    self.stack_set(ctx, multistack.stack_set_plan(commands))
                except multistack.PlanError as error:
                    raise Failure(str(error))
        except Exception as error:  # a Failure, or a harness bug, which must fail the run
            ctx.failures.append(flow_failure(label, error, f"{ctx.stack_name} {ctx.step}: "))
        total = time.monotonic() - started
        say(label, f"{'FAILED' if ctx.failures else 'ok'} in {total:.1f}s")
        return "stack-sets", ctx.failures, total, 0

    def stack_set(self, ctx, plan):
        create, instances = plan["create"], plan["instances"]
        name = multistack.single(create, "--stack-set-name")
        body = multistack.single(create, "--template-body")
        if not body.startswith("file://"):
            raise Failure(f"--template-body {body}: expected a file:// the synth --out wrote")
        with open(body[len("file://"):]) as source:
            template = json.load(source)
        problems = moto_compat.check_coverage(template)
        if moto_compat.adapt(template)[1] or problems:
            raise Failure(f"the template needs moto_compat changes, which a printed file:// body cannot take: {problems}")
        accounts, units, regions = multistack.instance_targets(instances)
        parameters = multistack.stack_set_parameters(create)
        model = multistack.single(create, "--permission-model")
        suffix = ["--endpoint-url", self.server.url]
        if units:
            replacements = self.organization(ctx, units)
            for printed, (unit, _) in replacements.items():
                instances = multistack.replaced(instances, "--deployment-targets", printed, unit)
                ctx.log(f"--deployment-targets OrganizationalUnitIds: printed {printed} -> {unit} (an OU of moto's Organizations "
                        f"holding {', '.join(replacements[printed][1])})")
            ctx.log("create-stack-set as printed, create-stack-instances with the OU replaced (through the driver)")
            for words in (create, instances):
                status, _, error = self.aws_call(words[1:])
                if status != 0:
                    raise Failure(f"{words[2]} failed ({status}): {error.strip()}")
            wanted = {(account, region) for _, held in replacements.values() for account in held for region in regions}
        else:
            script = "set -e\n" + "".join(shlex.join(words + suffix) + "\n" for words in (create, instances))
            ctx.log("sh -c with the printed create-stack-set and create-stack-instances (--endpoint-url appended)")
            shell_env = self.shell_environment()
            self.count("aws processes")
            result = run(["/bin/sh", "-c", script], env=shell_env)
            if result.returncode != 0:
                raise Failure(f"the printed commands failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
            wanted = {(account, region) for account in accounts for region in regions}
        ctx.step = "read back"
        described = ctx.aws("cloudformation", "describe-stack-set", "--stack-set-name", name)["StackSet"]
        ctx.expect_equal(described.get("PermissionModel"), model, f"{name} PermissionModel (describe-stack-set)")
        ctx.expect_equal({p["ParameterKey"]: p["ParameterValue"] for p in described.get("Parameters", [])}, parameters,
                         f"{name} Parameters (describe-stack-set)")
        for option, field in (("--administration-role-arn", "AdministrationRoleARN"), ("--execution-role-name", "ExecutionRoleName")):
            if option in create:
                ctx.expect_equal(described.get(field), multistack.single(create, option), f"{name} {field} (describe-stack-set)")
        listed = ctx.aws("cloudformation", "list-stack-instances", "--stack-set-name", name).get("Summaries", [])
        found = sorted((i["Account"], i["Region"]) for i in listed)
        ctx.expect_equal(found, sorted(wanted), f"{name} instances (account, region) from list-stack-instances")
        for instance in listed:
            ctx.expect((instance.get("Status"), instance.get("StackInstanceStatus", {}).get("DetailedStatus")) == ("CURRENT", "SUCCEEDED"),
                       f"{name} instance {instance['Account']} {instance['Region']}: {instance.get('Status')} "
                       f"{instance.get('StackInstanceStatus')}")
        ctx.log(f"{name}: {len(found)} instances ({len({a for a, _ in found})} accounts × {len({r for _, r in found})} regions), "
                f"{model}; not modeled by moto, taken by the AWS CLI's parameter validation only: "
                + ", ".join(o for o in ("--auto-deployment", "--operation-preferences", "--capabilities") if o in create + instances))
        if units:
            ctx.log(f"{name}: moto keeps service-managed instances' stacks in no account's list; instances read back only")
            return
        role = multistack.single(create, "--execution-role-name") if "--execution-role-name" in create else "AWSCloudFormationStackSetExecutionRole"
        for account in accounts:
            for region in regions:
                self.instance_stack(ctx, name, template, parameters, account, region, role)
        ctx.step = "delete"
        ctx.aws("cloudformation", "delete-stack-instances", "--stack-set-name", name, "--accounts", *accounts,
                "--regions", *regions, "--no-retain-stacks")
        left = ctx.aws("cloudformation", "list-stack-instances", "--stack-set-name", name).get("Summaries", [])
        ctx.expect(not left, f"{name}: delete-stack-instances left {[(i['Account'], i['Region']) for i in left]}")
        for account in accounts:
            for region in regions:
                stacks = self.instance_stacks(ctx, name, account, region, role)
                ctx.expect(not stacks, f"{name}: {account} {region} still has {[s['StackName'] for s in stacks]} after delete-stack-instances")
        ctx.aws("cloudformation", "delete-stack-set", "--stack-set-name", name)
        alive = [s["Status"] for s in ctx.aws("cloudformation", "list-stack-sets")["Summaries"]
                 if s["StackSetName"] == name and s["Status"] != "DELETED"]
        ctx.expect(not alive, f"{name}: list-stack-sets still shows it {alive} after delete-stack-set")
        ctx.log(f"{name}: instances deleted (their stacks gone from every account and region), stack set deleted")

    def organization(self, ctx, units):
        """moto's Organizations: per printed OU, an OU under the root holding two new accounts.
        Returns {printed OU: (moto OU, [account IDs])}."""
        ctx.aws("organizations", "create-organization", "--feature-set", "ALL")
        root = ctx.aws("organizations", "list-roots")["Roots"][0]["Id"]
        replacements = {}
        for index, printed in enumerate(units):
            unit = ctx.aws("organizations", "create-organizational-unit", "--parent-id", root,
                           "--name", f"formation-e2e-{index}")["OrganizationalUnit"]["Id"]
            held = []
            for member in ("a", "b"):
                account = ctx.aws("organizations", "create-account", "--email", f"e2e-{index}-{member}@example.com",
                                  "--account-name", f"formation-e2e-{index}-{member}")["CreateAccountStatus"]["AccountId"]
                ctx.aws("organizations", "move-account", "--account-id", account, "--source-parent-id", root,
                        "--destination-parent-id", unit)
                held.append(account)
            replacements[printed] = (unit, held)
        return replacements

    def call_as(self, ctx, account, role, args):
        """`aws ARGS` with credentials from sts assume-role into `account` (moto keys its
        backends by the account the credentials belong to); one driver per account."""
        drivers = self.__dict__.setdefault("account_drivers", {})
        if account not in drivers:
            credentials = ctx.aws("sts", "assume-role", "--role-arn", f"arn:aws:iam::{account}:role/{role}",
                                  "--role-session-name", "formation-e2e")["Credentials"]
            env = dict(self.env, AWS_ACCESS_KEY_ID=credentials["AccessKeyId"],
                       AWS_SECRET_ACCESS_KEY=credentials["SecretAccessKey"], AWS_SESSION_TOKEN=credentials["SessionToken"])
            if self.per_call:
                drivers[account] = env
            else:
                try:
                    drivers[account] = awscli_driver.Driver(self.aws_python, env)
                except awscli_driver.DriverError as error:
                    raise Failure(str(error))
                with self.lock:
                    self.drivers.append(drivers[account])
        helper = drivers[account]
        argv = [*self.global_options(), *args]
        if self.per_call:
            self.count("aws processes")
            result = run([self.aws_executable, *argv], env=helper)
            status, output, error = result.returncode, result.stdout, result.stderr
        else:
            self.count("aws driver calls")
            try:
                status, output, error = helper.call(argv, CALL_TIMEOUT)
            except awscli_driver.DriverError as failure:
                raise Failure(str(failure))
        if status != 0:
            raise Failure(f"aws {shlex.join(args)} as {account} failed ({status}): {error.strip()}")
        return json.loads(output) if output.strip() else {}

    def instance_stacks(self, ctx, name, account, region, role):
        """The live stacks of a StackSet instance in one account and region (CloudFormation names
        them StackSet-<name>-<id>, moto StackSet:<name>)."""
        if self.call_as(ctx, account, role, ["sts", "get-caller-identity"])["Account"] != account:
            raise Failure(f"sts assume-role into {account} gave credentials of another account")
        stacks = self.call_as(ctx, account, role, ["cloudformation", "describe-stacks", "--region", region])["Stacks"]
        return [s for s in stacks if re.match(rf"^StackSet[-:]{re.escape(name)}(-|$)", s["StackName"])
                and s["StackStatus"] != "DELETE_COMPLETE"]

    def instance_stack(self, ctx, name, template, parameters, account, region, role):
        """One self-managed instance, read in its account and region: one stack, CREATE_COMPLETE,
        the stack set's parameters, every resource created; SNS topics in that account and region
        with the template's name and display name."""
        where = f"{name} in {account} {region}"
        stacks = self.instance_stacks(ctx, name, account, region, role)
        if len(stacks) != 1:
            ctx.expect(False, f"{where}: expected one instance stack, found {[s['StackName'] for s in stacks]}")
            return
        stack = stacks[0]
        ctx.expect_equal(stack["StackStatus"], "CREATE_COMPLETE", f"{where}: {stack['StackName']} status")
        ctx.expect(stack["StackId"].startswith(f"arn:aws:cloudformation:{region}:{account}:stack/"), f"{where}: stack ID {stack['StackId']}")
        ctx.expect_equal({p["ParameterKey"]: p.get("ParameterValue") for p in stack.get("Parameters", [])}, parameters, f"{where}: parameters")
        resources = {r["LogicalResourceId"]: r for r in self.call_as(
            ctx, account, role, ["cloudformation", "describe-stack-resources", "--region", region, "--stack-name", stack["StackId"]])["StackResources"]}
        ctx.expect_equal(sorted(resources), sorted(template["Resources"]), f"{where}: resources")
        for logical_id, body in template["Resources"].items():
            physical = resources.get(logical_id, {}).get("PhysicalResourceId")
            if body["Type"] != "AWS::SNS::Topic" or not physical:
                continue
            properties = body.get("Properties", {})
            ctx.expect(physical.startswith(f"arn:aws:sns:{region}:{account}:"), f"{where}: topic {logical_id} is {physical}")
            if "TopicName" in properties:
                ctx.expect(physical.endswith(":" + properties["TopicName"]), f"{where}: topic {physical} is not named {properties['TopicName']}")
            attributes = self.call_as(ctx, account, role, ["sns", "get-topic-attributes", "--region", region, "--topic-arn", physical])["Attributes"]
            if "DisplayName" in properties:
                wanted = readback.evaluate(properties["DisplayName"], lambda n: parameters[n], lambda *_: None)
                ctx.expect_equal(attributes.get("DisplayName"), wanted, f"{where}: topic {logical_id} DisplayName")
        ctx.log(f"{where}: {stack['StackName']} CREATE_COMPLETE with {len(resources)} resource(s), read with {account}'s credentials")


def option_span(words, option):
    """(start, end) of an option's values in words (up to the next --option); (0, 0) when absent."""
    if option not in words:
        return 0, 0
    start = words.index(option) + 1
    end = next((i for i in range(start, len(words)) if words[i].startswith("--")), len(words))
    return start, end


def with_overrides(words, overrides):
    """The words of a printed `aws cloudformation deploy` command with the values of the keys in
    `overrides` replaced in its --parameter-overrides (order kept) and keys it lacks appended
    (the option added before --no-fail-on-empty-changeset, or at the end, when absent)."""
    words = list(words)
    start, end = option_span(words, "--parameter-overrides")
    printed = words[start:end]
    replaced = []
    for word in printed:
        name = word.partition("=")[0]
        replaced.append(f"{name}={overrides[name]}" if name in overrides else word)
    printed_names = {word.partition("=")[0] for word in printed}
    replaced += [f"{name}={value}" for name, value in overrides.items() if name not in printed_names]
    if start == 0:
        at = words.index("--no-fail-on-empty-changeset") if "--no-fail-on-empty-changeset" in words else len(words)
        words[at:at] = ["--parameter-overrides", *replaced]
    else:
        words[start:end] = replaced
    return words


def pipeline_with_input(stages, input_text, *, env, timeout=CALL_TIMEOUT):
    """Like pipeline(), with input_text fed to the first stage's stdin."""
    with tempfile.TemporaryFile(mode="w+") as source:
        source.write(input_text)
        source.seek(0)
        return pipeline(stages, env=env, timeout=timeout, first_stdin=source)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", action="append", required=True,
                        help="a formation executable, optionally :STACK,STACK (default: every stack it lists)")
    parser.add_argument("--references", action="append", default=[], metavar="'[NAME=VALUE ...] PATH'",
                        help="an app whose stacks import from each other (run with the environment given): deployed "
                             "in the order `deploy-args --all` prints, imports and exports read back")
    parser.add_argument("--stack-sets", action="append", default=[], metavar="'[NAME=VALUE ...] PATH'",
                        help="an app of StackSets: the printed create-stack-set and create-stack-instances run, "
                             "instances read back")
    parser.add_argument("--nested", action="append", default=[], metavar="'[NAME=VALUE ...] PATH'",
                        help="an app with nested stacks (and stacks declared for regions): uploads and deploys "
                             "as printed, the nested stacks read back through their parent")
    parser.add_argument("--jobs", type=int, default=4, help="stacks exercised at once (default 4)")
    parser.add_argument("--timeout", type=int, default=300, help="abort the whole run after this many seconds")
    parser.add_argument("--all-forms", action="store_true",
                        help="deploy form and change set for every stack, not only the first environment of each family")
    parser.add_argument("--aws-per-call", action="store_true",
                        help="run every aws call as its own process (slow; the default uses awscli_driver for small calls)")
    options = parser.parse_args()

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="formation-e2e-")
    server = MotoServer(workdir)
    e2e = None

    def cleanup():
        if e2e is not None:
            e2e.stop_drivers()
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
        families = set()
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
            for stack in stacks:
                full = options.all_forms or family_of(stack) not in families
                families.add(family_of(stack))
                work.append(("stack", (formation, stack, out_dir, full), full))
        for kind, specs in (("references", options.references), ("stack-sets", options.stack_sets), ("nested", options.nested)):
            for index, spec in enumerate(specs):
                try:
                    environment, formation = multistack.app_command(spec)
                except multistack.PlanError as error:
                    raise Failure(f"--{kind}: {error}")
                work.append((kind, (os.path.abspath(formation), environment, os.path.join(workdir, f"out-{kind}-{index}")), True))
        # The apps of many stacks (sequential inside) and the stacks with every form first: they take longest.
        work.sort(key=lambda item: (item[0] == "stack", not item[2]))

        warm = threading.Thread(target=lambda: moto_compat.modeled_types(), daemon=True)
        warm.start()  # imports moto for check_coverage while moto_server starts
        server.start()
        warm.join(timeout=SERVER_START_TIMEOUT)
        say("e2e", f"moto_server PID {server.process.pid} answering on {server.url} "
                   f"after {time.monotonic() - started:.1f}s")
        e2e = E2ERun(server, workdir, per_call=options.aws_per_call)
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            flows = {"stack": e2e.exercise, "references": e2e.exercise_references, "stack-sets": e2e.exercise_stack_sets,
                     "nested": e2e.exercise_nested}
            results = list(pool.map(lambda item: flows[item[0]](*item[1]), work))
    except Failure as failure:
        say("e2e", f"FAIL {failure}")
        return 1
    finally:
        watchdog.cancel()

    moto_cpu = server.cpu_seconds()
    e2e.stop_drivers()
    harness, children = os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    failed = [(stack, failures) for stack, failures, _, _ in results if failures]
    say("e2e", "per stack: " + ", ".join(f"{stack} {seconds:.1f}s" for stack, _, seconds, _ in results))
    say("e2e", f"{len(results) - len(failed)}/{len(results)} stacks passed in {time.monotonic() - started:.1f}s "
               f"with --jobs {options.jobs} ({', '.join(f'{n} {k}' for k, n in e2e.counts.items())}; "
               f"moto_server on 127.0.0.1:{server.port})")
    say("e2e", f"CPU: harness {harness.user + harness.system:.1f}s, moto_server "
               f"{'?' if moto_cpu is None else f'{moto_cpu:.1f}s'}, finished child processes "
               f"(aws, awscli_driver, formation, ...) {children.ru_utime + children.ru_stime:.1f}s")
    for stack, failures in failed:
        for failure in failures:
            say("e2e", f"FAIL {stack}: {failure}")
    if failed:
        say("e2e", f"moto_server log tail:\n{server.log_tail()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
