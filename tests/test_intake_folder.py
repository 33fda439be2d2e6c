"""The watched intake folder: each file dropped in becomes an incoming item for triage with its
file held (type by content, size limit, SHA-256), is filed away to done/ (or rejected/ with a
reason), is taken once however often the folder is scanned, and is attached to a case at triage
as a received document that comes back out byte for byte. Services, folder and command line."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError, RestrictedError, ValidationError
from caseterm.core.models import AuditEvent, IntakeFile, Task
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import cases, documents, intake_files, received, triage
from caseterm.core.storage import intake_folder
from tests.cli import run_cli
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Received-at times are the frozen clock's."""


def _take(w: World, data: bytes = PDF, name: str = "scan-001.pdf") -> intake_files.Taken:
    with w.db.write() as s:
        return intake_files.take_file(s, w.clerk, filename=name, data=data)


def test_a_file_becomes_an_untriaged_post_item_with_its_file_held(world: World) -> None:
    taken = _take(world)
    assert not taken.already
    with world.db.read() as s:
        task = s.get(Task, taken.info.task_id)
        row = s.exec(select(IntakeFile)).one()
        events = s.exec(
            select(AuditEvent.action).where(AuditEvent.entity_id == taken.info.task_id)
        ).all()
        shown = intake_files.file_of_item(s, world.worker, task_id=taken.info.task_id)
    assert task is not None
    assert (task.kind, task.status, task.source) == ("post_in", "untriaged", "intake folder")
    assert task.title == "Received file: scan-001.pdf"
    assert bytes(row.content) == PDF and row.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "intake.take" in events
    assert shown is not None and (shown.type_label, shown.size) == ("PDF", len(PDF))


def test_the_same_file_again_is_taken_once(world: World) -> None:
    first = _take(world)
    again = _take(world, name="renamed.pdf")
    assert again.already and again.info.task_id == first.info.task_id
    with world.db.read() as s:
        assert len(s.exec(select(IntakeFile)).all()) == 1


def test_bad_files_and_roles_are_refused_with_nothing_written(world: World) -> None:
    for data in (b"", b"plain text, not a document\n"):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            intake_files.take_file(s, world.clerk, filename="x.pdf", data=data)
        assert err.value.field == "file"
    with pytest.raises(PermissionDeniedError) as denied, world.db.write() as s:
        intake_files.take_file(s, world.desk, filename="x.pdf", data=PDF)
    assert CAPABILITY_LABELS["task.work"] in str(denied.value)
    with world.db.read() as s:
        assert s.exec(select(IntakeFile)).all() == []
        assert triage._count_incoming(s, world.clerk) == 0


@pytest.mark.sqlite_only  # the folder's handling; the database part runs on both
def test_scan_files_away_taken_and_rejected_and_leaves_files_being_copied(
    world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "a-scan.pdf").write_bytes(PDF)
    (folder / "b-photo.png").write_bytes(PNG)
    (folder / "c-notes.txt").write_text("not a document\n")
    (folder / "d-copying.pdf.part").write_bytes(PDF[:10])
    (folder / ".hidden.pdf").write_bytes(PDF)
    report = intake_folder.scan(world.db, world.clerk, folder)
    assert [t.info.filename for t, _ in report.taken] == ["a-scan.pdf", "b-photo.png"]
    assert [r.filename for r in report.rejected] == ["c-notes.txt"] and not report.failed
    assert sorted(p.name for p in (folder / "done").iterdir()) == ["a-scan.pdf", "b-photo.png"]
    reason = (folder / "rejected" / "c-notes.txt.reason.txt").read_text()
    assert "judged by its content" in reason
    assert (folder / "rejected" / "c-notes.txt.reason.txt").stat().st_mode & 0o777 == 0o600
    left = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert left == [".hidden.pdf", "d-copying.pdf.part"]
    # Scanning again takes nothing; the same bytes dropped again go to done/ without a new item.
    assert intake_folder.scan(world.db, world.clerk, folder).taken == []
    (folder / "a-scan.pdf").write_bytes(PDF)
    again = intake_folder.scan(world.db, world.clerk, folder)
    assert [t.already for t, _ in again.taken] == [True]
    assert (folder / "done" / "a-scan-2.pdf").read_bytes() == PDF
    with world.db.read() as s:
        assert len(s.exec(select(IntakeFile)).all()) == 2
        assert triage._count_incoming(s, world.clerk) == 2


@pytest.mark.sqlite_only  # the folder's handling; the database part runs on both
def test_a_refused_actor_leaves_the_files_for_the_next_scan(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(PDF)
    report = intake_folder.scan(world.db, world.desk, folder)
    assert [f.filename for f in report.failed] == ["a.pdf"]
    assert CAPABILITY_LABELS["task.work"] in report.failed[0].error
    assert (folder / "a.pdf").exists() and not (folder / "done").exists()


def test_attach_at_triage_makes_it_a_received_document_byte_for_byte(world: World) -> None:
    item = _take(world).info.task_id
    case_id = world.case.id or 0
    with (
        pytest.raises(ValidationError, match="link the item to a case first"),
        world.db.write() as s,
    ):
        intake_files.attach_file(s, world.clerk, task_id=item, kind="court")
    with world.db.write() as s:
        triage.link(s, world.clerk, item, case_id=case_id)
    with world.db.write() as s:
        doc = intake_files.attach_file(s, world.clerk, task_id=item, kind="court")
    with world.db.read() as s:
        got = received.get_received(s, world.worker, document_id=doc.id)
        listed = documents.list_documents(s, world.worker, case_id)
        row = s.exec(select(IntakeFile)).one()
        shown = intake_files.file_of_item(s, world.clerk, task_id=item)
        actions = {
            e.action for e in s.exec(select(AuditEvent).where(AuditEvent.case_id == case_id))
        }
        assert intake_files.waiting_files(s, world.clerk) == []
    assert got.data == PDF and got.info.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [(d.id, d.kind, d.status) for d in listed] == [(doc.id, "received", "court")]
    assert row.document_id == doc.id and bytes(row.content) == b""
    assert shown is not None and shown.reference == world.case.reference
    assert {"document.receive", "intake.attach"} <= actions
    with pytest.raises(ValidationError, match="attached already"), world.db.write() as s:
        intake_files.attach_file(s, world.clerk, task_id=item, kind="court")


def test_attach_to_a_named_case_links_the_item_and_respects_restriction(world: World) -> None:
    item = _take(world).info.task_id
    case_id = world.case.id or 0
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=case_id, allow=[world.clerk.id])
    with pytest.raises(RestrictedError), world.db.write() as s:
        intake_files.attach_file(s, world.other, task_id=item, kind="court", case_id=case_id)
    with pytest.raises(ValidationError) as bad, world.db.write() as s:
        intake_files.attach_file(s, world.clerk, task_id=item, kind="nonsense", case_id=case_id)
    assert bad.value.field == "kind"
    with world.db.write() as s:
        intake_files.attach_file(s, world.clerk, task_id=item, kind="prison", case_id=case_id)
    with world.db.read() as s:
        task = s.get(Task, item)
        assert task is not None and task.case_id == case_id


@pytest.mark.sqlite_only  # the folder's handling; the database part runs on both
def test_intake_scan_list_attach_from_the_command_line(world: World, tmp_path: Path) -> None:
    db = world.db.url
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(PDF)
    (folder / "junk.txt").write_text("junk\n")
    none = run_cli(tmp_path, "intake", "scan", db=db, user="clerk")
    assert "intake_dir" in none.one_error_line()
    (tmp_path / "config.toml").write_text(f'intake_dir = "{folder}"\n')
    scanned = run_cli(tmp_path, "intake", "scan", "--json", db=db, user="clerk")
    assert scanned.code == 0, scanned.err
    out = scanned.json()
    assert [t["filename"] for t in out["taken"]] == ["letter.pdf"]
    assert out["rejected"][0]["filename"] == "junk.txt"
    item = out["taken"][0]["item_id"]
    listed = run_cli(tmp_path, "intake", "list", "--json", db=db, user="clerk").json()
    assert [x["item_id"] for x in listed] == [item]
    ref = world.case.reference
    attached = run_cli(tmp_path, "intake", "attach", str(item), "--case", ref, "--kind", "court",
                       "--json", db=db, user="clerk")  # fmt: skip
    assert attached.code == 0, attached.err
    doc_id = attached.json()["document_id"]
    back = tmp_path / "back.pdf"
    got = run_cli(tmp_path, "document", "get", str(doc_id), "--out", str(back), db=db)
    assert got.code == 0 and back.read_bytes() == PDF
    text = run_cli(tmp_path, "intake", "scan", db=db, user="clerk")
    assert text.code == 0 and "0 new incoming item(s)" in text.out
