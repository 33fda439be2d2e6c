"""Tasks (the unit of work in a queue), saved queues and review schedules."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, created_field, version_column, versioned
from caseterm.core.models.vocab import ReviewStatus, TaskStatus

TASK_STATUSES = tuple(TaskStatus)

_task_version = version_column()
_FIGURES = ("status", "completed_at", "created_at", "triaged_at", "assignee_id", "due_date", "kind")


class Task(Edited, table=True):
    __table_args__ = (
        Index("ix_task_assignee_status_due", "assignee_id", "status", "due_date", "id"),
        Index("ix_task_team_status_due", "team_id", "status", "due_date", "id"),
        Index("ix_task_status_due", "status", "due_date", "id"),
        Index("ix_task_status_kind_due", "status", "kind", "due_date", "id"),
        Index("ix_task_case", "case_id"),
        Index("ix_task_triaged_by_at", "triaged_by_id", "triaged_at"),
        Index(
            "ix_task_team_assignee_status_due", "team_id", "assignee_id", "status", "due_date", "id"
        ),
        Index(
            "ix_task_assignee_status_kind_due", "assignee_id", "status", "kind", "due_date", "id"
        ),
        Index("ix_task_team_status_kind_due", "team_id", "status", "kind", "due_date", "id"),
        Index(
            "ix_task_office_status_assignee_due",
            "office_id",
            "status",
            "assignee_id",
            "due_date",
            "id",
        ),
        # The board's and the reports' counts (migration 0013): covering, no table look-ups.
        Index("ix_task_team_figures", "team_id", *_FIGURES, "office_id"),
        Index("ix_task_office_figures", "office_id", *_FIGURES),
        Index("ix_task_team_created", "team_id", "created_at", "kind", "office_id"),
        Index("ix_task_office_created", "office_id", "created_at", "kind"),
        Index("ix_task_completed_by_at", "completed_by_id", "status", "completed_at"),
        # The queue order: a queue of every task pages along it (migration 0034).
        Index("ix_task_queue_order", "due_date", "priority", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=300)
    details: str = Field(default="", max_length=5000)
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    assignee_id: int | None = Field(default=None, foreign_key="staff.id")
    due_date: date | None = None
    priority: int = Field(default=3)
    status: str = Field(default=TaskStatus.OPEN, max_length=20)
    source: str = Field(default="", max_length=200)  # what arrived, from whom (for triage)
    # Whom an incoming item is about, as written on it, before triage links a person: what the
    # duplicate suggestions are searched with.
    about_name: str = Field(default="", max_length=200)
    about_dob: date | None = None
    completed_at: NaiveDatetime | None = None
    completed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    # Completed by someone else who confirmed they did it on the assignee's behalf.
    completed_on_behalf: bool = Field(default=False)
    outcome: str = Field(default="", max_length=300)
    triaged_at: NaiveDatetime | None = None  # when an incoming item was decided in triage
    triaged_by_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1, sa_column=_task_version)
    __mapper_args__: ClassVar = versioned(_task_version)


class SavedQueue(SQLModel, table=True):
    """A user's own named view over tasks: filters stored as JSON."""

    __tablename__ = "saved_queue"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    owner_id: int = Field(foreign_key="staff.id", index=True)
    filters: str = Field(default="{}", max_length=4000)
    shared: bool = Field(default=False)
    created_at: NaiveDatetime = created_field()


_review_version = version_column()


class ReviewSchedule(SQLModel, table=True):
    """A bring-forward date or statutory deadline on a case; raises a task when due."""

    __tablename__ = "review_schedule"
    __table_args__ = (Index("ix_review_schedule_status_due", "status", "due_date"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    kind: str = Field(max_length=30)  # review | statutory | bring_forward
    description: str = Field(max_length=300)
    due_date: date
    working_days: int | None = None  # set when the deadline was counted in working days
    status: str = Field(default=ReviewStatus.PENDING, max_length=20)
    raised_task_id: int | None = Field(default=None, foreign_key="task.id")
    created_at: NaiveDatetime = created_field()
    version: int = Field(default=1, sa_column=_review_version)
    __mapper_args__: ClassVar = versioned(_review_version)
