"""`caseterm rules`, `closures`, `event`, `reviews run`, `deadlines` and `clock` (in process)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import CaseClock, CaseEvent, ClockRule, OfficeClosure, Task
from caseterm.core.services import cases, reviews
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time (Monday 23/11/2026)."""


def _mh_case(world: World) -> str:
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="MHC",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
    return case.reference


def test_rules_list_show_and_set(world: World, tmp_path: Path) -> None:
    listed = run_cli(tmp_path, "rules", "list", "--case-type", "mhc", "--json", db=world.db.url)
    assert listed.code == 0
    assert {r["key"] for r in listed.json()["rules"]} == {
        "MHC/tribunal_application/tribunal_statement",
        "MHC/recall/recall_reports",
        "MHC/tribunal_decision/s71_referral",
    }
    shown = run_cli(
        tmp_path,
        "rules",
        "show",
        "FINE/further_steps_notice/appeal_window",
        "--json",
        db=world.db.url,
    )
    assert (shown.json()["period"], shown.json()["unit"]) == (10, "working_days")

    refused = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--period",
        "4",
        db=world.db.url,
        user="worker",
    )
    assert (
        refused.code != 0 and "may not change the statutory clock rules" in refused.one_error_line()
    )
    bad = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--period",
        "-3",
        db=world.db.url,
        user="root",
    )
    assert bad.code != 0 and "period" in bad.one_error_line()
    bad_kind = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--task-kind",
        "tea",
        db=world.db.url,
        user="root",
    )
    assert "unknown task kind 'tea'" in bad_kind.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(ClockRule)).all() == []

    done = run_cli(
        tmp_path,
        "rules",
        "set",
        "MHC/recall/recall_reports",
        "--period",
        "4",
        "--warn",
        "2",
        "--json",
        db=world.db.url,
        user="root",
    )
    assert done.code == 0, done.err
    assert (done.json()["period"], done.json()["source"]) == (4, "changed")
    with world.db.read() as s:
        assert s.exec(select(ClockRule.period)).one() == 4


def test_closures_add_and_list(world: World, tmp_path: Path) -> None:
    added = run_cli(
        tmp_path,
        "closures",
        "add",
        "30/11/2026",
        "--reason",
        "office move",
        db=world.db.url,
        user="root",
    )
    assert added.code == 0, added.err
    assert "Monday 30/11/2026" in added.out
    again = run_cli(
        tmp_path, "closures", "add", "25/12/2026", "--reason", "x", db=world.db.url, user="root"
    )
    assert "Christmas Day" in again.one_error_line()
    listed = run_cli(tmp_path, "closures", "list", "--json", db=world.db.url)
    assert listed.json()["closures"] == [{"day": "2026-11-30", "reason": "office move"}]
    with world.db.read() as s:
        assert len(s.exec(select(OfficeClosure)).all()) == 1


def test_event_add_list_and_case_show(world: World, tmp_path: Path) -> None:
    ref = _mh_case(world)
    added = run_cli(
        tmp_path,
        "event",
        "add",
        ref,
        "recall",
        "--date",
        "20/11/2026",
        "--details",
        "Recalled by warrant",
        "--json",
        db=world.db.url,
    )
    assert added.code == 0, added.err
    started = added.json()["started"]
    assert [(c["label"], c["due_date"], c["in_words"]) for c in started] == [
        ("Reports after recall", "2026-12-11", "14 working days left")
    ]
    future = run_cli(tmp_path, "event", "add", ref, "recall", "--date", "tomorrow", db=world.db.url)
    assert "in the future" in future.one_error_line()
    unknown = run_cli(tmp_path, "event", "add", ref, "haircut", "--date", "today", db=world.db.url)
    assert "not an event of MHC" in unknown.one_error_line()
    with world.db.read() as s:
        assert len(s.exec(select(CaseEvent)).all()) == 1

    listed = run_cli(tmp_path, "event", "list", ref, "--json", db=world.db.url)
    assert [e["label"] for e in listed.json()["events"]] == ["Recall to hospital"]
    shown = run_cli(tmp_path, "case", "show", ref, "--json", db=world.db.url)
    assert shown.json()["events"][0]["details"] == "Recalled by warrant"
    assert shown.json()["clocks"][0]["due_date"] == "2026-12-11"
    text = run_cli(tmp_path, "case", "show", ref, db=world.db.url)
    assert "Reports after recall: ends 11/12/2026, 14 working days left" in text.out


def test_reviews_run_deadlines_and_clock_met(world: World, tmp_path: Path) -> None:
    ref = _mh_case(world)
    run_cli(
        tmp_path,
        "event",
        "add",
        ref,
        "tribunal_application",
        "--date",
        "01/10/2026",
        db=world.db.url,
    )
    with world.db.write() as s:
        reviews.schedule_review(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            kind="review",
            description="Review",
            due_date=date(2026, 11, 23),
        )
    dry = run_cli(tmp_path, "reviews", "run", "--dry-run", "--json", db=world.db.url)
    assert dry.code == 0, dry.err
    assert dry.json()["count"] == 1 and dry.json()["raised"][0]["task_id"] is None
    ran = run_cli(tmp_path, "reviews", "run", "--json", db=world.db.url)
    assert ran.json()["count"] == 1
    assert run_cli(tmp_path, "reviews", "run", "--json", db=world.db.url).json()["count"] == 0

    overdue = run_cli(tmp_path, "deadlines", "--overdue", "--json", db=world.db.url)
    (row,) = overdue.json()["deadlines"]
    # Thu 01/10 + 21 days = Thu 22/10: 22 working days before Monday 23/11.
    assert row["in_words"] == "OVERDUE by 22 working days" and row["overdue"] is True
    team = run_cli(tmp_path, "deadlines", "--team", "PRE-OM", db=world.db.url)
    assert "OVERDUE by 22 working days" in team.out
    met = run_cli(tmp_path, "clock", "met", str(row["id"]), "--json", db=world.db.url)
    assert met.json()["status"] == "late"
    with world.db.read() as s:
        c = s.exec(select(CaseClock)).one()
        assert (c.status, c.late_by) == ("late", 22)
        assert s.exec(select(Task).where(Task.kind == "deadline")).one().case_id == c.case_id
