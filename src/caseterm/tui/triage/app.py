"""`caseterm triage`: triage mode on its own (it is also reachable from the workstation)."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from caseterm.tui.context import TuiContext
from caseterm.tui.triage.screen import TriageScreen


class TriageApp(App[None]):
    TITLE = "caseterm — triage"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__()
        self.ctx = ctx

    def on_mount(self) -> None:
        self.push_screen(TriageScreen())

    def open_case(self, case_id: int) -> None:
        self.notify("Open cases from the workstation (caseterm)", markup=False)

    def new_contact(self, case_id: int) -> None:
        self.notify("Log contacts from the workstation (caseterm)", markup=False)
