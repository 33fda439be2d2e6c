"""The team information board (TIB): the figures a team or an office looks at in its daily
meeting, for yesterday and today, each beside the same day a week before, with 12-week trends.

Where the figures come from: the tables, read through one grouped query per measure over the
whole window (12 weeks and a day), never one query per day; the stocks of the days in each
stretch (below) share one pass. Reads of one shape go to the database together, as one UNION
ALL statement each (`board_counts.Reads`): a board is five statements (the scope, the flows, the
figures by status, the work in hand, the people), each a round trip on PostgreSQL.
Each query is a range of a covering index (migration 0013; an office's tasks are read as two
disjoint parts, `task_scope_parts`, so neither needs an OR across columns). Flows (received,
completed, money taken, appointments kept or missed) are counted on the day they happened. Stocks
(in progress, unallocated, overdue, ageing) are reconstructed for the end of a day from when
each task was created, triaged and completed; a task's assignee is the current one, and
cancelled tasks are left out of stocks (when they were cancelled is not recorded on the task).

Deadlines met and missed (from the statutory clocks) and letters issued and checked come from
`board_outcomes`, and so do sampled checks passed and failed (on the day they were decided, for
the team whose work was sampled).

The days before yesterday (the same days last week, the trends) are read once per scope and
day and remembered for a few minutes (`board_history`); yesterday and today at every board
(`board_counts` reads each stretch).

Restricted cases are counted, never listed: `board_list` leaves out the rows of cases the actor
may not see and says how many it left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import func, union_all
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import Staff, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.workdays import working_days_between
from caseterm.core.services import board_history
from caseterm.core.services.board_counts import Counted, Reads, as_date, build_reads, read_counts
from caseterm.core.services.board_lists import LIST_LIMIT, LISTABLE, Listed, ListedRow, board_list
from caseterm.core.services.board_outcomes import (
    checks_by_day,
    checks_query,
    deadlines_by_day,
    deadlines_query,
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
    (building them is a fifth of a refresh's CPU). The whole window is read when the days
    before yesterday are not remembered (`board_history`: the first board of a scope and day,
    and every few minutes), and split; otherwise only yesterday and today are read."""

    key: tuple[Scope, date, tuple[int, ...]]
    whole: Reads  # the whole window and the four days' work in hand
    recent: Reads  # yesterday and today
    people: Any


_BUILT: dict[tuple[Scope, date, tuple[int, ...]], _Queries] = {}
_DEADLINES, _CHECKS = "deadlines", "checks"
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
        first, yesterday = _first_day(day), day - timedelta(days=1)
        parts = task_scope_parts(session, scope)
        days = _board_days(day)
        recent = {k: d for k, d in days.items() if d >= yesterday}
        # Deadlines and checks are read over the whole window at every board (cheap), in the
        # same statement as the appointments.
        also = {
            _DEADLINES: deadlines_query(session, scope, first),
            _CHECKS: checks_query(session, scope, first),
        }
        built = _Queries(
            key=key,
            whole=build_reads(session, scope, parts, first, None, days, also=also),
            recent=build_reads(
                session, scope, parts, yesterday, None, recent, few_days=True, also=also
            ),
            people=union_all(*_people_queries(parts, day)),
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
    days = _board_days(day)
    q = _queries(session, scope, day)

    older: Counted | None = board_history.kept(session, q.key)
    if older is None:  # the whole window read, and the days before yesterday kept
        counted, also = read_counts(session, q.whole)
        board_history.keep(session, q.key, counted.before(day - timedelta(days=1)))
    else:
        recent, also = read_counts(session, q.recent)
        counted = older | recent
    received, completed, appts = counted.received, counted.completed, counted.appointments
    money, issued, checked, stock = counted.money, counted.issued, counted.checked, counted.stocks
    deadlines = deadlines_by_day(also.get(_DEADLINES, []))
    met = {d: m for d, (m, _) in deadlines.items()}
    late = {d: n for d, (_, n) in deadlines.items()}
    checks = checks_by_day(also.get(_CHECKS, []))
    passed = {d: p for d, (p, _) in checks.items()}
    failed = {d: f for d, (_, f) in checks.items()}

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


def _people(session: Session, query: Any, day: date) -> tuple[PersonFigures, ...]:
    counts: dict[tuple[int | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for staff_id, name, d, n in session.execute(query).all():
        counts[(staff_id, name)][0 if as_date(d) == day else 1] += int(n)
    people = [PersonFigures(sid or 0, name, t, y) for (sid, name), (t, y) in counts.items()]
    return tuple(sorted(people, key=lambda p: (-p.completed_today, -p.completed_yesterday, p.name)))
