"""Review schedules: bring-forward dates, reviews and statutory deadlines on a case (in working
days, bank holidays excluded). When due they raise a "review due" task for the case owner;
completing that task marks the schedule done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseFile, ReviewSchedule, Staff
from caseterm.core.models.vocab import ReviewKind, ReviewStatus, TaskKind
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import audit
from caseterm.core.services.access import ensure_can_see, require_visible
from caseterm.core.services.common import check_version, get
from caseterm.core.services.identity import Actor
from caseterm.core.services.tasks import TASK_FIELDS, insert_task_rows, new_task_row
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


@dataclass(frozen=True)
class RaisedReview:
    """A "review due" task a run raised (the task's fields as written, `id` its id)."""

    id: int
    review_id: int
    kind: str
    title: str
    case_id: int
    assignee_id: int | None
    due_date: date
    source: str


CHUNK = 500  # rows per multi-row statement: well inside SQLite's and PostgreSQL's limits


def raise_due_reviews(
    session: Session, actor: Actor, *, today: date | None = None, limit: int | None = None
) -> list[RaisedReview]:
    """Raise a "review due" task (for the case owner, else the case's team) for every pending
    schedule due on or before `today`, and mark it raised. Idempotent, also when two processes
    run it at once: the schedules are claimed by a conditional UPDATE (pending → raised,
    RETURNING the ids this run changed) before their tasks are made, so a schedule another run
    claimed first is left alone. Written in bulk (thousands after a holiday weekend or an
    import): claims, case facts and tasks a chunk at a time, the audit events in one batch.
    `limit`: at most that many, the earliest due first (the scheduler's batches)."""
    actor.require("task.work")
    day = today or clock.today()
    query = (
        sa_select(
            col(ReviewSchedule.id),
            col(ReviewSchedule.case_id),
            col(ReviewSchedule.kind),
            col(ReviewSchedule.description),
            col(ReviewSchedule.due_date),
        )
        .where(
            col(ReviewSchedule.status) == ReviewStatus.PENDING, col(ReviewSchedule.due_date) <= day
        )
        .order_by(col(ReviewSchedule.due_date), col(ReviewSchedule.id))
    )
    due = session.execute(query if limit is None else query.limit(limit)).all()
    claimed = _claim(session, [r[0] for r in due])
    mine = [r for r in due if r[0] in claimed]
    if not mine:
        return []
    cases = _case_facts(session, sorted({r[1] for r in mine}))
    now = clock.now()
    tasks: list[dict[str, Any]] = []
    for review_id, case_id, kind, description, due_date in mine:
        case = cases[case_id]
        assignee = case.owner_id if case.owner_active else None
        team_id = case.team_id
        if team_id is None:
            team_id = case.owner_team_id if assignee is not None else actor.team_id
        office_id = case.office_id
        if office_id is None:
            office_id = case.owner_office_id if assignee is not None else actor.office_id
        tasks.append(
            new_task_row(
                actor,
                now,
                kind=TaskKind.REVIEW_DUE,
                title=clean_line("title", f"{REVIEW_KINDS.get(kind, kind)}: {description}"),
                case_id=case_id,
                person_id=case.subject_id,
                office_id=office_id,
                team_id=team_id,
                assignee_id=assignee,
                due_date=due_date,
                priority=2 if kind == ReviewKind.STATUTORY else 3,
                source=f"review_schedule:{review_id}",
            )
        )
    ids = insert_task_rows(session, tasks)
    raised: list[RaisedReview] = []
    links: dict[int, int] = {}  # schedule id: its task's id
    events: list[dict[str, Any]] = []
    kind_label = TASK_KINDS.get(TaskKind.REVIEW_DUE, TaskKind.REVIEW_DUE)
    for (review_id, case_id, _kind, description, due_date), task in zip(mine, tasks, strict=True):
        task_id, case = ids[task["source"]], cases[case_id]
        links[review_id] = task_id
        events.append(
            audit.event_row(
                actor,
                "task.create",
                "task",
                task_id,
                case_id=case_id,
                person_id=case.subject_id,
                summary=f"task {task_id} ({kind_label}): {task['title']}",
                after={f: task[f] for f in TASK_FIELDS},
            )
        )
        events.append(
            audit.event_row(
                actor,
                "review.raise",
                "review_schedule",
                review_id,
                case_id=case_id,
                person_id=case.subject_id,
                summary=f"{case.reference}: {description!r} due {due_date:%d/%m/%Y}",
                before={"status": ReviewStatus.PENDING},
                after={"status": ReviewStatus.RAISED, "raised_task_id": task_id},
            )
        )
        raised.append(
            RaisedReview(
                task_id,
                review_id,
                task["kind"],
                task["title"],
                case_id,
                task["assignee_id"],
                due_date,
                task["source"],
            )
        )
    table = ReviewSchedule.__table__  # type: ignore[attr-defined]
    pairs = list(links.items())
    for start in range(0, len(pairs), CHUNK):  # one UPDATE … CASE per chunk, not one per row
        chunk = dict(pairs[start : start + CHUNK])
        session.execute(
            table.update()
            .where(table.c.id.in_(list(chunk)))
            .values(raised_task_id=sql_case(chunk, value=table.c.id))
        )
    for obj in list(session.identity_map.values()):  # what the session holds of them is stale
        if isinstance(obj, ReviewSchedule) and obj.id in claimed:
            session.expire(obj)
    audit.record_many(session, events)
    return raised


def _claim(session: Session, review_ids: list[int]) -> set[int]:
    """Mark the pending schedules raised; the ids this run changed (another run may have
    claimed some first). One UPDATE … RETURNING per CHUNK schedules."""
    claimed: set[int] = set()
    for start in range(0, len(review_ids), CHUNK):
        chunk = review_ids[start : start + CHUNK]
        claimed.update(
            int(i)
            for i in session.execute(
                update(ReviewSchedule)
                .where(
                    col(ReviewSchedule.id).in_(chunk),
                    col(ReviewSchedule.status) == ReviewStatus.PENDING,
                )
                .values(status=ReviewStatus.RAISED, version=col(ReviewSchedule.version) + 1)
                .returning(col(ReviewSchedule.id))
                .execution_options(synchronize_session=False)
            ).scalars()
        )
    return claimed


@dataclass(frozen=True)
class _CaseFacts:
    reference: str
    team_id: int | None
    office_id: int | None
    subject_id: int | None
    owner_id: int | None
    owner_active: bool
    owner_team_id: int | None
    owner_office_id: int | None


def _case_facts(session: Session, case_ids: list[int]) -> dict[int, _CaseFacts]:
    """What raising a review's task needs of its case and owner, a chunk of cases at a time."""
    found: dict[int, _CaseFacts] = {}
    for start in range(0, len(case_ids), CHUNK):
        for row in session.execute(
            sa_select(
                col(CaseFile.id),
                col(CaseFile.reference),
                col(CaseFile.team_id),
                col(CaseFile.office_id),
                col(CaseFile.subject_id),
                col(CaseFile.owner_id),
                col(Staff.active),
                col(Staff.team_id),
                col(Staff.office_id),
            )
            .outerjoin(Staff, col(Staff.id) == col(CaseFile.owner_id))
            .where(col(CaseFile.id).in_(case_ids[start : start + CHUNK]))
        ):
            found[row[0]] = _CaseFacts(
                row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8]
            )
    missing = [i for i in case_ids if i not in found]
    if missing:
        raise NotFoundError("case", missing[0])
    return found
