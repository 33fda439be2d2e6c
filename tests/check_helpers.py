"""A day's work in the world's team, done through the real services, for the sampled checks."""

from __future__ import annotations

from datetime import date, datetime

from caseterm.core import clock
from caseterm.core.models.vocab import TaskKind
from caseterm.core.services import checks, contacts, staff, tasks
from tests.factories import World

WORK_DAY = date(2026, 11, 20)  # a Friday


def add_checker(w: World) -> None:
    """`chk`, a checker in the world's team (beside the manager)."""
    with w.db.write() as s:
        staff.add_staff(
            s, w.admin, login="chk", name="Cheryl Checker", roles=["checker"], team_code=w.team.code
        )


def day_of_work(w: World, *, tasks_each: int = 10, contacts_each: int = 3) -> None:
    """On WORK_DAY the worker and the other caseworker each complete `tasks_each` tasks and log
    `contacts_each` contact entries on the world's case."""
    before = clock.now()
    clock.freeze(datetime.combine(WORK_DAY, datetime.min.time()).replace(hour=11))
    try:
        for who in (w.worker, w.other):
            for n in range(tasks_each):
                with w.db.write() as s:
                    task = tasks.create_task(
                        s,
                        w.clerk,
                        kind=TaskKind.GENERAL,
                        title=f"Job {n} for {who.login}",
                        case_id=w.case.id,
                        assignee_id=who.id,
                        team_id=w.team.id,
                    )
                    tasks.complete_task(s, who, task_id=task.id or 0, outcome="done")
            for n in range(contacts_each):
                with w.db.write() as s:
                    contacts.log_contact(
                        s,
                        who,
                        case_id=w.case.id or 0,
                        contact_type="phone_out",
                        notes=f"call {n} by {who.login}",
                    )
    finally:
        clock.freeze(before)


def rate(w: World, kind: str, percent: int, staff_login: str | None = None) -> None:
    with w.db.write() as s:
        checks.set_rate(
            s, w.manager, team=w.team.code, work_kind=kind, percent=percent, staff_login=staff_login
        )
