"""Every command, found by walking the parser (a new command is walked without being listed
here), given bad input: an argument that is not UTF-8, a number beyond 64 bits or no number at
all, an empty required value, and a bad database (garbage, a truncated caseterm file, a missing
directory, a URL of an unsupported kind, a `file:` URI). Each must answer with one line on
standard error and a non-zero status, never a traceback.

These run in this process through `main(argv)`; tests/test_cli_startup.py has the few that need
a real process (exit codes, undecodable bytes on the real command line)."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from caseterm.cli.registry import CliParser, build_parser
from caseterm.core.storage.opening import open_database
from tests.cli_inprocess import Cli
from tests.factories import World, build_world

HUGE = "99999999999999999999999"
NOT_UTF8 = "caf\udce9"  # what Python makes of the Latin-1 bytes b"caf\xe9" on the command line


@dataclass(frozen=True)
class Leaf:
    path: tuple[str, ...]
    parser: CliParser

    @property
    def name(self) -> str:
        return " ".join(self.path)


def _leaves(parser: CliParser, path: tuple[str, ...] = ()) -> Iterator[Leaf]:
    if parser.subcommands is None:
        yield Leaf(path, parser)
        return
    for name, child in parser.subcommands.choices.items():
        yield from _leaves(child, (*path, name))


ROOT = build_parser(every=True)
LEAVES = [leaf for leaf in _leaves(ROOT) if leaf.path]


def _numeric(action: argparse.Action) -> bool:
    name = getattr(action.type, "__name__", "")
    return action.type is int or name == "whole_number" or name.endswith(" id")


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


# A plausible value for each argument, so that a command reaches the database when only the
# database is bad. Keyed by (command, dest) or by dest alone.
SAMPLES = {
    ("case", "open", "type"): "OM",
    ("contact", "add", "type"): "phone_in",
    ("staff", "add", "name"): "Nia New",
    ("incoming", "add", "kind"): "post",
    ("account", "pay", "amount"): "10",
    ("account", "pay", "method"): "card",
    ("account", "writeoff", "reason"): "deceased",
    "reference": "OM/2026/000001",
    "login": "other",
    "text": "Siobhan",
    "summary": "A letter",
    "name": "my_work",
    "id": "1",
    "person_id": "1",
    "file": "no-such-backup.db",
    "target": "copy-target.db",
}
# Commands whose handler (not argparse) insists on one of several options.
EXTRA = {
    ("case", "open"): ["--new-person", "Ann Smith"],
    ("task", "assign"): ["--to", "other"],
    ("restrict",): ["--clear"],
    # Without --quiet, `db copy` says what it copies on stderr before it starts (reported: a
    # failure then makes two lines).
    ("db", "copy"): ["--quiet"],
    ("account", "terms"): ["--by", "2027-01-29"],
    ("reviews", "add"): ["--working-days", "3"],
    ("account", "increase"): ["--percent", "10"],
    ("money", "settle-suspense"): ["--apply"],
}
# These start a full-screen mode once the database opens: only the bad-database cases apply.
SCREENS = {("checkin",), ("triage",)}


def _sample(leaf: Leaf, action: argparse.Action) -> str:
    value = SAMPLES.get((*leaf.path, action.dest), SAMPLES.get(action.dest))
    if value is not None:
        return value
    if action.choices:
        return str(next(iter(action.choices)))
    return "1" if _numeric(action) else "x"


def _required(leaf: Leaf) -> list[argparse.Action]:
    return [a for a in leaf.parser.arguments() if a.required and _takes_value(a)]


def _argv(leaf: Leaf, replace: tuple[argparse.Action, str] | None = None) -> list[str]:
    """The command with its required arguments, one of them (or an optional one) replaced."""
    argv = list(leaf.path) + EXTRA.get(leaf.path, [])
    wanted = _required(leaf)
    if replace is not None and replace[0] not in wanted:
        wanted.append(replace[0])
    for action in wanted:
        value = (
            replace[1] if replace is not None and replace[0] is action else _sample(leaf, action)
        )
        argv += [action.option_strings[0], value] if action.option_strings else [value]
    return argv


PAIRS = [(leaf, a) for leaf in LEAVES for a in leaf.parser.arguments() if _takes_value(a)]


def _params(pairs: list[tuple[Leaf, argparse.Action]]) -> list[object]:
    def label(action: argparse.Action) -> str:
        return action.option_strings[0] if action.option_strings else action.dest.upper()

    return [pytest.param(leaf, a, id=f"{leaf.name} {label(a)}") for leaf, a in pairs]


def test_the_walk_finds_every_command_of_the_table() -> None:
    from caseterm.cli.registry import COMMANDS

    assert {leaf.path[0] for leaf in LEAVES} == set(COMMANDS)
    assert len(LEAVES) >= 30


def _nodes(parser: CliParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, CliParser]]:
    yield " ".join(("caseterm", *path)), parser
    if parser.subcommands is not None:
        for name, child in parser.subcommands.choices.items():
            yield from _nodes(child, (*path, name))


def test_every_command_and_group_prints_its_help() -> None:
    """`--help` on a group (`caseterm account --help`) formats every subcommand's help line: a
    `%` not written `%%` in one of them broke the whole page ("up to 50% of the fine")."""
    broken = []
    for name, parser in _nodes(ROOT):
        try:
            text = parser.format_help()
        except (TypeError, ValueError, KeyError) as exc:
            broken.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        assert text.startswith("usage: "), name
    assert broken == []


def test_every_command_has_a_sample_command_line() -> None:
    # A new command must parse with the samples above, so the database cases reach it.
    parser = build_parser(every=True)
    for leaf in LEAVES:
        parsed = parser.parse_args(_argv(leaf))
        assert parsed.command == leaf.path[0], leaf.name


@pytest.mark.parametrize(("leaf", "action"), _params(PAIRS))
def test_an_argument_that_is_not_utf8(leaf: Leaf, action: argparse.Action, cli: Cli) -> None:
    result = cli(*_argv(leaf, (action, NOT_UTF8)))
    assert result.code == 2
    line = result.one_error_line()
    assert "is not valid UTF-8 ('caf\ufffd')" in line
    if action.option_strings:
        assert f"the value of {action.option_strings[0]}" in line
    assert result.out == ""


def test_a_database_option_that_is_not_utf8(cli: Cli) -> None:
    result = cli("--db", "/tmp/caf\udce9.db", "search", "x")
    assert result.code == 2
    assert "the value of --db is not valid UTF-8" in result.one_error_line()
    result = cli("--db=/tmp/caf\udce9.db", "search", "x")
    assert "the value of --db is not valid UTF-8" in result.one_error_line()


@pytest.mark.parametrize(("leaf", "action"), _params([p for p in PAIRS if _numeric(p[1])]))
@pytest.mark.parametrize(
    ("value", "says"),
    [(HUGE, "between"), ("-" + HUGE, "between"), ("12abc", "whole number"), ("", "whole number")],
)
def test_a_number_out_of_range_or_not_a_number(
    leaf: Leaf, action: argparse.Action, value: str, says: str, cli: Cli
) -> None:
    result = cli(*_argv(leaf, (action, value)))
    assert result.code == 2
    assert says in result.one_error_line()
    assert result.out == ""


@pytest.fixture(scope="module")
def walk_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("walk") / "walk.db"
    database = open_database(str(path)).db
    yield build_world(database)
    database.dispose()


REQUIRED = [
    (leaf, a) for leaf, a in PAIRS if a.required and not _numeric(a) and leaf.path not in SCREENS
]


@pytest.mark.parametrize(("leaf", "action"), _params(REQUIRED))
def test_an_empty_required_value(
    leaf: Leaf, action: argparse.Action, walk_world: World, cli: Cli
) -> None:
    result = cli(*_argv(leaf, (action, "")), db=walk_world.db.url, user="root")
    assert result.code != 0, result.out
    result.one_error_line()


@pytest.fixture
def garbage(tmp_path: Path) -> str:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"Dear diary,\n" * 400)
    return str(path)


@pytest.fixture(scope="module")
def truncated(walk_world: World, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A caseterm database cut short, as a full disk or an interrupted copy leaves it."""
    source = Path(walk_world.db.url.removeprefix("sqlite:///"))
    with walk_world.db.write():
        pass
    walk_world.db.dispose()  # fold the WAL in, so the copy is the whole database
    copy = tmp_path_factory.mktemp("truncated") / "cut.db"
    shutil.copy(source, copy)
    with copy.open("r+b") as fh:
        fh.truncate(copy.stat().st_size // 3)
    return str(copy)


def _bad_database(leaf: Leaf, db: str, cli: Cli) -> None:
    argv = _argv(leaf)
    if leaf.path == ("db", "copy"):
        argv[argv.index("--from") + 1] = db
    result = cli(*argv, db=db, user="root")
    assert result.code != 0, result.out
    if leaf.path == ("db", "doctor") and result.out:
        # The doctor's answer is its report: what is wrong and how to restore, on stdout.
        assert result.code == 1 and result.err == ""
        assert "FAIL" in result.out and "db restore" in result.out, result.out
        return
    assert "unexpected error" not in result.one_error_line()  # an explained failure, not a fault


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_a_file_that_is_not_a_database(leaf: Leaf, garbage: str, cli: Cli) -> None:
    _bad_database(leaf, garbage, cli)


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_a_truncated_database(leaf: Leaf, truncated: str, cli: Cli) -> None:
    _bad_database(leaf, truncated, cli)


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_a_missing_directory(leaf: Leaf, tmp_path: Path, cli: Cli) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    _bad_database(leaf, str(missing), cli)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_an_unsupported_database_url(leaf: Leaf, cli: Cli) -> None:
    _bad_database(leaf, "mysql://x", cli)


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_a_file_uri(leaf: Leaf, tmp_path: Path, cli: Cli) -> None:
    _bad_database(leaf, "file:x", cli)  # the test runs in tmp_path (see `cli`)
    assert list(tmp_path.glob("file:*")) == [], "a stray file was created"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    monkeypatch.chdir(tmp_path)
    return Cli(capsys, monkeypatch)
