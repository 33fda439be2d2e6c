"""`case open --type MHC` opens the case in the team at the user's office that works that type
of case (the one holding most of the office's cases of the type), not in the user's own team;
`--team` and `--owner` still choose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.demo import build_demo
from caseterm.core.models import CaseFile, Person, Staff, Team
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.cli import run_cli

pytestmark = pytest.mark.sqlite_only

LOGIN = "wendy"  # enrolled by the demo in Preston offender management (PRE-OM)


@pytest.fixture
def demo(tmp_path: Path, frozen_clock: datetime) -> Iterator[tuple[Database, Path]]:
    path = tmp_path / "demo.db"
    db = open_database(str(path)).db
    build_demo(db, size="small", login=LOGIN)
    yield db, path
    db.dispose()


def _someone(db: Database) -> int:
    with db.read() as s:
        person = s.exec(select(Person).order_by(col(Person.id))).first()
    assert person is not None and person.id is not None
    return person.id


def _team_of(db: Database, case_id: int) -> str:
    with db.read() as s:
        case = s.get(CaseFile, case_id)
        assert case is not None
        team = s.get(Team, case.team_id)
    assert team is not None
    return team.code


@pytest.mark.parametrize(
    ("kind", "team"), [("MHC", "PRE-MH"), ("FINE", "PRE-FE"), ("OM", "PRE-OM")]
)
def test_the_case_goes_to_the_team_that_works_its_type(
    demo: tuple[Database, Path], tmp_path: Path, kind: str, team: str
) -> None:
    db, path = demo
    person = _someone(db)
    run = run_cli(
        tmp_path, "case", "open", "--type", kind, "--person", str(person), "--json",
        db=path, user=LOGIN,
    )  # fmt: skip
    assert run.code == 0, run.err
    opened = run.json()
    assert opened["team"] == team
    assert _team_of(db, opened["id"]) == team
    text = run_cli(
        tmp_path, "case", "open", "--type", kind, "--person", str(person), db=path, user=LOGIN
    )
    assert text.code == 0 and text.out.strip().endswith(f", team {team})"), text.out


def test_team_and_owner_given_are_kept(demo: tuple[Database, Path], tmp_path: Path) -> None:
    db, path = demo
    with db.read() as s:
        owner = s.exec(select(Staff).where(Staff.login != LOGIN).order_by(col(Staff.id))).first()
    assert owner is not None
    run = run_cli(
        tmp_path, "case", "open", "--type", "MHC", "--person", str(_someone(db)),
        "--team", "PRE-OM", "--owner", owner.login, "--json", db=path, user=LOGIN,
    )  # fmt: skip
    assert run.code == 0, run.err
    opened = run.json()
    assert (opened["team"], opened["owner"]) == ("PRE-OM", owner.login)
    with db.read() as s:
        case = s.get(CaseFile, opened["id"])
    assert case is not None and case.owner_id == owner.id
