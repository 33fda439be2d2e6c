"""The values a stock letter is merged with: the case's subject, the case, its office (with its
phone), the next booked appointment, the fines account, the case's events (the timeline's dates,
under what is typed when drafting), the signing officer and today, named as
in the merge-field catalogue (`rules.letter_fields.FIELDS`). Dates are written in the letter's
language (Babel's month and day names for Welsh, `DATE_LOCALES`). A group the case has no data
for (no appointment booked, no account) is left out, so a template that uses it is refused at
preview rather than printed with a blank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from caseterm.core import clock
from caseterm.core.models import (
    Appointment,
    CaseFile,
    CaseType,
    Imposition,
    Office,
    Payment,
    PaymentTerms,
    Person,
    PersonContact,
    PersonIdentifier,
    Room,
    Staff,
    Team,
)
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_event_values import timeline_values

# The Babel locale whose month and day names a letter in each language uses for its dates
# (English is written out by caseterm itself: "3 December 2026").
DATE_LOCALES: dict[str, str] = {"cy": "cy"}


def _long_date(day: date, language: str = "en") -> str:
    """A date as a letter writes it: "3 December 2026"; in Welsh "3 Rhagfyr 2026"."""
    locale = DATE_LOCALES.get(language)
    if locale is None:
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_date

    return str(format_date(day, "d MMMM y", locale=locale))


def _day_and_date(day: date, language: str = "en") -> str:
    """With the day of the week: "Monday 30 November 2026"; in Welsh "Dydd Llun 30 Tachwedd
    2026"."""
    locale = DATE_LOCALES.get(language)
    if locale is None:
        return f"{day:%A} {_long_date(day)}"
    from babel.dates import format_date

    return str(format_date(day, "EEEE d MMMM y", locale=locale))


def _money(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


@dataclass(frozen=True)
class Address:
    contact_id: int
    text: str  # one line per part


def current_address(session: Session, person_id: int) -> Address | None:
    """The person's primary postal address that is still valid today (or the newest valid one)."""
    today = clock.today()
    rows = session.exec(
        select(PersonContact)
        .where(PersonContact.person_id == person_id, PersonContact.kind == "address")
        .order_by(col(PersonContact.is_primary).desc(), col(PersonContact.id).desc())
    ).all()
    for row in rows:
        if row.valid_to is None or row.valid_to > today:
            lines = [p.strip() for p in row.value.replace("\n", ",").split(",") if p.strip()]
            return Address(row.id or 0, "\n".join(lines))
    return None


def merge_values(
    session: Session,
    actor: Actor,
    case: CaseFile,
    extra: dict[str, str] | None = None,
    *,
    language: str = "en",
) -> dict[str, Any]:
    """The merge values for a letter on `case` signed by `actor` (see the module docstring),
    its dates written in the letter's `language` (a Welsh letter's in Welsh)."""
    person = session.get(Person, case.subject_id)
    assert person is not None
    ids = {
        t: v
        for t, v in session.exec(
            select(PersonIdentifier.id_type, PersonIdentifier.value).where(
                PersonIdentifier.person_id == person.id
            )
        ).all()
    }
    address = current_address(session, person.id or 0)
    values: dict[str, Any] = {
        "person": {
            "title": person.title,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "full_name": person.full_name,
            "address": address.text if address else "",
            "date_of_birth": (
                _long_date(person.date_of_birth, language) if person.date_of_birth else ""
            ),
            "crn": ids.get("CRN", ""),
            "pnc": ids.get("PNC", ""),
            "nhs": ids.get("NHS", ""),
            "account": ids.get("ACCOUNT", ""),
        },
        "today": _long_date(clock.today(), language),
        # The case's timeline, under the values typed when drafting (letter_event_values).
        "event": {
            **timeline_values(session, case.id or 0, lambda d: _long_date(d, language)),
            **dict(extra or {}),
        },
    }
    case_type = session.get(CaseType, case.case_type_id)
    owner = session.get(Staff, case.owner_id) if case.owner_id else None
    values["case"] = {
        "reference": case.reference,
        "type": case_type.name if case_type else "",
        "type_code": case_type.code if case_type else "",
        "owner": owner.name if owner else "",
        "opened_on": _long_date(case.opened_on, language) if case.opened_on else "",
    }
    office = session.get(Office, case.office_id) if case.office_id else None
    values["office"] = {
        "name": office.name if office else "",
        "address": office.address if office else "",
        "phone": office.phone if office else "",
    }
    team = session.get(Team, actor.team_id) if actor.team_id else None
    values["officer"] = {"name": actor.name, "team": team.name if team else ""}
    appointment = session.exec(
        select(Appointment)
        .where(
            Appointment.case_id == case.id,
            Appointment.status == AppointmentStatus.BOOKED,
            col(Appointment.starts_at) >= clock.now(),
        )
        .order_by(col(Appointment.starts_at))
    ).first()
    if appointment is not None:
        room = session.get(Room, appointment.room_id) if appointment.room_id else None
        where = session.get(Office, appointment.office_id) if appointment.office_id else None
        place = appointment.location or ", ".join(
            p for p in ((room.name if room else ""), (where.name if where else "")) if p
        )
        seeing = session.get(Staff, appointment.staff_id)
        values["appointment"] = {
            "date": _day_and_date(appointment.starts_at.date(), language),
            "time": f"{appointment.starts_at:%H:%M}",
            "place": place,
            "with": seeing.name if seeing else "",
        }
    imposed = session.exec(
        select(func.sum(Imposition.amount_pence)).where(Imposition.case_id == case.id)
    ).one()
    if imposed is not None:
        paid = session.exec(
            select(func.sum(Payment.amount_pence)).where(Payment.case_id == case.id)
        ).one()
        terms = session.exec(select(PaymentTerms).where(PaymentTerms.case_id == case.id)).first()
        values["account"] = {
            "balance": _money(int(imposed) - int(paid or 0)),
            "instalment": _money(terms.instalment_pence) if terms else "",
            "next_due": (
                _long_date(max(terms.first_due, clock.today()), language) if terms else ""
            ),
        }
    return values
