"""Which commands exist, and the parser that reads them.

The commands are listed here by name with their one-line help, so `caseterm --help`, `--version`
and a mistyped command need no command module. Only the module of the command being run is
imported (its `register(subparsers)` adds the real subcommand with all its arguments); every
other command is a placeholder that knows only its name and help. A test checks this table
against what the modules register.

Errors on the command line are one line on standard error (exit 2), like every other error.
"""

from __future__ import annotations

import argparse
import functools
import importlib
from collections.abc import Callable
from typing import Any, NoReturn

from caseterm import __version__
from caseterm.core.text import for_display, shorten

WORKSTATION_MODULE = "caseterm.cli.workstation"
DEMO_FILE = "demo.db"

# name: (module that registers it, help) — in the order `caseterm --help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "checkin": ("caseterm.cli.modes", "reception check-in mode (a locked-down desk screen)"),
    "triage": ("caseterm.cli.modes", "triage mode: clear incoming items one at a time"),
    "demo": ("caseterm.cli.demo_cmd", "build a demo database to try caseterm on"),
    "db": ("caseterm.cli.db_cmds", "set up, check, back up and restore the database"),
    "staff": ("caseterm.cli.staff_cmds", "enrol staff and set their roles"),
    "org": ("caseterm.cli.org_cmds", "offices, teams and rooms (system administrators)"),
    "case": ("caseterm.cli.case_cmds", "show, open, edit, transfer or close a case file"),
    "contact": ("caseterm.cli.contact_cmds", "add to, correct or list a case's contact log"),
    "search": ("caseterm.cli.search_cmd", "find people and cases"),
    "queue": ("caseterm.cli.queue_cmds", "queues of work and their counts"),
    "diary": ("caseterm.cli.diary_cmds", "a day's or week's appointments"),
    "task": ("caseterm.cli.task_cmds", "add, take, complete, reopen, assign or prioritise a task"),
    "incoming": (
        "caseterm.cli.incoming_cmd",
        "log post, phone messages and referrals for triage",
    ),
    "audit": ("caseterm.cli.audit_cmds", "who did what, when (history and access log)"),
    "person": ("caseterm.cli.person_cmds", "a person's master record, warnings and merging"),
    "retention": ("caseterm.cli.audit_cmds", "anonymise closed cases past their period"),
    "restrict": ("caseterm.cli.audit_cmds", "limit who may see a case"),
    "board": (
        "caseterm.cli.board_cmd",
        "the team information board: today's and yesterday's figures",
    ),
    "report": ("caseterm.cli.report_cmds", "management reports (caseterm report list names them)"),
    # statutory clocks
    "rules": ("caseterm.cli.rules_cmds", "statutory clock rules per case type"),
    "closures": ("caseterm.cli.rules_cmds", "office closure days (not working days)"),
    "event": (
        "caseterm.cli.event_cmds",
        "casework events on a case's timeline (start and stop its clocks)",
    ),
    "reviews": (
        "caseterm.cli.clock_cmds",
        "raise the tasks of clocks and reviews that are due (for cron)",
    ),
    "deadlines": ("caseterm.cli.clock_cmds", "running statutory clocks, soonest first"),
    "clock": ("caseterm.cli.clock_cmds", "record a statutory clock as met or waived"),
    "account": ("caseterm.cli.account_cmds", "a case's fines account: balance, payments, terms"),
    "template": ("caseterm.cli.template_cmds", "the stock letter library"),
    "letter": ("caseterm.cli.letter_cmds", "draft, check and issue stock letters"),
    "letters": ("caseterm.cli.letter_cmds", "print a day's issued letters"),
    "document": ("caseterm.cli.document_cmds", "documents received for a case"),
    "money": ("caseterm.cli.money_cmds", "fines accounts in bulk: the enforcement run"),
    "checks": ("caseterm.cli.checks_cmds", "sampled cross-checking of colleagues' work"),
    "check": ("caseterm.cli.checks_cmds", "pass or fail a sampled check"),
    "intake": (
        "caseterm.cli.intake_cmds",
        "take files from the watched intake folder (for cron) and attach them",
    ),
    "office": ("caseterm.cli.office_cmds", "offices and the details their letters print"),
    "case-rules": (
        "caseterm.cli.case_rules_cmds",
        "closure reasons and steps, transfer acknowledgement days, per case type",
    ),
    "enforcement-paths": (
        "caseterm.cli.enforcement_paths_cmds",
        "enforcement paths of fines accounts per case type and account kind",
    ),
    "resident": (
        "caseterm.cli.resident.commands",
        "the resident process that runs commands and the workstation warm: status, start, stop",
    ),
}

# Every id and number the command line takes goes into the database, whose integers are 64-bit.
INT_MAX = 2**63 - 1
INT_MIN = -(2**63)

# Every module that adds commands (the workstation, which adds none, first).
COMMAND_MODULES = (WORKSTATION_MODULE, *dict.fromkeys(module for module, _ in COMMANDS.values()))


class CliParser(argparse.ArgumentParser):
    """argparse with a one-line error message, 64-bit bounds on every `type=int` (whatever is
    given goes into the database), and its subcommands and arguments open to inspection (the
    test that walks every command reads them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.subcommands: argparse._SubParsersAction[CliParser] | None = None
        super().__init__(*args, **kwargs)
        self.register("type", int, whole_number)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[CliParser]:  # type: ignore[override]
        self.subcommands = super().add_subparsers(**kwargs)
        return self.subcommands

    def arguments(self) -> list[argparse.Action]:
        """Every argument and option of this parser (in groups too), help excepted."""
        return [a for a in self._actions if not isinstance(a, argparse._HelpAction)]

    def error(self, message: str) -> NoReturn:
        line = shorten(for_display(message), 300)
        where = self.prog.removeprefix("caseterm").strip()
        where = f"{where}: " if where else ""
        self.exit(2, f"caseterm: {where}{line} (see '{self.prog} --help')\n")


class _Only:
    """Stands in for the subparsers action while one module registers its commands: only
    `wanted` is added for real; the module's other commands go to throwaway parsers."""

    def __init__(self, subparsers: Any, wanted: str) -> None:
        self.subparsers = subparsers
        self.wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if name == self.wanted:
            parser: argparse.ArgumentParser = self.subparsers.add_parser(name, **kwargs)
            return parser
        kwargs.pop("help", None)
        kwargs.pop("aliases", None)
        return CliParser(prog=name, **kwargs)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """--db, --demo and --debug, before any command."""
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (else $CASETERM_DATABASE_URL, the config file, "
        "or the user data directory)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=f"use the demo database ({DEMO_FILE} in the user data directory, built on first use)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on an unexpected error, print the full traceback instead of saving it to a file",
    )


def record_id(what: str) -> Callable[[str], int]:
    """An argparse type for the id of a `what` (task, person…): a whole number the database
    can hold, with a one-line message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} id must be a whole number, not {shorten(for_display(text), 40)!r}"
            ) from None
        if not 1 <= value <= INT_MAX:
            raise argparse.ArgumentTypeError(f"{what} id must be between 1 and {INT_MAX}")
        return value

    parse.__name__ = f"{what} id"
    return parse


def whole_number(text: str) -> int:
    """An argparse type for any other number (`--limit`, `--priority`…): an integer that fits
    in the database's 64 bits."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, not {shorten(for_display(text), 40)!r}"
        ) from None
    if not INT_MIN <= value <= INT_MAX:
        raise argparse.ArgumentTypeError(f"must be between {INT_MIN} and {INT_MAX}")
    return value


def _remember_argparse_words() -> None:
    """argparse asks gettext for a translation of its own words ("usage: ", "options"...) each
    time it makes a parser or a group, and gettext searches the locale directories afresh every
    time, because a catalogue it did not find is not remembered. A command makes about 80
    parsers: 10-15 ms of CPU spent looking for files that are not there. Each answer is kept for
    the life of the process (what it depends on, the locale settings, does not change in it)."""
    lookup = getattr(argparse, "_", None)
    if callable(lookup) and not hasattr(lookup, "cache_info"):
        setattr(argparse, "_", functools.cache(lookup))  # noqa: B010 (not in argparse's stubs)


def build_parser(command: str | None = None, *, every: bool = False) -> CliParser:
    """The parser for `caseterm`, with the real subcommand for `command` (or for all of them,
    `every`, as the tests use it) and placeholders for the rest."""
    _remember_argparse_words()
    parser = CliParser(
        prog="caseterm",
        description="A keyboard-first terminal workstation for case administrators.",
    )
    parser.add_argument("--version", action="version", version=f"caseterm {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if every or name == command:
            importlib.import_module(module).register(_Only(sub, name))
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    """Read the command line, importing only the chosen command's module."""
    command = _command_named(argv)
    if command is None:
        outline, _ = _parser_for(None).parse_known_args(argv)
        if outline.command is None:
            return _parser_for(None).parse_args(argv)  # --help, --version, or a mistake: said once
        command = outline.command
    return _parser_for(command).parse_args(argv)


@functools.cache
def _parser_for(command: str | None) -> CliParser:
    """The parser for `command`, made once per process: parsing changes nothing in it, and a
    process that reads several command lines (the resident server's children, the in-process
    tests) need not make the same ~80 parsers again (5-20 ms of CPU each time)."""
    return build_parser(command)


def _command_named(argv: list[str]) -> str | None:
    """The command `argv` names plainly (after any --db, --demo, --debug), without building the
    outline parser; None when that takes the full parser to tell (help, a typo, an abbreviation)."""
    quick = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    add_global_options(quick)
    try:
        _, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return rest[0] if rest and rest[0] in COMMANDS else None


def workstation_only(argv: list[str]) -> argparse.Namespace | None:
    """The arguments, if they name no command (bare `caseterm`, `--db X`, `--demo`): then the
    workstation starts straight away. Anything else (a command, --help, a typo) is None."""
    _remember_argparse_words()
    quick = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    add_global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except argparse.ArgumentError:  # e.g. `--db` with no value: the full parser says so
        return None
    return None if rest else args
