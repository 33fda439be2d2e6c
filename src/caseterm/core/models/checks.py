"""Sampled cross-checking: the sampling rates a co-ordinator sets per team and kind of work, and
the checks drawn each day from the work done (one per item of work, ever), with their outcome."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field


class CheckRate(SQLModel, table=True):
    """What share of a team's work of one kind is checked; a rate for one member of staff (a new
    starter) overrides the team's for their work."""

    __tablename__ = "check_rate"
    __table_args__ = (UniqueConstraint("team_id", "work_kind", "staff_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    work_kind: str = Field(max_length=20)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    # staff_id or 0: a NULL never collides in a unique constraint, so the key holds 0 for "team".
    staff_key: int = Field(default=0)
    percent: int
    set_by_id: int | None = Field(default=None, foreign_key="staff.id")
    set_at: NaiveDatetime = created_field()


class WorkCheck(SQLModel, table=True):
    """One item of work drawn for checking. (work_kind, item_id) is unique, so drawing a day
    again adds nothing."""

    __tablename__ = "work_check"
    __table_args__ = (
        UniqueConstraint("work_kind", "item_id"),
        Index("ix_work_check_checker_status", "checker_id", "status"),
        Index("ix_work_check_team_checked", "team_id", "checked_at", "officer_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    drawn_for: date  # the day whose work was sampled
    team_id: int = Field(foreign_key="team.id")
    work_kind: str = Field(max_length=20)
    item_id: int
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    officer_id: int = Field(foreign_key="staff.id")  # who did the work
    checker_id: int | None = Field(default=None, foreign_key="staff.id")
    status: str = Field(default="pending", max_length=10)  # pending | passed | failed
    category: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=2000)
    checked_at: NaiveDatetime | None = None
    checked_by_id: int | None = Field(default=None, foreign_key="staff.id")
    rework_task_id: int | None = Field(default=None, foreign_key="task.id")
    created_at: NaiveDatetime = created_field()
