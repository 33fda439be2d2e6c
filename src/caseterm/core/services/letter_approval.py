"""A checker's decision on a submitted letter (maker–checker): approved, its text frozen with
its SHA-256, or sent back with a reason. The checker is of the case's team and is never the
letter's maker; a letter changed since it was submitted, or since the checker read it, cannot
be approved. Every decision is audited with who and when, and completes the check-request tasks
that name the letter (`document:ID`)."""

from __future__ import annotations

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import CaseFile, Document
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_records import (
    LETTER_FIELDS,
    LetterInfo,
    letter_for_change,
    record_change,
    text_hash,
)
from caseterm.core.services.letter_tasks import complete_checks_for_letter
from caseterm.core.text import clean_line


def _checkable(
    session: Session, actor: Actor, document_id: int, expected_version: int | None
) -> tuple[Document, CaseFile]:
    actor.require("document.check")
    doc, case = letter_for_change(session, actor, document_id, expected_version)
    if doc.status != DocumentStatus.SUBMITTED:
        raise ValidationError("status", f"is {doc.status}; only a submitted letter can be checked")
    if doc.created_by_id == actor.id:
        raise PermissionDeniedError(
            f"{actor.login} drafted letter #{doc.id}; a checker cannot check their own letter"
        )
    if actor.team_id is not None and case.team_id not in (None, actor.team_id):
        raise PermissionDeniedError(
            f"{case.reference} belongs to another team; its checkers check its letters"
        )
    return doc, case


def approve_letter(
    session: Session,
    actor: Actor,
    *,
    document_id: int,
    seen_hash: str | None = None,
    expected_version: int | None = None,
) -> LetterInfo:
    """A checker (not the maker) approves a submitted letter: its text is frozen with its
    SHA-256. `seen_hash` is the hash of the text the checker read; a letter changed since it was
    submitted, or since the checker read it, is refused."""
    doc, case = _checkable(session, actor, document_id, expected_version)
    now_hash = text_hash(doc.body)
    if now_hash != doc.submitted_hash:
        raise ValidationError("letter", "has changed since it was submitted; it cannot be approved")
    if seen_hash is not None and seen_hash.strip().lower() != now_hash:
        raise ValidationError(
            "letter", "is not the text you read (it changed since); read it again before approving"
        )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.status = DocumentStatus.CHECKED
    doc.checked_by_id = actor.id
    doc.checked_at = clock.now().replace(microsecond=0)
    doc.approved_hash = now_hash
    info = record_change(session, actor, doc, case, before, "document.approve", "approved")
    complete_checks_for_letter(
        session, actor, document_id=doc.id or 0, outcome=f"letter #{doc.id} approved"
    )
    return info


def reject_letter(
    session: Session,
    actor: Actor,
    *,
    document_id: int,
    reason: str,
    expected_version: int | None = None,
) -> LetterInfo:
    """A checker (not the maker) sends a submitted letter back with a reason (required)."""
    why = clean_line("reason", reason, limit=500)
    doc, case = _checkable(session, actor, document_id, expected_version)
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.status = DocumentStatus.REJECTED
    doc.checked_by_id = actor.id
    doc.checked_at = clock.now().replace(microsecond=0)
    doc.reject_reason = why
    info = record_change(session, actor, doc, case, before, "document.reject", "rejected")
    complete_checks_for_letter(
        session, actor, document_id=doc.id or 0, outcome=f"letter #{doc.id} rejected: {why}"
    )
    return info
