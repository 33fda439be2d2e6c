"""Stock letters, maker and checker: the template library (checked before saving, versioned,
audited, managers only), drafting from a template (merged in Jinja2's sandbox, a missing field
refused), submit → approve or reject → issue with its hash, and every refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from sqlmodel import Session, col, select

from caseterm.core.errors import (
    NotFoundError,
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import (
    AuditEvent,
    ContactEntry,
    Document,
    Person,
    PersonContact,
    PostOut,
)
from caseterm.core.rules.letter_fields import check_template, field_catalogue, render
from caseterm.core.rules.stock_letters import STOCK_LETTERS
from caseterm.core.services import (
    cases,
    documents,
    letter_approval,
    letter_issue,
    letter_templates,
    letter_views,
    letters,
)
from tests.factories import World
from tests.letter_helpers import BODY, add_template, approved, drafted, submitted


@pytest.fixture
def w(world: World, frozen_clock: datetime) -> Iterator[World]:
    yield world


def _actions(w: World, document_id: int) -> list[str]:
    with w.db.read() as s:
        return list(
            s.exec(
                select(AuditEvent.action)
                .where(AuditEvent.entity == "document", AuditEvent.entity_id == document_id)
                .order_by(col(AuditEvent.id))
            ).all()
        )


def _doc(w: World, doc_id: int) -> Document:
    with w.db.read() as s:
        found = s.get(Document, doc_id)
        assert found is not None
        return found


# ---------------------------------------------------------------- templates


def test_every_stock_letter_is_a_valid_template_using_catalogue_fields() -> None:
    codes = [t.code for t in STOCK_LETTERS]
    assert len(codes) == len(set(codes))
    for letter in STOCK_LETTERS:
        check_template(letter.body)
    assert {"APPT", "WARN_FIRST", "WARN_FINAL", "BREACH", "FTA", "MH_TRIB", "MH_DEATH"} <= set(
        codes
    )
    assert {"MH_WARRANT_RECALL", "MH_WARRANT_TRANSFER", "FINE_FSN", "FINE_AEO"} <= set(codes)
    assert {"FINE_COLL", "COUNCIL_ACK", "COUNCIL_DEC"} <= set(codes)
    welsh = [t for t in STOCK_LETTERS if t.language == "cy"]
    assert welsh and all(t.variant_of in codes for t in welsh)
    names = {f.name for f in field_catalogue()}
    assert {"person.full_name", "case.reference", "appointment.date", "today"} <= names


def test_a_template_with_a_syntax_error_or_unknown_field_is_refused_with_the_line(
    w: World,
) -> None:
    for body, expected in (
        ("Dear {{ person.full_name }}\n\n{% if %}\n", "line 3"),
        ("Dear\n{{ person.nmae }}\n", "line 2: unknown merge field person.nmae"),
        ("{{ shoe_size }}\n", "line 1: unknown merge field shoe_size"),
        ("{{ today | shout }}\n", "No filter named 'shout'"),
    ):
        with pytest.raises(ValidationError) as err, w.db.write() as s:
            letter_templates.add_template(s, w.admin, code="BAD", name="Bad", body=body)
        assert err.value.field == "body" and expected in err.value.reason
    with w.db.read() as s:
        assert letter_templates.list_templates(s, w.clerk) == []


def test_the_sandbox_refuses_python_internals_and_data_is_never_a_template() -> None:
    with pytest.raises(ValidationError, match=r"person\.__class__"):
        check_template("{{ person.__class__ }}")
    with pytest.raises(ValidationError):
        render("{{ ''.__class__.__mro__ }}", {})
    hostile = "{{ 7*7 }} {% if 1 %}x{% endif %} [b]<script>\x1b[2J"
    assert render("Dear {{ person.full_name }}", {"person": {"full_name": hostile}}) == (
        "Dear " + hostile
    )


def test_templates_are_added_and_edited_by_managers_as_new_versions(w: World) -> None:
    add_template(w, case_types="OM")
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        letter_templates.add_template(s, w.clerk, code="X", name="X", body="x")
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        letter_templates.edit_template(s, w.worker, code="APPT", name="Mine")
    with w.db.write() as s:
        edited = letter_templates.edit_template(
            s, w.manager, code="APPT", body="Hello {{ person.given_name }}", expected_version=1
        )
    assert (edited.version, edited.body, edited.case_types) == (
        2,
        "Hello {{ person.given_name }}\n",
        ("OM",),
    )
    with pytest.raises(StaleEditError), w.db.write() as s:
        letter_templates.edit_template(s, w.manager, code="APPT", name="Y", expected_version=1)
    with pytest.raises(ValidationError, match="nothing to change"), w.db.write() as s:
        letter_templates.edit_template(s, w.manager, code="APPT", name="Appointment letter")
    with w.db.read() as s:
        first = letter_templates.show_template(s, w.clerk, code="APPT", version=1)
        assert first.body == BODY and first.version == 1
        assert [t.code for t in letter_templates.list_templates(s, w.clerk, case_type="OM")] == [
            "APPT"
        ]
        assert letter_templates.list_templates(s, w.clerk, case_type="FINE") == []
        actions = s.exec(
            select(AuditEvent.action).where(AuditEvent.entity == "letter_template")
        ).all()
    assert list(actions) == ["template.add", "template.edit"]


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("case_types", {"case_types": "NOPE"}),
        ("recipient_kind", {"recipient_kind": "martian"}),
        ("language", {"language": "fr"}),
        ("code", {"code": "A B"}),
        ("name", {"name": ""}),
        ("body", {"body": "  "}),
    ],
)
def test_bad_template_fields_are_named(w: World, field: str, kw: dict[str, str]) -> None:
    args = {"code": "GOOD", "name": "Good", "body": BODY, **kw}
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        letter_templates.add_template(s, w.admin, **args)
    assert err.value.field == field


def test_a_duplicate_code_or_unknown_template_is_refused(w: World) -> None:
    add_template(w)
    with pytest.raises(ValidationError, match="already"), w.db.write() as s:
        letter_templates.add_template(s, w.admin, code="appt", name="Again", body=BODY)
    with pytest.raises(NotFoundError), w.db.read() as s:
        letter_templates.show_template(s, w.clerk, code="NOPE")


# ---------------------------------------------------------------- drafting


def test_a_draft_is_merged_with_the_case_and_keeps_the_template_version(w: World) -> None:
    doc_id = drafted(w)
    doc = _doc(w, doc_id)
    ref = w.case.reference
    assert doc.body == (
        f"Dear Siobhán O'Neill-Brady\n\nYour case {ref} is held at Preston.\n"
        "Written 23 November 2026.\n\nClaire Clerk\n"
    )
    assert (doc.status, doc.created_by_id, doc.template_version) == ("draft", w.clerk.id, 1)
    with w.db.read() as s:
        (row,) = documents.list_documents(s, w.worker, w.case.id or 0)
    assert (row.status, row.template_name, row.created_by) == (
        "draft",
        "Appointment letter",
        "Claire Clerk",
    )
    assert _actions(w, doc_id) == ["document.draft"]


def test_a_missing_field_is_refused_at_preview_not_printed_blank(w: World) -> None:
    add_template(w, body="See you on {{ appointment.date }}")
    with (
        pytest.raises(ValidationError, match=r"no value for merge field appointment\.date"),
        w.db.read() as s,
    ):
        letters.preview_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT")
    with pytest.raises(ValidationError, match="appointment"), w.db.write() as s:
        letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT")
    with w.db.read() as s:
        assert documents.list_documents(s, w.clerk, w.case.id or 0) == []


def test_typed_event_values_are_merged_as_text(w: World) -> None:
    add_template(w, body="Recall from {{ event.recall_date }}")
    with w.db.read() as s:
        text = letters.preview_letter(
            s,
            w.clerk,
            case_id=w.case.id or 0,
            template_code="APPT",
            extra={"recall_date": "{{ 7*7 }} 1 December"},
        )
    assert text == "Recall from {{ 7*7 }} 1 December\n"


def test_a_template_for_another_case_type_or_unknown_is_refused(w: World) -> None:
    add_template(w, case_types="FINE")
    for code in ("APPT", "NOPE", " "):
        with pytest.raises(ValidationError) as err, w.db.write() as s:
            letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code=code)
        assert err.value.field == "template"


def test_edited_wording_is_kept_and_the_maker_may_revise(w: World) -> None:
    add_template(w)
    with w.db.write() as s:
        made = letters.draft_letter(
            s, w.clerk, case_id=w.case.id or 0, template_code="APPT", body="My own words\n"
        )
    assert _doc(w, made.id).body == "My own words"
    with w.db.write() as s:
        letters.revise_letter(s, w.clerk, document_id=made.id, body="Better words")
    assert _doc(w, made.id).body == "Better words"


# ---------------------------------------------------------------- checking and issuing


def test_draft_submit_approve_issue_logs_letter_out_and_the_post_register(w: World) -> None:
    doc_id = submitted(w)
    with w.db.read() as s:
        (waiting,) = letter_views.checks_awaiting(s, w.manager)
        assert waiting.id == doc_id and waiting.maker == "Claire Clerk"
    with w.db.write() as s:
        seen = letters.show_letter(s, w.manager, document_id=doc_id).sha256
        letter_approval.approve_letter(s, w.manager, document_id=doc_id, seen_hash=seen)
    with w.db.read() as s:
        assert letter_views.checks_awaiting(s, w.manager) == []
    with w.db.write() as s:
        issued = letter_issue.issue_letter(s, w.clerk, document_id=doc_id, via="hand")
    doc = _doc(w, doc_id)
    assert (doc.status, doc.checked_by_id, doc.approved_hash) == ("issued", w.manager.id, seen)
    assert (issued.via, issued.dispatched_on) == ("hand", date(2026, 11, 23))
    with w.db.read() as s:
        entry = s.get(ContactEntry, doc.contact_entry_id)
        post = s.exec(select(PostOut).where(PostOut.document_id == doc_id)).one()
    assert entry is not None and entry.contact_type == "letter_out"
    assert "Appointment letter" in entry.notes and post.via == "hand"
    assert post.recipient == "Siobhán O'Neill-Brady"
    assert _actions(w, doc_id) == [
        "document.draft",
        "document.submit",
        "document.approve",
        "document.issue",
    ]


def test_the_maker_never_approves_and_never_sees_their_own_letter_to_check(w: World) -> None:
    add_template(w)
    with w.db.write() as s:
        made = letters.draft_letter(s, w.manager, case_id=w.case.id or 0, template_code="APPT")
        letters.submit_letter(s, w.manager, document_id=made.id)
    with w.db.read() as s:
        assert letter_views.checks_awaiting(s, w.manager) == []
        assert [r.id for r in letter_views.checks_awaiting(s, w.admin)] == [made.id]
    with pytest.raises(PermissionDeniedError, match="own letter"), w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=made.id)
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        letter_approval.approve_letter(s, w.worker, document_id=made.id)  # caseworkers do not check
    assert _doc(w, made.id).status == "submitted"


def test_a_letter_changed_since_it_was_read_or_submitted_is_not_approved(w: World) -> None:
    doc_id = submitted(w)
    with pytest.raises(ValidationError, match="not the text you read"), w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id, seen_hash="0" * 64)
    with w.db.write() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.body += " (changed behind the service's back)"
        s.add(doc)
    with pytest.raises(ValidationError, match="changed since it was submitted"), w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)


def test_reject_needs_a_reason_and_the_maker_revises_and_resubmits(w: World) -> None:
    doc_id = submitted(w)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        letter_approval.reject_letter(s, w.manager, document_id=doc_id, reason="  ")
    assert err.value.field == "reason"
    with w.db.write() as s:
        letter_approval.reject_letter(s, w.manager, document_id=doc_id, reason="Wrong office")
    doc = _doc(w, doc_id)
    assert (doc.status, doc.reject_reason) == ("rejected", "Wrong office")
    with pytest.raises(ValidationError, match="only a letter approved"), w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letters.revise_letter(s, w.clerk, document_id=doc_id, body="Corrected text")
        letters.submit_letter(s, w.clerk, document_id=doc_id)
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    assert _doc(w, doc_id).status == "checked"
    assert _actions(w, doc_id)[-4:] == [
        "document.reject",
        "document.revise",
        "document.submit",
        "document.approve",
    ]


def test_unapproved_issued_or_changed_letters_are_not_issued(w: World) -> None:
    doc_id = drafted(w)
    with (
        pytest.raises(ValidationError, match="is draft; only a letter approved"),
        w.db.write() as s,
    ):
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letters.submit_letter(s, w.clerk, document_id=doc_id)
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id, via="pigeon")
    assert err.value.field == "via"
    with w.db.write() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.body += "!"
        s.add(doc)
    with pytest.raises(ValidationError, match="changed since it was approved"), w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)


def test_issued_letters_are_immutable(w: World) -> None:
    doc_id = approved(w)
    with w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    acts: list[Callable[[Session], object]] = [
        lambda s: letter_issue.issue_letter(s, w.clerk, document_id=doc_id),
        lambda s: letters.revise_letter(s, w.clerk, document_id=doc_id, body="new"),
        lambda s: letters.submit_letter(s, w.clerk, document_id=doc_id),
        lambda s: letter_approval.approve_letter(s, w.manager, document_id=doc_id),
    ]
    for act in acts:
        with pytest.raises(ValidationError, match="issued"), w.db.write() as s:
            act(s)


def test_nothing_is_issued_to_a_deceased_person_or_an_address_no_longer_valid(w: World) -> None:
    with w.db.write() as s:
        s.add(
            PersonContact(
                person_id=w.person.id or 0, kind="address", value="1 High Street, Preston PR1 1AA"
            )
        )
    doc_id = approved(w)
    assert _doc(w, doc_id).recipient == "Siobhán O'Neill-Brady\n1 High Street\nPreston PR1 1AA"
    with w.db.write() as s:
        address = s.exec(select(PersonContact).where(PersonContact.kind == "address")).one()
        address.valid_to = date(2026, 11, 20)
        s.add(address)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    assert err.value.field == "address" and "no longer valid" in err.value.reason
    with w.db.write() as s:
        address = s.exec(select(PersonContact).where(PersonContact.kind == "address")).one()
        address.valid_to = None
        s.add(address)
        person = s.get(Person, w.person.id)
        assert person is not None
        person.date_of_death = date(2026, 11, 21)
        s.add(person)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    assert err.value.field == "recipient" and "died on 21/11/2026" in err.value.reason
    assert _doc(w, doc_id).status == "checked"


def test_a_letter_about_a_death_to_the_police_can_be_issued(w: World) -> None:
    add_template(w, code="DEATH", body="Death of {{ person.full_name }}", recipient_kind="police")
    with w.db.write() as s:
        person = s.get(Person, w.person.id)
        assert person is not None
        person.date_of_death = date(2026, 11, 21)
        s.add(person)
        made = letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="DEATH")
        letters.submit_letter(s, w.clerk, document_id=made.id)
        letter_approval.approve_letter(s, w.manager, document_id=made.id)
        assert letter_issue.issue_letter(s, w.clerk, document_id=made.id).status == "issued"


def test_stale_and_restricted_letters_are_refused(w: World) -> None:
    doc_id = submitted(w)
    with pytest.raises(StaleEditError), w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id, expected_version=1)
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.clerk.id or 0])
    with pytest.raises(RestrictedError), w.db.write() as s:
        letters.show_letter(s, w.other, document_id=doc_id)
    with pytest.raises(RestrictedError), w.db.write() as s:
        letters.draft_letter(s, w.other, case_id=w.case.id or 0, template_code="APPT")
    with w.db.read() as s:
        assert letter_views.checks_awaiting(s, w.admin) == []  # restricted to the clerk: left out
    with pytest.raises(PermissionDeniedError), w.db.read() as s:
        letter_views.checks_awaiting(s, w.clerk)


def test_a_checker_of_another_team_cannot_check(w: World) -> None:
    doc_id = submitted(w)
    from caseterm.core.services import org, staff

    with w.db.write() as s:
        org.create_team(s, w.admin, code="LAN-OM", name="Lancaster OM", office_id=w.other_office.id)
        staff.add_staff(s, w.admin, login="lan", name="Lana", roles=["checker"], team_code="LAN-OM")
    lan = w.actor("lan")
    with w.db.read() as s:
        assert letter_views.checks_awaiting(s, lan) == []
    with pytest.raises(PermissionDeniedError, match="another team"), w.db.write() as s:
        letter_approval.approve_letter(s, lan, document_id=doc_id)


def test_list_and_read_documents_stay_behind_the_case(w: World) -> None:
    doc_id = drafted(w)
    with w.db.read() as s:
        assert documents._read_document(s, w.worker, doc_id).body.startswith("Dear Siobhán")
    with pytest.raises(PermissionDeniedError), w.db.read() as s:
        documents._read_document(s, w.desk, doc_id)
