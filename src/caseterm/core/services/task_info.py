"""A task as the services that change tasks return it: plain data, never the table row."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from caseterm.core.models import Task


@dataclass(frozen=True)
class TaskInfo:
    """A task as a service returns it after changing it (the table's field names)."""

    id: int
    kind: str
    title: str
    details: str
    case_id: int | None
    person_id: int | None
    office_id: int | None
    team_id: int | None
    assignee_id: int | None
    due_date: date | None
    priority: int
    status: str
    source: str
    about_name: str
    about_dob: date | None
    completed_at: datetime | None
    completed_by_id: int | None
    completed_on_behalf: bool
    outcome: str
    triaged_at: datetime | None
    triaged_by_id: int | None
    version: int

    @classmethod
    def of(cls, task: Task) -> TaskInfo:
        assert task.id is not None
        return cls(**{f.name: getattr(task, f.name) for f in fields(cls)})
