"""`caseterm demo`: where it builds, what it refuses, `--force`."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_demo_builds_in_the_user_data_dir_then_refuses_then_forces(tmp_path: Path) -> None:
    target = tmp_path / "xdg-data" / "caseterm" / "caseterm.db"
    first = run_cli(tmp_path, "demo", "--seed", "11", user="alice")
    assert first.code == 0, first.err
    assert f"Demo database ready: {target}" in first.out
    assert "Launch the workstation with:  caseterm\n" in first.out
    assert "caseterm demo: people" in first.err and "Traceback" not in first.err
    people = _count(target, "person")
    assert people > 100 and _count(target, "case_file") > 100
    with sqlite3.connect(target) as conn:
        (alice,) = conn.execute("SELECT id FROM staff WHERE login = 'alice'").fetchone()
        owned = conn.execute("SELECT count(*) FROM case_file WHERE owner_id = ?", (alice,))
        assert owned.fetchone()[0] > 0

    again = run_cli(tmp_path, "demo", user="alice")
    assert again.code == 1
    line = again.one_error_line()
    assert line.startswith(f"caseterm: {target} already holds ")
    assert "use --force to move it aside" in line
    assert _count(target, "person") == people

    forced = run_cli(tmp_path, "demo", "--force", "--seed", "12", user="bob")
    assert forced.code == 0, forced.err
    # -wal/-shm files (this test still holds a connection) move with the database.
    old = sorted(target.parent.glob("caseterm.db.old-*"))
    assert {p.name for p in old} <= {
        "caseterm.db.old-20261123-103000",
        "caseterm.db.old-20261123-103000-wal",
        "caseterm.db.old-20261123-103000-shm",
    }
    assert old[0].name == "caseterm.db.old-20261123-103000"
    assert f"moved the old database to {old[0]}" in forced.err
    assert _count(old[0], "person") == people  # kept whole, not deleted
    with sqlite3.connect(old[0]) as conn:
        assert conn.execute("SELECT 1 FROM staff WHERE login = 'alice'").fetchone() == (1,)
    with sqlite3.connect(target) as conn:
        logins = {r[0] for r in conn.execute("SELECT login FROM staff")}
    assert "bob" in logins and "alice" not in logins


def test_demo_at_db_path_says_how_to_launch(tmp_path: Path) -> None:
    target = tmp_path / "my demo.db"
    result = run_cli(tmp_path, "demo", db=target)
    assert result.code == 0, result.err
    assert f"Launch the workstation with:  caseterm --db '{target}'" in result.out
    assert _count(target, "person") > 100


def test_demo_moves_a_foreign_file_aside_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "caseterm.db"
    target.write_text("my shopping list\n", encoding="utf-8")
    refused = run_cli(tmp_path, "demo", db=target)
    assert refused.code == 1
    assert refused.one_error_line() == (
        f"caseterm: {target} is not a SQLite database; "
        "use --force to move it aside and build a fresh demo"
    )
    assert target.read_text(encoding="utf-8") == "my shopping list\n"
    forced = run_cli(tmp_path, "demo", "--force", db=target)
    assert forced.code == 0, forced.err
    (old,) = tmp_path.glob("caseterm.db.old-*")
    assert old.read_text(encoding="utf-8") == "my shopping list\n"


def test_demo_refuses_a_database_holding_work(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "demo", db=world.db.url)
    assert result.code == 1
    line = result.one_error_line()
    assert "already holds 6 staff, 1 person, 1 case" in line
    if world.db.is_sqlite:
        assert line.endswith("use --force to move it aside and build a fresh demo")
        return
    assert line.endswith("the demo builds only into an empty database")
    forced = run_cli(tmp_path, "demo", "--force", db=world.db.url)
    assert forced.code == 1
    assert "(--force moves only SQLite files aside)" in forced.one_error_line()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--size", "huge"), "size: unknown size 'huge'; choose from small, large, xl"),
        (("--seed", "x"), "argument --seed: must be a whole number, not 'x'"),
    ],
)
def test_demo_bad_options(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    target = tmp_path / "caseterm.db"
    result = run_cli(tmp_path, "demo", *args, db=target)
    assert result.code in (1, 2)
    assert message in result.err and "Traceback" not in result.err
    assert not target.exists()


def test_demo_into_missing_directory_given_with_db(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "caseterm.db"
    result = run_cli(tmp_path, "demo", db=target)
    assert result.code == 1
    assert result.one_error_line() == f"caseterm: directory {target.parent} does not exist"
