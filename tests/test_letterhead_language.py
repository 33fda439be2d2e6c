"""The letterhead in the letter's language and the office's phone on stock letters: a Welsh
letter's letterhead says "Ffôn" and "Tudalen" (words from data, `rules/letterhead.toml`), an
English one "Tel." and "Page"; the stock letters print the office's phone when it has one and
read right when it has none; the demo's offices have phones; the PDF engine warms once."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlmodel import select

from caseterm.core import letter_files
from caseterm.core.letter_files import LetterPage
from caseterm.core.models import Document
from caseterm.core.rules.letterhead import letterhead_words, letterheads, load_letterheads
from caseterm.core.services import (
    letter_approval,
    letter_issue,
    letter_templates,
    letter_views,
    letters,
    offices,
)
from tests.factories import World, book

PHONE = "01632 960 100"


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Today is Monday 23 November 2026."""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def _docx_text(data: bytes) -> tuple[str, str]:
    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs), doc.core_properties.language


def _page(language: str, phone: str = PHONE) -> LetterPage:
    return LetterPage(
        "Caerdydd", "Heol y Frenhines, Caerdydd CF10 2BU", "OM/2026/000001", "T",
        "Annwyl Syr neu Fadam", office_phone=phone, language=language,
    )  # fmt: skip


def test_the_letterhead_words_are_data_with_english_for_any_other_language() -> None:
    assert letterhead_words("cy").phone == "Ffôn" and letterhead_words("cy").page == "Tudalen"
    assert letterhead_words("en").phone == "Tel." and letterhead_words("en").page == "Page"
    assert letterhead_words("fr") == letterhead_words("en")  # no French words: English
    assert set(letterheads()) >= {"en", "cy"}
    with pytest.raises(ValueError, match=r"\[cy\] has no page"):
        load_letterheads('[en]\nphone = "Tel."\npage = "Page"\nlang = "en"\n[cy]\nphone = "F"\n')
    with pytest.raises(ValueError, match=r"no \[en\]"):
        load_letterheads('[cy]\nphone = "Ffôn"\npage = "Tudalen"\nlang = "cy"\n')


def test_a_welsh_letterhead_says_ffon_and_tudalen_in_pdf_and_docx() -> None:
    welsh = _pdf_text(letter_files.pdf_bytes([_page("cy")]))
    assert f"Ffôn {PHONE}" in welsh and "Tudalen 1" in welsh and "Tel." not in welsh
    text, language = _docx_text(letter_files.docx_bytes([_page("cy")]))
    assert f"Ffôn {PHONE}" in text and "Tel." not in text and language == "cy-GB"
    # a print pack of both: each letter's letterhead and page foot in its own language
    both = _pdf_text(letter_files.pdf_bytes([_page("en"), _page("cy")]))
    assert f"Tel. {PHONE}" in both and "Page 1" in both
    assert f"Ffôn {PHONE}" in both and "Tudalen 2" in both
    assert "Ffôn" not in _pdf_text(letter_files.pdf_bytes([_page("cy", phone="")]))


def test_the_pdf_engine_warms_once_and_later_pdfs_are_complete() -> None:
    letter_files.warm_pdf_engine()
    assert letter_files.pdf_engine_warm()
    letter_files.warm_pdf_engine()  # nothing to do the second time
    data = letter_files.pdf_bytes([_page("en")])
    assert data.startswith(b"%PDF-") and f"Tel. {PHONE}" in _pdf_text(data)


def _stock(w: World) -> None:
    with w.db.write() as s:
        letter_templates.install_stock_templates(s, w.admin)


def test_a_stock_letter_prints_the_office_phone_and_reads_right_without_one(
    world: World,
) -> None:
    w = world
    _stock(w)
    case_id = w.case.id or 0
    with w.db.read() as s:
        bare = letters.preview_letter(
            s,
            w.clerk,
            case_id=case_id,
            template_code="WARN_FIRST",
            extra={"missed_date": "2 November 2026"},
        )
    assert "Telephone" not in bare and "Yours sincerely" in bare
    with w.db.write() as s:
        offices.update_office(s, w.admin, code=w.office.code, phone=PHONE)
    with w.db.read() as s:
        english = letters.preview_letter(
            s,
            w.clerk,
            case_id=case_id,
            template_code="WARN_FIRST",
            extra={"missed_date": "2 November 2026"},
        )
    assert english.rstrip().endswith(f"Telephone {PHONE}")


def test_a_welsh_stock_letter_issued_says_ffon_on_its_letterhead_and_in_its_text(
    world: World,
) -> None:
    w = world
    _stock(w)
    book(w, datetime(2026, 11, 30, 10, 0))
    with w.db.write() as s:
        offices.update_office(s, w.admin, code=w.office.code, phone=PHONE)
        made = letters.draft_letter(
            s, w.clerk, case_id=w.case.id or 0, template_code="APPT_CY", extra={}
        )
    doc_id = made.id
    body = made.body
    assert f"ffoniwch ni ar {PHONE} cyn yr apwyntiad" in " ".join(body.split())
    assert body.rstrip().endswith(f"Ffôn {PHONE}")
    with w.db.write() as s:
        letters.submit_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    with w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id, via="post")
    with w.db.read() as s:
        [page] = letter_views.letter_pages(s, w.clerk, document_ids=[doc_id])
        stored = s.exec(select(Document).where(Document.id == doc_id)).one()
        got = letters.show_letter(s, w.clerk, document_id=doc_id)
    assert page.language == "cy" and stored.status == "issued" and got.file_sha256
    from caseterm.core.services import received

    with w.db.read() as s:
        data = received.get_received(s, w.clerk, document_id=doc_id).data
    text = _pdf_text(data)
    assert f"Ffôn {PHONE}" in text and "Tudalen 1" in text and "Tel." not in text
