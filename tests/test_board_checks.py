"""Sampled checks on the board and in the throughput and accuracy report, with exact numbers on a
built world: checks passed and failed today and yesterday against the same day last week, the
lists behind them (restricted cases counted, never listed), another team's checks left out, and
the report's rows, notes, XLSX chart and CSV."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest

from caseterm.core import clock, exports
from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import WorkCheck
from caseterm.core.services import board, cases, org, reports
from caseterm.core.services.identity import Actor
from tests.check_helpers import day_of_work
from tests.factories import World

MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 22)
WEEK_AGO = date(2026, 11, 16)


def at(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour))


def _check(
    w: World,
    item: int,
    officer: Actor,
    status: str,
    when: datetime | None,
    *,
    category: str = "",
    team_id: int | None = None,
    with_case: bool = True,
) -> None:
    with w.db.write() as s:
        s.add(
            WorkCheck(
                drawn_for=date(2026, 11, 13),
                team_id=team_id or w.team.id or 0,
                work_kind="contact",
                item_id=item,
                case_id=(w.case.id or 0) if with_case else None,
                officer_id=officer.id,
                checker_id=w.manager.id,
                status=status,
                category=category,
                checked_at=when,
                checked_by_id=w.manager.id if when else None,
            )
        )


def built(w: World) -> World:
    """Today (Monday 23/11): Wendy's work passed twice and failed once (wrong contact type);
    Owen's passed once, on work with no case. Sunday: Owen's failed (notes unclear). A week ago:
    Wendy's passed once. A pending check and another team's passed check count for no one here."""
    _check(w, 1, w.worker, "passed", at(MONDAY, 9))
    _check(w, 2, w.worker, "passed", at(MONDAY, 11))
    _check(w, 3, w.worker, "failed", at(MONDAY, 12), category="wrong_type")
    _check(w, 4, w.other, "passed", at(MONDAY, 14), with_case=False)
    _check(w, 5, w.other, "failed", at(SUNDAY, 15), category="notes_unclear")
    _check(w, 6, w.worker, "passed", at(WEEK_AGO, 9))
    _check(w, 7, w.worker, "pending", None)
    with w.db.write() as s:
        elsewhere = org.create_team(
            s, w.admin, code="LAN-OM", name="Lancaster", office_id=w.other_office.id
        )
    _check(w, 8, w.worker, "passed", at(MONDAY, 9), team_id=elsewhere.id)
    return w


def _values(w: World, key: str, actor: Actor | None = None) -> tuple[float, ...]:
    actor = actor or w.manager
    with w.db.read() as s:
        scope = board.resolve_scope(s, actor, team="PRE-OM")
        f = board.team_board(s, actor, scope=scope, day=MONDAY).figure(key)
    return (f.today, f.yesterday, f.today_week_ago, f.yesterday_week_ago, f.change)


def test_checks_passed_and_failed_on_the_board(world: World) -> None:
    w = built(world)
    assert _values(w, "checks_passed") == (3, 0, 1, 0, 2)
    assert _values(w, "checks_failed") == (1, 1, 0, 0, 1)
    with w.db.read() as s:
        office = board.resolve_scope(s, w.manager, office="PRE")
        shown = board.team_board(s, w.manager, scope=office, day=MONDAY)
    assert shown.figure("checks_passed").today == 3  # the office: PRE-OM's, not Lancaster's
    trend = next(t for t in shown.trends if t.key == "checks_passed")
    assert (trend.values[-2], trend.values[-1], sum(trend.values)) == (1, 3, 4)


def test_the_lists_behind_the_checks(world: World) -> None:
    w = built(world)
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        passed = board.board_list(s, w.manager, scope=scope, figure="checks_passed", day=MONDAY)
        failed = board.board_list(s, w.manager, scope=scope, figure="checks_failed", day=SUNDAY)
    assert [(r.reference, r.who, r.when) for r in passed.rows] == [
        (w.case.reference, w.worker.name, at(MONDAY, 9)),
        (w.case.reference, w.worker.name, at(MONDAY, 11)),
        ("", w.other.name, at(MONDAY, 14)),
    ]
    assert passed.rows[0].what.startswith("Contact entry #1 (check #")
    assert [(r.what.split(" (check #")[0], r.status) for r in failed.rows] == [
        ("Contact entry #5: Notes missing or unclear", "failed")
    ]


def test_restricted_cases_are_counted_but_never_listed(world: World) -> None:
    w = built(world)
    with w.db.write() as s:  # only Wendy may see the case; Owen looks
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    assert _values(w, "checks_passed", w.other)[0] == 3
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.other, team="PRE-OM")
        listed = board.board_list(s, w.other, scope=scope, figure="checks_passed", day=MONDAY)
    assert [r.who for r in listed.rows] == [w.other.name]  # his own, on no case
    assert listed.hidden == 2


def _accuracy(w: World) -> reports.ReportTable:
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        return reports.run_report(
            s, w.manager, name="accuracy", scope=scope, start=WEEK_AGO, end=MONDAY
        )


def test_throughput_and_accuracy_per_person(world: World, tmp_path: Path) -> None:
    w = built(world)
    day_of_work(w, tasks_each=2, contacts_each=0)  # Friday 20/11: 2 tasks each for Wendy, Owen
    clock.freeze(at(MONDAY, 16))
    table = _accuracy(w)
    rows = {r["officer"]: r for r in table.as_dicts()}
    assert rows["Wendy Worker"] == {
        "officer": "Wendy Worker", "completed": 2, "per_day": 0.3, "checked": 4, "passed": 3,
        "failed": 1, "accuracy": 75.0,
    }  # fmt: skip
    assert rows["Owen Other"] == {
        "officer": "Owen Other", "completed": 2, "per_day": 0.3, "checked": 2, "passed": 1,
        "failed": 1, "accuracy": 50.0,
    }  # fmt: skip
    assert rows["Mandy Manager"]["checked"] == 0 and rows["Mandy Manager"]["accuracy"] is None
    assert list(rows) == sorted(rows)
    assert table.notes == (
        "6 working days in the period.",
        "All: 4 of 6 checks passed (66.7%).",
        "Failures by category: Notes missing or unclear 1, Wrong contact type or outcome 1.",
    )
    target = tmp_path / "accuracy.xlsx"
    assert exports.write_xlsx(target, [reports.report_sheet(table)]) == len(table.rows)
    with zipfile.ZipFile(target) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
    csv = tmp_path / "accuracy.csv"
    exports.write_csv(csv, reports.report_sheet(table))
    data = csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"Wendy Worker,2,0.3,4,3,1,75.0" in data
    assert b"Mandy Manager,0,0.0,0,0,0,\r\n" in data or b"Mandy Manager,0,0.0,0,0,0,\n" in data


def test_the_report_is_in_the_catalogue_for_those_who_may_read_accuracy(world: World) -> None:
    assert "accuracy" in [r.name for r in reports.list_reports()]
    w = built(world)
    clock.freeze(at(MONDAY, 16))
    with w.db.read() as s, pytest.raises(PermissionDeniedError, match="may not read the audit"):
        scope = board.resolve_scope(s, w.worker, team="PRE-OM")
        reports.run_report(s, w.worker, name="accuracy", scope=scope, start=WEEK_AGO, end=MONDAY)
