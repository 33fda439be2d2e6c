"""What a received document evidences: receiving the papers closes the case's "papers to chase"
task and may record the casework event the papers prove (e.g. a court order received), or link
them to an event already on the timeline; an event recorded from the event dialog may bring its
document (one of the case's, or a file). The link is `event_document` (services.event_documents)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseEvent, Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, TaskKind
from caseterm.core.services import case_events, event_documents, received, tasks
from caseterm.core.services.access import require_visible
from caseterm.core.services.identity import Actor
from caseterm.core.services.received import ReceivedInfo


@dataclass(frozen=True)
class PapersTask:
    id: int
    title: str
    due_date: date | None


@dataclass(frozen=True)
class Evidenced:
    document: ReceivedInfo
    closed_task_id: int | None
    event_id: int | None


def papers_to_chase(session: Session, actor: Actor, *, case_id: int) -> list[PapersTask]:
    """The case's open "papers to chase" tasks, oldest first."""
    actor.require("case.read")
    require_visible(session, actor, case_id, "tasks")
    rows = session.exec(
        select(Task)
        .where(
            Task.case_id == case_id,
            Task.kind == TaskKind.PAPERS_TO_CHASE,
            col(Task.status).in_(list(ACTIVE_TASK_STATUSES)),
        )
        .order_by(col(Task.id))
    ).all()
    return [PapersTask(t.id or 0, t.title, t.due_date) for t in rows]


def receive_document(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    filename: str,
    data: bytes,
    kind: str,
    title: str = "",
    closes_task_id: int | None = None,
    event_kind: str | None = None,
    event_date: date | None = None,
    event_id: int | None = None,
) -> Evidenced:
    """Store a received document; optionally complete the case's open "papers to chase" task
    `closes_task_id`, and link it to the casework event it evidences: the existing event
    `event_id` of the case, or a new event `event_kind` on `event_date` (required with it), all
    in one unit of work (a refusal of any part leaves nothing stored)."""
    if event_kind and event_id is not None:
        raise ValidationError("event", "give an existing event or a new event's kind, not both")
    if event_kind and event_date is None:
        raise ValidationError("event_date", "give the date the event happened")
    if event_id is not None:
        event = session.get(CaseEvent, event_id)
        if event is None or event.case_id != case_id:
            raise ValidationError("event", f"event {event_id} is not an event of this case")
    if closes_task_id is not None:
        task = session.get(Task, closes_task_id)
        if task is None or task.case_id != case_id:
            raise ValidationError("closes", f"task {closes_task_id} is not a task of this case")
        if task.kind != TaskKind.PAPERS_TO_CHASE:
            raise ValidationError("closes", f"task {closes_task_id} is not a papers-to-chase task")
        if task.status not in ACTIVE_TASK_STATUSES:
            raise ValidationError("closes", f"task {closes_task_id} is {task.status}, not open")
    doc = received.add_received(
        session, actor, case_id=case_id, filename=filename, data=data, kind=kind, title=title
    )
    if event_kind:
        event_id = case_events.record_event(
            session,
            actor,
            case_id=case_id,
            kind=event_kind,
            event_date=event_date or clock.today(),
            details=f"Evidenced by received document #{doc.id} ({doc.filename})",
        ).event_id
    if event_id is not None:
        event_documents.link_document(session, actor, event_id=event_id, document_id=doc.id)
    if closes_task_id is not None:
        tasks.complete_task(
            session,
            actor,
            task_id=closes_task_id,
            outcome=f"papers received: document #{doc.id}",
            on_behalf=True,
        )
    return Evidenced(doc, closes_task_id, event_id)


@dataclass(frozen=True)
class EventWithDocument:
    recorded: case_events.Recorded
    document_id: int | None  # the document linked to it (one of the case's, or the file stored)


def record_event_with_document(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    event_date: date,
    details: str = "",
    document_id: int | None = None,
    filename: str = "",
    data: bytes | None = None,
    document_kind: str = "other",
) -> EventWithDocument:
    """Record a casework event (as `case_events.record_event`) with the document that evidences
    it: `document_id`, a document of the case, or the file `data` (named `filename`) stored as a
    received document of `document_kind`. One unit of work: a refused document records nothing."""
    if document_id is not None and data is not None:
        raise ValidationError("document", "attach a document of the case or a file, not both")
    recorded = case_events.record_event(
        session, actor, case_id=case_id, kind=kind, event_date=event_date, details=details
    )
    if data is not None:
        document_id = received.add_received(
            session, actor, case_id=case_id, filename=filename, data=data, kind=document_kind
        ).id
    if document_id is not None:
        event_documents.link_document(
            session, actor, event_id=recorded.event_id, document_id=document_id
        )
    return EventWithDocument(recorded, document_id)
