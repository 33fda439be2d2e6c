"""Benchmarks of stock letters: the merged preview a person sees on pressing `l` and picking a
template, one PDF (the first in a new process, WeasyPrint's import included; the first after the
letters screen has warmed the engine; and after), and a print pack of 200 letters."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable

from harness import Ctx, Samples, Unavailable, bench
from sqlmodel import col, select

from caseterm.core import letter_files
from caseterm.core.models import CaseFile, CaseType, Document, LetterTemplate
from caseterm.core.services import letter_views, letters

COLD_RUNS = 5

# One PDF in a new process, timed from the moment it is asked for: WeasyPrint's import, the
# fonts and the layout all paid, as for the first letter printed in a running app.
COLD = """
import json, sys, time
from caseterm.core import letter_files
page = letter_files.LetterPage("Preston", "Unicentre, Lords Walk, Preston PR1 1DH",
                               "OM/2026/000001", "Letter", sys.argv[1])
started = time.perf_counter()
letter_files.pdf_bytes([page])
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
"""


# The workstation: a letters screen opens and warms the PDF engine in a thread
# (`tui/letters/pdf_warm.py`); the person reads the letter meanwhile; then the first PDF.
# "warm" is how long the engine took to be ready, "ms" the first letter's PDF after it.
WARMED = """
import json, sys, threading, time
from caseterm.core import letter_files
page = letter_files.LetterPage("Preston", "Unicentre, Lords Walk, Preston PR1 1DH",
                               "OM/2026/000001", "Letter", sys.argv[1],
                               office_phone="01632 960 100", language=sys.argv[2])
opened = time.perf_counter()
warming = threading.Thread(target=letter_files.warm_pdf_engine)
warming.start()
warming.join()
ready = time.perf_counter()
letter_files.pdf_bytes([page])
print(json.dumps({"ms": (time.perf_counter() - ready) * 1000, "warm": (ready - opened) * 1000}))
"""


def _cold(script: str, *args: str) -> list[dict[str, float]]:
    """`script` run in COLD_RUNS new processes, each printing its timings as JSON."""
    runs = []
    for _ in range(COLD_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True,
            timeout=120,
        )  # fmt: skip
        runs.append(json.loads(done.stdout))
    return runs


def _cases_and_templates(ctx: Ctx, n: int = 200) -> list[tuple[int, str]]:
    """(case id, template code) pairs a preview can merge: templates with no typed, appointment
    or account fields, on open cases of their types."""
    with ctx.db.read() as s:
        templates = [
            t
            for t in s.exec(select(LetterTemplate)).all()
            if not any(f in t.body for f in ("event.", "appointment.", "account."))
        ]
        rows = s.exec(
            select(CaseFile.id, CaseType.code)
            .join(CaseType, col(CaseType.id) == CaseFile.case_type_id)
            .where(CaseFile.status == "open", col(CaseFile.restricted).is_(False))
            .limit(5000)
        ).all()
    pairs = [
        (case_id, t.code)
        for case_id, code in rows
        if case_id is not None
        for t in templates
        if not t.case_types or code in t.case_types.split(",")
    ]
    if not pairs:
        raise Unavailable("no template can be merged without typed values")
    ctx.rng.shuffle(pairs)
    return pairs[:n]


@bench("letter_preview", "letter merged for preview (l, pick a template)", target_ms=100)
def letter_preview(ctx: Ctx) -> Callable[[], object]:
    actor = ctx.actor()
    pairs = iter(_cases_and_templates(ctx) * 1000)

    def run() -> object:
        case_id, code = next(pairs)
        with ctx.db.read() as s:
            return letters.preview_letter(s, actor, case_id=case_id, template_code=code)

    return run


def _a_letter(ctx: Ctx) -> str:
    with ctx.db.read() as s:
        body = s.exec(select(Document.body).where(Document.status == "issued")).first()
    return body or "Dear Sir or Madam\n\n" + "A line of the letter.\n" * 30


@bench("letter_pdf_first", "one letter as PDF, first in a new process", target_ms=1000, runs=5)
def letter_pdf_first(ctx: Ctx) -> Samples:
    body = _a_letter(ctx)
    wall = []
    for _ in range(COLD_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", COLD, body], capture_output=True, text=True, check=True,
            timeout=120,
        )  # fmt: skip
        wall.append(json.loads(done.stdout)["ms"])
    return Samples(wall, note="WeasyPrint import included")


@bench(
    "letter_pdf_warmed",
    "first letter as PDF in a new process, once the letters screen has warmed the engine",
    target_ms=1000,
    runs=5,
)
def letter_pdf_warmed(ctx: Ctx) -> Samples:
    runs = _cold(WARMED, _a_letter(ctx), "cy")
    warm = sorted(r["warm"] for r in runs)
    return Samples(
        [r["ms"] for r in runs],
        note=f"Welsh letterhead; warming took {warm[0]:.0f}–{warm[-1]:.0f} ms in the background",
    )


@bench("letter_pdf", "one letter as PDF, after the first", target_ms=300)
def letter_pdf(ctx: Ctx) -> Callable[[], object]:
    page = letter_files.LetterPage("Preston", "Unicentre", "OM/2026/000001", "x", _a_letter(ctx))

    def run() -> object:
        return letter_files.pdf_bytes([page])

    return run


@bench("letters_print_200", "print pack of 200 letters (one PDF)", target_ms=60_000, runs=1)
def letters_print_200(ctx: Ctx) -> Samples:
    actor = ctx.actor()
    with ctx.db.read() as s:
        ids = list(
            s.exec(
                select(Document.id)
                .join(CaseFile, col(CaseFile.id) == Document.case_id)
                .where(Document.status == "issued", col(CaseFile.restricted).is_(False))
                .limit(200)
            ).all()
        )
    if len(ids) < 200:
        raise Unavailable(f"only {len(ids)} issued letters")
    started = time.perf_counter()
    with ctx.db.read() as s:
        pages = letter_views.letter_pages(s, actor, document_ids=[i for i in ids if i])
    letter_files.pdf_bytes(pages)
    return Samples([(time.perf_counter() - started) * 1000], unit="s")
