"""Which file system holds a database: SQLite's WAL must not live on a network file system."""

from __future__ import annotations

import os
from pathlib import Path

from caseterm.core.errors import DatabaseError

# File systems that are not local disks: SQLite's WAL needs shared memory (mmap of -shm) and
# POSIX locks that work between processes, which these do not reliably provide.
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "coda",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.s3fs",
        "fuse.rclone",
        "fuse.davfs",
    }
)


def _unescape(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_of(path: Path, mounts: str | None = None) -> tuple[str, str]:
    """(mount point, file-system type) of the file system holding `path`."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return ("/", "unknown")
    real = os.path.realpath(path)
    best = ("/", "unknown")
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fstype = _unescape(parts[1]), parts[2]
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):
            best = (point, fstype)
    return best


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The network file-system type under `path`, or None for a local disk."""
    fstype = mount_of(path, mounts)[1]
    base = fstype.split(".")[0] if not fstype.startswith("fuse.") else fstype
    return fstype if fstype in NETWORK_FS or base in NETWORK_FS else None


def refuse_network_fs(path: Path) -> None:
    fstype = network_filesystem(path)
    if fstype:
        raise DatabaseError(
            f"{path} is on a network file system ({fstype}); SQLite's WAL mode needs shared "
            "memory and locks that only a local disk provides, and concurrent use there can "
            "corrupt the database. Put it on a local disk, or use PostgreSQL"
        )
