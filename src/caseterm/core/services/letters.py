"""Stock letters on a case, as their maker drafts them: previewed and drafted from a template
(merged with the case's details, its wording editable), revised, and submitted for checking
with its text's SHA-256 kept. A letter is then approved or rejected by a checker
(`letter_approval`) and issued (`letter_issue`); what they share is in `letter_records`.

Every state change is audited with who and when."""

from __future__ import annotations

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, CaseType, Document, LetterTemplate, Person
from caseterm.core.models.vocab import DocumentStatus
from caseterm.core.rules.letter_fields import render
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_merge import current_address, merge_values
from caseterm.core.services.letter_records import (
    EDITABLE,
    LETTER_FIELDS,
    LETTER_MAX,
    LetterInfo,
    a_letter,
    letter_for_change,
    letter_info,
    record_change,
    text_hash,
)
from caseterm.core.text import clean_line, clean_notes


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
    return letter_info(session, doc, case)


def show_letter(session: Session, actor: Actor, *, document_id: int) -> LetterInfo:
    """One letter with its text, state, hash and dispatch."""
    actor.require("case.read")
    doc = a_letter(session, document_id)
    case = require_visible(session, actor, doc.case_id, "documents")
    return letter_info(session, doc, case)


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
    doc, case = letter_for_change(session, actor, document_id, expected_version)
    if doc.status not in EDITABLE:
        raise ValidationError(
            "status", f"is {doc.status}; only a draft or rejected letter can be changed"
        )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.body = clean_notes("body", body, required=True, limit=LETTER_MAX)
    doc.status = DocumentStatus.DRAFT
    return record_change(session, actor, doc, case, before, "document.revise", "revised")


def submit_letter(
    session: Session, actor: Actor, *, document_id: int, expected_version: int | None = None
) -> LetterInfo:
    """Send a draft (or a revised rejected letter) for checking; its text's hash is kept."""
    actor.require("case.write")
    doc, case = letter_for_change(session, actor, document_id, expected_version)
    if doc.status not in EDITABLE:
        raise ValidationError(
            "status", f"is {doc.status}; only a draft or rejected letter can be submitted"
        )
    before = audit.snapshot(doc, LETTER_FIELDS)
    doc.status = DocumentStatus.SUBMITTED
    doc.submitted_at = clock.now().replace(microsecond=0)
    doc.submitted_hash = text_hash(doc.body)
    doc.reject_reason = ""
    doc.checked_by_id = None
    doc.checked_at = None
    return record_change(session, actor, doc, case, before, "document.submit", "submitted")
