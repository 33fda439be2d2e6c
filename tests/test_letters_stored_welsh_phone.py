"""An issued letter is stored as a PDF with the office's letterhead (phone included) and comes
back byte for byte; `letter issue` saves a copy into the letters folder (0640 in a shared group
directory); a Welsh letter's dates are in Welsh; an office's phone is set by its administrators
(`office set`), offered as a merge field and printed on the letterhead."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent, DocumentFile, Office
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import letter_issue, letters, offices, received
from caseterm.core.services.letter_merge import _day_and_date, _long_date
from tests.cli import run_cli
from tests.factories import World
from tests.letter_helpers import add_template, approved

PHONE = "01772 555 0100 ext 214"


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Today is Monday 23 November 2026."""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def _set_phone(w: World, phone: str = PHONE) -> None:
    with w.db.write() as s:
        offices.update_office(s, w.clerk, code=w.office.code, phone=phone)


def test_an_issued_letter_is_stored_as_a_pdf_with_the_phone_on_its_letterhead(
    world: World,
) -> None:
    _set_phone(world)
    doc_id = approved(world)
    with world.db.write() as s:
        issued = letter_issue.issue_letter(s, world.clerk, document_id=doc_id, via="post")
    with world.db.read() as s:
        got = received.get_received(s, world.worker, document_id=doc_id)
        stored = s.exec(select(DocumentFile).where(DocumentFile.document_id == doc_id)).one()
        shown = letters.show_letter(s, world.worker, document_id=doc_id)
    assert got.data.startswith(b"%PDF-") and got.data == bytes(stored.content)
    assert got.info.media_type == "application/pdf"
    assert got.info.filename == f"{world.case.reference.replace('/', '-')}-letter-{doc_id}.pdf"
    assert issued.file_sha256 == hashlib.sha256(got.data).hexdigest() == shown.file_sha256
    text = _pdf_text(got.data)
    assert f"Tel. {PHONE}" in text and "Dear" in text and world.case.reference in text


def test_welsh_letters_write_their_dates_in_welsh(world: World) -> None:
    from datetime import date

    assert _long_date(date(2026, 11, 23), "cy") == "23 Tachwedd 2026"
    assert _day_and_date(date(2026, 11, 30), "cy") == "Dydd Llun 30 Tachwedd 2026"
    assert _day_and_date(date(2026, 11, 30)) == "Monday 30 November 2026"
    body = "Annwyl {{ person.full_name }}\nDyddiad: {{ today }}\nGeni: {{ person.date_of_birth }}\n"
    add_template(world, code="APPT-CY", body=body, language="cy")
    add_template(world, code="APPT-EN", body="Date: {{ today }}\n")
    with world.db.read() as s:
        welsh = letters.preview_letter(
            s, world.clerk, case_id=world.case.id or 0, template_code="APPT-CY"
        )
        english = letters.preview_letter(
            s, world.clerk, case_id=world.case.id or 0, template_code="APPT-EN"
        )
    assert "Dyddiad: 23 Tachwedd 2026" in welsh
    assert "Date: 23 November 2026" in english


def test_office_phone_is_set_by_administrators_checked_and_audited(world: World) -> None:
    with pytest.raises(PermissionDeniedError) as denied, world.db.write() as s:
        offices.update_office(s, world.worker, code="PRE", phone=PHONE)
    assert CAPABILITY_LABELS["office.admin"] in str(denied.value)
    for bad in ("call reception", "12345", "+44 (0)1772 555 0100 5555 5555 55"):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            offices.update_office(s, world.clerk, code="pre", phone=bad)
        assert err.value.field == "phone"
    with pytest.raises(ValidationError, match="no office 'XX'"), world.db.write() as s:
        offices.update_office(s, world.clerk, code="XX", phone=PHONE)
    _set_phone(world, " +44 1772 555 0100 ")
    _set_phone(world, "+44 1772 555 0100")  # the same again: nothing changes, nothing recorded
    with world.db.read() as s:
        office = s.exec(select(Office).where(Office.code == "PRE")).one()
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "office.edit")).all()
    assert office.phone == "+44 1772 555 0100"
    assert len(events) == 1 and "+44 1772 555 0100" in (events[0].after or "")


def test_office_phone_merge_field_and_office_commands(world: World, tmp_path: Path) -> None:
    db = world.db.url
    run = run_cli(tmp_path, "office", "set", "PRE", "--phone", PHONE, "--json", db=db,
                  user="clerk")  # fmt: skip
    assert run.code == 0, run.err
    assert run.json()["phone"] == PHONE
    listed = run_cli(tmp_path, "office", "list", "--json", db=db).json()
    assert {o["code"]: o["phone"] for o in listed} == {"LAN": "", "PRE": PHONE}
    refused = run_cli(tmp_path, "office", "set", "PRE", "--phone", "1", db=db, user="worker")
    assert CAPABILITY_LABELS["office.admin"] in refused.one_error_line()
    fields = run_cli(tmp_path, "template", "fields", db=db)
    assert "office.phone" in fields.out
    add_template(world, code="PHONE", body="Ring us on {{ office.phone }}.\n")
    with world.db.read() as s:
        text = letters.preview_letter(
            s, world.clerk, case_id=world.case.id or 0, template_code="PHONE"
        )
    assert text.strip() == f"Ring us on {PHONE}."


@pytest.mark.sqlite_only  # the folder's handling; the storing runs on both above
def test_letter_issue_saves_the_pdf_into_the_shared_letters_folder(
    world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    folder.chmod(0o2770)  # a shared group directory: files there are 0640
    (tmp_path / "config.toml").write_text(f'letters_dir = "{folder}"\n')
    doc_id = approved(world)
    run = run_cli(tmp_path, "letter", "issue", str(doc_id), "--json", db=world.db.url,
                  user="clerk")  # fmt: skip
    assert run.code == 0, run.err
    out = run.json()
    saved = Path(out["saved_to"])
    assert saved.parent == folder and saved.stat().st_mode & 0o777 == 0o640
    assert out["file"]["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    back = tmp_path / "back.pdf"
    got = run_cli(tmp_path, "document", "get", str(doc_id), "--out", str(back), db=world.db.url)
    assert got.code == 0, got.err
    assert back.read_bytes() == saved.read_bytes()
