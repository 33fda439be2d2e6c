"""The documents that evidence a casework event (services.event_documents, and recording an
event with its document in services.received_evidence)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import case_events, event_documents, received, received_evidence
from tests.audit_scenarios import NOW, audited, reads
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

reads("event_documents", "documents_by_event")


def _event_and_document(w: World) -> tuple[int, int]:
    """An absence on the world's (probation) case and a received document of the case."""
    with w.db.write() as s:
        event_id = case_events.record_event(
            s, w.worker, case_id=w.case.id or 0, kind="absence", event_date=NOW.date()
        ).event_id
        doc = received.add_received(
            s, w.worker, case_id=w.case.id or 0, filename="sick-note.pdf", data=PDF, kind="other"
        )
    return event_id, doc.id


@audited("event_documents", "link_document", "case_event.document", _event_and_document)
def _link(s: Session, w: World, ids: Any) -> None:
    event_id, document_id = ids
    event_documents.link_document(s, w.worker, event_id=event_id, document_id=document_id)


@audited("received_evidence", "record_event_with_document", "case_event.document")
def _record_with_document(s: Session, w: World, _: Any) -> None:
    received_evidence.record_event_with_document(
        s, w.worker, case_id=w.case.id or 0, kind="absence", event_date=NOW.date(),
        filename="note.pdf", data=PDF,
    )  # fmt: skip


reads("letter_event_values", "timeline_values")
