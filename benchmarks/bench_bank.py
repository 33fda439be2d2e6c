"""Benchmark of importing a bank statement: 10,000 lines read, matched (by reference, by name
and amount, and some matching nothing) and posted, as `caseterm money import-bank` does. Each
run is rolled back, so the cached demo keeps its accounts (the commit itself is not timed)."""

from __future__ import annotations

from collections.abc import Callable

from harness import Ctx, Unavailable, bench
from sqlalchemy import select
from sqlmodel import col

from caseterm.core.models import CaseFile, Imposition, Person, Staff, StaffRole

LINES = 10_000


class _RolledBack(Exception):
    pass


def statement(references: list[tuple[str, str]], lines: int = LINES) -> bytes:
    """A CSV of `lines`: 8 in 10 by reference, 1 by name only, 1 matching nothing."""
    out = ["Date,Amount,Reference,Name"]
    for i in range(lines):
        ref, name = references[i % len(references)]
        day = 1 + i % 28
        if i % 10 == 8:
            out.append(f"{day:02d}/11/2026,{5 + i % 50}.00,PAYMENT,{name}")
        elif i % 10 == 9:
            out.append(f"{day:02d}/11/2026,{1 + i % 90}.{i % 100:02d},UNKNOWN {i},Nobody {i}")
        else:
            out.append(f"{day:02d}/11/2026,{10 + i % 40}.00,{ref},{name}")
    return ("\n".join(out) + "\n").encode()


def _manager(ctx: Ctx) -> str:
    with ctx.db.read() as s:
        login = s.execute(
            select(col(Staff.login))
            .join(StaffRole, col(StaffRole.staff_id) == col(Staff.id))
            .where(col(StaffRole.role) == "manager", col(Staff.active))
            .limit(1)
        ).scalar()
    if login is None:
        raise Unavailable("no manager in this demo")
    return str(login)


@bench("bank_import", "import and match a 10,000-line bank statement", target_ms=15_000, runs=3)
def bank_import_10k(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import bank_import
    from caseterm.core.services.identity import resolve_actor

    with ctx.db.read() as s:
        rows = s.execute(
            select(col(CaseFile.reference), col(Person.given_name), col(Person.family_name))
            .join(Person, col(Person.id) == col(CaseFile.subject_id))
            .where(
                col(CaseFile.id).in_(select(col(Imposition.case_id))),
                col(CaseFile.restricted).is_(False),
                col(CaseFile.status) == "open",
            )
            .limit(LINES)
        ).all()
        actor = resolve_actor(s, _manager(ctx))
    if not rows:
        raise Unavailable("no fines accounts in this demo")
    content = statement([(ref, f"{given} {family}") for ref, given, family in rows])

    def run() -> object:
        try:
            with ctx.db.write() as s:
                result = bank_import.import_statement(
                    s, actor, filename="bench.csv", content=content
                )
                raise _RolledBack
        except _RolledBack:
            pass
        return result

    return run
