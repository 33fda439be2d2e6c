"""A minimal host app for part B's screens: provides `ctx`, `open_case` and `new_contact` (the
`HasContext` protocol) and records what the screens asked for, so each screen is tested alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen

from caseterm.core.db import Database
from caseterm.core.services.identity import Actor
from caseterm.tui.context import TuiContext
from caseterm.tui.screens.contact_entry import ContactEntryScreen


class HostApp(App[None]):
    """Pushes one screen on mount; `results` collects what pushed screens dismissed with."""

    def __init__(self, db: Database, actor: Actor, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.ctx = TuiContext(db, actor)
        self._make = make
        self.results: list[Any] = []
        self.opened: list[int] = []

    def on_mount(self) -> None:
        self.push_screen(self._make(), self.results.append)

    def open_case(self, case_id: int) -> None:
        self.opened.append(case_id)

    def new_contact(self, case_id: int) -> None:
        self.push_screen(ContactEntryScreen(case_id), self.results.append)
