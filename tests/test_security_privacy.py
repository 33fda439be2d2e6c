"""Data protection: the subject access export, and retention that anonymises closed cases past
their case type's period (and their subjects once nothing live names them)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import (
    AccessLog,
    Appointment,
    AuditEvent,
    CaseFile,
    ContactEntry,
    Document,
    Imposition,
    Payment,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonWarning,
    Task,
)
from caseterm.core.services import (
    case_edit,
    cases,
    contacts,
    incoming,
    people,
    privacy,
    retention,
    triage,
)
from caseterm.core.services.retention import REDACTED
from caseterm.core.storage.database import Database
from tests.cli import run_cli
from tests.conftest import FROZEN
from tests.factories import World, build_world, close_now

OLD_NAME = "Oldroyd-Fenwick"


def _records(s: Session, w: World, case_id: int, person_id: int) -> None:
    """Diary, task, document and money rows on a case (inserted directly: the test needs them
    to exist, not the services that make them)."""
    at = clock.now()
    s.add(
        Appointment(
            case_id=case_id,
            person_id=person_id,
            staff_id=w.worker.id,
            starts_at=at,
            ends_at=at + timedelta(hours=1),
            kind="supervision",
            notes=f"{OLD_NAME} brought his brother",
        )
    )
    s.add(
        Task(
            kind="letter",
            title=f"Write to {OLD_NAME}",
            case_id=case_id,
            details="urgent",
            about_name=f"Mr {OLD_NAME}",
            about_dob=date(1950, 1, 2),
        )
    )
    s.add(Document(case_id=case_id, title=f"Letter to {OLD_NAME}", body=f"Dear {OLD_NAME}"))
    s.add(Imposition(case_id=case_id, kind="fine", amount_pence=25000, imposed_on=at.date()))
    s.add(Payment(case_id=case_id, amount_pence=5000, paid_on=at.date(), reference="PAY-OLD-1"))


@dataclass
class Scene:
    world: World
    old_person: int
    old_case: int
    kept_person: int
    kept_old_case: int


@pytest.fixture
def scene(db: Database) -> Iterator[Scene]:
    """Everything built in the past: a fines case closed in March 2013 (6-year retention) for
    Oldroyd-Fenwick with a full record; another person with one long-closed and one open case."""
    clock.freeze(datetime(2012, 5, 1, 9, 0))
    w = build_world(db)
    with db.write() as s:
        old = people.create_person(
            s,
            w.clerk,
            people.PersonInput(
                given_name="Arthur",
                family_name=OLD_NAME,
                date_of_birth=date(1970, 2, 3),
                aliases=[("Art", "Fenwick")],
                identifiers=[("ACCOUNT", "FE-778899")],
                contacts=[("phone", "01772 000111"), ("address", "1 Mill Lane, Preston")],
            ),
        )
        people.add_warning(
            s, w.clerk, person_id=old.id or 0, kind="risk_to_staff", text=f"{OLD_NAME} threatens"
        )
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=old.id or 0, summary=f"{OLD_NAME} owes"
        )
        contacts.log_contact(
            s, w.worker, case_id=case.id or 0, contact_type="phone_in", notes=f"{OLD_NAME} rang"
        )
        contacts.log_contact(
            s,
            w.worker,
            case_id=case.id or 0,
            contact_type="internal",
            notes="safeguarding",
            sensitive=True,
        )
        _records(s, w, case.id or 0, old.id or 0)
        # Post about him, logged before anyone knew whose it was, then linked in triage: the
        # journal of its creation names him without naming his case.
        post = incoming.record_incoming(
            s, w.clerk, kind="post_in", summary=f"Letter from {OLD_NAME}", about_name=OLD_NAME
        )
        triage.link(s, w.clerk, post.id or 0, person_id=old.id, case_id=case.id)
        kept = people.create_person(s, w.clerk, people.PersonInput("Kim", "Kept"))
        kept_old = cases.open_case(s, w.clerk, case_type="FINE", subject_id=kept.id or 0)
        cases.open_case(s, w.clerk, case_type="FINE", subject_id=kept.id or 0)
    clock.freeze(datetime(2013, 3, 1, 9, 0))
    with db.write() as s:
        close_now(s, w.clerk, case.id or 0, note=f"{OLD_NAME} paid in full")
        close_now(s, w.clerk, kept_old.id or 0, note="paid")
    clock.freeze(FROZEN)
    try:
        yield Scene(w, old.id or 0, case.id or 0, kept.id or 0, kept_old.id or 0)
    finally:
        clock.freeze(None)


# --- subject access -------------------------------------------------------------------------


def test_export_holds_everything_about_the_person(scene: Scene) -> None:
    w = scene.world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=scene.old_case, deny=[w.other.id or 0])
    with w.db.write() as s:
        data = privacy.export_person(s, w.manager, person_id=scene.old_person, reason="SAR-1")
    json.dumps(data)  # JSON-ready as it is
    assert data["person"]["family_name"] == OLD_NAME
    assert {(n["kind"], n["family_name"]) for n in data["names"]} == {
        ("primary", OLD_NAME),
        ("alias", "Fenwick"),
    }
    assert [(i["id_type"], i["value"]) for i in data["identifiers"]] == [("ACCOUNT", "FE-778899")]
    assert len(data["contact_details"]) == 2 and len(data["warnings"]) == 1
    (case,) = data["cases"]
    assert case["reference"].startswith("FE/2012/") and case["case_type"] == "Fines enforcement"
    assert [e["sensitive"] for e in case["contact_entries"]] == [False, True]
    assert case["contact_entries"][0]["staff"] == "worker"
    assert len(case["appointments"]) == len(case["documents"]) == 1
    assert [t["about_name"] for t in case["tasks"]] == [f"Mr {OLD_NAME}", OLD_NAME]
    assert case["money"]["impositions"][0]["amount_pence"] == 25000
    assert case["money"]["payments"][0]["reference"] == "PAY-OLD-1"
    actions = {a["action"] for a in data["audit"]}
    assert {"person.create", "case.open", "contact.log", "case.closed"} <= actions
    # the post about him was journalled before triage linked it to him: still his
    assert any(f"Letter from {OLD_NAME}" in a["summary"] for a in data["audit"])
    with w.db.read() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
        assert (event.staff_id, event.person_id) == (w.manager.id, scene.old_person)
        logged = s.exec(select(AccessLog).where(AccessLog.where == "export")).all()
        assert [(a.case_id, a.action) for a in logged] == [(scene.old_case, "viewed")]


def test_a_party_sees_only_their_part_of_someone_elses_case(scene: Scene) -> None:
    w = scene.world
    with w.db.write() as s:
        case_edit.add_party(
            s,
            w.clerk,
            case_id=w.case.id or 0,
            person_id=scene.kept_person,
            role="victim",
            notes="lives nearby",
        )
        data = privacy.export_person(s, w.manager, person_id=scene.kept_person, reason="SAR-1")
    assert data["party_to_cases"] == [
        {"reference": w.case.reference, "role": "victim", "notes": "lives nearby"}
    ]
    assert [c["subject_id"] for c in data["cases"]] == [scene.kept_person] * 2


@pytest.mark.sqlite_only
def test_cli_export_writes_a_private_new_file(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "sar.json"
    args = ("person", "export", str(scene.old_person), "--reason", "SAR-1", "--out", str(out))
    done = run_cli(tmp_path, *args, db=scene.world.db.url, user="boss")
    assert done.code == 0, done.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["person"]["family_name"] == OLD_NAME
    again = run_cli(tmp_path, *args, db=scene.world.db.url, user="boss")
    assert again.code == 1 and "already exists" in again.one_error_line()


# --- retention ------------------------------------------------------------------------------


def test_what_is_due(scene: Scene) -> None:
    w = scene.world
    with w.db.read() as s:
        due = retention._retention_due(s, w.manager)
    assert [(d.case_id, d.due_on) for d in due] == [
        (scene.old_case, date(2019, 3, 1)),
        (scene.kept_old_case, date(2019, 3, 1)),
    ]
    with w.db.read() as s:
        assert retention._retention_due(s, w.manager, today=date(2019, 2, 28)) == []


def test_dry_run_reports_exactly_and_changes_nothing(scene: Scene) -> None:
    w = scene.world
    with w.db.write() as s:
        dry = retention.run_retention(s, w.manager, dry_run=True)
    with w.db.read() as s:
        assert s.exec(select(Person.family_name).where(Person.id == scene.old_person)).one() == (
            OLD_NAME
        )
        assert not s.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("retention"))
        ).all()
    with w.db.write() as s:
        real = retention.run_retention(s, w.manager)
    assert dry.dry_run and not real.dry_run
    assert (dry.cases, dry.people_anonymised, dry.people_kept, dry.rows) == (
        real.cases,
        real.people_anonymised,
        real.people_kept,
        real.rows,
    )


def test_retention_anonymises_and_reports(scene: Scene) -> None:
    w = scene.world
    with w.db.write() as s:
        report = retention.run_retention(s, w.manager)
    assert [c.case_id for c in report.cases] == [scene.old_case, scene.kept_old_case]
    assert report.people_anonymised == [scene.old_person]
    assert list(report.people_kept) == [scene.kept_person]
    assert report.people_kept[scene.kept_person].startswith("still named on FE/2012/")
    assert report.rows["contact_entry"] == 2 and report.rows["person_identifier"] == 1
    with w.db.read() as s:
        person = s.get(Person, scene.old_person)
        assert person is not None
        assert (person.given_name, person.family_name) == ("Anonymised", "Anonymised")
        assert person.anonymised and person.date_of_birth is None
        names = s.exec(select(PersonName).where(PersonName.person_id == scene.old_person)).all()
        assert [(n.kind, n.folded) for n in names] == [("primary", "anonymised anonymised")]
        for model in (PersonIdentifier, PersonContact, PersonWarning):
            assert not s.exec(select(model).where(model.person_id == scene.old_person)).all()
        case = s.get(CaseFile, scene.old_case)
        assert case is not None and case.status == "archived" and case.summary == ""
        notes = s.exec(select(ContactEntry.notes).where(ContactEntry.case_id == scene.old_case))
        assert set(notes.all()) == {""}
        assert s.exec(select(Document.body).where(Document.case_id == scene.old_case)).one() == ""
        assert (
            s.exec(select(Payment.reference).where(Payment.case_id == scene.old_case)).one() == ""
        )
        kept = s.get(Person, scene.kept_person)
        assert kept is not None and kept.family_name == "Kept" and not kept.anonymised
        done = s.exec(
            select(AuditEvent.action, AuditEvent.entity_id).where(
                col(AuditEvent.action).in_(("retention.anonymise", "person.anonymise"))
            )
        ).all()
        assert sorted(done) == sorted(
            [
                ("retention.anonymise", scene.old_case),
                ("retention.anonymise", scene.kept_old_case),
                ("person.anonymise", scene.old_person),
            ]
        )
        redacted = s.exec(
            select(AuditEvent).where(
                AuditEvent.case_id == scene.old_case, AuditEvent.action == "contact.log"
            )
        ).all()
        assert redacted and all(e.summary == REDACTED for e in redacted)
        assert all(set(json.loads(e.after).values()) == {REDACTED} for e in redacted)
        assert all(e.staff_id == w.worker.id for e in redacted)  # who and when stay
    with w.db.write() as s:
        again = retention.run_retention(s, w.manager)
    assert again.cases == [] and again.people_anonymised == []


@pytest.mark.sqlite_only
def test_no_trace_of_the_name_is_left_in_the_database_file(scene: Scene) -> None:
    """Not in any row, nor in freed space in the file (secure_delete), nor in the search index."""
    w = scene.world
    with w.db.write() as s:
        retention.run_retention(s, w.manager)
    w.db.dispose()  # the last connection checkpoints the WAL into the file
    assert w.db.path is not None
    raw = w.db.path.read_bytes()
    for needle in (OLD_NAME, "Oldroyd", "FE-778899", "01772 000111", "Mill Lane"):
        assert needle.encode() not in raw, needle


@pytest.mark.sqlite_only
def test_cli_retention(scene: Scene, tmp_path: Path) -> None:
    url = scene.world.db.url
    dry = run_cli(tmp_path, "retention", "run", "--dry-run", "--json", db=url, user="boss")
    assert dry.code == 0, dry.err
    assert dry.json()["dry_run"] is True and len(dry.json()["cases"]) == 2
    refused = run_cli(tmp_path, "retention", "run", db=url, user="clerk")
    assert refused.code == 1
    assert "may not handle data-protection requests" in refused.one_error_line()
    done = run_cli(tmp_path, "retention", "run", db=url, user="boss")
    assert done.code == 0, done.err
    assert "anonymised 2 case(s)" in done.out and "anonymised 1 person record(s)" in done.out
    assert "kept person" in done.out
    nothing = run_cli(tmp_path, "retention", "run", db=url, user="boss")
    assert "no closed case is past its retention period" in nothing.out
