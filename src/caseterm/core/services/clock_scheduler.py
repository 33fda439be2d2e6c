"""The scheduler: raises each clock's task once, when the clock reaches its warning and when it
falls due, the review schedules' "review due" tasks (`reviews.raise_due_reviews`), warnings whose
review date has come (`person_warnings`) and transfers out not acknowledged in time
(`case_transfer`).

Run by `caseterm reviews run` (cron), when the workstation starts and every few minutes while it
runs. Raising is idempotent across processes: every task raised carries a key (`clock:12:due`)
inserted into `raised_key`, whose primary key refuses a second one; a process that loses the race
(or runs after another committed) raises nothing for that clock. Sixteen workstations starting at
09:00 raise each task exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Executable, and_, or_, update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseClock, CaseFile, RaisedKey, ReviewSchedule, Staff, Task, Team
from caseterm.core.models.vocab import ClockStatus, ReviewStatus
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import audit, person_warnings, reviews
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task


@dataclass(frozen=True)
class RaisedRow:
    key: str  # clock:ID:warn, clock:ID:due or review:ID
    case_id: int
    title: str
    due_date: date
    task_id: int | None  # None on a dry run


@dataclass(frozen=True)
class SchedulerRun:
    day: date
    dry_run: bool
    raised: tuple[RaisedRow, ...]

    @property
    def count(self) -> int:
        return len(self.raised)


def _due_clocks(session: Session, day: date) -> list[CaseClock]:
    running = col(CaseClock.status) == ClockStatus.RUNNING
    due = and_(col(CaseClock.due_date) <= day, col(CaseClock.due_task_id).is_(None))
    warn = and_(
        col(CaseClock.warn_date) <= day,
        col(CaseClock.warn_task_id).is_(None),
        col(CaseClock.due_date) > day,
    )
    return list(
        session.exec(
            select(CaseClock).where(running, or_(due, warn)).order_by(col(CaseClock.due_date))
        ).all()
    )


def _title(c: CaseClock, which: str, day: date, cal: WorkCalendar) -> str:
    if which == "due":
        return f"{c.label}: due {c.due_date:%d/%m/%Y}"
    left = cal.working_days_between(day, c.due_date)
    return f"{c.label}: due {c.due_date:%d/%m/%Y}, {left} working days left"


def _claim(session: Session, key: str) -> bool:
    """Insert the raised task's key; False if another run already has it (INSERT … ON CONFLICT
    DO NOTHING: the primary key decides, in one statement, on SQLite and PostgreSQL alike)."""
    values = {"key": key, "raised_at": clock.now()}
    statement: Executable
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = (
            pg_insert(RaisedKey)
            .values(values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(col(RaisedKey.key))
        )
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = (
            sqlite_insert(RaisedKey)
            .values(values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(col(RaisedKey.key))
        )
    # The row it returns, if it inserted one (rowcount is not reliable through the ORM on PG).
    return session.execute(statement).first() is not None


def _preload(session: Session, clocks: list[CaseClock]) -> list[object]:
    """Read the cases (and their owners) of the clocks about to raise in a few queries, so that
    raising each task finds them in the session instead of asking the database each time."""
    held: list[object] = []  # the session keeps them only while someone holds them
    case_ids = sorted({c.case_id for c in clocks})
    owners: set[int] = set()
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        for case in session.exec(select(CaseFile).where(col(CaseFile.id).in_(chunk))).all():
            held.append(case)
            if case.owner_id is not None:
                owners.add(case.owner_id)
    owner_ids = sorted(owners)
    for start in range(0, len(owner_ids), 500):
        chunk = owner_ids[start : start + 500]
        held.extend(session.exec(select(Staff).where(col(Staff.id).in_(chunk))).all())
    return held


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
    title = _title(case_clock, which, day, cal)
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
        source=key,
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
    session: Session, actor: Actor, *, today: date | None = None, dry_run: bool = False
) -> SchedulerRun:
    """Raise every task due by `today` (default: today): clock warnings and ends, and reviews
    due. `dry_run` says what would be raised and writes nothing."""
    actor.require("task.work")
    day = today or clock.today()
    cal = work_calendar(session)
    found: list[RaisedRow] = []
    if dry_run:
        for c in _due_clocks(session, day):
            which = "due" if c.due_date <= day else "warn"
            title = _title(c, which, day, cal)
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
    due = _due_clocks(session, day)
    held = _preload(session, due)
    for c in due:
        row = raise_clock_task(session, actor, case_clock=c, day=day, cal=cal)
        if row is not None:
            found.append(row)
    for task in reviews.raise_due_reviews(session, actor, today=day):
        found.append(
            RaisedRow(
                task.source.replace("review_schedule:", "review:"),
                task.case_id or 0,
                task.title,
                task.due_date or day,
                task.id,
            )
        )
    found.extend(_other_reminders(session, day))
    session.flush()
    del held
    return SchedulerRun(day, False, tuple(found))


def _other_reminders(session: Session, day: date) -> list[RaisedRow]:
    """The other dated reminders the same runs raise, each once (their services claim them):
    warnings whose review date has come, and transfers out not acknowledged in time. They are
    the system's work, not the capability of whoever's workstation happened to run them."""
    rows: list[RaisedRow] = []
    for task_id in person_warnings.raise_warning_reviews(session, None).task_ids:
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

    for r in case_transfer.raise_transfer_reminders(session, None, today=day):
        rows.append(
            RaisedRow(
                f"transfer:{r.transfer_id}",
                r.case_id,
                f"{r.reference}: transfer not acknowledged",
                r.acknowledge_by,
                r.task_id,
            )
        )
    return rows
