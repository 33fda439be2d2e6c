"""`caseterm triage`: triage mode on its own (it is also reachable from the workstation)."""

from __future__ import annotations

from caseterm.tui.mode_app import ModeApp
from caseterm.tui.triage.dialogs import AskDialog, NewPersonDialog, PickDialog
from caseterm.tui.triage.screen import TriageScreen


class TriageApp(ModeApp):
    TITLE = "caseterm — triage"
    SCREEN_CLASSES = (TriageScreen, PickDialog, AskDialog, NewPersonDialog)
    KEYMAP_EXAMPLE = 'triage_skip = "n"'

    def on_mount(self) -> None:
        self.push_screen(TriageScreen())

    def open_case(self, case_id: int) -> None:
        self.notify("Open cases from the workstation (caseterm)", markup=False)

    def new_contact(self, case_id: int) -> None:
        self.notify("Log contacts from the workstation (caseterm)", markup=False)
