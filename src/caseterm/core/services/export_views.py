"""What a queue or a diary looks like as a file: a queue as a sheet (CSV or XLSX) and a diary as
calendar events (iCalendar), built from the same read models the screens show, so a restricted
case the user may not see is "Restricted" in the file exactly as on screen."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime

from sqlmodel import Session

from caseterm.core.exports import CalendarEvent, CellKind, Sheet
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.rules.catalogue import APPOINTMENT_KINDS, TASK_KINDS, label
from caseterm.core.services import diary_views, queues
from caseterm.core.services.identity import Actor

PAGE = 2000
QUEUE_HEADERS = ("Task", "Due", "Overdue", "Priority", "Kind", "Title", "Case", "Subject",
                 "Assigned to", "Status", "Office")  # fmt: skip


def queue_sheet(session: Session, actor: Actor, *, key: str, title: str) -> Sheet:
    """Every item of queue `key` in queue order, as a sheet; rows are read in one ordered pass,
    a chunk at a time, as the file is written (a queue of 100,000 tasks never sits in memory
    whole: `queues.queue_chunks`)."""

    def rows() -> Iterator[list[object]]:
        for chunk in queues.queue_chunks(session, actor, key=key, chunk=PAGE):
            for r in chunk:
                yield [
                    r.task_id or None,
                    r.due_date,
                    "overdue" if r.overdue else "",
                    r.priority,
                    label(TASK_KINDS, r.kind) if r.kind else "",
                    "Restricted" if r.restricted else r.title,
                    r.case_reference,
                    "" if r.restricted else r.subject_name,
                    r.assignee_name,
                    r.status,
                    r.office_code,
                ]

    kinds: list[CellKind] = ["int", "date", "text", "int", "text", "text", "text", "text"]
    kinds += ["text", "text", "text"]
    return Sheet(title=title, headers=QUEUE_HEADERS, kinds=kinds, rows=rows())


def diary_events(
    session: Session,
    actor: Actor,
    *,
    start: datetime,
    end: datetime,
    staff_id: int | None = None,
    team_id: int | None = None,
    room_id: int | None = None,
    office_id: int | None = None,
) -> list[CalendarEvent]:
    """The diary between `start` and `end` (one member of staff, a team, a room or an office) as
    calendar events: the kind and the case as the summary, the room as the location."""
    rows = diary_views.diary_range(
        session,
        actor,
        start=start,
        end=end,
        staff_id=staff_id,
        team_id=team_id,
        room_id=room_id,
        office_id=office_id,
    )
    host = socket.gethostname() or "caseterm"
    events = []
    for row in rows:
        a = row.appointment
        what = label(APPOINTMENT_KINDS, a.kind)
        who = (
            "Restricted"
            if row.restricted
            else " ".join(p for p in (row.case_reference, row.person_name) if p)
        )
        events.append(
            CalendarEvent(
                uid=f"appointment-{a.id}@{host}",
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                summary=f"{what}: {who}" if who else what,
                location=row.room_name or ("" if row.restricted else a.location),
                description=f"With {row.staff_name}. Status: {a.status.replace('_', ' ')}.",
                cancelled=a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED),
            )
        )
    return events
