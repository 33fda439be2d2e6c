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
from pathlib import Path


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
def resident_env(base: dict[str, str], *, frozen: bool = False) -> Iterator[dict[str, str]]:
    """`base` with a running resident process: commands run with the returned environment
    through `python -m caseterm` are served by it. `frozen`: the server is started through
    tests/launch.py with `base`'s CASETERM_TEST_CLOCK, so what it serves (the workstation on a
    demo database) reads the benchmark's time, as the rows started through launch.py do."""
    runtime = tempfile.mkdtemp(prefix="ctb-", dir="/tmp")
    env = {**base, "XDG_RUNTIME_DIR": runtime}
    env.pop("CASETERM_RESIDENT", None)
    pid = None
    server: subprocess.Popen[bytes] | None = None  # the frozen server: this process reaps it
    try:
        if frozen:
            server = _start_frozen(env)
            pid = server.pid  # (tests/launch.py runs the server in its own process)
        else:
            pid = _start(env)
        yield env
    finally:
        _caseterm(env, "resident", "stop")
        if pid is not None:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(pid, server):
                time.sleep(0.05)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if server is not None:
            server.wait()
        shutil.rmtree(runtime, ignore_errors=True)


def _alive(pid: int, server: subprocess.Popen[bytes] | None) -> bool:
    if server is not None:  # our own child: reaped here, so it leaves no zombie to wait for
        return server.poll() is None
    return os.path.exists(f"/proc/{pid}")


def _start(env: dict[str, str]) -> int:
    started = _caseterm(env, "resident", "start", "--json")
    if started.returncode:
        raise RuntimeError(f"caseterm resident start: {started.stderr.strip()}")
    return int(json.loads(started.stdout)["pid"])


def _start_frozen(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the server through tests/launch.py (the clock frozen) and wait until it answers."""
    launcher = Path(__file__).resolve().parent.parent / "tests" / "launch.py"
    socket = str(status(env)["socket"])  # not running yet: where the client will look
    key = Path(socket).name.removesuffix(".sock")
    server = subprocess.Popen(
        [sys.executable, str(launcher), "--resident-server", key],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd="/",
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if status(env).get("running"):
            return server
        time.sleep(0.05)
    raise RuntimeError("the resident server (clock frozen) did not answer within 120 s")


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
