"""The master record (issue 12): the person screen's data, the duplicate check run while a new
person is typed, and merging a person with 20 cases and 2,000 contact entries."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from bench_core import WORKLOAD, _cycle, _random_names, _sample
from harness import Ctx, Samples, bench
from sqlalchemy import select
from sqlmodel import col

from caseterm.core import clock
from caseterm.core.models import CaseFile, ContactEntry, Person

MERGE_CASES = 20
MERGE_CONTACTS = 2000


@bench("person_screen", "person screen data (view_person)", target_ms=30)
def person_screen(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import person_view

    actor = ctx.actor()
    sampled = _sample(ctx, CaseFile.id, CaseFile.subject_id, WORKLOAD)
    with ctx.db.read() as s:  # people the bench user may open: none of their cases restricted
        restricted = set(
            s.execute(
                select(col(CaseFile.subject_id)).where(
                    col(CaseFile.restricted).is_(True), col(CaseFile.subject_id).in_(sampled)
                )
            ).scalars()
        )
    subjects = _cycle([p for p in sampled if p not in restricted])

    def run() -> object:
        # A writing session, as the screen uses (views of restricted cases are logged).
        with ctx.db.write() as s:
            return person_view.view_person(s, actor, person_id=subjects())

    return run


@bench("duplicate_check", "duplicate check of a new person (name and date of birth)", target_ms=30)
def duplicate_check(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import people

    actor = ctx.actor()
    names = _random_names(ctx, WORKLOAD)
    births = _sample(ctx, Person.id, Person.date_of_birth, len(names))
    inputs = _cycle(
        [
            people.PersonInput(given_name=g, family_name=f, date_of_birth=b)
            for (g, f), b in zip(names, births, strict=False)
        ]
    )

    def run() -> object:
        with ctx.db.read() as s:
            return people.likely_duplicates(s, actor, inputs())

    return run


def _heavy_person(ctx: Ctx, actor_id: int) -> tuple[int, int]:
    """A duplicate with MERGE_CASES cases and MERGE_CONTACTS contact entries, and a survivor."""
    from caseterm.core.services import cases, people

    actor = ctx.actor()
    with ctx.db.write() as s:
        data = people.PersonInput(given_name="Bench", family_name=f"Merge{time.time_ns()}")
        dup = people.create_person(s, actor, data).id or 0
        survivor = people.create_person(s, actor, data).id or 0
        case_ids = [
            cases.open_case(s, actor, case_type="OM", subject_id=dup).id or 0
            for _ in range(MERGE_CASES)
        ]
        at = clock.now() - timedelta(days=30)
        s.add_all(
            ContactEntry(
                case_id=case_ids[i % MERGE_CASES],
                person_id=dup,
                occurred_at=at + timedelta(minutes=i),
                staff_id=actor_id,
                contact_type="phone_in",
                notes="bench",
            )
            for i in range(MERGE_CONTACTS)
        )
    return survivor, dup


@bench("person_merge", "merge a person with 20 cases and 2,000 contacts", target_ms=1000, runs=5)
def person_merge_bench(ctx: Ctx) -> Samples:
    from caseterm.core.services import person_merge

    actor = ctx.actor()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(5):
        survivor, dup = _heavy_person(ctx, actor.id)
        started, cpu_started = time.perf_counter(), time.process_time()
        with ctx.db.write() as s:
            person_merge.merge_people(
                s, actor, survivor_id=survivor, merged_id=dup, reason="benchmark"
            )
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return Samples(wall_ms=wall, cpu_ms=cpu, note="preview, move and commit")
