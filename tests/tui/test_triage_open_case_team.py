"""Triage `o` asks which team (default: the type's usual team at the office) and owner."""

from __future__ import annotations

import pytest

from caseterm.core.models import CaseFile, Task
from caseterm.core.services import cases, org, tasks
from caseterm.tui.context import TuiContext
from caseterm.tui.triage.app import TriageApp
from caseterm.tui.triage.dialogs import PickDialog
from caseterm.tui.triage.screen import TriageScreen
from tests.factories import World
from tests.keys import press
from tests.tui.conftest import settle

pytestmark = pytest.mark.sqlite_only


async def test_open_case_defaults_to_the_usual_team_and_takes_an_owner(world: World) -> None:
    with world.db.write() as s:
        upw = org.create_team(
            s, world.admin, code="PRE-UPW", name="Preston unpaid work", office_id=world.office.id
        )
        cases.open_case(
            s, world.clerk, case_type="UPW", subject_id=world.person.id or 0, team_id=upw.id
        )
        item = tasks.create_task(
            s,
            world.clerk,
            kind="new_referral",
            title="Referral: Siobhan O'Neill",
            status="untriaged",
            person_id=world.person.id,
            source="Preston Magistrates' Court",
        )
    app = TriageApp(TuiContext(world.db, world.clerk))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        await press(pilot, "o")
        await settle(pilot)
        await press(pilot, *"unpaid", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        assert "usual for this type" in app.screen.choices[0].label
        await press(pilot, "enter")  # the default: Preston unpaid work
        await settle(pilot)
        await press(pilot, *"wendy", "enter")  # owner: Wendy Worker
        await settle(pilot)
    with world.db.read() as s:
        task = s.get(Task, item.id)
        assert task is not None and task.case_id is not None
        case = s.get(CaseFile, task.case_id)
        assert case is not None
        assert (case.team_id, case.owner_id) == (upw.id, world.worker.id)
        assert case.reference.startswith("UPW/")
