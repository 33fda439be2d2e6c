"""The team information board: exact figures on a built world, the lists behind them, and
restricted cases counted but never listed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, Payment
from caseterm.core.services import board, cases, tasks
from caseterm.core.services.identity import Actor
from tests.factories import World

MONDAY = date(2026, 11, 23)  # "today" in these tests
SUNDAY = date(2026, 11, 22)
WEEK_AGO = date(2026, 11, 16)


def at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour))


def _task(world: World, actor: Actor, when: datetime, title: str, **kw: object) -> int:
    clock.freeze(when)
    with world.db.write() as s:
        task = tasks.create_task(
            s,
            actor,
            kind="general",
            title=title,
            case_id=world.case.id,
            team_id=world.team.id,
            **kw,  # type: ignore[arg-type]
        )
        assert task.id is not None
        return task.id


def _complete(world: World, actor: Actor, when: datetime, task_id: int) -> None:
    clock.freeze(when)
    with world.db.write() as s:
        tasks.complete_task(s, actor, task_id=task_id)


@pytest.fixture
def busy(world: World) -> World:
    """A week ago: A (Wendy's, due 18/11). Friday: D (Wendy's), done on Sunday. Today: B
    (nobody's, due 30/11) and C (Owen's, due 20/11, so overdue); Wendy completes A."""
    w = world
    a = _task(w, w.clerk, at(WEEK_AGO), "A", assignee_id=w.worker.id, due_date=date(2026, 11, 18))
    d = _task(w, w.clerk, at(date(2026, 11, 20)), "D", assignee_id=w.worker.id)
    _complete(w, w.worker, at(SUNDAY, 15), d)
    _task(w, w.clerk, at(MONDAY), "B", due_date=date(2026, 11, 30))
    _task(w, w.clerk, at(MONDAY), "C", assignee_id=w.other.id, due_date=date(2026, 11, 20))
    _complete(w, w.worker, at(MONDAY, 10), a)
    clock.freeze(at(MONDAY, 12))
    return w


def _board(world: World, actor: Actor | None = None) -> board.Board:
    actor = actor or world.manager
    with world.db.read() as s:
        scope = board.resolve_scope(s, actor, team="PRE-OM")
        return board.team_board(s, actor, scope=scope, day=MONDAY)


def test_flows_and_stocks_for_today_yesterday_and_a_week_before(busy: World) -> None:
    shown = _board(busy)

    def values(key: str) -> tuple[float, float, float, float]:
        f = shown.figure(key)
        return (f.today, f.yesterday, f.today_week_ago, f.yesterday_week_ago)

    assert values("received") == (2, 0, 1, 0)
    assert values("completed") == (1, 1, 0, 0)
    # End of today: C (Owen's) in hand, B nobody's, C overdue. End of Sunday: A in hand (D was
    # done that afternoon). End of the Monday before: A.
    assert values("in_progress") == (1, 1, 1, 0)
    assert values("unallocated") == (1, 0, 0, 0)
    assert values("overdue") == (1, 1, 0, 0)
    assert shown.figure("received").change == 1
    assert shown.ageing[0] == ("0–5 days", 2, 1)
    assert [(p.name, p.completed_today, p.completed_yesterday) for p in shown.people] == [
        ("Wendy Worker", 1, 1)
    ]
    received = shown.trends[0]
    assert received.key == "received" and len(received.values) == board.TREND_WEEKS
    assert received.values[-1] == 2 and received.values[-2] == 2  # this week; last week: A, D
    assert received.weeks[-1] == MONDAY


def test_failed_to_attend_rate_and_money_taken(world: World) -> None:
    with world.db.write() as s:
        for hour, status in ((9, "seen"), (10, "failed_to_attend"), (11, "arrived"), (12, "seen")):
            s.add(
                Appointment(
                    case_id=world.case.id,
                    person_id=world.person.id,
                    staff_id=world.worker.id,
                    office_id=world.office.id,
                    starts_at=at(MONDAY, hour),
                    ends_at=at(MONDAY, hour + 1),
                    kind="supervision",
                    status=status,
                )
            )
        s.add(Payment(case_id=world.case.id or 0, amount_pence=12_345, paid_on=MONDAY))
        s.add(Payment(case_id=world.case.id or 0, amount_pence=655, paid_on=MONDAY))
        s.add(Payment(case_id=world.case.id or 0, amount_pence=1_000, paid_on=WEEK_AGO))
    shown = _board(world)
    assert shown.figure("failed_to_attend").today == 25.0
    money = shown.figure("money_taken")
    assert (money.today, money.today_week_ago, money.change) == (13_000, 1_000, 12_000)
    with world.db.read() as s:
        scope = board.resolve_scope(s, world.manager, team="PRE-OM")
        listed = board.board_list(s, world.manager, scope=scope, figure="money_taken", day=MONDAY)
        missed = board.board_list(
            s, world.manager, scope=scope, figure="failed_to_attend", day=MONDAY
        )
    assert sorted(r.amount_pence or 0 for r in listed.rows) == [655, 12_345]
    assert [r.when for r in missed.rows] == [at(MONDAY, 10)]


def test_lists_behind_figures_leave_out_restricted_cases_but_count_them(busy: World) -> None:
    w = busy
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    with w.db.read() as s:
        scope = board.resolve_scope(s, w.other, team="PRE-OM")
        counted = board.team_board(s, w.other, scope=scope, day=MONDAY)
        listed = board.board_list(s, w.other, scope=scope, figure="received", day=MONDAY)
        allowed = board.board_list(s, w.worker, scope=scope, figure="received", day=MONDAY)
    assert counted.figure("received").today == 2  # counted for everyone
    assert (listed.rows, listed.hidden) == ((), 2)  # never listed to Owen
    assert sorted(r.what for r in allowed.rows) == ["General: B", "General: C"]
    assert allowed.hidden == 0 and allowed.rows[0].reference == w.case.reference


def test_scope_by_code_defaults_and_refusals(world: World) -> None:
    with world.db.read() as s:
        assert board.resolve_scope(s, world.worker).code == "PRE-OM"  # one's own team
        assert board.resolve_scope(s, world.worker, code="pre").kind == "office"
        assert board.resolve_scope(s, world.worker, code="PRE-OM").kind == "team"
        with pytest.raises(ValidationError, match="no team 'NOPE' \\(teams: PRE-OM\\)"):
            board.resolve_scope(s, world.worker, team="NOPE")
        with pytest.raises(ValidationError, match="offices: LAN, PRE"):
            board.resolve_scope(s, world.worker, office="XX")
        scope = board.resolve_scope(s, world.worker)
        with pytest.raises(ValidationError, match="no figure 'bogus'"):
            board.board_list(s, world.worker, scope=scope, figure="bogus")


def test_an_office_board_counts_every_team_in_it(busy: World) -> None:
    with busy.db.read() as s:
        scope = board.resolve_scope(s, busy.manager, office="PRE")
        shown = board.team_board(s, busy.manager, scope=scope, day=MONDAY)
    assert scope.title == "office PRE Preston"
    assert shown.figure("received").today == 2
