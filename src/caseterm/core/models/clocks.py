"""Statutory clocks: clock rules an administrator changed, office closure days, casework events
on a case, the clocks they started, and the keys of the tasks the scheduler raised."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field, version_column, versioned
from caseterm.core.models.vocab import ClockStatus

_rule_version = version_column()


class ClockRule(SQLModel, table=True):
    """A clock rule as an administrator set it: overrides the shipped default with the same
    (case type, event, clock), or adds a new one. `active` false switches a rule off."""

    __tablename__ = "clock_rule"
    __table_args__ = (UniqueConstraint("case_type", "event", "clock"),)
    id: int | None = Field(default=None, primary_key=True)
    case_type: str = Field(max_length=20)
    event: str = Field(max_length=40)
    clock: str = Field(max_length=40)
    label: str = Field(max_length=120)
    period: int
    unit: str = Field(max_length=20)
    roll_forward: bool = Field(default=True)
    warn_working_days: int = Field(default=0)
    task_kind: str = Field(max_length=30)
    team_code: str = Field(default="", max_length=20)
    priority: int = Field(default=2)
    stopped_by: str = Field(default="", max_length=400)  # event kinds, comma-separated
    letter: str = Field(default="", max_length=200)
    letter_template: str = Field(default="", max_length=30)  # the clock's task issues it
    active: bool = Field(default=True)
    changed_at: NaiveDatetime = created_field()
    changed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1, sa_column=_rule_version)
    __mapper_args__: ClassVar = versioned(_rule_version)


class OfficeClosure(SQLModel, table=True):
    """A day the whole organisation is closed (not a working day for any clock)."""

    __tablename__ = "office_closure"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    reason: str = Field(max_length=200)
    added_by_id: int | None = Field(default=None, foreign_key="staff.id")
    added_at: NaiveDatetime = created_field()


class CaseEvent(SQLModel, table=True):
    """A casework event on a case's timeline (a recall, a tribunal application…)."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_case_date", "case_id", "event_date", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    kind: str = Field(max_length=40)
    event_date: date
    details: str = Field(default="", max_length=2000)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
    recorded_at: NaiveDatetime = created_field()


_clock_version = version_column()


class CaseClock(SQLModel, table=True):
    """A clock running (or stopped) on a case: started by an event under a rule."""

    __tablename__ = "case_clock"
    __table_args__ = (
        Index("ix_case_clock_status_due", "status", "due_date"),
        Index("ix_case_clock_status_warn", "status", "warn_date"),
        Index("ix_case_clock_case_status", "case_id", "status", "due_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    event_id: int | None = Field(default=None, foreign_key="case_event.id")
    clock: str = Field(max_length=40)
    label: str = Field(max_length=120)
    started_on: date
    due_date: date
    warn_date: date | None = None
    task_kind: str = Field(max_length=30)
    team_code: str = Field(default="", max_length=20)
    priority: int = Field(default=2)
    stopped_by: str = Field(default="", max_length=400)
    letter_template: str = Field(default="", max_length=30)  # as its rule named it when started
    status: str = Field(default=ClockStatus.RUNNING, max_length=20)
    stopped_on: date | None = None
    late_by: int | None = None  # working days late, when status is late
    reason: str = Field(default="", max_length=300)  # why waived
    warn_task_id: int | None = Field(default=None, foreign_key="task.id")
    due_task_id: int | None = Field(default=None, foreign_key="task.id")
    version: int = Field(default=1, sa_column=_clock_version)
    __mapper_args__: ClassVar = versioned(_clock_version)


class RaisedKey(SQLModel, table=True):
    """The key of every task the scheduler raised ("clock:12:due", "review:4"): its uniqueness,
    not a check before inserting, makes raising a task happen once across processes."""

    __tablename__ = "raised_key"
    key: str = Field(primary_key=True, max_length=80)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    raised_at: NaiveDatetime = created_field()
