"""Benchmarks of the headless core on the demo database: what a person waits for most often.

Every operation opens and closes its own session, as a screen's worker does, and each run takes
the next input from a list drawn (with a fixed seed) from the database, so the numbers are not
one cached row read again and again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from itertools import cycle
from random import Random
from typing import Any, TypeVar

from harness import Ctx, Samples, Unavailable, bench
from sqlalchemy import func, select
from sqlmodel import col

from caseterm.core.models import CaseFile, ContactEntry, Person, PersonName, Team

T = TypeVar("T")
WORKLOAD = 200  # distinct inputs drawn per benchmark


def _cycle(items: Sequence[T]) -> Callable[[], T]:
    if not items:
        raise Unavailable("no data to run on")
    it = cycle(items)
    return lambda: next(it)


def _sample(ctx: Ctx, id_column: Any, column: Any, n: int = WORKLOAD) -> list[Any]:
    """Values of `column` from about `n` rows picked by id with the seeded generator."""
    with ctx.db.read() as s:
        top = int(s.execute(select(func.max(id_column))).scalar() or 0)
        ids = ctx.rng.sample(range(1, top + 1), min(top, n))
        values = list(s.execute(select(column).where(id_column.in_(ids))).scalars())
    ctx.rng.shuffle(values)
    return [v for v in values if v is not None]


def _random_names(ctx: Ctx, n: int) -> list[tuple[str, str]]:
    with ctx.db.read() as s:
        top = int(s.execute(select(func.max(PersonName.id))).scalar() or 0)
        ids = ctx.rng.sample(range(1, top + 1), min(top, n * 2))
        rows = s.execute(
            select(col(PersonName.given_name), col(PersonName.family_name)).where(
                col(PersonName.id).in_(ids)
            )
        ).all()
    out = [(g, f) for g, f in rows if g and f]
    ctx.rng.shuffle(out)
    return out[:n]


def _typo(word: str, ctx: Ctx) -> str:
    """A typing slip after the first letter: two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word + word[-1]
    i = ctx.rng.randrange(1, len(word) - 2)
    kind = ctx.rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


# ---------------------------------------------------------------------------- queues


def _queue(ctx: Ctx, key: str) -> Callable[[], object]:
    from caseterm.core.services import queues

    actor = ctx.actor()

    def run() -> object:
        with ctx.db.read() as s:
            return queues.queue_page(s, actor, key=key, offset=0, limit=100)

    return run


@bench("queue_my_work", "queue first page: my work", target_ms=30)
def queue_my_work(ctx: Ctx) -> Callable[[], object]:
    return _queue(ctx, "my_work")


@bench("queue_team_unallocated", "queue first page: team unallocated", target_ms=30)
def queue_team_unallocated(ctx: Ctx) -> Callable[[], object]:
    return _queue(ctx, "team_unallocated")


# ---------------------------------------------------------------------------- search


def _search(ctx: Ctx, queries: Sequence[str]) -> Callable[[], object]:
    from caseterm.core.services import search

    actor = ctx.actor()
    next_query = _cycle(queries)

    def run() -> object:
        with ctx.db.read() as s:
            return search.search(s, actor, text=next_query())

    return run


@bench("search_name", "name search (full, family, partial)", target_ms=30)
def search_name(ctx: Ctx) -> Callable[[], object]:
    shapes = (
        lambda g, f: f"{g} {f}",
        lambda g, f: f,
        lambda g, f: f"{g[:3]} {f}",
        lambda g, f: f"{f} {g[:1]}",
    )
    names = _random_names(ctx, WORKLOAD)
    return _search(ctx, [shapes[i % len(shapes)](g, f) for i, (g, f) in enumerate(names)])


@bench("search_typo", "name search with a typing slip", target_ms=30)
def search_typo(ctx: Ctx) -> Callable[[], object]:
    names = _random_names(ctx, WORKLOAD)
    queries = [f"{g} {_typo(f, ctx)}" if i % 2 else _typo(f, ctx) for i, (g, f) in enumerate(names)]
    return _search(ctx, queries)


@bench("search_reference", "reference lookup", target_ms=30)
def search_reference(ctx: Ctx) -> Callable[[], object]:
    refs = [str(r) for r in _sample(ctx, col(CaseFile.id), col(CaseFile.reference))]
    typed = [
        r if i % 3 == 0 else r.lower() if i % 3 == 1 else r.replace("/", "")
        for i, r in enumerate(refs)
    ]
    return _search(ctx, typed)


@bench("search_dob", "date of birth search", target_ms=30)
def search_dob(ctx: Ctx) -> Callable[[], object]:
    dobs = _sample(ctx, col(Person.id), col(Person.date_of_birth))
    return _search(ctx, [d.strftime("%d/%m/%Y") for d in dobs if isinstance(d, date)])


# ---------------------------------------------------------------------------- case, diary


@bench("case_load", "case with its latest 200 contact entries", target_ms=30)
def case_load(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import cases, contacts

    actor = ctx.actor()
    with ctx.db.read() as s:
        busiest = list(
            s.execute(
                select(col(ContactEntry.case_id))
                .join(CaseFile, col(CaseFile.id) == col(ContactEntry.case_id))
                .where(col(CaseFile.restricted).is_(False))
                .group_by(col(ContactEntry.case_id))
                .order_by(func.count().desc())
                .limit(50)
            ).scalars()
        )
    next_case = _cycle(busiest)

    def run() -> object:
        case_id = next_case()
        with ctx.db.read() as s:
            view = cases.view_case(s, actor, reference_or_id=case_id)
            return view, contacts.list_contacts(s, actor, case_id=case_id, limit=200)

    return run


def _team_days(ctx: Ctx, rng: Random) -> Callable[[], tuple[int, date]]:
    today = ctx.extra["today"]
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    with ctx.db.read() as s:
        teams = [t for t in s.execute(select(col(Team.id))).scalars() if t is not None]
    pairs: list[tuple[int, date]] = [(t, d) for t in teams for d in days]
    rng.shuffle(pairs)
    return _cycle(pairs)


@bench("diary_team_day", "a team's diary day", target_ms=30)
def diary_team_day(ctx: Ctx) -> Callable[[], object]:
    """What the diary screen reads for a team's day: its first page (100 rows, the table's
    page), and the day counted by status for the summary line."""
    from caseterm.core.services import diary_views

    actor = ctx.actor()
    next_pair = _team_days(ctx, ctx.rng)

    def run() -> object:
        team_id, day = next_pair()
        start = datetime.combine(day, time.min)
        with ctx.db.read() as s:
            return diary_views.diary_page(
                s, actor, start=start, end=start + timedelta(days=1), limit=100, team_id=team_id
            )

    return run


@bench("diary_team_day_whole", "a team's diary day, every row (CLI, export)", target_ms=30)
def diary_team_day_whole(ctx: Ctx) -> Callable[[], object]:
    """The whole day as `caseterm diary --team` and the week view read it (before session 11
    the diary screen's day view read this too)."""
    from caseterm.core.services import diary_views

    actor = ctx.actor()
    next_pair = _team_days(ctx, Random(16))  # its own draws: later benchmarks keep their inputs

    def run() -> object:
        team_id, day = next_pair()
        with ctx.db.read() as s:
            return diary_views._diary_day(s, actor, day=day, team_id=team_id)

    return run


@bench("diary_team_week", "a team's diary week with recurring meetings", target_ms=50)
def diary_team_week(ctx: Ctx) -> Callable[[], object]:
    """The week view of a team's diary, after each team is given a weekly meeting series (ten
    weeks, two colleagues and a guest attending) so that the week holds series and attendees.
    The series are booked once per database (found again by their notes)."""
    from datetime import datetime, time

    from caseterm.core.models import Appointment, Staff
    from caseterm.core.services import diary, diary_views

    actor = ctx.actor()
    today = ctx.extra["today"]
    monday = today - timedelta(days=today.weekday())
    monday += timedelta(weeks=1)  # the series start next week (a booking may not be in the past)
    mark = "bench: team meeting series"
    with ctx.db.read() as s:
        teams = [t for t in s.execute(select(col(Team.id))).scalars() if t is not None]
        have = s.execute(select(func.count()).where(col(Appointment.notes) == mark)).scalar()
    if not have:
        with ctx.db.write() as s:
            for n, team_id in enumerate(teams):
                members = list(
                    s.execute(
                        select(col(Staff.id))
                        .where(Staff.team_id == team_id, col(Staff.active).is_(True))
                        .order_by(col(Staff.id))
                        .limit(3)
                    ).scalars()
                )
                if not members:
                    continue
                start = datetime.combine(monday, time(7, n % 50))
                diary.book_appointment(
                    s,
                    actor,
                    staff_id=members[0],
                    starts_at=start,
                    ends_at=start + timedelta(minutes=5),
                    kind="meeting",
                    notes=mark,
                    recurrence="weekly",
                    occurrences=10,
                    attendee_ids=members[1:],
                    guests=["Guest Speaker"],
                    allow_conflicts=True,
                )
    weeks = [monday + timedelta(weeks=i) for i in range(3)]
    pairs: list[tuple[int, date]] = [(t, w) for t in teams for w in weeks]
    ctx.rng.shuffle(pairs)
    next_pair = _cycle(pairs)

    def run() -> object:
        team_id, first = next_pair()
        start = datetime.combine(first, time.min)
        with ctx.db.read() as s:
            return diary_views.diary_range(
                s, actor, start=start, end=start + timedelta(days=7), team_id=team_id
            )

    return run


# ---------------------------------------------------------------------------- writing


@bench("commit_contact", "contact entry commit (log_contact in db.write())", target_ms=20)
def commit_contact(ctx: Ctx) -> Callable[[], object]:
    from caseterm.core.services import contacts

    actor = ctx.actor()
    with ctx.db.read() as s:
        mine = list(
            s.execute(
                select(col(CaseFile.id)).where(col(CaseFile.owner_id) == actor.id).limit(50)
            ).scalars()
        )
    next_case = _cycle(mine)

    def run() -> object:
        with ctx.db.write() as s:
            return contacts.log_contact(
                s, actor, case_id=next_case(), contact_type="phone_in", notes="Benchmark: rang in."
            )

    return run


@bench("demo_build", "demo database build", runs=1)
def demo_build(ctx: Ctx) -> Samples:
    if ctx.demo_seconds is None:
        raise Unavailable("build time unknown (database built elsewhere)")
    return Samples([ctx.demo_seconds * 1000], note=ctx.demo_note, unit="s")
