"""Contact entry journeys with Pilot, asserting what reached the database."""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from textual import events
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, Static, TextArea

from caseterm.core.models import AccessLog, ContactEntry, Draft
from caseterm.core.services import cases, drafts
from caseterm.core.services.identity import Actor
from caseterm.core.storage.database import Database
from caseterm.tui import app as app_module
from caseterm.tui.contact_entry.drafts import PendingDraft, describe_pending
from caseterm.tui.contact_entry.keys import ContactOutcomeKeys, ContactTypeKeys
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.forms import draft_keeper
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import idle, press
from tests.tui.conftest import HOSTILE, TuiWorld, settle, wait_for


class EntryApp:
    """The workstation (`CasetermApp`) with the contact form for the world's case pushed on
    top, as `n` on the case screen does; `results` gets what the form dismissed with."""

    def __init__(self, tui: TuiWorld, actor: Actor | None = None) -> None:
        self.app = tui.app(actor)
        self.case_id = tui.world.case.id or 0
        self.results: list[int | None] = []

    @asynccontextmanager
    async def run_test(self, size: tuple[int, int]) -> AsyncIterator[Pilot[None]]:
        async with self.app.run_test(size=size) as pilot:
            await settle(pilot)
            self.app.push_screen(ContactEntryScreen(self.case_id), self.results.append)
            await settle(pilot)
            yield pilot

    @property
    def screen(self) -> Screen[object]:
        return self.app.screen

    @property
    def focused(self) -> Widget | None:
        return self.app.focused

    def post_message(self, message: Message) -> bool:
        return self.app.post_message(message)


@pytest.fixture
def tui(tui_world: TuiWorld) -> TuiWorld:
    return tui_world


def entries(db: Database) -> list[ContactEntry]:
    with db.read() as s:
        return list(s.exec(select(ContactEntry).order_by(col(ContactEntry.id))).all())


def draft_rows(db: Database) -> list[Draft]:
    with db.read() as s:
        return list(s.exec(select(Draft)).all())


def draft_notes(db: Database) -> str | None:
    """The notes of the one stored draft, or None while there is none."""
    rows = draft_rows(db)
    return str(json.loads(rows[0].data).get("notes", "")) if len(rows) == 1 else None


@pytest.fixture(autouse=True)
def _quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft_keeper, "DRAFT_EVERY", 0.05)


async def test_log_a_contact_with_single_keys(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = str(app.screen.query_one("#top-title", Label).render())
        assert "O'Neill-Brady" in title and (world.case.reference in title)
        await press(pilot, "p", "1")  # phone in, attended – complied; focus moves to notes
        assert isinstance(app.focused, TextArea)
        await press(pilot, *"Rang back", "enter", *"All fine")
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [entry] = entries(world.db)
    assert (entry.contact_type, entry.outcome) == ("phone_in", "attended_complied")
    assert entry.notes == "Rang back\nAll fine"
    assert entry.occurred_at == frozen_clock and entry.staff_id == world.worker.id
    assert not entry.sensitive
    assert app.results == [entry.id]
    assert draft_rows(world.db) == []


async def test_keys_typed_ahead_land_in_order(tui: TuiWorld, frozen_clock: datetime) -> None:
    """A fast typist (or a paste) sends "f2He said" before the app has run any binding: the
    picks happen and the rest reaches the notes, in order."""
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for ch in "f2He said [x]":
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        screen = app.screen
        notes = screen.query_one("#ce-notes", TextArea)
        await wait_for(pilot, lambda: notes.text == "He said [x]", 10)
        assert screen.query_one("#ce-type", ContactTypeKeys).value == "face_to_face"
        assert screen.query_one("#ce-outcome", ContactOutcomeKeys).value == "failed_to_attend"
        assert screen.query_one("#ce-notes", TextArea).text == "He said [x]"


@pytest.mark.parametrize("seed", range(6))
async def test_keys_arriving_in_bursts_keep_their_order(
    tui: TuiWorld, frozen_clock: datetime, seed: int
) -> None:
    """A terminal hands keys over a few at a time: "h2Went round…" typed quickly after the form
    opens must pick, pick, and put every following key in the notes, in order, whichever key
    a burst ends on (a pick still under way must not let later keys overtake earlier ones)."""
    bursts = random.Random(seed)
    text = "Went round at ten nobody in neighbour sa"
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for ch in "h2" + text:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
            if bursts.random() < 0.3:  # the end of a burst: let the app get on with it
                await asyncio.sleep(bursts.choice([0, 0, 0.001, 0.003]))
        screen = app.screen
        notes = screen.query_one("#ce-notes", TextArea)
        await wait_for(pilot, lambda: notes.text == text, 10)
        await settle(pilot)
        assert screen.query_one("#ce-type", ContactTypeKeys).value == "home_visit"
        assert screen.query_one("#ce-outcome", ContactOutcomeKeys).value == "failed_to_attend"
        assert screen.query_one("#ce-notes", TextArea).text == text


async def test_what_is_typed_while_the_case_loads_is_kept_as_a_draft(
    tui: TuiWorld, frozen_clock: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a cold start the case may still be loading when the first keys arrive: those keys
    must reach the draft too (a terminal killed right after must lose nothing)."""
    world = tui.world
    release = threading.Event()
    view_case = cases.view_case

    def slow_view_case(*args: Any, **kwargs: Any) -> Any:
        release.wait(5)
        return view_case(*args, **kwargs)

    monkeypatch.setattr(cases, "view_case", slow_view_case)
    app = tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactEntryScreen(world.case.id or 0))
        await idle(pilot)
        assert isinstance(app.focused, ContactTypeKeys)  # the form is up, the case is not
        await press(pilot, "h", "2", *"went round")
        release.set()
        await settle(pilot)
        await wait_for(pilot, lambda: "went round" in (draft_notes(world.db) or ""), 10)
        await settle(pilot)
        rows = draft_rows(world.db)
        assert [(d.staff_id, d.key) for d in rows] == [(world.worker.id, str(world.case.id))]
        kept = json.loads(rows[0].data)
        assert (kept["contact_type"], kept["outcome"], kept["notes"]) == (
            "home_visit",
            "failed_to_attend",
            "went round",
        )


async def test_natural_date_sensitive_flag_and_preview(
    tui: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui.world
    app = EntryApp(tui)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "h", "0")
        when = app.screen.query_one("#ce-when", WhenInput)
        when.text = "yesterday 9am"
        await idle(pilot)
        preview = str(when.query_one(".when-parsed", Static).render())
        assert "Sun 22 Nov 2026 09:00" in preview
        when.text = "32/11/2026"
        await idle(pilot)
        assert "not a real date" in str(when.query_one(".when-parsed", Static).render())
        when.text = "-30m"
        await press(pilot, "ctrl+r", "ctrl+s")
        await settle(pilot)
    [entry] = entries(world.db)
    assert entry.contact_type == "home_visit" and entry.outcome == ""
    assert entry.occurred_at == frozen_clock - timedelta(minutes=30)
    assert entry.sensitive


async def test_validation_errors_inline_and_nothing_lost(
    tui: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui.world
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+n", *"keep me")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactEntryScreen)
        assert "Pick a type" in str(screen.query_one("#ce-type-error", Static).render())
        await press(pilot, "ctrl+t", "e")
        screen.query_one("#ce-when", WhenInput).text = "tomorrow 9am"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "future" in str(screen.query_one("#ce-when-error", Static).render())
        assert screen.query_one("#ce-notes", TextArea).text == "keep me"
        screen.query_one("#ce-when", WhenInput).text = "today 9:15"
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [entry] = entries(world.db)
    assert (entry.contact_type, entry.notes) == ("email", "keep me")
    assert entry.occurred_at == datetime(2026, 11, 23, 9, 15)


async def test_draft_survives_a_killed_app_and_is_restored(
    tui: TuiWorld, frozen_clock: datetime
) -> None:
    world = tui.world
    first = EntryApp(tui)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f", "2", *"He said [bold] he would")
        await press(pilot, "ctrl+r")
        await wait_for(pilot, lambda: draft_notes(world.db) == "He said [bold] he would", 10)
        await settle(pilot)
        [stored] = draft_rows(world.db)
        # the "kill": the app goes away without saving or leaving the form
    assert entries(world.db) == []
    with world.db.read() as s:
        kept = drafts._load_draft(s, world.worker, kind="contact_entry", key=str(world.case.id))
    assert kept is not None and kept["notes"] == "He said [bold] he would"

    second = EntryApp(tui)
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, RestoreDraftModal)
        await press(pilot, "r")
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, ContactEntryScreen)
        assert screen.query_one("#ce-notes", TextArea).text == "He said [bold] he would"
        await press(pilot, *" come")
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [entry] = entries(world.db)
    assert (entry.contact_type, entry.outcome) == ("face_to_face", "failed_to_attend")
    assert entry.notes == "He said [bold] he would come" and entry.sensitive
    assert draft_rows(world.db) == []
    assert stored.staff_id == world.worker.id


async def test_declining_a_draft_discards_it(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    with world.db.write() as s:
        drafts.save_draft(
            s,
            world.worker,
            kind="contact_entry",
            key=str(world.case.id),
            data={"notes": HOSTILE, "when": "now"},
        )
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreDraftModal)
        shown = " ".join(str(w.render()) for w in modal.query(Static))
        assert "[@click=app.quit]x [bold]y [/" in shown and "\x1b" not in shown
        await press(pilot, "d")
        await settle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)
        assert app.screen.query_one("#ce-notes", TextArea).text == ""
    assert draft_rows(world.db) == []


async def test_escape_asks_and_can_keep_a_draft(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "o", "ctrl+n", *"half a thought")
        await press(pilot, "escape")
        await idle(pilot)
        assert isinstance(app.screen, LeaveFormModal)
        await press(pilot, "escape")  # keep editing
        await idle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)
        await press(pilot, "escape")
        await idle(pilot)
        await press(pilot, "k")
        await settle(pilot)
        assert app.results == [None]
    [draft] = draft_rows(world.db)
    assert '"half a thought"' in draft.data
    assert entries(world.db) == []


async def test_escape_discard_removes_the_draft(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    app = EntryApp(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "o", "ctrl+n", *"never mind")
        await wait_for(pilot, lambda: draft_notes(world.db) == "never mind", 10)
        await settle(pilot)
        assert len(draft_rows(world.db)) == 1
        await press(pilot, "escape")
        await idle(pilot)
        await press(pilot, "d")
        await settle(pilot)
        assert app.results == [None]
    assert draft_rows(world.db) == []
    assert entries(world.db) == []


async def test_restricted_case_is_refused_clearly(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    app = EntryApp(tui, world.other)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#ce-status", Static).render())
        assert "restricted — ask Wendy Worker" in status
        await press(pilot, "p", "ctrl+n", *"secret")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        status = str(app.screen.query_one("#ce-status", Static).render())
        assert status.startswith("Not saved:") and "restricted" in status
        assert app.screen.query_one("#ce-notes", TextArea).text == "secret"
    assert entries(world.db) == []
    with world.db.read() as s:
        refused = s.exec(select(AccessLog).where(AccessLog.action == "refused")).all()
    assert len(refused) >= 2  # opening the form and trying to save


async def test_reception_may_not_log_contacts(tui: TuiWorld, frozen_clock: datetime) -> None:
    world = tui.world
    app = EntryApp(tui, world.desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#ce-status", Static).render())
        assert "may not log contacts" in status
        await press(pilot, "p", "ctrl+s")
        await settle(pilot)
        assert "Not saved" in str(app.screen.query_one("#ce-status", Static).render())
    assert entries(world.db) == []


async def test_the_apps_new_contact_hook_opens_this_form(
    tui: TuiWorld, frozen_clock: datetime
) -> None:
    app = tui.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.new_contact(tui.world.case.id or 0)
        await settle(pilot)
        assert isinstance(app.screen, ContactEntryScreen)
        await press(pilot, "i", "0", *"note to file", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactEntryScreen)
    [entry] = entries(tui.db)
    assert (entry.contact_type, entry.notes) == ("internal", "note to file")


async def test_unsaved_entries_are_announced_at_start(
    tui: TuiWorld, frozen_clock: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = tui.world
    with world.db.write() as s:
        drafts.save_draft(
            s, world.worker, kind="contact_entry", key=str(world.case.id), data={"notes": "x"}
        )
        drafts.save_draft(
            s, world.other, kind="contact_entry", key=str(world.case.id), data={"notes": "y"}
        )
    app = tui.app()
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda text, **kw: said.append((kw["title"], text)))
    async with app.run_test(size=(80, 24)) as pilot:
        # The app looks for drafts by itself, a moment after start-up; nothing here asks it to.
        for _ in range(100):
            await settle(pilot)
            if said:
                break
            await pilot.pause(0.05)
        # Long enough for a second announcement to show, if the app ever made one.
        await pilot.pause(app_module.STARTUP_GRACE)
        await settle(pilot)
    assert said == [
        (
            "Unsaved work",
            f"Unsaved contact entry: {world.case.reference} (23/11 10:30). "
            "Open the case and press n to restore it.",
        )
    ]


def test_many_unsaved_entries_are_summed_up() -> None:
    at = datetime(2026, 11, 23, 9, 5)
    pending = [PendingDraft(i, f"OM/2026/00000{i}", at) for i in range(1, 6)]
    assert describe_pending(pending) == (
        "Unsaved contact entries: OM/2026/000001 (23/11 09:05), OM/2026/000002 (23/11 09:05), "
        "OM/2026/000003 (23/11 09:05) and 2 more. Open the case and press n to restore them."
    )


async def test_keys_follow_the_users_keymap(tui: TuiWorld, frozen_clock: datetime) -> None:
    app = tui.app(keymap={"contact_type_phone_in": "x", "save": "f2"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.new_contact(tui.world.case.id or 0)
        await settle(pilot)
        await press(pilot, "x", "5", *"rang, no reply", "f2")
        await settle(pilot)
        assert not isinstance(app.screen, ContactEntryScreen)
    [entry] = entries(tui.db)
    assert (entry.contact_type, entry.outcome, entry.notes) == (
        "phone_in",
        "no_answer",
        "rang, no reply",
    )
