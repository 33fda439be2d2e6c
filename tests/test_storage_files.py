"""Files caseterm writes and files it opens: every file it creates has its final mode from the
first byte and is gone if writing it failed (a real full disk, made with RLIMIT_FSIZE in a child
process: writes past the limit fail with EFBIG); caseterm's databases carry its application_id
and another program's SQLite file is refused unchanged; unsupported URLs are one line."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from caseterm.core.config import to_url
from caseterm.core.errors import DatabaseError
from caseterm.core.private_files import write_private
from caseterm.core.storage.backup import restore_sqlite, take_backup
from caseterm.core.storage.database import APPLICATION_ID
from caseterm.core.storage.opening import open_database
from tests.cli import ROOT, Run

pytestmark = pytest.mark.sqlite_only

FILE_LIMIT = 64 * 1024  # smaller than any caseterm database (an empty one is ~480 KiB)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _limit_file_size() -> None:
    """In the child: a disk that fills up after FILE_LIMIT bytes of any one file."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        CASETERM_RESIDENT="off",  # the suite starts no resident process
        CASETERM_CONFIG=str(home / "no-config.toml"),
        XDG_DATA_HOME=str(home / "xdg-data"),
    )
    return env


def _cli(home: Path, *args: str, full_disk: bool = False) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "caseterm", *args],
        capture_output=True,
        text=True,
        env=_env(home),
        cwd=home,
        timeout=300,
        preexec_fn=_limit_file_size if full_disk else None,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _new_db(path: Path) -> Path:
    open_database(str(path)).db.dispose()
    return path


# --- modes ------------------------------------------------------------------------------------


def test_every_file_is_private_even_with_an_open_umask(tmp_path: Path) -> None:
    """Under umask 000 SQLite itself would make 0644 files: none of ours may be."""
    with _umask(0):
        db_path = _new_db(tmp_path / "c.db")
        opened = open_database(str(db_path))
        backup = take_backup(opened.db, tmp_path).path
        opened.db.dispose()
        restored = tmp_path / "restored.db"
        restore_sqlite(restored, backup)
        write_private(tmp_path / "export.json", "{}")
    for path in (db_path, backup, restored, tmp_path / "export.json"):
        assert _mode(path) == 0o600, path
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_shared_group_directory_keeps_its_group_modes(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2770)
    with _umask(0o077):  # the group bits are given even under a strict umask
        db_path = _new_db(shared / "c.db")
        opened = open_database(str(db_path))
        backup = take_backup(opened.db).path
        opened.db.dispose()
        restored = shared / "restored.db"
        restore_sqlite(restored, backup)
    assert (_mode(db_path), _mode(backup), _mode(restored)) == (0o660, 0o640, 0o660)


BIG_BACKUP = """
import sys
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.backup import take_backup
db = open_database(sys.argv[1], upgrade=False, create=False).db
take_backup(db, __import__("pathlib").Path(sys.argv[2]))
"""


def test_a_killed_backup_leaves_nothing_readable_and_no_backup_name(tmp_path: Path) -> None:
    """Watch the backup directory while a backup of a 64 MiB database runs, kill the backup
    as soon as anything appears there, and check every file ever seen was private and that the
    backup's own name never appeared."""
    db_path = _new_db(tmp_path / "c.db")
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE filler (b BLOB)")
        conn.executemany("INSERT INTO filler VALUES (zeroblob(1048576))", [()] * 64)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "b.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", BIG_BACKUP, str(db_path), str(target)], env=_env(tmp_path)
    )
    seen: dict[str, int] = {}
    try:
        while proc.poll() is None and not seen:
            for entry in os.scandir(out):
                try:
                    seen[entry.name] = stat.S_IMODE(entry.stat().st_mode)
                except FileNotFoundError:
                    continue
        proc.kill()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert seen, "the backup never started"
    assert all(mode == 0o600 for mode in seen.values()), seen
    leftovers = {p.name: _mode(p) for p in out.iterdir()}
    if target.exists():  # it finished before the kill: then complete and private
        assert _mode(target) == 0o600
    else:
        assert all(n.startswith(".b.db.") and m == 0o600 for n, m in leftovers.items())


# --- a full disk ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["directory", "file"])
def test_backup_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, where: str) -> None:
    db_path = _new_db(tmp_path / "c.db")
    out = tmp_path / "backups"
    out.mkdir()
    target = out if where == "directory" else out / "b.db"
    result = _cli(tmp_path, "--db", str(db_path), "db", "backup", str(target), full_disk=True)
    assert result.code == 1
    line = result.one_error_line()
    assert line.startswith("caseterm: cannot write ") and "nothing was kept" in line, line
    assert list(out.iterdir()) == []
    # ...and with room, the same command works.
    assert _cli(tmp_path, "--db", str(db_path), "db", "backup", str(target)).code == 0


def test_restore_to_a_new_file_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    db_path = _new_db(tmp_path / "c.db")
    opened = open_database(str(db_path))
    backup = take_backup(opened.db, tmp_path / "b.db").path
    opened.db.dispose()
    new = tmp_path / "new" / "c.db"
    new.parent.mkdir()
    result = _cli(tmp_path, "--db", str(new), "db", "restore", str(backup), full_disk=True)
    assert result.code == 1
    assert "nothing was kept" in result.one_error_line()
    assert list(new.parent.iterdir()) == []


WRITE = """
import sys
from pathlib import Path
from caseterm.core.private_files import write_private
try:
    write_private(Path(sys.argv[1]), "x" * 200_000)
except OSError as exc:
    print(exc.strerror)
"""


def test_write_private_removes_what_it_could_not_finish(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WRITE, str(tmp_path / "export.json")],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "File too large"
    assert [p.name for p in tmp_path.iterdir() if "export" in p.name] == []


def test_write_private_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_private(path, "theirs")
    assert path.read_text(encoding="utf-8") == "mine"
    write_private(path, "replaced", replace=True)
    assert path.read_text(encoding="utf-8") == "replaced" and _mode(path) == 0o600


# --- whose database is it ---------------------------------------------------------------------


def _app_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


def test_caseterm_marks_new_and_existing_databases(tmp_path: Path) -> None:
    path = _new_db(tmp_path / "c.db")
    assert _app_id(path) == APPLICATION_ID == int.from_bytes(b"CSTM", "big")
    with sqlite3.connect(path) as conn:  # a caseterm database from before the mark
        conn.execute("PRAGMA application_id = 0")
    assert _app_id(path) == 0
    open_database(str(path)).db.dispose()
    assert _app_id(path) == APPLICATION_ID


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("PRAGMA application_id = 1196444487", 'SQLite application_id 0x47504b47 "GPKG"'),
        ("PRAGMA user_version = 7", "another program set its user_version to 7"),
        ("CREATE TABLE recipes (name TEXT)", "has tables but no caseterm schema"),
    ],
)  # fmt: skip
def test_another_programs_sqlite_file_is_refused_unchanged(
    tmp_path: Path, make: str, message: str
) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(make)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for upgrade in (True, False):
        with pytest.raises(DatabaseError, match=r"give caseterm a file of its own|no caseterm"):
            open_database(str(path), upgrade=upgrade, create=upgrade)
    result = _cli(tmp_path, "--db", str(path), "staff", "list")
    assert result.code == 1 and message in result.one_error_line()
    assert path.read_bytes() == before, "the other program's file was not touched"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]


def test_a_backup_of_another_program_is_not_restored(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("PRAGMA application_id = 1196444487")
    with pytest.raises(DatabaseError, match="belongs to another program"):
        restore_sqlite(tmp_path / "c.db", other)
    assert not (tmp_path / "c.db").exists()


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://clerk:s3cret@dbhost/cases", "unsupported database URL scheme 'mysql'"),
        ("postgresql+psycopg2://clerk:s3cret@dbhost/cases", "scheme 'postgresql+psycopg2'"),
        ("file:x", "file: URIs are not supported"),
        ("file:///tmp/x.db?mode=ro", "file: URIs are not supported"),
        ("sqlite://", "in-memory SQLite database"),
        ("postgresql+psycopg://clerk:s3cret@dbhost:port/cases", "cannot read the"),
    ],
)
def test_unsupported_urls_are_one_line_and_create_nothing(
    tmp_path: Path, url: str, message: str
) -> None:
    with pytest.raises(DatabaseError, match="SQLite"):
        to_url(url)
    result = _cli(tmp_path, "--db", url, "staff", "list")
    assert result.code == 1
    line = result.one_error_line()
    assert message in line and "s3cret" not in line, line
    assert "postgresql+psycopg://" in line or "sqlite:///PATH" in line
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("file", "x"))]
