"""Letters as files: PDF and DOCX with the letterhead, read back to check the text; hostile text
(markup, control characters, template syntax in the data, a long letter) prints literally; files
are private (0600, 0640 in a shared group directory); a day's letters print in postal order."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core import letter_files
from caseterm.core.errors import ValidationError
from caseterm.core.letter_files import LetterPage
from caseterm.core.models import Document, PostOut
from caseterm.core.services import letter_approval, letter_issue, letter_views, letters
from tests.cli import run_cli
from tests.factories import World
from tests.letter_helpers import add_template

HOSTILE = "<b>bold</b> [@click=app.quit]x {{ 7*7 }} {% if 1 %}y{% endif %} \x1b[2J&amp;\x00\x07z"
SHOWN = "<b>bold</b> [@click=app.quit]x {{ 7*7 }} {% if 1 %}y{% endif %} [2J&amp;z"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    from docx import Document as Docx

    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def _page(body: str) -> LetterPage:
    return LetterPage("Preston <office>", "Unicentre, Preston PR1 1DH", "OM/2026/000001", "T", body)


def test_hostile_text_prints_literally_in_pdf_and_docx() -> None:
    pages = [_page(f"Dear {HOSTILE}\n\nSecond paragraph"), _page("Next letter")]
    pdf = letter_files.pdf_bytes(pages)
    text = " ".join(_pdf_text(pdf).split())
    assert pdf.startswith(b"%PDF-") and "Preston <office>" in text
    assert " ".join(f"Dear {SHOWN}".split()) in text and "Next letter" in text
    docx = _docx_text(letter_files.docx_bytes(pages))
    assert f"Dear {SHOWN}" in docx and "Preston <office>" in docx and "Next letter" in docx


def test_a_long_letter_cannot_break_the_file() -> None:
    body = ("A line of a very long letter with <tags> and {{ braces }}.\n" * 800)[:50_000]
    pdf = letter_files.pdf_bytes([_page(body)])
    assert _pdf_text(pdf).count("{{ braces }}") >= 700
    assert _docx_text(letter_files.docx_bytes([_page(body)])).count("<tags>") >= 700


def test_files_are_private_and_never_overwritten(tmp_path: Path) -> None:
    path = letter_files.write_file(tmp_path / "a.pdf", b"%PDF-1.7 x")
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(ValidationError, match="exists already"):
        letter_files.write_file(tmp_path / "a.pdf", b"other")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2770)
    assert letter_files.write_file(shared / "b.docx", b"x").stat().st_mode & 0o777 == 0o640
    with pytest.raises(ValidationError, match="nothing to print"):
        letter_files.pdf_bytes([])


@pytest.fixture
def issued(world: World, frozen_clock: datetime) -> World:
    """Three letters issued today: two by post (to PR2 and PR1 postcodes), one by hand."""
    add_template(world)
    for n, (recipient, via) in enumerate(
        (
            ("Zed\n1 Road\nPreston PR2 9ZZ", "post"),
            ("Amy\n2 Lane\nPreston PR1 1AA", "post"),
            ("Bob", "hand"),
        )
    ):
        with world.db.write() as s:
            made = letters.draft_letter(
                s,
                world.clerk,
                case_id=world.case.id or 0,
                template_code="APPT",
                body=f"Letter {n} to {recipient.splitlines()[0]} {HOSTILE}",
            )
            doc = s.get(Document, made.id)
            assert doc is not None
            doc.recipient = recipient
            s.add(doc)
            letters.submit_letter(s, world.clerk, document_id=made.id)
            letter_approval.approve_letter(s, world.manager, document_id=made.id)
            letter_issue.issue_letter(s, world.clerk, document_id=made.id, via=via)
    return world


def test_a_days_letters_in_postal_order(issued: World) -> None:
    with issued.db.read() as s:
        ids = letter_views.issued_for_print(s, issued.worker, day=date(2026, 11, 23))
        recipients = [
            s.exec(select(PostOut.recipient).where(PostOut.document_id == i)).one() for i in ids
        ]
        assert letter_views.issued_for_print(s, issued.worker, day=date(2026, 11, 22)) == []
    assert [r.splitlines()[0] for r in recipients] == ["Amy", "Zed", "Bob"]


def test_print_pack_and_show_as_files_from_the_command_line(issued: World, tmp_path: Path) -> None:
    db = issued.db.url
    out = tmp_path / "pack.pdf"
    run = run_cli(
        tmp_path, "letters", "print", "--date", "23/11/2026", "--out", str(out), "--json", db=db
    )
    assert run.code == 0, run.err
    assert len(run.json()["letters"]) == 3 and out.stat().st_mode & 0o777 == 0o600
    text = " ".join(_pdf_text(out.read_bytes()).split())
    assert text.index("Letter 1 to Amy") < text.index("Letter 0 to Zed") < text.index("Letter 2")
    assert "{{ 7*7 }}" in text
    none = run_cli(
        tmp_path,
        "letters",
        "print",
        "--date",
        "01/01/2026",
        "--out",
        str(tmp_path / "x.pdf"),
        db=db,
    )
    assert none.one_error_line() == "caseterm: --date: no letters were issued on 01/01/2026"
    first = str(run.json()["letters"][0])
    docx = tmp_path / "one.docx"
    shown = run_cli(
        tmp_path,
        "letter",
        "show",
        first,
        "--docx",
        str(docx),
        "--pdf",
        str(tmp_path / "one.pdf"),
        db=db,
    )
    assert shown.code == 0, shown.err
    assert f"Letter 1 to Amy {SHOWN}" in _docx_text(docx.read_bytes())
    again = run_cli(tmp_path, "letter", "show", first, "--pdf", str(tmp_path / "one.pdf"), db=db)
    assert "exists already" in again.one_error_line()


def test_a_one_megabyte_letter_is_refused_whole(world: World, frozen_clock: datetime) -> None:
    add_template(world)
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        letters.draft_letter(
            s, world.clerk, case_id=world.case.id or 0, template_code="APPT", body="x" * 1_000_000
        )
    assert err.value.field == "body" and "too long" in err.value.reason


def test_a_bare_file_name_goes_into_the_configured_letters_folder(
    issued: World, tmp_path: Path
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    folder.chmod(0o2770)  # a shared group directory: files there are 0640
    config = tmp_path / "caseterm.toml"
    config.write_text(f'letters_dir = "{folder}"\n')
    with issued.db.read() as s:
        first = letter_views.issued_for_print(s, issued.worker, day=date(2026, 11, 23))[0]
    run = run_cli(tmp_path, "letter", "show", str(first), "--pdf", "one.pdf", "--json",
                  db=issued.db.url, extra_env={"CASETERM_CONFIG": str(config)})  # fmt: skip
    assert run.code == 0, run.err
    made = folder / "one.pdf"
    assert run.json()["files"] == [str(made)]
    assert made.stat().st_mode & 0o777 == 0o640 and made.read_bytes().startswith(b"%PDF-")
