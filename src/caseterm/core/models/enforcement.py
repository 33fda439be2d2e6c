"""Enforcement of fines accounts, beyond the steps the money run proposes (`EnforcementStep`,
models/money.py): an administrator's own enforcement paths (over the shipped defaults,
rules/enforcement_paths.toml) and holds on an account's enforcement."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import created_field, version_column, versioned

_path_version = version_column()


class EnforcementPath(SQLModel, table=True):
    """A path as an administrator set it: overrides the shipped default for the same (case type,
    account kind), or adds one. `steps` is "action:days,action:days"; `active` false switches
    the case type's path for that kind off."""

    __tablename__ = "enforcement_path"
    __table_args__ = (UniqueConstraint("case_type", "account_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    case_type: str = Field(max_length=20)
    account_kind: str = Field(max_length=20)
    trigger_missed: int
    steps: str = Field(max_length=1000)
    active: bool = Field(default=True)
    changed_at: NaiveDatetime = created_field()
    changed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    version: int = Field(default=1, sa_column=_path_version)
    __mapper_args__: ClassVar = versioned(_path_version)


class EnforcementHold(SQLModel, table=True):
    """An account's enforcement on hold (a pending appeal, a means review): the money run skips
    it until it is released or its until-date has passed. A case has at most one hold in force
    (checked by the service under the write lock); released holds are kept as history."""

    __tablename__ = "enforcement_hold"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    reason: str = Field(max_length=300)
    until: date | None = None
    placed_at: NaiveDatetime = created_field()
    placed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    released_at: NaiveDatetime | None = None
    released_by_id: int | None = Field(default=None, foreign_key="staff.id")
    release_reason: str = Field(default="", max_length=300)
