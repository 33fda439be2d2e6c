"""Two reports of outcomes, for `reports.REPORTS`: deadline compliance (the statutory clocks met,
late, waived, and still running past their end, by week and kind of clock) and letters issued
and checked (by week and person). Aggregates by grouped queries joined to the scope's cases, so
restricted cases are counted and never named.

Met, late and waived count in the week the clock stopped; "running overdue" counts a clock still
running whose end fell in that week and before the period's last day. Letters issued count for
the person who drafted them, in the week they were issued; approved and rejected count for the
checker in the week of the check (a rejected letter sent again clears its check)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from caseterm.core.models import CaseClock, CaseFile, Document, Staff
from caseterm.core.models.vocab import ClockStatus, DocumentStatus
from caseterm.core.services.board_outcomes import LETTER, as_date
from caseterm.core.services.board_scope import Scope, case_scope, day_start
from caseterm.core.services.report_tables import Chart, Column, Period, ReportTable


def _monday(d: date) -> date:
    return date.fromordinal(d.toordinal() - d.weekday())


def _weeks(period: Period) -> list[date]:
    first = _monday(period.start)
    return [date.fromordinal(o) for o in range(first.toordinal(), period.end.toordinal() + 1, 7)]


def deadlines(session: Session, scope: Scope, period: Period) -> ReportTable:
    stopped = (
        columns_of(
            col(CaseClock.clock),
            func.max(CaseClock.label),
            col(CaseClock.stopped_on),
            col(CaseClock.status),
            func.count(),
        )
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .where(case_scope(session, scope))
        .where(col(CaseClock.stopped_on) >= period.start, col(CaseClock.stopped_on) <= period.end)
        .where(col(CaseClock.status).in_((ClockStatus.MET, ClockStatus.LATE, ClockStatus.WAIVED)))
        .group_by(col(CaseClock.clock), col(CaseClock.stopped_on), col(CaseClock.status))
    )
    running = (
        columns_of(
            col(CaseClock.clock), func.max(CaseClock.label), col(CaseClock.due_date), func.count()
        )
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .where(case_scope(session, scope), col(CaseClock.status) == ClockStatus.RUNNING)
        .where(col(CaseClock.due_date) >= period.start, col(CaseClock.due_date) < period.end)
        .group_by(col(CaseClock.clock), col(CaseClock.due_date))
    )
    order = (ClockStatus.MET, ClockStatus.LATE, ClockStatus.WAIVED)
    counts: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    labels: dict[str, str] = {}
    for kind, name, d, status, n in session.execute(stopped).all():
        labels[kind] = name
        counts[(_monday(as_date(d)), kind)][order.index(status)] += int(n)
    for kind, name, d, n in session.execute(running).all():
        labels[kind] = name
        counts[(_monday(as_date(d)), kind)][3] += int(n)
    rows: list[tuple[Any, ...]] = []
    for week in _weeks(period):
        for kind in sorted(labels, key=lambda k: labels[k]):
            met, late, waived, overdue = counts.get((week, kind), [0, 0, 0, 0])
            on_time = round(100.0 * met / (met + late), 1) if met + late else 0.0
            rows.append((week, labels[kind], met, late, waived, overdue, on_time))
    columns = (
        Column("week", "Week of", "date"),
        Column("clock", "Clock", "text"),
        Column("met", "Met"),
        Column("late", "Late"),
        Column("waived", "Waived"),
        Column("running_overdue", "Still running, overdue"),
        Column("on_time", "Met on time (%)", "percent"),
    )
    chart = Chart("column", "week", ("met", "late", "running_overdue"), stacked=True)
    title = "Deadline compliance"
    return ReportTable("deadlines", title, scope, period, columns, tuple(rows), chart)


def letters(session: Session, scope: Scope, period: Period) -> ReportTable:
    start, end = day_start(period.start), day_start(date.fromordinal(period.end.toordinal() + 1))
    counts: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(when: Any, who: Any, slot: Any) -> None:
        day = func.date(when)
        query = (
            select(day, col(Staff.name), col(Document.status), func.count())
            .join(CaseFile, col(CaseFile.id) == col(Document.case_id))
            .join(Staff, col(Staff.id) == who)
            .where(col(Document.kind) == LETTER, case_scope(session, scope))
            .where(when >= start, when < end)
            .group_by(day, col(Staff.name), col(Document.status))
        )
        for d, name, status, n in session.exec(query).all():
            counts[(_monday(as_date(d)), name)][slot(status)] += int(n)

    add(col(Document.issued_at), col(Document.created_by_id), lambda _: 0)
    approved = (DocumentStatus.CHECKED, DocumentStatus.ISSUED)
    add(col(Document.checked_at), col(Document.checked_by_id), lambda s: 1 if s in approved else 2)
    rows = tuple(
        (week, name, *counts[(week, name)])
        for week in _weeks(period)
        for name in sorted(n for w, n in counts if w == week)
    )
    columns = (
        Column("week", "Week of", "date"),
        Column("person", "Person", "text"),
        Column("issued", "Issued"),
        Column("approved", "Approved"),
        Column("rejected", "Rejected"),
    )
    chart = Chart("column", "week", ("issued", "approved", "rejected"))
    title = "Letters issued and checked"
    return ReportTable("letters", title, scope, period, columns, rows, chart)
