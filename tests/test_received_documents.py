"""Documents received for a case: stored with their type judged from the content, a size
limit, a SHA-256, who and when; listed beside the letters; got back byte for byte; refused on a
restricted case; and the same from the command line and the case screen (`u`)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError, RestrictedError, ValidationError
from caseterm.core.models import AuditEvent, DocumentFile
from caseterm.core.rules import catalogue
from caseterm.core.services import cases, documents, received
from tests.cli import run_cli
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
EMAIL = (
    b"From: court@example.org\r\nTo: office@example.org\r\nSubject: Papers\r\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease find attached.\r\n"
)


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Stored-at times are the frozen clock's."""


def _add(w: World, data: bytes, name: str = "papers.pdf", kind: str = "court") -> int:
    with w.db.write() as s:
        return received.add_received(
            s, w.clerk, case_id=w.case.id or 0, filename=name, data=data, kind=kind
        ).id


def test_a_file_is_stored_whole_and_comes_back_byte_for_byte(world: World) -> None:
    doc_id = _add(world, PDF)
    with world.db.read() as s:
        got = received.get_received(s, world.worker, document_id=doc_id)
        (row,) = documents.list_documents(s, world.worker, world.case.id or 0)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "document.receive")).one()
    assert got.data == PDF
    assert (got.info.media_type, got.info.size) == ("application/pdf", len(PDF))
    assert got.info.sha256 == hashlib.sha256(PDF).hexdigest()
    assert got.info.stored_by == "Claire Clerk" and got.info.kind == "court"
    assert (row.kind, row.status, row.title) == ("received", "court", "papers.pdf")
    assert event.entity_id == doc_id and "application/pdf" in (event.after or "")


def test_the_type_is_judged_by_content_not_by_name(world: World) -> None:
    assert received._media_type(PNG) == "image/png"
    assert received._media_type(EMAIL) == "message/rfc822"
    _add(world, EMAIL, name="letter.pdf", kind="correspondence")  # an e-mail, whatever its name
    for data in (b"MZ\x90\x00 an executable", b"just some text\n", b"<html><script>"):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            received.add_received(
                s, world.clerk, case_id=world.case.id or 0, filename="scan.pdf", data=data,
                kind="court",
            )  # fmt: skip
        assert err.value.field == "file" and "judged by its content" in err.value.reason


def test_size_kind_and_empty_files_are_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(received, "RECEIVED_MAX_BYTES", 100)
    for data, kind, field in (
        (PDF, "court", "file"),
        (b"", "court", "file"),
        (PDF[:50], "x", "kind"),
    ):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            received.add_received(
                s, world.clerk, case_id=world.case.id or 0, filename="a.pdf", data=data, kind=kind
            )
        assert err.value.field == field
    with world.db.read() as s:
        assert s.exec(select(DocumentFile)).all() == []
    assert catalogue.RECEIVED_MAX_BYTES == 20 * 1024 * 1024


def test_restricted_cases_and_roles_are_refused(world: World) -> None:
    doc_id = _add(world, PDF)
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        received.add_received(
            s, world.desk, case_id=world.case.id or 0, filename="a.pdf", data=PDF, kind="court"
        )
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.clerk.id])
    with pytest.raises(RestrictedError), world.db.write() as s:
        received.get_received(s, world.other, document_id=doc_id)


def test_document_add_get_list_from_the_command_line(world: World, tmp_path: Path) -> None:
    db, ref = world.db.url, world.case.reference
    src = tmp_path / "precons.bin"
    src.write_bytes(PDF)
    added = run_cli(tmp_path, "document", "add", ref, str(src), "--kind", "convictions",
                    "--json", db=db, user="clerk")  # fmt: skip
    assert added.code == 0, added.err
    info = added.json()
    assert (
        info["media_type"] == "application/pdf"
        and info["sha256"] == hashlib.sha256(PDF).hexdigest()
    )
    out = tmp_path / "back.pdf"
    got = run_cli(tmp_path, "document", "get", str(info["id"]), "--out", str(out), db=db)
    assert got.code == 0 and out.read_bytes() == PDF and out.stat().st_mode & 0o777 == 0o600
    listed = run_cli(tmp_path, "document", "list", ref, "--json", db=db).json()
    assert [(d["id"], d["kind"]) for d in listed] == [(info["id"], "received")]
    text = tmp_path / "notes.txt"
    text.write_text("plain text\n")
    bad = run_cli(tmp_path, "document", "add", ref, str(text), "--kind", "court", db=db,
                  user="clerk")  # fmt: skip
    assert "judged by its content" in bad.one_error_line()


def test_a_received_document_is_not_a_letter(world: World) -> None:
    from caseterm.core.services import letters

    doc_id = _add(world, PDF)
    with (
        pytest.raises(ValidationError, match="document received, not a letter"),
        world.db.read() as s,
    ):
        letters.show_letter(s, world.clerk, document_id=doc_id)
    with pytest.raises(ValidationError), world.db.write() as s:
        letters.submit_letter(s, world.clerk, document_id=doc_id)
