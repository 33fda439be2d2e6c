"""Warnings on a person over time: cleared with a reason (the row stays, as history), and
reviews that have come due raising one task each.

A warning is added by `people.add_warning` (kind, reason, desk text, review date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, Person, PersonWarning
from caseterm.core.models.vocab import CaseStatus, TaskKind
from caseterm.core.rules.catalogue import WARNING_KINDS, label
from caseterm.core.rules.person_records import (
    WARNING_REVIEW_DUE_WORKING_DAYS,
    WARNING_REVIEW_PRIORITY,
)
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.common import check_version, staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.services.people import live
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_line

REVIEW_SOURCE = "person_warning:"  # Task.source of a review task: the warning


@dataclass(frozen=True)
class WarningRow:
    id: int
    kind: str
    kind_label: str
    text: str
    desk_text: str
    review_on: date | None
    added_at: datetime
    added_by: str
    active: bool
    cleared_at: datetime | None
    cleared_by: str
    clear_reason: str
    version: int


def warning_rows(session: Session, person_id: int) -> list[WarningRow]:
    """Every warning of a person, active first, then cleared ones (history), newest first."""
    rows = session.exec(
        select(PersonWarning)
        .where(PersonWarning.person_id == person_id)
        .order_by(col(PersonWarning.active).desc(), col(PersonWarning.id).desc())
    ).all()
    return [
        WarningRow(
            id=w.id or 0,
            kind=w.kind,
            kind_label=label(WARNING_KINDS, w.kind),
            text=w.text,
            desk_text=w.desk_text,
            review_on=w.review_on,
            added_at=w.created_at,
            added_by=staff_name(session, w.created_by_id),
            active=w.active,
            cleared_at=w.cleared_at,
            cleared_by=staff_name(session, w.cleared_by_id) if w.cleared_by_id else "",
            clear_reason=w.clear_reason,
            version=w.version,
        )
        for w in rows
    ]


def clear_warning(
    session: Session,
    actor: Actor,
    *,
    warning_id: int,
    reason: str,
    expected_version: int | None = None,
) -> WarningRow:
    """A warning no longer applies: cleared with a reason, by whom and when; the row stays."""
    actor.require("person.write")
    warning = session.get(PersonWarning, warning_id)
    if warning is None:
        raise NotFoundError("warning", warning_id)
    live(session, warning.person_id)
    check_version(session, warning, expected_version, "the warning")
    if not warning.active:
        raise ValidationError("warning", f"warning {warning_id} was already cleared")
    reason = clean_line("reason", reason, limit=300)
    warning.active = False
    warning.cleared_at, warning.cleared_by_id, warning.clear_reason = clock.now(), actor.id, reason
    session.add(warning)
    session.flush()
    audit.record(
        session,
        actor,
        "person.warning.clear",
        "person",
        warning.person_id,
        person_id=warning.person_id,
        summary=f"cleared {label(WARNING_KINDS, warning.kind)}: {reason}",
        before={"active": True},
        after={"active": False, "clear_reason": reason},
    )
    return next(r for r in warning_rows(session, warning.person_id) if r.id == warning_id)


@dataclass(frozen=True)
class ReviewsRaised:
    task_ids: list[int]
    checked: int


def _review_due(today: date) -> Any:
    """Active warnings whose review date has come and has raised no task yet."""
    return and_(
        col(PersonWarning.active).is_(True),
        col(PersonWarning.review_on).is_not(None),
        col(PersonWarning.review_on) <= today,
        or_(
            col(PersonWarning.review_raised_on).is_(None),
            col(PersonWarning.review_raised_on) != col(PersonWarning.review_on),
        ),
    )


def warning_reviews_due(session: Session, *, today: date) -> int:
    """How many warnings' reviews are due and not raised (`raise_warning_reviews` would raise)."""
    return int(
        session.execute(
            sa_select(func.count()).select_from(PersonWarning).where(_review_due(today))
        ).scalar()
        or 0
    )


def raise_warning_reviews(
    session: Session, actor: Actor | None, *, limit: int | None = None
) -> ReviewsRaised:
    """For every active warning whose review date has come, one review task (for the owner of
    the person's newest open case, else unassigned). Idempotent: the warning keeps the review
    date it raised a task for, claimed by a conditional UPDATE, so running it twice, or in two
    processes at once, raises each review once. A new review date raises again. `limit`: at
    most that many (the scheduler's batches)."""
    if actor is not None:
        actor.require("person.read")
    today = clock.today()
    checked = session.execute(
        sa_select(func.count())
        .select_from(PersonWarning)
        .where(
            col(PersonWarning.active).is_(True),
            col(PersonWarning.review_on).is_not(None),
            col(PersonWarning.review_on) <= today,
        )
    ).scalar()
    query = select(PersonWarning).where(_review_due(today)).order_by(col(PersonWarning.id))
    due = session.exec(query if limit is None else query.limit(limit)).all()
    raised: list[int] = []
    for warning in due:
        claimed = session.execute(
            update(PersonWarning)
            .where(
                col(PersonWarning.id) == warning.id,
                (col(PersonWarning.review_raised_on).is_(None))
                | (col(PersonWarning.review_raised_on) != warning.review_on),
            )
            .values(review_raised_on=warning.review_on)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            continue
        person = session.get(Person, warning.person_id)
        case = session.exec(
            select(CaseFile)
            .where(
                CaseFile.subject_id == warning.person_id,
                col(CaseFile.status).in_([CaseStatus.OPEN, CaseStatus.REFERRAL]),
            )
            .order_by(col(CaseFile.id).desc())
        ).first()
        name = person.full_name if person else f"person {warning.person_id}"
        task = insert_task(
            session,
            actor,
            kind=TaskKind.WARNING_REVIEW,
            title=f"Review warning: {label(WARNING_KINDS, warning.kind)} ({name})",
            case_id=case.id if case else None,
            person_id=warning.person_id,
            assignee_id=active_owner(session, case) if case else None,
            team_id=case.team_id if case else None,
            due_date=add_working_days(today, WARNING_REVIEW_DUE_WORKING_DAYS),
            priority=WARNING_REVIEW_PRIORITY,
            details=f"Review due {warning.review_on:%d/%m/%Y}: {warning.text}",
            source=f"{REVIEW_SOURCE}{warning.id}",
        )
        assert task.id is not None
        raised.append(task.id)
    return ReviewsRaised(raised, int(checked or 0))
