"""Database calls off the event loop, with their results and errors brought back to it.

    run_db(self, lambda s: cases.view_case(s, actor, reference_or_id=case_id), done=self._show,
           write="if_needed", what="opening the case")

runs the call in a thread worker with a session (`db.write()` commits at the end; `db.read()`
never does), then calls `done(result)` or `failed(error)` on the event loop. A call that takes
longer than WAITING_AFTER seconds (usually another process holding the write lock) is shown by
the app as "waiting for the database…", so the screen stays responsive and says why nothing has
happened yet. Errors caseterm expects are shown as they are; anything else is shown as an
unexpected error, never swallowed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from caseterm.core.errors import CasetermError, RestrictedError
from caseterm.core.storage.database import Database
from caseterm.tui.context import TuiContext

T = TypeVar("T")
Item = TypeVar("Item")

WAITING_AFTER = 0.4  # seconds before "waiting for the database…" appears


def describe_error(exc: BaseException) -> str:
    """One line fit to show a person."""
    if isinstance(exc, CasetermError):
        return str(exc)
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        return "The database stayed locked by another user; nothing was saved. Try again."
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

    def body() -> T:
        if write == "if_needed":
            return read_unless_it_writes(db, work)
        if not write:
            with db.read() as session:
                return work(session)
        return write_keeping_refusals(db, lambda session: work(session))

    return _launch(node, body, done, failed, what, group, exclusive)


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

    def body() -> list[Outcome[Item, T]]:
        outcomes: list[Outcome[Item, T]] = []
        for item in items:
            try:
                result = write_keeping_refusals(db, _bind(work, item))
                outcomes.append(Outcome(item, result))
            except Exception as exc:
                outcomes.append(Outcome(item, error=exc))
        return outcomes

    return _launch(node, body, done, None, what, group, False)


def write_keeping_refusals(db: Database, work: Callable[[Session], T]) -> T:
    """`work` in a writing session. A refusal to show a restricted case is committed before it
    is raised again, so its access-log row is kept (see `core.services.access`); any other
    error rolls everything back."""
    refused: RestrictedError | None = None
    with db.write() as session:
        try:
            return work(session)
        except RestrictedError as exc:
            refused = exc
    raise refused


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
    return write_keeping_refusals(db, work)


def _bind(work: Callable[[Session, Item], T], item: Item) -> Callable[[Session], T]:
    return lambda session: work(session, item)


def _ctx(node: DOMNode) -> TuiContext:
    ctx: TuiContext = node.app.ctx  # type: ignore[attr-defined]
    return ctx


def _launch(
    node: DOMNode,
    body: Callable[[], Any],
    done: Callable[[Any], Any] | None,
    failed: Callable[[Exception], Any] | None,
    what: str,
    group: str,
    exclusive: bool,
) -> Worker[None]:
    app: Any = node.app
    token: int = app.db_call_started(what) if hasattr(app, "db_call_started") else 0

    def finish(result: Any, error: Exception | None, cancelled: bool) -> None:
        if hasattr(app, "db_call_finished"):
            app.db_call_finished(token)
        if cancelled or not node.is_attached:
            return
        if error is not None:
            if failed is not None:
                failed(error)
            else:
                show_error(app, error)
        elif done is not None:
            done(result)

    def thread() -> None:
        worker = get_current_worker()
        result: Any = None
        error: Exception | None = None
        try:
            result = body()
        except Exception as exc:
            error = exc
        # RuntimeError: the app has already closed, and nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(finish, result, error, worker.is_cancelled)

    return node.run_worker(
        thread, thread=True, group=group, exclusive=exclusive, exit_on_error=False
    )


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
