#!/usr/bin/env python3
"""The AWS CLI without its process start-up, for the harness's many small calls.

`aws` spends ~0.6-0.9 s of CPU per call importing botocore and loading service models before it
sends anything; the end-to-end run makes hundreds of small calls (polls, read-backs), which on two
cores would be most of the run. Run as a program, this file is a long-lived AWS CLI: it builds the
CLI's own driver once — `awscli.clidriver.create_clidriver()`, exactly what the `aws` script runs —
and executes one `aws` argument list per request line with `driver.main(argv)`, the same parsing,
botocore client and output formatting as `aws ARGV`, answering with the exit status, stdout and
stderr. A warm call takes ~20 ms.

The user-facing flows that Formation documents (the pipe into `aws cloudformation create-stack`,
the printed `aws cloudformation deploy` command, the piped change set) still run as real `aws`
processes; `e2e.py --aws-per-call` sends every call through a real `aws` process instead.

Protocol: one JSON object per line each way. Request {"argv": [...]} (arguments after `aws`);
answer {"rc": int, "stdout": str, "stderr": str}. The first line out is {"ready": true}. Nothing
reads the program's stdin but the protocol, so an argv naming /dev/stdin is refused.
"""

import io
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time


def serve():
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # Anything that writes to file descriptor 1 directly must not corrupt the protocol.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    if os.environ.get("LC_CTYPE", "") == "UTF-8":  # as the `aws` script does
        os.environ["LC_CTYPE"] = "en_US.UTF-8"
    sys.argv = ["aws"]  # argparse names the program after argv[0], as in `aws: error: ...`
    from awscli.clidriver import create_clidriver
    driver = create_clidriver()
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        argv = json.loads(line)["argv"]
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            if any("/dev/stdin" in word for word in argv):
                err.write("awscli_driver: /dev/stdin is the protocol channel here; run this call as a process\n")
                rc = 2
            else:
                rc = driver.main(argv)
        except SystemExit as exit_:  # argparse usage errors exit
            rc = exit_.code if isinstance(exit_.code, int) else 255
        except BaseException as error:  # noqa: BLE001 - reported to the caller, never swallowed
            err.write(f"awscli_driver: {type(error).__name__}: {error}\n")
            rc = 255
        finally:
            sys.stdout, sys.stderr = saved
        protocol.write(json.dumps({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
        protocol.flush()


class DriverError(Exception):
    """The helper process died, timed out or answered something unreadable."""


class Driver:
    """Client side: one helper process, used by one thread at a time; stopped by its PID."""

    def __init__(self, python, env, start_timeout=30):
        self._errors = tempfile.TemporaryFile()  # a file, so a chatty helper never blocks on it
        self.process = subprocess.Popen([python, os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._errors, env=env,
                                        start_new_session=True)
        self._buffer = b""
        answer = self._read_line(start_timeout, "start")
        if answer.get("ready") is not True:
            raise DriverError(f"awscli_driver did not start: {answer}")

    @property
    def pid(self):
        return self.process.pid

    def call(self, argv, timeout):
        """Runs `aws ARGV`; returns (exit status, stdout, stderr)."""
        if self.process.poll() is not None:
            raise DriverError(f"awscli_driver (PID {self.pid}) exited with {self.process.returncode}")
        try:
            self.process.stdin.write((json.dumps({"argv": list(argv)}) + "\n").encode())
            self.process.stdin.flush()
        except OSError as error:
            raise DriverError(f"awscli_driver (PID {self.pid}) stopped reading: {error}")
        answer = self._read_line(timeout, " ".join(argv))
        return answer["rc"], answer["stdout"], answer["stderr"]

    def _read_line(self, timeout, what):
        deadline = time.monotonic() + timeout
        descriptor = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise DriverError(f"awscli_driver gave no answer within {timeout}s to: {what}")
            readable, _, _ = select.select([descriptor], [], [], remaining)
            if readable:
                chunk = os.read(descriptor, 1 << 16)
                if not chunk:
                    self.stop()
                    self._errors.seek(0)
                    error = self._errors.read()[-2000:].decode(errors="replace")
                    raise DriverError(f"awscli_driver exited while answering {what}: {error.strip()}")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return json.loads(line)
        except ValueError:
            self.stop()
            raise DriverError(f"awscli_driver answered {line[:200]!r} to: {what}")

    def stop(self):
        """Stops the helper by its PID (SIGTERM, then SIGKILL)."""
        if self.process.poll() is not None:
            return
        try:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        for stream in (self.process.stdin, self.process.stdout, self._errors):
            try:
                stream.close()
            except OSError:
                pass


def interpreter_of(script):
    """The Python that runs a console script (its #! line), so the driver imports the very
    awscli that `aws` runs; None when the script has no usable #! line."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode(errors="replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    words = first[2:].split()
    if not words:
        return None
    if os.path.basename(words[0]) == "env" and len(words) > 1:
        from shutil import which
        return which(words[1])
    return words[0] if os.access(words[0], os.X_OK) else None


if __name__ == "__main__":
    serve()
