"""Real, throw-away Unix users for tests that must run caseterm as an ordinary (non-root) user.

Each user's name is `ctsec` + its creation time (8 hex digits of the Unix time) + the process id
of the test run that made it (6 hex digits), so that a run killed before its clean-up leaves
users that the next run recognises and removes (`sweep`: their run's process is gone, or they
are over a day old), without touching those of a run still going on at the same time. Creating
users needs root; the fixtures skip otherwise. A test module imports the fixtures
`unix_user_fixture` and `swept_unix_users_fixture` to use `unix_user`.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import site
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.launch import LAUNCH

PREFIX = "ctsec"
_NAME = re.compile(rf"^{PREFIX}([0-9a-f]{{8}})([0-9a-f]{{6}})$")
STALE_AFTER = 86400  # seconds: older users of this prefix are leftovers whatever their process
SRC = Path(__file__).resolve().parent.parent / "src"


def _userdel(login: str) -> None:
    subprocess.run(["userdel", login], capture_output=True, check=False)


def sweep(now: float | None = None) -> list[str]:
    """Remove users of this prefix left behind by a killed run; returns their names."""
    now = time.time() if now is None else now
    removed = []
    for entry in pwd.getpwall():
        m = _NAME.match(entry.pw_name)
        if m and (now - int(m[1], 16) > STALE_AFTER or not Path(f"/proc/{int(m[2], 16)}").exists()):
            _userdel(entry.pw_name)
            removed.append(entry.pw_name)
    return removed


@dataclass
class UnixUser:
    login: str
    home: Path  # a private directory the user owns (for their database and config)
    python: str = sys.executable
    path: str = f"{SRC}:{LAUNCH.parent.parent}"  # PYTHONPATH

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run this Python as this user, with a clean environment."""
        values = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "CASETERM_CONFIG": str(self.home / "none.toml"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "PYTHONPATH": self.path,
            **(env or {}),
        }
        command = [
            "runuser", "-u", self.login, "--", "env", "-i",
            *(f"{k}={v}" for k, v in values.items()), self.python, *args,
        ]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def caseterm(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run caseterm (through tests/launch.py) as this user."""
        return self.run(str(LAUNCH), *args, env=env)

    def find_python(self) -> str | None:
        """Make `run` use an interpreter this user may run: this one, or the system's of the same
        version with this one's packages on the path. Returns why neither works, or None."""
        probe = ("-c", "import caseterm.core.storage.database, sqlmodel, alembic")
        first = self.run(*probe)
        if first.returncode == 0:
            return None
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        system = shutil.which(version, path="/usr/bin:/bin")
        if system is None:
            return f"{self.python}: {first.stderr.strip()[-200:]}"
        self.python, self.path = system, f"{self.path}:{site.getsitepackages()[0]}"
        second = self.run(*probe)
        return None if second.returncode == 0 else f"{system}: {second.stderr.strip()[-200:]}"

    def give(self, path: Path) -> None:
        """Make `path` (and, for a directory, everything in it) this user's."""
        shutil.chown(path, self.login, self.login)
        if path.is_dir():
            for child in path.rglob("*"):
                shutil.chown(child, self.login, self.login)


@pytest.fixture(scope="session", name="swept_unix_users")
def swept_unix_users_fixture() -> list[str]:
    if os.geteuid() != 0:
        pytest.skip(f"creating Unix users needs root; this test runs as uid {os.geteuid()}")
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed, so test users cannot be created")
    return sweep()


@pytest.fixture(name="unix_user")
def unix_user_fixture(swept_unix_users: list[str]) -> Iterator[UnixUser]:
    """A new ordinary Unix user with a private directory, removed afterwards."""
    at = int(time.time())
    while True:
        login = f"{PREFIX}{at:08x}{os.getpid() % 0x1000000:06x}"
        try:
            pwd.getpwnam(login)
        except KeyError:
            break
        at += 1  # two users made by this run within one second
    home = Path(tempfile.mkdtemp(prefix=f"{login}-", dir="/tmp"))
    made = subprocess.run(
        ["useradd", "-M", "-U", "-s", "/usr/sbin/nologin", login], capture_output=True, text=True
    )
    if made.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        pytest.skip(f"useradd failed: {made.stderr.strip()}")
    try:
        user = UnixUser(login, home)
        user.give(home)
        home.chmod(0o700)
        why = user.find_python()
        if why is not None:
            pytest.skip(f"no Python interpreter the test user may run: {why}")
        yield user
    finally:
        _userdel(login)
        shutil.rmtree(home, ignore_errors=True)
