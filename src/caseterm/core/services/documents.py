"""Stock letters on a case: drafted from a template, checked by a second pair of eyes, then
issued. Only a checked letter may be issued, and issuing it writes a "letter out" entry in the
contact log that the document keeps a link to. Nobody checks their own draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Document, LetterTemplate, Office, Person, Staff
from caseterm.core.models.vocab import ContactType, DocumentStatus
from caseterm.core.services import audit, contacts
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import check_version, get, touch
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


def read_document(session: Session, actor: Actor, document_id: int) -> DocumentText:
    """One document with its full text, for reading on screen. The case is checked as for the
    documents list (a refusal is logged; a view of the case was logged when it was opened)."""
    actor.require("case.read")
    doc = get(session, Document, document_id, "document")
    require_visible(session, actor, doc.case_id, "documents")
    return DocumentText(doc.id or 0, doc.case_id, doc.title, doc.body, doc.status, doc.version)


def letter_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace `{name}`-style placeholders; any other braces stay as they are."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def draft_letter(session: Session, actor: Actor, *, case_id: int, template_code: str) -> Document:
    """Draft a letter on a case from a template, with the subject's name, the case reference,
    the case's office and today's date filled in as plain text."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    code = template_code.strip()
    if not code:
        raise ValidationError("template_code", "is required")
    template = session.exec(select(LetterTemplate).where(LetterTemplate.code == code)).first()
    if template is None:
        raise ValidationError("template_code", f"no letter template {code!r}")
    if template.case_type_id is not None and template.case_type_id != case.case_type_id:
        raise ValidationError("template_code", f"{code!r} is not for this type of case")
    subject = get(session, Person, case.subject_id, "person")
    office = session.get(Office, case.office_id) if case.office_id else None
    values = {
        "name": subject.full_name,
        "reference": case.reference,
        "office": office.name if office else "",
        "date": letter_date(clock.today()),
    }
    doc = Document(
        case_id=case_id,
        template_id=template.id,
        title=f"{template.name} – {case.reference}"[:200],
        body=fill_template(template.body, values),
        status=DocumentStatus.DRAFT,
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
        summary=f"{case.reference}: drafted {template.name}",
        after=audit.snapshot(doc, DOCUMENT_FIELDS),
    )
    return doc


def _document_on_visible_case(
    session: Session, actor: Actor, document_id: int
) -> tuple[Document, CaseFile]:
    doc = get(session, Document, document_id, "document")
    case = get(session, CaseFile, doc.case_id, "case")
    ensure_can_see(session, actor, case, "documents")
    return doc, case


def check_document(
    session: Session, actor: Actor, *, document_id: int, expected_version: int | None = None
) -> Document:
    """A checker (or manager) passes a draft as fit to issue; not one they drafted."""
    actor.require("document.check")
    doc, case = _document_on_visible_case(session, actor, document_id)
    check_version(session, doc, expected_version, "document")
    if doc.status != DocumentStatus.DRAFT:
        raise ValidationError("status", f"is {doc.status}; only a draft can be checked")
    if doc.created_by_id == actor.id:
        raise ValidationError("checked_by", "cannot be the person who drafted it")
    before = audit.snapshot(doc, DOCUMENT_FIELDS)
    doc.status = DocumentStatus.CHECKED
    doc.checked_by_id = actor.id
    return _changed(session, actor, doc, case, before, "document.check", DocumentStatus.CHECKED)


def _changed(
    session: Session,
    actor: Actor,
    doc: Document,
    case: CaseFile,
    before: dict[str, Any],
    action: str,
    verb: str,
) -> Document:
    """Stamp who changed the document and write its audit event (old → new)."""
    touch(doc, actor.id)
    session.add(doc)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(doc, DOCUMENT_FIELDS))
    audit.record(
        session,
        actor,
        action,
        "document",
        doc.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {verb} {doc.title}",
        before=old,
        after=new,
    )
    return doc


def issue_document(
    session: Session, actor: Actor, *, document_id: int, expected_version: int | None = None
) -> Document:
    """Issue a checked letter: it is logged as a "letter out" contact entry on the case, and
    the document links to that entry."""
    actor.require("case.write")
    doc, case = _document_on_visible_case(session, actor, document_id)
    check_version(session, doc, expected_version, "document")
    if doc.status != DocumentStatus.CHECKED:
        raise ValidationError("status", f"is {doc.status}; only a checked document can be issued")
    subject = session.get(Person, case.subject_id)
    if subject is not None and subject.date_of_death is not None:  # outgoing letters stop
        raise ValidationError(
            "person",
            f"{subject.full_name} died on {subject.date_of_death:%d/%m/%Y}: "
            "no letter may be issued to a deceased person",
        )
    entry = contacts.log_contact(
        session,
        actor,
        case_id=doc.case_id,
        contact_type=ContactType.LETTER_OUT,
        notes=f"Issued: {doc.title}",
    )
    before = audit.snapshot(doc, DOCUMENT_FIELDS)
    doc.status = DocumentStatus.ISSUED
    doc.issued_at = clock.now().replace(microsecond=0)
    doc.contact_entry_id = entry.id
    return _changed(session, actor, doc, case, before, "document.issue", DocumentStatus.ISSUED)
