"""Warming the PDF engine when a letters screen opens (the checks awaiting me, a letter, a new
letter): WeasyPrint's import, C bindings and fonts take a second or two the first time in a
process, paid here in a thread while the person reads, so the first letter they issue or save as
a PDF appears in a fraction of a second (`core.letter_files.warm_pdf_engine`; nothing happens the
second time). Not database work, so not through `run_db`."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def warm_pdf(screen: Screen[Any]) -> None:
    """Start warming the PDF engine in a thread (once per process; later calls return at once)."""
    from caseterm.core.letter_files import pdf_engine_warm, warm_pdf_engine

    if pdf_engine_warm():
        return
    screen.run_worker(warm_pdf_engine, thread=True, group="letter-pdf-warm", exclusive=True)
