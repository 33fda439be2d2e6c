"""The scheduler: raises each clock's task once, when the clock reaches its warning and when it
falls due, the review schedules' "review due" tasks (`reviews.raise_due_reviews`), warnings whose
review date has come (`person_warnings`) and transfers out not acknowledged in time
(`case_transfer`).

Run by `caseterm reviews run` (cron), when the workstation starts and every few minutes while it
runs. Raising is idempotent across processes: every task raised carries a key (`clock:12:due`)
inserted into `raised_key`, whose primary key refuses a second one; a process that loses the race
(or runs after another committed) raises nothing for that clock. Sixteen workstations starting at
09:00 raise each task exactly once.

A run raises its clocks' tasks in bulk (thousands at once after a holiday weekend or an import):
the keys claimed by multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` in chunks, the cases,
owners and teams read in a few queries, the tasks and their audit events written in one flush
each (batched inserts), never a statement or a flush per task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Executable, and_, bindparam, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseClock, CaseFile, RaisedKey, ReviewSchedule, Staff, Task, Team
from caseterm.core.models.vocab import ClockStatus, ReviewStatus
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import audit, person_warnings, reviews
from caseterm.core.services.cases import check_priority
from caseterm.core.services.clock_rules import work_calendar
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import TASK_FIELDS, insert_task, insert_task_rows, new_task_row
from caseterm.core.text import clean_line


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


def _task_source(c: CaseClock, key: str) -> str:
    """The raised task's source: its key, and the letter its clock's rule says the task issues
    (`letter:CODE`, which the letters work reads to propose that template)."""
    return f"{key} letter:{c.letter_template}" if c.letter_template else key


def _task_details(c: CaseClock) -> str:
    if not c.letter_template:
        return ""
    return f"Letter to issue: template {c.letter_template}."


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
        source=_task_source(case_clock, key),
        details=_task_details(case_clock),
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
    found.extend(_raise_in_bulk(session, actor, _due_clocks(session, day), day, cal))
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


CHUNK = 500  # rows per multi-row statement: well inside SQLite's and PostgreSQL's limits


def _claim_many(session: Session, keys: list[str]) -> set[str]:
    """Insert the keys not yet raised; the set of those this run inserted (the others were
    raised before, or by another process first). One statement per CHUNK keys."""
    claimed: set[str] = set()
    now = clock.now()
    postgres = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(keys), CHUNK):
        values = [{"key": k, "raised_at": now} for k in keys[start : start + CHUNK]]
        statement: Executable
        if postgres:
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
        claimed.update(str(k) for k in session.execute(statement).scalars())
    return claimed


def _raise_in_bulk(
    session: Session, actor: Actor, clocks: list[CaseClock], day: date, cal: WorkCalendar
) -> list[RaisedRow]:
    """`raise_clock_task` for many clocks at once, with the same tasks, keys and audit events,
    written as rows (batched INSERTs and executemany UPDATEs), not one ORM object at a time."""
    if not clocks:
        return []
    which = {c.id: "due" if c.due_date <= day else "warn" for c in clocks}
    keys = {c.id: f"clock:{c.id}:{which[c.id]}" for c in clocks}
    claimed = _claim_many(session, list(keys.values()))
    mine = [c for c in clocks if keys[c.id] in claimed]
    if not mine:
        return []
    bad = next((c.task_kind for c in mine if c.task_kind not in TASK_KINDS), None)
    if bad is not None:
        raise ValidationError("kind", f"unknown task kind {bad!r}")
    cases, staff = _case_facts(session, sorted({c.case_id for c in mine}))
    teams = {t.code: t.id for t in session.exec(select(Team)).all()}
    now = clock.now()
    tasks: list[dict[str, Any]] = []
    for c in mine:
        case = cases[c.case_id]
        owner = staff.get(case.owner_id) if case.owner_id is not None else None
        assignee = owner if owner is not None and owner.active and not c.team_code else None
        office_id = case.office_id
        if office_id is None:
            office_id = assignee.office_id if assignee is not None else actor.office_id
        tasks.append(
            new_task_row(
                actor,
                now,
                kind=c.task_kind,
                title=clean_line("title", _title(c, which[c.id], day, cal)),
                details=_task_details(c),
                case_id=case.id,
                person_id=case.subject_id,
                office_id=office_id,
                team_id=teams.get(c.team_code, case.team_id) if c.team_code else case.team_id,
                assignee_id=assignee.id if assignee is not None else None,
                due_date=c.due_date,
                priority=check_priority(c.priority),
                source=_task_source(c, keys[c.id]),
            )
        )
    ids = insert_task_rows(session, tasks)
    rows: list[RaisedRow] = []
    links: list[dict[str, Any]] = []
    clock_updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for c, task in zip(mine, tasks, strict=True):
        key, case = keys[c.id], cases[c.case_id]
        task_id = ids[task["source"]]
        links.append({"b_key": key, "b_task": task_id})
        clock_updates.append(
            {
                "b_id": c.id,
                "b_due": task_id if which[c.id] == "due" else c.due_task_id,
                "b_warn": c.warn_task_id if c.warn_task_id is not None else task_id,
                "b_version": c.version + 1,
            }
        )
        kind_label = TASK_KINDS.get(task["kind"], task["kind"])
        events.append(
            audit.event_row(
                actor,
                "task.create",
                "task",
                task_id,
                case_id=case.id,
                person_id=case.subject_id,
                summary=f"task {task_id} ({kind_label}): {task['title']}",
                after={f: task[f] for f in TASK_FIELDS},
            )
        )
        events.append(
            audit.event_row(
                actor,
                "clock.raise",
                "case_clock",
                c.id,
                case_id=case.id,
                person_id=case.subject_id,
                summary=f"{case.reference}: {task['title']}",
                after={"key": key, "task_id": task_id},
            )
        )
        rows.append(RaisedRow(key, case.id, task["title"], c.due_date, task_id))
    key_table, clock_table = RaisedKey.__table__, CaseClock.__table__  # type: ignore[attr-defined]
    session.execute(
        key_table.update()
        .where(key_table.c.key == bindparam("b_key"))
        .values(task_id=bindparam("b_task")),
        links,
    )
    session.execute(
        clock_table.update()
        .where(clock_table.c.id == bindparam("b_id"))
        .values(
            due_task_id=bindparam("b_due"),
            warn_task_id=bindparam("b_warn"),
            version=bindparam("b_version"),
        ),
        clock_updates,
    )
    for c in mine:  # what the session holds of them is out of date now
        session.expire(c)
    audit.record_many(session, events)
    return rows


@dataclass(frozen=True)
class _CaseFacts:
    id: int
    reference: str
    team_id: int | None
    office_id: int | None
    subject_id: int | None
    owner_id: int | None


@dataclass(frozen=True)
class _StaffFacts:
    id: int
    active: bool
    office_id: int | None


def _case_facts(
    session: Session, case_ids: list[int]
) -> tuple[dict[int, _CaseFacts], dict[int, _StaffFacts]]:
    """What raising a task needs of its case and owner, read a chunk of cases at a time."""
    cases: dict[int, _CaseFacts] = {}
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        for row in session.execute(
            sa_select(
                col(CaseFile.id),
                col(CaseFile.reference),
                col(CaseFile.team_id),
                col(CaseFile.office_id),
                col(CaseFile.subject_id),
                col(CaseFile.owner_id),
            ).where(col(CaseFile.id).in_(chunk))
        ):
            cases[row[0]] = _CaseFacts(*row)
    owner_ids = sorted({c.owner_id for c in cases.values() if c.owner_id is not None})
    staff: dict[int, _StaffFacts] = {}
    for start in range(0, len(owner_ids), CHUNK):
        chunk = owner_ids[start : start + CHUNK]
        for row in session.execute(
            sa_select(col(Staff.id), col(Staff.active), col(Staff.office_id)).where(
                col(Staff.id).in_(chunk)
            )
        ):
            staff[row[0]] = _StaffFacts(*row)
    return cases, staff
