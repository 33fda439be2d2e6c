"""Saving and deleting one's own queues from the Queues screen, with Pilot, asserting the
database: the saved row's filters and sharing, its tasks on screen, refusals that keep what was
typed and write nothing, and deletion only after confirming (never of a built-in queue)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import col, select
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from caseterm.core.models import SavedQueue
from caseterm.core.services import saved_queues
from caseterm.core.services.identity import Actor
from caseterm.core.services.saved_queues import QueueFilter
from caseterm.tui.screens.queue_save import DeleteQueueScreen, SaveQueueScreen, TickList
from caseterm.tui.screens.queues import QueuesScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle
from tests.tui.seen import notes_of


def saved_rows(tw: TuiWorld) -> list[SavedQueue]:
    with tw.db.read() as s:
        return list(s.exec(select(SavedQueue).order_by(col(SavedQueue.id))).all())


def save_directly(tw: TuiWorld, actor: Actor, name: str, shared: bool = False, **flt: Any) -> int:
    with tw.db.write() as s:
        saved = saved_queues.save_queue(s, actor, name=name, flt=QueueFilter(**flt), shared=shared)
        return saved.id or 0


async def open_dialog(pilot: Pilot[Any]) -> SaveQueueScreen:
    await settle(pilot)
    await press(pilot, "S")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SaveQueueScreen)
    return screen


def message(dialog: SaveQueueScreen) -> str:
    """The form's message line (it wraps on screen)."""
    shown = dialog.query_one("#qs-message", Static).render()
    assert isinstance(shown, Content)
    return shown.plain


def notices(app: Any) -> list[str]:
    return notes_of(app)


async def test_save_a_queue_stores_its_filters_and_shows_its_tasks(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot)
        await press(pilot, *"Chasing", "tab")  # name; on to "Assigned to"
        await press(pilot, "enter", "down", "enter", "tab")  # anyone -> me; on to "Status"
        await press(pilot, "tab", "7", "tab")  # status stays open; due within 7 days
        dialog.query_one("#qs-case-type").value = "OM"  # type: ignore[attr-defined]
        await press(pilot, "tab", "space", "tab")  # shared with everyone; on to the kinds
        await press(pilot, "down", "down", "down", "down", "space")  # letter to issue
        await press(pilot, *["down"] * 8, "space")  # papers to chase, eight kinds on
        await settle(pilot)
        preview = dialog.query_one("#qs-preview", Static).render()
        assert isinstance(preview, Content)
        assert preview.plain == (
            "Shows: Letter to issue, Papers to chase; mine; open; due within 7 days; OM cases"
        )
        await press(pilot, "ctrl+s")
        await settle(pilot)

        [row] = saved_rows(tui_world)
        assert (row.name, row.owner_id, row.shared) == ("Chasing", tui_world.world.worker.id, True)
        assert json.loads(row.filters) == {
            "kinds": ["letter_to_issue", "papers_to_chase"],
            "assignee": "me",
            "status": "open",
            "due_within_days": 7,
            "case_type": "OM",
        }
        home = app.screen
        assert isinstance(home, QueuesScreen)
        assert home.queue_key == f"saved:{row.id}"
        queue_list = home.query_one("#queue-list", OptionList)
        assert queue_list.highlighted is not None
        assert queue_list.get_option_at_index(queue_list.highlighted).id == f"saved:{row.id}"
        text = screen_text(app)
        assert "Chasing · 2 items · 1 overdue" in text
        assert "Chase the court papers" in text and "Send appointment letter" in text
        assert "Quarterly review" not in text  # review due: not a kind it shows
        assert any("Saved queue 'Chasing' (shared with everyone)" in n for n in notices(app))


async def test_due_within_that_is_not_a_number_is_refused_and_nothing_typed_is_lost(
    tui_world: TuiWorld,
) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await press(pilot, *"Soon", "tab", "tab", "tab", *"abc")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert message(dialog).startswith("Not saved — Due within: a whole number of days")
        assert "Not saved — Due within:" in screen_text(app)
        assert app.focused is dialog.query_one("#qs-due")
        assert dialog.query_one("#qs-name", Input).value == "Soon"
        assert dialog.query_one("#qs-due", Input).value == "abc"
        assert saved_rows(tui_world) == []
        # Put right, it saves.
        await press(pilot, "backspace", "backspace", "backspace", "3")
        assert "Not saved" not in message(dialog)
        await press(pilot, "ctrl+s")
        await settle(pilot)
    [row] = saved_rows(tui_world)
    assert (row.name, json.loads(row.filters)["due_within_days"]) == ("Soon", 3)


async def test_a_duplicate_name_is_refused_by_the_service_and_writes_nothing(
    tui_world: TuiWorld,
) -> None:
    worker = tui_world.world.worker
    save_directly(tui_world, worker, "Chasing", kinds=["papers_to_chase"])
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await press(pilot, *"Chasing", "tab", "tab", "tab", "tab", "tab", "space")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert message(dialog) == "Not saved — Name: you already have a queue called 'Chasing'"
        assert app.focused is dialog.query_one("#qs-name")
        assert len(saved_rows(tui_world)) == 1
        assert dialog.query_one("#qs-shared", TickList).ticked == {"shared"}  # kept
        await press(pilot, *" again", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    rows = saved_rows(tui_world)
    assert [(r.name, r.shared) for r in rows] == [("Chasing", False), ("Chasing again", True)]


async def test_escape_cancels_without_saving(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot)
        await press(pilot, *"Never", "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
    assert saved_rows(tui_world) == []


async def test_the_form_starts_from_the_saved_queue_on_screen(tui_world: TuiWorld) -> None:
    worker = tui_world.world.worker
    queue_id = save_directly(
        tui_world, worker, "Mine soon", kinds=["review_due"], assignee="me", due_within_days=5
    )
    app = tui_world.app(start_queue=f"saved:{queue_id}")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#qs-kinds", TickList).values == ["review_due"]
        assert dialog.query_one("#qs-due", Input).value == "5"
        assert dialog.queue_filter() == QueueFilter(["review_due"], "me", "open", 5, None)
        assert "Starting from Mine soon" in screen_text(app)
        await press(pilot, *"Mine later", "ctrl+s")
        await settle(pilot)
    assert json.loads(saved_rows(tui_world)[1].filters)["kinds"] == ["review_due"]


async def test_a_hostile_name_is_saved_and_shown_as_plain_text(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    name = "[@click=app.quit]Q [bold]"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot)
        await press(pilot, *name, "ctrl+s")
        await settle(pilot)
        assert app.is_running
        assert "[@click=app.quit]Q [bold]" in screen_text(app)
    assert [r.name for r in saved_rows(tui_world)] == [name.strip()]


async def test_delete_asks_first_and_removes_the_row_only_when_confirmed(
    tui_world: TuiWorld,
) -> None:
    worker = tui_world.world.worker
    queue_id = save_directly(tui_world, worker, "Chasing", kinds=["papers_to_chase"])
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "left_square_bracket")  # from My work back round to the saved queue
        await settle(pilot)
        assert app.screen.queue_key == f"saved:{queue_id}"  # type: ignore[attr-defined]
        await press(pilot, "X")
        await settle(pilot)
        assert isinstance(app.screen, DeleteQueueScreen)
        assert "Delete your queue Chasing?" in screen_text(app)
        assert [r.id for r in saved_rows(tui_world)] == [queue_id]
        await press(pilot, "escape")  # keep it
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert [r.id for r in saved_rows(tui_world)] == [queue_id]
        await press(pilot, "X")
        await settle(pilot)
        await press(pilot, "y")
        await settle(pilot)
        assert saved_rows(tui_world) == []
        assert isinstance(app.screen, QueuesScreen)
        assert app.screen.queue_key == "my_work"
        assert "Chasing" not in screen_text(app)
        assert any("Deleted queue 'Chasing'" in n for n in notices(app))


async def test_a_built_in_queue_cannot_be_deleted(tui_world: TuiWorld) -> None:
    save_directly(tui_world, tui_world.world.worker, "Chasing")
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "X")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)
        assert any("built-in queues cannot be deleted" in n for n in notices(app))
    assert len(saved_rows(tui_world)) == 1


async def test_someone_elses_shared_queue_is_refused_by_the_service(tui_world: TuiWorld) -> None:
    w = tui_world.world
    queue_id = save_directly(tui_world, w.other, "Team post", shared=True, kinds=["post_in"])
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "left_square_bracket")
        await settle(pilot)
        assert app.screen.queue_key == f"saved:{queue_id}"  # type: ignore[attr-defined]
        await press(pilot, "X")
        await settle(pilot)
        assert isinstance(app.screen, QueuesScreen)  # nothing to confirm: it is not theirs
        assert any("only they or a system administrator may delete it" in n for n in notices(app))
    assert [r.id for r in saved_rows(tui_world)] == [queue_id]


async def test_a_system_administrator_confirms_and_deletes_anyones_shared_queue(
    tui_world: TuiWorld,
) -> None:
    w = tui_world.world
    save_directly(tui_world, w.other, "Team post", shared=True, kinds=["post_in"])
    app = tui_world.app(w.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "left_square_bracket", "X")
        await settle(pilot)
        assert isinstance(app.screen, DeleteQueueScreen)
        assert "queue Team post?" in screen_text(app)
        await press(pilot, "y")
        await settle(pilot)
    assert saved_rows(tui_world) == []


async def test_the_form_does_not_start_from_someone_elses_private_queue(
    tui_world: TuiWorld,
) -> None:
    """The form reads the queue it starts from through the service's ownership check: another
    user's private queue is refused, so its name and filter never reach this user's screen."""
    theirs = save_directly(tui_world, tui_world.world.other, "Their secret", kinds=["court_result"])
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SaveQueueScreen(f"saved:{theirs}"))
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SaveQueueScreen)
        assert dialog.query_one("#qs-kinds", TickList).values == []
        assert "Starting from" not in screen_text(app)
        assert any("belongs to someone else" in n for n in notices(app))
