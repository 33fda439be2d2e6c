"""The scheduler's bulk path: `raise_clock_task` for many clocks at once, with the same tasks, keys
and audit events: the keys claimed by multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` in
chunks, the cases, owners and teams read in a few queries, the tasks and their audit events written
in one flush each (batched inserts), never a statement or a flush per task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Executable, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseClock, CaseFile, RaisedKey, Staff, Team
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.workdays import WorkCalendar
from caseterm.core.services import audit
from caseterm.core.services.cases import check_priority
from caseterm.core.services.identity import Actor
from caseterm.core.services.tasks import TASK_FIELDS, insert_task_rows, new_task_row
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class RaisedRow:
    key: str  # clock:ID:warn, clock:ID:due or review:ID
    case_id: int
    title: str
    due_date: date
    task_id: int | None  # None on a dry run


def task_title(c: CaseClock, which: str, day: date, cal: WorkCalendar) -> str:
    if which == "due":
        return f"{c.label}: due {c.due_date:%d/%m/%Y}"
    left = cal.working_days_between(day, c.due_date)
    return f"{c.label}: due {c.due_date:%d/%m/%Y}, {left} working days left"


def task_source(c: CaseClock, key: str) -> str:
    """The raised task's source: its key, and the letter its clock's rule says the task issues
    (`letter:CODE`, which the letters work reads to propose that template)."""
    return f"{key} letter:{c.letter_template}" if c.letter_template else key


def task_details(c: CaseClock) -> str:
    if not c.letter_template:
        return ""
    return f"Letter to issue: template {c.letter_template}."


CHUNK = 500  # rows per multi-row statement: well inside SQLite's and PostgreSQL's limits


def claim_keys(session: Session, keys: list[str]) -> set[str]:
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


def raise_in_bulk(
    session: Session, actor: Actor, clocks: list[CaseClock], day: date, cal: WorkCalendar
) -> list[RaisedRow]:
    """`raise_clock_task` for many clocks at once, with the same tasks, keys and audit events,
    written as rows (batched INSERTs and executemany UPDATEs), not one ORM object at a time."""
    if not clocks:
        return []
    which = {c.id: "due" if c.due_date <= day else "warn" for c in clocks}
    keys = {c.id: f"clock:{c.id}:{which[c.id]}" for c in clocks}
    claimed = claim_keys(session, list(keys.values()))
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
                title=clean_line("title", task_title(c, which[c.id], day, cal)),
                details=task_details(c),
                case_id=case.id,
                person_id=case.subject_id,
                office_id=office_id,
                team_id=teams.get(c.team_code, case.team_id) if c.team_code else case.team_id,
                assignee_id=assignee.id if assignee is not None else None,
                due_date=c.due_date,
                priority=check_priority(c.priority),
                source=task_source(c, keys[c.id]),
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
