"""The record-event dialog (`E` on the case screen) keeps a draft like every form: escape with
something typed asks, "keep" leaves the draft in the database and it is offered back the next
time (restored, then recorded: the event written and the draft gone in one transaction); what is
typed reaches the database while typing, so the program dying loses nothing; a refusal by the
service keeps the dialog open with what was typed (Monday 23/11/2026)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Select

from caseterm.core.models import CaseEvent, Draft
from caseterm.core.services import cases
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.event_dialog import EventScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle, wait_for
from tests.tui.seen import screen_text


def _mh_case(tw: TuiWorld) -> int:
    w = tw.world
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
    return case.id or 0


def _drafts(tw: TuiWorld) -> list[Draft]:
    with tw.db.read() as s:
        return list(s.exec(select(Draft).where(Draft.kind == "case_event")).all())


async def _open_dialog(pilot: Pilot[Any]) -> EventScreen:
    await press(pilot, "E")
    await wait_for(
        pilot, lambda: any(isinstance(s, EventScreen) for s in pilot.app.screen_stack), 10
    )
    await settle(pilot)
    (dialog,) = [s for s in pilot.app.screen_stack if isinstance(s, EventScreen)]
    return dialog


async def test_leave_keeping_a_draft_then_restore_and_record_it(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        dialog = await _open_dialog(pilot)
        dialog.query_one("#event-kind", Select).value = "recall"
        dialog.query_one("#event-date", Input).value = "20/11/2026"
        dialog.query_one("#event-details", Input).value = "by warrant"
        await settle(pilot)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveFormModal), 10)
        await press(pilot, "k")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        [draft] = _drafts(tui_world)
        assert (draft.key, draft.staff_id) == (str(case_id), tui_world.world.worker.id)
        assert json.loads(draft.data) == {
            "kind": "recall",
            "date": "20/11/2026",
            "details": "by warrant",
        }
        with tui_world.db.read() as s:
            assert s.exec(select(CaseEvent)).all() == []

        dialog = await _open_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftModal), 10)
        assert "Recall to hospital, 20/11/2026: by warrant" in screen_text(app)
        await press(pilot, "r")
        await wait_for(pilot, lambda: app.screen is dialog, 10)
        await settle(pilot)
        assert dialog.query_one("#event-kind", Select).value == "recall"
        assert dialog.query_one("#event-details", Input).value == "by warrant"
        await wait_for(pilot, lambda: dialog.focused is dialog.query_one("#event-details"), 5)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
    with tui_world.db.read() as s:
        event = s.exec(select(CaseEvent)).one()
    assert (event.kind, event.event_date, event.details) == (
        "recall",
        date(2026, 11, 20),
        "by warrant",
    )
    assert _drafts(tui_world) == []


async def test_what_is_typed_is_in_the_database_before_the_program_dies(
    tui_world: TuiWorld,
) -> None:
    case_id = _mh_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        dialog = await _open_dialog(pilot)
        dialog.query_one("#event-kind", Select).value = "tribunal_application"
        await settle(pilot)  # choosing the event moves on to the date
        dialog.query_one("#event-details", Input).focus()
        await press(pilot, *"lodged by solicitor")
        await wait_for(pilot, lambda: dialog.keeper.up_to_date, 10)
        # Nothing saved or left: the dialog is still open, yet the draft is already stored.
        [draft] = _drafts(tui_world)
        assert json.loads(draft.data)["details"] == "lodged by solicitor"
        assert isinstance(app.screen, EventScreen)


async def test_a_refusal_keeps_the_dialog_and_the_draft(tui_world: TuiWorld) -> None:
    case_id = _mh_case(tui_world)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 10)
        await settle(pilot)
        dialog = await _open_dialog(pilot)
        dialog.query_one("#event-kind", Select).value = "tribunal_hearing"
        dialog.query_one("#event-date", Input).value = "01/01/2029"  # the service refuses it
        dialog.query_one("#event-details", Input).value = "old papers"
        await settle(pilot)
        dialog.query_one("#event-details", Input).focus()
        await press(pilot, "enter")
        await wait_for(
            pilot, lambda: "Not recorded: date: is more than a year" in screen_text(app), 10
        )
        assert app.screen is dialog
        await wait_for(pilot, lambda: dialog.keeper.up_to_date, 10)
        [draft] = _drafts(tui_world)
        assert json.loads(draft.data)["details"] == "old papers"
    with tui_world.db.read() as s:
        assert s.exec(select(CaseEvent)).all() == []
