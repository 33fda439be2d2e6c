""" "Someone is editing": while a member of staff has an edit form open, others opening the same
record see "Jane Smith is editing (since 10:32)".

The form calls `heartbeat` when it opens and again every half minute or so while it stays
open, and `stop_editing` when it closes. A session that dies (an SSH drop, a killed terminal)
stops sending heartbeats, and its notice expires by itself after `EXPIRES_AFTER`. Presence is a
courtesy, not a lock: saving is still guarded by the record's version (StaleEditError).

Presence rows are transient and say nothing about the record itself, so they are not audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import EditPresence, Staff
from caseterm.core.services.identity import Actor

EXPIRES_AFTER = timedelta(seconds=90)
HEARTBEAT_EVERY = timedelta(seconds=30)


class Editor(NamedTuple):
    """(name, since): someone else with the record open."""

    name: str
    since: datetime

    def notice(self, what: str = "") -> str:
        """ "Ann Smith is editing this case (since 10:32)", with `what` = "this case"."""
        editing = f"is editing {what}" if what else "is editing"
        return f"{self.name} {editing} (since {self.since:%H:%M})"


def _check(entity: str, entity_id: int) -> None:
    if not entity or len(entity) > 30:
        raise ValidationError("entity", "must be 1 to 30 characters")
    if entity_id <= 0:
        raise ValidationError("entity_id", "must be a positive id")


def _mine(session: Session, actor: Actor, entity: str, entity_id: int) -> EditPresence | None:
    return session.exec(
        select(EditPresence).where(
            EditPresence.staff_id == actor.id,
            EditPresence.entity == entity,
            EditPresence.entity_id == entity_id,
        )
    ).first()


def heartbeat(session: Session, actor: Actor, *, entity: str, entity_id: int) -> None:
    """Say that `actor` has `entity`/`entity_id` open for editing, or that they still have: the
    form calls it when it opens and every HEARTBEAT_EVERY after. Saying it again keeps the
    original start time unless the old notice had already expired (and was perhaps cleared)."""
    _check(entity, entity_id)
    now = clock.now()
    row = _mine(session, actor, entity, entity_id)
    if row is None:
        row = EditPresence(
            staff_id=actor.id, entity=entity, entity_id=entity_id, started_at=now, heartbeat_at=now
        )
        session.add(row)
    else:
        if row.heartbeat_at < now - EXPIRES_AFTER:
            row.started_at = now
        row.heartbeat_at = now
    session.flush()


def stop_editing(session: Session, actor: Actor, *, entity: str, entity_id: int) -> bool:
    """The form closed: remove the notice. True if there was one."""
    row = _mine(session, actor, entity, entity_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def editors_of(session: Session, actor: Actor, *, entity: str, entity_id: int) -> list[Editor]:
    """Others editing this record now (notices younger than EXPIRES_AFTER), earliest first."""
    cutoff = clock.now() - EXPIRES_AFTER
    rows = session.exec(
        select(Staff.name, EditPresence.started_at)
        .join(Staff, col(Staff.id) == col(EditPresence.staff_id))
        .where(
            EditPresence.entity == entity,
            EditPresence.entity_id == entity_id,
            EditPresence.staff_id != actor.id,
            col(EditPresence.heartbeat_at) >= cutoff,
        )
        .order_by(col(EditPresence.started_at))
    ).all()
    return [Editor(name, since) for name, since in rows]


def _clear_expired(session: Session) -> int:
    """Delete notices whose session died; returns how many. Safe to call from any process."""
    cutoff = clock.now() - EXPIRES_AFTER
    result = session.execute(delete(EditPresence).where(col(EditPresence.heartbeat_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
