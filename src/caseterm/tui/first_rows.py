"""The home queue's first rows, read while the screen is still being built.

Starting the workstation is mostly importing Textual and building the screen. The first page of
the home queue is read on a thread meanwhile (SQLite works without holding the interpreter
lock), so the first frame shows rows rather than "…" followed by a second frame. This module
imports no Textual: it is started before the TUI is imported.

If the read has not finished by the time the queue table is mounted, the table reads the page
itself as it would have anyway; nothing waits for the early read.

The thread first opens the change watcher that live updates will poll: opened before any read,
its first poll reports whatever was committed since, so no read has to be repeated "in case".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from caseterm.core.services import queues
from caseterm.core.services.queues import TaskRow
from caseterm.core.storage.change_watch import ChangeWatcher, watcher_for
from caseterm.tui.context import TuiContext

HOME_QUEUE = "my_work"
FIRST_PAGE_ROWS = 100  # PagedTable.PAGE_SIZE: the first page the table would fetch


@dataclass
class EarlyPage:
    """A queue's first page and its length, being read on a thread."""

    queue_key: str
    watcher: ChangeWatcher | None = None  # opened before the read (None if it could not be)
    _done: threading.Event = field(default_factory=threading.Event)
    _result: tuple[list[TaskRow], int] | None = None

    def ready(self) -> tuple[list[TaskRow], int] | None:
        """(rows, count) if the read has finished and succeeded; else None (never blocks)."""
        return self._result if self._done.is_set() else None

    def wait(self, timeout: float) -> tuple[list[TaskRow], int] | None:
        self._done.wait(timeout)
        return self.ready()


def read_early(ctx: TuiContext, queue_key: str = HOME_QUEUE) -> EarlyPage:
    """Start reading `queue_key`'s first page and count on a daemon thread. A failure is left
    for the table's own read to meet and report."""
    early = EarlyPage(queue_key)

    def work() -> None:
        try:
            early.watcher = watcher_for(ctx.db)
        except Exception:  # live updates open their own, and say so if that fails too
            early.watcher = None
        try:
            with ctx.db.read() as s:
                count = queues.queue_count(s, ctx.actor, queue_key)
                rows = queues.queue_page(
                    s, ctx.actor, key=queue_key, offset=0, limit=FIRST_PAGE_ROWS
                )
            early._result = (rows, count)
        except Exception:  # the table reads again and reports what it meets
            early._result = None
        finally:
            early._done.set()

    threading.Thread(target=work, name="caseterm-first-rows", daemon=True).start()
    return early
