"""Logging what arrives (post opened, a phone message taken, a referral received, a walk-in) as
an incoming item: an untriaged task that waits in the Incoming queue for triage.

An item carries whom it is about as written on it (`about_name`, `about_dob`), so triage can
suggest the people already on file before anyone links it. It is due today: for an untriaged
item the due date is when it shows in triage (bringing one forward moves it).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.services import tasks
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo


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
) -> TaskInfo:
    """An incoming item of `kind` (one of INCOMING_KINDS), waiting for triage from today (at
    the office `office_id`, when it arrived at one: triage there shows it)."""
    if kind not in INCOMING_KINDS:
        kinds = ", ".join(f"{k} ({TASK_KINDS[k].lower()})" for k in INCOMING_KINDS)
        raise ValidationError("kind", f"{kind!r} is not an incoming kind; use one of {kinds}")
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
