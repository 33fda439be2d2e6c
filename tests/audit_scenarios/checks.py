"""Sampled cross-checking: rates, the daily draw, pass and fail, accuracy."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import check_outcomes, checks
from tests.audit_scenarios import audited, reads
from tests.check_helpers import WORK_DAY, add_checker, day_of_work, rate
from tests.factories import World

reads("checks", "list_rates")
reads("check_outcomes", "checks_awaiting", "show_check", "accuracy")


def _work(w: World) -> None:
    add_checker(w)
    day_of_work(w, tasks_each=2, contacts_each=0)
    rate(w, "task", 100)


def _drawn(w: World) -> int:
    _work(w)
    with w.db.write() as s:
        checks.draw_checks(s, w.manager, day=WORK_DAY)
    with w.db.read() as s:
        return check_outcomes.checks_awaiting(s, w.actor("chk"))[0].id


@audited("checks", "set_rate", "check.rate_set")
def _set_rate(s: Session, w: World, _: Any) -> None:
    checks.set_rate(s, w.manager, team=w.team.code, work_kind="task", percent=10)


@audited("checks", "draw_checks", "check.drawn", _work)
def _draw(s: Session, w: World, _: Any) -> None:
    checks.draw_checks(s, w.manager, day=WORK_DAY)


@audited("check_outcomes", "pass_check", "check.passed", _drawn)
def _pass(s: Session, w: World, check_id: int) -> None:
    check_outcomes.pass_check(s, w.actor("chk"), check_id=check_id)


@audited("check_outcomes", "fail_check", "check.failed", _drawn)
def _fail(s: Session, w: World, check_id: int) -> None:
    check_outcomes.fail_check(
        s, w.actor("chk"), check_id=check_id, category="not_done", notes="not done"
    )
