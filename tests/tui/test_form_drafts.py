"""The shared draft keeper and terminal guard, through the real forms: the first change reaches
the database at once, a hang-up (a real SIGHUP to this process) or a lost terminal writes what is
left and ends the app, a restored draft keeps the time it was typed, and a database error on
saving keeps everything typed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from caseterm.core import clock
from caseterm.core.models import ContactEntry, Draft
from caseterm.core.services import contacts
from caseterm.tui.app import CasetermApp
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.forms import draft_keeper
from caseterm.tui.forms.dialogs import RestoreDraftModal
from caseterm.tui.forms.terminal_guard import guard_of
from caseterm.tui.widgets.when_input import WhenInput
from tests.keys import press
from tests.tui.conftest import TuiWorld, settle


def stored(tw: TuiWorld) -> list[dict[str, Any]]:
    with tw.db.read() as s:
        return [json.loads(d.data) for d in s.exec(select(Draft).order_by(col(Draft.id))).all()]


def entries(tw: TuiWorld) -> list[ContactEntry]:
    with tw.db.read() as s:
        return list(s.exec(select(ContactEntry).order_by(col(ContactEntry.id))).all())


async def open_form(pilot: Pilot[Any], tw: TuiWorld) -> ContactEntryScreen:
    await settle(pilot)
    screen = ContactEntryScreen(tw.world.case.id or 0)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def until(pilot: Pilot[Any], condition: Any, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def test_the_first_change_is_written_at_once_and_a_flush_writes_the_rest(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing waits for a timer before the first write; later changes inside the window are
    written by `flush_all` (what the hang-up handler calls) without waiting for it either."""
    monkeypatch.setattr(draft_keeper, "DRAFT_EVERY", 3600)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, tui_world)
        await press(pilot, "p")
        await settle(pilot)
        [first] = stored(tui_world)
        assert (first["contact_type"], first["notes"]) == ("phone_in", "")
        await press(pilot, "1", *"Rang")
        await settle(pilot)
        assert stored(tui_world) == [first]  # inside the window: not yet
        assert draft_keeper.flush_all() == 1
        [now] = stored(tui_world)
        assert (now["outcome"], now["notes"]) == ("attended_complied", "Rang")


async def test_a_real_sighup_writes_the_draft_and_ends_the_app(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_keeper, "DRAFT_EVERY", 3600)  # only the hang-up can write it
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, tui_world)
        await press(pilot, "h", "2", *"Went round")
        await settle(pilot)
        os.kill(os.getpid(), signal.SIGHUP)
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 128 + signal.SIGHUP
    [kept] = stored(tui_world)
    assert (kept["contact_type"], kept["outcome"], kept["notes"]) == (
        "home_visit",
        "failed_to_attend",
        "Went round",
    )
    assert signal.getsignal(signal.SIGHUP) is not None


async def test_a_terminal_that_stopped_working_writes_the_draft_and_ends_the_app(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_keeper, "DRAFT_EVERY", 3600)
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, tui_world)
        await press(pilot, "e", "0", *"sent the letter")
        await settle(pilot)
        guard = guard_of(app)
        assert guard is not None
        guard.lost("the terminal was hung up", 129)  # what the watcher does (any thread)
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 129
    assert [d["notes"] for d in stored(tui_world)] == ["sent the letter"]


async def test_a_restored_draft_keeps_the_time_it_was_typed(
    tui_world: TuiWorld, frozen_clock: datetime
) -> None:
    first = tui_world.app()
    async with first.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, tui_world)
        await press(pilot, "p", "1", *"Rang at half ten")  # "when" says "now": 10:30
        await settle(pilot)
        await until(pilot, lambda: [d["notes"] for d in stored(tui_world)] == ["Rang at half ten"])
    clock.freeze(frozen_clock + timedelta(hours=2, minutes=5))  # restored at 12:35
    second = tui_world.app()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        second.push_screen(ContactEntryScreen(tui_world.world.case.id or 0))
        await settle(pilot)
        assert isinstance(second.screen, RestoreDraftModal)
        await press(pilot, "r")
        await settle(pilot)
        when = second.screen.query_one("#ce-when", WhenInput)
        assert when.text == "23/11/2026 10:30"
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [entry] = entries(tui_world)
    assert entry.occurred_at == frozen_clock and entry.notes == "Rang at half ten"


async def test_a_database_error_on_saving_keeps_everything_typed(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = contacts.log_contact

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(contacts, "log_contact", locked)
    app: CasetermApp = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot, tui_world)
        await press(pilot, "p", "1", *"keep me")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and app.is_running
        status = str(screen.query_one("#ce-status", Static).render())
        assert "stayed locked by another user; nothing was saved" in status
        assert screen.query_one("#ce-notes", TextArea).text == "keep me"
        await until(pilot, lambda: [d["notes"] for d in stored(tui_world)] == ["keep me"])
        monkeypatch.setattr(contacts, "log_contact", real)
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [entry] = entries(tui_world)
    assert entry.notes == "keep me"
    assert stored(tui_world) == []
