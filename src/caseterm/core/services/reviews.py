"""Review schedules: bring-forward dates, reviews and statutory deadlines on a case (in working
days, bank holidays excluded). When due they raise a "review due" task for the case owner;
completing that task marks the schedule done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, ReviewSchedule, Task
from caseterm.core.models.vocab import ReviewKind, ReviewStatus, TaskKind
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import check_version, get
from caseterm.core.services.identity import Actor
from caseterm.core.services.raised_tasks import active_owner
from caseterm.core.services.tasks import insert_task
from caseterm.core.text import clean_line

REVIEW_KINDS: dict[str, str] = {
    ReviewKind.REVIEW: "Review",
    ReviewKind.STATUTORY: "Statutory deadline",
    ReviewKind.BRING_FORWARD: "Bring forward",
}
MAX_WORKING_DAYS = 1000
REVIEW_FIELDS = ("case_id", "kind", "description", "due_date", "working_days", "status")


@dataclass(frozen=True)
class ReviewRow:
    """A review schedule as the case screen and the CLI show it (the table's field names)."""

    id: int
    case_id: int
    kind: str
    description: str
    due_date: date
    working_days: int | None
    status: str
    raised_task_id: int | None
    version: int


def _row(r: ReviewSchedule) -> ReviewRow:
    return ReviewRow(
        id=r.id or 0,
        case_id=r.case_id,
        kind=r.kind,
        description=r.description,
        due_date=r.due_date,
        working_days=r.working_days,
        status=r.status,
        raised_task_id=r.raised_task_id,
        version=r.version,
    )


def schedule_review(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    kind: str,
    description: str,
    due_date: date | None = None,
    working_days: int | None = None,
) -> ReviewRow:
    """Schedule a review on a case: on `due_date`, or `working_days` working days from today
    (weekends and England & Wales bank holidays excluded). Give exactly one."""
    actor.require("case.write")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "review")
    if kind not in REVIEW_KINDS:
        raise ValidationError("kind", f"use one of {', '.join(REVIEW_KINDS)}")
    if (due_date is None) == (working_days is None):
        raise ValidationError("due_date", "give either a due date or a number of working days")
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise ValidationError("working_days", f"must be between 1 and {MAX_WORKING_DAYS}")
        due_date = add_working_days(clock.today(), working_days)
    assert due_date is not None
    if due_date < clock.today():
        raise ValidationError("due_date", "is in the past")
    review = ReviewSchedule(
        case_id=case_id,
        kind=kind,
        description=clean_line("description", description),
        due_date=due_date,
        working_days=working_days,
        created_at=clock.now(),
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor,
        "review.schedule",
        "review_schedule",
        review.id,
        case_id=case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: {REVIEW_KINDS[kind].lower()} due {due_date:%d/%m/%Y}",
        after=audit.snapshot(review, REVIEW_FIELDS),
    )
    return _row(review)


def cancel_review(
    session: Session,
    actor: Actor,
    *,
    review_id: int,
    reason: str,
    expected_version: int | None = None,
) -> ReviewRow:
    """Cancel a pending review (no longer needed), giving the reason."""
    actor.require("case.write")
    review = get(session, ReviewSchedule, review_id, "review")
    case = get(session, CaseFile, review.case_id, "case")
    ensure_can_see(session, actor, case, "review")
    check_version(session, review, expected_version, f"review {review_id}")
    if review.status != ReviewStatus.PENDING:
        raise ValidationError("status", f"review {review_id} is {review.status}, not pending")
    why = clean_line("reason", reason)
    review.status = ReviewStatus.CANCELLED
    audit.record(
        session,
        actor,
        "review.cancel",
        "review_schedule",
        review.id,
        case_id=review.case_id,
        person_id=case.subject_id,
        summary=f"{case.reference}: cancelled {review.description!r}: {why}",
        before={"status": ReviewStatus.PENDING},
        after={"status": ReviewStatus.CANCELLED},
    )
    session.flush()
    return _row(review)


def reviews_for_case(session: Session, actor: Actor, case_id: int) -> list[ReviewRow]:
    """A case's review schedules, soonest first (refused for a restricted case, as the case is)."""
    actor.require("case.read")
    require_visible(session, actor, case_id, "reviews")
    found = session.exec(
        select(ReviewSchedule)
        .where(ReviewSchedule.case_id == case_id)
        .order_by(col(ReviewSchedule.due_date), col(ReviewSchedule.id))
    ).all()
    return [_row(r) for r in found]


def raise_due_reviews(session: Session, actor: Actor, *, today: date | None = None) -> list[Task]:
    """Raise a "review due" task (for the case owner, else the case's team) for every pending
    schedule due on or before `today`, and mark it raised. Idempotent, also when two processes
    run it at once: each schedule is claimed by a conditional UPDATE before its task is made."""
    actor.require("task.work")
    day = today or clock.today()
    due = session.exec(
        select(ReviewSchedule)
        .where(ReviewSchedule.status == ReviewStatus.PENDING, col(ReviewSchedule.due_date) <= day)
        .order_by(col(ReviewSchedule.due_date), col(ReviewSchedule.id))
    ).all()
    raised: list[Task] = []
    for review in due:
        claimed = session.execute(
            update(ReviewSchedule)
            .where(
                col(ReviewSchedule.id) == review.id,
                col(ReviewSchedule.status) == ReviewStatus.PENDING,
            )
            .values(status=ReviewStatus.RAISED, version=col(ReviewSchedule.version) + 1)
            .execution_options(synchronize_session=False)
        )
        if int(getattr(claimed, "rowcount", 0) or 0) != 1:
            continue
        case = get(session, CaseFile, review.case_id, "case")
        task = insert_task(
            session,
            actor,
            kind=TaskKind.REVIEW_DUE,
            title=f"{REVIEW_KINDS.get(review.kind, review.kind)}: {review.description}",
            case_id=case.id,
            assignee_id=active_owner(session, case),
            team_id=case.team_id,
            due_date=review.due_date,
            priority=2 if review.kind == ReviewKind.STATUTORY else 3,
            source=f"review_schedule:{review.id}",
        )
        session.refresh(review)
        review.raised_task_id = task.id
        audit.record(
            session,
            actor,
            "review.raise",
            "review_schedule",
            review.id,
            case_id=case.id,
            person_id=case.subject_id,
            summary=f"{case.reference}: {review.description!r} due {review.due_date:%d/%m/%Y}",
            before={"status": ReviewStatus.PENDING},
            after={"status": ReviewStatus.RAISED, "raised_task_id": task.id},
        )
        raised.append(task)
    session.flush()
    return raised
