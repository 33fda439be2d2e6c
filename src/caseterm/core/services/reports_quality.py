"""Throughput and accuracy per person, for `reports.REPORTS`: for each officer of the team or
office, the tasks they completed in the period (and per working day), and the sampled checks of
their work decided in the period, passed and failed, with the share passed. The team's figure and
the failures by error category are the report's notes.

A check counts in the period it was decided (`work_check.checked_at`), for the officer whose work
was sampled, under the team whose work it was (`board_scope.check_scope`), so someone who has
since moved team still appears on the team they did the work for. Aggregates by grouped queries:
no case is named."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as columns_of
from sqlmodel import Session, col, select

from caseterm.core.models import Staff, Task, WorkCheck
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules import checks as check_rules
from caseterm.core.rules.workdays import is_working_day
from caseterm.core.services.board_outcomes import FAILED, PASSED
from caseterm.core.services.board_scope import Scope, check_scope, day_start
from caseterm.core.services.report_tables import Chart, Column, Period, ReportTable


def _share_passed(passed: int, failed: int) -> float | None:
    """Passed as a share of the checks decided, to one place; None when none was decided (an
    empty cell, never a made-up 0%)."""
    return round(100.0 * passed / (passed + failed), 1) if passed + failed else None


def _members(session: Session, scope: Scope) -> dict[int, str]:
    query = select(Staff.id, Staff.name).where(col(Staff.active).is_(True))
    if scope.kind == "team":
        query = query.where(Staff.team_id == scope.id)
    else:
        query = query.where(Staff.office_id == scope.id)
    return {sid: name for sid, name in session.exec(query).all() if sid is not None}


def _category_label(work_kind: str, category: str) -> str:
    kind = check_rules.work_kinds().get(work_kind)
    return dict(kind.categories).get(category, category) if kind else category or work_kind


def accuracy(session: Session, scope: Scope, period: Period) -> ReportTable:
    start = day_start(period.start)
    end = day_start(period.end + timedelta(days=1))
    people = _members(session, scope)
    done: dict[int, int] = {}
    if people:
        for sid, n in session.exec(
            select(Task.completed_by_id, func.count())
            .where(col(Task.completed_by_id).in_(list(people)))
            .where(col(Task.status) == TaskStatus.DONE)
            .where(col(Task.completed_at) >= start, col(Task.completed_at) < end)
            .group_by(col(Task.completed_by_id))
        ).all():
            done[sid or 0] = int(n)
    decided: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    failures: Counter[tuple[str, str]] = Counter()
    checks_query = (
        columns_of(
            col(WorkCheck.officer_id),
            col(Staff.name),
            col(WorkCheck.status),
            col(WorkCheck.work_kind),
            col(WorkCheck.category),
            func.count(),
        )
        .join(Staff, col(Staff.id) == col(WorkCheck.officer_id))
        .where(check_scope(session, scope), col(WorkCheck.status).in_((PASSED, FAILED)))
        .where(col(WorkCheck.checked_at) >= start, col(WorkCheck.checked_at) < end)
        .group_by(
            col(WorkCheck.officer_id),
            col(Staff.name),
            col(WorkCheck.status),
            col(WorkCheck.work_kind),
            col(WorkCheck.category),
        )
    )
    for officer, name, status, kind, category, n in session.execute(checks_query).all():
        people.setdefault(officer, name)
        decided[officer][1 if status == FAILED else 0] += int(n)
        if status == FAILED:
            failures[(kind, category)] += int(n)
    working = sum(1 for n in range(period.days) if is_working_day(period.start + timedelta(n)))
    rows: list[tuple[Any, ...]] = []
    for sid, name in sorted(people.items(), key=lambda p: (p[1], p[0])):
        passed, failed = decided.get(sid, (0, 0))
        completed = done.get(sid, 0)
        per_day = round(completed / working, 1) if working else 0.0
        rows.append(
            (
                name,
                completed,
                per_day,
                passed + failed,
                passed,
                failed,
                _share_passed(passed, failed),
            )
        )
    columns = (
        Column("officer", "Officer", "text"),
        Column("completed", "Tasks completed"),
        Column("per_day", "Per working day", "number"),
        Column("checked", "Checks decided"),
        Column("passed", "Passed"),
        Column("failed", "Failed"),
        Column("accuracy", "Accuracy (%)", "percent"),
    )
    chart = Chart("bar", "officer", ("passed", "failed"), stacked=True)
    return ReportTable(
        "accuracy",
        "Throughput and accuracy per person",
        scope,
        period,
        columns,
        tuple(rows),
        chart,
        _notes(decided, failures, working),
    )


def _notes(
    decided: dict[int, list[int]], failures: Counter[tuple[str, str]], working: int
) -> tuple[str, ...]:
    passed = sum(p for p, _ in decided.values())
    failed = sum(f for _, f in decided.values())
    share = _share_passed(passed, failed)
    notes = [
        f"{working} working days in the period.",
        f"All: {passed} of {passed + failed} checks passed"
        + (f" ({share:.1f}%)." if share is not None else "."),
    ]
    if failures:
        named = Counter[str]()
        for (kind, category), n in failures.items():
            named[_category_label(kind, category)] += n
        worst = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))
        notes.append("Failures by category: " + ", ".join(f"{c} {n}" for c, n in worst) + ".")
    return tuple(notes)
