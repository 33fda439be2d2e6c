"""What every caseterm app shares (the workstation, the reception desk, triage): the context
(database and acting member of staff), the config file's keymap, live updates from other
processes, notifications addressed to the user, the "waiting for the database…" /
"reconnecting…" indicator and reporting database errors. Screens do their database work through
`caseterm.tui.dbwork.run_db`, which reports to the app here.

Subclasses give their BINDINGS, CSS and first screen; `keymap_classes()` names the classes whose
binding ids the keymap may use.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.reactive import reactive
from textual.widgets import Label
from textual.worker import Worker

from caseterm.core.services import notifications
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import RECONNECT_FOR, WAITING_AFTER, run_db, show_error
from caseterm.tui.first_rows import EarlyPage
from caseterm.tui.forms.terminal_guard import guard_terminal, sturdy_driver
from caseterm.tui.keymap import apply_user_keymap, binding_ids
from caseterm.tui.live import LiveUpdates
from caseterm.tui.messages import DataChanged, NotificationsArrived
from caseterm.tui.safe import content
from caseterm.tui.terminal_caps import configure as configure_terminal
from caseterm.tui.terminal_caps import steady_cursor

# By path: a relative CSS_PATH would be looked up beside each subclass's module.
NO_COLOR_CSS = Path(__file__).with_name("no_color.tcss")

STARTUP_GRACE = 0.3  # seconds before live updates (and the workstation's own checks) start
RECONNECTING = "Reconnecting to the database…"
LIVE = "live"  # the live updates' key among the things waiting for the server


class CasetermBaseApp(App[None]):
    """Base of the workstation and the mode apps (see module docstring)."""

    SCREEN_CLASSES: ClassVar[tuple[type, ...]] = ()  # for the keymap: ids these declare

    db_waiting: reactive[str] = reactive("")
    """"Waiting for the database… (what)" while a call has taken longer than WAITING_AFTER;
    RECONNECTING while the server cannot be reached."""

    def __init__(
        self,
        ctx: TuiContext,
        *,
        keymap: Mapping[str, str] | None = None,
        live: bool = True,
        poll_interval: float | None = None,
        early: EarlyPage | None = None,
        reconnect_for: float = RECONNECT_FOR,
    ) -> None:
        super().__init__()
        configure_terminal(self)  # colours, symbols, blink, escape delay for this terminal
        self.ctx = ctx
        # (kind, key) of every draft this app's forms have kept or dropped (tui/forms/draft_keeper):
        # work typed in this session, never announced as left unsaved (tui/unsaved_work.py).
        self.drafts_written: set[tuple[str, str]] = set()
        self._keymap_override = dict(keymap) if keymap is not None else None
        self.live = LiveUpdates(self, ctx, early=early) if live else None
        if self.live is not None and poll_interval is not None:
            self.live.interval = poll_interval
        self.db_reconnect_for = reconnect_for  # read by dbwork's workers
        self.data_generation = 0
        self._db_calls: dict[int, tuple[str, float]] = {}
        # The worker of each call: one cancelled before its thread ran (an exclusive read that a
        # newer one replaced) never reports back, so the indicator asks the worker itself.
        self._db_workers: dict[int, Worker[None]] = {}
        self._unreachable: set[int | str] = set()  # calls (tokens) and LIVE waiting for it
        self._db_progress: dict[int, str] = {}  # how far a call has got (dbwork.progress_line)
        self._next_token = 0

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        steady_cursor(event)  # no blinking cursor over SSH

    # ---------------------------------------------------------------- start-up

    def get_driver_class(self) -> type[Driver]:
        return sturdy_driver(super().get_driver_class())  # a lost terminal loses no drafts

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO: subclasses need not call this.
        guard_terminal(self)  # drafts saved and the terminal given back on SIGHUP/SIGTERM
        self._apply_keymap()
        # Background reads wait a moment: the first rows on screen matter more.
        self.set_timer(STARTUP_GRACE, self._start_background_work)

    def _start_background_work(self) -> None:
        # A timer calls this from its own task, which can still run after the app has cancelled
        # its workers on the way out; a worker started then would never be told to stop.
        if self.live is not None and self.is_running:
            self.live.start()

    def keymap_classes(self) -> tuple[type, ...]:
        """Every class of ours whose binding ids a user keymap may name."""
        return (type(self), *self.SCREEN_CLASSES)

    def _apply_keymap(self) -> None:
        if self._keymap_override is not None:
            self.set_keymap(self._keymap_override)
            return
        apply_user_keymap(self, lambda: binding_ids(self.keymap_classes()))

    def action_help(self) -> None:
        from caseterm.tui.screens.help import show_help

        show_help(self)

    # ---------------------------------------------------------------- live updates

    def on_data_changed(self, message: DataChanged) -> None:
        if message.generation <= self.data_generation:
            return
        self.data_generation = message.generation
        self.screen.post_message(DataChanged(message.generation))

    def on_notifications_arrived(self, message: NotificationsArrived) -> None:
        for _id, kind, text in message.notes:
            self.notify(text, title=kind.replace("_", " ").capitalize(), timeout=10, markup=False)
        ids = [i for i, _, _ in message.notes]
        actor = self.ctx.actor
        run_db(
            self,
            lambda s: notifications.mark_read(s, actor, ids=ids),
            write=True,
            what="",
            group="notifications",
        )

    # ---------------------------------------------------------------- the indicator

    def db_call_started(self, what: str) -> int:
        self._next_token += 1
        self._db_calls[self._next_token] = (what, time.monotonic())
        self.set_timer(WAITING_AFTER, self._update_waiting)
        return self._next_token

    def db_call_worker(self, token: int, worker: Worker[None]) -> None:
        """The worker running call `token` (tui/dbwork.py)."""
        if token in self._db_calls:
            self._db_workers[token] = worker

    def db_call_progress(self, worker: Worker[None], text: str) -> None:
        """The call run by `worker` says how far it has got: shown until it ends."""
        token = next((t for t, w in self._db_workers.items() if w is worker), None)
        if token is not None:
            self._db_progress[token] = text
            self._update_waiting()

    def db_call_finished(self, token: int) -> None:
        self._db_progress.pop(token, None)
        self._db_calls.pop(token, None)
        self._db_workers.pop(token, None)
        self._server_back(token)
        self._update_waiting()

    def db_call_reconnecting(self, token: int) -> None:
        """A call met a server that went away and is trying again."""
        if token in self._db_calls:
            self._server_lost(token)

    def live_connection(self, connected: bool) -> None:
        """The live updates lost, or found again, their connection to the server."""
        if connected:
            self._server_back(LIVE)
        else:
            self._server_lost(LIVE)

    def _server_lost(self, key: int | str) -> None:
        self._unreachable.add(key)
        self._update_waiting()

    def _server_back(self, key: int | str) -> None:
        if key in self._unreachable:
            self._unreachable.discard(key)
            if not self._unreachable:
                self.notify("Connected to the database again.", timeout=4, markup=False)
            self._update_waiting()

    def _update_waiting(self) -> None:
        if self._unreachable:
            self.db_waiting = RECONNECTING
            return
        for token, worker in list(self._db_workers.items()):
            # Cancelled (a newer exclusive read replaced it): one cancelled before its task
            # started never runs, never reports back, and Textual leaves its state "running".
            if worker.is_cancelled or worker.is_finished:
                self._db_calls.pop(token, None)
                self._db_progress.pop(token, None)
                del self._db_workers[token]
        if self._db_progress:  # a call saying how far it has got says more than "waiting"
            self.db_waiting = next(reversed(self._db_progress.values()))
            return
        now = time.monotonic()
        slow = [w for w, started in self._db_calls.values() if now - started >= WAITING_AFTER]
        if not slow:
            self.db_waiting = ""
            return
        what = next((w for w in slow if w), "")
        self.db_waiting = "Waiting for the database…" + (f" ({what})" if what else "")
        self.set_timer(0.5, self._update_waiting)

    def report_db_error(self, error: Exception) -> None:
        """A database call failed and nobody else said so: a notification, app kept running."""
        show_error(self, error)


class DbStatus(Label):
    """The app's waiting / reconnecting indicator on a screen without a TopBar; takes no room
    while there is nothing to say."""

    DEFAULT_CSS = """
    DbStatus { height: 1; width: 1fr; color: $text-warning; text-style: bold; padding: 0 1; }
    DbStatus.-idle { display: none; }
    """

    def __init__(self) -> None:
        super().__init__("", classes="-idle")

    def on_mount(self) -> None:
        if isinstance(self.app, CasetermBaseApp):
            self.watch(self.app, "db_waiting", self._show)

    def _show(self, waiting: str) -> None:
        self.update(content(waiting))
        self.set_class(not waiting, "-idle")
