"""`caseterm db doctor`: checks a database and says, for each problem, how to fix it. It works on
a damaged file too (that is when it is needed most): it then says what is wrong and names the
newest backup with the exact command that restores it."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import sqlite3
import stat
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from caseterm.core import clock
from caseterm.core.storage.backup_files import all_backups, backup_dir
from caseterm.core.storage.damage import restore_advice
from caseterm.core.storage.database import APPLICATION_ID, Database
from caseterm.core.storage.filesystems import network_filesystem

BACKUP_MAX_AGE = timedelta(hours=26)  # a daily backup, with some slack
FREE_SPACE_FLOOR = 1 << 30  # 1 GiB


@dataclass(frozen=True)
class Finding:
    level: str  # ok | info | warning | error
    what: str
    fix: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- setting up a shared database -------------------------------------------------------------


def _name_of_group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _owner_known(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _check_kind(path: Path) -> Finding | None:
    """An error if the file is not a SQLite database at all (a damaged header, or a file of
    another program); then no SQLite check can run."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if not head or head == b"SQLite format 3\x00":
        return None
    return Finding(
        "error",
        f"{path.name} is not a SQLite database: its header is damaged, or it is not "
        "caseterm's file",
        restore_advice(path),
    )


def _check_sqlite(path: Path, quick: bool) -> list[Finding]:
    findings = []
    pragma = "quick_check" if quick else "integrity_check"
    conn = sqlite3.connect(str(path), timeout=30)
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return [Finding("error", f"the database is damaged: {exc}", restore_advice(path))]
    finally:
        conn.close()
    if rows == ["ok"]:
        findings.append(Finding("ok", f"{pragma.replace('_', ' ')}: ok"))
    else:
        findings.append(
            Finding(
                "error",
                f"{pragma.replace('_', ' ')} found damage: {'; '.join(rows[:3])}",
                restore_advice(path),
            )
        )
    if app_id not in (0, APPLICATION_ID):
        findings.append(
            Finding(
                "error",
                f"{path.name} belongs to another program (application_id {app_id:#010x})",
                "point caseterm at its own database (--db, or database_url in the config file)",
            )
        )
    fstype = network_filesystem(path)
    if fstype:
        findings.append(
            Finding(
                "error",
                f"the database is on a network file system ({fstype}); WAL mode must not be "
                "used there (it needs shared memory and locks a network file system does not "
                "give), and caseterm's concurrent use needs WAL",
                "move the database to a local disk of the host everyone logs in to, "
                "or use PostgreSQL",
            )
        )
    elif mode == "wal":
        findings.append(Finding("ok", "journal mode: WAL"))
    else:
        findings.append(
            Finding(
                "warning",
                f"journal mode is {mode}, not WAL: readers and writers will block each other",
                "open it once with caseterm (which switches it to WAL)",
            )
        )
    return findings


def _check_permissions(path: Path) -> list[Finding]:
    findings = []
    st, dst = path.stat(), path.parent.stat()
    mode, dmode = stat.S_IMODE(st.st_mode), stat.S_IMODE(dst.st_mode)
    if mode & 0o007:
        findings.append(
            Finding(
                "error",
                f"{path.name} is mode {mode:o}: every user on this host can read it",
                f"chmod o-rwx {path}",
            )
        )
    if dmode & 0o002 and not dmode & stat.S_ISVTX:
        findings.append(
            Finding(
                "error",
                f"{path.parent} is writable by everyone: anyone could replace the database",
                f"chmod o-w {path.parent}",
            )
        )
    elif dmode & 0o005:
        findings.append(
            Finding(
                "warning",
                f"{path.parent} is mode {dmode:o}: other users can see the file names in it",
                f"chmod o-rwx {path.parent}",
            )
        )
    if not _owner_known(st.st_uid):
        findings.append(
            Finding(
                "warning",
                f"{path.name} belongs to uid {st.st_uid}, which has no account here",
                f"chown a current administrator: {path}",
            )
        )
    shared = mode & 0o060 == 0o060
    if shared:
        group = _name_of_group(st.st_gid)
        if not dmode & stat.S_ISGID or dst.st_gid != st.st_gid or dmode & 0o070 != 0o070:
            findings.append(
                Finding(
                    "error",
                    f"{path.name} is shared with group {group}, but its directory is "
                    f"{_name_of_group(dst.st_gid)}:{dmode:o}, not {group}:2770: files SQLite "
                    "creates there (-wal, -shm) will not be usable by the whole group",
                    f"caseterm db init --shared --group {group} {path}",
                )
            )
        for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            if extra.exists():
                est = extra.stat()
                if est.st_gid != st.st_gid or stat.S_IMODE(est.st_mode) & 0o060 != 0o060:
                    findings.append(
                        Finding(
                            "error",
                            f"{extra.name} is {_name_of_group(est.st_gid)}:"
                            f"{stat.S_IMODE(est.st_mode):o}, so other members of {group} "
                            "get 'attempt to write a readonly database'",
                            f"chgrp {group} {extra} && chmod 660 {extra}",
                        )
                    )
        if not [f for f in findings if f.level == "error"]:
            findings.append(
                Finding("ok", f"shared with group {group}: directory 2770, files {mode:o}")
            )
    elif not [f for f in findings if f.level == "error"]:
        findings.append(Finding("ok", f"private to its owner (mode {mode:o})"))
    for target, what in ((path, "the database"), (path.parent, "its directory")):
        if not os.access(target, os.W_OK):
            findings.append(
                Finding(
                    "error",
                    f"you cannot write {what} ({target}); caseterm will fail with "
                    "'attempt to write a readonly database'",
                    "ask for membership of the database's group, then log in again",
                )
            )
    return findings


def _check_space(path: Path) -> Finding:
    size = path.stat().st_size
    free = shutil.disk_usage(path.parent).free
    text = f"{free / 2**30:.1f} GiB free; the database is {size / 2**20:.1f} MiB"
    if free < size:
        return Finding("error", f"{text}: a backup would not fit", "free disk space now")
    if free < max(2 * size, FREE_SPACE_FLOOR):
        return Finding("warning", f"{text}: little room to grow or back up", "free disk space")
    return Finding("ok", text)


def _check_backups(path: Path, now: datetime) -> Finding:
    found = all_backups(path)
    where = backup_dir(path)
    fix = f"caseterm db backup --keep 14   (daily, e.g. from cron; into {where})"
    if not found:
        return Finding("warning", f"no backup found next to the database or in {where}", fix)
    newest = found[-1]
    at = datetime.fromtimestamp(newest.stat().st_mtime)
    age = now - at
    text = f"newest backup {newest.name} is from {at:%d/%m/%Y %H:%M}"
    if age > BACKUP_MAX_AGE:
        return Finding("warning", f"{text}, {age.days} days {age.seconds // 3600} h ago", fix)
    return Finding("ok", text)


def doctor(db: Database, *, quick: bool = False, now: datetime | None = None) -> list[Finding]:
    """Check integrity, WAL mode, network file system, permissions and ownership, free disk and
    backup age; every finding that is not ok says how to fix it."""
    if db.path is None:
        return [
            Finding(
                "info",
                "PostgreSQL: file checks do not apply; each user connects as a database role",
                "back up with pg_dump; check with the server's own monitoring",
            )
        ]
    path = db.path
    if not path.exists():
        return [Finding("error", f"no database at {path}", "caseterm db init (or caseterm demo)")]
    if not os.access(path, os.R_OK):
        return [
            Finding(
                "error",
                f"you cannot read {path}",
                "ask for membership of the database's group, then log in again",
            )
        ]
    wrong_kind = _check_kind(path)
    findings = [wrong_kind] if wrong_kind else _check_sqlite(path, quick)
    findings += _check_permissions(path)
    findings.append(_check_space(path))
    findings.append(_check_backups(path, now or clock.now()))
    return findings
