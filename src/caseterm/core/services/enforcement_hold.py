"""Holding an account's enforcement (issue 14): an officer puts it on hold with a reason and an
optional until-date (a pending appeal, a means review); the money run proposes no step for a
held account, and the account's stage says so ("On hold until 12/01: appeal lodged"). Releasing
it, or the until-date passing, resumes the path where it was. Each hold and release is audited;
released holds are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, EnforcementHold
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.accounts import build_view
from caseterm.core.services.common import get, staff_name
from caseterm.core.services.enforcement_state import hold_words
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

HOLD_FIELDS = ("case_id", "reason", "until", "released_at", "release_reason")


@dataclass(frozen=True)
class HoldInfo:
    id: int
    case_id: int
    reference: str
    reason: str
    until: date | None
    placed_at_text: str
    placed_by: str
    released: bool
    release_reason: str

    def words(self) -> str:
        """ "On hold until 12/01: appeal lodged"."""
        return hold_words(self.reason, self.until)


def _in_force(today: date) -> list[Any]:
    return [
        col(EnforcementHold.released_at).is_(None),
        or_(col(EnforcementHold.until).is_(None), col(EnforcementHold.until) >= today),
    ]


def _info(session: Session, row: EnforcementHold, case: CaseFile) -> HoldInfo:
    return HoldInfo(
        id=row.id or 0,
        case_id=case.id or 0,
        reference=case.reference,
        reason=row.reason,
        until=row.until,
        placed_at_text=f"{row.placed_at:%d/%m/%Y %H:%M}",
        placed_by=staff_name(session, row.placed_by_id) if row.placed_by_id else "",
        released=row.released_at is not None,
        release_reason=row.release_reason,
    )


def _current(session: Session, case_id: int) -> EnforcementHold | None:
    return session.exec(
        select(EnforcementHold).where(EnforcementHold.case_id == case_id, *_in_force(clock.today()))
    ).first()


def hold_account(
    session: Session, actor: Actor, *, case_id: int, reason: str, until: date | None = None
) -> HoldInfo:
    """Put the account's enforcement on hold: the money run skips it until it is released or
    `until` has passed. Refused on a case with no live account, a date in the past, or an
    account already on hold (saying since when and why)."""
    actor.require("money.enforce")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    why = clean_line("reason", reason, limit=300)
    view = build_view(session, case)
    if view is None:
        raise ValidationError("case", f"{case.reference} has no account (nothing imposed)")
    if view.status != "live":
        raise ValidationError(
            "account", f"{case.reference} is {view.stage.lower()}: nothing to hold"
        )
    if until is not None and until < clock.today():
        raise ValidationError("until", f"{until:%d/%m/%Y} has passed; give a later date or none")
    held = _current(session, case_id)
    if held is not None:
        info = _info(session, held, case)
        raise ValidationError(
            "account", f"{case.reference} is already on hold ({info.words()}); release it first"
        )
    row = EnforcementHold(
        case_id=case_id, reason=why, until=until, placed_at=clock.now(), placed_by_id=actor.id
    )
    session.add(row)
    session.flush()
    info = _info(session, row, case)
    audit.record(
        session,
        actor,
        "account.hold",
        "enforcement_hold",
        row.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: enforcement {info.words()[0].lower()}{info.words()[1:]}",
        after=audit.snapshot(row, HOLD_FIELDS),
    )
    return info


def release_account(session: Session, actor: Actor, *, case_id: int, reason: str = "") -> HoldInfo:
    """Release the hold in force on the account's enforcement: the money run takes the path up
    again where it was."""
    actor.require("money.enforce")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "account")
    why = clean_line("reason", reason, required=False, limit=300)
    row = _current(session, case_id)
    if row is None:
        raise ValidationError("account", f"{case.reference} is not on hold")
    before = audit.snapshot(row, HOLD_FIELDS)
    row.released_at = clock.now()
    row.released_by_id = actor.id
    row.release_reason = why
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "account.release",
        "enforcement_hold",
        row.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: enforcement released from hold ({row.reason})"
        + (f": {why}" if why else ""),
        before=before,
        after=audit.snapshot(row, HOLD_FIELDS),
    )
    return _info(session, row, case)
