"""End to end in a real terminal, on the demo database (issue 12): start closing a case and leave
the checklist — the header says how many steps are left; then `W` finds a person by name with
the picker, picks them, chooses a role and saves: the party is in the database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.core.models import CaseFile, CaseParty, Person, Staff
from tests.e2e.demo import copy_of_demo, open_case
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"


def test_header_shows_closing_and_W_picks_a_party(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
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
        other = s.exec(
            select(Person).where(Person.id != case.subject_id).order_by(col(Person.id))
        ).first()
        assert other is not None and other.date_of_birth is not None
        before = len(s.exec(select(CaseParty).where(CaseParty.case_id == case.id)).all())
    dob = other.date_of_birth.strftime("%d/%m/%Y")
    term = Terminal(
        ["--db", str(path)], caseterm_env(LOGIN, frozen_clock, tmp_path), width=120, height=40
    )
    try:
        open_case(term, case.reference)
        term.keys("C")
        term.wait_for("Why is the case closing")
        term.keys("Enter")  # the first reason: order or work completed
        term.wait_for("Closing: Order or work completed", "3 mandatory step(s)")
        term.keys("t")
        term.wait_for("2 mandatory step(s)")
        term.keys("Escape")  # the checklist stays in the database, half done
        term.wait_for("Closing: Order or work completed — 3 of 4 steps left (2 mandatory)")
        term.keys("W")
        term.wait_for("Add a party: who?")
        term.keys(f"{other.family_name} {dob}", literal=True)
        term.keys("Enter")
        term.wait_for("found: enter picks", f"person {other.id}")
        term.keys("Enter")
        term.wait_for("Add a party", "Who: ", f"person {other.id}")
        term.keys("Enter")  # opens the role list
        term.wait_for("Social supervisor", "Victim liaison officer")
        term.keys("Down", "Enter")  # the first role
        term.wait_for("Role              Responsible clinician")
        term.keys("C-s")
        term.wait_for("Party added")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    with db.read() as s:
        parties = s.exec(select(CaseParty).where(CaseParty.case_id == case.id)).all()
    assert len(parties) == before + 1
    assert any(p.person_id == other.id and p.role == "responsible_clinician" for p in parties)
    db.dispose()
