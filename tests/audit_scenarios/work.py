"""The day's work: diary, reception, tasks, triage, reviews, queues, drafts, notifications and
search. (Written by the security work to start the walk; the owners of these modules keep it
up to date as their functions change.)"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from caseterm.core.models import CaseFile, ContactEntry
from caseterm.core.services import (
    cases,
    contacts,
    diary,
    drafts,
    incoming,
    notifications,
    raised_tasks,
    reception,
    reviews,
    saved_queues,
    search,
    tasks,
    triage,
)
from tests.audit_scenarios import NOW, audited, ephemeral, part, reads
from tests.factories import World


def _at(hour: int) -> datetime:
    return datetime.combine(NOW.date(), time(hour))


def _appointment(w: World) -> int:
    """Today 10:00–11:00 with the case owner (NOW is 10:30: started, not arrived)."""
    with w.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            w.clerk,
            staff_id=w.worker.id,
            starts_at=_at(10),
            ends_at=_at(11),
            kind="supervision",
            case_id=w.case.id,
        )
        return appt.id or 0


# --- diary ----------------------------------------------------------------------------------
reads("diary_conflicts", "find_conflicts", "booked_or_attending")
reads(
    "diary_views",
    "case_appointments",
    "diary_page",
    "diary_range",
    "subject_name",
    "upcoming_for_case",
)


@audited("diary", "book_appointment", "diary.book")
def _book(s: Session, w: World, _: Any) -> None:
    diary.book_appointment(
        s,
        w.clerk,
        staff_id=w.worker.id,
        starts_at=_at(14),
        ends_at=_at(15),
        kind="supervision",
        case_id=w.case.id,
    )


@audited("diary", "cancel_appointment", "diary.cancel", _appointment)
def _cancel(s: Session, w: World, appt_id: int) -> None:
    diary.cancel_appointment(s, w.clerk, appointment_id=appt_id, reason="unwell")


@audited("diary", "mark_arrived", "diary.arrived", _appointment)
def _arrived(s: Session, w: World, appt_id: int) -> None:
    diary.mark_arrived(s, w.desk, appointment_id=appt_id)


@audited("diary", "record_outcome", "diary.outcome", _appointment)
def _outcome(s: Session, w: World, appt_id: int) -> None:
    diary.record_outcome(
        s, w.worker, appointment_id=appt_id, outcome="attended_complied", notes="fine"
    )


@audited("diary", "reschedule_appointment", "diary.reschedule", _appointment)
def _reschedule(s: Session, w: World, appt_id: int) -> None:
    diary.reschedule_appointment(
        s, w.clerk, appointment_id=appt_id, starts_at=_at(16), ends_at=_at(17)
    )


# --- reception ------------------------------------------------------------------------------
reads("reception", "desk_search", "expected_today", "not_arrived")


@audited("reception", "check_in", "diary.arrived", _appointment)
def _check_in(s: Session, w: World, appt_id: int) -> None:
    reception.check_in(s, w.desk, appt_id)


@audited("reception", "walk_in", "task.create")
def _walk_in(s: Session, w: World, _: Any) -> None:
    reception.walk_in(s, w.desk, w.office.id or 0, person_id=w.person.id, reason="lost letter")


@audited("reception", "close_session", "diary.outcome", _appointment)
def _close_session(s: Session, w: World, appt_id: int) -> None:
    reception.close_session(s, w.desk, w.office.id or 0, [appt_id])


# --- tasks ----------------------------------------------------------------------------------
reads("task_lists", "case_tasks", "open_tasks_for_case")
reads("raised_tasks", "active_owner")


def _task(w: World) -> int:
    with w.db.write() as s:
        task = tasks.create_task(
            s, w.clerk, kind="general", title="Chase the court", team_id=w.team.id
        )
        return task.id or 0


@audited("tasks", "create_task", "task.create")
def _create(s: Session, w: World, _: Any) -> None:
    tasks.create_task(s, w.clerk, kind="general", title="Chase", case_id=w.case.id)


@audited("incoming", "record_incoming", "task.create")
def _record_incoming(s: Session, w: World, _: Any) -> None:
    incoming.record_incoming(
        s, w.clerk, kind="post_in", summary="Letter from the court", about_name="Ann Smith"
    )


@audited("tasks", "insert_task", "task.create")
def _insert(s: Session, w: World, _: Any) -> None:
    tasks.insert_task(s, None, kind="review_due", title="Review", case_id=w.case.id)


@audited("tasks", "take_task", "task.take", _task)
def _take(s: Session, w: World, task_id: int) -> None:
    tasks.take_task(s, w.worker, task_id)


@audited("tasks", "assign_task", "task.assign", _task)
def _assign_task(s: Session, w: World, task_id: int) -> None:
    tasks.assign_task(s, w.clerk, task_id=task_id, assignee_id=w.other.id)


@audited("tasks", "bring_forward", "task.bring_forward", _task)
def _bring_forward(s: Session, w: World, task_id: int) -> None:
    tasks.bring_forward(s, w.clerk, task_id=task_id, due_date=NOW.date() + timedelta(days=7))


@audited("tasks", "cancel_task", "task.cancel", _task)
def _cancel_task(s: Session, w: World, task_id: int) -> None:
    tasks.cancel_task(s, w.clerk, task_id=task_id, reason="duplicate")


@audited("tasks", "complete_task", "task.complete", _task)
def _complete(s: Session, w: World, task_id: int) -> None:
    tasks.complete_task(s, w.clerk, task_id=task_id, outcome="chased")


def _done_task(w: World) -> int:
    task_id = _task(w)
    with w.db.write() as s:
        tasks.complete_task(s, w.clerk, task_id=task_id)
    return task_id


@audited("tasks", "reopen_task", "task.reopen", _done_task)
def _reopen(s: Session, w: World, task_id: int) -> None:
    tasks.reopen_task(s, w.clerk, task_id=task_id, reason="not done after all")


@audited("tasks", "set_task_priority", "task.priority", _task)
def _task_priority(s: Session, w: World, task_id: int) -> None:
    tasks.set_task_priority(s, w.clerk, task_id=task_id, priority=1)


def _failure(w: World) -> int:
    with w.db.write() as s:
        entry = contacts.log_contact(
            s,
            w.worker,
            case_id=w.case.id or 0,
            contact_type="face_to_face",
            outcome="failed_to_attend",
        )
        return entry.id or 0


@audited("raised_tasks", "raise_fta_follow_up", "task.create", _failure)
def _fta(s: Session, w: World, entry_id: int) -> None:
    case = s.get(CaseFile, w.case.id)
    assert case is not None
    raised_tasks.raise_fta_follow_up(s, w.worker, case=case, entry_id=entry_id)


def _two_failures(w: World) -> None:
    """Two failures to attend written straight into the log (log_contact would already apply
    the breach rule itself)."""
    with w.db.write() as s:
        for hours in (48, 24):
            s.add(
                ContactEntry(
                    case_id=w.case.id or 0,
                    person_id=w.person.id,
                    occurred_at=NOW - timedelta(hours=hours),
                    staff_id=w.worker.id,
                    contact_type="face_to_face",
                    outcome="failed_to_attend",
                )
            )


@audited("raised_tasks", "raise_enforcement_if_due", "task.create", _two_failures)
def _enforcement(s: Session, w: World, _: Any) -> None:
    assert raised_tasks.raise_enforcement_if_due(s, w.worker, w.case.id or 0) is not None


# --- triage ---------------------------------------------------------------------------------
reads("triage", "next_items", "incoming_counts")
reads("triage_suggestions", "load_item")  # writes only access-log rows (log_access)


def _incoming(w: World) -> int:
    with w.db.write() as s:
        task = tasks.create_task(
            s, w.desk, kind="post_in", title="Letter from court", status="untriaged"
        )
        return task.id or 0


@audited("triage", "assign", "triage.assign", _incoming)
def _t_assign(s: Session, w: World, task_id: int) -> None:
    triage.assign(s, w.clerk, task_id, assignee_id=w.worker.id)


@audited("triage", "route", "triage.route", _incoming)
def _t_route(s: Session, w: World, task_id: int) -> None:
    triage.route(s, w.clerk, task_id, kind="court_result", team_id=w.team.id)


@audited("triage", "set_priority", "triage.priority", _incoming)
def _t_priority(s: Session, w: World, task_id: int) -> None:
    triage.set_priority(s, w.clerk, task_id, 1)


@audited("triage", "link", "triage.link", _incoming)
def _t_link(s: Session, w: World, task_id: int) -> None:
    triage.link(s, w.clerk, task_id, case_id=w.case.id)


@audited("triage", "open_case_from", "triage.open_case", _incoming)
def _t_open(s: Session, w: World, task_id: int) -> None:
    triage.open_case_from(s, w.clerk, task_id, case_type="OM", person_id=w.person.id)


@audited("triage", "bring_forward", "triage.bring_forward", _incoming)
def _t_forward(s: Session, w: World, task_id: int) -> None:
    triage.bring_forward(s, w.clerk, task_id, NOW.date() + timedelta(days=3))


@audited("triage", "close_no_action", "triage.close", _incoming)
def _t_close(s: Session, w: World, task_id: int) -> None:
    triage.close_no_action(s, w.clerk, task_id, "junk mail")


def _decision(w: World) -> Any:
    task_id = _incoming(w)
    with w.db.write() as s:
        return triage.assign(s, w.clerk, task_id, assignee_id=w.worker.id)


@audited("triage", "undo", "triage.undo", _decision)
def _t_undo(s: Session, w: World, decision: Any) -> None:
    triage.undo(s, w.clerk, decision)


# --- reviews --------------------------------------------------------------------------------
reads("reviews", "reviews_for_case")


def _review(w: World) -> int:
    with w.db.write() as s:
        review = reviews.schedule_review(
            s,
            w.worker,
            case_id=w.case.id or 0,
            kind="review",
            description="3-month",
            due_date=NOW.date(),
        )
        return review.id or 0


@audited("reviews", "schedule_review", "review.schedule")
def _schedule(s: Session, w: World, _: Any) -> None:
    reviews.schedule_review(
        s, w.worker, case_id=w.case.id or 0, kind="statutory", description="report", working_days=10
    )


@audited("reviews", "cancel_review", "review.cancel", _review)
def _cancel_review(s: Session, w: World, review_id: int) -> None:
    reviews.cancel_review(s, w.worker, review_id=review_id, reason="case closing")


@audited("reviews", "raise_due_reviews", "review.raise", _review)
def _raise(s: Session, w: World, _: Any) -> None:
    assert reviews.raise_due_reviews(s, w.clerk)


# --- queues ---------------------------------------------------------------------------------
reads(
    "queues",
    "list_queues",
    "queue_count",
    "queue_totals",
    "queue_page",
    "queue_chunks",
    "task_rows",
)
reads("queue_paging", "count_arm", "tasks_page", "tasks_stream")


reads(
    "saved_queues",
    "describe_filter",
    "saved_filter",
    "saved_queue",
    "visible_saved_queues",
)


@audited("saved_queues", "save_queue", "queue.save")
def _save_queue(s: Session, w: World, _: Any) -> None:
    saved_queues.save_queue(
        s, w.worker, name="My court work", flt=saved_queues.QueueFilter(kinds=["court_result"])
    )


def _saved_queue(w: World) -> int:
    with w.db.write() as s:
        return saved_queues.save_queue(s, w.worker, name="Mine", flt=saved_queues.QueueFilter()).id


@audited("saved_queues", "delete_queue", "queue.delete", _saved_queue)
def _delete_queue(s: Session, w: World, queue_id: int) -> None:
    saved_queues.delete_queue(s, w.worker, queue_id)


# --- drafts, notifications, search ----------------------------------------------------------
reads("drafts", "find_draft", "case_drafts")
WHY_DRAFT = "a person's own unsaved typing, not a record (the saved record is audited)"


@ephemeral("drafts", "save_draft", {"draft"}, WHY_DRAFT)
def _save_draft(s: Session, w: World, _: Any) -> None:
    drafts.save_draft(
        s, w.worker, kind="contact_entry", key=str(w.case.id), data={"notes": "half typed"}
    )


def _draft(w: World) -> None:
    with w.db.write() as s:
        _save_draft(s, w, None)


@ephemeral("drafts", "discard_draft", {"draft"}, WHY_DRAFT, _draft)
def _discard(s: Session, w: World, _: Any) -> None:
    assert drafts.discard_draft(s, w.worker, kind="contact_entry", key=str(w.case.id))


reads("notifications", "unread_for")
part(
    "notifications",
    "notify",
    "addresses a notice inside the audited action that causes it (e.g. a check-in)",
)


def _notified(w: World) -> int:
    with w.db.write() as s:
        return notifications.notify(
            s, recipient_id=w.worker.id, kind="arrival", text="Your 10:00 is here"
        ).id


@ephemeral("notifications", "mark_read", {"notification"}, "a person's own inbox state", _notified)
def _mark_read(s: Session, w: World, note_id: int) -> None:
    assert notifications.mark_read(s, w.worker, ids=[note_id]) == 1


reads("search", "find_people", "parse_reference")
reads(
    "search_names", "best_per_person", "matched_name", "name_candidates", "name_order",
    "names_of",
)  # fmt: skip


def _restricted(w: World) -> str:
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.other.id or 0])
    return w.case.reference


@ephemeral("search", "search", {"access_log"}, "logs refused hits on restricted cases", _restricted)
def _search(s: Session, w: World, reference: str) -> None:
    hits = search.search(s, w.manager, text=reference, log_refusals=True)
    assert hits and all(h.restricted for h in hits if h.case_id == w.case.id)


# --- documents ---------------------------------------------------------------------------
# (letters and templates: tests/audit_scenarios/letters.py)
reads("documents", "list_documents")
part(
    "tasks",
    "new_task_row",
    "a row for the schedulers' multi-row INSERT (they audit it)",
)
part("tasks", "insert_task_rows", "the schedulers' multi-row INSERT of tasks (they audit it)")
