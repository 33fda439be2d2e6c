"""The case detail screen with Pilot: header, contact log (newest first, filtered), sections,
and what opening a case writes to the database."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from textual.widgets import Select

from caseterm.core import clock
from caseterm.core.models import AccessLog
from caseterm.core.services import cases, contacts, diary, people, reviews
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle


def log_some_contacts(tw: TuiWorld) -> None:
    w = tw.world
    now = clock.now()
    with w.db.write() as s:
        for i, (kind, outcome) in enumerate(
            [("phone_in", ""), ("phone_out", "no_answer"), ("face_to_face", "attended_complied")]
        ):
            contacts.log_contact(
                s,
                w.worker,
                case_id=w.case.id or 0,
                contact_type=kind,
                outcome=outcome,
                notes=f"entry {i}\nsecond line {HOSTILE}",
                occurred_at=now - timedelta(hours=3 - i),
            )
        people.add_warning(
            s, w.clerk, person_id=w.person.id or 0, kind="risk_to_staff", text=f"Shouts {HOSTILE}"
        )


async def test_header_and_contact_log_newest_first(tui_world: TuiWorld) -> None:
    log_some_contacts(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert tui_world.world.case.reference in lines[1] and "Open" in lines[1]
        assert "Siobhán O'Neill-Brady" in lines[2] and "owner Wendy Worker" in lines[2]
        assert "⚠ 1 warning: Risk to staff: Shouts [@click=app.quit]x [bold]y" in lines[3]
        log = [line for line in lines if line[1:11] == "23/11/2026"]
        assert [line.split()[2] for line in log[:3]] == ["Face", "Phone", "Phone"]
        assert "entry 2 second line" in log[0]


async def test_filter_by_type_and_show_an_entry_in_full(tui_world: TuiWorld) -> None:
    log_some_contacts(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        screen.query_one("#filter-type", Select).value = "phone_out"
        await settle(pilot)
        table = screen.query_one("#contacts-table", PagedTable)
        assert table.count == 1
        assert table.current_row is not None
        assert table.current_row.entry.contact_type == "phone_out"
        screen.query_one("#filter-type", Select).clear()
        screen.query_one("#filter-outcome", Select).value = "attended_complied"
        await settle(pilot)
        assert table.count == 1
        table.focus()
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        text = screen_text(app)
        assert "Attended – complied" in text
        assert "entry 2" in text and "second line [@click=app.quit]x" in text
        await press(pilot, "escape")
        assert app.screen is screen


async def test_sections_parties_and_history(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(tui_world.world.case.id or 0)
        await settle(pilot)
        await press(pilot, "4")
        await settle(pilot)
        assert "Subject" in screen_text(app) and "12/04/1988" in screen_text(app)
        await press(pilot, "6")
        await settle(pilot)
        text = screen_text(app)
        assert "case.open" in text and "Claire Clerk" in text
        await press(pilot, "end", "enter")  # the oldest event: the case opened
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert "reference: — → OM/2026/000001" in screen_text(app)


async def test_viewing_a_restricted_case_is_logged(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id])
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        assert "RESTRICTED" in screen_text(app)
    with w.db.read() as s:
        log = s.exec(select(AccessLog).where(AccessLog.staff_id == w.worker.id)).all()
    assert [(row.action, row.where) for row in log] == [("viewed", "case")]


async def test_go_to_case_by_reference_and_n_opens_the_contact_form(tui_world: TuiWorld) -> None:
    from caseterm.tui.contact_entry.screen import ContactEntryScreen

    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case_ref("om/2026/1")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.case_id == tui_world.world.case.id
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)


async def test_diary_and_tasks_sections(tui_world: TuiWorld) -> None:
    w = tui_world.world
    start = clock.now().replace(hour=14, minute=0) + timedelta(days=1)
    with w.db.write() as s:
        diary.book_appointment(
            s,
            w.clerk,
            staff_id=w.worker.id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            kind="supervision",
            case_id=w.case.id,
            room_id=w.room.id,
        )
        reviews.schedule_review(
            s,
            w.clerk,
            case_id=w.case.id or 0,
            kind="review",
            description="Six-month review",
            due_date=clock.today() + timedelta(days=30),
        )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "2")
        await settle(pilot)
        text = screen_text(app)
        assert "24/11/2026 14:00 Supervision" in text and "Interview 1" in text
        assert "Six-month review" in text
        await press(pilot, "3")
        await settle(pilot)
        text = screen_text(app)
        for title in ("Chase the court papers", "Send appointment letter", "Quarterly review"):
            assert title in text
        # Every row is this case's: who has each task is shown, not the case and subject again.
        header = next(line for line in text.splitlines() if line.lstrip().startswith("Due"))
        assert "Assigned" in header and "State" in header
        assert "Case" not in header and "Subject" not in header
