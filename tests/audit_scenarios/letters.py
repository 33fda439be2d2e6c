"""Letter templates and letters: the library, draft → check → issue."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import (
    letter_approval,
    letter_issue,
    letter_templates,
    letters,
    received,
)
from tests.audit_scenarios import audited, part, reads
from tests.factories import World
from tests.letter_helpers import BODY, add_template, approved, drafted, submitted

reads("letter_merge", "current_address", "merge_values")
reads(
    "letter_templates",
    "list_templates",
    "show_template",
    "merge_fields",
)
reads(
    "letters",
    "preview_letter",
    "show_letter",
)
reads("letter_views", "checks_awaiting", "templates_for_case", "letter_pages", "issued_for_print")
reads("letter_records", "text_hash", "letter_info", "a_letter", "letter_for_change")
part("letter_records", "record_change", "stamps and journals the letter action that calls it")


@audited("letter_templates", "add_template", "template.add")
def _add_template(s: Session, w: World, _: Any) -> None:
    letter_templates.add_template(s, w.admin, code="NEW", name="New letter", body=BODY)


@audited("letter_templates", "edit_template", "template.edit", add_template)
def _edit_template(s: Session, w: World, _: Any) -> None:
    letter_templates.edit_template(s, w.admin, code="APPT", name="Appointment (revised)")


@audited("letters", "draft_letter", "document.draft", add_template)
def _draft_letter(s: Session, w: World, _: Any) -> None:
    letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT")


@audited("letters", "revise_letter", "document.revise", drafted)
def _revise_letter(s: Session, w: World, doc_id: int) -> None:
    letters.revise_letter(s, w.clerk, document_id=doc_id, body="Dear you\n")


@audited("letters", "submit_letter", "document.submit", drafted)
def _submit_letter(s: Session, w: World, doc_id: int) -> None:
    letters.submit_letter(s, w.clerk, document_id=doc_id)


@audited("letter_approval", "approve_letter", "document.approve", submitted)
def _approve_letter(s: Session, w: World, doc_id: int) -> None:
    letter_approval.approve_letter(s, w.manager, document_id=doc_id)


@audited("letter_approval", "reject_letter", "document.reject", submitted)
def _reject_letter(s: Session, w: World, doc_id: int) -> None:
    letter_approval.reject_letter(s, w.manager, document_id=doc_id, reason="wrong date")


@audited("letter_issue", "issue_letter", "document.issue", approved)
def _issue_letter(s: Session, w: World, doc_id: int) -> None:
    letter_issue.issue_letter(s, w.clerk, document_id=doc_id, via="post")


@audited("letter_templates", "install_stock_templates", "template.add")
def _install_stock(s: Session, w: World, _: Any) -> None:
    assert "APPT" in letter_templates.install_stock_templates(s, w.admin)


reads("received", "get_received")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@audited("received", "add_received", "document.receive")
def _add_received(s: Session, w: World, _: Any) -> None:
    received.add_received(
        s, w.clerk, case_id=w.case.id or 0, filename="pre-cons.pdf", data=PDF, kind="convictions"
    )
