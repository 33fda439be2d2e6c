"""Online backups and restores of a SQLite database, through SQLite's backup API (never a file
copy of a live database).

Backups: `take_backup` copies the database in one step of the backup API. In WAL mode that step
is a read transaction, so it sees one consistent snapshot while everyone else keeps writing
(a page-by-page backup would restart whenever another process commits, and might never finish
on a busy system). The copy is written under a hidden temporary name created with its final
mode (0600, or 0640 for a database shared with a group), checked with `PRAGMA quick_check`, and
only then given its name, `<stem>-backup-YYYYmmdd-HHMMSS.db` by default (`-2`… within one
second); on any failure, a full disk included, nothing is left. `keep=N` then deletes all but
the newest N default-named backups in that directory. Backups go next to the database unless
`$CASETERM_BACKUP_DIR` or `backup_dir` in the config file names another directory (naming and
finding backups: backup_files.py).

Restores: `restore_sqlite` refuses while anybody is connected (see `connected`), checks the
backup (a SQLite file, intact, a caseterm schema this program knows), keeps a copy of the
current database, and copies the backup *into* the live file with the backup API. That copy is
one SQLite write transaction, so a process that connects meanwhile sees the old database or the
restored one, never a mixture; the file keeps its owner, group and mode. A damaged database is
kept byte for byte instead (it cannot be read through SQLite). A restore to a new path makes the
file with its final mode, like a backup.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from caseterm.core.errors import DatabaseError
from caseterm.core.private_files import (
    private_file,
    shared_mode,
)
from caseterm.core.storage.backup_files import (
    backup_dir,
    default_backups,
    stamp,
)
from caseterm.core.storage.damage import DamagedDatabaseError, damaged_error, is_damage
from caseterm.core.storage.database import APPLICATION_ID, BUSY_TIMEOUT_MS, Database

# SQLite's unix VFS: every connection using a WAL database holds a shared lock on this byte of
# the -shm file for as long as it is open (the "dead man switch" SQLite itself uses to notice
# it is the only user).
SHM_DMS_BYTE = 128


def _copy_mode(source: Path) -> int:
    """A backup holds everything the database holds: readable by the same group at most, never
    by others, writable only by whoever took it (0600 for a private database, 0640 for one
    shared with a group)."""
    return (source.stat().st_mode & 0o640) | 0o600


def _check_copy(path: Path, source: Path) -> None:
    """The backup API copies pages as they are: a copy that fails its check means the database
    itself is damaged, which is what the error then says (with how to restore)."""
    conn = sqlite3.connect(str(path))
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise damaged_error(source, f"a fresh copy failed its check: {result}")


def _write_failed(target: Path, exc: BaseException) -> DatabaseError:
    """One line for a copy that could not be written (a full disk, a file-size limit…)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason = f"{exc.strerror.lower() if exc.strerror else exc}"
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        reason = str(exc)
        if "disk I/O error" in reason:
            reason += " (is the disk full?)"
    return DatabaseError(f"cannot write {target}: {reason}; nothing was kept")


def _snapshot_into(path: Path, temp: Path, target: Path) -> None:
    """Copy the live database at `path` into the empty file `temp`, then check the copy."""
    try:
        src = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(str(temp))
            try:
                src.backup(dst)  # all pages in one step: one consistent snapshot
            finally:
                dst.close()
        finally:
            src.close()
        _check_copy(temp, path)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc) and "disk I/O" not in str(exc):
            raise damaged_error(path, exc) from exc
        raise _write_failed(target, exc) from exc
    except OSError as exc:
        raise _write_failed(target, exc) from exc


def _backup_file(path: Path, target: Path, *, number: bool = False) -> Path:
    """Copy the database at `path` to the new file `target` (with `number`, to the first free
    one of `target`, `target-2`…) and return its name. The copy is made under a hidden
    temporary name with its final mode from the first byte, and takes its name only once
    complete and checked; on any failure nothing is left behind."""
    if not number and target.exists():
        raise DatabaseError(f"{target} already exists; choose a new file")
    if not target.parent.is_dir():
        raise DatabaseError(f"directory {target.parent} does not exist")
    try:
        with private_file(target, _copy_mode(path), number=number) as made:
            _snapshot_into(path, made.temp, target)
    except FileExistsError:
        raise DatabaseError(f"{target} already exists; choose a new file") from None
    except PermissionError as exc:
        raise DatabaseError(f"cannot write in {target.parent}: permission denied") from exc
    except OSError as exc:
        raise _write_failed(target, exc) from exc
    return made.path


def backup_sqlite(db: Database, target: Path) -> Path:
    """Copy the live database to `target` (a new file) while others keep working."""
    if db.path is None:
        raise DatabaseError("backup through caseterm is for SQLite; use pg_dump for PostgreSQL")
    return _backup_file(db.path, target)


def backup_before_upgrade(db_path: Path) -> Path:
    """The copy taken before a schema upgrade: `<name>.pre-upgrade-STAMP.bak` beside the
    database (`-2`, `-3`… if one of that second exists)."""
    return _backup_file(
        db_path, db_path.with_name(f"{db_path.name}.pre-upgrade-{stamp()}.bak"), number=True
    )


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    removed: list[Path] = field(default_factory=list)


def take_backup(
    db: Database, target: Path | None = None, *, keep: int | None = None
) -> BackupResult:
    """Back up to `target` (a file, or a directory for a default-named file; default: the
    backup directory), then keep only the newest `keep` default-named backups there."""
    if db.path is None:
        raise DatabaseError("backup through caseterm is for SQLite; use pg_dump for PostgreSQL")
    if keep is not None and keep < 1:
        raise DatabaseError("--keep must be at least 1")
    started = time.perf_counter()
    if target is None or target.is_dir():
        directory = target or backup_dir(db.path)
        if not directory.is_dir():
            raise DatabaseError(f"backup directory {directory} does not exist")
        made = _backup_file(db.path, directory / f"{db.path.stem}-backup-{stamp()}.db", number=True)
    else:
        made = _backup_file(db.path, target)
    result = BackupResult(made, made.stat().st_size, time.perf_counter() - started)
    if keep is not None:
        existing = default_backups(db.path, made.parent)
        for old in existing[: max(0, len(existing) - keep)]:
            if old != made:
                old.unlink()
                result.removed.append(old)
    return result


# --- who is connected -------------------------------------------------------------------------


@dataclass
class Connected:
    """What `connected` found: whether SQLite's own lock shows someone using the database, and
    the processes this user may see holding its files."""

    locked: bool
    processes: list[tuple[int, str, str]]  # pid, user, command

    @property
    def anyone(self) -> bool:
        return self.locked or bool(self.processes)

    def describe(self) -> str:
        seen = ", ".join(f"{cmd} (pid {pid}, {user})" for pid, user, cmd in self.processes)
        if seen:
            return seen
        return "a process this user cannot see (another user's caseterm?)"


def _dms_locked(shm: Path) -> bool:
    """True if another process holds SQLite's shared lock on the -shm file. Must not be called
    by a process that itself has the database open (POSIX locks are per process)."""
    import fcntl

    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    except PermissionError as exc:
        raise DatabaseError(f"cannot open {shm} to check for other users: {exc}") from exc
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE, os.SEEK_SET)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, SHM_DMS_BYTE, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


def _holders(files: set[str]) -> list[tuple[int, str, str]]:
    """Processes (other than this one) with one of `files` open, among those /proc lets us see."""
    import pwd

    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fds = os.listdir(f"/proc/{entry.name}/fd")
            hit = any(os.readlink(f"/proc/{entry.name}/fd/{fd}") in files for fd in fds)
        except OSError:
            continue
        if hit:
            try:
                uid = os.stat(f"/proc/{entry.name}").st_uid
                user = pwd.getpwuid(uid).pw_name
            except (OSError, KeyError):
                user = "?"
            try:
                raw = Path(f"/proc/{entry.name}/cmdline").read_bytes()
                cmd = " ".join(raw.replace(b"\0", b" ").decode(errors="replace").split())[:60]
            except OSError:
                cmd = "?"
            found.append((int(entry.name), user, cmd))
    return found


def connected(db_path: Path) -> Connected:
    """Is anybody using the database? Two checks: SQLite's lock on the -shm file (held by every
    open connection to a WAL database on this host, whoever runs it) and a scan of /proc for
    processes with the files open (complete only for root or one's own processes). Neither can
    see a process on another host, which must never use the file anyway (see `db doctor`)."""
    real = os.path.realpath(db_path)
    files = {real, real + "-wal", real + "-shm", real + "-journal"}
    return Connected(_dms_locked(Path(real + "-shm")), _holders(files))


# --- restore ----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    restored_from: Path
    into: Path
    safety_copy: Path | None
    seconds: float


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from caseterm.core.storage.migrations import MIGRATIONS_DIR

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def _immutable(path: Path) -> str:
    """A URI that reads a file nobody is using without locks and without leaving -wal/-shm."""
    return f"file:{quote(str(path.absolute()))}?immutable=1"


def check_backup_file(source: Path) -> str:
    """Refuse anything but an intact caseterm database this program knows; returns its schema
    revision."""
    if not source.is_file():
        raise DatabaseError(f"no backup file {source}")
    with source.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseError(f"{source} is not a SQLite database")
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(
            f"{source} has unfinished changes in {wal.name} (is it in use?); "
            "restore from a file made by 'caseterm db backup'"
        )
    conn = sqlite3.connect(_immutable(source), uri=True)
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            result, app_id = str(exc), 0
        if result != "ok":
            raise DatabaseError(f"{source} is damaged ({result}); choose another backup")
        if app_id not in (0, APPLICATION_ID):
            raise DatabaseError(f"{source} belongs to another program, not caseterm")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            row = None
    finally:
        conn.close()
    if row is None:
        raise DatabaseError(f"{source} is not a caseterm database")
    if row[0] not in _known_revisions():
        raise DatabaseError(
            f"{source} has a schema newer than this caseterm; restore it with a newer caseterm"
        )
    return str(row[0])


def _copy_into(source: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(_immutable(source), uri=True)
        try:
            dst = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                dst.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
                result = dst.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise DatabaseError(f"{target} failed its check after the restore ({result})")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise _write_failed(target, exc) from exc


def _keep_current(db_path: Path) -> Path:
    """Before a restore: a copy of the database it replaces, `<stem>-before-restore-STAMP.db`.
    A damaged database cannot be copied through SQLite: its files are kept byte for byte as
    `<stem>-damaged-STAMP.db` (and `-wal`) instead, and the database file is emptied so that the
    restore can write into it (keeping its owner, group and mode)."""
    where = backup_dir(db_path)
    where = where if where.is_dir() else db_path.parent
    try:
        return _backup_file(
            db_path, where / f"{db_path.stem}-before-restore-{stamp()}.db", number=True
        )
    except DamagedDatabaseError:
        pass
    mode = _copy_mode(db_path)
    try:
        with private_file(
            where / f"{db_path.stem}-damaged-{stamp()}.db", mode, number=True
        ) as made:
            shutil.copyfile(db_path, made.temp)
        wal = Path(f"{db_path}-wal")
        if wal.exists():
            with private_file(Path(f"{made.path}-wal"), mode) as made_wal:
                shutil.copyfile(wal, made_wal.temp)
    except OSError as exc:
        raise _write_failed(where / f"{db_path.stem}-damaged-{stamp()}.db", exc) from exc
    for companion in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{companion}").unlink(missing_ok=True)
    os.truncate(db_path, 0)
    return made.path


def restore_sqlite(db_path: Path, source: Path, *, force: bool = False) -> RestoreResult:
    """Replace the database at `db_path` with the backup `source` (see the module docstring).
    Refuses while anyone is connected unless `force`. Run it in a process that has no
    connection of its own to `db_path`. A new database file gets its final mode (0600, or 0660
    in a shared group directory) from the first byte, and is removed if the restore fails."""
    started = time.perf_counter()
    check_backup_file(source)
    if source.resolve() == db_path.resolve():
        raise DatabaseError("the backup and the database are the same file")
    if not db_path.parent.is_dir():
        raise DatabaseError(f"directory {db_path.parent} does not exist")
    safety: Path | None = None
    if db_path.exists():
        users = connected(db_path)
        if users.anyone and not force:
            raise DatabaseError(
                f"{db_path} is in use by {users.describe()}; ask everyone to quit caseterm "
                "and try again (or --force, which they will notice)"
            )
        if not os.access(db_path, os.W_OK):
            raise DatabaseError(f"cannot restore into {db_path}: permission denied")
        if db_path.stat().st_size > 0:
            safety = _keep_current(db_path)
        _copy_into(source, db_path)
    else:
        try:
            with private_file(db_path, shared_mode(db_path, group_writes=True)) as made:
                _copy_into(source, made.temp)
        except PermissionError as exc:
            raise DatabaseError(f"cannot write in {db_path.parent}: permission denied") from exc
        except OSError as exc:
            raise _write_failed(db_path, exc) from exc
    _record_restore(db_path, source, safety)
    return RestoreResult(source, db_path, safety, time.perf_counter() - started)


def _record_restore(db_path: Path, source: Path, safety: Path | None) -> None:
    """The restored journal would otherwise not show that it was rewound: say so in it."""
    from caseterm.core.services import audit
    from caseterm.core.services.identity import real_login

    db = Database("sqlite:///" + str(db_path.absolute()))
    try:
        with db.write() as s:
            kept = f"; the replaced database is kept as {safety.name}" if safety else ""
            event = audit.record(
                s, None, "db.restore", "database", None, summary=f"restored from {source}{kept}"
            )
            event.os_user = real_login()
    finally:
        db.dispose()
