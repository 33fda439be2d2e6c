"""Where an account's enforcement stands, read in bulk for the money run and for one account
(`accounts.build_view`): the steps proposed with the officer's decision on each, and the holds
in force. No permission checks here: these are parts of reading an account."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from caseterm.core import clock
from caseterm.core.models import EnforcementHold, EnforcementStep, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules import money_enforcement as rules

PROPOSED, CONFIRMED, REJECTED = "proposed", "confirmed", "rejected"
CHUNK = 900


@dataclass(frozen=True)
class StepState:
    id: int
    number: int
    action: str
    label: str
    letter: str
    template: str
    proposed_on: date
    status: str  # proposed | confirmed | rejected
    decided_on: date | None  # None while it awaits the officer
    task_id: int | None
    document_id: int | None
    reason: str

    def words(self) -> str:
        """ "Reminder proposed 23/11, awaiting the officer", "Reminder sent 24/11"."""
        if self.status == PROPOSED or self.decided_on is None:
            return f"{self.label} proposed {self.proposed_on:%d/%m}, awaiting the officer"
        if self.status == REJECTED:
            return f"{self.label} rejected {self.decided_on:%d/%m}"
        return f"{self.label} sent {self.decided_on:%d/%m}"


def _state(step: EnforcementStep, task: tuple[str, date | None] | None) -> StepState:
    status, decided = step.status, step.decided_on
    if status == PROPOSED and task is not None and task[1] is not None:
        # Completing the step's task confirms it; cancelling it rejects it.
        status = CONFIRMED if task[0] == TaskStatus.DONE else REJECTED
        decided = task[1]
    action = rules.ACTIONS.get(step.action)
    return StepState(
        id=step.id or 0,
        number=step.number,
        action=step.action,
        label=action.label if action else step.action,
        letter=action.letter if action else "",
        template=action.template if action else "",
        proposed_on=step.proposed_on,
        status=status,
        decided_on=decided,
        task_id=step.task_id,
        document_id=step.document_id,
        reason=step.reason,
    )


def step_states(session: Session, case_ids: Iterable[int]) -> dict[int, list[StepState]]:
    """Each case's enforcement steps, oldest first, with the officer's decision."""
    ids = list(case_ids)
    steps: list[EnforcementStep] = []
    for start in range(0, len(ids), CHUNK):
        steps += session.exec(
            select(EnforcementStep).where(
                col(EnforcementStep.case_id).in_(ids[start : start + CHUNK])
            )
        ).all()
    wanted = [s.task_id for s in steps if s.task_id and s.status == PROPOSED]
    tasks: dict[int, tuple[str, date | None]] = {}
    for start in range(0, len(wanted), CHUNK):
        for task_id, status, completed in session.execute(
            select(col(Task.id), col(Task.status), col(Task.completed_at)).where(
                col(Task.id).in_(wanted[start : start + CHUNK])
            )
        ):
            closed = status in (TaskStatus.DONE, TaskStatus.CANCELLED) and completed is not None
            tasks[task_id] = (status, completed.date() if closed else None)
    out: dict[int, list[StepState]] = defaultdict(list)
    for step in sorted(steps, key=lambda s: (s.case_id, s.number)):
        out[step.case_id].append(_state(step, tasks.get(step.task_id or 0)))
    return out


def holds_in_force(
    session: Session, case_ids: Iterable[int], *, today: date | None = None
) -> dict[int, tuple[str, date | None]]:
    """The holds in force on these cases today: case id -> (reason, until)."""
    today = today or clock.today()
    ids = list(case_ids)
    out: dict[int, tuple[str, date | None]] = {}
    for start in range(0, len(ids), CHUNK):
        for case_id, reason, until in session.execute(
            select(
                col(EnforcementHold.case_id),
                col(EnforcementHold.reason),
                col(EnforcementHold.until),
            ).where(
                col(EnforcementHold.case_id).in_(ids[start : start + CHUNK]),
                col(EnforcementHold.released_at).is_(None),
                or_(col(EnforcementHold.until).is_(None), col(EnforcementHold.until) >= today),
            )
        ):
            out[case_id] = (reason, until)
    return out


def hold_words(reason: str, until: date | None) -> str:
    """ "On hold until 12/01: appeal lodged"."""
    when = f" until {until:%d/%m}" if until else ""
    return f"On hold{when}: {reason}"
