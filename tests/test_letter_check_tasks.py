"""A check-request task that names a letter (`document:ID` in its source, as the demo's "Check
letter before issue" tasks do) is completed by the checker's decision on that letter: approved,
or rejected with its reason; a check-request naming another letter stays open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import select

from caseterm.core.models import AuditEvent, Task
from caseterm.core.services import letter_approval, letters, tasks
from tests.factories import World
from tests.letter_helpers import submitted


@pytest.fixture
def w(world: World, frozen_clock: datetime) -> Iterator[World]:
    yield world


def _check_task(w: World, doc_id: int) -> int:
    with w.db.write() as s:
        made = tasks.create_task(
            s,
            w.clerk,
            kind="check_request",
            title="Check letter before issue",
            case_id=w.case.id,
            assignee_id=w.manager.id,
            source=f"document:{doc_id}",
        )
    return made.id or 0


def _task(w: World, task_id: int) -> Task:
    with w.db.read() as s:
        return s.exec(select(Task).where(Task.id == task_id)).one()


def test_approving_or_rejecting_a_letter_completes_the_check_naming_it(w: World) -> None:
    first = submitted(w)
    with w.db.write() as s:
        second = letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT").id
        letters.submit_letter(s, w.clerk, document_id=second)
    check_first, check_second = _check_task(w, first), _check_task(w, second)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=first)
    done, waiting = _task(w, check_first), _task(w, check_second)
    assert (done.status, done.outcome) == ("done", f"letter #{first} approved")
    assert done.completed_by_id == w.manager.id
    assert waiting.status == "open"
    with w.db.write() as s:
        letter_approval.reject_letter(s, w.manager, document_id=second, reason="wrong date")
    rejected = _task(w, check_second)
    assert (rejected.status, rejected.outcome) == ("done", f"letter #{second} rejected: wrong date")
    with w.db.read() as s:
        journal = s.exec(
            select(AuditEvent.action).where(
                AuditEvent.entity == "task", AuditEvent.entity_id == check_first
            )
        ).all()
    assert "task.complete" in journal
