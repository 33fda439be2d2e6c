"""Changes from other processes, on screen within about a second.

One thread worker polls the change watcher (`PRAGMA data_version` on a dedicated connection, or
PostgreSQL's equivalent) every POLL_SECONDS. When something was committed it tells the app
(`DataChanged`, which the app passes to the screen on view) and fetches the notifications
addressed to the acting member of staff (`NotificationsArrived`). Reads only, so a colleague
holding the write lock never delays it.

When the server goes away (PostgreSQL restarted) the watcher keeps trying to reconnect; the app
is told (`live_connection(False)`, shown as "Reconnecting to the database…") and, once the
watcher is back, told again and sent a DataChanged, since commits may have been missed.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual.worker import Worker, get_current_worker

from caseterm.core.errors import DatabaseError
from caseterm.core.services import notifications
from caseterm.core.storage.change_watch import ChangeWatcher, watcher_for
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import is_disconnect
from caseterm.tui.first_rows import EarlyPage
from caseterm.tui.messages import DataChanged, NotificationsArrived

POLL_SECONDS = 1.0
ERROR_BACKOFF_SECONDS = 5.0
EARLY_WATCHER_WAIT = 10.0  # seconds to let a slow early read finish before opening another


class LiveUpdates:
    """Polls for changes in a thread worker owned by `app` until the app closes."""

    def __init__(
        self,
        app: Any,
        ctx: TuiContext,
        *,
        interval: float = POLL_SECONDS,
        early: EarlyPage | None = None,
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.interval = interval
        self._early = early  # its watcher was opened before the first rows were read
        self.generation = 0
        self.polls = 0  # how many times the watcher has been asked (a test waits on it)
        self._last_note = 0
        self._connected = True
        self.worker: Worker[None] | None = None

    def start(self) -> None:
        self.worker = self.app.run_worker(
            self._run, thread=True, group="live", name="live updates", exit_on_error=False
        )

    def _run(self) -> None:
        worker = get_current_worker()
        opened = self._open_until_cancelled(worker)
        if opened is None:
            return
        watcher, late = opened
        try:
            if late:
                # Opened after the first rows were read (the app's start-up grace, or the
                # server was away): whatever was committed in between would never be seen as
                # a change, so the screen reads once more now that changes are being watched.
                self.generation += 1
                self.app.post_message(DataChanged(self.generation))
            try:
                self._fetch_notes()
            except Exception as exc:
                self._trouble(exc, worker)
            # Until cancelled, or until the app has stopped running (a worker started just as
            # it closed is never cancelled, and would keep its thread, and so the process, alive).
            while not worker.cancelled_event.wait(self.interval) and self.app.is_running:
                try:
                    changed = watcher.poll()
                    self.polls += 1
                    self._connection(getattr(watcher, "connected", True))
                    if changed:
                        self.generation += 1
                        self.app.post_message(DataChanged(self.generation))
                        self._fetch_notes()
                except Exception as exc:
                    self._trouble(exc, worker)
        finally:
            watcher.close()

    def _open_until_cancelled(self, worker: Worker[None]) -> tuple[ChangeWatcher, bool] | None:
        """The watcher, once it can be opened (the server may be away at start-up)."""
        while not worker.is_cancelled and self.app.is_running:
            try:
                return self._open_watcher()
            except Exception as exc:
                self._trouble(exc, worker)
                self._connection(False)
        return None

    def _trouble(self, exc: Exception, worker: Worker[None]) -> None:
        """A dropped connection is shown as reconnecting; anything else (a disk error) is said
        once per occurrence. Either way, wait a moment and try again."""
        if is_disconnect(exc) or isinstance(exc, DatabaseError):
            self._connection(False)
        else:
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                self.app.call_from_thread(
                    self.app.notify,
                    f"Live updates paused: {exc}",
                    severity="warning",
                    markup=False,
                )
        worker.cancelled_event.wait(ERROR_BACKOFF_SECONDS)

    def _connection(self, connected: bool) -> None:
        """Tell the app when the watcher loses or finds again its connection to the server."""
        if connected != self._connected:
            self._connected = connected
            if hasattr(self.app, "live_connection"):
                with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                    self.app.call_from_thread(self.app.live_connection, connected)

    def _open_watcher(self) -> tuple[ChangeWatcher, bool]:
        """The watcher to poll, and whether it was opened too late to see every commit since
        the first read (the one opened with the early read was not)."""
        early, self._early = self._early, None
        if early is not None:
            early.wait(EARLY_WATCHER_WAIT)
            if early.watcher is not None:
                return early.watcher, False
        return watcher_for(self.ctx.db), True

    def _fetch_notes(self) -> None:
        with self.ctx.db.read() as session:
            notes = notifications.unread_for(session, self.ctx.actor, after_id=self._last_note)
        if notes:
            self._last_note = max(n.id for n in notes)
            self.app.post_message(NotificationsArrived([(n.id, n.kind, n.text) for n in notes]))
