"""`caseterm checkin`: the desk app. It has one screen (with its dialogs and help) and no
command palette, so from its keys there is no way to case details, contact logs or any other
screen; the reception role cannot read them through the services either. Changes other desks
and workers commit reach it through the live updates every caseterm app has."""

from __future__ import annotations

from typing import Any

from caseterm.tui.context import TuiContext
from caseterm.tui.desk.modals import CloseSessionDialog, WalkInDialog
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.mode_app import ModeApp, mode_bindings


class CheckinApp(ModeApp):
    TITLE = "caseterm — reception"
    CSS = """
    DeskScreen #title { height: 1; background: $primary-background; }
    DeskScreen #search { margin: 0 0; }
    DeskScreen DataTable { height: 1fr; }
    DeskScreen #status { height: 1; color: $text-muted; }
    """
    BINDINGS = mode_bindings("f1")  # the search box always has focus and takes `?`
    SCREEN_CLASSES = (DeskScreen, WalkInDialog, CloseSessionDialog)
    KEYMAP_EXAMPLE = 'walk_in = "f3"'

    def __init__(self, ctx: TuiContext, office_id: int, office_name: str, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.office_id = office_id
        self.office_name = office_name

    def on_mount(self) -> None:
        self.push_screen(DeskScreen(self.office_id, self.office_name))
