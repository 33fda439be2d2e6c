"""Logging what arrives (post opened, a phone message taken, a referral received, a walk-in) as
an incoming item: an untriaged task that waits in the Incoming queue for triage.

An item carries whom it is about as written on it (`about_name`, `about_dob`), so triage can
suggest the people already on file before anyone links it. It is due today: for an untriaged
item the due date is when it shows in triage (bringing one forward moves it).

An item is at the office it arrived at (`office_code`, else the office of whoever logs it): triage
there shows it. An unknown office is refused naming the offices there are.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Office
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.services import tasks
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo


def arrival_office(session: Session, actor: Actor, *, code: str = "") -> tuple[int, str] | None:
    """The office an item or a file arrives at, as (id, code): the office `code` names, else the
    actor's (None when they belong to none). An unknown code is refused naming the offices there
    are."""
    if not actor.has("reception.desk"):
        actor.require("task.work")
    if not code.strip():
        office = session.get(Office, actor.office_id) if actor.office_id else None
        return (office.id or 0, office.code) if office else None
    office = session.exec(select(Office).where(Office.code == code.strip().upper())).first()
    if office is None:
        codes = ", ".join(session.exec(select(Office.code).order_by(col(Office.code))).all())
        raise ValidationError("office", f"no office {code!r} (offices: {codes or 'none yet'})")
    return office.id or 0, office.code


def record_incoming(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    summary: str,
    about_name: str = "",
    about_dob: date | None = None,
    source: str = "",
    details: str = "",
    priority: int = 3,
    office_id: int | None = None,
    office_code: str = "",
) -> TaskInfo:
    """An incoming item of `kind` (one of INCOMING_KINDS), waiting for triage from today at the
    office it arrived at: `office_id` (a file's, already found), else the office `office_code`
    names, else the actor's (`arrival_office`); triage there shows it."""
    if kind not in INCOMING_KINDS:
        kinds = ", ".join(f"{k} ({TASK_KINDS[k].lower()})" for k in INCOMING_KINDS)
        raise ValidationError("kind", f"{kind!r} is not an incoming kind; use one of {kinds}")
    if office_id is None:
        office = arrival_office(session, actor, code=office_code)
        office_id = office[0] if office else None
    return tasks.create_task(
        session,
        actor,
        kind=kind,
        title=summary,
        details=details,
        due_date=clock.today(),
        priority=priority,
        status=TaskStatus.UNTRIAGED,
        source=source,
        about_name=about_name,
        about_dob=about_dob,
        office_id=office_id,
    )
