"""`copy_database` / `caseterm db copy`: a team's SQLite file moved to PostgreSQL whole, counts
checked, the source untouched, the target refused unless empty."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, create_engine, select, text
from sqlmodel import select as select_model

from caseterm.cli.db_copy import register_copy
from caseterm.core.config import to_url
from caseterm.core.errors import DatabaseError
from caseterm.core.models import ContactEntry, Staff, metadata
from caseterm.core.services import cases, contacts, staff
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.pg_copy import copy_database
from tests.factories import build_world


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    """A team's SQLite database with some history, including rows pointing at later rows of
    their own table (a member of staff last edited by someone enrolled after them)."""
    path = tmp_path / "team.db"
    db = open_database(str(path)).db
    world = build_world(db)
    with db.write() as s:
        staff.add_staff(s, world.admin, login="newadmin", name="Nina New", roles=["sysadmin"])
    newadmin = world.actor("newadmin")
    with db.write() as s:
        staff.set_active(s, newadmin, login="clerk", active=False)
        staff.set_active(s, newadmin, login="clerk", active=True)
        first = contacts.log_contact(
            s, world.worker, case_id=world.case.id or 0, contact_type="phone_in", notes="Ünïcode ✓"
        )
    with db.write() as s:
        contacts.correct_contact(
            s, world.worker, entry_id=first.id or 0, notes="corrected", reason="typo"
        )
        cases.open_case(s, world.clerk, case_type="OM", subject_id=world.person.id or 0)
        # What COPY's text format must escape: tabs, new lines, backslashes, its NULL marker.
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type="email",
            notes="tab\there\nnext line \\ back\\slash \\N not null\r\nend",
        )
    db.dispose()
    return path


def fingerprint(path: Path) -> tuple[str, bytes]:
    """The database file's bytes, and what its write-ahead log holds (no file or an empty one:
    a read-only reader of a WAL database may leave an empty log and its index behind)."""
    wal = path.with_name(path.name + "-wal")
    return (
        hashlib.sha256(path.read_bytes()).hexdigest(),
        wal.read_bytes() if wal.exists() else b"",
    )


def all_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: _rows(conn, t) for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def _rows(conn: Any, table: Table) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]


def test_copy_to_postgres_keeps_every_row_and_leaves_the_source_alone(
    team_file: Path, pg_empty_url: str
) -> None:
    before = fingerprint(team_file)
    seen: dict[str, int] = {}
    counts = copy_database(
        to_url(str(team_file)), pg_empty_url, lambda t, done, total: seen.__setitem__(t, done)
    )
    assert fingerprint(team_file) == before
    source, copied = all_rows(to_url(str(team_file))), all_rows(pg_empty_url)
    assert copied == source
    assert counts == {name: len(rows) for name, rows in source.items()}
    assert counts["staff"] == 7 and counts["contact_entry"] == 3 and counts["case_file"] == 2
    assert seen == counts  # progress reported every table, up to its full count


def test_copied_postgres_database_works_and_continues_ids_and_references(
    team_file: Path, pg_empty_url: str
) -> None:
    copy_database(to_url(str(team_file)), pg_empty_url)
    db = open_database(pg_empty_url).db
    try:
        with db.read() as s:  # analysed: the planner knows the copied rows (-1: never analysed)
            estimate = s.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'contact_entry'")
            ).scalar()
        assert estimate == 3
        with db.read() as s:
            clerk = s.exec(select_model(Staff).where(Staff.login == "clerk")).one()
            newadmin = s.exec(select_model(Staff).where(Staff.login == "newadmin")).one()
            assert clerk.updated_by_id == newadmin.id  # the forward reference survived
            world_worker = s.exec(select_model(Staff).where(Staff.login == "worker")).one()
        with db.write() as s:
            from caseterm.core.services.identity import resolve_actor

            worker = resolve_actor(s, "worker")
            case = cases.open_case(s, resolve_actor(s, "clerk"), case_type="OM", subject_id=1)
            entry = contacts.log_contact(s, worker, case_id=case.id or 0, contact_type="email")
        assert case.reference.endswith("/000003")
        assert case.id == 3 and entry.id == 4
        assert world_worker.id == worker.id
        with db.read() as s:
            assert len(s.exec(select_model(ContactEntry)).all()) == 4
    finally:
        db.dispose()


def test_copy_back_to_sqlite_round_trips(
    team_file: Path, pg_empty_url: str, tmp_path: Path
) -> None:
    copy_database(to_url(str(team_file)), pg_empty_url)
    back = tmp_path / "back.db"
    copy_database(pg_empty_url, to_url(str(back)))
    assert all_rows(to_url(str(back))) == all_rows(to_url(str(team_file)))
    db = open_database(str(back)).db
    try:  # the name-search index of the new SQLite file was filled by its triggers
        with db.read() as s:
            hits = s.execute(text("SELECT count(*) FROM person_name_fts")).scalar()
        assert hits == len(all_rows(to_url(str(back)))["person_name"])
    finally:
        db.dispose()


def test_refuses_a_target_that_is_not_empty(team_file: Path, pg_url: str) -> None:
    before = all_rows(pg_url)
    with pytest.raises(DatabaseError, match="not empty"):
        copy_database(to_url(str(team_file)), pg_url)  # pg_url has the seeded case types
    assert all_rows(pg_url) == before


def test_refuses_the_same_database(team_file: Path) -> None:
    with pytest.raises(DatabaseError, match="same database"):
        copy_database(to_url(str(team_file)), to_url(f"{team_file.parent}/./{team_file.name}"))


def test_a_failed_copy_keeps_nothing(team_file: Path, pg_empty_url: str) -> None:
    # SQLite does not enforce VARCHAR lengths; PostgreSQL does, so this row cannot be copied.
    raw = Database(to_url(str(team_file)))
    with raw.engine.begin() as conn:
        conn.execute(text("UPDATE office SET name = :n WHERE code = 'LAN'"), {"n": "x" * 500})
    raw.dispose()
    with pytest.raises(DatabaseError, match="copying table office"):
        copy_database(to_url(str(team_file)), pg_empty_url)
    assert all(not rows for rows in all_rows(pg_empty_url).values())
    # Once the row is put right, the same (empty-schema) target takes the copy.
    raw = Database(to_url(str(team_file)))
    with raw.engine.begin() as conn:
        conn.execute(text("UPDATE office SET name = 'Lancaster' WHERE code = 'LAN'"))
    raw.dispose()
    assert copy_database(to_url(str(team_file)), pg_empty_url)["office"] == 2


def test_db_copy_command_prints_the_checked_counts(
    team_file: Path, pg_empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    register_copy(parser.add_subparsers())
    args = parser.parse_args(["copy", "--from", str(team_file), "--to", pg_empty_url, "--quiet"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert re.search(r"^contact_entry +3$", out, re.MULTILINE)
    assert "every count checked" in out
    assert "caseterm_test:caseterm_test" not in out  # never the password
