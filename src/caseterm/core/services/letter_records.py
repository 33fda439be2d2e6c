"""A letter as the letter services read and change it: its plain data (`LetterInfo`), the
fields its audit events snapshot, the SHA-256 its text is frozen with, and the steps every
change of state shares (find the letter, check who may see it and which version was read;
stamp, flush and journal the change). The actions are in `letters` (draft, revise, submit),
`letter_approval` (approve, reject) and `letter_issue` (issue)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Document, DocumentFile, LetterTemplate, PostOut
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import check_version, get, staff_name, touch
from caseterm.core.services.identity import Actor

LETTER_FIELDS = (
    "case_id",
    "template_id",
    "template_version",
    "title",
    "status",
    "recipient",
    "created_by_id",
    "submitted_hash",
    "checked_by_id",
    "approved_hash",
    "reject_reason",
    "issued_at",
    "contact_entry_id",
)
LETTER_MAX = 50_000
EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.REJECTED)


def text_hash(body: str) -> str:
    """The SHA-256 of a letter's text, as frozen at submission and approval."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LetterInfo:
    id: int
    case_id: int
    reference: str
    title: str
    body: str
    status: str
    template_code: str
    template_version: int | None
    recipient: str
    created_by: str
    created_by_id: int | None
    submitted_at: datetime | None
    checked_by: str
    checked_at: datetime | None
    reject_reason: str
    approved_hash: str
    issued_at: datetime | None
    via: str
    dispatched_on: date | None
    sha256: str
    version: int
    file_name: str = ""  # an issued letter's PDF, stored with it (`document get ID`)
    file_size: int = 0
    file_sha256: str = ""


def letter_info(session: Session, doc: Document, case: CaseFile) -> LetterInfo:
    """The letter as plain data: its state, who made and checked it, its dispatch and its
    stored PDF."""
    template = session.get(LetterTemplate, doc.template_id) if doc.template_id else None
    post = session.exec(select(PostOut).where(PostOut.document_id == doc.id)).first()
    stored = session.exec(
        select(DocumentFile.filename, DocumentFile.size, DocumentFile.sha256).where(
            DocumentFile.document_id == doc.id
        )
    ).first()
    return LetterInfo(
        id=doc.id or 0,
        case_id=doc.case_id,
        reference=case.reference,
        title=doc.title,
        body=doc.body,
        status=doc.status,
        template_code=template.code if template else "",
        template_version=doc.template_version,
        recipient=doc.recipient,
        created_by=staff_name(session, doc.created_by_id) if doc.created_by_id else "",
        created_by_id=doc.created_by_id,
        submitted_at=doc.submitted_at,
        checked_by=staff_name(session, doc.checked_by_id) if doc.checked_by_id else "",
        checked_at=doc.checked_at,
        reject_reason=doc.reject_reason,
        approved_hash=doc.approved_hash,
        issued_at=doc.issued_at,
        via=post.via if post else "",
        dispatched_on=post.dispatched_on if post else None,
        sha256=text_hash(doc.body),
        version=doc.version,
        file_name=stored[0] if stored else "",
        file_size=stored[1] if stored else 0,
        file_sha256=stored[2] if stored else "",
    )


def a_letter(session: Session, document_id: int) -> Document:
    """Letter `document_id`; a document received (not a letter) is refused."""
    doc = get(session, Document, document_id, "letter")
    if doc.kind != "letter":
        raise ValidationError(
            "letter", f"#{document_id} is a document received, not a letter (caseterm document get)"
        )
    return doc


def letter_for_change(
    session: Session, actor: Actor, document_id: int, expected_version: int | None
) -> tuple[Document, CaseFile]:
    """Letter `document_id` and its case, for a change: the actor may see the case's documents
    and the letter is still at `expected_version` (else `StaleEditError`)."""
    doc = a_letter(session, document_id)
    case = get(session, CaseFile, doc.case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    check_version(session, doc, expected_version, "letter")
    return doc, case


def record_change(
    session: Session,
    actor: Actor,
    doc: Document,
    case: CaseFile,
    before: dict[str, Any],
    action: str,
    summary: str,
) -> LetterInfo:
    """A change to a letter made: stamped, flushed and journalled as `action` (with the fields
    that changed since `before`); the letter as it now reads."""
    touch(doc, actor.id)
    session.add(doc)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(doc, LETTER_FIELDS))
    audit.record(
        session,
        actor,
        action,
        "document",
        doc.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {summary} {doc.title}",
        before=old,
        after=new,
    )
    return letter_info(session, doc, case)
