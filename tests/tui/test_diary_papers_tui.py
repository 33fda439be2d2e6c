"""A booking's agenda and minutes from the diary with Pilot: `A` opens them, `m` writes the
minutes before the meeting has ended (saved, with the warning said), `a` the agenda; asserts
what reached the database (Monday 23/11/2026)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select
from textual.widgets import Static, TextArea

from caseterm.core.models import BookingDocument
from caseterm.core.services import diary
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.screens.diary_paper_forms import PaperTextForm
from caseterm.tui.screens.diary_papers import BookingPapersScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of


def _bodies(tui: TuiWorld, appointment_id: int) -> dict[str, str]:
    with tui.db.read() as s:
        rows = s.exec(
            select(BookingDocument).where(BookingDocument.appointment_id == appointment_id)
        ).all()
    return {r.kind: r.body for r in rows}


async def test_minutes_and_agenda_written_from_the_diary(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    start = frozen_clock.replace(hour=15, minute=0)
    with world.db.write() as s:
        (meeting,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id or 0,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="meeting",
            guests=["Dr Patel"],
        )
    appt = meeting.id or 0
    app = tui_world.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_diary()
        await settle(pilot)
        diary_screen = app.screen
        assert isinstance(diary_screen, DiaryScreen)
        await wait_for(pilot, lambda: bool(diary_screen.rows), 10)
        await press(pilot, "A")
        await wait_for(pilot, lambda: isinstance(app.screen, BookingPapersScreen), 10)
        papers = app.screen
        assert isinstance(papers, BookingPapersScreen)
        await wait_for(pilot, lambda: papers.papers is not None, 10)
        assert "Attending: Dr Patel (guest)" in str(
            papers.query_one("#bp-attending", Static).content
        )

        await press(pilot, "m")
        await wait_for(pilot, lambda: isinstance(app.screen, PaperTextForm), 10)
        form = app.screen
        assert isinstance(form, PaperTextForm)
        await wait_for(pilot, lambda: form.keeper.ready, 10)
        form.query_one(TextArea).text = "Agreed: review in March"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BookingPapersScreen), 10)
        assert any(
            "Minutes of the booking saved. Note: the meeting has not ended yet (it ends 16:00" in n
            for n in notes_of(app)
        )
        await wait_for(
            pilot,
            lambda: papers.papers is not None and papers.papers.minutes is not None,
            10,
        )
        assert "Agreed: review in March" in str(papers.query_one("#bp-minutes", Static).content)

        await press(pilot, "a")
        await wait_for(pilot, lambda: isinstance(app.screen, PaperTextForm), 10)
        agenda = app.screen
        assert isinstance(agenda, PaperTextForm)
        await wait_for(pilot, lambda: agenda.keeper.ready, 10)
        agenda.query_one(TextArea).text = "1. Apologies\n2. Caseload"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BookingPapersScreen), 10)
    assert _bodies(tui_world, appt) == {
        "minutes": "Agreed: review in March",
        "agenda": "1. Apologies\n2. Caseload",
    }
