"""The documents that evidence a casework event: a real link (event_document), made when papers
are received as evidence of a new or an existing event, or when an event is recorded with its
document; shown on the timeline and in `event list --json`. Refusals store nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, CaseEvent, CaseFile, Document, EventDocument
from caseterm.core.services import case_events, cases, event_documents, received_evidence
from tests.cli import run_cli
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(64))


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Today is Monday 23/11/2026."""


def _mh_case(w: World) -> int:
    with w.db.write() as s:
        return (
            cases.open_case(
                s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
            ).id
            or 0
        )


def _links(w: World, case_id: int) -> set[tuple[int, int]]:
    with w.db.read() as s:
        rows = s.exec(
            select(EventDocument.event_id, EventDocument.document_id)
            .join(CaseEvent, CaseEvent.id == EventDocument.event_id)  # type: ignore[arg-type]
            .where(CaseEvent.case_id == case_id)
        ).all()
    return {(e, d) for e, d in rows}


def test_papers_received_as_evidence_of_a_new_and_of_an_existing_event(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        new = received_evidence.receive_document(
            s, world.clerk, case_id=case_id, filename="recall.pdf", data=PDF, kind="court",
            event_kind="recall", event_date=date(2026, 11, 18),
        )  # fmt: skip
        hearing = case_events.record_event(
            s, world.clerk, case_id=case_id, kind="tribunal_hearing", event_date=date(2026, 11, 20)
        ).event_id
        existing = received_evidence.receive_document(
            s, world.clerk, case_id=case_id, filename="decision.pdf", data=PDF, kind="court",
            event_id=hearing,
        )  # fmt: skip
    assert existing.event_id == hearing
    assert _links(world, case_id) == {
        (new.event_id, new.document.id),
        (hearing, existing.document.id),
    }
    with world.db.read() as s:
        timeline = case_events.list_events(s, world.clerk, case_id=case_id)
        recall = s.get(CaseEvent, new.event_id)
        audited = s.exec(select(AuditEvent).where(AuditEvent.action == "case_event.document")).all()
    assert recall is not None and recall.event_date == date(2026, 11, 18)
    shown = {r.kind: [d.short for d in r.documents] for r in timeline}
    assert shown == {
        "recall": [f"#{new.document.id} recall.pdf"],
        "tribunal_hearing": [f"#{existing.document.id} decision.pdf"],
    }
    assert {a.entity_id for a in audited} >= {new.event_id, hearing}


def test_refusals_store_nothing(world: World) -> None:
    case_id = _mh_case(world)
    other_case = _mh_case(world)
    with world.db.write() as s:
        elsewhere = case_events.record_event(
            s, world.clerk, case_id=other_case, kind="recall", event_date=date(2026, 11, 20)
        ).event_id
    attempts: list[dict[str, object]] = [
        {"event_id": elsewhere},  # an event of another case
        {"event_id": 999999},
        {"event_kind": "recall"},  # a new event with no date
        {"event_kind": "recall", "event_date": date(2026, 11, 20), "event_id": elsewhere},
    ]
    for extra in attempts:
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            received_evidence.receive_document(
                s, world.clerk, case_id=case_id, filename="a.pdf", data=PDF, kind="court",
                **extra,  # type: ignore[arg-type]
            )  # fmt: skip
        assert err.value.field in {"event", "event_date"}
    with world.db.read() as s:
        stored = s.exec(select(Document).where(Document.case_id == case_id)).all()
    assert stored == []


def test_an_event_recorded_with_its_document(world: World) -> None:
    case_id = _mh_case(world)
    with world.db.write() as s:
        doc = received_evidence.receive_document(
            s, world.clerk, case_id=case_id, filename="warrant.pdf", data=PDF, kind="court"
        ).document
        linked = received_evidence.record_event_with_document(
            s, world.clerk, case_id=case_id, kind="transfer_to_hospital",
            event_date=date(2026, 11, 19), document_id=doc.id,
        )  # fmt: skip
        filed = received_evidence.record_event_with_document(
            s, world.clerk, case_id=case_id, kind="recall", event_date=date(2026, 11, 20),
            filename="notice.pdf", data=PDF, document_kind="court",
        )  # fmt: skip
    assert linked.document_id == doc.id and filed.document_id not in (None, doc.id)
    assert _links(world, case_id) == {
        (linked.recorded.event_id, doc.id),
        (filed.recorded.event_id, filed.document_id),
    }
    # linking it twice, or a document of another case, is refused; a bad file records nothing
    other = _mh_case(world)
    with world.db.write() as s:
        foreign = received_evidence.receive_document(
            s, world.clerk, case_id=other, filename="x.pdf", data=PDF, kind="court"
        ).document.id
    for document_id in (doc.id, foreign):
        with pytest.raises(ValidationError, match="document") as err, world.db.write() as s:
            event_documents.link_document(
                s, world.clerk, event_id=linked.recorded.event_id, document_id=document_id
            )
        assert err.value.field == "document"
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        received_evidence.record_event_with_document(
            s, world.clerk, case_id=case_id, kind="death", event_date=date(2026, 11, 20),
            filename="notes.txt", data=b"just text",
        )  # fmt: skip
    assert err.value.field == "file"
    with world.db.read() as s:
        kinds = [e.kind for e in case_events.list_events(s, world.clerk, case_id=case_id)]
    assert "death" not in kinds


@pytest.mark.sqlite_only
def test_document_add_as_evidence_from_the_command_line(world: World, tmp_path: Path) -> None:
    case_id = _mh_case(world)
    with world.db.read() as s:
        case = s.get(CaseFile, case_id)
        assert case is not None
        ref = case.reference
    src = tmp_path / "recall.pdf"
    src.write_bytes(PDF)

    out = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                  "--event-kind", "recall", "--event-date", "18/11/2026", "--json",
                  db=world.db.url, user="clerk")  # fmt: skip
    assert out.code == 0, out.err
    event_id, doc_id = out.json()["event_id"], out.json()["id"]
    again = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                    "--event", str(event_id), db=world.db.url, user="clerk")  # fmt: skip
    assert again.code == 0, again.err
    assert f"evidences event #{event_id}" in again.out
    listed = run_cli(tmp_path, "event", "list", ref, "--json", db=world.db.url, user="clerk")
    (event,) = listed.json()["events"]
    assert event["date"] == "2026-11-18" and event["kind"] == "recall"
    assert event["documents"][0]["id"] == doc_id
    assert [d["filename"] for d in event["documents"]] == ["recall.pdf", "recall.pdf"]
    shown = run_cli(tmp_path, "case", "show", ref, "--json", db=world.db.url, user="clerk")
    assert shown.json()["events"][0]["documents"] == event["documents"]
    # the old `--event KIND` and a kind without a date: one clear line each, nothing stored
    kind_as_id = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                         "--event", "recall", db=world.db.url, user="clerk")  # fmt: skip
    assert kind_as_id.code != 0 and "--event-kind" in kind_as_id.one_error_line()
    no_date = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "court",
                      "--event-kind", "recall", db=world.db.url, user="clerk")  # fmt: skip
    assert no_date.code != 0 and "event-date" in no_date.one_error_line()
    # `event add --document ID`: an event recorded with a document of the case
    made = run_cli(tmp_path, "event", "add", ref, "tribunal_hearing", "--date", "20/11/2026",
                   "--document", str(doc_id), "--json", db=world.db.url, user="clerk")  # fmt: skip
    assert made.code == 0, made.err
    assert made.json()["document_id"] == doc_id
    assert (made.json()["event_id"], doc_id) in _links(world, case_id)
    with world.db.read() as s:
        assert len(s.exec(select(Document).where(Document.case_id == case_id)).all()) == 2


def test_letters_take_event_fields_from_the_timeline(world: World, tmp_path: Path) -> None:
    """`event.recall_date` is the latest recall's date; a value typed when drafting wins; a
    field with neither is refused as before; `template fields` lists them."""
    from caseterm.core.services import letters
    from tests.letter_helpers import add_template

    case_id = _mh_case(world)
    add_template(world, "WHEN", "Recall {{ event.recall_date }}; {{ event.transfer_date }}.\n")
    with pytest.raises(ValidationError, match=r"event\.recall_date"), world.db.read() as s:
        letters.preview_letter(s, world.clerk, case_id=case_id, template_code="WHEN")
    with world.db.write() as s:
        for day in (date(2026, 3, 2), date(2026, 11, 20)):
            case_events.record_event(s, world.clerk, case_id=case_id, kind="recall", event_date=day)
        case_events.record_event(
            s, world.clerk, case_id=case_id, kind="transfer_to_hospital",
            event_date=date(2026, 1, 5),
        )  # fmt: skip
    with world.db.read() as s:
        merged = letters.preview_letter(s, world.clerk, case_id=case_id, template_code="WHEN")
        typed = letters.preview_letter(
            s, world.clerk, case_id=case_id, template_code="WHEN",
            extra={"recall_date": "1 May 2026"},
        )  # fmt: skip
    assert merged == "Recall 20 November 2026; 5 January 2026.\n"
    assert typed == "Recall 1 May 2026; 5 January 2026.\n"
    listed = run_cli(tmp_path, "template", "fields", "--json", db=world.db.url, user="clerk")
    names = {f["field"] for f in listed.json()}
    assert {"event.recall_date", "event.hearing_date", "event.KIND_date", "event.NAME"} <= names
