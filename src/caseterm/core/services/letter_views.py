"""Lists about letters: the checks awaiting a checker, the templates a case may use, and the
letters to print (as pages, and a day's dispatched letters in postal order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from caseterm.core.letter_files import LetterPage
from caseterm.core.models import (
    CaseFile,
    CaseType,
    Document,
    LetterTemplate,
    Office,
    PostOut,
    Staff,
)
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.services.access import can_see, require_visible
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class CheckRow:
    id: int
    case_id: int
    reference: str
    title: str
    maker: str
    submitted_at: datetime | None
    version: int


def checks_awaiting(session: Session, actor: Actor) -> list[CheckRow]:
    """Letters submitted for checking that `actor` may check: on cases of their team (any team
    if they have none), never their own, oldest first; restricted cases they cannot see left out."""
    actor.require("document.check")
    maker = aliased(Staff)
    q = (
        select(Document, CaseFile, maker.name)
        .join(CaseFile, col(CaseFile.id) == Document.case_id)
        .outerjoin(maker, col(maker.id) == Document.created_by_id)
        .where(Document.status == DocumentStatus.SUBMITTED)
        .where(col(Document.created_by_id).is_distinct_from(actor.id))
        .order_by(col(Document.submitted_at), col(Document.id))
    )
    if actor.team_id is not None:
        q = q.where(col(CaseFile.team_id) == actor.team_id)
    return [
        CheckRow(
            id=doc.id or 0,
            case_id=case.id or 0,
            reference=case.reference,
            title=doc.title,
            maker=made or "",
            submitted_at=doc.submitted_at,
            version=doc.version,
        )
        for doc, case, made in session.exec(q).all()
        if not case.restricted or can_see(session, actor, case)
    ]


@dataclass(frozen=True)
class LetterChoice:
    """A template a new letter on a case may be drafted from."""

    code: str
    name: str
    language: str
    recipient_kind: str


def templates_for_case(session: Session, actor: Actor, *, case_id: int) -> list[LetterChoice]:
    """The templates in use for this case's type (and for any type), in code order."""
    actor.require("case.read")
    case = require_visible(session, actor, case_id, "documents")
    case_type = session.get(CaseType, case.case_type_id)
    code = case_type.code if case_type else ""
    rows = session.exec(
        select(LetterTemplate)
        .where(col(LetterTemplate.active).is_(True))
        .order_by(col(LetterTemplate.code))
    ).all()
    return [
        LetterChoice(t.code, t.name, t.language, t.recipient_kind)
        for t in rows
        if not t.case_types or code in t.case_types.split(",")
    ]


def letter_pages(session: Session, actor: Actor, *, document_ids: list[int]) -> list[LetterPage]:
    """The letters as they are printed, with their case's office as the letterhead."""
    actor.require("case.read")
    pages: list[LetterPage] = []
    for document_id in document_ids:
        doc = get(session, Document, document_id, "letter")
        case = require_visible(session, actor, doc.case_id, "documents")
        pages.append(page_of(session, doc, case))
    return pages


def page_of(session: Session, doc: Document, case: CaseFile) -> LetterPage:
    """One letter as it is printed (the caller has checked the reader may see the case)."""
    office = session.get(Office, case.office_id) if case.office_id else None
    template = session.get(LetterTemplate, doc.template_id) if doc.template_id else None
    return LetterPage(
        office_name=office.name if office else "",
        office_address=office.address if office else "",
        reference=case.reference,
        title=doc.title,
        body=doc.body,
        office_phone=office.phone if office else "",
        language=template.language if template else "en",
    )


def _postal_key(recipient: str) -> tuple[str, str]:
    """Post sorted by the last line of the address (the postcode), then the addressee."""
    lines = [line.strip() for line in recipient.splitlines() if line.strip()]
    postcode = lines[-1].rsplit(" ", 2)[-2:] if len(lines) > 1 else []
    return (" ".join(postcode).upper(), lines[0].casefold() if lines else "")


def issued_for_print(session: Session, actor: Actor, *, day: date) -> list[int]:
    """The letters dispatched on `day` that the actor may see, in postal order: by post first
    (sorted by postcode, then addressee), then those handed over or e-mailed."""
    actor.require("case.read")
    rows = session.exec(
        select(PostOut, CaseFile)
        .join(CaseFile, col(CaseFile.id) == PostOut.case_id)
        .where(PostOut.dispatched_on == day)
        .order_by(col(PostOut.id))
    ).all()
    visible = [(p, c) for p, c in rows if not c.restricted or can_see(session, actor, c)]
    visible.sort(key=lambda pc: (pc[0].via != "post", *_postal_key(pc[0].recipient)))
    return [p.document_id for p, _ in visible]
