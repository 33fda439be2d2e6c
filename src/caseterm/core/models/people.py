"""People (the master record): names and aliases, identifiers, contact details, warnings."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from caseterm.core.models.base import Edited, created_field, version_column, versioned

_person_version = version_column()


class Person(Edited, table=True):
    id: int | None = Field(default=None, primary_key=True)
    given_name: str = Field(max_length=120)
    family_name: str = Field(max_length=120, index=True)
    title: str = Field(default="", max_length=20)
    date_of_birth: date | None = Field(default=None, index=True)
    gender: str = Field(default="", max_length=30)
    language: str = Field(default="English", max_length=60)
    interpreter: bool = Field(default=False)
    date_of_death: date | None = None
    date_of_death_source: str = Field(default="", max_length=200)  # who said so, or what paper
    anonymised: bool = Field(default=False)
    # A record merged into another stays as a tombstone pointing at the survivor.
    merged_into_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    version: int = Field(default=1, sa_column=_person_version)
    __mapper_args__: ClassVar = versioned(_person_version)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonName(SQLModel, table=True):
    """Every name a person is known by (primary and aliases), in searchable folded form."""

    __tablename__ = "person_name"
    __table_args__ = (
        Index("ix_person_name_folded", "folded"),
        # Sound-alike lookups read a page of it (migration 0032).
        Index("ix_person_name_sound_family", "sound", "family_name", "folded"),
    )
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(default="primary", max_length=10)  # primary | alias
    given_name: str = Field(default="", max_length=120)
    family_name: str = Field(default="", max_length=120)
    folded: str = Field(max_length=250)  # "given family", accents and punctuation removed
    sound: str = Field(default="", max_length=60)  # phonetic key of the family name


class PersonIdentifier(SQLModel, table=True):
    __tablename__ = "person_identifier"
    __table_args__ = (UniqueConstraint("id_type", "folded"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    id_type: str = Field(max_length=20)  # CRN, PNC, NHS, NINO, ACCOUNT…
    value: str = Field(max_length=60)
    folded: str = Field(max_length=60, index=True)


class PersonContact(SQLModel, table=True):
    """An address, phone number or email address."""

    __tablename__ = "person_contact"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=10)  # address | phone | email
    value: str = Field(max_length=300)
    # What search finds it by: an address's postcode, a phone number's digits, an email address
    # in lower case (rules/identifiers.contact_key).
    search_key: str = Field(default="", max_length=120, index=True)
    is_primary: bool = Field(default=True)
    valid_from: date | None = None
    valid_to: date | None = None


_warning_version = version_column()


class PersonWarning(SQLModel, table=True):
    """Risk to staff, safeguarding, watch list, adjustments, interpreter… `desk_text` is what a
    reception desk may see (never case details)."""

    __tablename__ = "person_warning"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=30)
    text: str = Field(max_length=500)
    desk_text: str = Field(default="", max_length=200)
    active: bool = Field(default=True)
    created_at: NaiveDatetime = created_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    review_on: date | None = None  # when it must be looked at again
    review_raised_on: date | None = None  # the review_on a review task was raised for (once)
    cleared_at: NaiveDatetime | None = None
    cleared_by_id: int | None = Field(default=None, foreign_key="staff.id")
    clear_reason: str = Field(default="", max_length=300)
    version: int = Field(default=1, sa_column=_warning_version)
    __mapper_args__: ClassVar = versioned(_warning_version)


class PersonVerification(SQLModel, table=True):
    """What was verified about a person (identity, address, income…), from what evidence, by
    whom and when. Rows are never changed: a later check is a new row."""

    __tablename__ = "person_verification"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    what: str = Field(max_length=30)
    evidence: str = Field(max_length=300)
    verified_on: date
    verified_by_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: NaiveDatetime = created_field()
