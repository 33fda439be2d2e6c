"""`caseterm checkin`: the desk app. It has one screen (with its dialogs and help) and no
command palette, so from its keys there is no way to case details, contact logs or any other
screen; the reception role cannot read them through the services either."""

from __future__ import annotations

from textual import work

from caseterm.core.storage.change_watch import ChangeWatcher, watcher_for
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.modals import CloseSessionDialog, WalkInDialog
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.mode_app import ModeApp, mode_bindings

POLL_SECONDS = 1.0


class CheckinApp(ModeApp):
    TITLE = "caseterm — reception"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    DeskScreen #title { height: 1; background: $primary-background; }
    DeskScreen #search { margin: 0 0; }
    DeskScreen DataTable { height: 1fr; }
    DeskScreen #status { height: 1; color: $text-muted; }
    """
    BINDINGS = mode_bindings("f1")  # the search box always has focus and takes `?`
    SCREEN_CLASSES = (DeskScreen, WalkInDialog, CloseSessionDialog)
    KEYMAP_EXAMPLE = 'walk_in = "f3"'

    def __init__(self, ctx: TuiContext, office_id: int, office_name: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.office_id = office_id
        self.office_name = office_name
        self._watcher: ChangeWatcher | None = None

    def on_mount(self) -> None:
        self.push_screen(DeskScreen(self.office_id, self.office_name))
        self._watcher = watcher_for(self.ctx.db)
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self._poll_worker()

    @work(thread=True, exclusive=True, group="poll")
    def _poll_worker(self) -> None:
        if self._watcher is not None and self._watcher.poll():
            self.call_from_thread(self._changed)

    def _changed(self) -> None:
        if isinstance(self.screen, DeskScreen):
            self.screen.data_changed()

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
