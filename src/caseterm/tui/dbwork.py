"""Database calls off the event loop, with their results and errors brought back to it. Every
screen does its database work this way (there is no other path):

    run_db(self, lambda s: cases.view_case(s, actor, reference_or_id=case_id), done=self._show,
           write="if_needed", what="opening the case")

runs the call in a thread worker with a session (`db.write()` commits at the end; `db.read()`
never does), then calls `done(result)` or `failed(error)` on the event loop. The worker never
takes the app down: whatever it raises is handed to `failed`, or shown as a notification.

- Waiting: a call that takes longer than WAITING_AFTER seconds (usually another process holding
  the write lock) is shown by the app as "Waiting for the database…", so the screen stays
  responsive and says why nothing has happened yet.
- The server going away (PostgreSQL restarted, a connection dropped): the call is tried again
  until the server answers (the app shows "Reconnecting to the database…"), for up to
  `app.db_reconnect_for` seconds. A write is tried again only when it certainly did not commit
  (the connection dropped before COMMIT was sent, so the server rolled it back); a connection
  lost during COMMIT is reported (`LostWhileSaving`), never silently dropped or done twice.
- Refusals: a RestrictedError's access-log row is committed before the error is raised again
  (`Database.write(commit_on=...)`, the rule defined once in core).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session
from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from caseterm.core.errors import CasetermError, RestrictedError
from caseterm.core.storage.database import Database, first_line
from caseterm.tui.context import TuiContext

T = TypeVar("T")
Item = TypeVar("Item")

WAITING_AFTER = 0.4  # seconds before "waiting for the database…" appears
RECONNECT_FOR = 120.0  # seconds a call keeps trying to reach a server that went away
RECONNECT_DELAYS = (0.1, 0.25, 0.5, 1.0)  # between tries; then every second
REFUSALS_KEPT = (RestrictedError,)  # errors whose access-log rows are committed

# PostgreSQL error classes that mean the connection or the server went away: 08 connection
# exceptions; 57P01-03 the server shutting down, crashed, or not accepting connections yet.
DISCONNECT_STATES = ("08", "57P01", "57P02", "57P03")


class LostWhileSaving(CasetermError):
    """The connection dropped while the server was committing: the change may or may not have
    been saved, so it is neither tried again (it could be done twice) nor called lost."""

    def __init__(self) -> None:
        super().__init__(
            "The connection to the database dropped while saving: it may or may not have been"
            " saved. Look before trying again."
        )


def is_disconnect(exc: BaseException) -> bool:
    """Whether `exc` says the database server or the connection to it went away (worth trying
    again once it is back), as opposed to an error in what was asked of it."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        return False  # a SQLite file has no connection to lose ("locked" is not one)
    state = getattr(orig, "sqlstate", None)
    if state is None:  # psycopg: the connection failed or broke, no server answer at all
        return isinstance(exc, (OperationalError, InterfaceError))
    return str(state).startswith(DISCONNECT_STATES)


def describe_error(exc: BaseException) -> str:
    """One line fit to show a person."""
    if isinstance(exc, CasetermError):
        return str(exc)
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        return "The database stayed locked by another user; nothing was saved. Try again."
    if is_disconnect(exc):
        return (
            "Cannot reach the database server; nothing was saved. Try again once it is back"
            f" ({first_line(getattr(exc, 'orig', exc))})."
        )
    return f"Unexpected error ({type(exc).__name__}): {exc}"


@dataclass
class Outcome(Generic[Item, T]):
    """What became of one item of a bulk action: its result, or the error that stopped it."""

    item: Item
    result: T | None = None
    error: Exception | None = None


def run_db(
    node: DOMNode,
    work: Callable[[Session], T],
    *,
    done: Callable[[T], Any] | None = None,
    failed: Callable[[Exception], Any] | None = None,
    write: bool | Literal["if_needed"] = False,
    what: str = "",
    group: str = "db",
    exclusive: bool = False,
) -> Worker[None]:
    """Run `work(session)` in a thread worker and hand the result back on the event loop.

    `write="if_needed"` is for reads that sometimes write (opening a restricted case logs the
    view): see `read_unless_it_writes`.

    Without `failed`, an error is shown as a notification. If `node` goes away first (its screen
    was closed), `done`/`failed` are not called. The app may offer `db_call_started(what) ->
    token` and `db_call_finished(token)` to show calls that keep it waiting (CasetermApp does).
    """
    db = _ctx(node).db

    def once() -> T:
        if write == "if_needed":
            return read_unless_it_writes(db, work)
        if not write:
            with db.read() as session:
                return work(session)
        return write_once(db, work)

    return _launch(node, lambda retry: retry(once), done, failed, what, group, exclusive)


def run_db_each(
    node: DOMNode,
    items: Sequence[Item],
    work: Callable[[Session, Item], T],
    *,
    done: Callable[[list[Outcome[Item, T]]], Any],
    what: str = "",
    group: str = "db",
) -> Worker[None]:
    """A bulk action: `work(session, item)` for each item, each its own business action in its
    own writing transaction, so one refusal (taken by someone else, changed since) does not undo
    the others. `done` gets every item's outcome."""
    db = _ctx(node).db
    items = list(items)  # what the user chose, as it was when they chose it

    def body(retry: Retry) -> list[Outcome[Item, T]]:
        outcomes: list[Outcome[Item, T]] = []
        for item in items:
            try:
                result = retry(_write_item(db, work, item))
                outcomes.append(Outcome(item, result))
            except Exception as exc:
                outcomes.append(Outcome(item, error=exc))
        return outcomes

    return _launch(node, body, done, None, what, group, False)


def run_db_writes(
    node: DOMNode,
    body: Callable[[Callable[[Callable[[Session], Any]], Any]], T],
    *,
    done: Callable[[T], Any] | None = None,
    failed: Callable[[Exception], Any] | None = None,
    what: str = "",
    group: str = "db",
    exclusive: bool = False,
) -> Worker[None]:
    """Long work of many writing transactions, each committed on its own: `body(write)`, where
    `write(work)` runs `work(session)` in a transaction of its own (tried again like run_db's)
    and returns its result. What committed stays committed if a later one fails."""
    db = _ctx(node).db

    def body_with(retry: Retry) -> T:
        return body(lambda work: retry(lambda: write_once(db, work)))

    return _launch(node, body_with, done, failed, what, group, exclusive)


def write_once(db: Database, work: Callable[[Session], T]) -> T:
    """`work` in a writing session (a refusal's access-log row is kept: REFUSALS_KEPT). A
    connection lost while committing becomes LostWhileSaving; lost before, the server rolled
    the transaction back and the error is raised as it is (safe to try again)."""
    committing = False
    try:
        with db.write(commit_on=REFUSALS_KEPT) as session:
            result = work(session)
            committing = True
        return result
    except Exception as exc:
        if committing and is_disconnect(exc):
            raise LostWhileSaving() from exc
        raise


def read_unless_it_writes(db: Database, work: Callable[[Session], T]) -> T:
    """`work` in a reading session, so that another process holding the write lock does not
    hold it up; done again in a writing session only if it wanted to write (it added, changed
    or deleted something: a logged view) or was refused (the refusal is logged). Nothing is
    flushed from the reading session, so it never asks for the write lock."""
    try:
        with db.read() as session, session.no_autoflush:
            result = work(session)
            if not (session.new or session.dirty or session.deleted):
                return result
    except RestrictedError:
        pass
    return write_once(db, work)


def _write_item(db: Database, work: Callable[[Session, Item], T], item: Item) -> Callable[[], T]:
    return lambda: write_once(db, lambda session: work(session, item))


def _ctx(node: DOMNode) -> TuiContext:
    ctx: TuiContext = node.app.ctx  # type: ignore[attr-defined]
    return ctx


Retry = Callable[[Callable[[], Any]], Any]


def _delays() -> Iterator[float]:
    yield from RECONNECT_DELAYS
    while True:
        yield RECONNECT_DELAYS[-1]


def _launch(
    node: DOMNode,
    body: Callable[[Retry], Any],
    done: Callable[[Any], Any] | None,
    failed: Callable[[Exception], Any] | None,
    what: str,
    group: str,
    exclusive: bool,
) -> Worker[None]:
    app: Any = node.app
    token: int = app.db_call_started(what) if hasattr(app, "db_call_started") else 0
    reconnect_for: float = getattr(app, "db_reconnect_for", RECONNECT_FOR)

    def tell(method: str, *args: Any) -> None:
        # RuntimeError: the app has already closed, and nobody is left to tell.
        if hasattr(app, method):
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(getattr(app, method), *args)

    def finish(result: Any, error: Exception | None, cancelled: bool) -> None:
        if hasattr(app, "db_call_finished"):
            app.db_call_finished(token)
        if cancelled or not node.is_attached:
            return
        if error is not None:
            if failed is not None:
                failed(error)
            elif hasattr(app, "report_db_error"):
                app.report_db_error(error)
            else:
                show_error(app, error)
        elif done is not None:
            done(result)

    def retry(attempt: Callable[[], Any]) -> Any:
        """`attempt()`, tried again while the server cannot be reached (see module docstring)."""
        worker = get_current_worker()
        deadline: float | None = None
        for delay in _delays():
            try:
                return attempt()
            except Exception as exc:
                if not is_disconnect(exc) or worker.is_cancelled:
                    raise
                if deadline is None:
                    deadline = time.monotonic() + reconnect_for
                    tell("db_call_reconnecting", token)
                if time.monotonic() >= deadline:
                    raise
            worker.cancelled_event.wait(delay)
        raise AssertionError("unreachable")  # _delays() never ends

    def thread() -> None:
        worker = get_current_worker()
        result: Any = None
        error: Exception | None = None
        try:
            result = body(retry)
        except Exception as exc:
            error = exc
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(finish, result, error, worker.is_cancelled)

    worker: Worker[None] = node.run_worker(
        thread, thread=True, group=group, exclusive=exclusive, exit_on_error=False
    )
    if hasattr(app, "db_call_worker"):
        app.db_call_worker(token, worker)
    return worker


def progress_line(node: DOMNode) -> Callable[[str], None]:
    """Made on the event loop, called from inside `work` (in its worker thread): shows how far
    the call has got ("Writing… 40,000 of 100,000 rows") in the app's status line, where
    "Waiting for the database…" would be, until the call ends. The app may offer
    `db_call_progress(worker, text)` (CasetermApp does); otherwise nothing is shown."""
    app: Any = node.app

    def say(text: str) -> None:
        if hasattr(app, "db_call_progress"):
            worker = get_current_worker()
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                app.call_from_thread(app.db_call_progress, worker, text)

    return say


def show_error(app: Any, error: Exception) -> None:
    """A notification for an error: expected ones as a warning, anything else as an error that
    is also written to the Textual log."""
    expected = isinstance(error, CasetermError)
    app.notify(
        describe_error(error),
        severity="warning" if expected else "error",
        timeout=8,
        markup=False,
    )
    if not expected:
        app.log.error(repr(error))
