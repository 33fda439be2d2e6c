"""The scheduler: raises each clock's task once, when the clock reaches its warning and when it
falls due, the review schedules' "review due" tasks (`reviews.raise_due_reviews`), warnings whose
review date has come (`person_warnings`) and transfers out not acknowledged in time
(`case_transfer`).

Run by `caseterm reviews run` (cron), when the workstation starts and every few minutes while it
runs. Raising is idempotent across processes: every task raised carries a key (`clock:12:due`)
inserted into `raised_key`, whose primary key refuses a second one; a process that loses the race
(or runs after another committed) raises nothing for that clock. Sixteen workstations starting at
09:00 raise each task exactly once.

A run raises its clocks' tasks in bulk (thousands at once after a holiday weekend or an import:
`clock_raise_bulk`). Tens of thousands (a workstation opened after a long gap, a large import) are
raised `BATCH` at a time, each batch its own transaction (`raise_due`): the memory a run holds
and the time it holds the write lock are a batch's, not the whole backlog's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, tuple_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseFile, RaisedKey, ReviewSchedule, Task, Team
from caseterm.core.models.vocab import ClockStatus, ReviewStatus
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import audit, person_warnings, reviews
from caseterm.core.services.clock_raise_bulk import (
    RaisedRow,
    claim_keys,
    raise_in_bulk,
    task_details,
    task_source,
    task_title,
)
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task

__all__ = ["BATCH", "RaisedRow", "Resume", "SchedulerRun", "due_count", "raise_due"]

BATCH = 2000  # due items raised per transaction by `raise_due`


@dataclass(frozen=True)
class Resume:
    """Where a batched run goes on: after this clock, in the order clocks are raised (their end
    date, then id). A clock passed over (its key raised elsewhere) is not read again."""

    due_date: date
    clock_id: int


@dataclass(frozen=True)
class SchedulerRun:
    day: date
    dry_run: bool
    raised: tuple[RaisedRow, ...]
    more: bool = False  # a batched run stopped at its batch: more may be due
    resume: Resume | None = None  # where the next batch goes on

    @property
    def count(self) -> int:
        return len(self.raised)


def _due(day: date) -> ColumnElement[bool]:
    running = col(CaseClock.status) == ClockStatus.RUNNING
    due = and_(col(CaseClock.due_date) <= day, col(CaseClock.due_task_id).is_(None))
    warn = and_(
        col(CaseClock.warn_date) <= day,
        col(CaseClock.warn_task_id).is_(None),
        col(CaseClock.due_date) > day,
    )
    return and_(running, or_(due, warn))


def _due_clocks(
    session: Session, day: date, *, after: Resume | None = None, limit: int | None = None
) -> list[CaseClock]:
    query = select(CaseClock).where(_due(day))
    if after is not None:
        query = query.where(
            tuple_(col(CaseClock.due_date), col(CaseClock.id))
            > tuple_(after.due_date, after.clock_id)
        )
    query = query.order_by(col(CaseClock.due_date), col(CaseClock.id))
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def _claim(session: Session, key: str) -> bool:
    """Insert the raised task's key; False if another run already has it (the primary key
    decides, in one statement, on SQLite and PostgreSQL alike)."""
    return key in claim_keys(session, [key])


def raise_clock_task(
    session: Session, actor: Actor, *, case_clock: CaseClock, day: date, cal: WorkCalendar
) -> RaisedRow | None:
    """Raise the warning or end task of one clock, once (None if already raised)."""
    which = "due" if case_clock.due_date <= day else "warn"
    key = f"clock:{case_clock.id}:{which}"
    if not _claim(session, key):
        return None
    case = get(session, CaseFile, case_clock.case_id, "case")
    team_id = case.team_id
    if case_clock.team_code:
        team = session.exec(select(Team).where(Team.code == case_clock.team_code)).first()
        team_id = team.id if team is not None else team_id
    title = task_title(case_clock, which, day, cal)
    task = insert_task(
        session,
        actor,
        kind=case_clock.task_kind,
        title=title,
        case_id=case.id,
        assignee_id=active_owner(session, case) if not case_clock.team_code else None,
        team_id=team_id,
        due_date=case_clock.due_date,
        priority=case_clock.priority,
        source=task_source(case_clock, key),
        details=task_details(case_clock),
    )
    session.execute(
        update(RaisedKey)
        .where(col(RaisedKey.key) == key)
        .values(task_id=task.id)
        .execution_options(synchronize_session=False)
    )
    if which == "due":
        case_clock.due_task_id = task.id
    if case_clock.warn_task_id is None:
        case_clock.warn_task_id = task.id
    session.add(case_clock)
    audit.record(
        session,
        actor,
        "clock.raise",
        "case_clock",
        case_clock.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {title}",
        after={"key": key, "task_id": task.id},
    )
    return RaisedRow(key, case.id or 0, title, case_clock.due_date, task.id)


def run_scheduler(
    session: Session,
    actor: Actor,
    *,
    today: date | None = None,
    dry_run: bool = False,
    batch: int | None = None,
    after: Resume | None = None,
) -> SchedulerRun:
    """Raise every task due by `today` (default: today): clock warnings and ends, and reviews
    due. `dry_run` says what would be raised and writes nothing. With `batch`, at most that many
    of each kind and `more` set when it stopped there: go on with `resume` as `after`, in a
    new transaction (`raise_due` does)."""
    actor.require("task.work")
    day = today or clock.today()
    cal = work_calendar(session)
    found: list[RaisedRow] = []
    if dry_run:
        for c in _due_clocks(session, day):
            which = "due" if c.due_date <= day else "warn"
            title = task_title(c, which, day, cal)
            found.append(RaisedRow(f"clock:{c.id}:{which}", c.case_id, title, c.due_date, None))
        pending = session.exec(
            select(ReviewSchedule).where(
                ReviewSchedule.status == ReviewStatus.PENDING, col(ReviewSchedule.due_date) <= day
            )
        ).all()
        found.extend(
            RaisedRow(f"review:{r.id}", r.case_id, r.description, r.due_date, None) for r in pending
        )
        return SchedulerRun(day, True, tuple(found))
    clocks = _due_clocks(session, day, after=after, limit=batch)
    resume = Resume(clocks[-1].due_date, clocks[-1].id or 0) if clocks else after
    found.extend(raise_in_bulk(session, actor, clocks, day, cal))
    if batch is not None and len(clocks) == batch:
        session.flush()
        return SchedulerRun(day, False, tuple(found), more=True, resume=resume)
    raised_reviews = reviews.raise_due_reviews(session, actor, today=day, limit=batch)
    for task in raised_reviews:
        found.append(
            RaisedRow(
                task.source.replace("review_schedule:", "review:"),
                task.case_id or 0,
                task.title,
                task.due_date or day,
                task.id,
            )
        )
    others, full = _other_reminders(session, day, batch)
    found.extend(others)
    session.flush()
    more = batch is not None and (len(raised_reviews) == batch or full)
    return SchedulerRun(day, False, tuple(found), more=more, resume=resume)


def raise_due(
    write: Callable[[Callable[[Session], SchedulerRun]], SchedulerRun],
    actor: Actor,
    *,
    today: date | None = None,
    batch: int | None = None,
    each: Callable[[SchedulerRun], None] | None = None,
) -> int:
    """Raise everything due by `today`, `batch` at a time, each batch in a writing transaction
    of its own (`write(work)` runs `work(session)` in one and commits it), so tens of thousands
    due at once neither sit in memory together nor hold the write lock from other users while
    they are raised. A batch that fails leaves the ones before it raised; the next run raises
    the rest. `each` is called with every batch's run (to print it, or show progress). The
    number of tasks raised."""
    day, size = today or clock.today(), batch or BATCH
    total, after = 0, None
    while True:
        run = write(_one_batch(actor, day, size, after))
        total += run.count
        if each is not None:
            each(run)
        if not run.more:
            return total
        after = run.resume


def _one_batch(
    actor: Actor, day: date, batch: int, after: Resume | None
) -> Callable[[Session], SchedulerRun]:
    return lambda session: run_scheduler(session, actor, today=day, batch=batch, after=after)


def due_count(session: Session, actor: Actor, *, today: date | None = None) -> int:
    """How many tasks a run would raise now (clocks, reviews, warnings and transfers), counted
    in the database: what the workstation asks before it asks for the write lock (usually 0)."""
    actor.require("task.work")
    day = today or clock.today()
    clocks = session.execute(sa_select(func.count()).select_from(CaseClock).where(_due(day)))
    review_count = session.execute(
        sa_select(func.count()).where(
            col(ReviewSchedule.status) == ReviewStatus.PENDING, col(ReviewSchedule.due_date) <= day
        )
    )
    total = int(clocks.scalar() or 0) + int(review_count.scalar() or 0)
    total += person_warnings.warning_reviews_due(session, today=day)

    from caseterm.core.services import case_transfer

    return total + case_transfer.reminders_due(session, today=day)


def _other_reminders(
    session: Session, day: date, batch: int | None
) -> tuple[list[RaisedRow], bool]:
    """The other dated reminders the same runs raise, each once (their services claim them):
    warnings whose review date has come, and transfers out not acknowledged in time. They are
    the system's work, not the capability of whoever's workstation happened to run them. With
    whether either stopped at `batch`."""
    rows: list[RaisedRow] = []
    warned = person_warnings.raise_warning_reviews(session, None, limit=batch).task_ids
    for task_id in warned:
        task = session.get(Task, task_id)
        if task is not None:
            rows.append(
                RaisedRow(
                    f"warning_review:{task_id}",
                    task.case_id or 0,
                    task.title,
                    task.due_date or day,
                    task_id,
                )
            )
    # Imported here: whoever imports this module to raise a clock's task (`case show`, events)
    # does not need the transfer tables.
    from caseterm.core.services import case_transfer

    chased = case_transfer.raise_transfer_reminders(session, None, today=day, limit=batch)
    for r in chased:
        rows.append(
            RaisedRow(
                f"transfer:{r.transfer_id}",
                r.case_id,
                f"{r.reference}: transfer not acknowledged",
                r.acknowledge_by,
                r.task_id,
            )
        )
    return rows, batch is not None and batch in (len(warned), len(chased))
