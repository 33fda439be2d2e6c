"""The resident server's warm engines (cli/resident/warming.py, core/storage/engine_reuse.py):
a read command run again by the server compiles its SQL once; the next command takes that
engine and compiles nothing; the warming run writes nothing, keeps no connection, and an engine
interrupted by the time budget is not kept. Then the same through a real server."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from caseterm.cli.resident import warming
from caseterm.cli.resident.warming import Warmer
from caseterm.core.models import AccessLog, AuditEvent, ContactEntry
from caseterm.core.services import cases
from caseterm.core.storage import engine_reuse, warm_engines
from tests.cli import cli_env, run_cli
from tests.factories import World
from tests.resident_fixtures import Resident, resident, wait_until

__all__ = ["resident"]  # the fixture

pytestmark = pytest.mark.sqlite_only  # a SQLite file, and the resident server's processes


class Compiles:
    """Statements executed, and how many SQLAlchemy had to compile (not in the cache)."""

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0

    def __call__(self, *args: Any) -> None:
        context = args[4]
        if context.cache_hit is context.dialect.CACHE_MISS:
            self.misses += 1
        elif context.cache_hit is context.dialect.CACHE_HIT:
            self.hits += 1


@pytest.fixture
def compiles() -> Iterator[Compiles]:
    counter = Compiles()
    event.listen(Engine, "after_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(Engine, "after_cursor_execute", counter)
        warm_engines.forget_all()
        engine_reuse.offer({})
        engine_reuse.forget_made()
        gc.unfreeze()  # warming freezes what it made, as the server wants


def _request(world: World, home: Path, user: str, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(cli_env(home, user))
    return {"argv": ["--db", world.db.url, *args], "env": env, "cwd": str(home)}


def _counts(world: World) -> tuple[int, int, int]:
    with world.db.read() as s:
        return (
            s.exec(select(func.count()).select_from(AuditEvent)).one(),
            s.exec(select(func.count()).select_from(AccessLog)).one(),
            s.exec(select(func.count()).select_from(ContactEntry)).one(),
        )


def test_the_next_command_compiles_nothing(
    world: World, tmp_path: Path, compiles: Compiles
) -> None:
    ref = world.case.reference
    url = world.db.url
    before = _counts(world)
    warmer = Warmer()
    warmer.note([url], _request(world, tmp_path, "worker", "case", "show", ref), 0)
    cwd = os.getcwd()
    assert warmer.warm_next() is True
    assert os.getcwd() == cwd and os.environ.get("CASETERM_USER") != "worker"  # put back
    engine = warm_engines.kept(url)
    assert engine is not None
    assert len(engine._compiled_cache or {}) > 10
    assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]  # no connection kept
    assert _counts(world) == before  # the run wrote nothing
    assert warmer.warm_next() is False  # nothing pending

    compiles.misses = compiles.hits = 0
    warmer.offer()
    done = run_cli(tmp_path, "case", "show", ref, db=url)
    assert done.code == 0, done.err
    assert ref in done.out
    assert engine_reuse.taken() == [url]
    assert compiles.misses == 0
    assert compiles.hits >= 15  # the case, its header, contact log, tasks, diary, events, clocks

    # Its connections write as ever: the warming's read-only setting did not stay behind.
    warmer.offer()
    notes = "after a warm engine"
    done = run_cli(tmp_path, "contact", "add", ref, "--type", "phone_in", "--notes", notes, db=url)
    assert done.code == 0, done.err
    with world.db.read() as s:
        assert s.exec(select(ContactEntry.notes).where(col(ContactEntry.notes) == notes)).all()


def test_warming_a_restricted_case_logs_no_access(
    world: World, tmp_path: Path, compiles: Compiles
) -> None:
    """The refusal of a restricted case is journalled when the command runs; the server's run
    again must not journal it a second time (it cannot write at all)."""
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    before = _counts(world)
    warmer = Warmer()
    request = _request(world, tmp_path, "other", "case", "show", world.case.reference)
    warmer.note([world.db.url], request, 0)
    assert warmer.warm_next() is True
    assert _counts(world) == before
    engine = warm_engines.kept(world.db.url)
    assert engine is not None and engine.pool.checkedin() == 0  # type: ignore[attr-defined]


def test_what_is_not_run_again(world: World, tmp_path: Path, compiles: Compiles) -> None:
    url, ref = world.db.url, world.case.reference
    warmer = Warmer()
    warmer.note([url], _request(world, tmp_path, "worker", "case", "show", ref), 1)  # failed
    warmer.note([url, url + "2"], _request(world, tmp_path, "worker", "search", "x"), 0)  # two
    write = ("contact", "add", ref, "--type", "phone_in", "--notes", "x")
    warmer.note([url], _request(world, tmp_path, "worker", *write), 0)  # a write
    export = ("queue", "show", "my_work", "--csv", str(tmp_path / "q.csv"))
    warmer.note([url], _request(world, tmp_path, "worker", *export), 0)  # writes a file
    before = _counts(world)
    assert warmer.warm_next() is False
    assert warm_engines.urls() == []
    assert not (tmp_path / "q.csv").exists()
    assert _counts(world) == before
    # The write is not looked at again (no parsing in the server after each one); the export
    # is (the same command without --csv is a read to run again).
    warmer.note([url], _request(world, tmp_path, "worker", *write), 0)
    warmer.note([url], _request(world, tmp_path, "worker", *export), 0)
    assert [r["argv"][2:4] for _, r in warmer.pending] == [["queue", "show"]]


def test_the_commands_run_again_are_reads() -> None:
    """Each handler named in REPLAYED exists, and each option named as writing a file is one
    of its command's options."""
    import importlib

    from caseterm.cli.registry import parse

    for name in warming.REPLAYED:
        module, _, function = name.rpartition(".")
        assert callable(getattr(importlib.import_module(module), function)), name
    examples = {
        "caseterm.cli.search_cmd.search_cmd": ["search", "x"],
        "caseterm.cli.queue_cmds.show_queue_cmd": ["queue", "show", "my_work"],
        "caseterm.cli.case_cmds.show_case": ["case", "show", "R"],
        "caseterm.cli.diary_cmds.diary_cmd": ["diary", "today"],
        "caseterm.cli.queue_cmds.list_queues_cmd": ["queue", "list"],
        "caseterm.cli.person_cmds._show": ["person", "show", "1"],
        "caseterm.cli.contact_cmds.list_contacts": ["contact", "list", "R"],
    }
    assert set(examples) == set(warming.REPLAYED)
    for name, argv in examples.items():
        args = parse(argv)
        assert warming.handler_name(args) == name and warming.replayable(args)
        for option in warming.REPLAYED[name]:
            assert hasattr(args, option), (name, option)


def test_a_run_over_its_budget_keeps_no_engine(
    world: World, tmp_path: Path, compiles: Compiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warming, "BUDGET_SECONDS", 0.000_001)
    warmer = Warmer()
    request = _request(world, tmp_path, "worker", "search", "smith")
    for tried in (True, True, False):  # tried twice at most
        warmer.note([world.db.url], request, 0)
        assert warmer.warm_next() is tried  # run, and cut short
    assert warm_engines.urls() == [] and warmer.done == set()
    warmer.offer()
    assert engine_reuse.take(world.db.url) is None


def test_a_served_command_takes_the_warm_engine(world: World, resident: Resident) -> None:
    """Through a real server: after a served `case show` the server warms an engine for the
    database; the next one is served warm, answers as in its own process, and a write after it
    is stored."""
    db, ref = world.db.url, world.case.reference
    resident.start()
    first = resident.run("--db", db, "case", "show", ref)
    assert first.code == 0, first.err
    wait_until(lambda: resident.status()["warm_databases"] == 1, "the server to warm an engine")
    assert resident.status()["served_warm"] == 0
    served = resident.run("--db", db, "case", "show", ref)
    here = resident.in_process("--db", db, "case", "show", ref)
    assert (served.code, served.out, served.err) == (here.code, here.out, here.err)
    wait_until(lambda: resident.status()["served_warm"] == 1, "the child's report")
    add = ("--db", db, "contact", "add", ref, "--type", "phone_in", "--notes", "served warm")
    assert resident.run(*add).code == 0
    with world.db.read() as s:
        stored = s.exec(select(ContactEntry).where(col(ContactEntry.notes) == "served warm"))
        assert len(stored.all()) == 1
    wait_until(lambda: resident.status()["served_warm"] == 2, "the writer's report")
    assert resident.status()["requests"] == 3
