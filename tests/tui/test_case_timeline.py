"""The case Timeline section and the statutory clocks in the workstation (Pilot): `E` records an
event from the case screen, the header shows the next deadline, the scheduler raises due tasks
when the workstation starts, and the Deadlines queue lists them."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from textual.widgets import Input, Select

from caseterm.core.models import CaseClock, CaseEvent, Task
from caseterm.core.services import case_events, cases, reviews
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.event_dialog import EventScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _mh_case(tw: TuiWorld) -> int:
    w = tw.world
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
    return case.id or 0


async def test_record_an_event_from_the_case_screen(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "E")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EventScreen)
        dialog.query_one("#event-kind", Select).value = "recall"
        date_field = dialog.query_one("#event-date", Input)
        await settle(pilot)
        date_field.value = "20/11/2026"
        await settle(pilot)
        assert "Friday 20 November 2026" in screen_text(app)
        dialog.query_one("#event-details", Input).focus()
        await press(pilot, *"by warrant", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        await wait_for(pilot, lambda: "Next deadline" in screen_text(app), 5)
        await settle(pilot)
        with tui_world.db.read() as s:
            event = s.exec(select(CaseEvent)).one()
            clock_row = s.exec(select(CaseClock)).one()
            letter = s.exec(
                select(Task).where(Task.kind == "letter_to_issue", Task.case_id == case_id)
            ).one()
        assert (event.kind, event.event_date, event.details, event.recorded_by_id) == (
            "recall",
            date(2026, 11, 20),
            "by warrant",
            tui_world.world.worker.id,
        )
        assert (clock_row.due_date, clock_row.status) == (date(2026, 12, 11), "running")
        assert letter.title == "Send letter: Notice of recall"
        text = screen_text(app)
        assert (
            "Next deadline: Reports after recall, ends Fri 11/12/2026 — 14 working days left"
            in text
        )
        events = screen.query_one("#events-table", PagedTable)
        assert events.count == 1 and "Recall to hospital" in text


async def test_a_future_recall_is_refused_and_nothing_written(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "E")
        await settle(pilot)
        app.screen.query_one("#event-kind", Select).value = "recall"
        app.screen.query_one("#event-date", Input).value = "tomorrow"
        await settle(pilot)
        app.screen.query_one("#event-details", Input).focus()
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, EventScreen)  # still open, with what was typed
        assert "is in the future" in screen_text(app), screen_text(app)
        with tui_world.db.read() as s:
            assert s.exec(select(CaseEvent)).all() == []


async def test_timeline_filter_by_kind(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    w = tui_world.world
    with w.db.write() as s:
        for kind, day in (
            ("tribunal_application", date(2026, 11, 2)),
            ("recall", date(2026, 11, 20)),
        ):
            case_events.record_event(s, w.worker, case_id=case_id, kind=kind, event_date=day)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "7")
        await settle(pilot)
        screen = app.screen
        events = screen.query_one("#events-table", PagedTable)
        assert events.count == 2
        screen.query_one("#filter-event", Select).value = "recall"
        await settle(pilot)
        assert events.count == 1
        assert screen.query_one("#clocks-table", PagedTable).count == 2


async def test_the_workstation_raises_due_reviews_when_it_starts(tui_world: TuiWorld) -> None:
    w = tui_world.world
    case_id = _mh_case(tui_world)
    with w.db.write() as s:
        reviews.schedule_review(
            s,
            w.clerk,
            case_id=w.case.id or 0,
            kind="review",
            description="Review",
            due_date=date(2026, 11, 23),
        )
        case_events.record_event(
            s, w.worker, case_id=case_id, kind="tribunal_application", event_date=date(2026, 11, 2)
        )
    app = tui_world.app(schedule=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def raised() -> bool:
            with tui_world.db.read() as s:
                return s.exec(select(Task).where(Task.kind == "review_due")).first() is not None

        await wait_for(pilot, raised, 10)
        await settle(pilot)
        with tui_world.db.read() as s:
            deadline = s.exec(select(Task).where(Task.kind == "deadline")).one()
        # Mon 02/11 + 21 days = Mon 23/11; warned five working days before, due today.
        assert deadline.due_date == date(2026, 11, 23)
        assert deadline.title.startswith("Statement to the tribunal: due 23/11/2026")
