"""Casework events on a case's timeline (a recall, a tribunal application, a breach referral):
recording one stops the clocks it stops (met, or late by so many working days), starts the
clocks its rules start, raises anything already due, and proposes the rule's stock letter as a
"letter to issue" task (until the letters work renders them). A person can also close a clock
by hand: met on a date, or waived with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseClock, CaseEvent, CaseFile, CaseType, Staff
from caseterm.core.models.vocab import ClockStatus, TaskKind
from caseterm.core.rules import clocks as rules
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.clock_rules import rules_for_event, work_calendar
from caseterm.core.services.clock_scheduler import raise_clock_task
from caseterm.core.services.common import check_version, get
from caseterm.core.services.event_documents import EventDocumentRef, documents_by_event
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_line, clean_notes

MAX_FUTURE_DAYS = 366  # a hearing or a requirement start may be booked up to a year ahead


@dataclass(frozen=True)
class EventRow:
    id: int
    case_id: int
    kind: str
    label: str
    event_date: date
    details: str
    recorded_by: str
    recorded_at: object
    documents: tuple[EventDocumentRef, ...] = ()  # the documents that evidence it


@dataclass(frozen=True)
class Recorded:
    event_id: int
    started: tuple[int, ...]  # clock ids
    stopped: tuple[int, ...]
    task_ids: tuple[int, ...]  # raised now: letters proposed, deadlines already due


def _case_type(session: Session, case: CaseFile) -> str:
    found = session.get(CaseType, case.case_type_id)
    return found.code if found is not None else ""


def _close(c: CaseClock, on: date, late_by: int, reason: str = "") -> None:
    if reason:
        c.status = ClockStatus.WAIVED
        c.reason = reason
    elif late_by > 0:
        c.status = ClockStatus.LATE
        c.late_by = late_by
    else:
        c.status = ClockStatus.MET
    c.stopped_on = on


def record_event(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    event_date: date,
    details: str = "",
) -> Recorded:
    """Record a casework event on a case and apply its clock rules."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "event")
    case_type = _case_type(session, case)
    kinds = rules.event_kinds(case_type)
    if kind not in kinds:
        if not kinds:
            raise ValidationError("event", f"{case_type} cases record no casework events")
        raise ValidationError(
            "event", f"{kind!r} is not an event of {case_type}; use one of {', '.join(kinds)}"
        )
    label, may_be_future = kinds[kind]
    today = clock.today()
    if event_date > today and not may_be_future:
        raise ValidationError(
            "date", f"{label} on {event_date:%d/%m/%Y} is in the future; record it once it happens"
        )
    if event_date > today + timedelta(days=MAX_FUTURE_DAYS):
        raise ValidationError("date", "is more than a year ahead")
    if event_date.year < 1900:
        raise ValidationError("date", "is before 1900")
    text = clean_notes("details", details, limit=2000)
    event = CaseEvent(
        case_id=case_id,
        kind=kind,
        event_date=event_date,
        details=text,
        recorded_by_id=actor.id,
        recorded_at=clock.now(),
    )
    session.add(event)
    session.flush()
    cal = work_calendar(session)
    running = session.exec(
        select(CaseClock).where(
            CaseClock.case_id == case_id, CaseClock.status == ClockStatus.RUNNING
        )
    ).all()
    stopped: list[int] = []
    new_rules = rules_for_event(session, case_type, kind)
    restarting = {r.clock for r in new_rules}
    for c in running:
        if kind in c.stopped_by.split(",") or c.clock in restarting:
            late = max(0, cal.working_days_between(c.due_date, event_date))
            _close(c, event_date, late)
            session.add(c)
            stopped.append(c.id or 0)
    started: list[CaseClock] = []
    for rule in new_rules:
        due = rules.clock_end(event_date, rule.period, rule.unit, rule.roll_forward, cal)
        started.append(
            CaseClock(
                case_id=case_id,
                event_id=event.id,
                clock=rule.clock,
                label=rule.label,
                started_on=event_date,
                due_date=due,
                warn_date=rules.warning_day(due, rule.warn_working_days, cal),
                task_kind=rule.task_kind,
                team_code=rule.team_code,
                priority=rule.priority,
                stopped_by=",".join(rule.stopped_by),
                letter_template=rule.letter_template,
            )
        )
    session.add_all(started)
    session.flush()
    task_ids: list[int] = []
    for rule in new_rules:
        if rule.letter:
            # Imported here: listing a case's events (`case show`) needs no letter templates.
            from caseterm.core.services.letter_tasks import template_for_letter

            code = template_for_letter(session, case_type, rule.letter)
            task = insert_task(
                session,
                actor,
                kind=TaskKind.LETTER_TO_ISSUE,
                title=f"Send letter: {rule.letter}",
                case_id=case_id,
                assignee_id=active_owner(session, case),
                team_id=case.team_id,
                due_date=cal.add_working_days(max(event_date, today), 2),
                priority=rule.priority,
                source=f"case_event:{event.id}" + (f" letter:{code}" if code else ""),
            )
            task_ids.append(task.id or 0)
    for c in started:
        if (c.warn_date is not None and c.warn_date <= today) or c.due_date <= today:
            raised = raise_clock_task(session, actor, case_clock=c, day=today, cal=cal)
            if raised is not None and raised.task_id is not None:
                task_ids.append(raised.task_id)
    audit.record(
        session,
        actor,
        "case_event.record",
        "case_event",
        event.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {label} on {event_date:%d/%m/%Y}"
        + (f"; started {', '.join(c.label for c in started)}" if started else "")
        + (f"; stopped {len(stopped)} clock(s)" if stopped else ""),
        after={
            "kind": kind,
            "event_date": event_date.isoformat(),
            "details": text,
            "started": [c.id for c in started],
            "stopped": stopped,
        },
    )
    return Recorded(
        event_id=event.id or 0,
        started=tuple(c.id or 0 for c in started),
        stopped=tuple(stopped),
        task_ids=tuple(task_ids),
    )


def list_events(
    session: Session, actor: Actor, *, case_id: int, kind: str | None = None
) -> list[EventRow]:
    """A case's timeline, newest first (one kind only when `kind` is given)."""
    actor.require("case.read")
    case = require_visible(session, actor, case_id, "events")
    case_type = _case_type(session, case)
    query = (
        select(CaseEvent, Staff.name)
        .join(Staff, col(Staff.id) == col(CaseEvent.recorded_by_id), isouter=True)
        .where(CaseEvent.case_id == case_id)
        .order_by(col(CaseEvent.event_date).desc(), col(CaseEvent.id).desc())
    )
    if kind:
        query = query.where(CaseEvent.kind == kind)
    found = session.exec(query).all()
    linked = documents_by_event(session, (e.id or 0 for e, _ in found))
    return [
        EventRow(
            id=e.id or 0,
            case_id=e.case_id,
            kind=e.kind,
            label=rules.event_label(case_type, e.kind),
            event_date=e.event_date,
            details=e.details,
            recorded_by=name or "",
            recorded_at=e.recorded_at,
            documents=linked.get(e.id or 0, ()),
        )
        for e, name in found
    ]


def close_clock(
    session: Session,
    actor: Actor,
    *,
    clock_id: int,
    on: date | None = None,
    waive_reason: str = "",
    expected_version: int | None = None,
) -> str:
    """Stop a running clock by hand: met on `on` (late if after its end, by so many working
    days), or waived with a reason. Returns the status it ends in."""
    actor.require("case.write")
    c = get(session, CaseClock, clock_id, "clock")
    case = get(session, CaseFile, c.case_id, "case")
    ensure_can_see(session, actor, case, "clock")
    check_version(session, c, expected_version, f"clock {clock_id}")
    if c.status != ClockStatus.RUNNING:
        raise ValidationError("clock", f"clock {clock_id} is {c.status}, not running")
    day = on or clock.today()
    if day > clock.today():
        raise ValidationError("date", "a clock cannot be met in the future")
    if day < c.started_on:
        raise ValidationError("date", f"is before the clock started ({c.started_on:%d/%m/%Y})")
    reason = clean_line("reason", waive_reason, required=False, limit=300)
    late = 0 if reason else max(0, work_calendar(session).working_days_between(c.due_date, day))
    _close(c, day, late, reason)
    session.add(c)
    session.flush()
    audit.record(
        session,
        actor,
        "clock.close",
        "case_clock",
        c.id,
        case_id=case.id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {c.label} {c.status}"
        + (f" by {late} working days" if late else "")
        + (f": {reason}" if reason else ""),
        before={"status": ClockStatus.RUNNING},
        after={
            "status": c.status,
            "stopped_on": day.isoformat(),
            "late_by": c.late_by,
            "reason": reason,
        },
    )
    return c.status
