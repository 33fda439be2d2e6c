"""One database shared by several Unix users: the setgid group directory and 0660 files of
`caseterm db init --shared`, shown with real users (created here, removed afterwards), and the
checks of `caseterm db doctor`."""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import site
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from caseterm.core.errors import DatabaseError
from caseterm.core.storage.database import Database
from caseterm.core.storage.doctor import doctor
from caseterm.core.storage.filesystems import mount_of, network_filesystem
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.shared_host import init_shared
from tests import unix_group_users
from tests.cli import ROOT

pytestmark = pytest.mark.sqlite_only

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /srv/cases nfs4 rw,relatime 0 0
//fs/share /mnt/my\\040share cifs rw 0 0
me@host:/x /home/me/remote fuse.sshfs rw 0 0
tmpfs /srv/cases/local tmpfs rw 0 0
"""


# --- without other users ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/srv/cases/caseterm/c.db", "nfs4"),
        ("/mnt/my share/c.db", "cifs"),
        ("/home/me/remote/c.db", "fuse.sshfs"),
        ("/srv/cases/local/c.db", None),
        ("/srv/casesX/c.db", None),
        ("/var/lib/c.db", None),
    ],
)
def test_network_filesystems_are_recognised(path: str, fstype: str | None) -> None:
    assert network_filesystem(Path(path), MOUNTS) == fstype


def test_this_machine_reads_its_own_mounts(tmp_path: Path) -> None:
    point, fstype = mount_of(tmp_path)
    assert str(tmp_path).startswith(point) and fstype != "unknown"


def _levels(db: Database) -> dict[str, str]:
    return {f.what: f.level for f in doctor(db)}


def test_doctor_on_a_private_database(tmp_path: Path) -> None:
    home = tmp_path / "private"
    home.mkdir(mode=0o700)
    db = open_database(str(home / "c.db")).db
    try:
        (home / "c.db").chmod(0o600)
        findings = doctor(db)
    finally:
        db.dispose()
    levels = {f.level for f in findings}
    assert "error" not in levels
    text = " | ".join(f"{f.level}: {f.what}" for f in findings)
    assert "ok: integrity check: ok" in text and "ok: journal mode: WAL" in text
    assert "ok: private to its owner (mode 600)" in text
    backup = [f for f in findings if "backup" in f.what]
    assert backup[0].level == "warning" and "caseterm db backup --keep" in backup[0].fix


def test_doctor_flags_readable_by_everyone_and_damage(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "c.db")).db
    path = tmp_path / "c.db"
    try:
        path.chmod(0o644)
        bad = [f for f in doctor(db) if f.level == "error"]
        assert any("every user on this host can read it" in f.what for f in bad)
        assert any(f.fix == f"chmod o-rwx {path}" for f in bad)
        db.dispose()
        conn = sqlite3.connect(path)
        root, size = (
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'staff'").fetchone()[0],
            conn.execute("PRAGMA page_size").fetchone()[0],
        )
        conn.close()
        with path.open("r+b") as fh:  # an impossible page type on the staff table's root page
            fh.seek((root - 1) * size)
            fh.write(b"\xff" * 8)
        damage = [f for f in doctor(db) if "found damage" in f.what or "damaged" in f.what]
        assert damage and damage[0].level == "error" and "restore" in damage[0].fix
    finally:
        db.dispose()


def test_init_shared_refuses_a_busy_directory_and_unknown_group(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("someone else's")
    with pytest.raises(DatabaseError, match="holds other files"):
        init_shared(tmp_path / "c.db", grp.getgrgid(os.getgid()).gr_name)
    with pytest.raises(DatabaseError, match="no Unix group"):
        init_shared(tmp_path / "fresh" / "c.db", "no-such-group-" + secrets.token_hex(3))


# --- with real Unix users ---------------------------------------------------------------------


@dataclass
class Host:
    base: Path
    group: str
    users: dict[str, str]  # role (alice, bob, dave, eve) -> Unix login
    python: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    started: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.base / "shared" / "caseterm.db"

    def command(self, who: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
        login = self.users[who]
        home = self.base / f"home-{login}"
        values = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "CASETERM_CONFIG": str(home / "config.toml"),
            "XDG_DATA_HOME": str(home / "data"),
            "CASETERM_RESIDENT": "off",  # the suite starts no resident process
            **self.extra_env,
            **(env or {}),
        }
        return [
            "runuser", "-u", login, "--", "env", "-i", *(f"{k}={v}" for k, v in values.items()),
            "sh", "-c", 'umask 022; exec "$@"', "sh", *self.python, *args,
        ]  # fmt: skip

    def run(
        self, who: str, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(who, *args, env=env), capture_output=True, text=True, timeout=180
        )

    def caseterm(
        self, who: str, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.run(who, "-m", "caseterm", "--db", str(self.db), *args, env=env)


def _sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True)


def _usable_python(host: Host) -> tuple[list[str], dict[str, str]] | str:
    """The venv's interpreter if these users can run it; else the system interpreter of the same
    version with the venv's packages and our source on PYTHONPATH; else the reason neither works."""
    probe = ("-c", "import caseterm.core.storage.database, sqlmodel, alembic")
    venv = str(ROOT / ".venv" / "bin" / "python")
    host.python = [venv]
    first = host.run("alice", *probe)
    if first.returncode == 0:
        return [venv], {}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/bin:/bin")
    reasons = [f"{venv}: {first.stderr.strip().splitlines()[-1:] or first.returncode}"]
    if system:
        env = {"PYTHONPATH": f"{site.getsitepackages()[0]}:{ROOT / 'src'}"}
        host.python, host.extra_env = [system], env
        second = host.run("alice", *probe)
        if second.returncode == 0:
            return [system], env
        reasons.append(f"{system}: {second.stderr.strip().splitlines()[-1:]}")
    return "; ".join(reasons)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    if os.geteuid() != 0:
        pytest.skip(f"creating Unix users needs root; this test runs as uid {os.geteuid()}")
    if (tool := unix_group_users.missing_tool()) is not None:
        pytest.skip(f"{tool} is not installed, so test users cannot be created")
    # eve is not in the group. The users go when the module is done (or, if the run is killed,
    # at the start of the next one: tests/unix_group_users.py).
    with unix_group_users.TestAccounts(("alice", "bob", "dave", "eve"), outsiders=("eve",)) as made:
        h = Host(made.base, made.group, made.users)
        try:
            found = _usable_python(h)
            if isinstance(found, str):
                pytest.skip(f"no Python interpreter these users may run: {found}")
            h.python, h.extra_env = found
            yield h
        finally:
            for proc in h.started:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)


HOLD = """
import sys
from sqlmodel import select
from caseterm.core.storage.database import Database
from caseterm.core.models import Staff
db = Database("sqlite:///" + sys.argv[1])
with db.read() as s:
    s.exec(select(Staff)).all()
print("connected", flush=True)
sys.stdin.readline()
db.dispose()
"""


def _mode_group(path: Path) -> tuple[str, str]:
    st = path.stat()
    return oct(stat.S_IMODE(st.st_mode)), grp.getgrgid(st.st_gid).gr_name


def test_two_users_share_a_database_and_a_third_cannot_read_it(host: Host) -> None:
    """One story, in order: set-up by root, work by alice and bob at the same time, an outsider
    refused, and the CASETERM_USER rule across real users."""
    init = subprocess.run(
        [sys.executable, "-m", "caseterm", "db", "init", "--shared", "--group", host.group,
         str(host.db)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    assert _mode_group(host.db.parent) == ("0o2770", host.group)
    assert _mode_group(host.db) == ("0o660", host.group)
    alice, bob = host.users["alice"], host.users["bob"]

    first = host.caseterm("alice", "staff", "add", alice, "--name", "Alice Able")
    assert first.returncode == 0, first.stderr
    assert "sysadmin" in first.stdout
    for login, name, roles in ((bob, "Bob Baker", "sysadmin,caseworker"),
                               (host.users["dave"], "Dave Dale", "caseworker")):  # fmt: skip
        added = host.caseterm("alice", "staff", "add", login, "--name", name, "--roles", roles)
        assert added.returncode == 0, added.stderr

    # Alice keeps a connection open: the -wal and -shm files are hers, made under umask 022.
    holder = subprocess.Popen(
        host.command("alice", "-c", HOLD, str(host.db)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    host.started.append(holder)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "connected"
        shm = Path(f"{host.db}-shm")
        assert shm.stat().st_uid != 0  # made by alice, not root
        assert _mode_group(shm) == ("0o660", host.group)
        # ...and Bob still writes, through her -wal and -shm.
        wrote = host.caseterm("bob", "staff", "add", "carol", "--name", "Carol Cole")
        assert wrote.returncode == 0, wrote.stderr
        listed = host.caseterm("alice", "staff", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert {r["login"] for r in json.loads(listed.stdout)} >= {alice, bob, "carol"}
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)

    checked = host.caseterm("bob", "db", "doctor", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    whats = [f["what"] for f in json.loads(checked.stdout)]
    assert f"shared with group {host.group}: directory 2770, files 660" in whats

    # Eve is not in the group: she can neither list the directory nor read the file.
    peek = host.run("eve", "-c", f"open({str(host.db)!r}, 'rb').read(16)")
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    denied = host.caseterm("eve", "staff", "list")
    assert denied.returncode == 1, denied.stderr
    assert "Traceback" not in denied.stderr and "ermission denied" in denied.stderr, denied.stderr
    conn = sqlite3.connect(host.db)
    try:
        rows = conn.execute(
            "SELECT s.login, a.os_user FROM audit_event a JOIN staff s ON s.id = a.staff_id "
            "WHERE a.action = 'staff.add' ORDER BY a.id"
        ).fetchall()
    finally:
        conn.close()
    assert rows[:3] == [(alice, alice), (alice, alice), (alice, alice)]
    assert rows[3] == (bob, bob)

    # Acting as someone else on a real database: refused for an ordinary user and for a system
    # administrator alike, whatever else is set (tests/test_security_impersonation.py shows the
    # demo database, where it is honoured, and the access log).
    for who in ("dave", "bob"):
        refused = host.caseterm(
            who, "staff", "disable", "carol", env={"CASETERM_USER": alice, "CASETERM_DEMO": "1"}
        )
        assert refused.returncode == 1
        assert f"CASETERM_USER={alice} refused" in refused.stderr
    conn = sqlite3.connect(host.db)
    try:
        disabled = conn.execute("SELECT count(*) FROM audit_event WHERE action = 'staff.disable'")
        assert disabled.fetchall() == [(0,)]
    finally:
        conn.close()


OPEN_TOGETHER = """
import sys
from caseterm.core.storage.opening import open_database
print("ready", flush=True)
sys.stdin.readline()
opened = open_database(sys.argv[1])
print("backup" if opened.backup else "opened", flush=True)
opened.db.dispose()
"""


def test_group_members_upgrade_back_up_and_restore_with_group_modes(host: Host) -> None:
    """Alice and Bob start at the same moment on an old shared database: one upgrades (the lock
    file is usable by both), the other waits; the pre-upgrade copy, Bob's backup and a restore
    to a new file keep the group's modes (0640 copies, 0660 databases) under umask 022."""
    from alembic import command

    from caseterm.core.storage import migrate

    shared = host.base / "upgraded"
    shared.mkdir()
    shutil.chown(shared, group=host.group)
    shared.chmod(0o2770)
    db_path = shared / "caseterm.db"
    old = Database(f"sqlite:///{db_path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    old.dispose()
    shutil.chown(db_path, group=host.group)
    db_path.chmod(0o660)

    procs = [
        subprocess.Popen(
            host.command(who, "-c", OPEN_TOGETHER, str(db_path)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("alice", "bob")
    ]
    host.started.extend(procs)
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=300) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted(out.strip() for out, _ in outs) == ["backup", "opened"]
    (pre,) = shared.glob("caseterm.db.pre-upgrade-*.bak")
    assert _mode_group(pre) == ("0o640", host.group)
    assert _mode_group(db_path) == ("0o660", host.group)
    assert not Path(f"{db_path}.lock").exists()

    made = host.run("bob", "-m", "caseterm", "--db", str(db_path), "db", "backup", "--json")
    assert made.returncode == 0, made.stderr
    backup = Path(json.loads(made.stdout)["path"])
    assert backup.parent == shared and backup.stat().st_uid != 0  # made by bob
    assert _mode_group(backup) == ("0o640", host.group)
    restored = shared / "restored.db"
    done = host.run("alice", "-m", "caseterm", "--db", str(restored), "db", "restore", str(pre))
    assert done.returncode == 0, done.stderr
    assert _mode_group(restored) == ("0o660", host.group)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=60)
    return child.pid


def test_users_of_a_killed_run_are_swept_and_a_live_runs_are_not() -> None:
    if os.geteuid() != 0 or unix_group_users.missing_tool() is not None:
        pytest.skip("creating Unix users needs root and the shadow tools")
    dead = _dead_pid()
    # What a run killed before its clean-up leaves: a group, users, their homes.
    left = unix_group_users.TestAccounts(("alice", "eve"), outsiders=("eve",), owner=dead)
    live = unix_group_users.TestAccounts(("bob",))
    with live:
        left.__enter__()
        try:
            assert unix_group_users.owner_pid(left.users["alice"]) == dead
            swept = unix_group_users.sweep()
            assert set(left.users.values()) | {left.group, str(left.base)} <= set(swept)
            for login in left.users.values():
                with pytest.raises(KeyError):
                    pwd.getpwnam(login)
            with pytest.raises(KeyError):
                grp.getgrnam(left.group)
            assert not left.base.exists()
            # This run's users are still here.
            assert pwd.getpwnam(live.users["bob"]).pw_gecos.startswith("caseterm test user")
            assert grp.getgrnam(live.group).gr_mem == [live.users["bob"]]
            assert live.home("bob").is_dir()
        finally:
            left.remove()
    with pytest.raises(KeyError):
        pwd.getpwnam(live.users["bob"])
    assert not live.base.exists()
