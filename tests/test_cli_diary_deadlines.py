"""`caseterm diary --deadlines`: the statutory deadlines on a member of staff's or a team's
cases beside the appointments, as a table and as JSON (in process; Monday 23/11/2026)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import CaseClock
from caseterm.core.services import case_events, cases
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _recalled(world: World) -> str:
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="MHC",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
        case_events.record_event(
            s, world.worker, case_id=case.id or 0, kind="recall", event_date=date(2026, 11, 20)
        )
    return case.reference


def test_a_week_with_its_deadlines(world: World, tmp_path: Path) -> None:
    reference = _recalled(world)
    shown = run_cli(
        tmp_path, "diary", "11/12/2026", "--week", "--deadlines", "--json", db=world.db.url
    )
    assert shown.code == 0, shown.err
    with world.db.read() as s:
        clock = s.exec(select(CaseClock)).one()
    (found,) = shown.json()["deadlines"]
    assert found["clock_id"] == clock.id and found["due_date"] == "2026-12-11"
    assert (found["case_reference"], found["label"]) == (reference, "Reports after recall")
    assert found["in_words"] == "14 working days left" and found["overdue"] is False
    assert shown.json()["deadlines_hidden"] == 0

    team = run_cli(
        tmp_path,
        "diary",
        "show",
        "11/12/2026",
        "--team",
        "PRE-OM",
        "--deadlines",
        db=world.db.url,
        user="other",
    )
    assert team.code == 0, team.err
    assert "Deadlines: 1" in team.out and reference in team.out
    assert "Reports after recall" in team.out

    plain_week = run_cli(tmp_path, "diary", "11/12/2026", "--json", db=world.db.url)
    assert "deadlines" not in plain_week.json()


def test_a_room_has_no_deadlines(world: World, tmp_path: Path) -> None:
    refused = run_cli(tmp_path, "diary", "--room", "Interview 1", "--deadlines", db=world.db.url)
    assert refused.code != 0
    assert "--deadlines: shows a member of staff's or a team's deadlines" in refused.err
    assert "Traceback" not in refused.err


def test_rules_set_the_letter_template_and_deadlines_show_it(world: World, tmp_path: Path) -> None:
    from caseterm.core.services import letter_templates

    with world.db.write() as s:
        letter_templates.install_stock_templates(s, world.admin)
    changed = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--letter-template",
        "mh_warrant_recall",
        "--json",
        db=world.db.url,
        user="root",
    )
    assert changed.code == 0, changed.err
    assert changed.json()["letter_template"] == "MH_WARRANT_RECALL"
    refused = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--letter-template",
        "NOPE",
        db=world.db.url,
        user="root",
    )
    assert refused.code != 0
    assert "letter template: no letter template 'NOPE'" in refused.err
    listed = run_cli(tmp_path, "rules", "list", "--case-type", "MHC", db=world.db.url)
    assert "LETTER" in listed.out and "MH_TRIB" in listed.out and "MH_WARRANT_RECALL" in listed.out
    reference = _recalled(world)
    due = run_cli(tmp_path, "deadlines", "--staff", "worker", "--json", db=world.db.url)
    assert due.code == 0, due.err
    (found,) = due.json()["deadlines"]
    assert (found["case_reference"], found["letter_template"]) == (reference, "MH_WARRANT_RECALL")
    with world.db.read() as s:
        assert s.exec(select(CaseClock)).one().letter_template == "MH_WARRANT_RECALL"
