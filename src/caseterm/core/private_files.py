"""Files caseterm writes (backups, restored databases, exports, letters, reports) are created
with their final mode from the first byte, never readable by others, and never left half-written.

`create_private` makes a new file with an exact mode (the umask cannot widen or narrow it).
`private_file` hands out a hidden temporary name beside the target, created with the final mode;
when the block ends without error the temporary file takes the target's name in one step (by
`link`, so an existing file is never overwritten unless `replace=True`), and on any error or
interruption it is removed. A killed process can leave only that hidden temporary file, which
has the final (private) mode. `write_private` writes text or bytes that way.

Modes: 0600 by default; inside a shared group directory (setgid, as `caseterm db init --shared`
makes it) `shared_mode` gives the group read access as well (0640), or read and write (0660)
for a database the whole group works in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from caseterm.core.errors import DatabaseError

PRIVATE = 0o600


def in_shared_directory(path: Path) -> bool:
    """True if `path`'s directory is a shared group directory (its setgid bit is set)."""
    try:
        return bool(path.absolute().parent.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def shared_mode(path: Path, *, group_writes: bool = False) -> int:
    """The mode for a new file at `path`: 0600, or in a shared group directory 0640 (0660 if
    the group must write it, as for the database itself)."""
    if not in_shared_directory(path):
        return PRIVATE
    return 0o660 if group_writes else 0o640


def create_private(path: Path, mode: int = PRIVATE) -> int:
    """Create the new file `path` with exactly `mode` and return a descriptor open for writing.
    FileExistsError if it exists (nothing is ever overwritten)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, mode & 0o777)
    try:
        os.fchmod(fd, mode & 0o777)  # the umask may have removed group bits we meant to give
    except BaseException:
        os.close(fd)
        os.unlink(path)
        raise
    return fd


def _temporary_beside(path: Path, mode: int) -> Path:
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        try:
            os.close(create_private(temp, mode))
        except FileExistsError:
            continue
        return temp
    raise DatabaseError(f"cannot find a free temporary name beside {path}")


def remove_quietly(*paths: Path) -> None:
    """Remove files that may or may not exist (a failed copy and SQLite's companions)."""
    for p in paths:
        for name in (p, Path(f"{p}-journal"), Path(f"{p}-wal"), Path(f"{p}-shm")):
            # Cleaning up after an error must not hide that error.
            with contextlib.suppress(OSError):
                name.unlink()


def numbered(path: Path) -> Iterator[Path]:
    """`path`, then `NAME-2.EXT`, `NAME-3.EXT`…: candidates for a new file, of which the caller
    takes the first it manages to create (creating decides, not looking)."""
    yield path
    suffix = path.suffix
    base = path.name[: len(path.name) - len(suffix)]
    n = 2
    while True:
        yield path.with_name(f"{base}-{n}{suffix}")
        n += 1


def publish(temp: Path, target: Path, *, replace: bool = False, number: bool = False) -> Path:
    """Give the finished file `temp` the name `target` in one step and return that name.
    FileExistsError if `target` exists, unless `replace` (overwrite it) or `number` (take the
    first free name of `numbered(target)`)."""
    if replace:
        os.replace(temp, target)
        return target
    for candidate in numbered(target) if number else iter([target]):
        try:
            os.link(temp, candidate)  # atomic, and fails if the name exists (unlike rename)
        except FileExistsError:
            if number:
                continue
            raise
        os.unlink(temp)
        return candidate
    raise AssertionError("numbered() never ends")  # pragma: no cover


@dataclass
class PrivateFile:
    temp: Path  # fill this in
    path: Path  # its final name, once the block has ended without error


@contextmanager
def private_file(
    path: Path, mode: int = PRIVATE, *, replace: bool = False, number: bool = False
) -> Iterator[PrivateFile]:
    """A temporary file beside `path`, created with `mode`, to fill in; it takes its final
    name when the block ends (see `publish`), or is removed on any error (which propagates)."""
    if not (replace or number) and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    made = PrivateFile(_temporary_beside(path, mode), path)
    try:
        yield made
        made.path = publish(made.temp, path, replace=replace, number=number)
    except BaseException:
        remove_quietly(made.temp)
        raise


def write_private(
    path: Path, data: str | bytes, mode: int = PRIVATE, *, replace: bool = False
) -> None:
    """Write `data` (text as UTF-8) to the new file `path`, readable only as `mode` allows,
    all or nothing. FileExistsError if `path` exists and not `replace`; other OSErrors (a full
    disk, a missing directory) propagate after the partial file is removed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with private_file(path, mode, replace=replace) as made:
        fd = os.open(made.temp, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)


def new_database_file(path: Path) -> None:
    """Create the empty database file readable by its owner only (0600), or by the group too
    (0660) inside a shared group directory made by `caseterm db init --shared`. SQLite gives
    the -wal and -shm files the database's mode. FileExistsError if it exists."""
    os.close(create_private(path, shared_mode(path, group_writes=True)))
