"""Management reports: named tables of figures over a period for a team or an office, each with
the chart that suits it. `REPORTS` is the catalogue (`caseterm report list`); `run_report`
computes one. Writing a report to a file is `caseterm.core.exports`' job.

Every report is an aggregate computed by grouped queries in the database, so restricted cases are
counted and never named. Deadline compliance and letters are in `reports_outcomes`; throughput
and accuracy from the sampled checks in `reports_quality`; arrears in `reports_money`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, extract, func
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.exports import Sheet, SheetChart
from caseterm.core.models import Appointment, CaseFile, ContactEntry, Payment, Staff, Task
from caseterm.core.models.money import is_cash
from caseterm.core.models.vocab import CaseStatus, TaskKind, TaskStatus
from caseterm.core.rules.catalogue import CONTACT_TYPES, TASK_KINDS, label
from caseterm.core.rules.workdays import is_working_day
from caseterm.core.services import board, reports_money, reports_outcomes, reports_quality
from caseterm.core.services.board import Scope
from caseterm.core.services.identity import Actor
from caseterm.core.services.report_tables import (
    Chart,
    Column,
    Period,
    ReportInfo,
    ReportTable,
    Runner,
)

# The report's shapes live in `report_tables` (shared with `reports_outcomes`); callers take
# them from here.
__all__ = [
    "Chart",
    "Column",
    "Period",
    "ReportInfo",
    "ReportTable",
    "list_reports",
    "period_of",
    "report_sheet",
    "run_report",
]

DEFAULT_WEEKS = 12
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def period_of(
    start: date | None,
    end: date | None,
    *,
    start_field: str = "period",
    end_field: str = "period",
) -> Period:
    """The period asked for, checked: by default the 12 weeks to today. (How far the data goes
    back is `data_span.check_span`'s, for a period a person gives.) A refusal names the date the
    person typed, under its field (`--from`, `--to`), never a default worked out from it."""
    today = clock.today()
    typed = start if start is not None else end  # the first day or, without one, the last
    if typed is not None and typed > today:
        raise ValidationError(
            start_field if start is not None else end_field,
            f"{typed:%d/%m/%Y} is after today ({today:%d/%m/%Y}): nothing is recorded for "
            "days to come; choose today or earlier",
        )
    end = end or today
    start = start or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
    if end < start:
        raise ValidationError(
            "period", f"the period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})"
        )
    return Period(start, min(end, today))


def _start(d: date) -> datetime:
    return datetime.combine(d, time.min)


def _between(column: Any, period: Period) -> list[Any]:
    return [column >= _start(period.start), column < _start(period.end + timedelta(days=1))]


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weeks(period: Period) -> list[date]:
    first, weeks = _monday(period.start), []
    while first <= period.end:
        weeks.append(first)
        first += timedelta(weeks=1)
    return weeks


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _team_members(session: Session, scope: Scope) -> list[Staff]:
    query = select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.name))
    if scope.kind == "team":
        return list(session.exec(query.where(Staff.team_id == scope.id)).all())
    return list(session.exec(query.where(Staff.office_id == scope.id)).all())


def _counted_by(session: Session, query: Any) -> dict[Any, int]:
    return {key: int(n) for key, n in session.exec(query).all()}


# ------------------------------------------------------------------------------- the reports


def _caseload(session: Session, scope: Scope, period: Period) -> ReportTable:
    members = _team_members(session, scope)
    ids = [m.id for m in members]
    cases = _counted_by(
        session,
        select(CaseFile.owner_id, func.count())
        .where(
            col(CaseFile.owner_id).in_(ids),
            col(CaseFile.status).in_((CaseStatus.OPEN, CaseStatus.REFERRAL)),
        )
        .group_by(col(CaseFile.owner_id)),
    )
    open_q = select(Task.assignee_id, func.count()).where(
        col(Task.assignee_id).in_(ids), col(Task.status) == TaskStatus.OPEN
    )
    tasks = _counted_by(session, open_q.group_by(col(Task.assignee_id)))
    overdue = _counted_by(
        session,
        open_q.where(col(Task.due_date) < period.end).group_by(col(Task.assignee_id)),
    )
    done = _counted_by(
        session,
        select(Task.completed_by_id, func.count())
        .where(col(Task.completed_by_id).in_(ids), col(Task.status) == TaskStatus.DONE)
        .where(*_between(col(Task.completed_at), period))
        .group_by(col(Task.completed_by_id)),
    )
    rows = tuple(
        (m.name, cases.get(m.id, 0), tasks.get(m.id, 0), overdue.get(m.id, 0), done.get(m.id, 0))
        for m in members
    )
    columns = (
        Column("officer", "Officer", "text"),
        Column("open_cases", "Open cases"),
        Column("open_tasks", "Open tasks"),
        Column("overdue_tasks", "Overdue tasks"),
        Column("completed", "Completed in period"),
    )
    chart = Chart("bar", "officer", ("open_cases", "open_tasks"))
    return ReportTable("caseload", "Caseload per officer", scope, period, columns, rows, chart)


def _ageing(session: Session, scope: Scope, period: Period) -> ReportTable:
    day = period.end
    by_kind: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for part in board.task_scope_parts(session, scope):
        in_hand = func.sum(case((board.open_at_end_of(day), 1), else_=0))
        rows_q = (
            select(Task.kind, func.date(Task.created_at), in_hand)
            .where(part, board.may_be_open_after(day))
            .group_by(col(Task.kind), func.date(Task.created_at))
        )
        for kind, created, n in session.exec(rows_q).all():
            if n:
                by_kind[kind][_as_date(created)] += int(n)
    buckets = [name for name, _, _ in board.AGEING_BUCKETS]
    rows = []
    for kind in sorted(by_kind, key=lambda k: label(TASK_KINDS, k)):
        counts = board.ageing_counts(by_kind[kind], day)
        rows.append((label(TASK_KINDS, kind), *counts, sum(counts)))
    columns = (
        Column("kind", "Work", "text"),
        *(Column(f"age_{i}", f"{name} (working)") for i, name in enumerate(buckets)),
        Column("total", "Open"),
    )
    series = tuple(f"age_{i}" for i in range(len(buckets)))
    chart = Chart("bar", "kind", series, stacked=True)
    notes = (f"Open work at the end of {day:%d/%m/%Y}, by age in working days.",)
    return ReportTable(
        "ageing", "Ageing of open work", scope, period, columns, tuple(rows), chart, notes
    )


def _attendance(session: Session, scope: Scope, period: Period) -> ReportTable:
    day = func.date(Appointment.starts_at)
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    query = (
        select(day, Appointment.status, func.count())
        .where(board.appointment_scope(session, scope))
        .where(col(Appointment.status).in_((*board.KEPT, board.MISSED)))
        .where(*_between(col(Appointment.starts_at), period))
        .group_by(day, col(Appointment.status))
    )
    for d, status, n in session.exec(query).all():
        counts[_monday(_as_date(d))][1 if status == board.MISSED else 0] += int(n)
    rows = []
    for week in _weeks(period):
        kept, missed = counts.get(week, [0, 0])
        rows.append((week, kept, missed, board.rate((kept, missed))))
    columns = (
        Column("week", "Week of", "date"),
        Column("kept", "Kept"),
        Column("failed_to_attend", "Failed to attend"),
        Column("rate", "Failed to attend (%)", "percent"),
    )
    chart = Chart("line", "week", ("rate",))
    return ReportTable(
        "attendance", "Failed-to-attend rate", scope, period, columns, tuple(rows), chart
    )


def _weekly_tasks(session: Session, scope: Scope, period: Period, kinds: tuple[str, ...]) -> Any:
    raised: dict[date, int] = defaultdict(int)
    done: dict[date, int] = defaultdict(int)
    parts = board.task_scope_parts(session, scope)
    for column, into in ((col(Task.created_at), raised), (col(Task.completed_at), done)):
        day = func.date(column)
        for part in parts:
            query = select(day, func.count()).where(part, col(Task.kind).in_(kinds))
            query = query.where(*_between(column, period)).group_by(day)
            if into is done:
                query = query.where(col(Task.status) == TaskStatus.DONE)
            for d, n in session.exec(query).all():
                into[_monday(_as_date(d))] += int(n)
    return raised, done


def _enforcement(session: Session, scope: Scope, period: Period) -> ReportTable:
    raised, done = _weekly_tasks(session, scope, period, (TaskKind.ENFORCEMENT,))
    rows = tuple((w, raised.get(w, 0), done.get(w, 0)) for w in _weeks(period))
    columns = (
        Column("week", "Week of", "date"),
        Column("raised", "Enforcement raised"),
        Column("completed", "Enforcement completed"),
    )
    chart = Chart("column", "week", ("raised", "completed"))
    return ReportTable("enforcement", "Enforcement actions", scope, period, columns, rows, chart)


def _throughput(session: Session, scope: Scope, period: Period) -> ReportTable:
    members = _team_members(session, scope)
    ids = [m.id for m in members]
    done = _counted_by(
        session,
        select(Task.completed_by_id, func.count())
        .where(col(Task.completed_by_id).in_(ids), col(Task.status) == TaskStatus.DONE)
        .where(*_between(col(Task.completed_at), period))
        .group_by(col(Task.completed_by_id)),
    )
    triaged = _counted_by(
        session,
        select(Task.triaged_by_id, func.count())
        .where(col(Task.triaged_by_id).in_(ids))
        .where(*_between(col(Task.triaged_at), period))
        .group_by(col(Task.triaged_by_id)),
    )
    logged = _counted_by(
        session,
        select(ContactEntry.staff_id, func.count())
        .where(col(ContactEntry.staff_id).in_(ids))
        .where(*_between(col(ContactEntry.logged_at), period))
        .group_by(col(ContactEntry.staff_id)),
    )
    working = sum(1 for n in range(period.days) if is_working_day(period.start + timedelta(days=n)))
    rows = tuple(
        (
            m.name,
            done.get(m.id, 0),
            round(done.get(m.id, 0) / working, 1) if working else 0.0,
            triaged.get(m.id, 0),
            logged.get(m.id, 0),
        )
        for m in members
    )
    columns = (
        Column("officer", "Officer", "text"),
        Column("completed", "Tasks completed"),
        Column("per_day", "Per working day", "number"),
        Column("triaged", "Items triaged"),
        Column("contacts", "Contacts logged"),
    )
    chart = Chart("bar", "officer", ("completed",))
    notes = (f"{working} working days in the period.",)
    return ReportTable(
        "throughput", "Throughput per person", scope, period, columns, rows, chart, notes
    )


def _contacts_by_day_and_hour(session: Session, scope: Scope, period: Period) -> Any:
    """(day, hour, how many) of the contacts in the period: counted in the database, so a year
    of an office is a few thousand rows rather than every entry."""
    day = func.date(ContactEntry.occurred_at)
    hour = extract("hour", col(ContactEntry.occurred_at))
    return (
        select(day, hour, func.count())
        .join(CaseFile, col(CaseFile.id) == col(ContactEntry.case_id))
        .where(board.case_scope(session, scope))
        .where(*_between(col(ContactEntry.occurred_at), period))
        .where(col(ContactEntry.supersedes_id).is_(None))
        .group_by(day, hour)
    )


def _interactions_weekly(session: Session, scope: Scope, period: Period) -> ReportTable:
    day = func.date(ContactEntry.occurred_at)
    query = (
        select(day, ContactEntry.contact_type, func.count())
        .join(CaseFile, col(CaseFile.id) == col(ContactEntry.case_id))
        .where(board.case_scope(session, scope))
        .where(*_between(col(ContactEntry.occurred_at), period))
        .group_by(day, col(ContactEntry.contact_type))
    )
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[str] = set()
    for d, kind, n in session.exec(query).all():
        counts[_monday(_as_date(d))][kind] += int(n)
        seen.add(kind)
    kinds = [k for k in CONTACT_TYPES if k in seen] + sorted(seen - set(CONTACT_TYPES))
    rows = tuple(
        (w, *(counts[w].get(k, 0) for k in kinds), sum(counts[w].values())) for w in _weeks(period)
    )
    columns = (
        Column("week", "Week of", "date"),
        *(Column(k, label(CONTACT_TYPES, k)) for k in kinds),
        Column("total", "All contacts"),
    )
    chart = Chart("column", "week", tuple(kinds), stacked=True)
    return ReportTable(
        "interactions-weekly", "Interactions by type and week", scope, period, columns, rows, chart
    )


def _interactions_hourly(session: Session, scope: Scope, period: Period) -> ReportTable:
    grid: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
    for d, hour, n in session.exec(_contacts_by_day_and_hour(session, scope, period)).all():
        grid[int(hour)][_as_date(d).weekday()] += int(n)
    hours = sorted(grid) or list(range(9, 17))
    rows = tuple((f"{h:02d}:00", *grid[h], sum(grid[h])) for h in hours)
    columns = (
        Column("hour", "Hour", "text"),
        *(Column(d.lower(), d) for d in WEEKDAYS),
        Column("total", "All days"),
    )
    chart = Chart("column", "hour", ("total",))
    notes = ("Contacts by the hour they happened and the day of the week: the peaks.",)
    return ReportTable(
        "interactions-hourly",
        "Interactions by hour and day",
        scope,
        period,
        columns,
        rows,
        chart,
        notes,
    )


def _collection(session: Session, scope: Scope, period: Period) -> ReportTable:
    query = (
        select(col(Payment.paid_on), func.count(), func.sum(Payment.amount_pence))
        .join(CaseFile, col(CaseFile.id) == col(Payment.case_id))
        .where(board.case_scope(session, scope))
        .where(col(Payment.paid_on) >= period.start, col(Payment.paid_on) <= period.end)
        .where(is_cash())
        .group_by(col(Payment.paid_on))
    )
    weekly: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for d, n, total in session.exec(query).all():
        week = weekly[_monday(_as_date(d))]
        week[0] += int(n)
        week[1] += int(total or 0)
    rows = tuple((w, *weekly.get(w, [0, 0])) for w in _weeks(period))
    columns = (
        Column("week", "Week of", "date"),
        Column("payments", "Payments"),
        Column("amount", "Amount", "pence"),
    )
    chart = Chart("column", "week", ("amount",))
    return ReportTable("collection", "Money collected", scope, period, columns, rows, chart)


REPORTS: dict[str, tuple[ReportInfo, Runner]] = {
    info.name: (info, runner)
    for info, runner in (
        (
            ReportInfo("caseload", "Caseload per officer", "open cases and tasks per officer"),
            _caseload,
        ),
        (ReportInfo("ageing", "Ageing of open work", "open work by kind and age"), _ageing),
        (
            ReportInfo(
                "attendance", "Failed-to-attend rate", "appointments kept and missed a week"
            ),
            _attendance,
        ),
        (
            ReportInfo("enforcement", "Enforcement actions", "enforcement raised and done a week"),
            _enforcement,
        ),
        (
            ReportInfo("throughput", "Throughput per person", "tasks done, triage, contacts"),
            _throughput,
        ),
        (
            ReportInfo("interactions-weekly", "Interactions by type", "contact types a week"),
            _interactions_weekly,
        ),
        (
            ReportInfo("interactions-hourly", "Interaction peaks", "contacts by hour and weekday"),
            _interactions_hourly,
        ),
        (ReportInfo("collection", "Money collected", "payments taken a week"), _collection),
        (
            ReportInfo("deadlines", "Deadline compliance", "clocks met, late, waived"),
            reports_outcomes.deadlines,
        ),
        (
            ReportInfo("letters", "Letters issued and checked", "by week and person"),
            reports_outcomes.letters,
        ),
        (
            ReportInfo(
                "accuracy",
                "Throughput and accuracy",
                "tasks done, checks passed a person",
                needs="audit.read",  # as `caseterm checks accuracy`
            ),
            reports_quality.accuracy,
        ),
        (
            ReportInfo("arrears", "Arrears", "accounts by instalments missed, at the end"),
            reports_money.arrears,
        ),
    )
}


def list_reports() -> list[ReportInfo]:
    return [info for info, _ in REPORTS.values()]


def run_report(
    session: Session,
    actor: Actor,
    *,
    name: str,
    scope: Scope,
    start: date | None = None,
    end: date | None = None,
) -> ReportTable:
    """Report `name` for `scope` over `start`..`end` (inclusive; by default the last 12 weeks)."""
    actor.require("case.read")
    if name not in REPORTS:
        raise ValidationError("report", f"no report {name!r}; choose from {', '.join(REPORTS)}")
    info, runner = REPORTS[name]
    actor.require(info.needs)
    return runner(session, scope, period_of(start, end))


def report_sheet(report: ReportTable) -> Sheet:
    """The report as a sheet for `caseterm.core.exports` (CSV or XLSX with its chart)."""
    keys = [c.key for c in report.columns]
    chart = None
    if report.chart is not None:
        chart = SheetChart(
            report.chart.kind,
            keys.index(report.chart.category),
            [keys.index(s) for s in report.chart.series],
            report.chart.stacked,
        )
    period = f"{report.period.start:%d/%m/%Y} to {report.period.end:%d/%m/%Y}"
    subtitle = " · ".join((report.scope.title, period, *report.notes))
    return Sheet(
        title=report.title,
        headers=[c.label for c in report.columns],
        kinds=[c.kind for c in report.columns],
        rows=list(report.rows),
        subtitle=subtitle,
        chart=chart,
    )
