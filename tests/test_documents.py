"""Stock letters: drafted from a template with the case's details, checked by someone else,
issued only once checked (with a "letter out" entry in the contact log), and hidden on a
restricted case like everything else on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import col, select

from caseterm.core.errors import (
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import AuditEvent, CaseFile, ContactEntry, Document, LetterTemplate
from caseterm.core.services import cases, documents
from tests.conftest import FROZEN
from tests.factories import World

BODY = "Dear {name}\n\nYour case {reference} is held at {office}. Written {date}. {unknown}\n"


@pytest.fixture
def letters(world: World, frozen_clock: datetime) -> Iterator[World]:
    with world.db.write() as s:
        s.add(LetterTemplate(code="APPT", name="Appointment letter", body=BODY))
    yield world


def _draft(w: World) -> int:
    with w.db.write() as s:
        return (
            documents.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT").id or 0
        )


def _actions(w: World, document_id: int) -> list[str]:
    with w.db.read() as s:
        return list(
            s.exec(
                select(AuditEvent.action)
                .where(AuditEvent.entity == "document", AuditEvent.entity_id == document_id)
                .order_by(col(AuditEvent.id))
            ).all()
        )


def test_draft_fills_the_placeholders_as_plain_text(letters: World) -> None:
    doc_id = _draft(letters)
    with letters.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        ref = letters.case.reference
        assert doc.body == (
            f"Dear Siobhán O'Neill-Brady\n\nYour case {ref} is held at Preston. "
            "Written 23 November 2026. {unknown}\n"
        )
        assert (doc.status, doc.created_by_id, doc.version) == ("draft", letters.clerk.id, 1)
        (row,) = documents.list_documents(s, letters.worker, letters.case.id or 0)
    assert (row.status, row.template_name, row.created_by, row.checked_by) == (
        "draft",
        "Appointment letter",
        "Claire Clerk",
        "",
    )
    assert row.title.startswith("Appointment letter") and row.issued_at is None
    assert _actions(letters, doc_id) == ["document.draft"]


def test_unknown_or_blank_template_names_the_field(letters: World) -> None:
    for code in ("NOPE", "  "):
        with pytest.raises(ValidationError) as err, letters.db.write() as s:
            documents.draft_letter(
                s, letters.clerk, case_id=letters.case.id or 0, template_code=code
            )
        assert err.value.field == "template_code"
    with letters.db.read() as s:
        assert s.exec(select(Document)).all() == []


def test_check_then_issue_logs_a_letter_out_and_links_it(letters: World) -> None:
    doc_id = _draft(letters)
    with pytest.raises(ValidationError) as err, letters.db.write() as s:
        documents.issue_document(s, letters.clerk, document_id=doc_id)
    assert err.value.field == "status"
    with letters.db.write() as s:
        documents.check_document(s, letters.manager, document_id=doc_id, expected_version=1)
    with letters.db.write() as s:
        documents.issue_document(s, letters.clerk, document_id=doc_id)
    with letters.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert (doc.status, doc.checked_by_id, doc.issued_at) == (
            "issued",
            letters.manager.id,
            FROZEN,
        )
        entry = s.get(ContactEntry, doc.contact_entry_id)
        assert entry is not None
        assert (entry.contact_type, entry.case_id, entry.staff_id) == (
            "letter_out",
            letters.case.id,
            letters.clerk.id,
        )
        (row,) = documents.list_documents(s, letters.clerk, letters.case.id or 0)
    assert (row.status, row.checked_by, row.issued_at, row.version) == (
        "issued",
        "Mandy Manager",
        FROZEN,
        3,
    )
    assert _actions(letters, doc_id) == ["document.draft", "document.check", "document.issue"]
    with pytest.raises(ValidationError) as err, letters.db.write() as s:
        documents.issue_document(s, letters.clerk, document_id=doc_id)
    assert err.value.field == "status"


def test_only_checkers_check_and_never_their_own_draft(letters: World) -> None:
    doc_id = _draft(letters)
    with pytest.raises(PermissionDeniedError), letters.db.write() as s:
        documents.check_document(s, letters.worker, document_id=doc_id)
    with letters.db.write() as s:
        own = (
            documents.draft_letter(
                s, letters.manager, case_id=letters.case.id or 0, template_code="APPT"
            ).id
            or 0
        )
    with pytest.raises(ValidationError) as err, letters.db.write() as s:
        documents.check_document(s, letters.manager, document_id=own)
    assert err.value.field == "checked_by"
    with pytest.raises(PermissionDeniedError), letters.db.write() as s:
        documents.draft_letter(s, letters.desk, case_id=letters.case.id or 0, template_code="APPT")
    with letters.db.read() as s:
        statuses = s.exec(select(Document.status)).all()
    assert sorted(statuses) == ["draft", "draft"]


def test_a_stale_check_is_refused(letters: World) -> None:
    doc_id = _draft(letters)
    with letters.db.write() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.title = "Changed by the clerk"
        s.add(doc)
    with pytest.raises(StaleEditError), letters.db.write() as s:
        documents.check_document(s, letters.manager, document_id=doc_id, expected_version=1)
    with letters.db.read() as s:
        assert s.get(Document, doc_id).status == "draft"  # type: ignore[union-attr]


def test_restricted_case_documents_are_refused(letters: World) -> None:
    doc_id = _draft(letters)
    case_id = letters.case.id or 0
    with letters.db.write() as s:
        cases.restrict_case(s, letters.manager, case_id=case_id, allow=[letters.clerk.id or 0])
    with letters.db.read() as s:
        assert s.get(CaseFile, case_id).restricted  # type: ignore[union-attr]
    with pytest.raises(RestrictedError), letters.db.write() as s:
        documents.list_documents(s, letters.other, case_id)
    with pytest.raises(RestrictedError), letters.db.write() as s:
        documents.check_document(s, letters.manager, document_id=doc_id)
    with letters.db.read() as s:
        assert len(documents.list_documents(s, letters.worker, case_id)) == 1


def test_a_document_is_read_in_full_by_those_who_may_see_its_case(letters: World) -> None:
    doc_id = _draft(letters)
    case_id = letters.case.id or 0
    with letters.db.read() as s:
        doc = documents.read_document(s, letters.worker, doc_id)
        assert doc.body.startswith("Dear Siobhán O'Neill-Brady\n\nYour case")
    with pytest.raises(PermissionDeniedError), letters.db.read() as s:
        documents.read_document(s, letters.desk, doc_id)  # reception reads no case papers
    with letters.db.write() as s:
        cases.restrict_case(s, letters.manager, case_id=case_id, allow=[letters.clerk.id or 0])
    with pytest.raises(RestrictedError), letters.db.write() as s:
        documents.read_document(s, letters.other, doc_id)
    with letters.db.read() as s:
        assert documents.read_document(s, letters.clerk, doc_id).id == doc_id
