"""Working days wherever a date is typed (Pilot, asserting the database): an office closure day
an administrator added is warned about like a bank holiday in the bring-forward picker, the new
task form's due date and the booking form's start, with the next working day offered and taken
by ctrl+n; `+10wd` skips the closure day; a past due date previews as invalid and saves nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from textual.pilot import Pilot

from caseterm.core.models import Appointment, Task
from caseterm.core.services import clock_rules, tasks
from caseterm.tui.app import CasetermApp
from caseterm.tui.context import TuiContext
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.pickers import BringForwardScreen
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.screen import TriageScreen
from caseterm.tui.widgets.when_input import WhenInput
from caseterm.tui.work_log.add_task import AddTaskScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

CLOSED = date(2026, 11, 27)  # Friday: the office's away day


def _close_the_office(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        clock_rules.add_closure(s, w.admin, day=CLOSED, reason="away day")


async def test_bring_forward_to_a_closure_day_offers_the_monday(tui_world: TuiWorld) -> None:
    _close_the_office(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "home", "b", *"27/11")
        await settle(pilot)
        assert isinstance(app.screen, BringForwardScreen)
        text = screen_text(app)
        # The warning wraps in the picker.
        assert "→ Friday 27 November 2026 ⚠ Friday 27/11/2026 is an" in text
        assert "office closure day: next working day Monday 30/11/2026" in text
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "→ Monday 30 November 2026" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
    assert tui_world.task("mine_overdue").due_date == date(2026, 11, 30)


async def _open_new_task_form(tui_world: TuiWorld, app: CasetermApp, pilot: Pilot[None]) -> None:
    app.open_case(tui_world.world.case.id or 0)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)
    await press(pilot, "3")
    await settle(pilot)
    await press(pilot, "A")
    await settle(pilot)
    assert isinstance(app.screen, AddTaskScreen)


async def test_new_task_due_on_a_closure_day_takes_the_next_working_day(
    tui_world: TuiWorld,
) -> None:
    _close_the_office(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_new_task_form(tui_world, app, pilot)
        await press(pilot, *"Ring the hostel", "tab", "tab", *"fri")
        await settle(pilot)
        text = screen_text(app)
        assert "→ Friday 27 November 2026" in text
        assert "is an office closure day: next working day Monday 30/11/2026" in text
        assert "ctrl+n takes it" in text
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "→ Monday 30 November 2026" in screen_text(app)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
    with tui_world.db.read() as s:
        task = s.exec(select(Task).where(Task.title == "Ring the hostel")).one()
    assert task.due_date == date(2026, 11, 30)


async def test_new_task_in_ten_working_days_and_a_past_due_date(tui_world: TuiWorld) -> None:
    _close_the_office(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_new_task_form(tui_world, app, pilot)
        await press(pilot, *"Chase the report", "tab", "tab", *"01/01/2020")
        await settle(pilot)
        assert "✗ 01/01/2020 is in the past" in screen_text(app)
        await press(pilot, "ctrl+s")  # refused in the form: nothing written
        await settle(pilot)
        assert isinstance(app.screen, AddTaskScreen)
        assert "Not saved" in screen_text(app)
        with tui_world.db.read() as s:
            assert not s.exec(select(Task).where(Task.title == "Chase the report")).all()
        for _ in range(10):
            await press(pilot, "backspace")
        await press(pilot, *"+10wd")
        await settle(pilot)
        # Monday 23/11 + 10 working days, the closure day on Friday 27/11 skipped.
        assert "→ Tuesday 08 December 2026" in screen_text(app)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
    with tui_world.db.read() as s:
        task = s.exec(select(Task).where(Task.title == "Chase the report")).one()
    assert task.due_date == date(2026, 12, 8)


async def test_booking_on_a_closure_day_moves_to_the_next_working_day(
    tui_world: TuiWorld,
) -> None:
    _close_the_office(tui_world)
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DiaryBookingScreen(case_id=w.case.id))
        await settle(pilot)
        booking = app.screen
        assert isinstance(booking, DiaryBookingScreen)
        await press(pilot, "s")  # kind: supervision; focus moves to the start
        booking.query_one("#bk-starts", WhenInput).text = "27/11/2026 14:00"
        await settle(pilot)
        text = screen_text(app)  # the warning wraps under the start
        assert "⚠ Friday 27/11/2026 is an office closure" in text
        assert "day: next working day Monday 30/11/2026" in text
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "→ Mon 30 Nov 2026 14:00" in screen_text(app)
        assert "office closure day" not in screen_text(app)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, DiaryBookingScreen), 10)
    with tui_world.db.read() as s:
        found = s.exec(select(Appointment).order_by(col(Appointment.id).desc())).first()
    assert found is not None
    assert found.starts_at == datetime(2026, 11, 30, 14, 0)


async def test_triage_bring_forward_in_working_days_past_a_closure_day(
    tui_world: TuiWorld,
) -> None:
    _close_the_office(tui_world)
    w = tui_world.world
    with w.db.write() as s:
        item = tasks.create_task(
            s, w.clerk, kind="new_referral", title="Referral: Ann Example", status="untriaged"
        )
    app = TriageApp(TuiContext(w.db, w.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        await press(pilot, "b")
        await settle(pilot)
        await press(pilot, *"27/11")
        await settle(pilot)
        text = screen_text(app)  # the warning wraps in the dialog
        assert "27/11/2026 is an office closure" in text
        assert "day: next working day Monday 30/11/2026 (ctrl+n takes it)" in text
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert "→ Monday 30 November 2026" in screen_text(app)
        for _ in range(10):
            await press(pilot, "backspace")
        await press(pilot, *"+5wd")  # Tue, Wed, Thu, (Fri closed), Mon, Tue
        await settle(pilot)
        assert "→ Tuesday 01 December 2026" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
    with w.db.read() as s:
        stored = s.get(Task, item.id)
    assert stored is not None and stored.due_date == date(2026, 12, 1)
