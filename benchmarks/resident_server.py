"""A resident CLI process of the benchmark's own (a private runtime folder), for the CLI
benchmarks that go through it (bench_cli.py, writers.py --resident); it is stopped, and killed
if need be, when the benchmark ends."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator


def _caseterm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseterm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextlib.contextmanager
def resident_env(base: dict[str, str]) -> Iterator[dict[str, str]]:
    """`base` with a running resident process: commands run with the returned environment
    through `python -m caseterm` are served by it."""
    runtime = tempfile.mkdtemp(prefix="ctb-", dir="/tmp")
    env = {**base, "XDG_RUNTIME_DIR": runtime}
    env.pop("CASETERM_RESIDENT", None)
    pid = None
    try:
        started = _caseterm(env, "resident", "start", "--json")
        if started.returncode:
            raise RuntimeError(f"caseterm resident start: {started.stderr.strip()}")
        pid = int(json.loads(started.stdout)["pid"])
        yield env
    finally:
        _caseterm(env, "resident", "stop")
        if pid is not None:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
                time.sleep(0.05)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(runtime, ignore_errors=True)


def requests(env: dict[str, str]) -> int:
    """How many commands the resident process has served."""
    done = _caseterm(env, "resident", "status", "--json")
    return int(json.loads(done.stdout).get("requests", 0))


def status(env: dict[str, str]) -> dict[str, object]:
    """`caseterm resident status --json`."""
    done = _caseterm(env, "resident", "status", "--json")
    data: dict[str, object] = json.loads(done.stdout)
    return data


def wait_warm(env: dict[str, str], commands: int, seconds: float = 60.0) -> dict[str, object]:
    """Wait until the server has warmed an engine for `commands` commands (it does so when
    idle, after a command's child has ended); its status."""
    deadline = time.monotonic() + seconds
    while True:
        info = status(env)
        if int(str(info.get("warmed_commands", 0))) >= commands or time.monotonic() > deadline:
            return info
        time.sleep(0.05)


def served_cpu_ms(env: dict[str, str]) -> int:
    """The CPU the commands it served used (their own processes, forked from it)."""
    done = _caseterm(env, "resident", "status", "--json")
    return int(json.loads(done.stdout).get("served_cpu_ms", 0))
