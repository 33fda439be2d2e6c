"""The board's figures counted by day, over one stretch of days (`board.team_board` reads the
days before yesterday once per scope and day, `board_history`, and yesterday and today at every
refresh): work received and completed, appointments kept and missed, money taken, letters issued
and checked, and the work in hand at the end of some of the days. Grouped queries over the
whole stretch, never one per day; each a range of a covering index."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, or_, true, union_all
from sqlmodel import Session, col, select

from caseterm.core.models import Appointment, CaseFile, Payment, Task
from caseterm.core.models.money import is_cash
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.services.board_outcomes import (
    CHECKED,
    ISSUED,
    letters_arms,
    letters_issued_and_checked,
)
from caseterm.core.services.board_scope import (
    KEPT,
    MISSED,
    Scope,
    appointment_scope,
    case_scope,
    day_start,
)


def _day_counts_queries(
    day_col: Any, parts: Iterable[Any], where: Iterable[Any], first: date, until: date | None
) -> tuple[Any, ...]:
    """How many rows fall on each day from `first` on (before `until`, when given): one grouped
    query per scope part."""
    day = func.date(day_col)
    bounds = [day_col >= day_start(first)]
    if until is not None:
        bounds.append(day_col < day_start(until))
    return tuple(
        select(day, func.count()).where(*bounds, part, *where).group_by(day) for part in parts
    )


def _by_day(rows: Iterable[Any]) -> dict[date, int]:
    """(day, n) rows added up by day (an office's parts each give their own)."""
    counts: Counter[date] = Counter()
    for d, n in rows:
        counts[as_date(d)] += int(n or 0)
    return dict(counts)


def as_date(value: Any) -> date:
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


Stock = tuple[int, int, int, dict[date, int]]


def _stocks_queries(parts: Iterable[Any], days: dict[str, date]) -> tuple[Any, ...]:
    """For each named day, the work in hand at its end, by the day each task was created and
    whether it is assigned: one pass over the tasks that could be open on any of the days (open
    now, or completed since the earliest: `may_be_open_after`), counting for every day at once,
    per scope part. The tasks not completed and those completed since are read apart, each a
    range of the covering index, as an OR across the two would make PostgreSQL read the table
    (a bitmap of both ranges) instead of the index alone; `_stocks` adds the halves up."""
    created = func.date(Task.created_at).label("created")
    assigned = col(Task.assignee_id).is_not(None).label("assigned")
    end = day_start(min(days.values()) + timedelta(days=1))
    in_play = col(Task.status).in_((TaskStatus.OPEN, TaskStatus.DONE))
    queries = []
    for completed in (False, True):
        # `open_at_end_of(d)` with what the half's WHERE already settles left out (the status;
        # a task not completed is not completed by then), as each sum is worked out per row.
        sums: list[Any] = []
        for d in days.values():
            d_end = day_start(d + timedelta(days=1))
            tests = [
                col(Task.created_at) < d_end,
                or_(col(Task.triaged_at).is_(None), col(Task.triaged_at) < d_end),
            ]
            if completed:
                tests.append(col(Task.completed_at) >= d_end)
            in_hand = and_(*tests)
            sums.append(func.sum(case((in_hand, 1), else_=0)))
            sums.append(func.sum(case((and_(in_hand, col(Task.due_date) < d), 1), else_=0)))
        half = col(Task.completed_at) >= end if completed else col(Task.completed_at).is_(None)
        queries += [
            select(created, assigned, *sums)
            .where(part, in_play, half)
            .group_by("created", "assigned")
            for part in parts
        ]
    return tuple(queries)


def _stocks(rows: Iterable[Any], days: dict[str, date]) -> dict[str, Stock]:
    """For each named day: (in progress, unallocated, overdue, open tasks by the day they were
    created) at the end of that day, from `_stocks_queries`' rows."""
    out: dict[str, tuple[list[int], dict[date, int]]] = {
        name: ([0, 0, 0], defaultdict(int)) for name in days
    }
    for row in rows:
        when, is_assigned = as_date(row[0]), bool(row[1])
        for i, name in enumerate(days):
            n, late = int(row[2 + 2 * i] or 0), int(row[3 + 2 * i] or 0)
            if not n:
                continue
            totals, by_created = out[name]
            totals[0 if is_assigned else 1] += n
            totals[2] += late
            by_created[when] += n
    return {name: (t[0], t[1], t[2], dict(by)) for name, (t, by) in out.items()}


def _appointments_query(session: Session, scope: Scope, first: date, until: date | None) -> Any:
    day = func.date(Appointment.starts_at)
    starts = col(Appointment.starts_at)
    return (
        select(day, Appointment.status, func.count())
        .where(
            starts >= day_start(first),
            starts < day_start(until) if until is not None else true(),
            col(Appointment.status).in_((*KEPT, MISSED)),
            appointment_scope(session, scope),
        )
        .group_by(day, col(Appointment.status))
    )


def _appointments(rows: Iterable[Any]) -> dict[date, tuple[int, int]]:
    """(kept, missed) appointments per day, from `_appointments_query`'s rows."""
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, status, n in rows:
        out[as_date(d)][1 if status == MISSED else 0] += int(n)
    return {d: (k, m) for d, (k, m) in out.items()}


def _payments_query(
    session: Session, scope: Scope, first: date, until: date | None, few_days: bool
) -> Any:
    """Money taken per day from `first` on (before `until`, when given). Over many days each
    of the scope's cases is looked up in the payments' (case, day) index; over a few days the
    days' few payments are read from the (day, case) index and their cases looked up instead
    (`case_id + 0` keeps SQLite from seeking every case of the team)."""
    paid_on = col(Payment.paid_on)
    case_id = col(Payment.case_id) + literal_column("0") if few_days else col(Payment.case_id)
    return (
        select(paid_on, func.sum(Payment.amount_pence))
        .join(CaseFile, col(CaseFile.id) == case_id)
        .where(
            paid_on >= first,
            paid_on < until if until is not None else true(),
            case_scope(session, scope),
            is_cash(),
        )
        .group_by(paid_on)
    )


@dataclass(frozen=True)
class Reads:
    """The statements of the figures counted by day, over one stretch of days, and of the work
    in hand at the end of some of them: three statements in all (`flows`, `statused`,
    `stocks`), each a UNION ALL of reads of one shape with a tag first, as every statement is a
    round trip to a PostgreSQL server (twelve of them were half of a refreshed board's time)."""

    flows: Any  # (tag, day, n): received, completed, money, letters issued and checked
    statused: Any  # (tag, day, status, n): appointments, and the reads `build_reads` was given
    stocks: Any  # (created, assigned, in hand, overdue for each of `days`)
    first: date
    until: date | None
    days: dict[str, date]  # the days whose work in hand `stocks` counts


@dataclass(frozen=True)
class Counted:
    """What one `Reads` counted, by day (the stretches never overlap, so two add up by
    putting their days together)."""

    received: dict[date, int]
    completed: dict[date, int]
    appointments: dict[date, tuple[int, int]]
    money: dict[date, int]
    issued: dict[date, int]
    checked: dict[date, int]
    stocks: dict[str, Stock]  # named days' work in hand at their end
    stock_days: dict[str, date]  # which day each name is

    def before(self, day: date) -> Counted:
        """Only the days before `day` (and the work in hand at their end)."""

        def older(per_day: dict[date, Any]) -> dict[date, Any]:
            return {d: v for d, v in per_day.items() if d < day}

        return Counted(
            older(self.received),
            older(self.completed),
            older(self.appointments),
            older(self.money),
            older(self.issued),
            older(self.checked),
            {name: stock for name, stock in self.stocks.items() if self.stock_days[name] < day},
            {name: d for name, d in self.stock_days.items() if d < day},
        )

    def __or__(self, other: Counted) -> Counted:
        return Counted(
            self.received | other.received,
            self.completed | other.completed,
            self.appointments | other.appointments,
            self.money | other.money,
            self.issued | other.issued,
            self.checked | other.checked,
            self.stocks | other.stocks,
            self.stock_days | other.stock_days,
        )


RECEIVED, COMPLETED, MONEY, APPOINTMENTS = "received", "completed", "money", "appointments"


def _tagged(tag: str, query: Any) -> Any:
    """`query` with `tag` as its first column, to go in a UNION ALL with reads of its shape."""
    return query.with_only_columns(literal(tag).label("tag"), *query.selected_columns)


def build_reads(
    session: Session,
    scope: Scope,
    parts: tuple[Any, ...],
    first: date,
    until: date | None,
    days: dict[str, date],
    *,
    few_days: bool = False,
    also: dict[str, Any] | None = None,
) -> Reads:
    """The statements over `first`..`until` (to now when None), and of the work in hand at the
    end of `days`; `few_days` for a stretch of a day or two (the money taken and the letters
    are then read by day, not by case). `also`: more reads of (day, status, count), run with
    the appointments and given back by `read_counts` under their tags."""
    done = [col(Task.status) == TaskStatus.DONE]
    received = _day_counts_queries(col(Task.created_at), parts, [], first, until)
    completed = _day_counts_queries(col(Task.completed_at), parts, done, first, until)
    flows = [_tagged(RECEIVED, q) for q in received] + [_tagged(COMPLETED, q) for q in completed]
    flows.append(_tagged(MONEY, _payments_query(session, scope, first, until, few_days)))
    flows += letters_arms(session, scope, first, until, few_days=few_days)
    statused = [_tagged(APPOINTMENTS, _appointments_query(session, scope, first, until))]
    statused += [_tagged(tag, q) for tag, q in (also or {}).items()]
    return Reads(
        flows=union_all(*flows),
        statused=union_all(*statused),
        stocks=union_all(*_stocks_queries(parts, days)),
        first=first,
        until=until,
        days=days,
    )


def read_counts(session: Session, q: Reads) -> tuple[Counted, dict[str, list[Any]]]:
    """What `q` counts, and the rows of the reads it was given as `also`, by tag."""
    flows: dict[str, list[Any]] = defaultdict(list)
    for tag, d, n in session.execute(q.flows).all():
        flows[tag].append((d, n))
    statused: dict[str, list[Any]] = defaultdict(list)
    for tag, *row in session.execute(q.statused).all():
        statused[tag].append(row)
    letters = [(tag, d, n) for tag in (ISSUED, CHECKED) for d, n in flows[tag]]
    issued, checked = letters_issued_and_checked(letters, q.first, q.until)
    counted = Counted(
        received=_by_day(flows[RECEIVED]),
        completed=_by_day(flows[COMPLETED]),
        appointments=_appointments(statused.pop(APPOINTMENTS, [])),
        money=_by_day(flows[MONEY]),
        issued=issued,
        checked=checked,
        stocks=_stocks(session.execute(q.stocks).all(), q.days),
        stock_days=dict(q.days),
    )
    return counted, dict(statused)
