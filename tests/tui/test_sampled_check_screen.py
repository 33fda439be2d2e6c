"""Checks awaiting me: `enter` on a sampled check opens the work checked, in words, with the
checklist of its kind of work; `f` fails it under the category under the cursor with notes (a
rework task goes to the officer), and the check screen shows it decided. `P` makes the print
pack: a day's issued letters as one PDF in postal order."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input

from caseterm.core.models import Document, Task, WorkCheck
from caseterm.core.models.vocab import TaskKind
from caseterm.core.services import check_outcomes, checks, letter_approval, letter_issue, letters
from caseterm.tui.letters.checks_screen import ChecksScreen
from caseterm.tui.letters.sampled_check import SampledCheckScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.check_helpers import WORK_DAY, add_checker, day_of_work, rate
from tests.factories import World
from tests.keys import press
from tests.letter_helpers import add_template
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_enter_opens_the_work_and_f_fails_it_under_a_category(tui_world: TuiWorld) -> None:
    w = tui_world.world
    add_checker(w)
    day_of_work(w, tasks_each=1, contacts_each=0)
    rate(w, "task", 100)
    with w.db.write() as s:
        checks.draw_checks(s, w.manager, day=WORK_DAY)
    with w.db.read() as s:
        first = check_outcomes.checks_awaiting(s, w.manager)[0]
    app = tui_world.app(w.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await wait_for(pilot, lambda: isinstance(app.screen, ChecksScreen), 5)
        table = app.screen.query_one("#sampled-table", PagedTable)
        await wait_for(pilot, lambda: table.count, 5)
        table.focus()
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SampledCheckScreen), 5)
        await wait_for(pilot, lambda: "Wrong outcome recorded" in screen_text(app), 5)
        text = screen_text(app)
        assert "Job 0 for " in text and "Completed task" in text  # the task, in words
        assert "Done on the wrong case or person" in text  # its checklist
        await press(pilot, "down", "down")  # the third category: wrong case
        await press(pilot, "f")
        await wait_for(pilot, lambda: "what was wrong?" in screen_text(app), 5)
        await press(pilot, *"logged on the neighbour's case")
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "rework task #" in screen_text(app), 5)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChecksScreen), 5)
        await wait_for(pilot, lambda: "failed; rework task #" in screen_text(app), 5)
    with w.db.read() as s:
        check = s.get(WorkCheck, first.id)
        assert check is not None and check.status == "failed"
        assert (check.category, check.notes) == ("wrong_case", "logged on the neighbour's case")
        assert check.checked_by_id == w.manager.id
        rework = s.exec(select(Task).where(Task.kind == TaskKind.REWORK)).one()
        assert rework.id == check.rework_task_id and rework.assignee_id == check.officer_id


def _issue_two(w: World) -> None:
    """Two letters issued by post today, to PR2 and then PR1 (postal order puts PR1 first)."""
    add_template(w)
    for who, postcode in (("Zed", "PR2 9ZZ"), ("Amy", "PR1 1AA")):
        with w.db.write() as s:
            made = letters.draft_letter(
                s, w.clerk, case_id=w.case.id or 0, template_code="APPT", body=f"Letter to {who}"
            )
            doc = s.get(Document, made.id)
            assert doc is not None
            doc.recipient = f"{who}\n1 Road\nPreston {postcode}"
            s.add(doc)
            letters.submit_letter(s, w.clerk, document_id=made.id)
            letter_approval.approve_letter(s, w.manager, document_id=made.id)
            letter_issue.issue_letter(s, w.clerk, document_id=made.id, via="post")


async def test_P_prints_the_days_letters_as_one_pdf(tui_world: TuiWorld, tmp_path: Path) -> None:
    from pypdf import PdfReader

    w = tui_world.world
    _issue_two(w)
    out = tmp_path / "pack.pdf"
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await wait_for(pilot, lambda: isinstance(app.screen, ChecksScreen), 5)
        await press(pilot, "P")
        await wait_for(pilot, lambda: "Print the letters issued on" in screen_text(app), 5)
        await press(pilot, "enter")  # today, as offered
        await wait_for(pilot, lambda: "Save the 2 letter(s) issued on" in screen_text(app), 5)
        app.screen.query_one("#prompt-answer", Input).value = str(out)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "Wrote 2 letter(s)" in screen_text(app), 30)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2 and out.stat().st_mode & 0o777 == 0o600
    assert "Letter to Amy" in (reader.pages[0].extract_text() or "")
    assert "Letter to Zed" in (reader.pages[1].extract_text() or "")
