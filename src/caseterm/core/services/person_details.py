"""Changing a person's record beyond the main fields: date of death and its source, contact
details with history (an address is ended, never overwritten), removing an identifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import PersonContact, PersonIdentifier
from caseterm.core.rules.identifiers import contact_key
from caseterm.core.rules.person_records import EARLIEST_DEATH_YEAR
from caseterm.core.services import audit
from caseterm.core.services.common import check_version, touch
from caseterm.core.services.identity import Actor
from caseterm.core.services.people import live
from caseterm.core.text import clean_line

CONTACT_KINDS = ("address", "phone", "email")


@dataclass(frozen=True)
class Death:
    person_id: int
    date_of_death: date | None
    source: str
    version: int


def record_death(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    date_of_death: date | None,
    source: str,
    expected_version: int | None,
) -> Death:
    """Record (or correct, or with None withdraw) a person's date of death and where it came
    from. Refused before their birth, in the future, or without a source. Closing their cases
    is the case's business (the closure checklist), not this one's."""
    actor.require("person.write")
    person = live(session, person_id)
    check_version(session, person, expected_version, f"{person.full_name}'s record")
    if date_of_death is not None:
        if date_of_death > clock.today():
            raise ValidationError("date_of_death", "is in the future")
        if person.date_of_birth is not None and date_of_death < person.date_of_birth:
            raise ValidationError(
                "date_of_death",
                f"is before the date of birth ({person.date_of_birth:%d/%m/%Y})",
            )
        if date_of_death.year < EARLIEST_DEATH_YEAR:
            raise ValidationError("date_of_death", f"is before {EARLIEST_DEATH_YEAR}")
        source = clean_line("date_of_death_source", source, limit=200)
    else:
        source = ""
    before = audit.snapshot(person, ("date_of_death", "date_of_death_source"))
    person.date_of_death, person.date_of_death_source = date_of_death, source
    touch(person, actor.id)
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor,
        "person.death",
        "person",
        person_id,
        person_id=person_id,
        summary=(
            f"date of death {date_of_death:%d/%m/%Y} ({source})"
            if date_of_death
            else "date of death withdrawn"
        ),
        before=before,
        after=audit.snapshot(person, ("date_of_death", "date_of_death_source")),
    )
    return Death(person_id, date_of_death, source, person.version)


@dataclass(frozen=True)
class ContactDetail:
    id: int
    kind: str
    value: str
    valid_from: date | None
    valid_to: date | None

    @property
    def current(self) -> bool:
        return self.valid_to is None


def add_contact(
    session: Session, actor: Actor, *, person_id: int, kind: str, value: str
) -> ContactDetail:
    """A new address, phone number or email address, current from today. A new address ends
    the current one (kept as history); phones and emails sit beside the others."""
    actor.require("person.write")
    live(session, person_id)
    if kind not in CONTACT_KINDS:
        raise ValidationError("kind", f"unknown kind {kind!r}; use address, phone or email")
    value = clean_line(kind, value, limit=300)
    if kind == "email" and ("@" not in value or " " in value):
        raise ValidationError("email", f"{value!r} is not an email address")
    if kind == "phone" and len(contact_key("phone", value)) < 6:
        raise ValidationError("phone", f"{value!r} has too few digits for a phone number")
    today = clock.today()
    ended: list[str] = []
    if kind == "address":
        for old in session.exec(
            select(PersonContact).where(
                PersonContact.person_id == person_id,
                PersonContact.kind == "address",
                col(PersonContact.valid_to).is_(None),
            )
        ).all():
            old.valid_to, old.is_primary = today, False
            session.add(old)
            ended.append(old.value)
    row = PersonContact(
        person_id=person_id,
        kind=kind,
        value=value,
        search_key=contact_key(kind, value),
        valid_from=today,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "person.contact.add",
        "person",
        person_id,
        person_id=person_id,
        summary=f"{kind} {value}" + (f" (ended {'; '.join(ended)})" if ended else ""),
        after={"kind": kind, "value": value},
    )
    assert row.id is not None
    return ContactDetail(row.id, kind, value, row.valid_from, None)


def end_contact(
    session: Session, actor: Actor, *, person_id: int, contact_id: int, reason: str = ""
) -> ContactDetail:
    """An address, phone or email that no longer applies: ended today, kept as history."""
    actor.require("person.write")
    live(session, person_id)
    row = session.get(PersonContact, contact_id)
    if row is None or row.person_id != person_id:
        raise NotFoundError("contact detail", contact_id)
    if row.valid_to is not None:
        raise ValidationError("contact", f"{row.kind} {row.value} already ended")
    row.valid_to, row.is_primary = clock.today(), False
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "person.contact.end",
        "person",
        person_id,
        person_id=person_id,
        summary=f"ended {row.kind} {row.value}"
        + (f": {clean_line('reason', reason, required=False)}" if reason else ""),
        before={"kind": row.kind, "value": row.value},
    )
    assert row.id is not None
    return ContactDetail(row.id, row.kind, row.value, row.valid_from, row.valid_to)


def remove_identifier(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    identifier_id: int,
    reason: str,
    expected_version: int | None = None,
) -> str:
    """Take off an identifier entered in error (a reason is required; the audit keeps it)."""
    actor.require("person.write")
    person = live(session, person_id)
    check_version(session, person, expected_version, f"{person.full_name}'s record")
    reason = clean_line("reason", reason, limit=300)
    row = session.get(PersonIdentifier, identifier_id)
    if row is None or row.person_id != person_id:
        raise NotFoundError("identifier", identifier_id)
    shown = f"{row.id_type} {row.value}"
    session.delete(row)
    touch(person, actor.id)
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor,
        "person.identifier.remove",
        "person",
        person_id,
        person_id=person_id,
        summary=f"removed {shown}: {reason}",
        before={"id_type": row.id_type, "value": row.value},
    )
    return shown
