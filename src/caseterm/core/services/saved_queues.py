"""Saved queues: a user's named filter over tasks, kept for themselves or shared with everyone.

The queue engine (`queues`) counts and pages them; this module saves, checks, describes and
deletes them, and is the one place that decides who may open one (`saved_queue`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from caseterm.core.models import TASK_STATUSES, CaseType, SavedQueue, Staff
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services import audit
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line

SAVED_PREFIX = "saved:"
ASSIGNEE_CHOICES = ("me", "team", "none")


@dataclass(frozen=True)
class QueueFilter:
    kinds: list[str] = field(default_factory=list)
    assignee: str | None = None  # "me" | "team" | "none" (nobody) | None (anyone)
    status: str | None = TaskStatus.OPEN  # None: any status
    due_within_days: int | None = None  # due today + n or earlier (overdue included)
    case_type: str | None = None  # case type code, e.g. "OM"


@dataclass(frozen=True)
class SavedQueueInfo:
    """A saved queue as the TUI and the CLI see it."""

    id: int
    key: str  # "saved:<id>", the key the queue engine pages by
    name: str
    filter: QueueFilter
    shared: bool
    owner_id: int
    owner_name: str


def _key_of(queue_id: int) -> str:
    return f"{SAVED_PREFIX}{queue_id}"


def _info(saved: SavedQueue, owner_name: str) -> SavedQueueInfo:
    return SavedQueueInfo(
        id=saved.id or 0,
        key=_key_of(saved.id or 0),
        name=saved.name,
        filter=_filter_of(saved),
        shared=saved.shared,
        owner_id=saved.owner_id,
        owner_name=owner_name,
    )


def _filter_of(saved: SavedQueue) -> QueueFilter:
    data = json.loads(saved.filters or "{}")
    return QueueFilter(
        kinds=list(data.get("kinds") or []),
        assignee=data.get("assignee"),
        status=data.get("status", TaskStatus.OPEN),
        due_within_days=data.get("due_within_days"),
        case_type=data.get("case_type"),
    )


def _check_filter(session: Session, flt: QueueFilter) -> QueueFilter:
    bad = [k for k in flt.kinds if k not in TASK_KINDS]
    if bad:
        raise ValidationError("kinds", f"unknown task kind {bad[0]!r}")
    if flt.assignee is not None and flt.assignee not in ASSIGNEE_CHOICES:
        raise ValidationError("assignee", "use me, team, none or leave it empty")
    if flt.status is not None and flt.status not in TASK_STATUSES:
        raise ValidationError("status", f"use one of {', '.join(TASK_STATUSES)}")
    if flt.due_within_days is not None and not 0 <= flt.due_within_days <= 3660:
        raise ValidationError("due_within_days", "must be between 0 and 3660")
    if flt.case_type is not None:
        code = flt.case_type.strip().upper()
        if session.exec(select(CaseType.id).where(CaseType.code == code)).first() is None:
            codes = ", ".join(session.exec(select(CaseType.code).order_by(CaseType.code)).all())
            raise ValidationError(
                "case_type", f"unknown case type {flt.case_type!r}; use one of {codes}"
            )
        flt = QueueFilter(flt.kinds, flt.assignee, flt.status, flt.due_within_days, code)
    return flt


def save_queue(
    session: Session, actor: Actor, *, name: str, flt: QueueFilter, shared: bool = False
) -> SavedQueueInfo:
    """Save a named queue over tasks for the actor (`shared`: everyone sees it too). "me" and
    "team" in the filter mean whoever is looking at the queue."""
    actor.require("task.work")
    name = clean_line("name", name, limit=80)
    flt = _check_filter(session, flt)
    clash = session.exec(
        select(SavedQueue.id).where(SavedQueue.owner_id == actor.id, SavedQueue.name == name)
    ).first()
    if clash is not None:
        raise ValidationError("name", f"you already have a queue called {name!r}")
    saved = SavedQueue(
        name=name,
        owner_id=actor.id,
        filters=json.dumps(asdict(flt), sort_keys=True),
        shared=shared,
        created_at=clock.now(),
    )
    session.add(saved)
    session.flush()
    audit.record(
        session,
        actor,
        "queue.save",
        "saved_queue",
        saved.id,
        summary=f"saved queue {name!r}{' (shared)' if shared else ''}",
        after={"name": name, "filters": asdict(flt), "shared": shared},
    )
    return _info(saved, actor.name)


def delete_queue(session: Session, actor: Actor, queue_id: int) -> None:
    """Delete one's own saved queue (a system administrator may delete anyone's)."""
    saved = session.get(SavedQueue, queue_id)
    if saved is None:
        raise NotFoundError("queue", queue_id)
    if saved.owner_id != actor.id and not actor.has("staff.admin"):
        owner = staff_name(session, saved.owner_id)
        raise PermissionDeniedError(
            f"queue {saved.name!r} is {owner}'s: only they or a system administrator may delete it"
        )
    audit.record(
        session,
        actor,
        "queue.delete",
        "saved_queue",
        saved.id,
        summary=f"deleted queue {saved.name!r}",
        before={"name": saved.name, "filters": json.loads(saved.filters), "shared": saved.shared},
    )
    session.delete(saved)
    session.flush()


def _saved(session: Session, actor: Actor, key: str) -> SavedQueue:
    """The saved queue behind `key`, if the actor may open it: their own, or a shared one."""
    raw = key[len(SAVED_PREFIX) :] if key.startswith(SAVED_PREFIX) else ""
    saved = session.get(SavedQueue, int(raw)) if raw.isdigit() else None
    if saved is None:
        raise NotFoundError("queue", key)
    if saved.owner_id != actor.id and not saved.shared:
        raise PermissionDeniedError(f"queue {saved.name!r} belongs to someone else")
    return saved


def saved_queue(session: Session, actor: Actor, key: str) -> SavedQueueInfo:
    """A saved queue by key ("saved:<id>"), refused unless it is the actor's own or shared."""
    saved = _saved(session, actor, key)
    return _info(saved, staff_name(session, saved.owner_id))


def saved_filter(session: Session, actor: Actor, key: str) -> QueueFilter:
    """The filter of a saved queue the actor may open (the queue engine pages by it)."""
    return _filter_of(_saved(session, actor, key))


def visible_saved_queues(session: Session, actor: Actor) -> list[SavedQueueInfo]:
    """The actor's own saved queues, then those others shared, each by name."""
    rows = session.exec(
        select(SavedQueue, Staff.name)
        .join(Staff, col(Staff.id) == col(SavedQueue.owner_id))
        .where(or_(col(SavedQueue.owner_id) == actor.id, col(SavedQueue.shared).is_(True)))
        .order_by(col(SavedQueue.owner_id) != actor.id, col(SavedQueue.name))
    ).all()
    return [_info(saved, owner) for saved, owner in rows]


def describe_filter(flt: QueueFilter) -> str:
    parts = [", ".join(TASK_KINDS.get(k, k) for k in flt.kinds) or "all kinds"]
    if flt.assignee:
        parts.append({"me": "mine", "team": "my team's", "none": "unassigned"}[flt.assignee])
    parts.append(flt.status or "any status")
    if flt.due_within_days is not None:
        parts.append(f"due within {flt.due_within_days} days")
    if flt.case_type:
        parts.append(f"{flt.case_type} cases")
    return "; ".join(parts)
