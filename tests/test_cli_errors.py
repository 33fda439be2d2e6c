"""The command line: bad databases and unknown people give one line on stderr and a non-zero exit,
never a traceback. Most run in this process (tests/cli.py); a few in a real child process, for
the exit status a shell sees and for file permissions without root's powers."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

# ROOT and run_cli live in tests/cli.py; re-exported for tests that still import them from here.
from tests.cli import ROOT as ROOT
from tests.cli import run_cli as run_cli
from tests.cli import run_cli_process
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def test_unknown_reference(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "case", "show", "OM/2026/999999", db=world.db.url)
    assert result.code == 1
    assert result.one_error_line() == "caseterm: case OM/2026/999999 not found"
    assert result.out == ""


@pytest.mark.sqlite_only  # (about the way commands are run, not the database)
def test_in_process_runs_match_a_real_process(world: World, tmp_path: Path) -> None:
    """What the other CLI tests see in this process is what a person sees from the command: the
    same output, the same one line on stderr, the same exit status the shell gets."""
    for args, user in [
        (("case", "show", world.case.reference), "worker"),
        (("case", "show", world.case.reference), "nobody"),  # not enrolled: exit 1
        (("case", "--bogus"), "worker"),  # argparse: usage on stderr, exit 2
    ]:
        here = run_cli(tmp_path, *args, db=world.db.url, user=user)
        there = run_cli_process(tmp_path, *args, db=world.db.url, user=user)
        assert (here.code, here.out, here.err) == (there.code, there.out, there.err), args
        assert "Traceback" not in there.err


def test_not_enrolled(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url, user="nobody")
    assert result.code == 1
    line = result.one_error_line()
    assert "'nobody' is not enrolled" in line and "caseterm staff add nobody" in line


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "caseterm.db"
    result = run_cli(tmp_path, "case", "show", "OM/2026/000001", db=missing)
    assert result.code == 1
    assert result.one_error_line() == f"caseterm: directory {missing.parent} does not exist"
    assert not missing.parent.exists()


@pytest.mark.parametrize("args", [("--db=",), ("--db=", "case", "show", "OM/2026/000001")])
def test_empty_database_option(tmp_path: Path, args: tuple[str, ...]) -> None:
    # `--db "$UNSET"` must not quietly fall back to the default database.
    result = run_cli(tmp_path, *args)
    assert result.code == 1
    assert result.one_error_line() == ("caseterm: --db: is empty: give a database file or URL")
    assert not (tmp_path / "xdg-data").exists()


def test_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("Dear diary,\n" * 100, encoding="utf-8")
    result = run_cli(tmp_path, "case", "show", "OM/2026/000001", db=bogus)
    assert result.code == 1
    assert result.one_error_line() == f"caseterm: {bogus} is not a SQLite database"
    assert bogus.read_text(encoding="utf-8") == "Dear diary,\n" * 100


def test_sqlite_file_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    result = run_cli(tmp_path, "case", "show", "OM/2026/000001", db=other)
    assert result.code == 1
    assert "is not a caseterm database" in result.one_error_line()


@pytest.mark.sqlite_only
def test_schema_newer_than_the_program(world: World, db_path: Path, tmp_path: Path) -> None:
    world.db.dispose()
    newer = tmp_path / "newer.db"
    shutil.copy(db_path, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    result = run_cli(tmp_path, "case", "show", world.case.reference, db=newer)
    assert result.code == 1
    assert "schema newer than this caseterm; upgrade caseterm first" in result.one_error_line()
    with sqlite3.connect(newer) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("zzzz",)]


def _without_file_override() -> tuple[str, ...]:
    """Root ignores file modes; run the child without that power so read-only means read-only."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root needs util-linux setpriv to test read-only files"
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--")


@pytest.mark.sqlite_only
def test_read_only_database_directory(world: World, db_path: Path, tmp_path: Path) -> None:
    world.db.dispose()
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "caseterm.db"
    with sqlite3.connect(db_path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    folder.chmod(0o555)
    try:
        result = run_cli_process(
            tmp_path,
            "contact",
            "add",
            world.case.reference,
            "--type",
            "phone_in",
            "--notes",
            "rang",
            db=target,
            prefix=_without_file_override(),
        )
    finally:
        folder.chmod(0o755)
    assert result.code == 1
    line = result.one_error_line()
    assert line.startswith("caseterm: ") and "read" in line and "only" in line
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM contact_entry").fetchone() == (0,)


@pytest.mark.sqlite_only
def test_read_only_database_file(world: World, db_path: Path, tmp_path: Path) -> None:
    world.db.dispose()
    db_path.chmod(0o444)
    try:
        result = run_cli_process(
            tmp_path,
            "contact",
            "add",
            world.case.reference,
            "--type",
            "phone_in",
            db=db_path,
            prefix=_without_file_override(),
        )
    finally:
        db_path.chmod(0o644)
    assert result.code == 1
    assert "read-only for you" in result.one_error_line()


def test_database_path_that_is_a_directory(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "case", "show", "OM/2026/000001", db=tmp_path)
    assert result.code == 1
    assert result.one_error_line() == f"caseterm: {tmp_path} is a directory, not a database file"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("contact", "add", "OM/2026/000001", "--type", "smoke_signal"), "unknown type"),
        (
            ("contact", "add", "OM/2026/000001", "--type", "phone_in", "--when", "31/02/2026"),
            "when: 31/02/2026 is not a real date",
        ),
        (("case", "open", "--type", "XX", "--person", "1"), "unknown case type 'XX'"),
    ],
)
def test_bad_input_is_one_line(
    world: World, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(tmp_path, *args, db=world.db.url, user="clerk")
    assert result.code == 1
    assert message in result.one_error_line()


def test_table_columns_line_up_by_display_width(capsys: pytest.CaptureFixture[str]) -> None:
    from caseterm.cli.output import print_table

    print_table(["Name", "N"], [["Zoë", 1], ["李小龍", 2], ["a\u0301b", 3]])
    lines = capsys.readouterr().out.splitlines()
    from rich.cells import cell_len

    # The second column starts at the same screen column on every line.
    starts = {cell_len(line[: line.rindex(" ") + 1]) for line in lines}
    assert starts == {8}
