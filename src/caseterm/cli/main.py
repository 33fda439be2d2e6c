"""The `caseterm` command: read the command line (registry.py), run the command's handler, and
turn every failure into one line on standard error — never a traceback.

| exit | meaning |
| 0 | done |
| 1 | refused or failed (a CasetermError, a database or file-system error) |
| 2 | the command line was wrong (including an argument that is not UTF-8) |
| 3 | a restricted case (common.restricted_exit) |
| 70 | a fault in caseterm itself: one line, the traceback saved to a file (or --debug) |
| 130 | interrupted (Ctrl-C) |
| 141 | standard output closed early (`caseterm … | head`) |
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from caseterm import __version__
from caseterm.cli.registry import COMMAND_MODULES, parse, workstation_only
from caseterm.core.errors import CasetermError, ValidationError
from caseterm.core.text import for_display, shorten

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["COMMAND_MODULES", "main", "workstation_only"]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_SOFTWARE = 70  # sysexits.h EX_SOFTWARE: a bug in caseterm
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    # Starting up creates a few hundred thousand objects that live as long as the program, and
    # the cyclic collector would walk them all several times over while modules load (70-90 ms
    # a time). It is off until the workstation's first screen is up (`run_workstation` then
    # freezes what exists and turns it back on), until the desk or triage screen starts, or
    # until another command is chosen.
    gc.disable()
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        if "caseterm.cli.context" in sys.modules:  # a command opened the database
            from caseterm.cli.context import close_opened

            close_opened()
        gc.enable()


def say(message: str) -> None:
    """One line on standard error: `caseterm: …`, stored text made harmless, long text cut."""
    print(f"caseterm: {shorten(for_display(message), 2000)}", file=sys.stderr)


def _main(argv: list[str]) -> int:
    _tolerant_streams()
    debug = "--debug" in argv
    try:
        _require_utf8(argv)
        try:
            args = workstation_only(argv) or parse(argv)
        except SystemExit as done:  # --help, --version, or a usage error already printed
            return done.code if isinstance(done.code, int) else EXIT_USAGE
        debug = args.debug
        return _run(args)
    except CasetermError as exc:
        say(str(exc))
        return EXIT_USAGE if isinstance(exc, _ArgumentNotText) else EXIT_FAILED
    except BrokenPipeError:
        # `caseterm … | head`: stop quietly; point stdout at /dev/null so the final flush
        # cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        reason = _expected_failure(exc)
        if reason is not None:
            say(reason)
            return EXIT_FAILED
        return _unexpected(exc, debug)


def _run(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is None:
        from caseterm.cli.workstation import run_workstation

        handler = run_workstation
    elif not getattr(args, "starts_screen", False):
        # The desk and triage modes turn it on themselves, just before their screen. What the
        # imports made lives as long as the program: out of the collector's sight (`freeze`),
        # or the command's first collections walk all of it (60-130 ms a command).
        gc.freeze()
        gc.enable()
    if args.db is not None and not args.db.strip():
        # `--db=` or `--db "$UNSET_VAR"`: say so rather than quietly use the default database.
        raise ValidationError("--db", "is empty: give a database file or URL")
    if getattr(args, "demo", False):
        # Any mode can run on the demo database: `caseterm --demo checkin`.
        from caseterm.cli.workstation import ensure_demo_database

        if args.db:
            raise ValidationError("--demo", "cannot be combined with --db")
        args.db = str(ensure_demo_database())
        args.demo = False
    return int(handler(args) or 0)


class _ArgumentNotText(CasetermError):
    """An argument that is not UTF-8 (exit 2, as for any other mistake on the command line)."""


def _require_utf8(argv: list[str]) -> None:
    """Python hands undecodable bytes of the command line over as lone surrogates; they could
    never be stored or printed, so say which argument holds them."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in arg)
            option, eq, value = shown.partition("=")
            if option.startswith("--") and eq:
                which, shown = f"the value of {option}", value
            elif i and argv[i - 1].startswith("-") and not shown.startswith("-"):
                which = f"the value of {for_display(argv[i - 1])}"
            else:
                which = f"argument {i + 1}"
            shown = shorten(for_display(shown), 40)
            raise _ArgumentNotText(
                f"{which} is not valid UTF-8 ({shown!r}); write it in UTF-8"
            ) from None


def _tolerant_streams() -> None:
    """On a terminal or pipe that is not UTF-8, a letter it cannot show is replaced rather than
    ending the command (JSON is then printed as ASCII: see output.json_text)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding not in ("utf8", "utf_8") and reconfigure is not None:
            reconfigure(errors="replace")


def _expected_failure(exc: BaseException) -> str | None:
    """The one line for failures that are not caseterm's fault: the database refusing (a
    read-only or damaged file, a lock held past the timeout, a server gone) or the file system
    (a full disk, a permission). None for anything else."""
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
            if "readonly" in reason:
                return (
                    "database error: cannot write: the database file or its directory is "
                    "read-only for you"
                )
            if "not a database" in reason or "malformed" in reason:
                return (
                    f"database error: {reason}; check it with 'caseterm db doctor' and restore "
                    "the latest backup with 'caseterm db restore FILE'"
                )
            return f"database error: {reason or type(exc.orig).__name__}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return None


def _unexpected(exc: Exception, debug: bool) -> int:
    """A fault in caseterm: one line naming it, and the traceback for whoever fixes it."""
    import traceback

    first = (str(exc).strip().splitlines() or [""])[0]
    line = f"unexpected error ({type(exc).__name__})" + (
        f": {shorten(first, 200)}" if first else ""
    )
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
        say(line)
        return EXIT_SOFTWARE
    saved = _save_traceback(exc)
    where = f"details in {saved}" if saved else "run again with --debug to see the details"
    say(f"{line}; {where}")
    return EXIT_SOFTWARE


def _save_traceback(exc: Exception) -> Path | None:
    """The traceback in a new file only its owner can read (it may quote personal data)."""
    import traceback
    from datetime import datetime
    from pathlib import Path

    try:
        import platformdirs

        folder = Path(platformdirs.user_log_dir("caseterm"))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"error-{stamp}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(f"caseterm {__version__}\n")
            traceback.print_exception(exc, file=out)
        return path
    except OSError:
        return None
