"""A case and the people on it as the services return them to the screens and the commands:
plain frozen data with the tables' field names, never the rows themselves (`cases.view_case`,
`cases.case_by_reference`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from caseterm.core.models import CaseFile, CaseParty, Person, PersonWarning


def _copy(cls: Any, row: Any) -> Any:
    """`cls` filled from the row's columns of the same names."""
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class CaseInfo:
    """A case file (the table's field names)."""

    id: int
    reference: str
    case_type_id: int
    subject_id: int
    owner_id: int | None
    admin_owner_id: int | None
    team_id: int | None
    office_id: int | None
    status: str
    status_reason: str
    priority: int
    summary: str
    opened_on: date | None
    closed_on: date | None
    restricted: bool
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by_id: int | None

    @classmethod
    def of(cls, case: CaseFile) -> CaseInfo:
        assert case.id is not None
        info: CaseInfo = _copy(cls, case)
        return info


@dataclass(frozen=True)
class PersonInfo:
    """A person (the table's field names), with the name as the case screen shows it."""

    id: int
    given_name: str
    family_name: str
    title: str
    date_of_birth: date | None
    gender: str
    language: str
    interpreter: bool
    date_of_death: date | None
    date_of_death_source: str
    anonymised: bool
    merged_into_id: int | None
    version: int

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @classmethod
    def of(cls, person: Person) -> PersonInfo:
        assert person.id is not None
        info: PersonInfo = _copy(cls, person)
        return info


@dataclass(frozen=True)
class WarningInfo:
    """A warning on a person (the table's field names)."""

    id: int
    person_id: int
    kind: str
    text: str
    desk_text: str
    active: bool
    created_at: datetime
    created_by_id: int | None
    review_on: date | None
    review_raised_on: date | None
    cleared_at: datetime | None
    cleared_by_id: int | None
    clear_reason: str
    version: int

    @classmethod
    def of(cls, warning: PersonWarning) -> WarningInfo:
        assert warning.id is not None
        info: WarningInfo = _copy(cls, warning)
        return info


@dataclass(frozen=True)
class PartyInfo:
    """Another person's part in a case: their role (victim, solicitor…) and notes."""

    id: int
    case_id: int
    person_id: int
    role: str
    notes: str

    @classmethod
    def of(cls, party: CaseParty) -> PartyInfo:
        assert party.id is not None
        info: PartyInfo = _copy(cls, party)
        return info


@dataclass(frozen=True)
class NameLine:
    """One of a person's names: the primary name or an alias."""

    id: int
    kind: str  # primary | alias
    given_name: str
    family_name: str


@dataclass(frozen=True)
class IdentifierLine:
    """One of a person's typed identifiers, with its type's label."""

    id: int
    id_type: str
    type_label: str
    value: str
