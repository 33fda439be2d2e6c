"""A case's documents as its Documents section lists them, and one document's text. Letters
are drafted, checked and issued by `services.letters`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from caseterm.core.models import Document, LetterTemplate, Staff
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.services.access import require_visible
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor

DOCUMENT_FIELDS = (
    "case_id",
    "template_id",
    "title",
    "status",
    "created_by_id",
    "checked_by_id",
    "issued_at",
    "contact_entry_id",
)
STATUSES = tuple(DocumentStatus)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    title: str
    status: str
    template_name: str
    created_by: str
    checked_by: str
    created_at: datetime
    issued_at: datetime | None
    version: int
    kind: str = "letter"  # or "received": a document received, its status its kind


def list_documents(session: Session, actor: Actor, case_id: int) -> list[DocumentRow]:
    """A case's documents, newest first."""
    actor.require("case.read")
    require_visible(session, actor, case_id, "documents")
    creator, checker = aliased(Staff), aliased(Staff)
    q = (
        select(Document, LetterTemplate.name, creator.name, checker.name)
        .outerjoin(LetterTemplate, col(LetterTemplate.id) == Document.template_id)
        .outerjoin(creator, col(creator.id) == Document.created_by_id)
        .outerjoin(checker, col(checker.id) == Document.checked_by_id)
        .where(Document.case_id == case_id)
        .order_by(col(Document.created_at).desc(), col(Document.id).desc())
    )
    return [
        DocumentRow(
            id=doc.id or 0,
            title=doc.title,
            status=doc.status,
            template_name=template or "",
            created_by=made or "",
            checked_by=checked or "",
            created_at=doc.created_at,
            issued_at=doc.issued_at,
            version=doc.version,
            kind=doc.kind,
        )
        for doc, template, made, checked in session.exec(q).all()
    ]


@dataclass(frozen=True)
class DocumentText:
    """One document with its full text, as the reader shows it."""

    id: int
    case_id: int
    title: str
    body: str
    status: str
    version: int


def _read_document(session: Session, actor: Actor, document_id: int) -> DocumentText:
    """One document with its full text, for reading on screen. The case is checked as for the
    documents list (a refusal is logged; a view of the case was logged when it was opened)."""
    actor.require("case.read")
    doc = get(session, Document, document_id, "document")
    require_visible(session, actor, doc.case_id, "documents")
    return DocumentText(doc.id or 0, doc.case_id, doc.title, doc.body, doc.status, doc.version)
