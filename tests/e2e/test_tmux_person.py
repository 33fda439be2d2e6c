"""End to end in a real terminal, on the demo database: open a case, `p` for its subject's
person screen, `e`, change the title, `ctrl+s`, and find it in the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseFile, Person, Staff
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


@dataclass
class Demo:
    db: Database
    path: Path
    env: dict[str, str]
    reference: str
    person_id: int
    version: int
    name: str
    language: str


@pytest.fixture
def demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[Demo]:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    with db.read() as s:
        me = s.exec(select(Staff).where(Staff.login == LOGIN)).one()
        case = s.exec(
            select(CaseFile)
            .where(CaseFile.owner_id == me.id, CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).first()
        assert case is not None
        person = s.get(Person, case.subject_id)
    assert person is not None and person.id is not None
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    yield Demo(
        db, path, env, case.reference, person.id, person.version, person.full_name, person.language
    )
    db.dispose()


def test_open_the_person_from_a_case_and_edit_a_field(demo: Demo) -> None:
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.keys("p")
        term.wait_for(f"Person {demo.person_id}", "Identifiers", "Cases")
        term.keys("e")
        term.wait_for("Language", "Source of death")
        term.keys("End")  # the first field, the title
        term.keys("C-u")
        term.wait_for("draft kept")  # the first change is written at once: then type on
        term.keys("Dr", literal=True)
        term.wait_for("Title             Dr")
        term.keys("C-s")
        term.wait_for("Person saved")
        term.wait_for(f"Dr {demo.name}")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with demo.db.read() as s:
        person = s.get(Person, demo.person_id)
    assert person is not None and person.title == "Dr" and person.language == demo.language
    assert person.version == demo.version + 1
