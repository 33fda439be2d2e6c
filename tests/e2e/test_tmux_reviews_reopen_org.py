"""End to end in a real terminal, on the demo database, as Wendy (a system administrator): on a
case's Tasks section reopen a done task (`z`), on its Diary section schedule a review (`V`) and
cancel it (`Z`), then from the queues open the offices, teams and rooms (`N`) and add an office
(`o`) and a room there (`m`). The database holds each change and its audit event."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from caseterm.core.models import AuditEvent, Office, ReviewSchedule, Room, Task
from caseterm.core.models.vocab import CLOSED_TASK_STATUSES, ReviewStatus, TaskStatus
from caseterm.core.services import reviews, task_lists, tasks
from caseterm.core.services.identity import resolve_actor
from tests.e2e.demo import DemoDb, open_case
from tests.e2e.tmux import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


@pytest.fixture
def demo(wendy_demo: DemoDb) -> DemoDb:
    return wendy_demo


def test_reopen_a_task_schedule_and_cancel_a_review_and_add_an_office(demo: DemoDb) -> None:
    with demo.db.write() as s:  # a task of the case done earlier (by the service)
        me = resolve_actor(s, demo.login)
        first = task_lists.case_tasks(s, me, case_id=demo.case_id)[0]
        tasks.complete_task(s, me, task_id=first.task_id, outcome="rang them", on_behalf=True)
    with demo.db.read() as s:
        listed = task_lists.case_tasks(s, me, case_id=demo.case_id)
    closed = next(i for i, row in enumerate(listed) if row.status in CLOSED_TASK_STATUSES)
    done_id = listed[closed].task_id
    term = Terminal(["--db", str(demo.path)], demo.env, width=120, height=40)
    try:
        open_case(term, demo.reference)
        term.keys("3")
        term.wait_for("Assigned", "Done")  # the Tasks section's table, with its rows
        term.keys(*["Down"] * closed)  # to the first done or cancelled task
        term.keys("z")
        term.wait_for(f"Reopen task {done_id}")
        term.keys("put back by mistake", literal=True)
        term.keys("Enter")
        term.wait_for(f"Reopened task {done_id}")

        term.keys("V")
        term.wait_for(f"Schedule a review on {demo.reference}")
        term.keys("Journey check-in review", literal=True)
        term.keys("Enter")  # to the due date, at once: what is typed next goes there
        term.keys("+5", literal=True)
        term.wait_for("→")  # the due date as read
        term.keys("Enter")
        term.wait_for("Scheduled review", "Reviews and deadlines")
        with demo.db.read() as s:
            mine = s.exec(
                select(ReviewSchedule).where(
                    ReviewSchedule.description == "Journey check-in review"
                )
            ).one()
            order = [r.id for r in reviews.reviews_for_case(s, me, demo.case_id)]
        term.wait_for("Journey check-in review")  # listed in the Diary section
        term.keys("Tab")  # from the appointments to the reviews
        term.keys(*["Down"] * order.index(mine.id or 0))
        term.keys("Z")
        term.wait_for(f"Cancel review {mine.id} (Journey check-in review): why?")
        term.keys("the court set its own date", literal=True)
        term.keys("Enter")
        term.wait_for(f"Cancelled review {mine.id}")

        term.keys("Escape")  # back to the search
        term.wait_for("1 match: enter opens")
        term.keys("Escape")  # and to the queues
        term.wait_for("My work")
        term.keys("N")
        term.wait_for("Offices, teams and rooms", "Preston")
        term.keys("o")
        for question, answer in (
            ("New office: its short code", "kdl"),
            ("Its name", "Kendal"),
            ("Its postal address", ""),
        ):
            term.wait_for(question)
            if answer:
                term.keys(answer, literal=True)
            term.keys("Enter")
        term.wait_for("Added office KDL: Kendal")
        term.keys("m")
        term.wait_for("New room: the code of its office")
        term.keys("KDL", literal=True)
        term.keys("Enter")
        term.wait_for("Its name")
        term.keys("Interview 1", literal=True)
        term.keys("Enter")
        term.wait_for("Added room KDL · Interview 1")
    finally:
        term.close()
    with demo.db.read() as s:
        task = s.get(Task, done_id)
        assert task is not None and task.status == TaskStatus.OPEN
        cancelled = s.get(ReviewSchedule, mine.id)
        assert cancelled is not None and cancelled.status == ReviewStatus.CANCELLED
        assert cancelled.case_id == demo.case_id
        office = s.exec(select(Office).where(Office.code == "KDL")).one()
        assert office.name == "Kendal"
        room = s.exec(select(Room).where(Room.office_id == office.id)).one()
        assert room.name == "Interview 1"
        journal = {
            (e.action, e.entity_id)
            for e in s.exec(
                select(AuditEvent).where(
                    AuditEvent.staff_id == demo.staff_id,
                    col(AuditEvent.action).in_(
                        ["task.reopen", "review.schedule", "review.cancel", "office.create"]
                    ),
                )
            ).all()
        }
    assert {
        ("task.reopen", done_id),
        ("review.schedule", mine.id),
        ("review.cancel", mine.id),
        ("office.create", office.id),
    } <= journal
