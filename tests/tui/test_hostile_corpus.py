"""The hostile corpus (tests/corpus/hostile_strings.jsonl) through the workstation's main
screens: every string the services accept is stored as a task title and a contact entry's notes,
then the queue is paged through, the case's contact log is read, and search is typed into. The
screens never pass a control character to the terminal, markup is shown as typed, and the app is
still running at the end."""

from __future__ import annotations

import re

from caseterm.core.errors import ValidationError
from caseterm.core.services import contacts, tasks
from tests.keys import press
from tests.test_cli_hostile import CORPUS
from tests.tui.conftest import TuiWorld, screen_text, settle

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _store(tui_world: TuiWorld) -> int:
    w = tui_world.world
    stored = 0
    for value in CORPUS:
        try:
            with w.db.write() as s:
                tasks.create_task(
                    s,
                    w.clerk,
                    kind="general",
                    title=value[:300],
                    case_id=w.case.id,
                    assignee_id=w.worker.id,
                )
                contacts.log_contact(
                    s, w.worker, case_id=w.case.id or 0, contact_type="internal", notes=value
                )
            stored += 1
        except ValidationError:
            continue  # refused with a reason (empty, too long, not text): nothing to show
    return stored


def _clean(text: str) -> None:
    found = CONTROL.findall(text)
    assert not found, f"control characters reached the screen: {found[:5]!r}"


async def test_the_corpus_on_the_queue_the_case_and_search(tui_world: TuiWorld) -> None:
    stored = _store(tui_world)
    assert stored > 150
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = set()
        for _ in range(stored // 30 + 2):
            text = screen_text(app)
            _clean(text)
            seen.update(text.splitlines())
            await press(pilot, "pagedown")
            await settle(pilot)
        shown = "\n".join(seen)
        assert "[bold]" in shown or "[b]" in shown  # markup shown as typed, never applied
        await press(pilot, "home", "enter")  # the case of the first task
        await settle(pilot)
        for _ in range(stored // 30 + 2):
            _clean(screen_text(app))
            await press(pilot, "pagedown")
            await settle(pilot)
        await press(pilot, "escape", "slash")
        await settle(pilot)
        for value in CORPUS[:40]:
            await press(pilot, "ctrl+u", *[c for c in value[:20] if c.isprintable()])
            await settle(pilot)
            _clean(screen_text(app))
        assert app.is_running
