"""Letters as files the office's tools open: PDF (WeasyPrint, imported when a PDF is made) and
DOCX (python-docx, likewise), each page headed with the office's letterhead.

Every piece of text is put in as text: HTML-escaped for the PDF (`{{ }}`, `<script>` or markup in
a name prints as typed), added as runs to the DOCX; control characters and code points XML
cannot carry are removed first, so no stored value can break the file. Files are written
private from the first byte (`core/private_files`: 0600, or 0640 in a setgid group directory),
under a temporary name renamed into place.

The fixed words of the letterhead and page ("Tel.", "Page") are in the letter's language
(`rules.letterhead`: a Welsh letter says "Ffôn" and "Tudalen").

The first PDF of a process pays for WeasyPrint's import (through `pdf_engine.load_weasyprint`,
which spares it a search for its C libraries by subprocesses), its C bindings and fontconfig's
start-up (see benchmarks/results.md): `warm_pdf_engine` pays it ahead, in a thread
the letters screens start when they open, by making one small PDF; later PDFs share the parsed
stylesheet and font configuration it leaves (`_engine`). One PDF is made at a time
(`_ENGINE_LOCK`): a PDF asked for while the engine warms waits for it instead of warming again.
Issuing a letter makes its PDF before the transaction that issues it (`render_letter`,
`storage.letter_store.render_for_issue`), so that wait, and the render itself, never happen while
the database's write lock is held.
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.private_files import shared_mode, write_private
from caseterm.core.rules.letterhead import letterhead_words, letterheads
from caseterm.core.text import strip_controls

# What XML 1.0 cannot hold besides the C0 controls strip_controls removes.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", strip_controls(text, multiline=True))


@dataclass(frozen=True)
class LetterPage:
    """One letter as it is printed: the letterhead, the reference and the text."""

    office_name: str
    office_address: str
    reference: str
    title: str
    body: str
    office_phone: str = ""  # printed under the address when the office has one
    language: str = "en"  # the letterhead's fixed words are in this language (its template's)


_CSS = """
@page { size: A4; margin: 20mm 20mm 20mm 25mm;
        @bottom-right { content: counter(page); font-size: 8pt; color: #666; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.35; }
.letter { page-break-after: always; }
.letter:last-child { page-break-after: auto; }
.head { border-bottom: 1px solid #333; margin-bottom: 8mm; padding-bottom: 2mm; }
.office { font-size: 14pt; font-weight: bold; }
.address { font-size: 9pt; color: #333; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
"""


def _css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    return '"' + "".join(c if c.isalnum() or c in " .-" else f"\\{ord(c):x} " for c in text) + '"'


def _page_css() -> str:
    """A named page per language, whose foot says "Page 3" in the letter's language."""
    rules = []
    for language, words in sorted(letterheads().items()):
        rules.append(
            f"@page lang-{language} {{ @bottom-right {{ content: {_css_string(words.page)} "
            '" " counter(page); font-size: 8pt; color: #666; } }\n'
            f".letter.lang-{language} {{ page: lang-{language}; }}"
        )
    return "\n".join(rules)


def letters_html(pages: Sequence[LetterPage]) -> str:
    """The letters as one HTML document, every value escaped."""
    parts = []
    for page in pages:
        words = letterhead_words(page.language)
        parts.append(
            f'<section class="letter lang-{words.language}" lang="{html.escape(words.lang)}">'
            '<div class="head">'
            f'<div class="office">{html.escape(_clean(page.office_name))}</div>'
            f'<div class="address">{html.escape(_clean(page.office_address))}</div>'
            f"{_phone_html(page.office_phone, words.phone)}</div>"
            f'<div class="text">{html.escape(_clean(page.body))}</div></section>'
        )
    first = letterhead_words(pages[0].language).lang if pages else "en-GB"
    return (
        f'<!DOCTYPE html><html lang="{html.escape(first)}"><head><meta charset="utf-8">'
        f"</head><body>{''.join(parts)}</body></html>"
    )


def _phone_html(phone: str, label: str) -> str:
    if not phone.strip():
        return ""
    return f'<div class="address">{html.escape(label)} {html.escape(_clean(phone))}</div>'


_ENGINE_LOCK = threading.Lock()


@cache
def _engine() -> tuple[Any, Any]:
    """WeasyPrint's parsed stylesheet for letters and its font configuration, made once."""
    from caseterm.core.pdf_engine import load_weasyprint

    load_weasyprint()  # first, without the library search it does not need
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(string=_CSS + _page_css(), font_config=fonts), fonts


def _render(pages: Sequence[LetterPage]) -> bytes:
    stylesheet, fonts = _engine()  # imports WeasyPrint first (`pdf_engine`)
    from weasyprint import HTML

    data = HTML(string=letters_html(pages)).write_pdf(stylesheets=[stylesheet], font_config=fonts)
    assert isinstance(data, bytes)
    return data


_warmed = False


def warm_pdf_engine() -> None:
    """Pay the first PDF's start-up now (import, C bindings, fonts, stylesheet) by making one
    small PDF and throwing it away; nothing the second time. Safe from any thread."""
    global _warmed
    with _ENGINE_LOCK:
        if not _warmed:
            _render([LetterPage("Office", "Address", "REF", "Letter", "Dear Sir or Madam")])
            _warmed = True


def pdf_engine_warm() -> bool:
    """Whether a PDF has been made in this process (the engine has started up)."""
    return _warmed


def pdf_bytes(pages: Sequence[LetterPage]) -> bytes:
    """The letters as one PDF, each starting on a new page."""
    if not pages:
        raise ValidationError("letters", "there is nothing to print")
    global _warmed
    with _ENGINE_LOCK:
        data = _render(pages)
        _warmed = True
    return data


@dataclass(frozen=True)
class RenderedLetter:
    """One letter's PDF made before the transaction that issues it (`render_letter`), with the
    page it was made from: issuing stores it only while the letter still reads so."""

    page: LetterPage
    pdf: bytes


def render_letter(page: LetterPage) -> RenderedLetter:
    """The letter as a PDF, made outside any database transaction (it may wait for the engine's
    warm-up, or pay its start-up, without holding the write lock)."""
    return RenderedLetter(page, pdf_bytes([page]))


def docx_bytes(pages: Sequence[LetterPage]) -> bytes:
    """The letters as one Word document, each starting on a new page."""
    if not pages:
        raise ValidationError("letters", "there is nothing to print")
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.language = letterhead_words(pages[0].language).lang
    for n, page in enumerate(pages):
        words = letterhead_words(page.language)
        head = doc.add_paragraph()
        if n:
            head.paragraph_format.page_break_before = True
        name = head.add_run(_clean(page.office_name))
        name.bold = True
        name.font.size = Pt(14)
        address = doc.add_paragraph().add_run(_clean(page.office_address))
        address.font.size = Pt(9)
        if page.office_phone.strip():
            phone = doc.add_paragraph().add_run(f"{words.phone} {_clean(page.office_phone)}")
            phone.font.size = Pt(9)
        for block in _clean(page.body).split("\n\n"):
            para = doc.add_paragraph()
            lines = block.split("\n")
            for i, line in enumerate(lines):
                run = para.add_run(line)
                if i < len(lines) - 1:
                    run.add_break(WD_BREAK.LINE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letters_folder() -> Path | None:
    """The configured folder for letter files (`letters_dir` in the config file), if any."""
    from caseterm.core.config import load_settings

    folder = load_settings().letters_dir
    return Path(folder).expanduser() if folder else None


def place(name: str) -> Path:
    """Where a letter file named `name` goes: a bare file name into the configured letters
    folder (when there is one), any other path as given."""
    path = Path(name).expanduser()
    folder = letters_folder()
    if folder is not None and path.parent == Path("."):
        return folder / path
    return path


def write_file(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """`data` written to the new file `path` (0600, or 0640 in a shared group directory); an
    existing file is refused unless `replace` (asked first), then replaced whole."""
    target = Path(path)
    try:
        write_private(target, data, shared_mode(target), replace=replace)
    except FileExistsError:
        raise ValidationError("file", f"{target} exists already; choose another name") from None
    except OSError as err:
        raise ValidationError("file", f"cannot write {target}: {err.strerror}") from None
    return target
