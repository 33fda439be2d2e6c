"""Triage `l` on a person with several open cases asks which case (issue 17)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseterm.core.models import Task
from caseterm.core.services import cases, tasks
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.dialogs import PickDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import screen_text, settle

pytestmark = pytest.mark.sqlite_only


async def test_link_asks_which_open_case_and_links_it(world: World) -> None:
    with world.db.write() as s:
        second = cases.open_case(s, world.clerk, case_type="UPW", subject_id=world.person.id or 0)
        item = tasks.create_task(
            s,
            world.clerk,
            kind="new_referral",
            title="Referral: Siobhan O'Neill",
            status="untriaged",
            source="Preston Magistrates' Court",
        )
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.item is not None
        await press(pilot, "l")  # the highlighted match is the person, with two open cases
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        await press(pilot, *second.reference, "enter")
        await settle(pilot)
    with world.db.read() as s:
        task = s.get(Task, item.id)
        assert task is not None
        assert (task.person_id, task.case_id) == (world.person.id, second.id)


async def test_counter_says_due_at_your_office_and_why_the_queue_holds_more(
    world: World,
) -> None:
    with world.db.write() as s:
        for title in ("Referral: here", "Referral: at Lancaster"):
            tasks.create_task(
                s, world.clerk, kind="new_referral", title=title, status="untriaged", source="Post"
            )
        lancaster = s.exec(select(Task).where(Task.title == "Referral: at Lancaster")).one()
        lancaster.office_id = world.other_office.id
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "1 due at your office (of 2 incoming: 1 at other offices)" in screen_text(app)
