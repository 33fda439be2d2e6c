"""Verification and validation (seeds 003/004): what was verified about a person (identity,
address, income…), from what evidence, by whom and when. A later check is a new row; the
latest of each kind is what the person screen and the case header show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import PersonVerification
from caseterm.core.rules.catalogue import VERIFICATION_KINDS, label
from caseterm.core.services import audit
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.people import live
from caseterm.core.text import clean_line


@dataclass(frozen=True)
class Verified:
    id: int
    what: str
    what_label: str
    evidence: str
    verified_on: date
    verified_by: str


def record_verification(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    what: str,
    evidence: str,
    verified_on: date | None = None,
) -> Verified:
    """Record that `what` (a VERIFICATION_KINDS key) was verified from `evidence` (required)
    on `verified_on` (today unless given; never in the future), by the actor."""
    actor.require("person.write")
    live(session, person_id)
    if what not in VERIFICATION_KINDS:
        raise ValidationError(
            "what", f"unknown {what!r}; use one of {', '.join(VERIFICATION_KINDS)}"
        )
    evidence = clean_line("evidence", evidence, limit=300)
    when = verified_on or clock.today()
    if when > clock.today():
        raise ValidationError("verified_on", "is in the future")
    row = PersonVerification(
        person_id=person_id, what=what, evidence=evidence, verified_on=when, verified_by_id=actor.id
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "person.verify",
        "person",
        person_id,
        person_id=person_id,
        summary=f"verified {label(VERIFICATION_KINDS, what)} from {evidence}",
        after={"what": what, "evidence": evidence, "verified_on": when},
    )
    assert row.id is not None
    return Verified(row.id, what, label(VERIFICATION_KINDS, what), evidence, when, actor.name)


def verifications(session: Session, person_id: int) -> list[Verified]:
    """Every verification of a person, newest first."""
    rows = session.exec(
        select(PersonVerification)
        .where(PersonVerification.person_id == person_id)
        .order_by(col(PersonVerification.verified_on).desc(), col(PersonVerification.id).desc())
    ).all()
    return [
        Verified(
            r.id or 0,
            r.what,
            label(VERIFICATION_KINDS, r.what),
            r.evidence,
            r.verified_on,
            staff_name(session, r.verified_by_id),
        )
        for r in rows
    ]


def verified_summary(session: Session, person_id: int) -> str:
    """One line for a case header: the latest check of each kind, "Identity 02/12/2026 ·
    Address 01/11/2026", or "" when nothing is verified."""
    latest: dict[str, Verified] = {}
    for v in verifications(session, person_id):
        latest.setdefault(v.what, v)
    return " · ".join(f"{v.what_label} {v.verified_on:%d/%m/%Y}" for v in latest.values())
