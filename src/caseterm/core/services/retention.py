"""Retention: anonymising closed cases once their case type's period has passed, and then the
people no live case names (for the data-protection roles: `data.protection`).

A case closed (or archived) more than `case_type.retention_years` ago is due. Running
retention anonymises each due case — free text blanked (case summary and reasons, contact notes,
appointment notes, task details, document bodies, party notes, payment references,
notifications) — and archives it. Its subject is anonymised too once every case naming them is
anonymised: names become "Anonymised", date of birth and other details cleared, aliases,
identifiers, contact details and warnings deleted. Audit events about those cases and people
keep who, when, what and which fields changed, but their summaries and values are redacted: this
is the one place caseterm changes audit rows, because a journal that still holds the names would
defeat the anonymisation. Each anonymised case and person gets its own audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.models import (
    Appointment,
    AuditEvent,
    CaseFile,
    CaseParty,
    CaseType,
    ContactEntry,
    Document,
    Notification,
    Payment,
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonVerification,
    PersonWarning,
    ReviewSchedule,
    Task,
)
from caseterm.core.models.case_lifecycle import (
    CaseClosure,
    CaseTransfer,
    ClosureStep,
    FileLocation,
)
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.services import audit
from caseterm.core.services.common import get, touch
from caseterm.core.services.history import task_events
from caseterm.core.services.identity import Actor
from caseterm.core.services.people import name_row

ANONYMISED = "Anonymised"
REDACTED = "[redacted under retention]"
BLANKED_TITLE = "(anonymised)"
CASE_DONE_ACTION = "retention.anonymise"
PERSON_DONE_ACTION = "person.anonymise"


@dataclass(frozen=True)
class DueCase:
    case_id: int
    reference: str
    case_type: str
    closed_on: date
    due_on: date
    subject_id: int


@dataclass
class RetentionReport:
    dry_run: bool
    cases: list[DueCase] = field(default_factory=list)
    people_anonymised: list[int] = field(default_factory=list)
    people_kept: dict[int, str] = field(default_factory=dict)  # person id → why
    rows: dict[str, int] = field(default_factory=dict)  # table → rows changed or deleted


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _done(session: Session, entity: str, action: str) -> set[int]:
    rows = session.exec(
        select(AuditEvent.entity_id).where(AuditEvent.entity == entity, AuditEvent.action == action)
    ).all()
    return {r for r in rows if r is not None}


def _retention_due(session: Session, actor: Actor, *, today: date | None = None) -> list[DueCase]:
    """Closed or archived cases past their case type's retention period, not yet anonymised."""
    actor.require("data.protection")
    today = today or clock.today()
    done = _done(session, "case", CASE_DONE_ACTION)
    rows = session.exec(
        select(CaseFile, CaseType)
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .where(col(CaseFile.status).in_((CaseStatus.CLOSED, CaseStatus.ARCHIVED)))
        .where(col(CaseFile.closed_on).is_not(None))
        .order_by(col(CaseFile.closed_on), col(CaseFile.id))
    ).all()
    due = []
    for case, ctype in rows:
        assert case.closed_on is not None and case.id is not None
        due_on = _add_years(case.closed_on, ctype.retention_years)
        if due_on <= today and case.id not in done:
            due.append(
                DueCase(
                    case.id, case.reference, ctype.name, case.closed_on, due_on, case.subject_id
                )
            )
    return due


def _count(report: RetentionReport, table: str, n: int) -> None:
    if n:
        report.rows[table] = report.rows.get(table, 0) + n


def _bulk(session: Session, report: RetentionReport, stmt: Any, table: str) -> None:
    result = session.execute(stmt)
    _count(report, table, int(getattr(result, "rowcount", 0) or 0))


def _redact(text: str) -> str:
    if not text:
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return json.dumps({"(value)": REDACTED})
    if isinstance(data, dict):
        return json.dumps({k: REDACTED for k in data})
    return json.dumps(REDACTED)


def _redact_events(session: Session, report: RetentionReport, where: Any) -> None:
    for event in session.exec(select(AuditEvent).where(where)).all():
        if event.action in (CASE_DONE_ACTION, PERSON_DONE_ACTION) or event.summary == REDACTED:
            continue
        event.summary = REDACTED
        event.before, event.after = _redact(event.before), _redact(event.after)
        _count(report, "audit_event (redacted)", 1)


def _lifecycle_free_text(cid: int) -> list[tuple[Any, str]]:
    """Free text of the case lifecycle (issue 12): closure notes, transfer reasons, where the
    paper file is."""
    closures = select(CaseClosure.id).where(col(CaseClosure.case_id) == cid)
    return [
        (
            update(CaseClosure).where(col(CaseClosure.case_id) == cid).values(note=""),
            "case_closure",
        ),
        (
            update(ClosureStep).where(col(ClosureStep.closure_id).in_(closures)).values(note=""),
            "closure_step",
        ),
        (
            update(CaseTransfer)
            .where(col(CaseTransfer.case_id) == cid)
            .values(reason=BLANKED_TITLE, return_reason=""),
            "case_transfer",
        ),
        (
            update(FileLocation).where(col(FileLocation.case_id) == cid).values(note=""),
            "file_location",
        ),
    ]


def _anonymise_case(session: Session, actor: Actor, item: DueCase, report: RetentionReport) -> None:
    cid = item.case_id
    case = get(session, CaseFile, cid, "case")
    case.summary = ""
    case.status_reason = "anonymised under retention"
    case.status = CaseStatus.ARCHIVED
    touch(case, actor.id)
    _count(report, "case_file", 1)
    by_case = [
        (
            update(ContactEntry).where(col(ContactEntry.case_id) == cid).values(notes=""),
            "contact_entry",
        ),
        (
            update(Appointment).where(col(Appointment.case_id) == cid).values(notes=""),
            "appointment",
        ),
        (
            update(Task)
            .where(col(Task.case_id) == cid)
            .values(
                title=BLANKED_TITLE,
                details="",
                source="",
                outcome="",
                about_name="",
                about_dob=None,
            ),
            "task",
        ),
        (
            update(Document)
            .where(col(Document.case_id) == cid)
            .values(title=BLANKED_TITLE, body=""),
            "document",
        ),
        (update(CaseParty).where(col(CaseParty.case_id) == cid).values(notes=""), "case_party"),
        (update(Payment).where(col(Payment.case_id) == cid).values(reference=""), "payment"),
        (
            update(ReviewSchedule)
            .where(col(ReviewSchedule.case_id) == cid)
            .values(description=BLANKED_TITLE),
            "review_schedule",
        ),
        (
            update(Notification).where(col(Notification.case_id) == cid).values(text=BLANKED_TITLE),
            "notification",
        ),
        *_lifecycle_free_text(cid),
    ]
    for stmt, table in by_case:
        _bulk(session, report, stmt.execution_options(synchronize_session=False), table)
    _redact_events(
        session,
        report,
        or_(col(AuditEvent.case_id) == cid, task_events(col(Task.case_id) == cid)),
    )
    session.flush()
    audit.record(
        session,
        actor,
        CASE_DONE_ACTION,
        "case",
        cid,
        case_id=cid,
        summary=f"{item.reference}: anonymised under retention (closed {item.closed_on:%d/%m/%Y}, "
        f"due {item.due_on:%d/%m/%Y})",
    )


def _anonymise_person(
    session: Session, actor: Actor, person_id: int, report: RetentionReport
) -> None:
    person = get(session, Person, person_id, "person")
    person.given_name = person.family_name = ANONYMISED
    person.title = person.gender = ""
    person.date_of_birth = person.date_of_death = None
    person.interpreter = False
    person.anonymised = True
    touch(person, actor.id)
    _count(report, "person", 1)
    pid = col(PersonName.person_id) == person_id
    _bulk(
        session,
        report,
        delete(PersonName).where(pid, col(PersonName.kind) != "primary"),
        "person_name",
    )
    fresh = name_row(person_id, "primary", ANONYMISED, ANONYMISED)
    _bulk(
        session,
        report,
        update(PersonName)
        .where(pid)
        .values(given_name=ANONYMISED, family_name=ANONYMISED, folded=fresh.folded, sound="")
        .execution_options(synchronize_session=False),
        "person_name",
    )
    for model in (PersonIdentifier, PersonContact, PersonWarning, PersonVerification):
        _bulk(
            session,
            report,
            delete(model).where(col(model.person_id) == person_id),
            str(model.__tablename__),
        )
    # Every case naming the person is anonymised by now (with its contact log, diary, tasks and
    # events); what is left is what hangs on the person alone.
    for stmt, table in (
        (
            update(Appointment)
            .where(col(Appointment.person_id) == person_id, col(Appointment.case_id).is_(None))
            .values(notes=""),
            "appointment",
        ),
        (
            update(Task)
            .where(col(Task.person_id) == person_id, col(Task.case_id).is_(None))
            .values(
                title=BLANKED_TITLE,
                details="",
                source="",
                outcome="",
                about_name="",
                about_dob=None,
            ),
            "task",
        ),
    ):
        _bulk(session, report, stmt.execution_options(synchronize_session=False), table)
    _redact_events(
        session,
        report,
        or_(col(AuditEvent.person_id) == person_id, task_events(col(Task.person_id) == person_id)),
    )
    session.flush()
    audit.record(
        session,
        actor,
        PERSON_DONE_ACTION,
        "person",
        person_id,
        person_id=person_id,
        summary=f"person #{person_id} anonymised under retention",
    )


def _people_to_anonymise(
    session: Session, due: list[DueCase], report: RetentionReport
) -> list[int]:
    """Subjects of due cases whose every case (as subject or party) is anonymised by now."""
    done = _done(session, "case", CASE_DONE_ACTION) | {d.case_id for d in due}
    people_done = _done(session, "person", PERSON_DONE_ACTION)
    result = []
    for pid in sorted({d.subject_id for d in due} - people_done):
        named = set(
            session.exec(select(CaseFile.id).where(CaseFile.subject_id == pid)).all()
        ) | set(session.exec(select(CaseParty.case_id).where(CaseParty.person_id == pid)).all())
        live = sorted(c for c in named if c is not None and c not in done)
        if live:
            refs = session.exec(select(CaseFile.reference).where(col(CaseFile.id).in_(live))).all()
            report.people_kept[pid] = f"still named on {', '.join(refs)}"
        else:
            result.append(pid)
    return result


def run_retention(
    session: Session, actor: Actor, *, dry_run: bool = False, today: date | None = None
) -> RetentionReport:
    """Anonymise every case past its retention period, and the people left with no live case;
    returns what was done. With `dry_run`, the same work runs in a savepoint that is rolled back,
    so the report shows exactly what a real run would change."""
    actor.require("data.protection")
    report = RetentionReport(dry_run=dry_run)
    report.cases = _retention_due(session, actor, today=today)
    if not report.cases:
        return report
    if session.get_bind().dialect.name == "sqlite":
        # Overwrite what is deleted or changed, rather than leave it in free space in the file.
        session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
    nested = session.begin_nested()
    people = _people_to_anonymise(session, report.cases, report)
    for item in report.cases:
        _anonymise_case(session, actor, item, report)
    for pid in people:
        _anonymise_person(session, actor, pid, report)
    report.people_anonymised = people
    if dry_run:
        nested.rollback()
    else:
        nested.commit()
    return report
