"""Offices, teams, rooms and staff."""

from __future__ import annotations

from typing import ClassVar

from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, version_column, versioned

ROLES = (
    "reception",
    "administrator",
    "caseworker",
    "checker",
    "manager",
    "sysadmin",
)


class Office(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=120)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=40)  # printed on letters (migration 0018)


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=120)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)


class Room(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    name: str = Field(max_length=120)


_staff_version = version_column()


class Staff(Edited, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    active: bool = Field(default=True)
    version: int = Field(default=1, sa_column=_staff_version)
    __mapper_args__: ClassVar = versioned(_staff_version)


class StaffRole(SQLModel, table=True):
    __tablename__ = "staff_role"
    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    role: str = Field(primary_key=True, max_length=20)
