"""A running statutory clock as a row to insert in bulk (`insert(CaseClock)`): how the scheduler
tests make a backlog of clocks past their end without going through the casework events."""

from __future__ import annotations

from datetime import date
from typing import Any


def running_clock(
    case_id: int | None, name: str, *, started: date, due: date, warn: date | None = None
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "clock": name,
        "label": f"Clock {name}",
        "started_on": started,
        "due_date": due,
        "warn_date": warn,
        "task_kind": "deadline",
        "team_code": "",
        "priority": 2,
        "stopped_by": "",
        "status": "running",
        "reason": "",
        "version": 1,
    }
