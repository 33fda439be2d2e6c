"""The `caseterm` command. Each group of subcommands lives in its own module with a
`register(subparsers)` function; every handler returns an exit code.

Errors caseterm expects (CasetermError) print one line on stderr and exit non-zero, never a
traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from caseterm import __version__
from caseterm.core.errors import CasetermError, ValidationError

EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE

# Modules that add subcommands, in the order they appear in --help.
COMMAND_MODULES = (
    "caseterm.cli.workstation",  # (no subcommand): the workstation
    "caseterm.cli.modes",  # triage, checkin
    "caseterm.cli.demo_cmd",  # demo
    "caseterm.cli.db_cmds",  # db upgrade|backup|restore|doctor|init|copy
    "caseterm.cli.staff_cmds",  # staff add|list|disable|enable|roles
    "caseterm.cli.case_cmds",  # case show|open, contact add, search
    "caseterm.cli.work_cmds",  # queue list|show, diary
    "caseterm.cli.incoming_cmd",  # incoming add
    "caseterm.cli.audit_cmds",  # audit, person export, retention run
    "caseterm.cli.board_cmd",  # board
    "caseterm.cli.report_cmds",  # report list|NAME
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseterm",
        description="A keyboard-first terminal workstation for case administrators.",
    )
    parser.add_argument("--version", action="version", version=f"caseterm {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """--db and --demo, before any subcommand (the full parser and the quick one share them)."""
    from caseterm.cli.workstation import add_global_args

    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (else $CASETERM_DATABASE_URL, the config file, "
        "or the user data directory)",
    )
    add_global_args(parser)  # --demo


def workstation_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments, if they name no subcommand (bare `caseterm`, `--db X`, `--demo`): then
    the workstation starts without importing every command module to build the full parser,
    which costs a tenth of a second of start-up. Anything else (a subcommand, --help, a typo)
    goes to the full parser."""
    quick = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    add_global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:  # e.g. `--db` with no value: the full parser says so
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    # Starting up creates a few hundred thousand objects that live as long as the program, and
    # the cyclic collector would walk them all several times over while modules load (70-90 ms
    # a time). It is off until the workstation's first screen is up (`run_workstation` then
    # freezes what exists and turns it back on), until the desk or triage screen starts, or
    # until another command is chosen.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    from sqlalchemy.exc import OperationalError

    argv = list(sys.argv[1:] if argv is None else argv)
    args = workstation_only(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from caseterm.cli.workstation import run_workstation

        handler = run_workstation
    elif not getattr(args, "starts_screen", False):
        gc.enable()  # the desk and triage modes turn it on themselves, just before their screen
    try:
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
    except CasetermError as exc:
        print(f"caseterm: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        # Driver errors met after opening: a read-only file, a lock held past the busy timeout.
        reason = str(exc.orig)
        if "readonly" in reason:
            reason = "cannot write: the database file or its directory is read-only for you"
        print(f"caseterm: database error: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `caseterm … | head`: stop quietly; point stdout at /dev/null so the final flush
        # cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("caseterm: interrupted", file=sys.stderr)
        return 130
