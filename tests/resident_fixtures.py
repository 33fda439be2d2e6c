"""Real `caseterm` processes with a resident process of their own (tests/test_resident_cli.py).

`Resident` runs `python -m caseterm` (the entry point, so the client is consulted) with a
private runtime folder under /tmp (a socket's path must stay short), acting as a member of staff
of a test database. Its cleanup finds every resident server started with that runtime folder
(by /proc: command line and environment) and kills it, whether or not the test passed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli import Run

ROOT = Path(__file__).resolve().parent.parent
SERVER_MODULE = b"caseterm.cli.resident.server"


def wait_until(check: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    """Wait for a condition another process brings about (a server up, a child gone)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class Resident:
    runtime: Path
    env: dict[str, str]

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "caseterm", *args]

    def environment(self, user: str, **extra: str) -> dict[str, str]:
        return {**self.env, "CASETERM_USER": user, **extra}

    def run(
        self,
        *args: str,
        user: str = "worker",
        stdin: str | None = None,
        cwd: Path | None = None,
        umask: int = -1,
        **extra: str,
    ) -> Run:
        done = subprocess.run(
            self.command(*args),
            input=stdin,
            cwd=cwd,
            umask=umask,
            capture_output=True,
            text=True,
            env=self.environment(user, **extra),
            timeout=180,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def in_process(self, *args: str, user: str = "worker", stdin: str | None = None) -> Run:
        """The same command with the resident process turned off."""
        return self.run(*args, user=user, stdin=stdin, CASETERM_RESIDENT="off")

    def status(self) -> dict[str, Any]:
        done = self.run("resident", "status", "--json")
        assert done.code == 0, done.err
        data: dict[str, Any] = json.loads(done.out)
        return data

    def start(self) -> dict[str, Any]:
        done = self.run("resident", "start", "--json")
        assert done.code == 0, done.err
        data: dict[str, Any] = json.loads(done.out)
        assert data["running"] is True
        return data

    def sockets(self) -> list[Path]:
        return sorted((self.runtime / "caseterm").glob("*.sock"))

    def servers(self) -> list[int]:
        return servers_of(self.runtime)


def start_frozen_server(resident: Resident) -> int:
    """Start `resident`'s server through tests/launch.py, so that it and every child it forks
    read its environment's CASETERM_TEST_CLOCK (the workstation on a demo built at that time);
    wait until it answers. Its pid."""
    from tests.launch import LAUNCH, RESIDENT_SERVER

    key = Path(resident.status()["socket"]).name.removesuffix(".sock")
    subprocess.Popen(
        [sys.executable, str(LAUNCH), RESIDENT_SERVER, key],
        env=resident.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_until(lambda: resident.status()["running"], "the resident server to answer")
    return int(resident.status()["pid"])


def servers_of(runtime: Path) -> list[int]:
    """Live resident servers started with this runtime folder."""
    wanted = f"XDG_RUNTIME_DIR={runtime}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if SERVER_MODULE not in (entry / "cmdline").read_bytes():
                continue
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = re.sub(rb"^.*\) ", b"", (entry / "stat").read_bytes())[:1]
        except OSError:
            continue
        if state != b"Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = re.sub(rb"^.*\) ", b"", Path(f"/proc/{pid}/stat").read_bytes())[:1]
    except OSError:
        return False
    return state != b"Z"


def _environment(runtime: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        XDG_RUNTIME_DIR=str(runtime),
        CASETERM_CONFIG=str(home / "config.toml"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
    )
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


@contextlib.contextmanager
def _runtime_folder() -> Iterator[Path]:
    """A private runtime folder; every server started with it is killed at the end."""
    runtime = Path(tempfile.mkdtemp(prefix="ctr-", dir="/tmp"))
    try:
        yield runtime
    finally:
        for pid in servers_of(runtime):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
            wait_until(lambda pid=pid: not alive(pid), f"server {pid} to end", 10)  # type: ignore[misc]
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def resident(tmp_path: Path) -> Iterator[Resident]:
    """A runtime folder of the test's own: no server until the test starts one."""
    with _runtime_folder() as runtime:
        yield Resident(runtime, _environment(runtime, tmp_path))


@pytest.fixture(scope="module")
def _shared_runtime() -> Iterator[Path]:
    with _runtime_folder() as runtime:
        yield runtime


@pytest.fixture
def warm(_shared_runtime: Path, tmp_path: Path) -> Resident:
    """A resident process shared by the module's tests (started by the first): they compare
    its count of commands served before and after, never assume it is new."""
    shared = Resident(_shared_runtime, _environment(_shared_runtime, tmp_path))
    shared.start()
    return shared
