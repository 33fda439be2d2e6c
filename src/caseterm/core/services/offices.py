"""An office's details as its letters print them: its name, postal address and telephone number
(the letterhead and the `office.*` merge fields). Kept up to date by the office's administrators
(`office.admin`); every change is audited with the values before and after."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import Office
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor
from caseterm.core.services.org import OfficeInfo
from caseterm.core.text import clean_line

OFFICE_FIELDS = ("name", "address", "phone")
# A telephone number as people write it: digits with spaces, brackets, dashes, a leading +, and
# an extension ("ext 214"); between 7 and 15 digits in all (the international limit, E.164).
_PHONE = re.compile(r"^\+?[0-9 ()\-]+(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)


def _check_phone(phone: str) -> str:
    """The number tidied (controls stripped, ends trimmed); "" clears it. A ValidationError
    naming the rule otherwise."""
    text = clean_line("phone", phone, required=False, limit=40)
    if not text:
        return ""
    main = re.split(r"(?i)\s*(?:ext\.?|x)\s*", text, maxsplit=1)[0]
    digits = sum(c.isdigit() for c in main)
    if not _PHONE.match(text) or not 7 <= digits <= 15:
        raise ValidationError(
            "phone",
            f"{text!r} is not a telephone number: digits (7 to 15) with spaces, brackets or "
            'dashes, a leading + and an optional extension, e.g. "01772 555 0100 ext 214"',
        )
    return text


def update_office(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str | None = None,
    address: str | None = None,
    phone: str | None = None,
) -> OfficeInfo:
    """Change an office's name, address or phone (None: leave it as it is; the same value again
    changes and records nothing)."""
    actor.require("office.admin")
    if name is None and address is None and phone is None:
        raise ValidationError("office", "nothing to change: give a name, an address or a phone")
    office = session.exec(select(Office).where(Office.code == code.strip().upper())).first()
    if office is None:
        codes = ", ".join(session.exec(select(Office.code).order_by(Office.code)).all())
        raise ValidationError("office", f"no office {code!r} (offices: {codes or 'none yet'})")
    before = audit.snapshot(office, OFFICE_FIELDS)
    if name is not None:
        office.name = clean_line("name", name, limit=120)
    if address is not None:
        office.address = clean_line("address", address, required=False, limit=300)
    if phone is not None:
        office.phone = _check_phone(phone)
    old, new = audit.changed(before, audit.snapshot(office, OFFICE_FIELDS))
    if not new:
        return OfficeInfo.of(office)
    session.add(office)
    session.flush()
    audit.record(
        session,
        actor,
        "office.edit",
        "office",
        office.id,
        summary=f"office {office.code}: changed {', '.join(sorted(new))}",
        before=old,
        after=new,
    )
    return OfficeInfo.of(office)


def list_offices(session: Session, actor: Actor) -> list[OfficeInfo]:
    """Every office with the details its letters print."""
    actor.require("case.read")
    return [OfficeInfo.of(o) for o in session.exec(select(Office).order_by(Office.code)).all()]
