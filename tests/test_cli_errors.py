"""The command line through real subprocesses: bad databases and unknown people give one line on
stderr and a non-zero exit, never a traceback. `run_cli` is shared by the other CLI tests."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FROZEN
from tests.factories import World
from tests.launch import LAUNCH, clock_env

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _same_time_as_the_child(frozen_clock: datetime) -> None:
    """Data built here and the subprocess agree on the time (tests/launch.py)."""


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def one_error_line(self) -> str:
        """The single line a failing command printed on stderr (and proof there was no more)."""
        assert "Traceback" not in self.err, self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


def run_cli(
    home: Path,
    *args: str,
    db: Path | str | None = None,
    user: str = "worker",
    stdin: str | None = None,
    frozen: bool = True,
    prefix: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Run:
    """`python -m caseterm [--db DB] ARGS` as `user`, with config and data dirs under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(
        CASETERM_USER=user,
        CASETERM_CONFIG=str(home / "config.toml"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        PYTHONPATH=str(ROOT / "src"),
    )
    if frozen:
        env.update(clock_env(FROZEN))
    env.update(extra_env or {})
    launcher = [str(LAUNCH)] if frozen else ["-m", "caseterm"]
    command = [*prefix, sys.executable, *launcher]
    if db is not None:
        command += ["--db", str(db)]
    done = subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_unknown_reference(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "case", "show", "OM/2026/999999", db=world.db.url)
    assert result.code == 1
    assert result.one_error_line() == "caseterm: case OM/2026/999999 not found"
    assert result.out == ""


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
        result = run_cli(
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
        result = run_cli(
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
