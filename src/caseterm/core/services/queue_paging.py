"""How a queue's tasks are read: counted and paged in queue order from SQL.

A queue is one or more disjoint "arms" (`Where`: a plain filter an index on `task` serves in
due-date order). Every queue is ordered the same way: dated tasks first by due date (so the
overdue come first), then priority, then id; tasks without a due date after them by priority and
id. Pages are read per arm and merged, so a page of a 100k-task queue reads about one page of
index. Used by the named queues (`queues`) and the queues behind the board's figures
(`board_queue`)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import Session, col, select

from caseterm.core.models import Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES

Where = list[ColumnElement[bool]]


def count_arm(session: Session, where: Where, today: date) -> tuple[int, int]:
    """How many tasks one arm holds, and how many of them are overdue on `today`."""
    # Done and cancelled tasks are never overdue (a saved queue of any status holds them).
    overdue = func.sum(
        case(
            (
                (col(Task.due_date) < today) & col(Task.status).in_(ACTIVE_TASK_STATUSES),
                1,
            ),
            else_=0,
        )
    )
    total, late = session.exec(select(func.count(), overdue).select_from(Task).where(*where)).one()
    return int(total or 0), int(late or 0)


SortKey = tuple[int, date, int, int]


def _key(task: Task) -> SortKey:
    return (
        0 if task.due_date is not None else 1,
        task.due_date or date.min,
        task.priority,
        task.id or 0,
    )


def _segment(
    where: Where, dated: bool, after: SortKey | None, from_date: date | None = None
) -> Any:
    q = select(Task).where(*where)
    if dated:
        q = q.where(col(Task.due_date).is_not(None))
        if from_date is not None:
            q = q.where(col(Task.due_date) >= from_date)
        if after is not None and after[0] == 0:
            _, d, p, i = after
            q = q.where(
                col(Task.due_date) >= d,
                or_(
                    col(Task.due_date) > d,
                    col(Task.priority) > p,
                    and_(col(Task.priority) == p, col(Task.id) > i),
                ),
            )
        return q.order_by(col(Task.due_date), col(Task.priority), col(Task.id))
    q = q.where(col(Task.due_date).is_(None))
    if after is not None and after[0] == 1:
        _, _, p, i = after
        q = q.where(or_(col(Task.priority) > p, and_(col(Task.priority) == p, col(Task.id) > i)))
    return q.order_by(col(Task.priority), col(Task.id))


def _merged(session: Session, queries: list[Any], skip: int, limit: int) -> list[Task]:
    """Rows skip..skip+limit of the ordered union of disjoint, individually ordered queries."""
    if len(queries) == 1:
        return list(session.exec(queries[0].offset(skip).limit(limit)).all())
    streams = [list(session.exec(q.limit(skip + limit)).all()) for q in queries]
    merged = list(heapq.merge(*streams, key=_key))
    return merged[skip : skip + limit]


def _locate(session: Session, arms: list[Where], offset: int) -> tuple[date | None, int]:
    """Where row `offset` falls: (its due date, rows to skip within that date), or (None, rows to
    skip among the undated). Counts per due date come from the index alone, so a page deep in a
    long queue costs about as much as counting it, not reading every row before it."""
    per_day: dict[date, int] = {}
    for where in arms:
        for day, n in session.exec(
            select(col(Task.due_date), func.count())
            .where(*where, col(Task.due_date).is_not(None))
            .group_by(col(Task.due_date))
        ).all():
            if day is not None:
                per_day[day] = per_day.get(day, 0) + int(n)
    before = 0
    for day in sorted(per_day):
        if offset < before + per_day[day]:
            return day, offset - before
        before += per_day[day]
    return None, offset - before


def tasks_page(
    session: Session, arms: list[Where], offset: int, limit: int, after: SortKey | None
) -> list[Task]:
    """A page of the union of `arms` in queue order: from `offset`, or after the row whose sort
    key is `after`."""
    from_date: date | None = None
    skip = 0
    dated = after is None or after[0] == 0
    if after is None and offset > 0:
        from_date, skip = _locate(session, arms, offset)
        dated = from_date is not None
    out: list[Task] = []
    if dated:
        out = _merged(session, [_segment(w, True, after, from_date) for w in arms], skip, limit)
        skip = 0
    if len(out) < limit:
        undated = [_segment(w, False, after) for w in arms]
        out += _merged(session, undated, skip, limit - len(out))
    return out


def tasks_stream(session: Session, arms: list[Where], chunk: int) -> Iterator[list[Task]]:
    """Every task of the union of `arms` in queue order, `chunk` at a time: one ordered read per
    arm and part (dated, then undated), streamed from the database (`yield_per`: a server-side
    cursor on PostgreSQL) and merged. For a whole queue (an export): paging it instead reads
    and sorts what precedes each page again when no index holds the queue's order (a queue of
    every task), so a 100,000-task queue cost fifty sorts of the table."""
    batch: list[Task] = []
    for dated in (True, False):
        streams = [
            session.exec(_segment(w, dated, None).execution_options(yield_per=chunk)) for w in arms
        ]
        for task in heapq.merge(*streams, key=_key) if len(streams) > 1 else streams[0]:
            batch.append(task)
            if len(batch) >= chunk:
                yield batch
                batch = []
    if batch:
        yield batch
