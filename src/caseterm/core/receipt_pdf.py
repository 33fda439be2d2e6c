"""A payment receipt as a PDF (WeasyPrint, imported when a receipt is printed). The lines come
from the receipt service; this module only lays them out and writes the file, through the same
private-then-rename path as every export, so a failure leaves nothing behind."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from caseterm.core.exports import private_output

PAGE_CSS = """
@page { size: A5; margin: 18mm; }
body { font-family: sans-serif; font-size: 11pt; }
h1 { font-size: 15pt; margin: 0 0 6mm 0; }
p { margin: 0 0 2.5mm 0; }
.office { color: #555; font-size: 9pt; margin-top: 8mm; }
"""


def receipt_html(lines: Sequence[str], office: str = "") -> str:
    head, *rest = list(lines) or ["Receipt"]
    body = "".join(f"<p>{escape(line)}</p>" for line in rest)
    foot = f'<p class="office">{escape(office)}</p>' if office else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(head)}</title>"
        f"<style>{PAGE_CSS}</style></head><body><h1>{escape(head)}</h1>{body}{foot}</body></html>"
    )


def write_receipt_pdf(lines: Sequence[str], path: Path, *, office: str = "") -> Path:
    """Write the receipt to `path` (replaced if it exists). Returns the path written."""
    from caseterm.core.pdf_engine import load_weasyprint

    load_weasyprint()  # first, without the library search it does not need
    from weasyprint import HTML

    with private_output(path, option="pdf") as temp:
        HTML(string=receipt_html(lines, office)).write_pdf(str(temp))
    return path.expanduser()
