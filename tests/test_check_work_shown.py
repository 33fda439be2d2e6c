"""A sampled check shows the work checked in words (`check_outcomes.show_check(...).work`): a
completed task's title, details and outcome; a contact entry's type, outcome and notes, never a
sensitive entry's notes; `caseterm check show` prints them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from caseterm.core import clock
from caseterm.core.services import check_outcomes, checks, contacts
from tests.check_helpers import WORK_DAY, add_checker, day_of_work, rate
from tests.cli import run_cli
from tests.factories import World


def test_the_work_is_shown_in_words_and_sensitive_notes_are_not(
    world: World, frozen_clock: object, tmp_path: Path
) -> None:
    w = world
    add_checker(w)
    day_of_work(w, tasks_each=1, contacts_each=0)
    before = clock.now()
    clock.freeze(datetime.combine(WORK_DAY, datetime.min.time()).replace(hour=15))
    try:
        with w.db.write() as s:
            contacts.log_contact(
                s,
                w.worker,
                case_id=w.case.id or 0,
                contact_type="phone_out",
                notes="disclosed a private matter",
                sensitive=True,
            )
    finally:
        clock.freeze(before)
    rate(w, "task", 100)
    rate(w, "contact", 100)
    with w.db.write() as s:
        checks.draw_checks(s, w.manager, day=WORK_DAY)
    with w.db.read() as s:
        rows = check_outcomes.checks_awaiting(s, w.manager) + check_outcomes.checks_awaiting(
            s, w.actor("chk")
        )
        shown = {r.id: check_outcomes.show_check(s, w.manager, check_id=r.id) for r in rows}
    task = next(i for i in shown.values() if i.work_kind == "task")
    work = dict(task.work)
    assert work["Title"].startswith("Job 0 for ") and work["Outcome"] == "done"
    assert work["Task"].startswith(f"#{task.item_id} ") and task.case_id == w.case.id
    contact = next(i for i in shown.values() if i.work_kind == "contact")
    lines = dict(contact.work)
    assert lines["Notes"] == check_outcomes.SENSITIVE
    assert "private" not in repr(contact)
    shown_out = run_cli(tmp_path, "check", "show", str(task.id), db=w.db.url, user=w.manager.login)
    assert shown_out.code == 0, shown_out.err
    assert f"Title     {work['Title']}" in shown_out.out and "Outcome   done" in shown_out.out
