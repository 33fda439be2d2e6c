"""Setting up one SQLite database shared by many Unix users on one host (checked by doctor.py).

The layout (`init_shared`): the database lives in a directory of its own, owned by a Unix group
with mode 2770 — the setgid bit makes every file created inside (the -wal and -shm files SQLite
makes and removes as people come and go, and backups) belong to that group — and the database
files are 0660 (SQLite gives -wal and -shm the database's mode). So every member of the group
can work and nobody else can even list the directory. With SQLite the group is the security
boundary: anyone who can write the file can change it without caseterm (docs/security.md).
"""

from __future__ import annotations

import grp
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from caseterm.core.errors import DatabaseError
from caseterm.core.storage.filesystems import refuse_network_fs
from caseterm.core.storage.opening import open_database


@dataclass
class SharedSetup:
    directory: Path
    group: str
    files: list[tuple[Path, str]]  # path, mode as octal text


def companions(path: Path) -> list[Path]:
    return [path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))]


def _ours(path: Path, name: str) -> bool:
    stem = path.stem
    return (
        name in {p.name for p in companions(path)}
        or name == f"{path.name}.lock"  # left by a set-up that was killed (setup_lock.py)
        or (name.startswith(f"{stem}-backup-") and name.endswith(".db"))
        or (name.startswith(f"{stem}-before-restore-") and name.endswith(".db"))
        or (name.startswith(f"{stem}-damaged-") and ".db" in name)
        or name.startswith(f"{path.name}.pre-upgrade-")
    )


def _group_id(group: str) -> int:
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise DatabaseError(f"there is no Unix group {group!r} (create it with groupadd)") from None
    if os.geteuid() != 0 and gid not in os.getgroups() and gid != os.getegid():
        raise DatabaseError(
            f"you are not a member of group {group!r} (after being added, log in again)"
        )
    return gid


def init_shared(path: Path, group: str) -> SharedSetup:
    """Create (or convert) the database at `path` for every member of `group`: its directory
    2770 owned by the group, the files 0660. The directory must hold nothing but this
    database and its backups, since its permissions are changed."""
    path = path.absolute()
    gid = _group_id(group)
    directory = path.parent
    if not directory.parent.is_dir():
        raise DatabaseError(f"directory {directory.parent} does not exist")
    refuse_network_fs(directory.parent if not directory.exists() else directory)
    if directory.exists():
        others = sorted(p.name for p in directory.iterdir() if not _ours(path, p.name))
        if others:
            raise DatabaseError(
                f"{directory} holds other files ({', '.join(others[:5])}); give the shared "
                f"database a directory of its own, e.g. {directory / 'caseterm' / path.name}"
            )
    else:
        directory.mkdir(mode=0o700)
    try:
        os.chown(directory, -1, gid)
        os.chmod(directory, 0o2770)
    except PermissionError as exc:
        raise DatabaseError(
            f"cannot change {directory}: {exc.strerror} (are you its owner?)"
        ) from exc
    open_database(str(path)).db.dispose()
    main = [f for f in companions(path) if f.exists()]
    copies = sorted(p for p in directory.iterdir() if _ours(path, p.name) and p not in main)
    files = []
    for f in main + copies:
        os.chown(f, -1, gid)
        os.chmod(f, 0o660 if f in main else 0o640)  # backups: the group reads, nobody writes
        files.append((f, oct(stat.S_IMODE(f.stat().st_mode))))
    return SharedSetup(directory, group, files)
