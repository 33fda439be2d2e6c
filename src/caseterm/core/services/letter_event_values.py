"""The `event` merge values a letter takes from its case's timeline (the latest event of each
kind; see rules.letter_event_fields), under the values typed when drafting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core.models import CaseEvent
from caseterm.core.rules.letter_event_fields import EVENT_FIELDS


def timeline_values(
    session: Session, case_id: int, long_date: Callable[[date], str]
) -> dict[str, str]:
    """`KIND_date` for every kind of event on the case, and the named fields of EVENT_FIELDS,
    each from the latest event of its kind (dates written by `long_date`)."""
    latest: dict[str, tuple[date, str]] = {}
    for kind, day, details in session.exec(
        select(col(CaseEvent.kind), col(CaseEvent.event_date), col(CaseEvent.details))
        .where(CaseEvent.case_id == case_id)
        .order_by(col(CaseEvent.event_date).desc(), col(CaseEvent.id).desc())
    ).all():
        latest.setdefault(kind, (day, details))
    values = {f"{kind}_date": long_date(day) for kind, (day, _) in latest.items()}
    for name, (kind, part, _) in EVENT_FIELDS.items():
        if kind in latest:
            day, details = latest[kind]
            if part == "date":
                values[name] = long_date(day)
            elif details:
                values[name] = details
    return values
