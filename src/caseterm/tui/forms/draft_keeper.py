"""One form's draft, kept in the database while the person types.

    self.keeper = DraftKeeper(
        self, kind="contact_entry", key=str(case_id), current=self._draft_data,
        restore=self._restore, describe=summary_of, question="Unsaved contact entry found",
        note=self._draft_note, kept_words="not yet in the case",
    )
    self.keeper.start()          # on mount: offers an earlier draft back
    self.keeper.changed()        # on every change of the form
    self.keeper.save(work, ...)  # the form's own save; drops the draft in the same transaction
    self.keeper.ask_to_leave(...)  # escape: discard, keep as a draft, or keep editing

`current()` returns the form as a dict to store, or None when nothing worth keeping is typed.
The first change of a burst is written at once and later ones at most DRAFT_EVERY seconds after
the previous write, one write at a time, off the event loop (through `run_db`). Every live keeper
is listed, so that a hang-up or a lost terminal can write them all at once (`flush_all`, safe
from any thread) before the app exits: see `caseterm.tui.forms.terminal_guard`.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlmodel import Session
from textual.screen import Screen
from textual.timer import Timer

from caseterm.core import clock
from caseterm.core.services import drafts
from caseterm.core.services.identity import Actor
from caseterm.core.storage.database import Database
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal

T = TypeVar("T")
Data = dict[str, Any] | None

# A change reaches the database at once if nothing was written for this long, else this long
# after the previous write: at most half a second of typing is ever only on screen.
DRAFT_EVERY = 0.5
FLUSH_TIMEOUT = 5.0  # seconds a last-moment write waits for a write under way

_UNKNOWN: Any = object()  # what the database holds is not known (a write failed)
_LIVE: weakref.WeakSet[DraftKeeper] = weakref.WeakSet()


def flush_all(timeout: float = FLUSH_TIMEOUT) -> int:
    """Write every open form's latest state now, from any thread, waiting for writes under way;
    returns how many drafts were written. Used when the terminal goes away."""
    return sum(1 for keeper in list(_LIVE) if keeper.flush_now(timeout))


class DraftKeeper:
    """Keeps the draft (kind, key) of the acting member of staff for one form screen."""

    def __init__(
        self,
        screen: Screen[Any],
        *,
        kind: str,
        key: str,
        current: Callable[[], Data],
        restore: Callable[[dict[str, Any], datetime], None],
        describe: Callable[[dict[str, Any]], str | None],
        question: str,
        note: Callable[[str, bool], None],
        kept_words: str = "not yet saved",
    ) -> None:
        self.screen = screen
        self.kind = kind
        self.key = key
        self._current = current
        self._restore = restore
        self._describe = describe
        self._question = question
        self._note = note
        self._kept_words = kept_words
        self.ready = False  # until an earlier draft has been offered back, write nothing
        self.closed = False  # saved or left: no more drafts
        self._saving = False
        self._writing = False
        self._failed: Data = _UNKNOWN  # what the last failed write tried (not retried as is)
        self._leaving: Callable[[], object] | None = None
        self._pending: Data = None  # the form as last changed
        self._stored: Data = None  # what the database holds, as the event loop knows it
        self._timer: Timer | None = None
        self._last_write = -math.inf  # time.monotonic() of the last write started
        # Shared with the last-moment writer (any thread): what the database holds, and
        # whether the form was saved or left.
        self._lock = threading.Lock()
        self._db_stored: Data = None
        self._db_closed = False
        self._db: Database | None = None
        self._actor: Actor | None = None

    # ---------------------------------------------------------------- opening

    def start(self) -> None:
        """Look for an earlier draft and offer it back (call from the screen's on_mount)."""
        ctx = cast(HasContext, self.screen.app).ctx
        self._db, self._actor = ctx.db, ctx.actor
        _LIVE.add(self)
        actor, kind, key = ctx.actor, self.kind, self.key
        run_db(
            self.screen,
            lambda s: drafts.find_draft(s, actor, kind=kind, key=key),
            done=self._loaded,
            failed=self._load_failed,
            group="draft",
        )

    def _loaded(self, found: drafts.DraftInfo | None) -> None:
        stored = found.data if found is not None else None
        self._stored = stored
        with self._lock:
            self._db_stored = stored
        summary = self._describe(found.data) if found is not None else None
        if found is None or summary is None:
            self._ready()
            return
        self.screen.app.push_screen(
            RestoreDraftModal(self._question, found.updated_at, summary),
            lambda restore: self._answered(found, bool(restore)),
        )

    def _load_failed(self, error: Exception) -> None:
        self._note(f"Drafts could not be read: {describe_error(error)}", True)
        self._ready()

    def _answered(self, found: drafts.DraftInfo, restore: bool) -> None:
        if restore:
            self._restore(found.data, found.updated_at)
        self._ready()  # declined: the next write replaces it with the form (or drops it)

    def _ready(self) -> None:
        self.ready = True
        self.changed()  # anything typed while the draft was looked for (or declined) is kept

    @property
    def up_to_date(self) -> bool:
        """Nothing waiting to be written: the database holds the form as last changed (or the
        form is done, or its last write failed and will not be retried as is)."""
        if self.closed:
            return True
        if not self.ready or self._writing or self._timer is not None:
            return False
        return self._pending in (self._stored, self._failed)

    # ---------------------------------------------------------------- as the form changes

    def changed(self) -> None:
        """The form changed: its draft is written at once, or within DRAFT_EVERY seconds."""
        if self.closed:
            return
        self._pending = self._current()
        self._schedule()

    def _schedule(self) -> None:
        if not self.ready or self.closed or self._saving or self._writing or self._timer:
            return
        if self._pending == self._stored or self._pending == self._failed:
            return
        wait = self._last_write + DRAFT_EVERY - time.monotonic()
        if wait <= 0:
            self._write()
        else:
            self._timer = self.screen.set_timer(wait, self._due)

    def _due(self) -> None:
        self._timer = None
        self._schedule()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _write(self) -> None:
        data = self._pending
        self._writing = True
        self._last_write = time.monotonic()
        run_db(
            self.screen,
            lambda s: self._store(s, data),
            done=lambda _: self._written(data),
            failed=lambda error: self._write_failed(data, error),
            write=True,
            what="keeping the draft",
            group="draft",
        )

    def _store(self, session: Session, data: Data) -> None:
        """In a worker: write `data` as the draft (None drops it) unless the form is done."""
        with self._lock:
            if self._db_closed or data == self._db_stored:
                return
            self._put(session, data)

    def _put(self, session: Session, data: Data) -> None:
        assert self._actor is not None
        written = getattr(self.screen.app, "drafts_written", None)
        if written is not None:
            written.add((self.kind, self.key))  # typed in this session (tui/unsaved_work.py)
        if data is None:
            drafts.discard_draft(session, self._actor, kind=self.kind, key=self.key)
        else:
            drafts.save_draft(session, self._actor, kind=self.kind, key=self.key, data=data)
        self._db_stored = data

    def _written(self, data: Data) -> None:
        self._writing = False
        self._stored = data
        self._failed = _UNKNOWN
        if data is None:
            self._note("", False)
        else:
            self._note(f"draft kept {clock.now():%H:%M:%S}, {self._kept_words}", False)
        self._after_write()

    def _write_failed(self, data: Data, error: Exception) -> None:
        """Shown beside the status line; typing goes on, and the next change tries again."""
        self._writing = False
        self._failed = data
        with self._lock:
            self._db_stored = _UNKNOWN
        self._note(f"Draft not kept: {describe_error(error)}", True)
        if self._leaving is not None:
            self._leaving = None  # stay: leaving now could lose what was typed
        self._after_write()

    def _after_write(self) -> None:
        if self._leaving is not None:
            self._leave_now()
        else:
            self._schedule()  # what was typed meanwhile

    # ---------------------------------------------------------------- the last moment

    def flush_now(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        """Write the form's latest state now, in the calling thread (any thread); True if a
        draft was written or dropped. Waits up to `timeout` for a write under way."""
        if not self.ready or self.closed or self._db is None:
            return False
        data = self._pending
        if not self._lock.acquire(timeout=timeout):
            return False
        try:
            if self._db_closed or data == self._db_stored:
                return False
            with self._db.write() as session:
                self._put(session, data)
            return True
        finally:
            self._lock.release()

    # ---------------------------------------------------------------- saving and leaving

    def save(
        self,
        work: Callable[[Session], T],
        *,
        done: Callable[[T], Any],
        failed: Callable[[Exception], Any],
        what: str,
    ) -> None:
        """Run the form's own save (`work`) in a writing transaction that also drops the draft,
        after any draft write under way; no draft is written after it succeeds."""
        self._stop_timer()
        self._saving = True
        drop = self.ready  # a draft not yet offered back stays

        def body(session: Session) -> T:
            with self._lock:
                result = work(session)
                if drop:
                    assert self._actor is not None
                    drafts.discard_draft(session, self._actor, kind=self.kind, key=self.key)
                    self._db_stored = None
                self._db_closed = True
                return result

        def saved(result: T) -> None:
            self._saving = False
            self.closed = True
            _LIVE.discard(self)
            done(result)

        def refused(error: Exception) -> None:
            self._saving = False
            with self._lock:
                self._db_closed = False
                self._db_stored = _UNKNOWN
            self._stored = _UNKNOWN
            self.changed()  # the draft is kept again (none was written while saving)
            failed(error)

        run_db(self.screen, body, done=saved, failed=refused, write=True, what=what, group="save")

    @property
    def saving(self) -> bool:
        return self._saving

    def leave(self, *, keep: bool, then: Callable[[], object]) -> None:
        """Keep what is typed as the draft (or drop it), then call `then` once the database has
        it; if that write fails, the form stays open and says so."""
        if self._saving or self._leaving is not None:
            return
        self._stop_timer()
        self._pending = self._current() if keep else None
        self._leaving = then
        if not self._writing:
            self._leave_now()

    def _leave_now(self) -> None:
        then = self._leaving
        assert then is not None
        if self.ready and self._pending != self._stored:
            self._write()
            return
        self._leaving = None
        self.close()
        then()

    def ask_to_leave(self, title: str, said: str, then: Callable[[], object]) -> None:
        """Escape: leave at once if nothing is typed, else ask: discard it, keep it as a draft
        for later, or keep editing."""
        if self._saving or self._leaving is not None:
            return
        if self._current() is None:
            self.leave(keep=False, then=then)
            return

        def answered(choice: str | None) -> None:
            if choice in ("discard", "keep"):
                self.leave(keep=choice == "keep", then=then)

        self.screen.app.push_screen(LeaveFormModal(title, said), answered)

    def shut(self) -> None:
        """The screen is going away (the app closes, or it was popped): what is typed and not
        yet written is written now, then no more (call from the screen's on_unmount)."""
        self.flush_now()
        self.close()

    def close(self) -> None:
        """No more drafts from this form (it was saved, left, or the app is closing)."""
        self._stop_timer()
        self.closed = True
        with self._lock:
            self._db_closed = True
        _LIVE.discard(self)
