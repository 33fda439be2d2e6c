"""Many processes on one database: every committed write is kept, nobody sees "database is
locked", and each task has exactly one taker while the others are told who won.

Real processes (from a fork server, tests/processes.py: nothing inherited but what is passed),
real database files; the URL comes from the `shared_url` fixture, so the same test runs on every
backend the `db` fixture provides (SQLite file, PostgreSQL).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
from sqlmodel import col, func, select

from caseterm.core.errors import AlreadyTakenError
from caseterm.core.models import AuditEvent, ContactEntry, Task
from caseterm.core.services import tasks
from caseterm.core.services.contacts import log_contact
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.factories import World
from tests.processes import run_together

LOGINS = ("worker", "other", "clerk", "boss")
CONTACTS_EACH = 50
TASKS = 20
JOIN_SECONDS = 180


def race(
    url: str,
    login: str,
    case_id: int,
    task_ids: list[int],
    contacts: int,
    barrier: Any,
    results: Any,
) -> None:
    """One process: log `contacts` entries, trying to take the next task between them. Reports
    what it committed, what it won and lost, and any other error."""
    db = Database(url)
    with db.read() as s:
        actor = resolve_actor(s, login)
    report: dict[str, Any] = {"login": login, "contacts": [], "won": [], "lost": {}, "errors": []}
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for i in range(max(contacts, len(task_ids))):
        if i < len(task_ids):
            try:
                with db.write() as s:
                    tasks.take_task(s, actor, task_ids[i])
                report["won"].append(task_ids[i])
            except AlreadyTakenError as exc:
                report["lost"][task_ids[i]] = exc.by
            except Exception as exc:
                report["errors"].append(f"take {task_ids[i]}: {exc!r}")
        if i < contacts:
            try:
                with db.write() as s:
                    entry = log_contact(
                        s,
                        actor,
                        case_id=case_id,
                        contact_type="phone_out",
                        notes=f"{login} call {i}",
                    )
                report["contacts"].append(entry.id)
            except Exception as exc:
                report["errors"].append(f"contact {i}: {exc!r}")
    report["seconds"] = time.perf_counter() - started
    db.dispose()
    results.put(report)


@pytest.fixture
def shared_url(world: World) -> str:
    """The database all the processes open, as a URL string (whatever backend `db` is)."""
    return world.db.url


@pytest.mark.slow
def test_processes_keep_every_write_and_take_each_task_once(world: World, shared_url: str) -> None:
    with world.db.write() as s:
        made = [
            tasks.insert_task(
                s, world.clerk, kind="general", title=f"Race {i}", team_id=world.team.id
            )
            for i in range(TASKS)
        ]
    task_ids = [t.id or 0 for t in made]
    reports, exits = run_together(
        __name__,
        race,
        [(shared_url, login, world.case.id, task_ids, CONTACTS_EACH) for login in LOGINS],
        timeout=JOIN_SECONDS,
    )
    assert exits == [0] * len(exits)
    print("seconds after the barrier:", [round(r["seconds"], 2) for r in reports])

    errors = [e for r in reports for e in r["errors"]]
    assert errors == []  # in particular, no "database is locked"

    names = {
        "worker": "Wendy Worker",
        "other": "Owen Other",
        "clerk": "Claire Clerk",
        "boss": "Mandy Manager",
    }
    ids = {login: world.actor(login).id for login in LOGINS}
    committed = [cid for r in reports for cid in r["contacts"]]
    assert len(committed) == len(set(committed)) == len(LOGINS) * CONTACTS_EACH
    winners = Counter(t for r in reports for t in r["won"])
    assert sorted(winners) == sorted(task_ids) and set(winners.values()) == {1}
    with world.db.read() as s:
        stored = set(
            s.exec(select(ContactEntry.id).where(ContactEntry.case_id == world.case.id)).all()
        )
        assert stored == set(committed)
        assignees = dict(
            s.exec(select(Task.id, Task.assignee_id).where(col(Task.id).in_(task_ids))).all()
        )
        takes = s.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "task.take")
        ).one()
    assert takes == TASKS
    for r in reports:
        for task_id in r["won"]:
            assert assignees[task_id] == ids[r["login"]]
        # Every loser was told the real winner's name.
        for task_id, by in r["lost"].items():
            winner = next(x["login"] for x in reports if task_id in x["won"])
            assert by == names[winner]
        assert len(r["won"]) + len(r["lost"]) == TASKS
