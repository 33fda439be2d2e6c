"""The line at the top of every workstation screen: where you are, whether caseterm is waiting
for the database, and who you are acting as."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from caseterm.core import clock
from caseterm.tui.safe import content


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar {
        height: 1;
        background: $panel;
        & > #top-title {
            width: 1fr; text-style: bold; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
        }
        & > #top-waiting { width: auto; color: $text-warning; text-style: bold; padding: 0 1; }
        & > #top-who { width: auto; color: $text-muted; padding: 0 1; }
    }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        app: Any = self.app
        who = f"{app.ctx.actor.name} · {clock.today():%a %d/%m/%Y}"
        yield Label(content(self._title), id="top-title")
        yield Label("", id="top-waiting")
        yield Label(content(who), id="top-who")

    def on_mount(self) -> None:
        if hasattr(self.app, "db_waiting"):
            self.watch(self.app, "db_waiting", self._show_waiting)

    def set_title(self, title: str) -> None:
        self._title = title
        self.query_one("#top-title", Label).update(content(title))

    def _show_waiting(self, waiting: str) -> None:
        self.query_one("#top-waiting", Label).update(content(waiting))
