"""Sampled checks from the checker's side: the checks awaiting me, one check with its checklist,
passing or failing it (a failure raises a rework task to the officer), and the accuracy figures
per officer and team that the outcomes make."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, or_, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from caseterm.core.models import CaseFile, ContactEntry, Payment, Staff, Task, Team, WorkCheck
from caseterm.core.models.vocab import TaskKind
from caseterm.core.rules import checks as rules
from caseterm.core.rules.catalogue import CONTACT_TYPES, OUTCOMES, TASK_KINDS
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.access import can_see
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_notes

PENDING, PASSED, FAILED = "pending", "passed", "failed"
SENSITIVE = "(sensitive: open the case to read)"
REWORK_WORKING_DAYS = 5  # a failed item's rework is due this many working days on


@dataclass(frozen=True)
class SampledCheckRow:
    id: int
    drawn_for: date
    work_kind: str
    work_label: str
    item_id: int
    reference: str
    officer: str


@dataclass(frozen=True)
class CheckInfo:
    id: int
    drawn_for: date
    team: str
    work_kind: str
    work_label: str
    item_id: int
    reference: str
    about: str  # what the item of work was, in a line
    officer: str
    checker: str
    status: str
    category: str
    notes: str
    checked_by: str
    checked_at: datetime | None
    rework_task_id: int | None
    categories: tuple[tuple[str, str], ...]
    # The item of work in words, as (label, value) lines: what the checker reads before deciding.
    work: tuple[tuple[str, str], ...] = ()
    case_id: int | None = None


@dataclass(frozen=True)
class OfficerAccuracy:
    officer: str
    name: str
    checked: int
    passed: int
    failed: int
    percent: float | None  # passed / checked × 100; None when nothing was checked


@dataclass(frozen=True)
class Accuracy:
    team: str
    date_from: date
    date_to: date
    officers: list[OfficerAccuracy]
    total: OfficerAccuracy
    failures_by_category: dict[str, int]


def _label(work_kind: str) -> str:
    kind = rules.work_kinds().get(work_kind)
    return kind.label if kind else work_kind


def checks_awaiting(session: Session, actor: Actor) -> list[SampledCheckRow]:
    """Pending sampled checks for `actor`: those drawn to them, and their team's undrawn-to-anyone
    ones; never a check of their own work; oldest first; restricted cases they cannot see left
    out."""
    actor.require("document.check")
    mine = col(WorkCheck.checker_id) == actor.id
    pool = (
        (col(WorkCheck.checker_id).is_(None)) & (col(WorkCheck.team_id) == actor.team_id)
        if actor.team_id is not None
        else col(WorkCheck.checker_id).is_(None)
    )
    rows = session.exec(
        select(WorkCheck, CaseFile, Staff.name)
        .outerjoin(CaseFile, col(CaseFile.id) == WorkCheck.case_id)
        .join(Staff, col(Staff.id) == WorkCheck.officer_id)
        .where(WorkCheck.status == PENDING, WorkCheck.officer_id != actor.id, or_(mine, pool))
        .order_by(col(WorkCheck.drawn_for), col(WorkCheck.id))
    ).all()
    return [
        SampledCheckRow(
            check.id or 0,
            check.drawn_for,
            check.work_kind,
            _label(check.work_kind),
            check.item_id,
            case.reference if case else "",
            officer,
        )
        for check, case, officer in rows
        if case is None or not case.restricted or can_see(session, actor, case)
    ]


def _about(session: Session, check: WorkCheck) -> str:
    if check.work_kind == "task":
        task = session.get(Task, check.item_id)
        return f"Task #{check.item_id}: {task.title} — {task.outcome}" if task else ""
    if check.work_kind == "contact":
        entry = session.get(ContactEntry, check.item_id)
        if entry is None:
            return ""
        notes = entry.notes if not entry.sensitive else "(sensitive)"
        return f"Contact #{check.item_id}: {entry.contact_type} {entry.outcome} — {notes[:200]}"
    pay = session.get(Payment, check.item_id)
    return f"Write-off #{check.item_id}: £{pay.amount_pence / 100:.2f}" if pay else ""


def _when(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else "-"


def _work(session: Session, check: WorkCheck) -> tuple[tuple[str, str], ...]:
    """The item of work checked, field by field (a sensitive contact's notes are not shown)."""
    if check.work_kind == "task":
        task = session.get(Task, check.item_id)
        if task is None:
            return (("Task", f"#{check.item_id} no longer exists"),)
        done_by = staff_name(session, task.completed_by_id)
        return (
            ("Task", f"#{task.id} {TASK_KINDS.get(task.kind, task.kind)}"),
            ("Title", task.title),
            ("Details", task.details[:1000] or "-"),
            ("Due", task.due_date.strftime("%d/%m/%Y") if task.due_date else "-"),
            ("Completed", f"{_when(task.completed_at)} by {done_by or '-'}"),
            ("Outcome", task.outcome or "-"),
        )
    if check.work_kind == "contact":
        entry = session.get(ContactEntry, check.item_id)
        if entry is None:
            return (("Contact", f"#{check.item_id} no longer exists"),)
        return (
            ("Contact", f"#{entry.id} {CONTACT_TYPES.get(entry.contact_type, entry.contact_type)}"),
            ("Outcome", OUTCOMES.get(entry.outcome, entry.outcome) or "-"),
            ("When", _when(entry.occurred_at)),
            ("Logged", f"{_when(entry.logged_at)} by {staff_name(session, entry.staff_id)}"),
            (
                "Notes",
                "(sensitive: open the case to read)" if entry.sensitive else entry.notes[:1000],
            ),
        )
    pay = session.get(Payment, check.item_id)
    if pay is None:
        return (("Write-off", f"#{check.item_id} no longer exists"),)
    return (
        ("Write-off", f"#{pay.id} of £{pay.amount_pence / 100:,.2f}"),
        ("On", pay.paid_on.strftime("%d/%m/%Y")),
        ("Reason", pay.reason or "-"),
        ("Reference", pay.reference or "-"),
        ("Made", f"{_when(pay.created_at)} by {staff_name(session, pay.created_by_id) or '-'}"),
    )


def _check(session: Session, actor: Actor, check_id: int) -> tuple[WorkCheck, CaseFile | None]:
    check = get(session, WorkCheck, check_id, "check")
    case = session.get(CaseFile, check.case_id) if check.case_id is not None else None
    if case is not None and case.restricted and not can_see(session, actor, case):
        raise NotFoundError("check", check_id)
    return check, case


def show_check(session: Session, actor: Actor, *, check_id: int) -> CheckInfo:
    """One check: the item of work, who did it, the outcome so far and the checklist."""
    actor.require("document.check")
    check, case = _check(session, actor, check_id)
    team = session.get(Team, check.team_id)
    kind = rules.work_kinds().get(check.work_kind)
    return CheckInfo(
        id=check.id or 0,
        drawn_for=check.drawn_for,
        team=team.code if team else "",
        work_kind=check.work_kind,
        work_label=_label(check.work_kind),
        item_id=check.item_id,
        reference=case.reference if case else "",
        about=_about(session, check),
        officer=staff_name(session, check.officer_id),
        checker=staff_name(session, check.checker_id),
        status=check.status,
        category=check.category,
        notes=check.notes,
        checked_by=staff_name(session, check.checked_by_id),
        checked_at=check.checked_at,
        rework_task_id=check.rework_task_id,
        categories=kind.categories if kind else (),
        work=_work(session, check),
        case_id=check.case_id,
    )


def _decide(
    session: Session, actor: Actor, check_id: int, outcome: str, category: str, notes: str
) -> CheckInfo:
    actor.require("document.check")
    check, case = _check(session, actor, check_id)
    if check.officer_id == actor.id:
        raise PermissionDeniedError("you cannot check your own work")
    if check.status != PENDING:
        raise ValidationError("check", f"check #{check_id} is already {check.status}")
    if check.checker_id is not None and check.checker_id != actor.id:
        raise PermissionDeniedError(
            f"check #{check_id} was drawn to {staff_name(session, check.checker_id)}"
        )
    codes = [code for code, _ in rules.work_kinds()[check.work_kind].categories]
    if outcome == FAILED and category not in codes:
        raise ValidationError(
            "category", f"{category or '(none)'} is not one of {', '.join(codes)}"
        )
    if outcome == PASSED and category:
        raise ValidationError("category", "a passed check has no error category")
    cleaned = clean_notes("notes", notes, required=outcome == FAILED, limit=2000)
    check.status = outcome
    check.category = category
    check.notes = cleaned
    check.checked_at = clock.now()
    check.checked_by_id = actor.id
    if outcome == FAILED:
        label = dict(rules.work_kinds()[check.work_kind].categories)[category]
        task = insert_task(
            session,
            actor,
            kind=TaskKind.REWORK,
            title=f"Rework: {_label(check.work_kind).lower()} #{check.item_id} ({label})",
            case_id=check.case_id,
            assignee_id=check.officer_id,
            team_id=check.team_id,
            office_id=case.office_id if case else None,
            due_date=add_working_days(clock.today(), REWORK_WORKING_DAYS),
            priority=2,
            details=check.notes,
            source=f"check:{check.id}",
        )
        check.rework_task_id = task.id
    session.add(check)
    session.flush()
    audit.record(
        session,
        actor,
        f"check.{outcome}",
        "work_check",
        check.id,
        case_id=check.case_id,
        summary=f"check #{check.id} {outcome}" + (f" ({category})" if category else ""),
        before={"status": PENDING},
        after={"status": outcome, "category": category, "rework_task": check.rework_task_id},
    )
    return show_check(session, actor, check_id=check_id)


def pass_check(session: Session, actor: Actor, *, check_id: int, notes: str = "") -> CheckInfo:
    """The item of work was right."""
    return _decide(session, actor, check_id, PASSED, "", notes)


def fail_check(
    session: Session, actor: Actor, *, check_id: int, category: str, notes: str
) -> CheckInfo:
    """The item of work was wrong under `category` (the work kind's checklist); notes say what
    to put right. Raises a rework task to the officer who did it."""
    return _decide(session, actor, check_id, FAILED, category, notes)


def accuracy(
    session: Session, actor: Actor, *, team: str, date_from: date, date_to: date
) -> Accuracy:
    """Checks decided from `date_from` to `date_to` (inclusive) on a team's work: passed,
    failed and the share passed, per officer and for the team, and the failures by category."""
    actor.require("audit.read")
    if date_to < date_from:
        raise ValidationError("to", "is before the start of the period")
    the_team = session.exec(select(Team).where(Team.code == team)).first()
    if the_team is None:
        raise NotFoundError("team", team)
    start = datetime.combine(date_from, time())
    end = datetime.combine(date_to + timedelta(days=1), time())
    rows = session.exec(
        select(Staff.login, Staff.name, WorkCheck.status, WorkCheck.category)
        .join(Staff, col(Staff.id) == WorkCheck.officer_id)
        .where(
            WorkCheck.team_id == the_team.id,
            col(WorkCheck.checked_at) >= start,
            col(WorkCheck.checked_at) < end,
        )
    ).all()
    per: dict[str, tuple[str, Counter[str]]] = {}
    categories: Counter[str] = Counter()
    for login, name, status, category in rows:
        per.setdefault(login, (name, Counter()))[1][status] += 1
        if status == FAILED:
            categories[category] += 1

    def figures(login: str, name: str, counts: Counter[str]) -> OfficerAccuracy:
        checked = counts[PASSED] + counts[FAILED]
        pct = round(100 * counts[PASSED] / checked, 1) if checked else None
        return OfficerAccuracy(login, name, checked, counts[PASSED], counts[FAILED], pct)

    total: Counter[str] = Counter()
    for _, counts in per.values():
        total.update(counts)
    return Accuracy(
        team=team,
        date_from=date_from,
        date_to=date_to,
        officers=[figures(login, *per[login]) for login in sorted(per)],
        total=figures("", "Team", total),
        failures_by_category=dict(sorted(categories.items())),
    )
