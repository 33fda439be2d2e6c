"""The tasks behind one of the board's task figures, as a queue: counted and paged in queue
order from SQL like any other queue (`queue_paging`), with the queue's rows (`TaskRow`) so the
workstation's task keys act on them.

The figure's own conditions (`board_lists.task_figure_where`) and the scope's disjoint parts
(`board_scope.task_scope_parts`) make the queue's arms. Restricted cases are counted and never
listed: tasks on cases the actor may not see are left out of the rows and counted in `hidden`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import CaseFile, Task
from caseterm.core.services import queue_paging
from caseterm.core.services.access import visible_to
from caseterm.core.services.board_lists import figure_label, task_figure_where
from caseterm.core.services.board_scope import Scope, task_scope_parts
from caseterm.core.services.identity import Actor
from caseterm.core.services.queue_paging import Where
from caseterm.core.services.queues import TaskRow, task_rows


@dataclass(frozen=True)
class FigureTotals:
    """How many tasks the queue behind a figure lists, and how many it leaves out."""

    figure: str
    label: str
    day: date
    listed: int
    hidden: int  # on restricted cases the actor may not see: counted on the board, never listed


def _arms(
    session: Session, actor: Actor, scope: Scope, figure: str, day: date, *, seen: bool
) -> list[Where]:
    hidden = select(col(CaseFile.id)).where(col(CaseFile.restricted).is_(True), ~visible_to(actor))
    which: ColumnElement[bool] = (
        or_(col(Task.case_id).is_(None), col(Task.case_id).not_in(hidden))
        if seen
        else col(Task.case_id).in_(hidden)
    )
    figure_where = task_figure_where(figure, day)
    return [[part, *figure_where, which] for part in task_scope_parts(session, scope)]


def figure_totals(
    session: Session, actor: Actor, *, scope: Scope, figure: str, day: date | None = None
) -> FigureTotals:
    """How many of the tasks a figure counted on `day` the actor may see (the queue's length),
    and how many are on restricted cases they may not see."""
    actor.require("case.read")
    day = day or clock.today()
    today = clock.today()
    listed = sum(
        queue_paging.count_arm(session, w, today)[0]
        for w in _arms(session, actor, scope, figure, day, seen=True)
    )
    hidden = sum(
        queue_paging.count_arm(session, w, today)[0]
        for w in _arms(session, actor, scope, figure, day, seen=False)
    )
    return FigureTotals(figure, figure_label(figure), day, listed, hidden)


def figure_queue_page(
    session: Session,
    actor: Actor,
    *,
    scope: Scope,
    figure: str,
    day: date | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[TaskRow]:
    """One page of the tasks a figure counted on `day`, in queue order (earliest due first,
    priority, id), leaving out those on restricted cases the actor may not see."""
    actor.require("case.read")
    day = day or clock.today()
    arms = _arms(session, actor, scope, figure, day, seen=True)
    page = queue_paging.tasks_page(session, arms, max(0, offset), limit, None)
    return task_rows(session, actor, tasks=page)
