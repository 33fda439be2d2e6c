"""Two money runs at once (cron on two hosts, or cron and an officer's `caseterm money run`) on
one database: each defaulted account gets its step exactly once, and neither run fails. Real
processes (tests/processes.py), a real database: a SQLite file or PostgreSQL."""

from __future__ import annotations

import queue
from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.models import EnforcementStep, Task
from caseterm.core.services import cases, ledger, money_run, payment_terms
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from tests.factories import World
from tests.processes import processes

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
    made = []
    with world.db.write() as s:
        for _ in range(ACCOUNTS):
            case = cases.open_case(
                s,
                world.clerk,
                case_type="FINE",
                subject_id=world.person.id or 0,
                owner_id=world.worker.id,
            )
            case_id = case.id or 0
            ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
            payment_terms.set_terms(
                s,
                world.clerk,
                case_id=case_id,
                kind="instalments",
                instalment_pence=2_000,
                frequency="weekly",
                first_due=date(2026, 11, 2),
            )
            made.append(case_id)
    return made


@pytest.mark.usefixtures("frozen_clock")
def test_two_runs_at_once_propose_each_step_once(world: World) -> None:
    defaulted = _defaulted_accounts(world)
    ctx = processes(__name__)
    barrier = ctx.Barrier(RUNS)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=nightly_run, args=(world.db.url, barrier, results)) for _ in range(RUNS)
    ]
    for p in procs:
        p.start()
    reports: list[dict[str, Any]] = []
    try:
        for _ in procs:
            reports.append(results.get(timeout=JOIN_SECONDS))
    except queue.Empty:
        pytest.fail(f"only {len(reports)} of {len(procs)} runs reported")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
                p.join()
    assert [r["error"] for r in reports] == [""] * RUNS
    proposed = sorted(c for r in reports for c in r["proposed"])
    assert proposed == sorted(defaulted)
    with world.db.read() as s:
        steps = s.exec(select(func.count()).select_from(EnforcementStep)).one()
        tasks = s.exec(select(func.count()).where(Task.kind == "enforcement")).one()
    assert (steps, tasks) == (ACCOUNTS, ACCOUNTS)
