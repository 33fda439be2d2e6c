"""A Unix group and several users in it that a test creates (as root), never left behind (the
shared-host tests; a single ordinary user comes from tests/unix_users.py).

Every name starts with PREFIX and carries the id of the process that made it: the group
`ctst-<pid>-<random>`, its users `ctst-<pid>-<random>-<role>` and their homes under
`/tmp/ctst-<pid>-<random>/`. Two runs at once cannot clash, and a leftover says whose it was.
`TestAccounts` removes what it made when the test is done; a run killed before that leaves them
behind, and `sweep()` (called at the start of every test session) removes every such user, group
and directory whose process is gone.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

PREFIX = "ctst-"
TMP = Path("/tmp")
TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "runuser")
_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d+)-[0-9a-f]+(-[a-z]+)?$")


def missing_tool() -> str | None:
    """The first tool for managing users that is not installed, if any."""
    return next((tool for tool in TOOLS if shutil.which(tool) is None), None)


def owner_pid(name: str) -> int | None:
    """The id of the process that created the user or group `name`; None if not one of ours."""
    found = _NAME.match(name)
    return int(found.group(1)) if found else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def _remove(users: Iterable[str], groups: Iterable[str]) -> None:
    # -f: remove the user even while a process of theirs (a killed test's child) still runs.
    for login in users:
        _run("userdel", "-f", login)
    for group in groups:
        _run("groupdel", group)


def _left_over(name: str) -> bool:
    """Is `name` one of ours, made by a process that is gone?"""
    pid = owner_pid(name)
    return pid is not None and not _alive(pid)


def sweep() -> list[str]:
    """Remove the test users, groups and home directories of runs whose process is gone; what
    was removed."""
    if os.geteuid() != 0 or missing_tool() is not None:
        return []
    users = [u.pw_name for u in pwd.getpwall() if _left_over(u.pw_name)]
    groups = [g.gr_name for g in grp.getgrall() if _left_over(g.gr_name)]
    _remove(users, groups)  # (a user's own group usually goes with them: groupdel then fails)
    homes = [d for d in TMP.glob(f"{PREFIX}*") if _left_over(d.name)]
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)
    return [*users, *(g for g in groups if g not in users), *map(str, homes)]


class TestAccounts:
    """A group and one user per role, made on entering and removed on leaving (even on failure).

    `users[role]` is the login; roles in `outsiders` are not members of the group. Each user also
    gets a group of their own name (`useradd -U`), removed with them, and a home directory
    `home(role)` of their own under `base` (which everyone may pass through).
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(
        self,
        roles: Iterable[str],
        *,
        outsiders: Iterable[str] = (),
        owner: int | None = None,
        shell: str = "/usr/sbin/nologin",
    ) -> None:
        self.owner = os.getpid() if owner is None else owner  # (another only to test `sweep`)
        tag = f"{PREFIX}{self.owner}-{secrets.token_hex(3)}"
        self.group = tag
        self.base = TMP / tag
        self.users = {role: f"{tag}-{role}" for role in roles}
        self._outsiders = set(outsiders)
        self._made_users: list[str] = []
        self._made_group = False
        self._shell = shell  # (a login shell only for the tests that log in over SSH)

    def __enter__(self) -> TestAccounts:
        try:
            self.base.mkdir(mode=0o755)
            self.base.chmod(0o755)  # whatever the umask: every user passes through
            self._check(_run("groupadd", self.group))
            self._made_group = True
            gecos = f"caseterm test user (process {self.owner})"
            for role, login in self.users.items():
                member = [] if role in self._outsiders else ["-G", self.group]
                self._check(
                    _run("useradd", "-M", "-U", "-s", self._shell, "-c", gecos, *member,
                         login)
                )  # fmt: skip
                self._made_users.append(login)
                self.home(role).mkdir()
                shutil.chown(self.home(role), login, login)
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.remove()

    def home(self, role: str) -> Path:
        return self.base / f"home-{self.users[role]}"

    def remove(self) -> None:
        _remove(self._made_users, [self.group] if self._made_group else [])
        self._made_users, self._made_group = [], False
        shutil.rmtree(self.base, ignore_errors=True)

    @staticmethod
    def _check(done: subprocess.CompletedProcess[str]) -> None:
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, done.args))}: {done.stderr.strip()}")
