"""The documents that evidence a casework event: a document of the case (papers received, or a
letter) linked to an event on its timeline. Linking is audited; the timeline (`case_events.
list_events`) and `event list --json` show each event's documents. Receiving papers as evidence
of an event, new or existing, is `received_evidence.receive_document`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseEvent, CaseFile, Document, DocumentFile, EventDocument
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class EventDocumentRef:
    """A document as an event lists it: its id, kind (`received` or `letter`), title and, for a
    received one, its file's name."""

    document_id: int
    kind: str
    title: str
    filename: str

    @property
    def short(self) -> str:
        """ "#12 order.pdf": how the timeline shows it."""
        return f"#{self.document_id} {self.filename or self.title}"


def documents_by_event(
    session: Session, event_ids: Iterable[int]
) -> dict[int, tuple[EventDocumentRef, ...]]:
    """The documents linked to each of `event_ids` (in the order they were linked), in one
    query. The caller has checked the case may be seen (the events' case)."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa_select(
            col(EventDocument.event_id),
            col(Document.id),
            col(Document.kind),
            col(Document.title),
            col(DocumentFile.filename),
        )
        .join(Document, col(Document.id) == col(EventDocument.document_id))
        .join(DocumentFile, col(DocumentFile.document_id) == col(Document.id), isouter=True)
        .where(col(EventDocument.event_id).in_(ids))
        .order_by(col(EventDocument.id))
    ).all()
    found: dict[int, list[EventDocumentRef]] = {}
    for event_id, doc_id, kind, title, filename in rows:
        found.setdefault(event_id, []).append(
            EventDocumentRef(doc_id or 0, kind, title, filename or "")
        )
    return {k: tuple(v) for k, v in found.items()}


def link_document(
    session: Session, actor: Actor, *, event_id: int, document_id: int
) -> EventDocumentRef:
    """Link a document of the case to an event of the same case (refused if they are of
    different cases or already linked)."""
    actor.require("case.write")
    event = get(session, CaseEvent, event_id, "event")
    case = get(session, CaseFile, event.case_id, "case")
    ensure_can_see(session, actor, case, "event")
    doc = session.get(Document, document_id)
    if doc is None or doc.case_id != case.id:
        raise ValidationError(
            "document", f"document {document_id} is not a document of {case.reference}"
        )
    already = session.exec(
        select(EventDocument.id).where(
            EventDocument.event_id == event_id, EventDocument.document_id == document_id
        )
    ).first()
    if already is not None:
        raise ValidationError(
            "document", f"document {document_id} is already linked to event {event_id}"
        )
    link = EventDocument(
        event_id=event_id, document_id=document_id, linked_at=clock.now(), linked_by_id=actor.id
    )
    session.add(link)
    session.flush()
    filename = session.exec(
        select(DocumentFile.filename).where(DocumentFile.document_id == document_id)
    ).first()
    ref = EventDocumentRef(document_id, doc.kind, doc.title, filename or "")
    audit.record(
        session,
        actor,
        "case_event.document",
        "case_event",
        event_id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: document {ref.short} evidences event #{event_id} "
        f"({event.kind}, {event.event_date:%d/%m/%Y})",
        after={"document_id": document_id, "event_id": event_id},
    )
    return ref
