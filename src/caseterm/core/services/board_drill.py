"""The lists behind the board's lower tables: the open work in one ageing bucket (0–5, 6–10,
11–20, over 20 working days) and the tasks one person completed yesterday and today. Each is a
task figure like the board's own (`board_lists.task_figure_where` picks its tasks), so it opens
as a queue (`board_queue`) and `caseterm board --list NAME` lists it.

Names: `age_0_5`, `age_6_10`, `age_11_20`, `age_over_20` (the buckets of `board.AGEING_BUCKETS`,
in order) and `completed_by_ID` (a staff id, as the board's people show in `--json`).

An ageing bucket counts the tasks in hand at the end of the day whose age in working days (from
the day they were created to that day) falls in it: as age only grows the further back a task
was created, each bucket is a range of creation days, found here and given to SQL as two bounds
on `created_at`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import col

from caseterm.core.errors import ValidationError
from caseterm.core.models import Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.workdays import working_days_between
from caseterm.core.services.board_scope import day_start, open_at_end_of

AGEING_FIGURES: dict[str, tuple[str, int, int | None]] = {
    "age_0_5": ("Open 0–5 working days", 0, 5),
    "age_6_10": ("Open 6–10 working days", 6, 10),
    "age_11_20": ("Open 11–20 working days", 11, 20),
    "age_over_20": ("Open over 20 working days", 21, None),
}
PERSON_PREFIX = "completed_by_"
# How far back a bucket's bound is looked for (far more than 20 working days).
_LOOK_BACK_DAYS = 400


def ageing_figure(index: int) -> str:
    """The name of the list behind the board's `index`-th ageing bucket (0 is 0–5 days)."""
    keys = list(AGEING_FIGURES)
    if not 0 <= index < len(keys):
        raise ValidationError("figure", f"no ageing bucket {index}; there are {len(keys)}")
    return keys[index]


def person_figure(staff_id: int) -> str:
    """The name of the list of tasks a person completed yesterday and today."""
    return f"{PERSON_PREFIX}{staff_id}"


def _staff_id(figure: str) -> int | None:
    if not figure.startswith(PERSON_PREFIX):
        return None
    tail = figure.removeprefix(PERSON_PREFIX)
    return int(tail) if tail.isdigit() else None


def is_drill_figure(figure: str) -> bool:
    """Whether `figure` names an ageing bucket's list or a person's completed tasks."""
    return figure in AGEING_FIGURES or _staff_id(figure) is not None


def drill_label(figure: str) -> str:
    if figure in AGEING_FIGURES:
        return AGEING_FIGURES[figure][0]
    staff_id = _staff_id(figure)
    if staff_id is None:
        raise ValidationError("figure", f"no figure {figure!r}")
    return f"Completed yesterday and today by staff #{staff_id}"


def _age(created: date, day: date) -> int:
    return max(0, working_days_between(created, day))


def _created_bounds(low: int, high: int | None, day: date) -> tuple[date | None, date | None]:
    """The creation days [first, last] whose age on `day` is from `low` to `high` working days
    (None: no bound that side). Age does not grow as the creation day moves later."""
    last: date | None = None
    if low > 0:
        last = day
        for _ in range(_LOOK_BACK_DAYS):
            if _age(last, day) >= low:
                break
            last -= timedelta(days=1)
    first: date | None = None
    if high is not None:
        c = day
        for _ in range(_LOOK_BACK_DAYS):
            if _age(c - timedelta(days=1), day) > high:
                break
            c -= timedelta(days=1)
        first = c
    return first, last


def drill_where(figure: str, day: date) -> list[Any]:
    """What picks the tasks an ageing bucket or a person's completed list counts on `day`,
    whoever's they are (add the scope's condition)."""
    if figure in AGEING_FIGURES:
        _, low, high = AGEING_FIGURES[figure]
        first, last = _created_bounds(low, high, day)
        where: list[Any] = [open_at_end_of(day)]
        if first is not None:
            where.append(col(Task.created_at) >= day_start(first))
        if last is not None:
            where.append(col(Task.created_at) < day_start(last + timedelta(days=1)))
        return where
    staff_id = _staff_id(figure)
    if staff_id is None:
        raise ValidationError("figure", f"{figure!r} does not count tasks")
    return [
        col(Task.status) == TaskStatus.DONE,
        col(Task.completed_by_id) == staff_id,
        col(Task.completed_at) >= day_start(day - timedelta(days=1)),
        col(Task.completed_at) < day_start(day + timedelta(days=1)),
    ]
