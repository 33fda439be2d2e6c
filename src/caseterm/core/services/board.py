"""The team information board (TIB): the figures a team or an office looks at in its daily
meeting, for yesterday and today, each beside the same day a week before, with 12-week trends.

Where the figures come from: the tables, read through one grouped query per measure over the
whole window (12 weeks and a day), never one query per day. Flows (received, completed, money
taken, appointments kept or missed) are counted on the day they happened. Stocks (in progress,
unallocated, overdue, ageing) are reconstructed for the end of a day from when each task was
created, triaged and completed; a task's assignee is the current one, and cancelled tasks are
left out of stocks (when they were cancelled is not recorded on the task).

Deadlines met and missed, checks passed and letters issued join when the statutory clocks, the
checks and the letters exist; a figure whose data does not exist yet is left out, not faked.

Restricted cases are counted, never listed: `board_list` leaves out the rows of cases the actor
may not see and says how many it left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, Office, Payment, Person, Staff, Task, Team
from caseterm.core.models.money import is_cash
from caseterm.core.models.vocab import AppointmentStatus, TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS, label
from caseterm.core.rules.workdays import working_days_between
from caseterm.core.services import access
from caseterm.core.services.identity import Actor

TREND_WEEKS = 12
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–5 days", 0, 5),
    ("6–10 days", 6, 10),
    ("11–20 days", 11, 20),
    ("over 20 days", 21, None),
)
KEPT = (AppointmentStatus.ARRIVED, AppointmentStatus.SEEN)
MISSED = AppointmentStatus.FAILED_TO_ATTEND

Unit = Literal["count", "percent", "pence"]


@dataclass(frozen=True)
class Scope:
    """Whose figures: one team, or one office (every team in it)."""

    kind: Literal["team", "office"]
    id: int
    code: str
    name: str

    @property
    def title(self) -> str:
        return f"{self.kind} {self.code} {self.name}"


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


@dataclass(frozen=True)
class ListedRow:
    """One row behind a figure: a task, an appointment or a payment, on a case the actor may
    see."""

    id: int
    case_id: int | None
    reference: str
    subject: str
    what: str
    who: str
    when: date | datetime | None
    status: str
    amount_pence: int | None = None


@dataclass(frozen=True)
class Listed:
    figure: str
    label: str
    day: date
    rows: tuple[ListedRow, ...]
    hidden: int  # rows of restricted cases the actor may not see, counted but not listed


# ------------------------------------------------------------------------------- scope


def resolve_scope(
    session: Session,
    actor: Actor,
    *,
    team: str | None = None,
    office: str | None = None,
    code: str | None = None,
) -> Scope:
    """A team or an office by code; by default the actor's team (else their office). `code`
    is either: a team's code if one has it, else an office's."""
    actor.require("case.read")
    if code and code.strip():
        wanted = code.strip().upper()
        if session.exec(select(Team.id).where(col(Team.code) == wanted)).first() is not None:
            team = wanted
        else:
            office = wanted
    if team and office:
        raise ValidationError("team", "give a team or an office, not both")
    if team or (not office and actor.team_id is not None):
        found = (
            session.exec(select(Team).where(col(Team.code) == team.strip().upper())).first()
            if team
            else session.get(Team, actor.team_id)
        )
        if found is None or found.id is None:
            codes = ", ".join(session.exec(select(Team.code).order_by(col(Team.code))).all())
            raise ValidationError("team", f"no team {team!r} (teams: {codes or 'none yet'})")
        return Scope("team", found.id, found.code, found.name)
    got = (
        session.exec(select(Office).where(col(Office.code) == office.strip().upper())).first()
        if office
        else (session.get(Office, actor.office_id) if actor.office_id else None)
    )
    if got is None or got.id is None:
        codes = ", ".join(session.exec(select(Office.code).order_by(col(Office.code))).all())
        what = repr(office) if office else "given, and you have no team or office"
        raise ValidationError("office", f"no office {what} (offices: {codes or 'none yet'})")
    return Scope("office", got.id, got.code, got.name)


def _team_ids(session: Session, scope: Scope) -> list[int]:
    if scope.kind == "team":
        return [scope.id]
    return [t for t in session.exec(select(Team.id).where(Team.office_id == scope.id)) if t]


def task_scope(session: Session, scope: Scope) -> Any:
    if scope.kind == "team":
        return col(Task.team_id) == scope.id
    return or_(col(Task.office_id) == scope.id, col(Task.team_id).in_(_team_ids(session, scope)))


def appointment_scope(session: Session, scope: Scope) -> Any:
    if scope.kind == "office":
        return col(Appointment.office_id) == scope.id
    members = select(Staff.id).where(Staff.team_id == scope.id)
    return col(Appointment.staff_id).in_(members)


def case_scope(session: Session, scope: Scope) -> Any:
    if scope.kind == "team":
        return col(CaseFile.team_id) == scope.id
    return col(CaseFile.office_id) == scope.id


# ------------------------------------------------------------------------------- the board


def _start(d: date) -> datetime:
    return datetime.combine(d, time.min)


def _day_counts(session: Session, day_col: Any, where: Iterable[Any], first: date) -> Counter[date]:
    """How many rows fall on each day from `first` on (one grouped query)."""
    day = func.date(day_col)
    rows = session.exec(
        select(day, func.count()).where(day_col >= _start(first), *where).group_by(day)
    ).all()
    return Counter({_as_date(d): int(n) for d, n in rows})


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def open_at_end_of(d: date) -> Any:
    """Tasks that were work in hand at the end of day `d` (see the module docstring)."""
    end = _start(d + timedelta(days=1))
    return and_(
        col(Task.status).in_((TaskStatus.OPEN, TaskStatus.DONE)),
        col(Task.created_at) < end,
        or_(col(Task.triaged_at).is_(None), col(Task.triaged_at) < end),
        or_(col(Task.completed_at).is_(None), col(Task.completed_at) >= end),
    )


def _stock(session: Session, in_scope: Any, d: date) -> tuple[int, int, int, dict[date, int]]:
    """(in progress, unallocated, overdue, open tasks by the day they were created) at the end
    of `d`."""
    created = func.date(Task.created_at).label("created")
    assigned = col(Task.assignee_id).is_not(None).label("assigned")
    late = (col(Task.due_date) < d).label("late")
    rows = session.exec(
        select(created, assigned, late, func.count())
        .where(in_scope, open_at_end_of(d))
        .group_by("created", "assigned", "late")
    ).all()
    in_progress = unallocated = overdue = 0
    by_created: dict[date, int] = defaultdict(int)
    for created, is_assigned, is_overdue, n in rows:
        if is_assigned:
            in_progress += n
        else:
            unallocated += n
        if is_overdue:
            overdue += n
        by_created[_as_date(created)] += n
    return in_progress, unallocated, overdue, by_created


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


def _appointments(session: Session, scope: Scope, first: date) -> dict[date, tuple[int, int]]:
    """(kept, missed) appointments per day from `first` on."""
    day = func.date(Appointment.starts_at)
    rows = session.exec(
        select(day, Appointment.status, func.count())
        .where(
            col(Appointment.starts_at) >= _start(first),
            col(Appointment.status).in_((*KEPT, MISSED)),
            appointment_scope(session, scope),
        )
        .group_by(day, col(Appointment.status))
    ).all()
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, status, n in rows:
        out[_as_date(d)][1 if status == MISSED else 0] += int(n)
    return {d: (k, m) for d, (k, m) in out.items()}


def _payments(session: Session, scope: Scope, first: date) -> dict[date, int]:
    rows = session.exec(
        select(col(Payment.paid_on), func.sum(Payment.amount_pence))
        .join(CaseFile, col(CaseFile.id) == col(Payment.case_id))
        .where(col(Payment.paid_on) >= first, case_scope(session, scope), is_cash())
        .group_by(col(Payment.paid_on))
    ).all()
    return {_as_date(d): int(total or 0) for d, total in rows}


def rate(kept_missed: tuple[int, int] | None) -> float:
    if not kept_missed or sum(kept_missed) == 0:
        return 0.0
    return round(100.0 * kept_missed[1] / sum(kept_missed), 1)


def _weeks(day: date) -> tuple[date, ...]:
    monday = day - timedelta(days=day.weekday())
    return tuple(monday - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1))


def _weekly(per_day: Any, weeks: tuple[date, ...]) -> list[float]:
    totals = [0.0] * len(weeks)
    for d, v in per_day.items():
        for i, monday in enumerate(weeks):
            if monday <= d < monday + timedelta(days=7):
                totals[i] += v
                break
    return totals


def team_board(session: Session, actor: Actor, *, scope: Scope, day: date | None = None) -> Board:
    """The board for `scope` on `day` (default today)."""
    actor.require("case.read")
    day = day or clock.today()
    yesterday = day - timedelta(days=1)
    weeks = _weeks(day)
    first = min(weeks[0], yesterday - timedelta(days=7))
    in_scope = task_scope(session, scope)

    received = _day_counts(session, col(Task.created_at), [in_scope], first)
    completed = _day_counts(
        session, col(Task.completed_at), [in_scope, col(Task.status) == TaskStatus.DONE], first
    )
    appts = _appointments(session, scope, first)
    money = _payments(session, scope, first)

    days = {"today": day, "yesterday": yesterday}
    days |= {"today_week_ago": day - timedelta(days=7)}
    days |= {"yesterday_week_ago": yesterday - timedelta(days=7)}
    stock = {name: _stock(session, in_scope, d) for name, d in days.items()}

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
    )
    return Board(scope, day, figures, ageing, _people(session, in_scope, day), trends)


def _weekly_rate(appts: dict[date, tuple[int, int]], weeks: tuple[date, ...]) -> list[float]:
    kept = _weekly({d: float(k) for d, (k, _) in appts.items()}, weeks)
    missed = _weekly({d: float(m) for d, (_, m) in appts.items()}, weeks)
    return [rate((int(k), int(m))) for k, m in zip(kept, missed, strict=True)]


def _people(session: Session, in_scope: Any, day: date) -> tuple[PersonFigures, ...]:
    day_col = func.date(Task.completed_at)
    rows = session.exec(
        select(col(Task.completed_by_id), col(Staff.name), day_col, func.count())
        .join(Staff, col(Staff.id) == col(Task.completed_by_id))
        .where(
            in_scope,
            col(Task.status) == TaskStatus.DONE,
            col(Task.completed_at) >= _start(day - timedelta(days=1)),
            col(Task.completed_at) < _start(day + timedelta(days=1)),
        )
        .group_by(col(Task.completed_by_id), col(Staff.name), day_col)
    ).all()
    counts: dict[tuple[int | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for staff_id, name, d, n in rows:
        counts[(staff_id, name)][0 if _as_date(d) == day else 1] += int(n)
    people = [PersonFigures(sid or 0, name, t, y) for (sid, name), (t, y) in counts.items()]
    return tuple(sorted(people, key=lambda p: (-p.completed_today, -p.completed_yesterday, p.name)))


# ------------------------------------------------------------------------------- drill down

LISTABLE = {
    "received": "Work received",
    "completed": "Completed",
    "in_progress": "In progress",
    "unallocated": "Unallocated",
    "overdue": "Overdue",
    "failed_to_attend": "Failed to attend",
    "money_taken": "Money taken",
}
LIST_LIMIT = 2000


def board_list(
    session: Session, actor: Actor, *, scope: Scope, figure: str, day: date | None = None
) -> Listed:
    """The rows behind one of the board's figures on `day`: what it counted, less the rows of
    restricted cases the actor may not see (counted in `hidden`)."""
    actor.require("case.read")
    if figure not in LISTABLE:
        raise ValidationError("figure", f"no figure {figure!r}; choose from {', '.join(LISTABLE)}")
    day = day or clock.today()
    if figure == "failed_to_attend":
        rows, hidden = _appointment_rows(session, actor, scope, day)
    elif figure == "money_taken":
        rows, hidden = _payment_rows(session, actor, scope, day)
    else:
        rows, hidden = _task_rows(session, actor, scope, figure, day)
    return Listed(figure, LISTABLE[figure], day, tuple(rows[:LIST_LIMIT]), hidden)


def _task_rows(
    session: Session, actor: Actor, scope: Scope, figure: str, day: date
) -> tuple[list[ListedRow], int]:
    where: list[Any] = [task_scope(session, scope)]
    start, end = _start(day), _start(day + timedelta(days=1))
    if figure == "received":
        where += [col(Task.created_at) >= start, col(Task.created_at) < end]
    elif figure == "completed":
        where += [col(Task.status) == TaskStatus.DONE]
        where += [col(Task.completed_at) >= start, col(Task.completed_at) < end]
    else:
        where.append(open_at_end_of(day))
        if figure == "in_progress":
            where.append(col(Task.assignee_id).is_not(None))
        elif figure == "unallocated":
            where.append(col(Task.assignee_id).is_(None))
        else:
            where.append(col(Task.due_date) < day)
    query = (
        select(Task, CaseFile, Person, Staff.name)
        .outerjoin(CaseFile, col(CaseFile.id) == col(Task.case_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .outerjoin(Staff, col(Staff.id) == col(Task.assignee_id))
        .where(*where)
        .order_by(col(Task.due_date), col(Task.id))
    )
    rows: list[ListedRow] = []
    hidden = 0
    for task, case, person, assignee in session.exec(query).all():
        if case is not None and not access.can_see(session, actor, case):
            hidden += 1
            continue
        assert task.id is not None
        rows.append(
            ListedRow(
                id=task.id,
                case_id=task.case_id,
                reference=case.reference if case else "",
                subject=person.full_name if person else (task.about_name or ""),
                what=f"{label(TASK_KINDS, task.kind)}: {task.title}",
                who=assignee or "",
                when=task.due_date,
                status=task.status,
            )
        )
    return rows, hidden


def _appointment_rows(
    session: Session, actor: Actor, scope: Scope, day: date
) -> tuple[list[ListedRow], int]:
    query = (
        select(Appointment, CaseFile, Person, Staff.name)
        .outerjoin(CaseFile, col(CaseFile.id) == col(Appointment.case_id))
        .outerjoin(Person, col(Person.id) == col(Appointment.person_id))
        .join(Staff, col(Staff.id) == col(Appointment.staff_id))
        .where(
            appointment_scope(session, scope),
            col(Appointment.status) == MISSED,
            col(Appointment.starts_at) >= _start(day),
            col(Appointment.starts_at) < _start(day + timedelta(days=1)),
        )
        .order_by(col(Appointment.starts_at))
    )
    rows: list[ListedRow] = []
    hidden = 0
    for appt, case, person, staff in session.exec(query).all():
        if case is not None and not access.can_see(session, actor, case):
            hidden += 1
            continue
        assert appt.id is not None
        rows.append(
            ListedRow(
                id=appt.id,
                case_id=appt.case_id,
                reference=case.reference if case else "",
                subject=person.full_name if person else "",
                what=appt.kind.replace("_", " "),
                who=staff,
                when=appt.starts_at,
                status=appt.status,
            )
        )
    return rows, hidden


def _payment_rows(
    session: Session, actor: Actor, scope: Scope, day: date
) -> tuple[list[ListedRow], int]:
    query = (
        select(Payment, CaseFile, Person)
        .join(CaseFile, col(CaseFile.id) == col(Payment.case_id))
        .join(Person, col(Person.id) == col(CaseFile.subject_id))
        .where(case_scope(session, scope), col(Payment.paid_on) == day, is_cash())
        .order_by(col(Payment.id))
    )
    rows: list[ListedRow] = []
    hidden = 0
    for payment, case, person in session.exec(query).all():
        if not access.can_see(session, actor, case):
            hidden += 1
            continue
        assert payment.id is not None
        rows.append(
            ListedRow(
                id=payment.id,
                case_id=case.id,
                reference=case.reference,
                subject=person.full_name,
                what=f"payment ({payment.method or 'method not recorded'})",
                who=payment.reference,
                when=payment.paid_on,
                status="paid",
                amount_pence=payment.amount_pence,
            )
        )
    return rows, hidden
