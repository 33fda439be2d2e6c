"""The officer's decision on an enforcement step the money run proposed (issue 14): confirm it
(the step's stock letter is drafted from its template and sent for checking, so it appears in
Checks awaiting me; the step's task is done) or reject it with a reason (the task is cancelled).
Either way the path moves on: its next step follows the days after this decision. To stop
enforcement for a while, hold the account instead (`enforcement_hold`).

A step whose action names no template, or whose template is missing or cannot be merged (a
field with no value), still confirms, and the result says so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, CaseType, EnforcementStep
from caseterm.core.services import audit, letters, tasks
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get
from caseterm.core.services.enforcement_state import (
    CONFIRMED,
    PROPOSED,
    REJECTED,
    StepState,
    step_states,
)
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_tasks import template_for_letter
from caseterm.core.text import clean_line

STEP_FIELDS = ("status", "decided_on", "decided_by_id", "reason", "document_id")


@dataclass(frozen=True)
class StepDecision:
    case_id: int
    reference: str
    step_id: int
    number: int
    action: str
    label: str
    status: str  # confirmed | rejected
    task_id: int | None
    letter_id: int | None  # the letter drafted and sent for checking
    letter_title: str
    letter_note: str  # why no letter was drafted ("" when one was)

    def words(self) -> str:
        if self.status == REJECTED:
            return f"{self.label} rejected on {self.reference}"
        letter = (
            f"; letter #{self.letter_id} ({self.letter_title}) sent for checking"
            if self.letter_id
            else f"; {self.letter_note}"
            if self.letter_note
            else ""
        )
        return f"{self.label} confirmed on {self.reference}{letter}"


def _pending(session: Session, actor: Actor, case_id: int) -> tuple[CaseFile, StepState]:
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    steps = step_states(session, [case_id]).get(case_id, [])
    if not steps or steps[-1].status != PROPOSED:
        last = f" (last: {steps[-1].words()})" if steps else ""
        raise ValidationError(
            "enforcement step", f"{case.reference} has no step awaiting the officer{last}"
        )
    return case, steps[-1]


def _draft(
    session: Session,
    actor: Actor,
    case: CaseFile,
    step: StepState,
    extra: dict[str, str] | None,
) -> tuple[int | None, str, str]:
    """Draft the step's letter and send it for checking: (letter id, title, why none)."""
    if not step.template:
        return None, "", f"no letter template for {step.label.lower()}: no letter drafted"
    case_type = get(session, CaseType, case.case_type_id, "case type").code
    code = template_for_letter(session, case_type, step.template)
    if code is None:
        return None, "", f"no letter template {step.template} in use: no letter drafted"
    try:
        made = letters.draft_letter(
            session, actor, case_id=case.id or 0, template_code=code, extra=extra
        )
    except ValidationError as error:  # refused before anything was written
        return None, "", f"{code} not drafted ({error}); draft it from the case (l)"
    sent = letters.submit_letter(session, actor, document_id=made.id)
    return sent.id, sent.title, ""


def _decide(
    session: Session,
    actor: Actor,
    state: StepState,
    *,
    status: str,
    document_id: int | None = None,
    reason: str = "",
) -> tuple[EnforcementStep, dict[str, Any]]:
    """Mark the step confirmed or rejected by `actor` today; the step and how it read before."""
    step = get(session, EnforcementStep, state.id, "enforcement step")
    before = audit.snapshot(step, STEP_FIELDS)
    step.status = status
    step.decided_on = clock.today()
    step.decided_by_id = actor.id
    if status == CONFIRMED:
        step.document_id = document_id
    else:
        step.reason = reason
    session.add(step)
    session.flush()
    return step, before


def _decision(
    session: Session,
    actor: Actor,
    case: CaseFile,
    state: StepState,
    decided: tuple[EnforcementStep, dict[str, Any]],
    *,
    letter: tuple[int | None, str, str] = (None, "", ""),
    why: str = "",
) -> StepDecision:
    """The decision as the caller reads it, journalled (`enforcement.confirm` or `.reject`)."""
    step, before = decided
    letter_id, title, note = letter
    decision = StepDecision(
        case_id=case.id or 0,
        reference=case.reference,
        step_id=step.id or 0,
        number=step.number,
        action=step.action,
        label=state.label,
        status=step.status,
        task_id=state.task_id,
        letter_id=letter_id,
        letter_title=title,
        letter_note=note,
    )
    audit.record(
        session,
        actor,
        "enforcement.confirm" if step.status == CONFIRMED else "enforcement.reject",
        "enforcement_step",
        step.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=decision.words() + (f": {why}" if why else ""),
        before=before,
        after=audit.snapshot(step, STEP_FIELDS),
    )
    return decision


def confirm_step(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    extra: dict[str, str] | None = None,
) -> StepDecision:
    """Confirm the step awaiting the officer on the case's account: its letter is drafted and
    sent for checking (`extra` fills fields the template asks of an event, e.g. an employer),
    the step's task is done, and the path's next step follows its days from today."""
    actor.require("money.enforce")
    case, state = _pending(session, actor, case_id)
    letter = _draft(session, actor, case, state, extra)
    decided = _decide(session, actor, state, status=CONFIRMED, document_id=letter[0])
    if state.task_id is not None:
        tasks.complete_task(
            session,
            actor,
            task_id=state.task_id,
            outcome=f"{state.label} confirmed"
            + (f": letter #{letter[0]} sent for checking" if letter[0] else ""),
            on_behalf=True,
        )
    return _decision(session, actor, case, state, decided, letter=letter)


def reject_step(session: Session, actor: Actor, *, case_id: int, reason: str) -> StepDecision:
    """Reject the step awaiting the officer, with the reason: the step's task is cancelled and
    the path moves on to its next step after that step's days (hold the account to stop it)."""
    actor.require("money.enforce")
    why = clean_line("reason", reason, limit=300)
    case, state = _pending(session, actor, case_id)
    decided = _decide(session, actor, state, status=REJECTED, reason=why)
    if state.task_id is not None:
        tasks.cancel_task(
            session, actor, task_id=state.task_id, reason=f"{state.label} rejected: {why}"
        )
    return _decision(session, actor, case, state, decided, why=why)


def step_of_task(session: Session, actor: Actor, *, task_id: int) -> StepState | None:
    """The enforcement step a task proposes (None when the task proposes none): the Enforcement
    queue opens its case on the Account section."""
    actor.require("case.read")
    step = session.exec(select(EnforcementStep).where(EnforcementStep.task_id == task_id)).first()
    if step is None:
        return None
    case = get(session, CaseFile, step.case_id, "case")
    ensure_can_see(session, actor, case, "account")
    found = step_states(session, [step.case_id]).get(step.case_id, [])
    return next((s for s in found if s.id == step.id), None)
