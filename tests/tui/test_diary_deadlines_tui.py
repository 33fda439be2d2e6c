"""Statutory deadlines in the diary's agenda with Pilot: a running clock on Wendy's case shows
on its due day marked DEADLINE, the overdue one first in words, and enter opens its case; the
rows shown are the clocks the database holds (the clock is frozen on Monday 23/11/2026)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select

from caseterm.core.models import CaseClock
from caseterm.core.services import case_events, cases
from caseterm.core.services.diary_deadlines import DiaryDeadline
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.diary import DiaryScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import notes_of, screen_text


async def test_agenda_shows_my_cases_deadlines_and_enter_opens_the_case(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui_world.world
    ids = []
    with world.db.write() as s:
        for day in (date(2026, 11, 20), date(2026, 10, 1)):
            case = cases.open_case(
                s,
                world.clerk,
                case_type="MHC",
                subject_id=world.person.id or 0,
                owner_id=world.worker.id,
            )
            case_events.record_event(
                s, world.worker, case_id=case.id or 0, kind="recall", event_date=day
            )
            ids.append(case.id or 0)
    due_case, overdue_case = ids
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_diary()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        await press(pilot, "v", "v")  # day → week → agenda
        await settle(pilot)
        table = screen.query_one("#diary-table", PagedTable)
        await wait_for(pilot, lambda: screen.view == "agenda" and bool(screen.rows), 10)
        shown = [r for r in screen.rows if isinstance(r, DiaryDeadline)]
        text = screen_text(app)
        assert "DEADLINE" in text and "14 working days left" in text
        assert "OVERDUE by 22 working" in text and "Thu 22/10 due" in text
        assert "2 deadlines (1 overdue)" in text
        assert isinstance(screen.rows[0], DiaryDeadline)  # the overdue one first
        assert screen.rows[0].case_id == overdue_case
        with world.db.read() as s:
            running = s.exec(
                select(CaseClock)
                .where(col(CaseClock.case_id).in_(ids), CaseClock.status == "running")
                .order_by(col(CaseClock.due_date))
            ).all()
        assert [(r.clock.id, r.due_date) for r in shown] == [(c.id, c.due_date) for c in running]
        table.move_cursor(screen.rows.index(shown[1]))
        await press(pilot, "m")  # not an appointment: said, nothing opened
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
        assert "That is a deadline (Reports after recall): enter opens its case." in notes_of(app)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        assert app.screen.case_id == due_case  # type: ignore[attr-defined]


async def test_the_clock_shows_the_letter_its_rule_names(tui_world: TuiWorld) -> None:
    """A tribunal application starts "Statement to the tribunal", whose rule names template
    MH_TRIB: the case's Timeline (`7`) and the diary's agenda show it beside the clock."""
    world = tui_world.world
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="MHC",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
        case_events.record_event(
            s,
            world.worker,
            case_id=case.id or 0,
            kind="tribunal_application",
            event_date=date(2026, 11, 20),
        )
    with world.db.read() as s:
        stored = s.exec(select(CaseClock).where(CaseClock.case_id == case.id)).one()
    assert stored.letter_template == "MH_TRIB"
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case.id or 0)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        await press(pilot, "7")
        await settle(pilot)
        await wait_for(pilot, lambda: "MH_TRIB" in screen_text(app), 10)
        assert "Letter" in screen_text(app)  # the clocks' column
        app.action_diary()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        await press(pilot, "v", "v")
        await wait_for(pilot, lambda: screen.view == "agenda" and bool(screen.rows), 10)
        (deadline,) = [r for r in screen.rows if isinstance(r, DiaryDeadline)]
        assert deadline.clock.id == stored.id
        assert deadline.clock.letter_template == "MH_TRIB"
