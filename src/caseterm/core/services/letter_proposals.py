"""A letter proposed by an event or a task: the "Send letter" task names its template, the letter
is drafted from the task (the task remembers the letter) and issuing it completes the task."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, TaskKind
from caseterm.core.services import audit, letters
from caseterm.core.services.access import require_visible
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_records import LetterInfo
from caseterm.core.services.letter_tasks import (
    drafted_document,
    proposed_code,
    with_document,
)


@dataclass(frozen=True)
class Proposal:
    task_id: int
    case_id: int
    reference: str
    title: str
    template_code: str  # "" when the task names no template
    document_id: int | None  # the letter already drafted from it


def _proposing(session: Session, actor: Actor, task_id: int) -> tuple[Task, CaseFile]:
    task = get(session, Task, task_id, "task")
    if not _proposes(task):
        raise ValidationError("task", f"task {task_id} is not a letter to issue")
    if task.case_id is None:
        raise ValidationError("task", f"task {task_id} is not on a case")
    case = require_visible(session, actor, task.case_id, "documents")
    return task, case


def _proposes(task: Task) -> bool:
    """A "Send letter" task, or any task whose source names a template (a statutory clock's
    task, when its rule names the letter its step issues: `letter:CODE`)."""
    return task.kind == TaskKind.LETTER_TO_ISSUE or proposed_code(task.source) is not None


def _proposal(session: Session, actor: Actor, *, task_id: int) -> Proposal:
    """What a "Send letter" task (or a clock's task naming a template) proposes: its case,
    template and any letter drafted from it."""
    actor.require("case.read")
    task, case = _proposing(session, actor, task_id)
    return Proposal(
        task_id=task.id or 0,
        case_id=case.id or 0,
        reference=case.reference,
        title=task.title,
        template_code=proposed_code(task.source) or "",
        document_id=drafted_document(task.source),
    )


def proposal_if_any(session: Session, actor: Actor, *, task_id: int) -> Proposal | None:
    """The letter a task proposes, or None when it proposes none (`l` on any task of the case
    screen: its letter if it names one, else the plain choice of template)."""
    actor.require("case.read")
    if not _proposes(get(session, Task, task_id, "task")):
        return None
    return _proposal(session, actor, task_id=task_id)


def draft_for_task(
    session: Session,
    actor: Actor,
    *,
    task_id: int,
    case_id: int | None = None,
    template_code: str | None = None,
    extra: dict[str, str] | None = None,
    body: str | None = None,
) -> LetterInfo:
    """Draft the letter a "Send letter" task proposes (its template unless `template_code` is
    given) and remember it on the task, so issuing the letter completes the task."""
    actor.require("case.write")
    task, case = _proposing(session, actor, task_id)
    if task.status not in ACTIVE_TASK_STATUSES:
        raise ValidationError("task", f"task {task_id} is {task.status}, not open")
    if case_id is not None and case_id != case.id:
        raise ValidationError("task", f"task {task_id} is on {case.reference}, not this case")
    code = (template_code or "").strip() or proposed_code(task.source) or ""
    if not code:
        raise ValidationError("template", f"task {task_id} names no template; give one")
    made = letters.draft_letter(
        session, actor, case_id=case.id or 0, template_code=code, extra=extra, body=body
    )
    before = {"source": task.source}
    task.source = with_document(task.source, made.id)
    session.add(task)
    session.flush()
    audit.record(
        session,
        actor,
        "task.letter_drafted",
        "task",
        task.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"task {task.id}: drafted letter #{made.id} ({made.title})",
        before=before,
        after={"source": task.source},
    )
    return made
