"""Search as you type: results, opening, restricted cases, stale answers, hostile text."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from caseterm.core.models import AccessLog
from caseterm.core.services import cases, people
from caseterm.core.services.search import SearchHit
from caseterm.tui.contact_entry.screen import ContactEntryScreen
from caseterm.tui.safe import clean
from caseterm.tui.screens import search as search_screen
from caseterm.tui.screens.search import SearchScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

HOSTILE_QUERIES = ["[@click=app.quit]", "[bold]", "[/", "\x1b[2J"]


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_screen, "DEBOUNCE", 0.01)


class Recorder:
    """Stands in for the app's `open_case`, recording which cases were asked for."""

    def __init__(self) -> None:
        self.opened: list[int] = []

    def __call__(self, case_id: int) -> None:
        self.opened.append(case_id)


async def open_search(pilot: Pilot[None]) -> SearchScreen:
    await settle(pilot)
    pilot.app.action_search()  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def type_query(pilot: Pilot[None], text: str) -> None:
    """Put `text` in the search box and wait until the hits shown answer it."""
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    box = screen.query_one("#search-box", Input)
    box.value = text
    await wait_for(pilot, lambda: screen.shown_for == clean(box.value).strip(), 10)
    await settle(pilot)


def status(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-status", Static).render())


async def test_typo_tolerant_results_as_you_type_and_enter_opens(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tui_world.app()
    opened = Recorder()
    monkeypatch.setattr(app, "open_case", opened)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_search(pilot)
        await press(pilot, *"siobhan oneil")
        await wait_for(pilot, lambda: screen.shown_for == "siobhan oneil", 10)
        await settle(pilot)
        assert [h.case_id for h in screen.hits] == [tui_world.world.case.id]
        assert status(screen).startswith("1 match")
        assert "Siobhán O'Neill-Brady" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
    assert opened.opened == [tui_world.world.case.id]


async def test_alias_date_of_birth_identifier_and_reference(tui_world: TuiWorld) -> None:
    world = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(pilot)
        for query, matched in (
            ("shiv brady", "alias Shiv Brady"),
            ("12/04/1988", "date of birth"),
            ("x123456", "CRN X123456"),
            (world.case.reference.lower(), "reference"),
        ):
            await type_query(pilot, query)
            assert [(h.case_id, h.matched) for h in screen.hits] == [(world.case.id, matched)]
            assert screen.shown_for == query


async def test_restricted_case_shows_only_that_it_exists(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = tui_world.world
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    app = tui_world.app(world.other)
    opened = Recorder()
    monkeypatch.setattr(app, "open_case", opened)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_search(pilot)
        await type_query(pilot, "siobhan")
        [hit] = screen.hits
        assert hit.restricted and hit.ask == "Wendy Worker"
        shown = screen_text(app)
        assert "Restricted — ask Wendy Worker" in shown
        assert "Siobhán" not in shown and "12/04/1988" not in shown
        await press(pilot, "down", "n")  # no contact entry on a case you cannot see
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await press(pilot, "enter")  # the case screen says whom to ask
        await settle(pilot)
    assert opened.opened == [world.case.id]
    with world.db.read() as s:
        assert s.exec(select(AccessLog)).all() == []  # typing is not a refused view


async def test_stale_answers_are_dropped(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(pilot)
        await type_query(pilot, "siobhan")
        shown = list(screen.hits)
        old = screen._asked - 1  # an answer to an earlier text arriving late
        screen._show(old, "si", [])
        assert screen.hits == shown and screen.shown_for == "siobhan"


async def test_n_starts_a_contact_entry_on_the_hit(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot)
        await type_query(pilot, "brady")
        await press(pilot, "down", "n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactEntryScreen)
        assert screen.case_id == tui_world.world.case.id


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
async def test_hostile_queries_are_just_text(tui_world: TuiWorld, query: str) -> None:
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(pilot)
        await type_query(pilot, query)
        assert app.is_running and isinstance(app.screen, SearchScreen)
        assert screen.hits == [] or all(isinstance(h, SearchHit) for h in screen.hits)
        assert "\x1b" not in screen_text(app)


async def test_hostile_names_are_shown_as_typed(tui_world: TuiWorld) -> None:
    world = tui_world.world
    with world.db.write() as s:
        person = people.create_person(
            s,
            world.clerk,
            people.PersonInput(
                given_name="[@click=app.quit]Eve",
                family_name="[bold]Mallory [/",
                date_of_birth=date(1990, 1, 2),
            ),
        )
        cases.open_case(s, world.clerk, case_type="OM", subject_id=person.id or 0)
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_search(pilot)
        await type_query(pilot, "mallory")
        assert len(screen.hits) == 1
        table = screen.query_one("#search-results", PagedTable)
        assert screen.hits[0].name == "[@click=app.quit]Eve [bold]Mallory [/"
        assert "[@click=app.quit]Eve [bold]Mallory" in table.render_line(1).text
        await pilot.click("#search-results", offset=(20, 1))
        await settle(pilot)
        assert app.is_running
