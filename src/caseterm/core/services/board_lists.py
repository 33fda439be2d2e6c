"""The rows behind one of the board's figures: the tasks, missed appointments, payments, clocks,
letters or sampled checks it counted on a day. Restricted cases are counted, never listed: the
rows of cases the actor may not see are left out and counted in `hidden`.

One reader serves every figure: each figure names its query (columns only, no ORM objects: a
figure can stand for thousands of rows) and how a row reads; the reader applies the
restricted-case rule once for all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    CaseClock,
    CaseFile,
    Document,
    Payment,
    Person,
    Staff,
    Task,
    WorkCheck,
)
from caseterm.core.models.money import is_cash
from caseterm.core.models.vocab import ClockStatus, TaskStatus
from caseterm.core.rules import checks as check_rules
from caseterm.core.rules.catalogue import TASK_KINDS, label
from caseterm.core.services import access
from caseterm.core.services.board_scope import (
    MISSED,
    Scope,
    appointment_scope,
    case_scope,
    check_scope,
    day_start,
    open_at_end_of,
    task_scope,
)
from caseterm.core.services.identity import Actor

LISTABLE = {
    "received": "Work received",
    "completed": "Completed",
    "in_progress": "In progress",
    "unallocated": "Unallocated",
    "overdue": "Overdue",
    "failed_to_attend": "Failed to attend",
    "money_taken": "Money taken",
    "deadlines_met": "Deadlines met",
    "deadlines_missed": "Deadlines missed",
    "letters_issued": "Letters issued",
    "letters_checked": "Letters checked",
    "checks_passed": "Checks passed",
    "checks_failed": "Checks failed",
}
LIST_LIMIT = 2000
# The figures that count tasks: their lists open as queues (`board_queue`).
TASK_FIGURES = ("received", "completed", "in_progress", "unallocated", "overdue")


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


def board_list(
    session: Session, actor: Actor, *, scope: Scope, figure: str, day: date | None = None
) -> Listed:
    """The rows behind one of the board's figures on `day`: what it counted, less the rows of
    restricted cases the actor may not see (counted in `hidden`)."""
    actor.require("case.read")
    name = figure_label(figure)
    day = day or clock.today()
    if figure == "failed_to_attend":
        query, read = _appointments(session, scope, day)
    elif figure == "money_taken":
        query, read = _payments(session, scope, day)
    elif figure.startswith("deadlines_"):
        query, read = _clocks(session, scope, figure, day)
    elif figure.startswith("letters_"):
        query, read = _letters(session, scope, figure, day)
    elif figure.startswith("checks_"):
        query, read = _checks(session, scope, figure, day)
    else:
        query, read = _tasks(session, scope, figure, day)
    rows, hidden = _listed(session, actor, query, read)
    return Listed(figure, name, day, tuple(rows[:LIST_LIMIT]), hidden)


def figure_label(figure: str) -> str:
    """What a figure's list is called: one of LISTABLE, an ageing bucket or a person's completed
    tasks (`board_drill`); anything else is refused, naming the choices."""
    from caseterm.core.services import board_drill

    if figure in LISTABLE:
        return LISTABLE[figure]
    if board_drill.is_drill_figure(figure):
        return board_drill.drill_label(figure)
    choices = ", ".join([*LISTABLE, *board_drill.AGEING_FIGURES, "completed_by_ID"])
    raise ValidationError("figure", f"no figure {figure!r}; choose from {choices}")


# Every query below starts with the same three columns: the case's id, whether it is restricted,
# and the case reference; `read` turns the rest of a row into a ListedRow.
Reader = Callable[[Any], ListedRow]
_CASE = (col(CaseFile.id), col(CaseFile.restricted), col(CaseFile.reference))


def _listed(
    session: Session, actor: Actor, query: Any, read: Reader
) -> tuple[list[ListedRow], int]:
    rows: list[ListedRow] = []
    hidden = 0
    for row in session.execute(query).all():
        case_id, restricted = row[0], row[1]
        if restricted and case_id is not None:
            case = session.get(CaseFile, case_id)
            if case is not None and not access.can_see(session, actor, case):
                hidden += 1
                continue
        rows.append(read(row))
    return rows, hidden


def _full_name(given: str | None, family: str | None) -> str:
    return f"{given or ''} {family or ''}".strip() if given is not None else ""


def task_figure_where(figure: str, day: date) -> list[Any]:
    """What picks the tasks a task figure counted on `day`, whoever's they are (add the scope's
    condition, `board_scope.task_scope`). Shared by the lists and the queues behind figures.
    The ageing buckets' and the people's lists are task figures too (`board_drill`)."""
    from caseterm.core.services import board_drill

    if board_drill.is_drill_figure(figure):
        return board_drill.drill_where(figure, day)
    if figure not in TASK_FIGURES:
        raise ValidationError("figure", f"{figure!r} does not count tasks")
    start, end = day_start(day), day_start(day + timedelta(days=1))
    if figure == "received":
        return [col(Task.created_at) >= start, col(Task.created_at) < end]
    if figure == "completed":
        return [
            col(Task.status) == TaskStatus.DONE,
            col(Task.completed_at) >= start,
            col(Task.completed_at) < end,
        ]
    if figure == "in_progress":
        return [open_at_end_of(day), col(Task.assignee_id).is_not(None)]
    if figure == "unallocated":
        return [open_at_end_of(day), col(Task.assignee_id).is_(None)]
    return [open_at_end_of(day), col(Task.due_date) < day]


def _tasks(session: Session, scope: Scope, figure: str, day: date) -> tuple[Any, Reader]:
    where: list[Any] = [task_scope(session, scope), *task_figure_where(figure, day)]
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(Task.id),
            col(Task.case_id),
            col(Task.about_name),
            col(Task.kind),
            col(Task.title),
            col(Staff.name),
            col(Task.due_date),
            col(Task.status),
        )
        .select_from(Task)
        .outerjoin(CaseFile, col(CaseFile.id) == col(Task.case_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .outerjoin(Staff, col(Staff.id) == col(Task.assignee_id))
        .where(*where)
        .order_by(col(Task.due_date), col(Task.id))
    )

    def read(r: Any) -> ListedRow:
        _, _, reference, given, family, id_, case_id, about, kind, title, who, due, status = r
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference or "",
            subject=_full_name(given, family) if given is not None else (about or ""),
            what=f"{label(TASK_KINDS, kind)}: {title}",
            who=who or "",
            when=due,
            status=status,
        )

    return query, read


def _appointments(session: Session, scope: Scope, day: date) -> tuple[Any, Reader]:
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(Appointment.id),
            col(Appointment.case_id),
            col(Appointment.kind),
            col(Staff.name),
            col(Appointment.starts_at),
            col(Appointment.status),
        )
        .select_from(Appointment)
        .outerjoin(CaseFile, col(CaseFile.id) == col(Appointment.case_id))
        .outerjoin(Person, col(Person.id) == col(Appointment.person_id))
        .join(Staff, col(Staff.id) == col(Appointment.staff_id))
        .where(
            appointment_scope(session, scope),
            col(Appointment.status) == MISSED,
            col(Appointment.starts_at) >= day_start(day),
            col(Appointment.starts_at) < day_start(day + timedelta(days=1)),
        )
        .order_by(col(Appointment.starts_at))
    )

    def read(r: Any) -> ListedRow:
        _, _, reference, given, family, id_, case_id, kind, who, starts_at, status = r
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference or "",
            subject=_full_name(given, family),
            what=kind.replace("_", " "),
            who=who,
            when=starts_at,
            status=status,
        )

    return query, read


def _payments(session: Session, scope: Scope, day: date) -> tuple[Any, Reader]:
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(Payment.id),
            col(Payment.method),
            col(Payment.reference),
            col(Payment.paid_on),
            col(Payment.amount_pence),
        )
        .select_from(Payment)
        .join(CaseFile, col(CaseFile.id) == col(Payment.case_id))
        .join(Person, col(Person.id) == col(CaseFile.subject_id))
        .where(case_scope(session, scope), col(Payment.paid_on) == day, is_cash())
        .order_by(col(Payment.id))
    )

    def read(r: Any) -> ListedRow:
        case_id, _, reference, given, family, id_, method, paid_ref, paid_on, amount = r
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference,
            subject=_full_name(given, family),
            what=f"payment ({method or 'method not recorded'})",
            who=paid_ref,
            when=paid_on,
            status="paid",
            amount_pence=amount,
        )

    return query, read


def _clocks(session: Session, scope: Scope, figure: str, day: date) -> tuple[Any, Reader]:
    status = ClockStatus.MET if figure == "deadlines_met" else ClockStatus.LATE
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(CaseClock.id),
            col(CaseClock.label),
            col(CaseClock.due_date),
            col(CaseClock.late_by),
            col(CaseClock.stopped_on),
            col(CaseClock.status),
        )
        .select_from(CaseClock)
        .join(CaseFile, col(CaseFile.id) == col(CaseClock.case_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .where(
            case_scope(session, scope),
            col(CaseClock.status) == status,
            col(CaseClock.stopped_on) == day,
        )
        .order_by(col(CaseClock.due_date), col(CaseClock.id))
    )

    def read(r: Any) -> ListedRow:
        case_id, _, reference, given, family, id_, what, due, late_by, stopped, status_ = r
        late = f", {late_by} working days late" if late_by else ""
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference,
            subject=_full_name(given, family),
            what=f"{what} (due {due:%d/%m/%Y}{late})",
            who="",
            when=stopped,
            status=status_,
        )

    return query, read


def _letters(session: Session, scope: Scope, figure: str, day: date) -> tuple[Any, Reader]:
    issued = figure == "letters_issued"
    when = col(Document.issued_at) if issued else col(Document.checked_at)
    person = col(Document.created_by_id) if issued else col(Document.checked_by_id)
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(Document.id),
            col(Document.title),
            col(Staff.name),
            when,
            col(Document.status),
        )
        .select_from(Document)
        .join(CaseFile, col(CaseFile.id) == col(Document.case_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .outerjoin(Staff, col(Staff.id) == person)
        .where(
            case_scope(session, scope),
            col(Document.kind) == "letter",
            when >= day_start(day),
            when < day_start(day + timedelta(days=1)),
        )
        .order_by(when, col(Document.id))
    )

    def read(r: Any) -> ListedRow:
        case_id, _, reference, given, family, id_, title, who, at, status = r
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference,
            subject=_full_name(given, family),
            what=f"letter: {title}",
            who=who or "",
            when=at,
            status=status,
        )

    return query, read


def _checks(session: Session, scope: Scope, figure: str, day: date) -> tuple[Any, Reader]:
    status = "passed" if figure == "checks_passed" else "failed"
    query = (
        select(
            *_CASE,
            col(Person.given_name),
            col(Person.family_name),
            col(WorkCheck.id),
            col(WorkCheck.work_kind),
            col(WorkCheck.item_id),
            col(WorkCheck.category),
            col(Staff.name),
            col(WorkCheck.checked_at),
            col(WorkCheck.status),
        )
        .select_from(WorkCheck)
        .outerjoin(CaseFile, col(CaseFile.id) == col(WorkCheck.case_id))
        .outerjoin(Person, col(Person.id) == col(CaseFile.subject_id))
        .join(Staff, col(Staff.id) == col(WorkCheck.officer_id))
        .where(
            check_scope(session, scope),
            col(WorkCheck.status) == status,
            col(WorkCheck.checked_at) >= day_start(day),
            col(WorkCheck.checked_at) < day_start(day + timedelta(days=1)),
        )
        .order_by(col(WorkCheck.checked_at), col(WorkCheck.id))
    )

    def read(r: Any) -> ListedRow:
        case_id, _, reference, given, family, id_, kind, item, category, who, at, status_ = r
        known = check_rules.work_kinds().get(kind)
        what = f"{known.label if known else kind} #{item}"
        if category:
            what += f": {dict(known.categories).get(category, category) if known else category}"
        what += f" (check #{id_})"
        return ListedRow(
            id=id_,
            case_id=case_id,
            reference=reference or "",
            subject=_full_name(given, family),
            what=what,
            who=who or "",
            when=at,
            status=status_,
        )

    return query, read
