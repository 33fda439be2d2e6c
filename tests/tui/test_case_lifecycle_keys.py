"""The case lifecycle's keys on the case screen with Pilot (issue 12): each presses its key,
fills its dialog and asserts the database."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, TextArea

from caseterm.core.models import CaseFile, CaseLink, CaseParty, ContactEntry, Task
from caseterm.core.models.case_lifecycle import CaseTransfer, FileLocation
from caseterm.core.services import case_closure, case_edit, case_transfer, cases, people
from caseterm.tui.case_edit.closure import ClosureScreen, ConfirmModal
from caseterm.tui.case_edit.form import LifecycleForm
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.screens.stale import StaleScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.test_party_picker import pick_person


def _case(tw: TuiWorld) -> CaseFile:
    with tw.db.read() as s:
        case = s.get(CaseFile, tw.world.case.id)
        assert case is not None
        return case


async def _open(tw: TuiWorld, pilot: Pilot[Any], app: Any) -> CaseDetailScreen:
    await settle(pilot)
    app.open_case(tw.world.case.id or 0)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)
    return app.screen


async def _form(pilot: Pilot[Any], app: Any, key: str) -> LifecycleForm:
    await press(pilot, key)
    await wait_for(pilot, lambda: isinstance(app.screen, LifecycleForm), 5)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, LifecycleForm)
    return form


async def _save(pilot: Pilot[Any], app: Any) -> None:
    await press(pilot, "ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    await settle(pilot)


async def test_U_edits_the_case(tui_world: TuiWorld) -> None:
    tw = tui_world
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "U")
        form.query_one("#lf-summary", TextArea).load_text("Weekly supervision")
        form.query_one("#lf-priority", Select).value = "1"
        form.query_one("#lf-owner", Select).value = str(tw.world.other.id)
        await _save(pilot, app)
    case = _case(tw)
    assert (case.summary, case.priority, case.owner_id) == (
        "Weekly supervision",
        1,
        tw.world.other.id,
    )


async def test_U_on_a_case_changed_meanwhile_offers_reload(tui_world: TuiWorld) -> None:
    tw = tui_world
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "U")
        with tw.db.write() as s:
            case_edit.edit_case(
                s, tw.world.worker, case_id=tw.world.case.id or 0, expected_version=None, priority=2
            )
        form.query_one("#lf-priority", Select).value = "4"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, StaleScreen), 5)
        assert "Wendy Worker" in screen_text(app)
    assert _case(tw).priority == 2


async def test_C_closes_through_the_checklist(tui_world: TuiWorld) -> None:
    tw = tui_world
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        await press(pilot, "C")
        await wait_for(pilot, lambda: isinstance(app.screen, ClosureScreen), 5)
        await settle(pilot)
        closure = app.screen
        assert isinstance(closure, ClosureScreen)
        assert "Order or work completed" in screen_text(app)
        await press(pilot, "enter")  # the first reason: completed
        await wait_for(pilot, lambda: closure.info is not None, 5)
        await press(pilot, "ctrl+s")  # refused: steps left
        await wait_for(pilot, lambda: "Not done" in screen_text(app), 5)
        assert "mandatory steps not ticked" in screen_text(app)

        def left() -> int:
            return len(closure.info.outstanding) if closure.info is not None else -1

        for expected in (2, 1, 0):  # final contact, appointments, tasks: the cursor moves on
            await press(pilot, "t")
            await wait_for(pilot, lambda: left() == expected, 5)  # noqa: B023
        await wait_for(pilot, lambda: closure.info is not None and not closure.info.outstanding, 5)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    assert _case(tw).status == "closed"


async def test_n_on_a_closed_case_asks_first(tui_world: TuiWorld) -> None:
    tw = tui_world
    with tw.db.write() as s:
        case_closure.start_closure(
            s, tw.world.clerk, case_id=tw.world.case.id or 0, reason="no_further_action"
        )
        for step in ("appointments_cancelled", "tasks_closed"):
            case_closure.tick_step(s, tw.world.clerk, case_id=tw.world.case.id or 0, step=step)
        case_closure.close_case(s, tw.world.clerk, case_id=tw.world.case.id or 0)
    app = tw.app(tw.world.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        await press(pilot, "n")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 5)
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await press(pilot, "n")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 5)
        await press(pilot, "y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ContactEntryScreen", 5)
        await settle(pilot)
        await press(pilot, "ctrl+t", "i")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tw.db.read() as s:
        entries = s.exec(select(ContactEntry).where(ContactEntry.case_id == tw.world.case.id)).all()
    assert [e.contact_type for e in entries] == ["internal"]


async def test_O_reopens_with_a_reason(tui_world: TuiWorld) -> None:
    tw = tui_world
    with tw.db.write() as s:
        cid = tw.world.case.id or 0
        case_closure.start_closure(s, tw.world.clerk, case_id=cid, reason="no_further_action")
        case_closure.waive_step(s, tw.world.clerk, case_id=cid, step="tasks_closed", reason="none")
        case_closure.waive_step(
            s, tw.world.clerk, case_id=cid, step="appointments_cancelled", reason="none"
        )
        case_closure.close_case(s, tw.world.clerk, case_id=cid)
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "O")
        form.query_one("#lf-reason", Input).value = "new order made"
        await _save(pilot, app)
    case = _case(tw)
    assert (case.status, case.status_reason) == ("open", "new order made")


async def test_X_transfers_out_and_the_receiver_accepts(tui_world: TuiWorld) -> None:
    tw = tui_world
    w = tw.world
    app = tw.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "X")
        form.query_one("#lf-office", Select).value = str(w.office.id)  # the same office
        form.query_one("#lf-reason", Input).value = "moved to Lancaster"
        for box in ("papers_sent", "appointments_moved", "tasks_handed_over"):
            form.query_one(f"#lf-{box}", Checkbox).value = True
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "another office" in screen_text(app), 5)
        form.query_one("#lf-office", Select).value = str(w.other_office.id)
        await _save(pilot, app)
        assert _case(tw).status == "transfer_pending"
        form = await _form(pilot, app, "X")
        assert "Transfer in" in screen_text(app)
        form.query_one("#lf-owner", Select).value = str(w.other.id)
        await _save(pilot, app)
    case = _case(tw)
    assert (case.status, case.office_id, case.owner_id) == ("open", w.other_office.id, w.other.id)
    with tw.db.read() as s:
        t = s.exec(select(CaseTransfer)).one()
        task = s.get(Task, t.task_id)
        assert t.status == "accepted" and task is not None and task.status == "done"


async def test_X_returns_a_transfer_with_a_reason(tui_world: TuiWorld) -> None:
    tw = tui_world
    w = tw.world
    with tw.db.write() as s:
        case_transfer.transfer_out(
            s, w.clerk, case_id=w.case.id or 0, office_id=w.other_office.id or 0, reason="moved",
            papers_sent=True, appointments_moved=True, tasks_handed_over=True,
        )  # fmt: skip
    app = tw.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "X")
        form.query_one("#lf-decision", Select).value = "return"
        form.query_one("#lf-reason", Input).value = "not our area"
        await _save(pilot, app)
    with tw.db.read() as s:
        t = s.exec(select(CaseTransfer)).one()
    assert (t.status, t.return_reason) == ("returned", "not our area")
    assert _case(tw).office_id == w.office.id


async def test_P_L_and_D_parties_and_links(tui_world: TuiWorld) -> None:
    tw = tui_world
    w = tw.world
    with tw.db.write() as s:
        pid = people.create_person(s, w.clerk, people.PersonInput("Rita", "Clinician")).id or 0
        other = cases.open_case(s, w.clerk, case_type="UPW", subject_id=w.person.id or 0)
    app = tw.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(tw, pilot, app)
        await pick_person(pilot, app, "W", "Rita Clinician")
        form = app.screen
        assert isinstance(form, LifecycleForm) and f"person {pid}" in screen_text(app)
        form.query_one("#lf-role", Select).value = "responsible_clinician"
        await _save(pilot, app)
        form = await _form(pilot, app, "L")
        form.query_one("#lf-other", Input).value = other.reference.lower()
        form.query_one("#lf-kind", Select).value = "previous"
        await _save(pilot, app)
        with tw.db.read() as s:
            assert s.exec(select(CaseParty)).one().role == "responsible_clinician"
            assert s.exec(select(CaseLink)).one().kind == "previous"
        await wait_for(pilot, lambda: screen.view is not None and len(screen.view.parties) == 1, 5)
        await press(pilot, "4")
        await settle(pilot)
        await press(pilot, "down")  # the subject is first, then the clinician
        await press(pilot, "D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), 5)
        await press(pilot, "y")
        await wait_for(pilot, lambda: screen.view is not None and not screen.view.parties, 5)
    with tw.db.read() as s:
        assert s.exec(select(CaseParty)).all() == []
        assert len(s.exec(select(CaseLink)).all()) == 1


async def test_F_records_where_the_paper_file_is(tui_world: TuiWorld) -> None:
    tw = tui_world
    app = tw.app(tw.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(tw, pilot, app)
        form = await _form(pilot, app, "F")
        assert "Now: not recorded" in screen_text(app)
        form.query_one("#lf-kind", Select).value = "offsite"
        form.query_one("#lf-box", Input).value = "B-17"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "retrieval_date" in screen_text(app), 5)
        form.query_one("#lf-retrieval", Input).value = "04/01/2027"
        await _save(pilot, app)
    with tw.db.read() as s:
        row = s.exec(select(FileLocation)).one()
    assert (row.kind, row.box, str(row.retrieval_date)) == ("offsite", "B-17", "2027-01-04")
