"""Online backups, rotation and restores, on real files with real processes connected."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.errors import DatabaseError
from caseterm.core.models import AuditEvent, ContactEntry, Person
from caseterm.core.services import people
from caseterm.core.storage.backup import connected, restore_sqlite, take_backup
from caseterm.core.storage.backup_files import default_backups
from caseterm.core.storage.database import Database
from tests.factories import World
from tests.test_cli_errors import ROOT, run_cli

pytestmark = pytest.mark.sqlite_only

HOLDER = """
import sys
from sqlmodel import select
from caseterm.core.storage.database import Database
from caseterm.core.models import Staff
db = Database(sys.argv[1])
with db.read() as s:
    s.exec(select(Staff)).all()
print("connected", flush=True)
sys.stdin.readline()
db.dispose()
"""

WRITER = """
import sys
from caseterm.core.storage.database import Database
from caseterm.core.services import contacts
from caseterm.core.services.identity import resolve_actor
db = Database(sys.argv[1])
case_id, total = int(sys.argv[2]), int(sys.argv[3])
with db.read() as s:
    actor = resolve_actor(s, "worker")
for n in range(1, total + 1):
    with db.write() as s:
        contacts.log_contact(s, actor, case_id=case_id, contact_type="internal", notes=f"n={n}")
    if n == 20:
        print("writing", flush=True)
print("done", flush=True)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@contextmanager
def holding(db: Database) -> Iterator[subprocess.Popen[str]]:
    """Another process with the database open (and idle), until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "connected"
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=60)


def _path(db: Database) -> Path:
    assert db.path is not None
    return db.path


def _add_person(db: Database, world: World, family: str) -> None:
    with db.write() as s:
        people.create_person(s, world.clerk, people.PersonInput(given_name="A", family_name=family))


def _families(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT family_name FROM person")}
    finally:
        conn.close()


def test_backup_gets_a_dated_name_private_mode_and_rotation(world: World, tmp_path: Path) -> None:
    _path(world.db).chmod(0o660)
    made = [take_backup(world.db, tmp_path, keep=2) for _ in range(3)]
    names = [m.path.name for m in made]
    assert all(n.startswith("caseterm-backup-") and n.endswith(".db") for n in names)
    assert len(set(names)) == 3
    assert made[2].removed == [made[0].path]
    assert default_backups(_path(world.db), tmp_path) == [made[1].path, made[2].path]
    mode = stat.S_IMODE(made[2].path.stat().st_mode)
    assert mode == 0o640  # the group may read it (to restore), nobody else
    assert _families(made[2].path) == _families(_path(world.db))


def test_backup_refuses_an_existing_file_and_bad_keep(world: World, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    take_backup(world.db, target)
    with pytest.raises(DatabaseError, match="already exists"):
        take_backup(world.db, target)
    with pytest.raises(DatabaseError, match="at least 1"):
        take_backup(world.db, tmp_path, keep=0)


def test_connected_sees_another_process_through_sqlites_lock(world: World) -> None:
    path = world.db.path
    assert path is not None
    world.db.dispose()  # this process must hold no connection of its own
    assert not connected(path).anyone
    with holding(world.db) as proc:
        found = connected(path)
        assert found.locked
        assert proc.pid in [pid for pid, _user, _cmd in found.processes]
    assert not connected(path).anyone


def test_restore_refused_while_connected_then_done_with_a_safety_copy(
    world: World, tmp_path: Path
) -> None:
    backup = take_backup(world.db, tmp_path / "before.db").path
    _add_person(world.db, world, "AfterTheBackup")
    path = world.db.path
    assert path is not None
    world.db.dispose()
    with holding(world.db), pytest.raises(DatabaseError, match="in use by"):
        restore_sqlite(path, backup)
    assert "AfterTheBackup" in _families(path)
    result = restore_sqlite(path, backup)
    assert "AfterTheBackup" not in _families(path)
    assert result.safety_copy is not None and "AfterTheBackup" in _families(result.safety_copy)
    with world.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "db.restore")).one()
    assert str(backup) in event.summary and event.os_user


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all", "not a SQLite database"),
        (None, "not a caseterm database"),
        (b"newer", "newer than this caseterm"),
    ],
)
def test_restore_refuses_bad_backups(
    world: World, tmp_path: Path, content: bytes | None, message: str
) -> None:
    bad = tmp_path / "bad.db"
    if content is None or content == b"newer":
        conn = sqlite3.connect(bad)
        if content is None:
            conn.execute("CREATE TABLE t (x)")
        else:
            conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
            conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    world.db.dispose()
    before = _families(_path(world.db))
    with pytest.raises(DatabaseError, match=message):
        restore_sqlite(_path(world.db), bad)
    assert _families(_path(world.db)) == before


def test_backup_taken_during_concurrent_writes_restores_consistently(
    world: World, tmp_path: Path
) -> None:
    """A writer logs numbered contacts, each in its own transaction, while backups are taken.
    Each backup passes integrity_check, holds exactly entries n=1..K (a prefix: no gaps, nothing
    half-written) and an audit event for every one of them; a restore of it does the same."""
    total = 400
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, world.db.url, str(world.case.id), str(total)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    backups = []
    for i in range(3):
        backups.append(take_backup(world.db, tmp_path / f"during-{i}.db").path)
        time.sleep(0.05)
    assert writer.stdout.readline().strip() == "done"
    assert writer.wait(timeout=120) == 0
    counts = []
    for backup in backups:
        counts.append(_check_prefix(backup))
    assert counts == sorted(counts) and 20 <= counts[0] < total  # taken while writing
    assert counts[-1] <= total
    restored = tmp_path / "restored.db"
    restore_sqlite(restored, backups[1])
    assert _check_prefix(restored) == counts[1]


def _check_prefix(path: Path) -> int:
    db = Database("sqlite:///" + str(path))
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with db.read() as s:
            notes = s.exec(
                select(ContactEntry.notes).where(col(ContactEntry.notes).startswith("n="))
            ).all()
            numbers = sorted(int(n[2:]) for n in notes)
            events = s.exec(
                select(AuditEvent.entity_id).where(
                    AuditEvent.entity == "contact_entry", AuditEvent.action == "contact.log"
                )
            ).all()
            entry_ids = set(s.exec(select(ContactEntry.id)).all())
    finally:
        db.dispose()
    assert numbers == list(range(1, len(numbers) + 1)), "a backup must hold a prefix of the writes"
    assert set(events) == entry_ids, "every entry has its audit event, and no event is orphaned"
    return len(numbers)


def test_cli_backup_keep_and_restore_refused_while_in_use(world: World, tmp_path: Path) -> None:
    db = world.db
    first = run_cli(tmp_path, "db", "backup", str(tmp_path), "--keep", "1", "--json", db=db.url)
    assert first.code == 0, first.err
    second = run_cli(tmp_path, "db", "backup", str(tmp_path), "--keep", "1", "--json", db=db.url)
    assert second.code == 0, second.err
    assert second.json()["removed"] == [first.json()["path"]]
    kept = Path(second.json()["path"])
    _add_person(db, world, "Later")
    db.dispose()
    with holding(db):
        busy = run_cli(tmp_path, "db", "restore", str(kept), db=db.url)
    assert busy.code == 1 and "in use by" in busy.one_error_line()
    done = run_cli(tmp_path, "db", "restore", str(kept), db=db.url)
    assert done.code == 0, done.err
    assert "Later" not in _families(_path(db))
    with db.read() as s:
        assert s.exec(select(Person).where(Person.family_name == "Later")).first() is None
