"""`CASETERM_USER` never grants an identity on a real database to an ordinary Unix user (it used
to, with `CASETERM_DEMO=1`), and every access-log row names the real Unix login. Shown with a
real, non-root Unix user running caseterm in its own process (tests/unix_users.py)."""

from __future__ import annotations

import pwd
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from caseterm.core.demo.build import mark_demo_database
from caseterm.core.services import cases, staff
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.factories import build_world
from tests.unix_users import (  # noqa: F401  (fixtures)
    PREFIX,
    UnixUser,
    sweep,
    swept_unix_users_fixture,
    unix_user_fixture,
)

pytestmark = pytest.mark.sqlite_only

ATTACKS = (
    ("case", "show", "{ref}"),
    ("restrict", "{ref}", "--allow", "{me}"),
    ("staff", "roles", "{me}", "caseworker,sysadmin"),
)


def _real_database(user: UnixUser) -> tuple[Path, str, str]:
    """A real (not demo) database the user may open, holding a case restricted away from them.
    Returns its path, the case reference and the subject's family name."""
    path = user.home / "real.db"
    db = open_database(str(path)).db
    try:
        world = build_world(db, demo=False)
        with db.write() as s:
            me = staff.add_staff(
                s, world.admin, login=user.login, name="Eve Ordinary", roles=["caseworker"]
            )
        with db.write() as s:
            cases.restrict_case(s, world.manager, case_id=world.case.id or 0, deny=[me.id or 0])
        ref, family = world.case.reference, world.person.family_name
    finally:
        db.dispose()
    user.give(user.home)
    return path, ref, family


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _access(path: Path) -> list[tuple[object, ...]]:
    return _rows(
        path,
        "SELECT s.login, a.os_user, a.action FROM access_log a "
        "JOIN staff s ON s.id = a.staff_id ORDER BY a.id",
    )


def test_an_ordinary_user_cannot_act_as_root_on_a_real_database(unix_user: UnixUser) -> None:
    path, ref, family = _real_database(unix_user)
    me = unix_user.login
    events_before = _rows(path, "SELECT count(*) FROM audit_event")
    for attack in ATTACKS:
        args = [a.format(ref=ref, me=me) for a in attack]
        run = unix_user.caseterm(
            "--db", str(path), *args, env={"CASETERM_DEMO": "1", "CASETERM_USER": "root"}
        )
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert run.stderr.splitlines() == [
            f"caseterm: CASETERM_USER=root refused: honoured only for root or on a demo "
            f"database; unset it to work as {me}"
        ], args
        assert family not in run.stdout + run.stderr
    assert _rows(path, "SELECT count(*) FROM audit_event") == events_before
    assert _rows(path, f"SELECT role FROM staff_role r JOIN staff s ON s.id = r.staff_id "
                       f"WHERE s.login = '{me}'") == [("caseworker",)]  # fmt: skip

    # As themselves they are refused the case, and the refusal names their real login.
    own = unix_user.caseterm("--db", str(path), "case", "show", ref)
    assert own.returncode != 0 and "restricted — ask" in own.stderr
    assert family not in own.stdout + own.stderr
    assert _access(path)[-1] == (me, me, "refused")


def test_on_a_demo_database_the_override_works_and_the_log_keeps_the_real_login(
    unix_user: UnixUser,
) -> None:
    path, ref, family = _real_database(unix_user)
    db = Database(f"sqlite:///{path}")
    try:
        mark_demo_database(db)
    finally:
        db.dispose()
    unix_user.give(unix_user.home)
    me = unix_user.login
    shown = unix_user.caseterm(
        "--db", str(path), "case", "show", ref, env={"CASETERM_USER": "root"}
    )
    assert shown.returncode == 0, shown.stderr
    assert family in shown.stdout
    # Acting as root (the database's system administrator), but the row says who really did.
    assert _access(path)[-1] == ("root", me, "viewed")


def test_users_left_by_a_killed_run_are_swept(swept_unix_users: list[str]) -> None:
    gone = f"{PREFIX}{int(time.time()):08x}fffffe"  # no process has that id (above pid_max)
    subprocess.run(["useradd", "-M", "-U", "-s", "/usr/sbin/nologin", gone], check=True)
    try:
        assert gone in sweep()
        with pytest.raises(KeyError):
            pwd.getpwnam(gone)
    finally:
        subprocess.run(["userdel", gone], capture_output=True, check=False)
