"""Benchmark of the case lifecycle (issue 12): committing a case edit as the edit form does
(`case_edit.edit_case` with the version it read, in its own writing transaction)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from harness import Ctx, Unavailable, bench
from sqlalchemy import select
from sqlmodel import col

from caseterm.core.models import CaseFile


@bench("commit_case_edit", "case edit commit (edit_case in db.write())", target_ms=20)
def commit_case_edit(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import case_edit

    actor = ctx.actor()
    with ctx.db.read() as s:
        ids = list(
            s.execute(
                select(col(CaseFile.id))
                .where(col(CaseFile.status) == "open", col(CaseFile.restricted).is_(False))
                .order_by(col(CaseFile.id))
                .limit(2000)
            ).scalars()
        )
    if not ids:
        raise Unavailable("no open cases")
    picked = ctx.rng.sample(ids, min(len(ids), 200))
    turn = count()

    def run() -> object:
        n = next(turn)
        case_id = picked[n % len(picked)]
        with ctx.db.write() as s:
            version = s.execute(
                select(col(CaseFile.version)).where(col(CaseFile.id) == case_id)
            ).scalar_one()
            return case_edit.edit_case(
                s,
                actor,
                case_id=case_id,
                expected_version=version,
                priority=1 + n % 4,
                summary=f"Benchmark edit {n}",
            )

    return run
