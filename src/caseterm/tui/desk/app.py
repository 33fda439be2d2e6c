"""`caseterm checkin`: the desk app. It has one screen and no command palette, so from its keys
there is no way to case details, contact logs or any other screen; the reception role cannot
read them through the services either."""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.binding import Binding

from caseterm.core.changes import ChangeWatcher, watcher_for
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.screen import DeskScreen

POLL_SECONDS = 1.0


class CheckinApp(App[None]):
    TITLE = "caseterm — reception"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    DeskScreen #title { height: 1; background: $primary-background; }
    DeskScreen #search { margin: 0 0; }
    DeskScreen DataTable { height: 1fr; }
    DeskScreen #status { height: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

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
