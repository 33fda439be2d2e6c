"""The PostgreSQL server going away while the workstation, the desk and triage are open.

- A dropped connection (`pg_terminate_backend` on the write waiting for the write lock) during a
  desk check-in, a triage decision and a queue action: the app says it is reconnecting, keeps
  what was typed, and the write is done once when the connection is back.
- The server stopped and started again (a server of the test's own, tests/pg_private.py, so the
  tests running beside it keep theirs; root only) with a write pressed while it is down: the app
  says "Reconnecting to the database…", keeps what was typed, and carries on once the server is
  back; the write is committed exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from caseterm.core import clock
from caseterm.core.models import Appointment, ContactEntry, Task
from caseterm.core.services import diary, tasks
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.tui.base_app import RECONNECTING, CasetermBaseApp
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.screen import DeskScreen
from caseterm.tui.screens.queues import QueuesScreen
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World, build_world
from tests.keys import press
from tests.pg import libpq
from tests.pg_private import PrivatePostgres
from tests.tui.conftest import add_tasks, screen_text, settle
from tests.tui.db_trouble import (
    drop_waiting_writer,
    pg_server,
    pg_write_lock,
    wait_until,
)
from tests.tui.seen import (
    NotedCasetermApp,
    NotedCheckinApp,
    NotedTriageApp,
    notes_of,
    waited_of,
)

BACK = "Connected to the database again."


@pytest.fixture
def pg_world(pg_url: str, frozen_clock: datetime) -> Iterator[World]:
    database = open_database(pg_url).db
    yield build_world(database)
    database.dispose()


@dataclass
class Journey:
    """One app, what is typed before the trouble, the key pressed during it, and how to tell
    from the database that the write was done (and done once)."""

    app: CasetermBaseApp
    prepare: list[str]
    press: str
    typed: Callable[[App[Any]], bool]  # what was typed is still there
    done: Callable[[Database], bool]


def journey(kind: str, world: World, *, live: bool) -> Journey:
    """The desk checking someone in, triage setting a priority, or the workstation taking a
    task from the team queue."""
    w = world
    if kind == "desk":
        at = clock.now().replace(hour=11, minute=0)
        with w.db.write() as s:
            (appt,) = diary.book_appointment(
                s,
                w.clerk,
                staff_id=w.worker.id,
                starts_at=at,
                ends_at=at + timedelta(minutes=30),
                kind="supervision",
                case_id=w.case.id,
                room_id=w.room.id,
            )

        def checked_in(db: Database) -> bool:
            with db.read() as s:
                status = s.get(Appointment, appt.id)
                entries = s.exec(
                    select(ContactEntry).where(ContactEntry.appointment_id == appt.id)
                ).all()
            assert len(entries) <= 1  # never twice
            return status is not None and status.status == "arrived" and len(entries) == 1

        def still_typed(app: App[Any]) -> bool:
            return isinstance(app.screen, DeskScreen) and (
                app.screen.query_one(Input).value == "siobhan"
            )

        desk = NotedCheckinApp(TuiContext(w.db, w.desk), w.office.id or 0, w.office.name, live=live)
        return Journey(desk, [*"siobhan"], "enter", still_typed, checked_in)
    if kind == "triage":
        with w.db.write() as s:
            item = tasks.create_task(
                s, w.clerk, kind="new_referral", title="Referral: T Nowak", status="untriaged"
            )

        def prioritised(db: Database) -> bool:
            with db.read() as s:
                task = s.get(Task, item.id)
            return task is not None and task.priority == 1

        def still_shown(app: App[Any]) -> bool:
            screen = app.screen
            return isinstance(screen, TriageScreen) and (
                screen.item is not None and screen.item.task.id == item.id
            )

        return Journey(
            NotedTriageApp(TuiContext(w.db, w.clerk), live=live),
            [],
            "1",
            still_shown,
            prioritised,
        )
    ids = add_tasks(w, clock.today())

    def taken(db: Database) -> bool:
        with db.read() as s:
            task = s.get(Task, ids["team_free"])
        return task is not None and task.assignee_id == w.worker.id

    def on_queue(app: App[Any]) -> bool:
        screen = app.screen
        return isinstance(screen, QueuesScreen) and screen.queue_key == "team_unallocated"

    return Journey(
        NotedCasetermApp(TuiContext(w.db, w.worker), live=live),
        ["right_square_bracket"],
        "t",
        on_queue,
        taken,
    )


def answers(db: Database, check: Callable[[Database], bool]) -> bool:
    """`check(db)`, False while the server does not answer yet."""
    try:
        return check(db)
    except OperationalError:
        return False


async def prepared(pilot: Pilot[Any], trip: Journey) -> None:
    await settle(pilot)
    if trip.prepare:
        await press(pilot, *trip.prepare)
        await settle(pilot)
    assert trip.typed(trip.app)


@pytest.mark.parametrize("kind", ["desk", "triage", "workstation"])
async def test_a_dropped_connection_reconnects_and_writes_once(
    kind: str, pg_world: World, pg_url: str
) -> None:
    trip = journey(kind, pg_world, live=False)
    app = trip.app
    async with app.run_test(size=(120, 40)) as pilot:
        await prepared(pilot, trip)
        with pg_write_lock(pg_url):
            await press(pilot, trip.press)
            assert await drop_waiting_writer(pg_url) == 1
            await wait_until(pilot, lambda: app.db_waiting == RECONNECTING, 10)
            await wait_until(pilot, lambda: RECONNECTING in screen_text(app), 10)
            assert trip.typed(app) and app.is_running
            assert not trip.done(pg_world.db)  # not saved yet (it waits for the lock again)
        await wait_until(pilot, lambda: BACK in notes_of(app), 30)
        await settle(pilot)
        assert app.is_running and app.db_waiting == ""
    assert trip.done(pg_world.db)


@pytest.fixture(scope="module")
def own_server() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server these restarts may stop: never the one the other tests share."""
    server = PrivatePostgres()
    yield server
    server.remove()


@pytest.fixture
def own_world(own_server: PrivatePostgres, frozen_clock: datetime) -> Iterator[World]:
    database = open_database(own_server.url).db
    world = build_world(database)
    yield world
    database.dispose()
    with psycopg.connect(libpq(own_server.url)) as conn:  # the next test starts empty
        conn.execute("DROP OWNED BY current_user")


@pytest.mark.parametrize("kind", ["desk", "triage", "workstation"])
async def test_a_server_restart_is_waited_out_and_nothing_is_lost(
    kind: str, own_server: PrivatePostgres, own_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    pg_world = own_world
    trip = journey(kind, pg_world, live=True)
    app = trip.app
    async with app.run_test(size=(120, 40)) as pilot:
        await prepared(pilot, trip)
        await wait_until(pilot, lambda: app.live is not None and app.live.worker is not None, 10)
        try:
            await pg_server(own_server, "stop")
            # Nothing pressed yet: the live updates notice the server went away.
            noticed = await wait_until(pilot, lambda: app.db_waiting == RECONNECTING, 30)
            await press(pilot, trip.press)  # a write while the server is down
            await wait_until(pilot, lambda: len(app.workers) > 0, 5)
            await wait_until(pilot, lambda: RECONNECTING in screen_text(app), 10)
            assert trip.typed(app) and app.is_running
        finally:
            starting = await pg_server(
                own_server, "start"
            )  # returns once the server accepts connections
        up = time.monotonic()
        await wait_until(pilot, lambda: answers(pg_world.db, trip.done), 60)
        carried_on = time.monotonic() - up
        await wait_until(pilot, lambda: app.db_waiting == "", 30)
        cleared = time.monotonic() - up
        await settle(pilot)
        assert app.is_running and BACK in notes_of(app)
        assert RECONNECTING in waited_of(app)
    assert trip.done(pg_world.db)
    with capsys.disabled():
        print(
            f"\n[{kind}] server stop noticed in {noticed:.2f} s; the start took {starting:.2f} s;"
            f" after it the write was committed in {carried_on:.2f} s and the indicator"
            f" cleared in {cleared:.2f} s"
        )
