"""Benchmarks of money on a case (the large demo has an account on every fines case): the
Account section as the case screen reads it, and a payment committed."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import cycle
from typing import TYPE_CHECKING

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import select
from sqlmodel import col

from caseterm.core.models import CaseFile, Imposition, Staff, StaffRole

if TYPE_CHECKING:
    from caseterm.core.services.identity import Actor

WORKLOAD = 200


def _accounts(ctx: Ctx, *, open_only: bool) -> list[int]:
    with ctx.db.read() as s:
        query = (
            select(col(Imposition.case_id))
            .join(CaseFile, col(CaseFile.id) == col(Imposition.case_id))
            .where(col(CaseFile.restricted).is_(False))
            .distinct()
        )
        if open_only:
            query = query.where(col(CaseFile.status) == "open")
        ids = [i for i in s.execute(query).scalars() if i is not None]
    if not ids:
        raise Unavailable("no fines accounts in this demo")
    ctx.rng.shuffle(ids)
    return ids[:WORKLOAD]


@bench("account_section", "a case's Account section (account_if_any)", target_ms=30)
def account_section(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import accounts

    actor = ctx.actor()
    next_case = cycle(_accounts(ctx, open_only=False)).__next__

    def run() -> object:
        with ctx.db.read() as s:
            return accounts.account_if_any(s, actor, case_id=next_case())

    return run


@bench("commit_payment", "payment commit (take_payment in db.write())", target_ms=20)
def commit_payment(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import accounts, ledger

    actor = ctx.actor()
    live: list[int] = []
    with ctx.db.read() as s:
        for case_id in _accounts(ctx, open_only=True):
            view = accounts.account_if_any(s, actor, case_id=case_id)
            if view is not None and view.status == "live" and view.balance_pence > 10_000:
                live.append(case_id)
    if not live:
        raise Unavailable("no live account owing money")
    next_case = cycle(live).__next__

    def run() -> object:
        with ctx.db.write() as s:
            return ledger.take_payment(
                s, actor, case_id=next_case(), amount_pence=100, method="card", reference="bench"
            )

    return run


def _manager(ctx: Ctx) -> Actor:
    """A manager of the demo (the money run needs `money.correct`)."""
    from caseterm.core.services.identity import resolve_actor

    with ctx.db.read() as s:
        manager = s.execute(
            select(col(Staff.login))
            .join(StaffRole, col(StaffRole.staff_id) == col(Staff.id))
            .where(col(StaffRole.role) == "manager", col(Staff.active))
            .limit(1)
        ).scalar()
        if manager is None:
            raise Unavailable("no manager in this demo")
        return resolve_actor(s, manager)


@bench("money_run", "the money run over every account (--dry-run)", target_ms=10_000, runs=3)
def money_run_all(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import money_run

    actor = _manager(ctx)

    def run() -> object:
        with ctx.db.read() as s:
            return money_run.run_enforcement(s, actor, dry_run=True)

    return run


@bench(
    "money_run_write", "the money run over every account, writing (rolled back)", target_ms=10_000
)
def money_run_writing(ctx: Ctx) -> Samples:
    """The nightly run as cron runs it: every step it proposes written (tasks, steps, audit), in
    a transaction rolled back afterwards so the cached demo keeps its accounts as they were."""
    from caseterm.core.services import money_run

    actor = _manager(ctx)
    session_cm = ctx.db.write()
    s = session_cm.__enter__()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = money_run.run_enforcement(s, actor)
        wall, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    finally:
        s.rollback()  # leave the cached demo as it was
        session_cm.__exit__(None, None, None)
    note = f"{result.considered:,} accounts, {len(result.proposed):,} steps proposed, rolled back"
    return Samples([wall], [cpu_ms], note=note)
