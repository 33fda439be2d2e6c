"""The watched intake folder (`intake_dir` in the config file): files dropped into it become
incoming items for triage (`services.intake_files.take_file`), each in its own transaction.

After its transaction commits a taken file moves to the folder's `done/` subfolder; a refused
one (empty, too large, not a PDF, image, Word document or e-mail) to `rejected/`, with
`NAME.reason.txt` beside it saying why. Nothing is overwritten there: a second file of the same
name becomes `NAME-2.EXT`. Hidden files and names ending `.part`, `.partial`, `.tmp` or
`.crdownload` are left alone (a file still being copied in), as are subfolders. Any other error
(the database unreachable, a file that cannot be read) leaves the file where it is for the next
scan, which is safe: a file is taken once, recognised by its SHA-256.

The command `caseterm intake scan` runs `scan` (for cron); the workstation scans on start and
every few minutes (`tui/intake_timer.py`) through the same `take_path` and `file_away`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.private_files import numbered, shared_mode, write_private
from caseterm.core.rules.catalogue import RECEIVED_MAX_BYTES
from caseterm.core.services import incoming, intake_files
from caseterm.core.services.identity import Actor
from caseterm.core.services.intake_files import Taken
from caseterm.core.storage.database import Database

DONE = "done"
REJECTED = "rejected"
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload")


def intake_folder() -> Path | None:
    """The configured intake folder (`intake_dir` in the config file), if any."""
    from caseterm.core.config import load_settings

    folder = load_settings().intake_dir
    return Path(folder).expanduser() if folder else None


def waiting(folder: Path) -> list[Path]:
    """The files waiting in `folder`, oldest name first (see the module docstring)."""
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        raise ValidationError("intake folder", f"{folder} does not exist") from None
    except OSError as err:
        raise ValidationError("intake folder", f"cannot read {folder}: {err.strerror}") from None
    return [
        p
        for p in entries
        if not p.name.startswith(".")
        and not p.name.lower().endswith(IN_PROGRESS_SUFFIXES)
        and p.is_file()
        and not p.is_symlink()
    ]


def read_file(path: Path) -> bytes:
    """The file's bytes; a ValidationError if it is over the size limit (not read at all)."""
    size = path.stat().st_size
    if size > RECEIVED_MAX_BYTES:
        raise ValidationError(
            "file",
            f"is {size:,} bytes; the limit is {RECEIVED_MAX_BYTES:,} "
            f"({RECEIVED_MAX_BYTES // (1024 * 1024)} MB)",
        )
    return path.read_bytes()


def take_path(session: Session, actor: Actor, path: Path, office_code: str = "") -> Taken:
    """Read the file at `path` and take it as an incoming item (one unit of work) that arrived
    at the office `office_code` names (else the actor's)."""
    return intake_files.take_file(
        session, actor, filename=path.name, data=read_file(path), office_code=office_code
    )


def _move(path: Path, into: Path) -> Path | None:
    """Move `path` into the folder `into` under a name not yet taken there (None if the file
    has gone: another workstation filed it away first)."""
    into.mkdir(mode=0o700 if shared_mode(into) == 0o600 else 0o750, exist_ok=True)
    for candidate in numbered(into / path.name):
        try:
            os.link(path, candidate)  # never overwrites, unlike rename
        except FileExistsError:
            continue
        except FileNotFoundError:
            return None
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return candidate
    raise AssertionError("numbered() never ends")  # pragma: no cover


def file_away(path: Path, error: Exception | None) -> Path | None:
    """After the file's transaction: into `done/` if it was taken (`error` None), into
    `rejected/` with a reason file if it was refused (a ValidationError); any other error
    leaves it for the next scan (None)."""
    if error is None:
        return _move(path, path.parent / DONE)
    if not isinstance(error, ValidationError):
        return None
    moved = _move(path, path.parent / REJECTED)
    if moved is not None:
        reason = moved.with_name(moved.name + ".reason.txt")
        with contextlib.suppress(FileExistsError):
            write_private(reason, f"{path.name}: {error}\n", shared_mode(reason))
    return moved


@dataclass(frozen=True)
class Rejected:
    filename: str
    reason: str
    moved_to: str


@dataclass(frozen=True)
class Failed:
    filename: str
    error: str


@dataclass
class ScanReport:
    folder: str
    taken: list[tuple[Taken, str]] = field(default_factory=list)  # (what, where it went)
    rejected: list[Rejected] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)  # left in place for the next scan


def scan(db: Database, actor: Actor, folder: Path, office_code: str = "") -> ScanReport:
    """Take every waiting file in `folder`, each in its own transaction, and file it away; the
    files arrived at the office `office_code` names (else the actor's). An unknown office is
    refused before any file is touched."""
    if office_code.strip():
        with db.read() as session:
            incoming.arrival_office(session, actor, code=office_code)
    report = ScanReport(str(folder))
    for path in waiting(folder):
        error: Exception | None = None
        taken: Taken | None = None
        try:
            with db.write() as session:
                taken = take_path(session, actor, path, office_code)
        except FileNotFoundError:
            continue  # another scan filed it away meanwhile
        except Exception as exc:
            error = exc
        moved = file_away(path, error)
        if taken is not None:
            report.taken.append((taken, str(moved or "")))
        elif isinstance(error, ValidationError):
            report.rejected.append(Rejected(path.name, str(error), str(moved or "")))
        elif error is not None:
            report.failed.append(Failed(path.name, str(error) or type(error).__name__))
    return report
