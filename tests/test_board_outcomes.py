"""The board's outcome figures on a built world: deadlines met and missed from the clocks, letters
issued and checked, each against the same day last week, and the lists behind them (restricted
cases counted, never listed)."""

from __future__ import annotations

from datetime import date, datetime, time

from caseterm.core.models import CaseClock, Document
from caseterm.core.services import board, cases
from caseterm.core.services.identity import Actor
from tests.factories import World

MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 22)
WEEK_AGO = date(2026, 11, 16)


def at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour))


def _clock(world: World, status: str, stopped: date | None, late_by: int | None = None) -> None:
    with world.db.write() as s:
        s.add(
            CaseClock(
                case_id=world.case.id or 0,
                clock="pre_sentence",
                label="Pre-sentence report",
                started_on=date(2026, 11, 2),
                due_date=date(2026, 11, 20),
                task_kind="general",
                status=status,
                stopped_on=stopped,
                late_by=late_by,
            )
        )


def _letter(world: World, checked: datetime | None, issued: datetime | None, status: str) -> None:
    with world.db.write() as s:
        s.add(
            Document(
                case_id=world.case.id or 0,
                kind="letter",
                title="Appointment letter",
                status=status,
                created_by_id=world.worker.id,
                checked_by_id=world.manager.id if checked else None,
                checked_at=checked,
                issued_at=issued,
            )
        )


def _built(world: World) -> World:
    """Today: two deadlines met, one missed (3 working days late); one waived and one running
    (neither counted). A week ago: one met. Letters: today one issued (checked on Sunday), one
    approved and one rejected; a week ago one issued and checked the same day. A received
    document is not a letter."""
    _clock(world, "met", MONDAY)
    _clock(world, "met", MONDAY)
    _clock(world, "late", MONDAY, 3)
    _clock(world, "waived", MONDAY)
    _clock(world, "running", None)
    _clock(world, "met", WEEK_AGO)
    _letter(world, at(SUNDAY), at(MONDAY, 10), "issued")
    _letter(world, at(MONDAY, 11), None, "checked")
    _letter(world, at(MONDAY, 12), None, "rejected")
    _letter(world, at(WEEK_AGO, 9), at(WEEK_AGO, 14), "issued")
    with world.db.write() as s:
        s.add(
            Document(
                case_id=world.case.id or 0,
                kind="received",
                title="Form",
                status="filed",
                checked_at=at(MONDAY),
                issued_at=at(MONDAY),
            )
        )
    return world


def _values(world: World, key: str, actor: Actor | None = None) -> tuple[float, ...]:
    actor = actor or world.manager
    with world.db.read() as s:
        scope = board.resolve_scope(s, actor, team="PRE-OM")
        f = board.team_board(s, actor, scope=scope, day=MONDAY).figure(key)
    return (f.today, f.yesterday, f.today_week_ago, f.yesterday_week_ago, f.change)


def test_deadlines_met_and_missed_and_letters_issued_and_checked(world: World) -> None:
    w = _built(world)
    assert _values(w, "deadlines_met") == (2, 0, 1, 0, 1)
    assert _values(w, "deadlines_missed") == (1, 0, 0, 0, 1)
    assert _values(w, "letters_issued") == (1, 0, 1, 0, 0)
    assert _values(w, "letters_checked") == (2, 1, 1, 0, 1)
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")
        shown = board.team_board(s, w.manager, scope=scope, day=MONDAY)
    trend = next(t for t in shown.trends if t.key == "deadlines_missed")
    assert trend.values[-1] == 1 and sum(trend.values) == 1
    letters = next(t for t in shown.trends if t.key == "letters_issued")
    assert (letters.values[-1], letters.values[-2]) == (1, 1)


def test_the_lists_behind_deadlines_and_letters(world: World) -> None:
    w = _built(world)
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.manager, team="PRE-OM")

        def listed(figure: str) -> board.Listed:
            return board.board_list(s, w.manager, scope=scope, figure=figure, day=MONDAY)

        missed = listed("deadlines_missed")
        met = listed("deadlines_met")
        issued = listed("letters_issued")
        checked = listed("letters_checked")
    assert [r.what for r in missed.rows] == [
        "Pre-sentence report (due 20/11/2026, 3 working days late)"
    ]
    assert missed.rows[0].reference == w.case.reference and missed.rows[0].status == "late"
    assert len(met.rows) == 2
    assert [(r.what, r.who) for r in issued.rows] == [("letter: Appointment letter", w.worker.name)]
    assert sorted(r.status for r in checked.rows) == ["checked", "rejected"]
    assert {r.who for r in checked.rows} == {w.manager.name}


def test_restricted_cases_are_counted_but_never_listed(world: World) -> None:
    w = _built(world)
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    assert _values(w, "deadlines_met", w.other)[0] == 2
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.other, team="PRE-OM")
        hidden = board.board_list(s, w.other, scope=scope, figure="deadlines_met", day=MONDAY)
        letters = board.board_list(s, w.other, scope=scope, figure="letters_checked", day=MONDAY)
    assert (hidden.rows, hidden.hidden) == ((), 2)
    assert (letters.rows, letters.hidden) == ((), 2)
