"""`i` on a case asks whether the received papers close an open "papers to chase" task; `l` on
a "Send letter" task in the case's Tasks section opens the letter form with the template
the task proposes preselected; saving drafts it from the task, and issuing it completes the task
(Pilot, asserting the database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, TextArea

from caseterm.core.models import Document, DocumentFile, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.services import letter_approval, letter_issue, letters, tasks
from caseterm.tui.letters.draft_screen import LetterDraftScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.test_letter_proposals import recall_task
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_l_on_a_send_letter_task_drafts_its_letter(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id, task_id = recall_task(w)
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        table: PagedTable[object] = screen.query_one("#tasks-table", PagedTable)
        await wait_for(pilot, lambda: bool(table.count), 5)
        index = next(
            i
            for i in range(table.count or 0)
            if getattr(table.row_at(i), "task_id", None) == task_id
        )
        table.move_cursor(index)
        table.focus()
        await settle(pilot)
        await press(pilot, "l")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterDraftScreen), 5)
        form = app.screen
        assert isinstance(form, LetterDraftScreen)
        body = form.query_one("#lt-body", TextArea)
        await wait_for(pilot, lambda: body.text.startswith("Dear "), 5)
        assert form.query_one("#lt-template", Select).value == "RECALL_NOTICE"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with w.db.read() as s:
        (doc,) = s.exec(select(Document)).all()
        task = s.get(Task, task_id)
    assert task is not None and f"document:{doc.id}" in task.source
    assert (doc.status, doc.case_id, doc.created_by_id) == ("draft", case_id, w.clerk.id)
    doc_id = doc.id or 0
    with w.db.write() as s:
        letters.submit_letter(s, w.clerk, document_id=doc_id)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    with w.db.write() as s:
        letter_issue.issue_letter(s, w.clerk, document_id=doc_id)
    with w.db.read() as s:
        done = s.get(Task, task_id)
    assert done is not None and done.status == TaskStatus.DONE


async def test_l_on_a_clock_task_naming_a_template_and_on_a_plain_task(
    tui_world: TuiWorld,
) -> None:
    """A statutory clock's task whose rule names a letter: `l` opens that letter; on a task
    naming none, `l` opens the plain choice of template."""
    w = tui_world.world
    case_id, _ = recall_task(w)
    with w.db.write() as s:
        clock_task = tasks.create_task(
            s,
            w.clerk,
            kind="general",
            title="Statutory deadline: recall",
            case_id=case_id,
            source="clock:1:due letter:RECALL_NOTICE",
        ).id
        plain = tasks.create_task(s, w.clerk, kind="general", title="Phone", case_id=case_id).id
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        table: PagedTable[object] = screen.query_one("#tasks-table", PagedTable)
        await wait_for(pilot, lambda: bool(table.count), 5)

        async def letter_on(task_id: int | None) -> LetterDraftScreen:
            index = next(
                i
                for i in range(table.count or 0)
                if getattr(table.row_at(i), "task_id", None) == task_id
            )
            table.move_cursor(index)
            table.focus()
            await settle(pilot)
            await press(pilot, "l")
            await wait_for(pilot, lambda: isinstance(app.screen, LetterDraftScreen), 5)
            assert isinstance(app.screen, LetterDraftScreen)
            return app.screen

        form = await letter_on(plain)
        assert form.query_one("#lt-template", Select).value != "RECALL_NOTICE"
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        form = await letter_on(clock_task)
        body = form.query_one("#lt-body", TextArea)
        await wait_for(pilot, lambda: body.text.startswith("Dear "), 5)
        assert form.query_one("#lt-template", Select).value == "RECALL_NOTICE"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with w.db.read() as s:
        (doc,) = s.exec(select(Document)).all()
        task = s.get(Task, clock_task)
    assert task is not None and f"document:{doc.id}" in task.source
    assert task.status != TaskStatus.DONE
    assert (doc.status, doc.case_id) == ("draft", case_id)


async def test_i_asks_whether_the_papers_close_a_chase(tui_world: TuiWorld, tmp_path: Path) -> None:
    w = tui_world.world
    with w.db.write() as s:
        chase = tasks.create_task(
            s, w.clerk, kind="papers_to_chase", title="Chase PSR", case_id=w.case.id
        ).id
    scan = tmp_path / "psr.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "i")
        await settle(pilot)
        app.screen.query_one("#prompt-answer", Input).value = str(scan)
        await press(pilot, "enter")
        await settle(pilot)
        app.screen.query_one("#prompt-answer", Input).value = "court"
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "papers-to-chase" in screen_text(app), 5)
        app.screen.query_one("#prompt-answer", Input).value = str(chase)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: "Which event do these papers" in screen_text(app), 5)
        await press(pilot, "enter")  # evidence of no event (the first choice)
        await wait_for(pilot, lambda: "psr.pdf" in screen_text(app), 5)
    with w.db.read() as s:
        (stored,) = s.exec(select(DocumentFile)).all()
        task = s.get(Task, chase)
    assert stored.content == scan.read_bytes()
    assert task is not None and task.status == TaskStatus.DONE
    assert task.outcome == f"papers received: document #{stored.document_id}"
