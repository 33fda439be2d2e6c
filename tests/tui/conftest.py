"""Shared TUI fixtures and helpers: a SQLite world with tasks in every state, the app factory the
command line uses (with the database injected), and ways to wait for what is shown.

- `tui_db`: a migrated SQLite file of its own (TUI tests run on SQLite only: the live updates
  poll its `data_version`).
- `tui_world`: `tests.factories` world on `tui_db` with the clock frozen at FROZEN, plus tasks:
  mine (one overdue), my team's unallocated, and one whose title is hostile markup.
- `tui_world.app(actor=None, live=False)`: a `CasetermApp` acting as `actor` (default: the
  caseworker who owns the case).
- `tui_world.task(name)`: one of those tasks as stored now.
- `settle(pilot)`: wait until every worker is done and the messages they posted are handled.
- `wait_for(pilot, condition, seconds)`: pause until `condition()` holds (else fail); how long it
  took. For what no worker signals: live updates, timers, another process's commit.
- `screen_text(app)`: what the terminal shows, as plain text (`tests.tui.seen`).
- `use_config(path, monkeypatch, text)`: a config file for the app to read.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from caseterm.core import clock
from caseterm.core.models import Task
from caseterm.core.services import tasks
from caseterm.core.services.identity import Actor
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.tui.app import CasetermApp
from caseterm.tui.context import TuiContext
from tests.conftest import FROZEN
from tests.factories import World
from tests.keys import idle
from tests.tui.seen import NotedCasetermApp, screen_text
from tests.world_cache import WorldCache

__all__ = [
    "FROZEN",
    "HOSTILE",
    "TODAY",
    "TuiWorld",
    "screen_text",
    "settle",
    "settled_still",
    "use_config",
]

HOSTILE = "[@click=app.quit]x [bold]y [/ \x1b[2J z"
TODAY = FROZEN.date()


@dataclass
class TuiWorld:
    world: World
    task_ids: dict[str, int] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return self.world.db

    def task(self, name: str) -> Task:
        """One of the tasks `add_tasks` made, as stored now."""
        with self.db.read() as s:
            found = s.get(Task, self.task_ids[name])
        assert found is not None
        return found

    def app(self, actor: Actor | None = None, *, live: bool = False, **kwargs: Any) -> CasetermApp:
        """The workstation; its notifications are kept (`tests.tui.seen.notes_of`)."""
        ctx = TuiContext(self.db, actor or self.world.worker)
        return NotedCasetermApp(ctx, live=live, **kwargs)


def add_tasks(world: World, today: date) -> dict[str, int]:
    """Tasks for the worker's queues: two of theirs (one overdue), two unallocated in the team
    (one with a hostile title), each on the world's case."""
    case_id = world.case.id or 0
    specs = [
        (
            "mine_overdue",
            "papers_to_chase",
            "Chase the court papers",
            world.worker.id,
            today - timedelta(days=3),
            2,
        ),
        ("mine_today", "letter_to_issue", "Send appointment letter", world.worker.id, today, 3),
        ("team_free", "review_due", "Quarterly review", None, today + timedelta(days=2), 3),
        ("hostile", "general", HOSTILE, None, today + timedelta(days=5), 4),
    ]
    ids: dict[str, int] = {}
    with world.db.write() as s:
        for name, kind, title, assignee, due, priority in specs:
            task = tasks.create_task(
                s,
                world.clerk,
                kind=kind,
                title=title,
                case_id=case_id,
                assignee_id=assignee,
                team_id=world.team.id,
                due_date=due,
                priority=priority,
            )
            ids[name] = task.id or 0
    return ids


@pytest.fixture
def tui_db(db_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A copy of the migrated template (tests/conftest.py), opened with every check."""
    shutil.copy(sqlite_template, db_path)
    database = open_database(str(db_path)).db
    yield database
    database.dispose()


@pytest.fixture
def tui_world(tui_db: Database, frozen_clock: datetime, world_cache: WorldCache) -> TuiWorld:
    world = world_cache.world_on(tui_db)
    return TuiWorld(world, add_tasks(world, clock.today()))


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and every message they posted be handled.

    A worker cancelled on the way is a normal outcome, not a failure: an exclusive worker is
    cancelled when a newer read of the same list replaces it (a live update arriving while the
    first page loads does exactly that). A worker that raised still fails the test.
    """
    for _ in range(50):
        busy = [w for w in pilot.app.workers if w.group != "live" and not w.is_finished]
        if not busy:
            await idle(pilot)
            if not [w for w in pilot.app.workers if w.group != "live" and not w.is_finished]:
                return
            continue
        for worker in busy:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await idle(pilot)


async def settled_still(pilot: Pilot[Any]) -> None:
    """Everything loaded, the form's draft kept, and cursors steady (a blinking cursor would
    make a snapshot vary, and so would a draft still being written: its note and the waiting
    indicator come and go with the machine's load)."""
    await settle(pilot)
    keeper = getattr(pilot.app.screen, "keeper", None)
    if keeper is not None:
        await wait_for(pilot, lambda: keeper.up_to_date, 5)
        await settle(pilot)
    await pilot.pause(0.05)
    await settle(pilot)
    for text_field in pilot.app.screen.query("Input, TextArea"):
        text_field.cursor_blink = False  # type: ignore[attr-defined]
        # A TextArea keys its cached lines without whether the cursor is drawn: a line cached in
        # the blink's "off" phase would be reused, cursor-less, now that the cursor stays on.
        text_field.notify_style_update()  # (empties that cache)
        # Drawn again whatever phase the blink was in: stopping it in its "on" phase changes
        # nothing Textual watches, and the line drawn with the blinking cursor would stay.
        text_field.refresh()
    await idle(pilot)


# The least a wait may last before it fails. CI runs on a 2-core machine that may be busy, where
# any one step can stall for seconds; waiting longer costs nothing when the condition holds, and
# how fast things are is measured by the benchmarks (`make bench`), never here.
LEAST_WAIT = 30.0


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], seconds: float) -> float:
    """Pause until `condition()` holds (else fail); how long it took. `seconds` is what the
    condition should need on a quiet machine; the wait lasts at least LEAST_WAIT."""
    budget = max(seconds, LEAST_WAIT)
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > budget:
            raise AssertionError(f"not within {budget} s")
        await pilot.pause(0.05)
    took = time.monotonic() - started
    await idle(pilot)  # a screen just pushed has composed and been laid out before it is read
    return took


def use_config(path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """Write `text` as the config file the app reads (`CASETERM_CONFIG`)."""
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CASETERM_CONFIG", str(path))
    return path
