"""The team information board (TIB): the figures a team or an office looks at in its daily
meeting, for yesterday and today, each beside the same day a week before, with 12-week trends.

Where the figures come from: the tables, read through one grouped query per measure over the
whole window (12 weeks and a day), never one query per day; the four days' stocks share one pass.
Each query is a range of a covering index (migration 0013; an office's tasks are read as two
disjoint parts, `task_scope_parts`, so neither needs an OR across columns). Flows (received,
completed, money taken, appointments kept or missed) are counted on the day they happened. Stocks
(in progress, unallocated, overdue, ageing) are reconstructed for the end of a day from when
each task was created, triaged and completed; a task's assignee is the current one, and
cancelled tasks are left out of stocks (when they were cancelled is not recorded on the task).

Deadlines met and missed (from the statutory clocks) and letters issued and checked come from
`board_outcomes`, and so do sampled checks passed and failed (on the day they were decided, for
the team whose work was sampled).

Restricted cases are counted, never listed: `board_list` leaves out the rows of cases the actor
may not see and says how many it left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import Appointment, CaseFile, Payment, Staff, Task
from caseterm.core.models.money import is_cash
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.workdays import working_days_between
from caseterm.core.services.board_lists import LIST_LIMIT, LISTABLE, Listed, ListedRow, board_list
from caseterm.core.services.board_outcomes import (
    checks_by_day,
    checks_query,
    deadlines_by_day,
    deadlines_query,
    letters_issued_and_checked,
    letters_query,
)
from caseterm.core.services.board_scope import (
    KEPT,
    MISSED,
    Scope,
    appointment_scope,
    case_scope,
    day_start,
    may_be_open_after,
    open_at_end_of,
    resolve_scope,
    task_scope,
    task_scope_parts,
    team_ids,
)
from caseterm.core.services.identity import Actor

# What the board's callers (the screens, the CLI, the reports) reach through this module.
__all__ = [
    "KEPT",
    "LISTABLE",
    "LIST_LIMIT",
    "MISSED",
    "Board",
    "Figure",
    "Listed",
    "ListedRow",
    "PersonFigures",
    "Scope",
    "Trend",
    "ageing_counts",
    "appointment_scope",
    "board_list",
    "case_scope",
    "may_be_open_after",
    "open_at_end_of",
    "rate",
    "resolve_scope",
    "task_scope",
    "task_scope_parts",
    "team_board",
]

TREND_WEEKS = 12
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–5 days", 0, 5),
    ("6–10 days", 6, 10),
    ("11–20 days", 11, 20),
    ("over 20 days", 21, None),
)

Unit = Literal["count", "percent", "pence"]


@dataclass(frozen=True)
class Figure:
    """One measure for today and yesterday, and for the same day a week before each."""

    key: str
    label: str
    unit: Unit
    today: float
    yesterday: float
    today_week_ago: float
    yesterday_week_ago: float
    drill: bool = True

    @property
    def change(self) -> float:
        """Today's value less the same day last week's."""
        return self.today - self.today_week_ago


@dataclass(frozen=True)
class PersonFigures:
    staff_id: int
    name: str
    completed_today: int
    completed_yesterday: int


@dataclass(frozen=True)
class Trend:
    """Weekly values, oldest first; `weeks` are the Mondays."""

    key: str
    label: str
    unit: Unit
    weeks: tuple[date, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Board:
    scope: Scope
    day: date
    figures: tuple[Figure, ...]
    ageing: tuple[tuple[str, int, int], ...]  # bucket, today, same day last week
    people: tuple[PersonFigures, ...]
    trends: tuple[Trend, ...]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


# ------------------------------------------------------------------------------- the board


def _day_counts_queries(
    day_col: Any, parts: Iterable[Any], where: Iterable[Any], first: date
) -> tuple[Any, ...]:
    """How many rows fall on each day from `first` on: one grouped query per scope part."""
    day = func.date(day_col)
    return tuple(
        select(day, func.count()).where(day_col >= day_start(first), part, *where).group_by(day)
        for part in parts
    )


def _day_counts(session: Session, queries: Iterable[Any]) -> Counter[date]:
    counts: Counter[date] = Counter()
    for query in queries:
        counts.update({_as_date(d): int(n) for d, n in session.exec(query).all()})
    return counts


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


Stock = tuple[int, int, int, dict[date, int]]


def _stocks_queries(parts: Iterable[Any], days: dict[str, date]) -> tuple[Any, ...]:
    """For each named day, the work in hand at its end, by the day each task was created and
    whether it is assigned: one pass over the tasks that could be open on any of the days (open
    now, or completed since the earliest), counting for every day at once, per scope part."""
    created = func.date(Task.created_at).label("created")
    assigned = col(Task.assignee_id).is_not(None).label("assigned")
    sums: list[Any] = []
    for d in days.values():
        in_hand = open_at_end_of(d)
        sums.append(func.sum(case((in_hand, 1), else_=0)))
        sums.append(func.sum(case((and_(in_hand, col(Task.due_date) < d), 1), else_=0)))
    could_be_open = may_be_open_after(min(days.values()))
    return tuple(
        select(created, assigned, *sums).where(part, could_be_open).group_by("created", "assigned")
        for part in parts
    )


def _stocks(session: Session, queries: Iterable[Any], days: dict[str, date]) -> dict[str, Stock]:
    """For each named day: (in progress, unallocated, overdue, open tasks by the day they were
    created) at the end of that day, from `_stocks_queries`."""
    out: dict[str, tuple[list[int], dict[date, int]]] = {
        name: ([0, 0, 0], defaultdict(int)) for name in days
    }
    for query in queries:
        for row in session.exec(query).all():
            when, is_assigned = _as_date(row[0]), bool(row[1])
            for i, name in enumerate(days):
                n, late = int(row[2 + 2 * i] or 0), int(row[3 + 2 * i] or 0)
                if not n:
                    continue
                totals, by_created = out[name]
                totals[0 if is_assigned else 1] += n
                totals[2] += late
                by_created[when] += n
    return {name: (t[0], t[1], t[2], dict(by)) for name, (t, by) in out.items()}


@lru_cache(maxsize=4096)
def _age(created: date, d: date) -> int:
    return max(0, working_days_between(created, d))


def ageing_counts(by_created: dict[date, int], d: date) -> list[int]:
    """Open tasks by age in working days, in AGEING_BUCKETS."""
    counts = [0] * len(AGEING_BUCKETS)
    for created, n in by_created.items():
        age = _age(created, d)
        for i, (_, low, high) in enumerate(AGEING_BUCKETS):
            if age >= low and (high is None or age <= high):
                counts[i] += n
                break
    return counts


def _appointments_query(session: Session, scope: Scope, first: date) -> Any:
    day = func.date(Appointment.starts_at)
    return (
        select(day, Appointment.status, func.count())
        .where(
            col(Appointment.starts_at) >= day_start(first),
            col(Appointment.status).in_((*KEPT, MISSED)),
            appointment_scope(session, scope),
        )
        .group_by(day, col(Appointment.status))
    )


def _appointments(rows: Iterable[Any]) -> dict[date, tuple[int, int]]:
    """(kept, missed) appointments per day, from `_appointments_query`'s rows."""
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, status, n in rows:
        out[_as_date(d)][1 if status == MISSED else 0] += int(n)
    return {d: (k, m) for d, (k, m) in out.items()}


def _payments_query(session: Session, scope: Scope, first: date) -> Any:
    return (
        select(col(Payment.paid_on), func.sum(Payment.amount_pence))
        .join(CaseFile, col(CaseFile.id) == col(Payment.case_id))
        .where(col(Payment.paid_on) >= first, case_scope(session, scope), is_cash())
        .group_by(col(Payment.paid_on))
    )


def rate(kept_missed: tuple[int, int] | None) -> float:
    if not kept_missed or sum(kept_missed) == 0:
        return 0.0
    return round(100.0 * kept_missed[1] / sum(kept_missed), 1)


def _weeks(day: date) -> tuple[date, ...]:
    monday = day - timedelta(days=day.weekday())
    return tuple(monday - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1))


def _weekly(per_day: Any, weeks: tuple[date, ...]) -> list[float]:
    """Per-day values added up by week (`weeks` are consecutive Mondays); days outside them are
    left out."""
    totals = [0.0] * len(weeks)
    for d, v in per_day.items():
        i = (d - weeks[0]).days // 7
        if 0 <= i < len(weeks):
            totals[i] += v
    return totals


@dataclass(frozen=True)
class _Queries:
    """Every statement one board runs: built once for a scope and day, run at each refresh
    (building them is a fifth of a refresh's CPU)."""

    received: tuple[Any, ...]
    completed: tuple[Any, ...]
    appointments: Any
    payments: Any
    deadlines: Any
    letters: Any
    checks: Any
    stocks: tuple[Any, ...]
    people: tuple[Any, ...]


_BUILT: dict[tuple[Scope, date, tuple[int, ...]], _Queries] = {}
_BUILT_MAX = 64


def _board_days(day: date) -> dict[str, date]:
    yesterday = day - timedelta(days=1)
    return {
        "today": day,
        "yesterday": yesterday,
        "today_week_ago": day - timedelta(days=7),
        "yesterday_week_ago": yesterday - timedelta(days=7),
    }


def _first_day(day: date) -> date:
    return min(_weeks(day)[0], day - timedelta(days=8))


def _queries(session: Session, scope: Scope, day: date) -> _Queries:
    """The board's statements for `scope` on `day`, built at the first board of that scope and
    day in this process. They hold no data, only the scope's ids and the days: an office's
    teams are part of the key, so a team moved into or out of it builds them afresh."""
    teams = tuple(team_ids(session, scope)) if scope.kind == "office" else ()
    key = (scope, day, teams)
    built = _BUILT.get(key)
    if built is None:
        first = _first_day(day)
        parts = task_scope_parts(session, scope)
        done = [col(Task.status) == TaskStatus.DONE]
        built = _Queries(
            received=_day_counts_queries(col(Task.created_at), parts, [], first),
            completed=_day_counts_queries(col(Task.completed_at), parts, done, first),
            appointments=_appointments_query(session, scope, first),
            payments=_payments_query(session, scope, first),
            deadlines=deadlines_query(session, scope, first),
            letters=letters_query(session, scope, first),
            checks=checks_query(session, scope, first),
            stocks=_stocks_queries(parts, _board_days(day)),
            people=_people_queries(parts, day),
        )
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        _BUILT[key] = built
    return built


def team_board(session: Session, actor: Actor, *, scope: Scope, day: date | None = None) -> Board:
    """The board for `scope` on `day` (default today)."""
    actor.require("case.read")
    day = day or clock.today()
    weeks = _weeks(day)
    first = _first_day(day)
    days = _board_days(day)
    q = _queries(session, scope, day)

    received = _day_counts(session, q.received)
    completed = _day_counts(session, q.completed)
    appts = _appointments(session.exec(q.appointments).all())
    money = {_as_date(d): int(total or 0) for d, total in session.exec(q.payments).all()}
    deadlines = deadlines_by_day(session.exec(q.deadlines).all())
    met = {d: m for d, (m, _) in deadlines.items()}
    late = {d: n for d, (_, n) in deadlines.items()}
    issued, checked = letters_issued_and_checked(session.exec(q.letters).all(), first)
    checks = checks_by_day(session.exec(q.checks).all())
    passed = {d: p for d, (p, _) in checks.items()}
    failed = {d: f for d, (_, f) in checks.items()}
    stock = _stocks(session, q.stocks, days)

    def flow(per_day: Any) -> dict[str, float]:
        return {name: float(per_day.get(d, 0)) for name, d in days.items()}

    def figure(key: str, name: str, unit: Unit, values: dict[str, float]) -> Figure:
        return Figure(
            key,
            name,
            unit,
            today=float(values["today"]),
            yesterday=float(values["yesterday"]),
            today_week_ago=float(values["today_week_ago"]),
            yesterday_week_ago=float(values["yesterday_week_ago"]),
        )

    figures = (
        figure("received", "Work received", "count", flow(received)),
        figure("completed", "Completed", "count", flow(completed)),
        figure("in_progress", "In progress", "count", {n: s[0] for n, s in stock.items()}),
        figure("unallocated", "Unallocated", "count", {n: s[1] for n, s in stock.items()}),
        figure("overdue", "Overdue", "count", {n: s[2] for n, s in stock.items()}),
        figure(
            "failed_to_attend",
            "Failed to attend (%)",
            "percent",
            {name: rate(appts.get(d)) for name, d in days.items()},
        ),
        figure("money_taken", "Money taken", "pence", flow(money)),
        figure("deadlines_met", "Deadlines met", "count", flow(met)),
        figure("deadlines_missed", "Deadlines missed", "count", flow(late)),
        figure("letters_issued", "Letters issued", "count", flow(issued)),
        figure("letters_checked", "Letters checked", "count", flow(checked)),
        figure("checks_passed", "Checks passed", "count", flow(passed)),
        figure("checks_failed", "Checks failed", "count", flow(failed)),
    )
    ageing_now = ageing_counts(stock["today"][3], day)
    ageing_then = ageing_counts(stock["today_week_ago"][3], days["today_week_ago"])
    ageing = tuple(
        (name, ageing_now[i], ageing_then[i]) for i, (name, _, _) in enumerate(AGEING_BUCKETS)
    )
    trends = (
        Trend("received", "Received a week", "count", weeks, tuple(_weekly(received, weeks))),
        Trend("completed", "Done a week", "count", weeks, tuple(_weekly(completed, weeks))),
        Trend(
            "failed_to_attend",
            "Failed to attend %",
            "percent",
            weeks,
            tuple(_weekly_rate(appts, weeks)),
        ),
        Trend("money_taken", "Money a week", "pence", weeks, tuple(_weekly(money, weeks))),
        Trend("deadlines_missed", "Missed a week", "count", weeks, tuple(_weekly(late, weeks))),
        Trend(
            "letters_issued", "Letters out a week", "count", weeks, tuple(_weekly(issued, weeks))
        ),
        Trend("checks_passed", "Passed checks/week", "count", weeks, tuple(_weekly(passed, weeks))),
    )
    return Board(scope, day, figures, ageing, _people(session, q.people, day), trends)


def _weekly_rate(appts: dict[date, tuple[int, int]], weeks: tuple[date, ...]) -> list[float]:
    kept = _weekly({d: float(k) for d, (k, _) in appts.items()}, weeks)
    missed = _weekly({d: float(m) for d, (_, m) in appts.items()}, weeks)
    return [rate((int(k), int(m))) for k, m in zip(kept, missed, strict=True)]


def _people_queries(parts: Iterable[Any], day: date) -> tuple[Any, ...]:
    day_col = func.date(Task.completed_at)
    return tuple(
        select(col(Task.completed_by_id), col(Staff.name), day_col, func.count())
        .join(Staff, col(Staff.id) == col(Task.completed_by_id))
        .where(
            part,
            col(Task.status) == TaskStatus.DONE,
            col(Task.completed_at) >= day_start(day - timedelta(days=1)),
            col(Task.completed_at) < day_start(day + timedelta(days=1)),
        )
        .group_by(col(Task.completed_by_id), col(Staff.name), day_col)
        for part in parts
    )


def _people(session: Session, queries: Iterable[Any], day: date) -> tuple[PersonFigures, ...]:
    counts: dict[tuple[int | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for query in queries:
        for staff_id, name, d, n in session.exec(query).all():
            counts[(staff_id, name)][0 if _as_date(d) == day else 1] += int(n)
    people = [PersonFigures(sid or 0, name, t, y) for (sid, name), (t, y) in counts.items()]
    return tuple(sorted(people, key=lambda p: (-p.completed_today, -p.completed_yesterday, p.name)))
