""" "Ann Smith is editing this case": two members of staff on one database, each in their own
app (screens are pushed from inside each app, `call_later`, so that each screen belongs to its
own app rather than to whichever app the test touched last). While one has the contact form
open, the other sees it on the case screen and on their own contact form; it goes when the form
closes."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Static

from caseterm.core.models import EditPresence
from caseterm.core.services import presence
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.messages import DataChanged
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle


def rows(tw: TuiWorld) -> list[tuple[int, str, int]]:
    with tw.db.read() as s:
        found = s.exec(select(EditPresence)).all()
    return sorted((p.staff_id, p.entity, p.entity_id) for p in found)


async def until(pilot: Pilot[Any], condition: Any, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def test_a_colleague_sees_who_is_editing_the_case(tui_world: TuiWorld) -> None:
    world = tui_world.world
    case_id = world.case.id or 0
    wendy, owen = tui_world.app(world.worker), tui_world.app(world.other)
    async with wendy.run_test(size=(100, 30)) as wp, owen.run_test(size=(100, 30)) as op:
        await settle(wp)
        await settle(op)
        wendy.call_later(wendy.push_screen, ContactEntryScreen(case_id))
        await settle(wp)
        assert rows(tui_world) == [(world.worker.id, "case", case_id)]

        # Owen opens the case: its header says so.
        owen.call_later(owen.push_screen, CaseDetailScreen(case_id))
        await settle(op)
        await until(op, lambda: "Wendy Worker is editing this case" in screen_text(owen))

        # Owen opens the contact form too: each form names the other.
        owen.call_later(owen.push_screen, ContactEntryScreen(case_id))
        await settle(op)
        notice = owen.screen.query_one("#ce-editing", Static)
        assert "Wendy Worker is editing this case (since 10:30)" in str(notice.render())
        wendy.screen.post_message(DataChanged(1))  # as live updates do when Owen's row lands
        await settle(wp)
        await until(wp, lambda: "Owen Other is editing this case" in screen_text(wendy))

        # Wendy leaves her form: her notice goes.
        await press(wp, "escape")
        await settle(wp)
        await until(wp, lambda: rows(tui_world) == [(world.other.id, "case", case_id)])
        owen.screen.post_message(DataChanged(2))
        await settle(op)
        await until(op, lambda: "Wendy Worker is editing" not in screen_text(owen))

        # Owen leaves his (empty) form too: nobody is editing.
        await press(op, "escape")
        await settle(op)
        await until(op, lambda: rows(tui_world) == [])
    with tui_world.db.read() as s:
        assert presence.editors_of(s, world.clerk, entity="case", entity_id=case_id) == []
