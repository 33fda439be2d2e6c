"""Benchmarks of the two modes: the reception desk's search-as-you-type, one query per key
press, and triage's time from a decision to the next item ready on screen."""

from __future__ import annotations

import time

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import func, select
from sqlmodel import col

from caseterm.core.models import Office, PersonName
from caseterm.core.services import reception, triage

KEYSTROKE_WORDS = 40  # names typed, each a key at a time
TRIAGE_DECISIONS = 40


def _office_id(ctx: Ctx) -> int:
    with ctx.db.read() as s:
        office = s.exec(select(Office).order_by(col(Office.id))).first()  # type: ignore[call-overload]
    if office is None:
        raise Unavailable("no office in the database")
    return int(office[0].id)


def _typed(ctx: Ctx) -> list[str]:
    """What a receptionist types: given names and family names, a key at a time (from 2 keys)."""
    with ctx.db.read() as s:
        top = int(s.execute(select(func.max(PersonName.id))).scalar() or 0)
        ids = ctx.rng.sample(range(1, top + 1), min(top, KEYSTROKE_WORDS))
        names = s.execute(
            select(col(PersonName.given_name), col(PersonName.family_name)).where(
                col(PersonName.id).in_(ids)
            )
        ).all()
    prefixes: list[str] = []
    for given, family in names:
        word = f"{given} {family}"[:14]
        prefixes += [word[:n] for n in range(2, len(word) + 1)]
    return prefixes


@bench("desk_keystroke", "reception search as you type, per key press", target_ms=30)
def desk_keystroke(ctx: Ctx) -> Samples:
    actor = ctx.actor()
    office_id = _office_id(ctx)
    wall: list[float] = []
    cpu: list[float] = []
    for text in _typed(ctx):
        c0, t0 = time.process_time(), time.perf_counter()
        with ctx.db.read() as s:
            reception.desk_search(s, actor, office_id=office_id, text=text)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return Samples(wall, cpu, note=f"{len(wall)} key presses over {KEYSTROKE_WORDS} names")


@bench("triage_next_item", "triage: decision committed to next item loaded", target_ms=100)
def triage_next_item(ctx: Ctx) -> Samples:
    """Each run assigns the current incoming item, then loads the next one (what the screen's
    prefetch does while the person reads); the decision is undone afterwards, untimed, so the
    cached database keeps its incoming queue."""
    actor = ctx.actor()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(TRIAGE_DECISIONS):
        with ctx.db.read() as s:
            items = triage.next_items(s, actor, limit=1)
        if not items:
            raise Unavailable("no incoming items to triage")
        c0, t0 = time.process_time(), time.perf_counter()
        with ctx.db.write() as s:
            decision = triage.assign(s, actor, items[0].id or 0, assignee_id=actor.id)
        with ctx.db.read() as s:
            nxt = triage.next_items(s, actor, limit=1)
            if nxt:
                triage.load_item(s, actor, task_id=nxt[0].id or 0)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        with ctx.db.write() as s:
            triage.undo(s, actor, decision)
    return Samples(wall, cpu, note="assign + next item with duplicate suggestions; undone after")
