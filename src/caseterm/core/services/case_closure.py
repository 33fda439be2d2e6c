"""Closing a case with a checklist per reason, and reopening it (seed 000 "termination", seed
001 "on death of patient").

Closing starts with a reason from the case type's list (`rules.case_lifecycle`); its steps are
then ticked (who, when) or waived with a reason, and only when no mandatory step is left does
`close_case` close it. Some steps do their work when ticked: notify the police (a contact
entry), cancel future appointments (their staff are notified), close open tasks, stop outgoing
letters. Death needs the person's date of death recorded first, and starts the same checklist
on every other open case of theirs. A closed case is read-only until reopened with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, CaseType, Document, Person, Staff, Task
from caseterm.core.models.case_lifecycle import CaseClosure, ClosureStep
from caseterm.core.models.vocab import (
    ACTIVE_APPOINTMENT_STATUSES,
    ACTIVE_TASK_STATUSES,
    CaseStatus,
    ClosureStatus,
    ContactType,
    DocumentStatus,
    StepState,
)
from caseterm.core.rules import case_lifecycle as rules
from caseterm.core.rules.case_lifecycle import ClosureReason
from caseterm.core.services import audit, contacts, diary, tasks
from caseterm.core.services.access import can_see, ensure_can_see
from caseterm.core.services.case_edit import ensure_editable
from caseterm.core.services.cases import finish_change, load_for_change
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

CLOSABLE = (CaseStatus.REFERRAL, CaseStatus.OPEN)


@dataclass(frozen=True)
class StepInfo:
    step_id: int
    code: str
    label: str
    mandatory: bool
    state: str
    done_by: str | None
    done_at: datetime | None
    note: str


@dataclass(frozen=True)
class ClosureInfo:
    closure_id: int
    case_id: int
    reference: str
    reason: str
    reason_label: str
    status: str
    steps: tuple[StepInfo, ...]
    case_status: str
    case_version: int
    also_started: tuple[str, ...] = ()  # other cases of a deceased person now closing too

    @property
    def outstanding(self) -> tuple[StepInfo, ...]:
        return tuple(s for s in self.steps if s.mandatory and s.state == StepState.PENDING)


@dataclass(frozen=True)
class ReasonInfo:
    code: str
    label: str
    steps: tuple[str, ...]
    needs_date_of_death: bool


def _case_type_code(session: Session, case: CaseFile) -> str:
    return get(session, CaseType, case.case_type_id, "case type").code


def reasons_for_case(session: Session, actor: Actor, *, case_id: int) -> list[ReasonInfo]:
    """The reasons this case's type may close with, and each one's steps."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    return [
        ReasonInfo(r.code, r.label, tuple(s.label for s in r.steps), r.needs_date_of_death)
        for r in rules.closure_reasons(_case_type_code(session, case))
    ]


def _current(session: Session, case_id: int) -> CaseClosure | None:
    return session.exec(
        select(CaseClosure).where(
            CaseClosure.case_id == case_id, CaseClosure.status == ClosureStatus.IN_PROGRESS
        )
    ).first()


def _info(
    session: Session, closure: CaseClosure, case: CaseFile, also: tuple[str, ...] = ()
) -> ClosureInfo:
    rows = session.exec(
        select(ClosureStep, Staff)
        .outerjoin(Staff, col(Staff.id) == col(ClosureStep.done_by_id))
        .where(ClosureStep.closure_id == closure.id)
        .order_by(col(ClosureStep.position))
    ).all()
    steps = tuple(
        StepInfo(
            step.id or 0,
            step.code,
            step.label,
            step.mandatory,
            step.state,
            staff.name if staff else None,
            step.done_at,
            step.note,
        )
        for step, staff in rows
    )
    assert closure.id is not None and case.id is not None
    return ClosureInfo(
        closure.id,
        case.id,
        case.reference,
        closure.reason,
        closure.reason_label,
        closure.status,
        steps,
        case.status,
        case.version,
        also,
    )


def _check_death(session: Session, case: CaseFile) -> Person:
    person = get(session, Person, case.subject_id, "person")
    if person.date_of_death is None:
        raise ValidationError(
            "date_of_death",
            f"{person.full_name}'s date of death is not recorded: record it on the person "
            f"first (caseterm person edit {person.id} --date-of-death DD/MM/YYYY, or p on the "
            "case screen), then close for death",
        )
    return person


def _begin(session: Session, actor: Actor, case: CaseFile, reason: ClosureReason) -> CaseClosure:
    closure = CaseClosure(
        case_id=case.id or 0,
        reason=reason.code,
        reason_label=reason.label,
        started_at=clock.now(),
        started_by_id=actor.id,
    )
    session.add(closure)
    session.flush()
    for position, spec in enumerate(reason.steps):
        session.add(
            ClosureStep(
                closure_id=closure.id or 0,
                position=position,
                code=spec.code,
                label=spec.label,
                mandatory=spec.mandatory,
                action=spec.action,
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "case.closure_start",
        "case",
        case.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: closing ({reason.label}), {len(reason.steps)} steps",
    )
    return closure


def start_closure(session: Session, actor: Actor, *, case_id: int, reason: str) -> ClosureInfo:
    """Start closing a case for `reason` (a code from its case type's list): its checklist is
    made, to be ticked or waived. Death needs the date of death recorded and starts the same
    checklist on the person's other open cases."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    ensure_editable(case)
    if case.status not in CLOSABLE:
        raise ValidationError("status", f"a {case.status.replace('_', ' ')} case cannot be closed")
    spec = rules.closure_reason(_case_type_code(session, case), reason)
    if spec is None:
        codes = ", ".join(r.code for r in rules.closure_reasons(_case_type_code(session, case)))
        raise ValidationError("reason", f"unknown closure reason {reason!r}; use one of {codes}")
    if _current(session, case_id) is not None:
        raise ValidationError("reason", f"{case.reference} is being closed already")
    if spec.needs_date_of_death:
        _check_death(session, case)
    closure = _begin(session, actor, case, spec)
    also: list[str] = []
    if spec.needs_date_of_death:
        others = session.exec(
            select(CaseFile).where(
                CaseFile.subject_id == case.subject_id,
                col(CaseFile.id) != case_id,
                col(CaseFile.status).in_(CLOSABLE),
            )
        ).all()
        for other in others:
            other_spec = rules.closure_reason(_case_type_code(session, other), spec.code)
            if (
                other_spec
                and _current(session, other.id or 0) is None
                and can_see(session, actor, other)
            ):
                _begin(session, actor, other, other_spec)
                also.append(other.reference)
    return _info(session, closure, case, tuple(also))


def closure_in_progress(session: Session, case: CaseFile) -> ClosureInfo | None:
    """The closure under way on `case` (the caller has checked access), or None."""
    closure = _current(session, case.id or 0)
    return _info(session, closure, case) if closure is not None else None


def closure_checklist(session: Session, actor: Actor, *, case_id: int) -> ClosureInfo | None:
    """The closure in progress on a case (or the last one, if it is closed), or None."""
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    closure = (
        _current(session, case_id)
        or session.exec(
            select(CaseClosure)
            .where(CaseClosure.case_id == case_id)
            .order_by(col(CaseClosure.id).desc())
        ).first()
    )
    return _info(session, closure, case) if closure is not None else None


def _step(
    session: Session, actor: Actor, case_id: int, code: str
) -> tuple[CaseFile, CaseClosure, ClosureStep]:
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    closure = _current(session, case_id)
    if closure is None:
        raise ValidationError("step", f"{case.reference} is not being closed: start closing it")
    step = session.exec(
        select(ClosureStep).where(ClosureStep.closure_id == closure.id, ClosureStep.code == code)
    ).first()
    if step is None:
        codes = ", ".join(
            session.exec(select(ClosureStep.code).where(ClosureStep.closure_id == closure.id))
        )
        raise ValidationError("step", f"no step {code!r} on this closure; steps: {codes}")
    if step.state != StepState.PENDING:
        raise ValidationError("step", f"{step.label!r} is {step.state} already")
    return case, closure, step


def _do_action(session: Session, actor: Actor, case: CaseFile, action: str, note: str) -> str:
    """What ticking a step with an action does; returns what it did, for the step's note."""
    case_id = case.id or 0
    if action == rules.NOTIFY_POLICE:
        person = get(session, Person, case.subject_id, "person")
        died = f" on {person.date_of_death:%d/%m/%Y}" if person.date_of_death else ""
        entry = contacts.log_contact(
            session,
            actor,
            case_id=case_id,
            contact_type=ContactType.PHONE_OUT,
            notes=f"Police notified of the death of {person.full_name}{died}. {note}".strip(),
        )
        return f"contact entry #{entry.id}"
    if action == rules.CANCEL_APPOINTMENTS:
        future = session.exec(
            select(Appointment.id, Appointment.version).where(
                Appointment.case_id == case_id,
                col(Appointment.starts_at) >= clock.now(),
                col(Appointment.status).in_(ACTIVE_APPOINTMENT_STATUSES),
            )
        ).all()
        for appointment_id, _version in future:
            diary.cancel_appointment(
                session,
                actor,
                appointment_id=appointment_id or 0,
                reason=f"case {case.reference} closing",
            )
        return f"{len(future)} appointment(s) cancelled"
    if action == rules.CLOSE_TASKS:
        open_ids = session.exec(
            select(Task.id).where(
                Task.case_id == case_id, col(Task.status).in_(ACTIVE_TASK_STATUSES)
            )
        ).all()
        for task_id in open_ids:
            tasks.cancel_task(
                session, actor, task_id=task_id or 0, reason=f"case {case.reference} closing"
            )
        return f"{len(open_ids)} task(s) closed"
    if action == rules.STOP_LETTERS:
        held = session.exec(
            select(Document.id).where(
                Document.case_id == case_id, col(Document.status) != DocumentStatus.ISSUED
            )
        ).all()
        return f"{len(held)} unissued letter(s) held; none may be issued to a deceased person"
    return ""


def tick_step(
    session: Session, actor: Actor, *, case_id: int, step: str, note: str = ""
) -> ClosureInfo:
    """Tick a closure step as done (who, when), doing its work if it has any."""
    case, closure, row = _step(session, actor, case_id, step)
    note = clean_line("note", note, required=False, limit=200)
    did = _do_action(session, actor, case, row.action, note)
    row.state = StepState.DONE
    row.done_at, row.done_by_id = clock.now(), actor.id
    row.note = clean_line("note", "; ".join(x for x in (did, note) if x), required=False)
    session.flush()
    audit.record(
        session,
        actor,
        "case.closure_step",
        "case",
        case_id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: done: {row.label}" + (f" ({did})" if did else ""),
    )
    return _info(session, closure, case)


def waive_step(
    session: Session, actor: Actor, *, case_id: int, step: str, reason: str
) -> ClosureInfo:
    """Waive a closure step, with the reason it does not apply."""
    case, closure, row = _step(session, actor, case_id, step)
    row.note = clean_line("reason", reason, limit=300)
    row.state = StepState.WAIVED
    row.done_at, row.done_by_id = clock.now(), actor.id
    session.flush()
    audit.record(
        session,
        actor,
        "case.closure_waive",
        "case",
        case_id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: waived: {row.label}: {row.note}",
    )
    return _info(session, closure, case)


def close_case(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    note: str = "",
    expected_version: int | None = None,
) -> ClosureInfo:
    """Close the case once every mandatory step of its closure is ticked or waived."""
    case, before = load_for_change(session, actor, case_id, expected_version)
    ensure_editable(case)
    closure = _current(session, case_id)
    if closure is None:
        raise ValidationError(
            "reason", f"{case.reference} is not being closed: start closing it with a reason"
        )
    info = _info(session, closure, case)
    if info.outstanding:
        left = "; ".join(s.label for s in info.outstanding)
        raise ValidationError("checklist", f"mandatory steps not ticked or waived: {left}")
    if closure.reason == rules.DEATH_CODE:
        _check_death(session, case)
    closure.status = ClosureStatus.CLOSED
    closure.closed_at, closure.closed_by_id = clock.now(), actor.id
    closure.note = clean_line("note", note, required=False, limit=500)
    case.status = CaseStatus.CLOSED
    case.status_reason = closure.reason_label
    case.closed_on = clock.today()
    finish_change(session, actor, case, before, "case.closed", f"closed: {closure.reason_label}")
    return _info(session, closure, case)


def reopen_case(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    reason: str,
    expected_version: int | None = None,
) -> ClosureInfo | None:
    """Reopen a closed case with a reason (an archived one stays closed), or give up closing
    one whose checklist is under way."""
    case, before = load_for_change(session, actor, case_id, expected_version)
    why = clean_line("reason", reason, limit=300)
    closure = _current(session, case_id)
    if case.status == CaseStatus.ARCHIVED:
        raise ValidationError("status", f"{case.reference} is archived and cannot be reopened")
    if case.status != CaseStatus.CLOSED and closure is None:
        raise ValidationError("status", f"{case.reference} is {case.status}, not closed")
    if closure is not None:
        closure.status = ClosureStatus.ABANDONED
        closure.note = clean_line("note", f"not closed: {why}", limit=500)
    case.status = CaseStatus.OPEN
    case.status_reason = why
    case.closed_on = None
    finish_change(session, actor, case, before, "case.reopen", f"reopened: {why}")
    last = (
        closure
        or session.exec(
            select(CaseClosure)
            .where(CaseClosure.case_id == case_id)
            .order_by(col(CaseClosure.id).desc())
        ).first()
    )
    return _info(session, last, case) if last is not None else None
