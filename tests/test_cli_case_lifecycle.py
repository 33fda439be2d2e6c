"""`caseterm case edit|close|reopen|transfer|accept|return|transfer-reminders|party|link|
file-location` and `contact add --to-closed-case`, in this process (issue 12)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import CaseFile, CaseLink, CaseParty, Task
from caseterm.core.services import cases, people
from tests.cli import run_cli
from tests.factories import World


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def _case(w: World) -> CaseFile:
    with w.db.read() as s:
        case = s.get(CaseFile, w.case.id)
        assert case is not None
        return case


def test_edit_json_and_stale_version(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    run = run_cli(
        tmp_path,
        "case", "edit", ref, "--priority", "1", "--owner", "other", "--summary", "Weekly",
        "--version", str(_case(w).version), "--json",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["reference"] == ref and set(data["changed"]) >= {"priority", "owner", "summary"}
    case = _case(w)
    assert (case.priority, case.owner_id, case.summary) == (1, w.other.id, "Weekly")
    stale = run_cli(tmp_path, "case", "edit", ref, "--priority", "2", "--version", "1", db=w.db.url)
    assert stale.code != 0 and "changed by Claire Clerk" in stale.err
    assert len(stale.err.strip().splitlines()) == 1 and _case(w).priority == 1


def test_close_through_the_checklist(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    reasons = run_cli(tmp_path, "case", "close", ref, "--list-reasons", db=w.db.url)
    assert "death: Death of the subject" in reasons.out
    started = run_cli(
        tmp_path, "case", "close", ref, "--reason", "completed", "--tick", "final_contact",
        "--finish", db=w.db.url, user="clerk",
    )  # fmt: skip
    assert started.code != 0
    assert "checklist: mandatory steps not ticked or waived" in started.err
    assert _case(w).status == "open"
    begun = run_cli(
        tmp_path, "case", "close", ref, "--reason", "completed", "--json",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    assert json.loads(begun.out)["outstanding"] == [
        "final_contact",
        "appointments_cancelled",
        "tasks_closed",
    ]
    done = run_cli(
        tmp_path, "case", "close", ref, "--tick", "final_contact", "--tick", "tasks_closed",
        "--waive", "appointments_cancelled=none booked", "--finish",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "[w] appointments_cancelled" in done.out and "closure closed" in done.out
    assert _case(w).status == "closed"
    refused = run_cli(
        tmp_path, "contact", "add", ref, "--type", "phone_in", db=w.db.url, user="worker"
    )
    assert refused.code != 0 and "--to-closed-case" in refused.err
    allowed = run_cli(
        tmp_path, "contact", "add", ref, "--type", "phone_in", "--to-closed-case",
        db=w.db.url, user="worker",
    )  # fmt: skip
    assert allowed.code == 0, allowed.err
    reopened = run_cli(
        tmp_path, "case", "reopen", ref, "--reason", "new order", "--json", db=w.db.url
    )
    assert json.loads(reopened.out)["status"] == "open"


def test_death_without_a_date_of_death(world: World, tmp_path: Path) -> None:
    run = run_cli(
        tmp_path, "case", "close", world.case.reference, "--reason", "death", db=world.db.url
    )
    assert run.code != 0
    assert "date of death is not recorded: record it on the person" in run.err


def test_transfer_accept_and_reminders(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    same = run_cli(
        tmp_path, "case", "transfer", ref, "--office", "PRE", "--reason", "x", "--papers-sent",
        "--appointments-moved", "--tasks-handed-over", db=w.db.url, user="clerk",
    )  # fmt: skip
    assert same.code != 0 and "office: " in same.err and "another office" in same.err
    unticked = run_cli(
        tmp_path, "case", "transfer", ref, "--office", "LAN", "--reason", "moved",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    assert unticked.code != 0 and "papers_sent" in unticked.err
    out = run_cli(
        tmp_path, "case", "transfer", ref, "--office", "LAN", "--reason", "moved",
        "--papers-sent", "--appointments-moved", "--tasks-handed-over", "--json",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    assert out.code == 0, out.err
    sent = json.loads(out.out)
    assert sent["status"] == "pending" and sent["to_office"] == "Lancaster"
    assert _case(w).status == "transfer_pending"
    none_yet = run_cli(tmp_path, "case", "transfer-reminders", "--json", db=w.db.url, user="clerk")
    assert json.loads(none_yet.out) == []
    accepted = run_cli(
        tmp_path, "case", "accept", ref, "--owner", "other", db=w.db.url, user="boss"
    )
    assert accepted.code == 0, accepted.err
    assert "Preston → Lancaster: accepted" in accepted.out
    case = _case(w)
    assert (case.status, case.office_id, case.owner_id) == ("open", w.other_office.id, w.other.id)
    with w.db.read() as s:
        task = s.get(Task, sent["task_id"])
        assert task is not None and task.status == "done"


def test_return_with_reason(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    run_cli(
        tmp_path, "case", "transfer", ref, "--office", "LAN", "--reason", "moved",
        "--papers-sent", "--appointments-moved", "--tasks-handed-over",
        db=w.db.url, user="clerk",
    )  # fmt: skip
    back = run_cli(
        tmp_path, "case", "return", ref, "--reason", "not our area", "--json",
        db=w.db.url, user="boss",
    )  # fmt: skip
    assert back.code == 0, back.err
    assert json.loads(back.out)["return_reason"] == "not our area"
    assert _case(w).status == "open" and _case(w).office_id == w.office.id


def test_party_and_link(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    with w.db.write() as s:
        pid = people.create_person(s, w.clerk, people.PersonInput("Rita", "Clinician")).id or 0
        other = cases.open_case(s, w.clerk, case_type="UPW", subject_id=w.person.id or 0)
    added = run_cli(
        tmp_path, "case", "party", "add", ref, "--person", str(pid), "--role",
        "Responsible clinician", "--json", db=w.db.url,
    )  # fmt: skip
    assert added.code == 0, added.err
    assert json.loads(added.out)["role"] == "responsible_clinician"
    bad = run_cli(
        tmp_path, "case", "party", "add", ref, "--person", str(pid), "--role", "uncle",
        db=w.db.url,
    )  # fmt: skip
    assert bad.code != 0 and "unknown role" in bad.err
    linked = run_cli(
        tmp_path, "case", "link", ref, other.reference, "--relation", "previous", db=w.db.url
    )
    assert linked.code == 0, linked.err
    with w.db.read() as s:
        assert s.exec(select(CaseLink)).one().kind == "previous"
    run_cli(tmp_path, "case", "link", ref, other.reference, "--remove", db=w.db.url)
    run_cli(tmp_path, "case", "party", "remove", ref, "--person", str(pid), db=w.db.url)
    with w.db.read() as s:
        assert s.exec(select(CaseLink)).all() == [] and s.exec(select(CaseParty)).all() == []


def test_file_location(world: World, tmp_path: Path) -> None:
    w, ref = world, world.case.reference
    missing = run_cli(
        tmp_path, "case", "file-location", ref, "--kind", "offsite", "--box", "B-9", db=w.db.url
    )
    assert missing.code != 0 and "retrieval_date" in missing.err
    run = run_cli(
        tmp_path, "case", "file-location", ref, "--kind", "offsite", "--box", "B-9",
        "--retrieval", "04/01/2027", "--json", db=w.db.url,
    )  # fmt: skip
    assert run.code == 0, run.err
    rows = json.loads(run.out)
    assert rows[0]["box"] == "B-9" and rows[0]["retrieval_date"] == "2027-01-04"
    shown = run_cli(tmp_path, "case", "file-location", ref, db=w.db.url)
    assert "Now: Off-site archive, box B-9, retrievable by 04/01/2027" in shown.out
