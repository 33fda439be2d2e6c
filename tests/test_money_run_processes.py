"""Two money runs at once (cron on two hosts, or cron and an officer's `caseterm money run`) on
one database: each defaulted account gets its step exactly once, and neither run fails. Real
processes (tests/processes.py), a real database: a SQLite file or PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.models import EnforcementStep, Task
from caseterm.core.services import money_run
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.factories import World
from tests.processes import run_together
from tests.test_money_run import _fines_case

RUNS = 2
ACCOUNTS = 8
JOIN_SECONDS = 180


def nightly_run(url: str, barrier: Any, results: Any) -> None:
    """One money run, started together with the others: how many steps it proposed."""
    clock.freeze(datetime(2026, 11, 23, 22, 0))
    db = Database(url)
    with db.read() as s:
        actor = resolve_actor(s, "boss")
    barrier.wait(timeout=60)
    try:
        with db.write() as s:
            run = money_run.run_enforcement(s, actor)
        results.put({"proposed": [p.case_id for p in run.proposed], "error": ""})
    except Exception as exc:
        results.put({"proposed": [], "error": repr(exc)})
    finally:
        db.dispose()


def _defaulted_accounts(world: World) -> list[int]:
    """Fines accounts four weekly instalments behind, none paid (as in tests/test_money_run.py)."""
    return [_fines_case(world) for _ in range(ACCOUNTS)]


@pytest.mark.usefixtures("frozen_clock")
def test_two_runs_at_once_propose_each_step_once(world: World) -> None:
    defaulted = _defaulted_accounts(world)
    reports, _ = run_together(__name__, nightly_run, [(world.db.url,)] * RUNS, timeout=JOIN_SECONDS)
    assert [r["error"] for r in reports] == [""] * RUNS
    proposed = sorted(c for r in reports for c in r["proposed"])
    assert proposed == sorted(defaulted)
    with world.db.read() as s:
        steps = s.exec(select(func.count()).select_from(EnforcementStep)).one()
        tasks = s.exec(select(func.count()).where(Task.kind == "enforcement")).one()
    assert (steps, tasks) == (ACCOUNTS, ACCOUNTS)
