"""Logging an incoming item from the workstation (`I`): what reaches the database, what a
refused save keeps, leaving with something typed, who may use the key, and the draft that
keeps a half-typed item through a killed terminal (kept, offered back, dropped, announced)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import col, select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from caseterm.core.models import AuditEvent, Draft, Task
from caseterm.core.rules.catalogue import INCOMING_KINDS
from caseterm.core.services import drafts
from caseterm.core.services.identity import Actor
from caseterm.tui import app as app_module
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.forms import draft_keeper
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.incoming.drafts import INCOMING_DRAFT_KEY, INCOMING_DRAFT_KIND
from caseterm.tui.incoming.form import INCOMING_KIND_KEYS, IncomingKindKeys, PriorityKeys
from caseterm.tui.incoming.screen import IncomingEntryScreen
from caseterm.tui.screens.queues import QueuesScreen
from tests.keys import press
from tests.tui.conftest import HOSTILE, TODAY, TuiWorld, screen_text, settle, wait_for
from tests.tui.seen import notes_of

pytestmark = pytest.mark.sqlite_only


def untriaged(tw: TuiWorld) -> list[Task]:
    with tw.db.read() as s:
        found = s.exec(
            select(Task).where(col(Task.status) == "untriaged").order_by(col(Task.id))
        ).all()
    return list(found)


def field(screen: object, name: str) -> str:
    assert isinstance(screen, IncomingEntryScreen)
    if name == "details":
        return screen.query_one("#ie-details", TextArea).text
    return screen.query_one(f"#ie-{name}", Input).value


def error_line(screen: object, name: str) -> str:
    assert isinstance(screen, IncomingEntryScreen)
    label = screen.query_one(f"#ie-{name}-error", Static)
    return "" if label.has_class("-empty") else str(label.render())


async def open_form(pilot: Pilot[None]) -> None:
    """From the queues, once they are up: `I`."""
    await settle(pilot)
    await press(pilot, "I")
    await settle(pilot)


@pytest.fixture(autouse=True)
def _quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft_keeper, "DRAFT_EVERY", 0.05)


def draft_rows(tw: TuiWorld) -> list[Draft]:
    with tw.db.read() as s:
        return list(s.exec(select(Draft)).all())


def stored_draft(tw: TuiWorld, actor: Actor) -> dict[str, Any] | None:
    with tw.db.read() as s:
        return drafts._load_draft(s, actor, kind=INCOMING_DRAFT_KIND, key=INCOMING_DRAFT_KEY)


async def drafts_written(pilot: Pilot[None]) -> None:
    """The form's draft keeper has written everything typed so far."""
    keepers = [s.keeper for s in pilot.app.screen_stack if isinstance(s, IncomingEntryScreen)]
    assert keepers, "no incoming item form is open"
    await settle(pilot)
    await wait_for(pilot, lambda: all(k.up_to_date for k in keepers), 10)
    await settle(pilot)


TYPED_DRAFT = {
    "kind": "post_in",
    "summary": "Letter from court [bold] re hearing",
    "name": "Tomasz Nowak",
    "dob": "12/04/1988",
    "source": "Preston Magistrates' Court",
    "priority": "2",
    "details": "Hearing moved\nto 3 D",
    "office": "PRE",  # filled in: the clerk's own office
}


def test_every_incoming_kind_has_one_key() -> None:
    assert sorted(INCOMING_KIND_KEYS.values()) == sorted(INCOMING_KINDS)


async def test_log_post_from_the_incoming_queue(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk, start_queue="incoming")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert untriaged(tui_world) == []
        await press(pilot, "I")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncomingEntryScreen)
        assert isinstance(app.focused, IncomingKindKeys)
        await press(pilot, "p")  # post in; the focus moves on to the summary
        await press(pilot, *"Letter from court re hearing", "tab", *"Tomasz Nowak", "tab")
        await press(pilot, *"12/04/1988")
        assert "Tue 12 Apr 1988" in screen_text(app)
        await press(pilot, "tab", *"Preston Magistrates' Court", "tab", "2")
        assert isinstance(app.focused, TextArea)
        await press(pilot, *"Hearing moved", "enter", *"to 3 Dec")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        [task] = untriaged(tui_world)
        assert isinstance(app.screen, QueuesScreen)
        notes = notes_of(app)
        assert notes == ["Logged: Post in — Letter from court re hearing (in Incoming for triage)"]
        # The queue shown is read again at once (at 80 columns the title is cut with "…").
        await wait_for(pilot, lambda: "Letter from" in screen_text(app), 10)
        assert "Incoming · 1 item" in screen_text(app)
    assert (task.kind, task.title) == ("post_in", "Letter from court re hearing")
    assert (task.about_name, task.about_dob) == ("Tomasz Nowak", date(1988, 4, 12))
    assert task.source == "Preston Magistrates' Court"
    assert (task.priority, task.details) == (2, "Hearing moved\nto 3 Dec")
    assert (task.due_date, task.assignee_id, task.case_id) == (TODAY, None, None)
    assert task.updated_by_id == w.clerk.id
    with tui_world.db.read() as s:
        events = s.exec(
            select(AuditEvent).where(
                col(AuditEvent.entity) == "task", col(AuditEvent.entity_id) == task.id
            )
        ).all()
    assert [e.staff_id for e in events] == [w.clerk.id]


async def test_bad_date_of_birth_is_refused_and_nothing_typed_is_lost(
    tui_world: TuiWorld,
) -> None:
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "m", *"Rang about his appointment", "tab", *"Ann Other", "tab")
        await press(pilot, *"31/02/1988", "tab", *"Phone", "ctrl+n", *"Call back after 2")
        screen = app.screen
        assert "✗ 31/02/1988 is not a real date" in screen_text(app)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert untriaged(tui_world) == []
        assert "Date of birth" in error_line(screen, "dob")
        assert "Not logged" in screen_text(app)
        typed = {n: field(screen, n) for n in ("summary", "name", "dob", "source", "details")}
        assert typed == {
            "summary": "Rang about his appointment",
            "name": "Ann Other",
            "dob": "31/02/1988",
            "source": "Phone",
            "details": "Call back after 2",
        }
        assert app.focused is screen.query_one("#ie-dob")  # straight to what needs fixing
        await press(pilot, *"28/02/1988")  # the focused field's text is selected: replaced
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    [task] = untriaged(tui_world)
    assert (task.kind, task.about_name, task.about_dob) == (
        "phone_message",
        "Ann Other",
        date(1988, 2, 28),
    )


async def test_a_refusal_from_the_service_names_the_field_and_keeps_the_form(
    tui_world: TuiWorld,
) -> None:
    """Details longer than the record holds: the service refuses, the form stays as typed."""
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await press(pilot, "r", *"Referral from the court")
        screen = app.screen
        long_text = "x" * 5001
        screen.query_one("#ie-details", TextArea).load_text(long_text)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and untriaged(tui_world) == []
        assert error_line(screen, "details").startswith("Details: is too long")
        assert field(screen, "details") == long_text
        assert field(screen, "summary") == "Referral from the court"


async def test_kind_and_summary_are_asked_for(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "tab", "tab", *"Jo Bloggs", "ctrl+s")  # the name, and no summary
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncomingEntryScreen) and untriaged(tui_world) == []
        assert "Pick a kind" in error_line(screen, "kind")
        assert "Summary is required" in error_line(screen, "summary")
        assert field(screen, "name") == "Jo Bloggs"
        assert isinstance(app.focused, IncomingKindKeys)
        await press(pilot, "w")  # picking clears its message
        assert error_line(screen, "kind") == ""


async def test_hostile_text_is_stored_and_shown_as_typed(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.clerk, start_queue="incoming")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await press(pilot, "p")
        app.screen.query_one("#ie-summary", Input).value = HOSTILE
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueuesScreen)
        assert "[@click=app.quit]x [bold]y" in screen_text(app)
    [task] = untriaged(tui_world)
    assert task.title == "[@click=app.quit]x [bold]y [/ [2J z"  # the ESC is stripped


async def test_escape_with_something_typed_asks_first(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "escape")  # nothing typed: leaves at once
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        await press(pilot, "I")
        await settle(pilot)
        form = app.screen
        await press(pilot, "p", *"Bank statement")
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveFormModal)
        assert "Leave this incoming item?" in screen_text(app)
        await press(pilot, "escape")  # keep editing
        await settle(pilot)
        assert app.screen is form and field(form, "summary") == "Bank statement"
        await press(pilot, "escape", "d")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    assert untriaged(tui_world) == []


async def test_reception_may_log_a_walk_in(tui_world: TuiWorld) -> None:
    """The desk has reception.desk but not task.work: the key is theirs all the same."""
    desk = tui_world.world.desk
    assert not desk.has("task.work") and desk.has("reception.desk")
    app = tui_world.app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "w", *"Asking about unpaid work hours", "tab", *"Jo Bloggs")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    [task] = untriaged(tui_world)
    assert (task.kind, task.updated_by_id) == ("walk_in", desk.id)


async def test_the_palette_offers_it(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"log incoming")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingEntryScreen)


async def test_the_key_is_off_on_another_form(tui_world: TuiWorld) -> None:
    """An `I` pressed on the contact form's picker must not carry the half-typed entry away."""
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.new_contact(tui_world.world.case.id or 0)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactEntryScreen)
        await press(pilot, "I")
        await settle(pilot)
        assert app.screen is form


async def test_a_half_typed_item_survives_a_killed_app_and_is_restored(
    tui_world: TuiWorld,
) -> None:
    clerk = tui_world.world.clerk
    first = tui_world.app(clerk)
    async with first.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "p", *"Letter from court [bold] re hearing", "tab", *"Tomasz Nowak")
        await press(pilot, "tab", *"12/04/1988", "tab", *"Preston Magistrates' Court", "tab", "2")
        await press(pilot, *"Hearing moved", "enter", *"to 3 D")
        await drafts_written(pilot)
        assert stored_draft(tui_world, clerk) == TYPED_DRAFT
        assert "draft kept 10:30:00, not yet logged" in screen_text(first)
        # the "kill": the app goes away without logging or leaving the form
    assert untriaged(tui_world) == []
    [row] = draft_rows(tui_world)
    assert (row.staff_id, row.kind, row.key) == (clerk.id, "incoming_item", "mine")

    second = tui_world.app(clerk)  # a new start on the same database
    async with second.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        assert isinstance(second.screen, RestoreDraftModal)
        shown = screen_text(second)
        assert "Unsaved incoming item found" in shown
        assert "Typed Mon 23 Nov 2026 10:30 and never saved:" in shown
        assert "Post in — Letter from court [bold] re hearing" in shown
        await press(pilot, "r")
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, IncomingEntryScreen)
        assert screen.query_one("#ie-kind", IncomingKindKeys).value == "post_in"
        assert screen.query_one("#ie-priority", PriorityKeys).value == "2"
        typed = {n: field(screen, n) for n in ("summary", "name", "dob", "source", "details")}
        assert typed == {n: TYPED_DRAFT[n] for n in typed}
        shown = screen_text(second)
        assert "Tue 12 Apr 1988" in shown and "Draft restored" in shown
        assert isinstance(second.focused, TextArea)  # on with the details, where it ended
        await press(pilot, *"ec")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(second.screen, QueuesScreen)
    [task] = untriaged(tui_world)
    assert (task.kind, task.title) == ("post_in", "Letter from court [bold] re hearing")
    assert (task.about_name, task.about_dob) == ("Tomasz Nowak", date(1988, 4, 12))
    assert task.source == "Preston Magistrates' Court"
    assert (task.priority, task.details) == (2, "Hearing moved\nto 3 Dec")
    assert draft_rows(tui_world) == []


async def test_what_is_typed_after_the_last_draft_is_kept_too(tui_world: TuiWorld) -> None:
    """Each change is written, the newest last, however the keys and the writes interleave."""
    clerk = tui_world.world.clerk
    app = tui_world.app(clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "m", *"Rang")
        await drafts_written(pilot)
        assert (stored_draft(tui_world, clerk) or {}).get("summary") == "Rang"
        await press(pilot, *" about his hours", "tab", "tab", *"01/02/1990")
        await drafts_written(pilot)
    kept = stored_draft(tui_world, clerk)
    assert kept is not None
    assert (kept["kind"], kept["summary"], kept["dob"]) == (
        "phone_message",
        "Rang about his hours",
        "01/02/1990",
    )


async def test_declining_the_draft_discards_it(tui_world: TuiWorld) -> None:
    clerk = tui_world.world.clerk
    with tui_world.db.write() as s:
        drafts.save_draft(
            s,
            clerk,
            kind=INCOMING_DRAFT_KIND,
            key=INCOMING_DRAFT_KEY,
            data={"kind": "walk_in", "summary": HOSTILE, "priority": "3"},
        )
    app = tui_world.app(clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreDraftModal)
        shown = " ".join(str(w.render()) for w in modal.query(Static))
        assert "Walk-in — [@click=app.quit]x [bold]y [/" in shown and "\x1b" not in shown
        await press(pilot, "d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncomingEntryScreen)
        assert field(screen, "summary") == ""
        assert screen.query_one("#ie-kind", IncomingKindKeys).value is None
    assert draft_rows(tui_world) == []


async def test_a_colleagues_draft_is_not_offered(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with tui_world.db.write() as s:
        drafts.save_draft(
            s,
            w.other,
            kind=INCOMING_DRAFT_KIND,
            key=INCOMING_DRAFT_KEY,
            data={"summary": "not yours"},
        )
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        assert isinstance(app.screen, IncomingEntryScreen)
    assert [d.staff_id for d in draft_rows(tui_world)] == [w.other.id]


async def test_escape_discard_removes_the_draft(tui_world: TuiWorld) -> None:
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "p", *"Never mind")
        await drafts_written(pilot)
        assert len(draft_rows(tui_world)) == 1
        await press(pilot, "escape")
        await settle(pilot)
        await press(pilot, "d")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    assert draft_rows(tui_world) == []
    assert untriaged(tui_world) == []


async def test_escape_can_keep_it_as_a_draft(tui_world: TuiWorld) -> None:
    """Kept at once on leaving, without waiting for the next draft write."""
    clerk = tui_world.world.clerk
    app = tui_world.app(clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await press(pilot, "r", *"Referral from the probation office")
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveFormModal)
        shown = screen_text(app)
        assert "Leave this incoming item?" in shown and "It has not been logged." in shown
        assert "k keep as a draft" in shown and "contact" not in shown
        await press(pilot, "k")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    kept = stored_draft(tui_world, clerk)
    assert kept is not None
    assert (kept["kind"], kept["summary"]) == ("new_referral", "Referral from the probation office")


async def test_a_draft_that_cannot_be_kept_says_so_and_typing_goes_on(
    tui_world: TuiWorld,
) -> None:
    """Details beyond what a draft may hold: the draft write is refused, quietly; the form and
    what is typed stay, and the item can still be logged once it fits."""
    app = tui_world.app(tui_world.world.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await press(pilot, "p", *"Bundle of papers")
        await drafts_written(pilot)  # the draft that fits, kept before the details outgrow it
        screen = app.screen
        screen.query_one("#ie-details", TextArea).load_text("x" * 100_001)
        await drafts_written(pilot)
        assert app.is_running and app.screen is screen
        assert "Draft not kept: draft: is too large" in screen_text(app)
        kept = stored_draft(tui_world, tui_world.world.clerk)  # the last one that fitted stays
        assert kept is not None and (kept["summary"], kept["details"]) == ("Bundle of papers", "")
        screen.query_one("#ie-details", TextArea).load_text("Bundle from the court")
        await drafts_written(pilot)
        assert "draft kept" in screen_text(app)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    [task] = untriaged(tui_world)
    assert task.details == "Bundle from the court"
    assert draft_rows(tui_world) == []


async def test_an_unsaved_item_is_announced_at_start(
    tui_world: TuiWorld, frozen_clock: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = tui_world.world
    with tui_world.db.write() as s:
        drafts.save_draft(
            s,
            w.worker,
            kind=INCOMING_DRAFT_KIND,
            key=INCOMING_DRAFT_KEY,
            data={
                "kind": "phone_message",
                "summary": "Rang about\x1b[2J his hours",
                "priority": "3",
            },
        )
        drafts.save_draft(
            s, w.worker, kind="contact_entry", key=str(w.case.id), data={"notes": "x"}
        )
        drafts.save_draft(
            s, w.other, kind=INCOMING_DRAFT_KIND, key=INCOMING_DRAFT_KEY, data={"summary": "y"}
        )
    app = tui_world.app(w.worker)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda text, **kw: said.append((kw["title"], text)))
    async with app.run_test(size=(80, 24)) as pilot:
        # The app looks for drafts by itself, a moment after start-up; nothing here asks it to.
        for _ in range(100):
            await settle(pilot)
            if said:
                break
            await pilot.pause(0.05)
        await pilot.pause(app_module.STARTUP_GRACE)
        await settle(pilot)
    assert said == [
        (
            "Unsaved work",
            f"Unsaved contact entry: {w.case.reference} (23/11 10:30). "
            "Open the case and press n to restore it.\n"
            "Unsaved incoming item: Phone message — Rang about[2J his hours (23/11 10:30). "
            "Press I to restore it.",
        )
    ]
