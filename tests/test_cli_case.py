"""`caseterm case show|open` and `caseterm contact add` (run in this process)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from caseterm.core.models import AccessLog, AuditEvent, CaseFile, ContactEntry, Person
from caseterm.core.services import cases, contacts, diary, people, tasks
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _restrict_to_worker(world: World) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])


def test_case_show_text(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        people.add_warning(
            s, world.clerk, person_id=world.person.id or 0, kind="risk_to_staff", text="Dog at home"
        )
        for hour in range(8, 20):
            contacts.log_contact(
                s,
                world.worker,
                case_id=world.case.id or 0,
                contact_type="phone_out",
                outcome="no_answer",
                notes=f"call at {hour}\nsecond line",
                occurred_at=datetime(2026, 11, 20, hour, 0),
            )
    result = run_cli(tmp_path, "case", "show", world.case.reference.lower(), db=world.db.url)
    assert result.code == 0, result.err
    out = result.out
    assert out.splitlines()[0] == f"{world.case.reference}  Offender management"
    assert "Siobhán O'Neill-Brady (born 12/04/1988)" in out
    assert "Owner:       Wendy Worker" in out
    assert "Admin owner: Claire Clerk" in out
    assert "Team:        PRE-OM Preston offender management" in out
    assert "Warnings:    Risk to staff: Dog at home" in out
    assert "Contact log (latest 10 of 12):" in out
    assert "20/11/2026 19:00  Phone out – No answer  Wendy Worker" in out
    assert "      second line" in out
    assert "call at 9\n" not in out  # older than the latest ten


def test_case_show_open_tasks_and_next_appointments(world: World, tmp_path: Path) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        late = tasks.create_task(
            s,
            world.clerk,
            kind="papers_to_chase",
            title="Chase PSR from court",
            case_id=case_id,
            due_date=date(2026, 11, 20),
            priority=2,
            assignee_id=world.worker.id,
        )
        done = tasks.create_task(s, world.clerk, kind="general", title="Done", case_id=case_id)
        tasks.complete_task(s, world.clerk, task_id=done.id or 0, outcome="ok")
        tasks.create_task(s, world.clerk, kind="review_due", title="Review", case_id=case_id)
        for day, hour in ((23, 8), (24, 14), (25, 14)):  # the first is over by 10:30
            diary.book_appointment(
                s,
                world.clerk,
                staff_id=world.worker.id,
                starts_at=datetime(2026, 11, day, hour, 0),
                ends_at=datetime(2026, 11, day, hour, 45),
                kind="supervision",
                case_id=case_id,
                room_id=world.room.id,
                allow_conflicts=True,
            )
    result = run_cli(tmp_path, "case", "show", world.case.reference, "--json", db=world.db.url)
    assert result.code == 0, result.err
    data = result.json()
    assert [t["title"] for t in data["open_tasks"]] == ["Chase PSR from court", "Review"]
    first = data["open_tasks"][0]
    assert (
        first["id"] == late.id and first["overdue"] is True and first["assignee"] == "Wendy Worker"
    )
    assert [a["starts_at"] for a in data["next_appointments"]] == [
        "2026-11-24T14:00:00",
        "2026-11-25T14:00:00",
    ]
    assert data["next_appointments"][0]["room"] == "PRE · Interview 1"
    text_out = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url).out
    assert "Open tasks (2):" in text_out
    assert "due 20/11/2026 OVERDUE  P2  Papers to chase: Chase PSR from court" in text_out
    assert (
        "24/11/2026 14:00–14:45  Supervision  Wendy Worker  PRE · Interview 1  (Booked)" in text_out
    )


def test_case_show_json_and_no_access_log_for_open_cases(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        first = contacts.log_contact(
            s, world.worker, case_id=world.case.id or 0, contact_type="email", notes="sent"
        )
        contacts.correct_contact(
            s, world.worker, entry_id=first.id or 0, notes="sent twice", reason="sent twice"
        )
    result = run_cli(tmp_path, "case", "show", world.case.reference, "--json", db=world.db.url)
    assert result.code == 0, result.err
    data = result.json()
    assert data["reference"] == world.case.reference
    assert data["case_type"] == {"code": "OM", "name": "Offender management"}
    assert data["subject"]["name"] == "Siobhán O'Neill-Brady"
    assert data["subject"]["date_of_birth"] == "1988-04-12"
    assert data["owner"] == {"login": "worker", "name": "Wendy Worker"}
    assert data["status"] == "open" and data["priority"] == 3 and data["restricted"] is False
    assert data["contact_count"] == 2
    newest, oldest = data["contacts"]
    assert newest["supersedes"] == oldest["id"] and oldest["superseded_by"] == newest["id"]
    assert newest["notes"] == "sent twice" and newest["occurred_at"] == "2026-11-23T10:30:00"
    assert isinstance(data["open_tasks"], list) and isinstance(data["next_appointments"], list)
    with world.db.read() as s:
        assert s.exec(select(AccessLog)).all() == []


def test_case_show_restricted_refusal_is_logged(world: World, tmp_path: Path) -> None:
    _restrict_to_worker(world)
    result = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url, user="other")
    assert result.code == 3
    assert result.out == ""
    assert result.one_error_line() == f"{world.case.reference} is restricted — ask Wendy Worker"
    as_json = run_cli(
        tmp_path, "case", "show", world.case.reference, "--json", db=world.db.url, user="other"
    )
    assert as_json.code == 3
    assert as_json.json() == {
        "reference": world.case.reference,
        "restricted": True,
        "ask": "Wendy Worker",
    }
    allowed = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url)
    assert allowed.code == 0 and "Access:      restricted" in allowed.out
    with world.db.read() as s:
        log = s.exec(select(AccessLog).order_by(col(AccessLog.id))).all()
    assert [(r.staff_id, r.action, r.where) for r in log] == [
        (world.other.id, "refused", "case"),
        (world.other.id, "refused", "case"),
        (world.worker.id, "viewed", "case"),
    ]


def test_case_show_needs_a_case_role(world: World, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url, user="desk")
    assert result.code == 1
    assert "desk may not read cases" in result.one_error_line()


def test_stored_escape_sequences_are_not_sent_to_the_terminal(world: World, tmp_path: Path) -> None:
    """Text that slipped into the database past the services (an import, a bad tool) is still
    shown inert."""
    with world.db.write() as s:
        s.execute(
            text("UPDATE person SET family_name = :n WHERE id = :i"),
            {"n": "Evil\x1b]0;pwned\x07\x1b[2J", "i": world.person.id},
        )
        s.execute(
            text("UPDATE case_file SET summary = :v WHERE id = :i"),
            {"v": "line\x1b[31mred\x9b", "i": world.case.id},
        )
    result = run_cli(tmp_path, "case", "show", world.case.reference, db=world.db.url)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out and "\x9b" not in result.out
    assert "Evil]0;pwned[2J" in result.out


def test_case_open_for_existing_person(world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "case",
        "open",
        "--type",
        "fine",
        "--person",
        str(world.person.id),
        "--owner",
        "other",
        "--priority",
        "2",
        "--summary",
        "Unpaid fine from Preston magistrates",
        "--json",
        db=world.db.url,
        user="clerk",
    )
    assert result.code == 0, result.err
    data = result.json()
    assert data["reference"] == "FE/2026/000001"
    assert data["person_id"] == world.person.id and data["owner"] == "other"
    with world.db.read() as s:
        case = s.exec(select(CaseFile).where(CaseFile.reference == "FE/2026/000001")).one()
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "case.open")).all()[-1]
    assert case.owner_id == world.other.id and case.priority == 2
    assert case.admin_owner_id == world.clerk.id and case.team_id == world.team.id
    assert case.summary == "Unpaid fine from Preston magistrates"
    assert event.case_id == case.id and event.staff_id == world.clerk.id


def test_case_open_with_new_person(world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "case",
        "open",
        "--type",
        "MHC",
        "--new-person",
        "Zoë Ní Bhriain-Smith",
        "--dob",
        "03/07/1979",
        db=world.db.url,
        user="clerk",
    )
    assert result.code == 0, result.err
    assert result.out.startswith("opened MH/2026/000001 (person ")
    with world.db.read() as s:
        person = s.exec(select(Person).where(Person.family_name == "Bhriain-Smith")).one()
    assert person.given_name == "Zoë Ní" and person.date_of_birth == date(1979, 7, 3)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--new-person", "Cher"), "new_person: give the given and family names"),
        (
            ("--new-person", "Ann Smith", "--dob", "03/07/79"),
            "Date of birth: cannot read '03/07/79'",
        ),
        (("--new-person", "Ann Smith", "--dob", "01/01/2099"), "Date of birth: is in the future"),
        (("--person", "1", "--owner", "ghost"), "owner: no member of staff with login 'ghost'"),
        (("--person", "999"), "person 999 not found"),
    ],
)
def test_case_open_refusals_write_nothing(
    world: World, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    result = run_cli(
        tmp_path, "case", "open", "--type", "OM", *extra, db=world.db.url, user="clerk"
    )
    assert result.code == 1
    assert message in result.one_error_line()
    with world.db.read() as s:
        assert len(s.exec(select(CaseFile)).all()) == 1
        assert len(s.exec(select(Person)).all()) == 1


def test_contact_add_text(world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "contact",
        "add",
        world.case.reference,
        "--type",
        "phone_in",
        "--outcome",
        "no_answer",
        "--notes",
        "Rang back, no answer",
        "--when",
        "yesterday 9am",
        db=world.db.url,
    )
    assert result.code == 0, result.err
    assert result.out.strip().endswith(
        f"on {world.case.reference}: Phone in – No answer at 22/11/2026 09:00"
    )
    with world.db.read() as s:
        entry = s.exec(select(ContactEntry)).one()
    assert entry.occurred_at == datetime(2026, 11, 22, 9, 0)
    assert entry.logged_at == datetime(2026, 11, 23, 10, 30)
    assert entry.staff_id == world.worker.id and entry.notes == "Rang back, no answer"
    assert (entry.contact_type, entry.outcome, entry.sensitive) == ("phone_in", "no_answer", False)


def test_contact_add_json_notes_from_stdin(world: World, tmp_path: Path) -> None:
    notes = "Attended.\nDiscussed housing — referral made.\n"
    result = run_cli(
        tmp_path,
        "contact",
        "add",
        world.case.reference,
        "--type",
        "Face to face",
        "--outcome",
        "attended-complied",
        "--notes",
        "-",
        "--when=-30m",
        "--sensitive",
        "--json",
        db=world.db.url,
        stdin=notes,
    )
    assert result.code == 0, result.err
    data = result.json()
    assert data["type"] == "face_to_face" and data["outcome"] == "attended_complied"
    assert data["notes"] == notes.strip() and data["sensitive"] is True
    assert data["occurred_at"] == "2026-11-23T10:00:00"
    assert data["reference"] == world.case.reference and data["staff"] == "worker"
    with world.db.read() as s:
        entry = s.exec(select(ContactEntry)).one()
    assert entry.id == data["id"] and entry.sensitive and entry.notes == notes.strip()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--type", "pigeon"), "type: unknown type 'pigeon'; choose from phone_in, phone_out"),
        (("--type", "email", "--outcome", "maybe"), "choose from attended_complied"),
        (("--type", "email", "--when", "tomorrow"), "When it happened: is in the future"),
        (("--type", "email", "--when", "teatime"), "when: cannot read 'teatime'"),
    ],
)
def test_contact_add_refusals(
    world: World, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    result = run_cli(tmp_path, "contact", "add", world.case.reference, *extra, db=world.db.url)
    assert result.code == 1
    assert message in result.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(ContactEntry)).all() == []


def test_contact_add_on_restricted_case(world: World, tmp_path: Path) -> None:
    _restrict_to_worker(world)
    result = run_cli(
        tmp_path,
        "contact",
        "add",
        world.case.reference,
        "--type",
        "email",
        db=world.db.url,
        user="other",
    )
    assert result.code == 3
    assert result.one_error_line() == f"{world.case.reference} is restricted — ask Wendy Worker"
    with world.db.read() as s:
        assert s.exec(select(ContactEntry)).all() == []
        log = s.exec(select(AccessLog)).all()
    assert [(r.staff_id, r.action, r.where) for r in log] == [
        (world.other.id, "refused", "contact")
    ]
