"""Notifications: short events addressed to one member of staff ("your 10:00 has arrived"),
picked up by their screen within seconds by polling `unread_for` with the last id seen.

Notifications are a side effect of an audited business action (an arrival, a booking by a
colleague, an enforcement task raised), so creating one and marking it read are not audited
themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Notification, Staff
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

UNREAD_LIMIT = 200


@dataclass(frozen=True)
class Note:
    """One notification as its recipient sees it."""

    id: int
    kind: str
    text: str
    case_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, row: Notification) -> Note:
        return cls(row.id or 0, row.kind, row.text, row.case_id, row.created_at)


def notify(
    session: Session, *, recipient_id: int, kind: str, text: str, case_id: int | None = None
) -> Note:
    """Address a notification to one member of staff (written in the caller's transaction)."""
    if session.get(Staff, recipient_id) is None:
        raise ValidationError("recipient", f"no member of staff with id {recipient_id}")
    note = Notification(
        recipient_id=recipient_id,
        created_at=clock.now(),
        kind=clean_line("kind", kind, limit=30),
        text=clean_line("text", text, limit=500),
        case_id=case_id,
    )
    session.add(note)
    session.flush()
    return Note.of(note)


def unread_for(session: Session, actor: Actor, *, after_id: int = 0) -> list[Note]:
    """The actor's unread notifications with an id above `after_id`, oldest first."""
    return [
        Note.of(row)
        for row in session.exec(
            select(Notification)
            .where(
                Notification.recipient_id == actor.id,
                col(Notification.id) > after_id,
                col(Notification.read_at).is_(None),
            )
            .order_by(col(Notification.id))
            .limit(UNREAD_LIMIT)
        ).all()
    ]


def mark_read(session: Session, actor: Actor, *, ids: Iterable[int]) -> int:
    """Mark the actor's own notifications read; others' ids are ignored. Returns how many."""
    wanted = list(ids)
    if not wanted:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            col(Notification.id).in_(wanted),
            col(Notification.recipient_id) == actor.id,
            col(Notification.read_at).is_(None),
        )
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
