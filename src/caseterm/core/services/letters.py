"""Stock letters on a case, maker and checker: drafted from a template (merged with the case's
details, its wording editable), submitted for checking, approved or rejected with a reason by a
checker of the case's team who is not its maker, then issued.

Approval freezes the text with its SHA-256: a letter changed after submission cannot be
approved, and one changed after approval cannot be issued. Issuing makes the letter a document
of the case that can no longer change, logs a "letter out" contact entry and records the
dispatch (post, e-mail or by hand, with its date) in the outgoing post register. A letter to the
case's subject is never issued when the subject has died or the address it was drafted to is
marked no longer valid. Every state change is audited with who and when."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from caseterm.core import clock, letter_files
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import (
    CaseFile,
    CaseType,
    Document,
    DocumentFile,
    LetterTemplate,
    Person,
    PersonContact,
    PostOut,
)
from caseterm.core.models.vocab import ContactType, DocumentStatus
from caseterm.core.rules.catalogue import DISPATCH_VIA
from caseterm.core.rules.letter_fields import render
from caseterm.core.services import audit, contacts
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import check_version, get, staff_name, touch
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_merge import current_address, merge_values
from caseterm.core.services.letter_tasks import complete_for_letter
from caseterm.core.services.letter_views import page_of
from caseterm.core.text import clean_line, clean_notes

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


def _text_hash(body: str) -> str:
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


def _letter_info(session: Session, doc: Document, case: CaseFile) -> LetterInfo:
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
        sha256=_text_hash(doc.body),
        version=doc.version,
        file_name=stored[0] if stored else "",
        file_size=stored[1] if stored else 0,
        file_sha256=stored[2] if stored else "",
    )


def _template_for(session: Session, case: CaseFile, code: str) -> LetterTemplate:
    key = (code or "").strip().upper()
    if not key:
        raise ValidationError("template", "is required")
    template = session.exec(select(LetterTemplate).where(LetterTemplate.code == key)).first()
    if template is None or not template.active:
        raise ValidationError("template", f"no letter template {key!r} in use")
    case_type = session.get(CaseType, case.case_type_id)
    kinds = [c for c in template.case_types.split(",") if c]
    if kinds and (case_type is None or case_type.code not in kinds):
        raise ValidationError(
            "template", f"{key} is for {', '.join(kinds)} cases, not {case.reference}"
        )
    return template


def _extra(extra: dict[str, str] | None) -> dict[str, str]:
    return {
        clean_line("event field", k, limit=40): clean_line(f"event.{k}", v, limit=300)
        for k, v in (extra or {}).items()
    }


def preview_letter(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    template_code: str,
    extra: dict[str, str] | None = None,
) -> str:
    """The template merged with the case's details, as the draft would start; a field with no
    value is refused with its name."""
    actor.require("case.read")
    case = require_visible(session, actor, case_id, "documents")
    template = _template_for(session, case, template_code)
    return render(
        template.body, merge_values(session, actor, case, _extra(extra), language=template.language)
    )


def draft_letter(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    template_code: str,
    extra: dict[str, str] | None = None,
    body: str | None = None,
) -> LetterInfo:
    """A draft letter on a case from a template (the template's current version, which the
    letter keeps). `body` is this letter's own wording when the maker edited the merged text."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    template = _template_for(session, case, template_code)
    merged = render(
        template.body, merge_values(session, actor, case, _extra(extra), language=template.language)
    )
    text = merged if body is None else clean_notes("body", body, required=True, limit=LETTER_MAX)
    person = get(session, Person, case.subject_id, "person")
    address = (
        current_address(session, person.id or 0) if template.recipient_kind == "subject" else None
    )
    recipient = ""
    if template.recipient_kind == "subject":
        recipient = "\n".join(p for p in (person.full_name, address.text if address else "") if p)
    doc = Document(
        case_id=case_id,
        template_id=template.id,
        template_version=template.version,
        title=f"{template.name} – {case.reference}"[:200],
        body=text,
        status=DocumentStatus.DRAFT,
        recipient=recipient[:500],
        address_id=address.contact_id if address else None,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    session.add(doc)
    session.flush()
    audit.record(
        session,
        actor,
        "document.draft",
        "document",
        doc.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: drafted {template.name} (version {template.version})",
        after=audit.snapshot(doc, LETTER_FIELDS),
    )
    return _letter_info(session, doc, case)


def _a_letter(session: Session, document_id: int) -> Document:
    doc = get(session, Document, document_id, "letter")
    if doc.kind != "letter":
        raise ValidationError(
            "letter", f"#{document_id} is a document received, not a letter (caseterm document get)"
        )
    return doc


def _letter(
    session: Session, actor: Actor, document_id: int, expected_version: int | None
) -> tuple[Document, CaseFile]:
    doc = _a_letter(session, document_id)
    case = get(session, CaseFile, doc.case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    check_version(session, doc, expected_version, "letter")
    return doc, case


def _changed(
    session: Session,
    actor: Actor,
    doc: Document,
    case: CaseFile,
    before: dict[str, Any],
    action: str,
    summary: str,
) -> LetterInfo:
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
    return _letter_info(session, doc, case)


def show_letter(session: Session, actor: Actor, *, document_id: int) -> LetterInfo:
    """One letter with its text, state, hash and dispatch."""
    actor.require("case.read")
    doc = _a_letter(session, document_id)
    case = require_visible(session, actor, doc.case_id, "documents")
    return _letter_info(session, doc, case)


def revise_letter(
    session: Session,
    actor: Actor,
    *,
    document_id: int,
    body: str,
    expected_version: int | None = None,
) -> LetterInfo:
    """New wording for a draft or rejected letter; it goes back to being a draft."""
    actor.require("case.write")
    doc, case = _letter(session, actor, document_id, expected_version)
    if doc.status not in EDITABLE:
        raise ValidationError(
            "status", f"is {doc.status}; only a draft or rejected letter can be changed"
        )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.body = clean_notes("body", body, required=True, limit=LETTER_MAX)
    doc.status = DocumentStatus.DRAFT
    return _changed(session, actor, doc, case, before, "document.revise", "revised")


def submit_letter(
    session: Session, actor: Actor, *, document_id: int, expected_version: int | None = None
) -> LetterInfo:
    """Send a draft (or a revised rejected letter) for checking; its text's hash is kept."""
    actor.require("case.write")
    doc, case = _letter(session, actor, document_id, expected_version)
    if doc.status not in EDITABLE:
        raise ValidationError(
            "status", f"is {doc.status}; only a draft or rejected letter can be submitted"
        )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.status = DocumentStatus.SUBMITTED
    doc.submitted_at = clock.now().replace(microsecond=0)
    doc.submitted_hash = _text_hash(doc.body)
    doc.reject_reason = ""
    doc.checked_by_id = None
    doc.checked_at = None
    return _changed(session, actor, doc, case, before, "document.submit", "submitted")


def _checkable(
    session: Session, actor: Actor, document_id: int, expected_version: int | None
) -> tuple[Document, CaseFile]:
    actor.require("document.check")
    doc, case = _letter(session, actor, document_id, expected_version)
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
    now_hash = _text_hash(doc.body)
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
    return _changed(session, actor, doc, case, before, "document.approve", "approved")


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
    return _changed(session, actor, doc, case, before, "document.reject", "rejected")


def _refuse_undeliverable(session: Session, doc: Document, case: CaseFile) -> None:
    template = session.get(LetterTemplate, doc.template_id) if doc.template_id else None
    if template is None or template.recipient_kind != "subject":
        return
    person = get(session, Person, case.subject_id, "person")
    if person.date_of_death is not None:
        raise ValidationError(
            "recipient",
            f"{person.full_name} died on {person.date_of_death:%d/%m/%Y}; "
            "a letter cannot be issued to them",
        )
    if doc.address_id is not None:
        address = session.get(PersonContact, doc.address_id)
        if address is None or (address.valid_to is not None and address.valid_to <= clock.today()):
            raise ValidationError(
                "address",
                "the address this letter was drafted to is marked no longer valid; "
                "draft a new letter to the current address",
            )


def _issued_file_name(reference: str, document_id: int) -> str:
    """The name an issued letter's PDF is stored and saved under: OM-2026-000038-letter-312.pdf."""
    return f"{reference.replace('/', '-')}-letter-{document_id}.pdf"


def _store_pdf(
    session: Session,
    actor: Actor,
    doc: Document,
    case: CaseFile,
    rendered: letter_files.RenderedLetter | None,
) -> DocumentFile:
    """The issued letter as a PDF with its letterhead, stored with it byte for byte: the one
    made before the transaction when it was made from the letter as it reads now, else made
    here."""
    page = page_of(session, doc, case)
    if rendered is not None and rendered.page == page:
        data = rendered.pdf
    else:
        data = letter_files.pdf_bytes([page])
    stored = DocumentFile(
        document_id=doc.id or 0,
        filename=_issued_file_name(case.reference, doc.id or 0),
        media_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        stored_at=clock.now(),
        stored_by_id=actor.id,
    )
    session.add(stored)
    return stored


def issue_letter(
    session: Session,
    actor: Actor,
    *,
    document_id: int,
    via: str = "post",
    dispatched_on: date | None = None,
    expected_version: int | None = None,
    rendered: letter_files.RenderedLetter | None = None,
) -> LetterInfo:
    """Issue an approved letter: it becomes an unchangeable document of the case, a "letter
    out" contact entry is logged, its dispatch goes in the outgoing post register and the letter
    is stored as a PDF with the office's letterhead (`document get ID` gives it back; the caller
    saves a copy into the letters folder once the transaction is over).

    `rendered` is its PDF made before this transaction (`letter_files.render_letter` of its
    `letter_views.letter_pages`), so the write lock is not held while a PDF is made; it is
    stored only if the letter, its office and its language still read as it was made from."""
    actor.require("case.write")
    how = (via or "").strip().lower()
    if how not in DISPATCH_VIA:
        raise ValidationError("via", f"unknown {how!r}; use one of {', '.join(DISPATCH_VIA)}")
    doc, case = _letter(session, actor, document_id, expected_version)
    if doc.status == DocumentStatus.ISSUED:
        raise ValidationError("status", "is issued already; a mistake is put right by a new letter")
    if doc.status != DocumentStatus.CHECKED:
        raise ValidationError(
            "status", f"is {doc.status}; only a letter approved by a checker can be issued"
        )
    if not doc.approved_hash or _text_hash(doc.body) != doc.approved_hash:
        raise ValidationError("letter", "has changed since it was approved; it cannot be issued")
    _refuse_undeliverable(session, doc, case)
    day = dispatched_on or clock.today()
    entry = contacts.log_contact(
        session,
        actor,
        case_id=doc.case_id,
        contact_type=ContactType.LETTER_OUT,
        notes=f"Issued ({DISPATCH_VIA[how]}): {doc.title}",
        capability="case.write",
    )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.status = DocumentStatus.ISSUED
    doc.issued_at = clock.now().replace(microsecond=0)
    doc.contact_entry_id = entry.id
    session.add(
        PostOut(
            document_id=doc.id or 0,
            case_id=case.id or 0,
            via=how,
            dispatched_on=day,
            recipient=doc.recipient,
            recorded_at=clock.now(),
            recorded_by_id=actor.id,
        )
    )
    stored = _store_pdf(session, actor, doc, case, rendered)
    issued = _changed(
        session, actor, doc, case, before, "document.issue",
        f"issued ({how}), stored as {stored.filename} ({stored.size:,} bytes):",
    )  # fmt: skip
    if actor.has("task.work"):
        complete_for_letter(session, actor, document_id=doc.id or 0, title=doc.title)
    return issued
