"""A closed or archived case refuses new appointments and new tasks in one clear line (issue 12,
like the contact log's confirmation); nothing is written. Incoming items about it are still
recorded, and a reopened case takes both again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, Task
from caseterm.core.services import case_closure, tasks
from tests.factories import World, book

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _close(w: World) -> None:
    with w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="no_further_action")
        for step in ("appointments_cancelled", "tasks_closed"):
            case_closure.tick_step(s, w.clerk, case_id=w.case.id or 0, step=step)
        case_closure.close_case(s, w.clerk, case_id=w.case.id or 0)


def _counts(w: World) -> tuple[int, int]:
    with w.db.read() as s:
        appts = s.exec(select(func.count()).select_from(Appointment)).one()
        open_tasks = s.exec(
            select(func.count()).select_from(Task).where(Task.case_id == w.case.id)
        ).one()
    return appts, open_tasks


def _tomorrow_ten() -> datetime:
    return datetime.combine(clock.today() + timedelta(days=1), datetime.min.time()).replace(hour=10)


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_closed_or_archived_case_refuses_booking_and_tasks(world: World, status: str) -> None:
    w = world
    _close(w)
    if status == "archived":
        with w.db.write() as s:
            case = s.get(CaseFile, w.case.id)
            assert case is not None
            case.status = "archived"
    before = _counts(w)
    with pytest.raises(ValidationError) as err:
        book(w, _tomorrow_ten())
    assert err.value.field == "case"
    assert f"is {status}" in str(err.value) and "book an appointment" in str(err.value)
    assert "caseterm case reopen" in str(err.value)
    with pytest.raises(ValidationError, match="add a task") as err, w.db.write() as s:
        tasks.create_task(s, w.worker, kind="general", title="Ring back", case_id=w.case.id)
    assert err.value.field == "case"
    assert _counts(w) == before


def test_post_about_a_closed_case_is_still_recorded(world: World) -> None:
    w = world
    _close(w)
    with w.db.write() as s:
        task = tasks.create_task(
            s, w.clerk, kind="post_in", title="Letter from solicitor", case_id=w.case.id
        )
    assert task.case_id == w.case.id


def test_a_reopened_case_takes_appointments_and_tasks_again(world: World) -> None:
    w = world
    _close(w)
    with w.db.write() as s:
        case_closure.reopen_case(s, w.clerk, case_id=w.case.id or 0, reason="new order")
    appt = book(w, _tomorrow_ten())
    with w.db.write() as s:
        task = tasks.create_task(s, w.worker, kind="general", title="Ring back", case_id=w.case.id)
    assert appt.case_id == task.case_id == w.case.id
