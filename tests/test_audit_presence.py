""" "Someone is editing": others see who has a record open and since when; the notice is kept
alive by heartbeats and expires by itself when the editing session dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.services import presence
from caseterm.core.services.presence import EXPIRES_AFTER, Editor
from tests.cli import ROOT
from tests.factories import World
from tests.launch import frozen_prelude

T0 = datetime(2026, 11, 23, 10, 32)


Move = Callable[[datetime], None]


@pytest.fixture
def at() -> Iterator[Move]:
    def move(when: datetime) -> None:
        clock.freeze(when)

    move(T0)
    yield move
    clock.freeze(None)


def editors(world: World, viewer: str) -> list[Editor]:
    with world.db.read() as s:
        return presence.editors_of(
            s, world.actor(viewer), entity="case", entity_id=world.case.id or 0
        )


def start(world: World, login: str) -> None:
    with world.db.write() as s:
        presence.heartbeat(s, world.actor(login), entity="case", entity_id=world.case.id or 0)


def test_others_see_who_is_editing_and_since_when(world: World, at: Move) -> None:
    start(world, "worker")
    assert editors(world, "other") == [("Wendy Worker", T0)]
    assert editors(world, "other")[0].notice() == "Wendy Worker is editing (since 10:32)"
    assert editors(world, "worker") == []  # never yourself


def test_heartbeats_keep_it_alive_and_silence_expires_it(world: World, at: Move) -> None:
    start(world, "worker")
    at(T0 + timedelta(seconds=60))
    with world.db.write() as s:
        presence.heartbeat(s, world.worker, entity="case", entity_id=world.case.id or 0)
    at(T0 + timedelta(seconds=140))
    assert editors(world, "other") == [("Wendy Worker", T0)]  # since the start, not the beat
    at(T0 + timedelta(seconds=60) + EXPIRES_AFTER + timedelta(seconds=1))
    assert editors(world, "other") == []
    later = T0 + timedelta(minutes=10)
    at(later)
    start(world, "worker")
    assert editors(world, "other") == [("Wendy Worker", later)]  # a fresh notice


def test_closing_the_form_removes_the_notice(world: World, at: Move) -> None:
    start(world, "worker")
    start(world, "clerk")
    with world.db.write() as s:
        assert presence.stop_editing(s, world.worker, entity="case", entity_id=world.case.id or 0)
        assert not presence.stop_editing(
            s, world.worker, entity="case", entity_id=world.case.id or 0
        )
    assert [e.name for e in editors(world, "other")] == ["Claire Clerk"]


def test_bad_record_names_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        presence.heartbeat(s, world.worker, entity="", entity_id=1)
    assert err.value.field == "entity"
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        presence.heartbeat(s, world.worker, entity="case", entity_id=0)
    assert err.value.field == "entity_id"


EDITOR = """
import sys, time
from caseterm.core.storage.database import Database
from caseterm.core.services import presence
from caseterm.core.services.identity import resolve_actor
db = Database(sys.argv[1])
with db.write() as s:
    presence.heartbeat(s, resolve_actor(s, "worker"), entity="case", entity_id=int(sys.argv[2]))
print("editing", flush=True)
time.sleep(600)
"""


@pytest.mark.sqlite_only
def test_a_killed_session_expires_by_itself(world: World, at: Move) -> None:
    """A process that dies without closing its form (an SSH drop) leaves a notice that others
    stop seeing once its heartbeat is older than EXPIRES_AFTER, and that any process may clear."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", frozen_prelude(T0) + EDITOR, world.db.url, str(world.case.id)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "editing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    at(T0 + timedelta(seconds=30))
    assert editors(world, "other") == [("Wendy Worker", T0)]
    at(T0 + EXPIRES_AFTER + timedelta(seconds=1))
    assert editors(world, "other") == []
    with world.db.write() as s:
        assert presence._clear_expired(s) == 1
