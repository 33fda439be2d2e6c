"""Issuing an approved letter: it becomes a document of the case that can no longer change,
a "letter out" contact entry is logged, its dispatch (post, e-mail or by hand, with its date)
goes in the outgoing post register and the letter is stored as a PDF with the office's
letterhead. A letter changed since it was approved is refused, and a letter to the case's
subject is never issued when the subject has died or the address it was drafted to is marked
no longer valid. Audited with who and when."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlmodel import Session

from caseterm.core import clock, letter_files
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    CaseFile,
    Document,
    DocumentFile,
    LetterTemplate,
    Person,
    PersonContact,
    PostOut,
)
from caseterm.core.models.vocab import ContactType, DocumentStatus
from caseterm.core.rules.catalogue import DISPATCH_VIA
from caseterm.core.services import audit, contacts
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_records import (
    LETTER_FIELDS,
    LetterInfo,
    letter_for_change,
    record_change,
    text_hash,
)
from caseterm.core.services.letter_tasks import complete_for_letter
from caseterm.core.services.letter_views import page_of


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
    doc, case = letter_for_change(session, actor, document_id, expected_version)
    if doc.status == DocumentStatus.ISSUED:
        raise ValidationError("status", "is issued already; a mistake is put right by a new letter")
    if doc.status != DocumentStatus.CHECKED:
        raise ValidationError(
            "status", f"is {doc.status}; only a letter approved by a checker can be issued"
        )
    if not doc.approved_hash or text_hash(doc.body) != doc.approved_hash:
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
    issued = record_change(
        session, actor, doc, case, before, "document.issue",
        f"issued ({how}), stored as {stored.filename} ({stored.size:,} bytes):",
    )  # fmt: skip
    if actor.has("task.work"):
        complete_for_letter(session, actor, document_id=doc.id or 0, title=doc.title)
    return issued
