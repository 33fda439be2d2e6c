"""PagedTable on its own: it asks only for the pages on screen, holds a bounded number of rows,
keeps the cursor through a reload, and shows cells as plain text."""

from __future__ import annotations

import threading
from typing import Any

from textual.app import App, ComposeResult

from caseterm.tui.widgets.paged_table import Column, FirstPage, PagedTable
from tests.keys import press
from tests.tui.conftest import HOSTILE, screen_text, settle, wait_for
from tests.tui.seen import notes_of

Row = tuple[int, str]


class Source:
    """100k rows standing in for a table, recording what was asked of it."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self.title = "row"
        self.asked: list[tuple[int, int]] = []
        self.fail = False
        self.lock = threading.Lock()

    def fetch(self, offset: int, limit: int) -> list[Row]:
        with self.lock:
            self.asked.append((offset, limit))
        if self.fail:
            raise RuntimeError("disk on fire")
        return [(i, f"{self.title} {i}") for i in range(offset, min(offset + limit, self.size))]

    def count(self) -> int:
        return self.size


class Host(App[None]):
    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source
        self.selected: list[Any] = []
        self.highlighted: list[Any] = []
        self.notes: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:
        self.notes.append(message)  # what was shown, read through notes_of()
        super().notify(message, **kwargs)

    def compose(self) -> ComposeResult:
        yield PagedTable(
            [
                Column("Id", lambda r: str(r[0]), width=6, justify="right"),
                Column("Title", lambda r: r[1]),
            ],
            row_key=lambda r: r[0],
            fetch=self.source.fetch,
            count=self.source.count,
            id="t",
        )

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.selected.append(event.row)

    def on_paged_table_highlighted(self, event: PagedTable.Highlighted) -> None:
        self.highlighted.append(event.row)


def table(app: App[None]) -> PagedTable[Row]:
    return app.query_one("#t", PagedTable)


async def test_only_pages_on_screen_are_read_and_memory_stays_bounded() -> None:
    source = Source()
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        assert t.count == 100_000
        size = PagedTable.PAGE_SIZE
        assert sorted(source.asked) == [(0, size), (size, size)]  # on screen, and the next
        for _ in range(60):
            await press(pilot, "pagedown")
        await settle(pilot)
        assert t.cursor == 60 * 22  # 23 rows under the header; a page keeps one in view
        await press(pilot, "end")
        await settle(pilot)
        assert t.current_row == (99_999, "row 99999")
        assert "row 99999" in screen_text(app)
        assert t.held_rows <= PagedTable.MAX_PAGES * PagedTable.PAGE_SIZE
        # Jumping to the end read the last page, not the 99,000 rows before it.
        assert len(source.asked) < 30
        await press(pilot, "home", "j", "j", "enter")
        await settle(pilot)
        assert app.selected == [(2, "row 2")]


async def test_marks_survive_paging_and_reload_keeps_the_cursor() -> None:
    source = Source(500)
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        await press(pilot, "space", "space", "end", "space")
        await settle(pilot)
        assert sorted(r[0] for r in t.marked_rows) == [0, 1, 499]
        await press(pilot, "up", "up")
        source.title = "changed"
        t.reload()
        await settle(pilot)
        assert t.cursor == 497
        assert t.current_row == (497, "changed 497")
        assert "changed 497" in screen_text(app)
        # Marked rows are refreshed when their page comes back.
        assert (499, "changed 499") in t.marked_rows
        assert t.rows_to_act_on() == t.marked_rows
        t.unmark([0, 1, 499])
        assert t.rows_to_act_on() == [(497, "changed 497")]


async def test_cells_are_plain_text_and_a_failed_read_is_shown() -> None:
    source = Source(3)
    source.title = HOSTILE
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]x [bold]y [/ [2J z 0" in text
        assert "\x1b" not in text
        source.fail = True
        table(app).reload()
        await settle(pilot)
        assert "Could not load: disk on fire" in screen_text(app)
        assert any("disk on fire" in n for n in notes_of(app))


class PrimedHost(Host):
    """A table given its first page before it was mounted (as the workstation does)."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            assert isinstance(widget, PagedTable)
            early = [(i, f"early {i}") for i in range(PagedTable.PAGE_SIZE)]
            widget.prime(FirstPage(early, self.source.size))
            yield widget


async def test_a_primed_first_page_is_shown_without_reading_it_again() -> None:
    source = Source()
    app = PrimedHost(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        assert t.count == 100_000
        assert (0, PagedTable.PAGE_SIZE) not in source.asked  # page 0 came primed
        assert "early 0" in screen_text(app)
        assert t.current_row == (0, "early 0")
        await press(pilot, "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert t.cursor == 5 * 22
        assert t.current_row == (110, "row 110")  # page 1 read from the source
        t.reload()
        await settle(pilot)
        await press(pilot, "home")
        await settle(pilot)
        assert t.current_row == (0, "row 0")  # a reload reads page 0 like any other


class WideLabels(Host):
    def compose(self) -> ComposeResult:
        yield PagedTable(
            [
                Column("Id", lambda r: str(r[0]), width=6, justify="right"),
                Column("Title", lambda r: r[1], width=40),
                Column("Status of the thing", lambda r: "ok", width=25),
            ],
            row_key=lambda r: r[0],
            fetch=self.source.fetch,
            count=self.source.count,
            id="t",
        )


async def test_the_position_never_hides_a_label_without_saying_so() -> None:
    app = WideLabels(Source())
    async with app.run_test(size=(70, 10)) as pilot:
        await settle(pilot)
        header = screen_text(app).splitlines()[0]
        assert header.endswith(" Status o… 1/100,000")  # cut with "…", not overwritten
        assert len(header) == 69  # the trailing space of the position is stripped here


class CountedLate(Source):
    """The count answers only when let go: the first page arrives before it."""

    def __init__(self) -> None:
        super().__init__()
        self.let_go = threading.Event()

    def count(self) -> int:
        assert self.let_go.wait(60), "never let go"
        return self.size


async def test_the_row_under_the_cursor_is_named_when_the_count_comes_after_its_page() -> None:
    """A screen that tracks what the user saw (a row replaced under a still cursor is not the
    row they meant) must hear which row is under the cursor, whichever read answers first."""
    source = CountedLate()
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        t = table(app)
        await wait_for(pilot, lambda: t.row_at(0) is not None, 5)  # the page, not yet counted
        await wait_for(pilot, lambda: app.highlighted == [None], 5)  # its news: no row to name
        assert t.count is None and t.current_row is None
        source.let_go.set()
        await wait_for(pilot, lambda: t.count == 100_000, 5)
        await settle(pilot)
        assert app.highlighted[-1] == (0, "row 0")


class EndAtOnce(PagedTable[Row]):
    """A person pressing End the moment the rows are counted, before they are laid out."""

    def on_paged_table__count_ready(self, message: Any) -> None:
        super().on_paged_table__count_ready(message)
        if message.count > 100:
            self.action_last()


class EndHost(Host):
    def compose(self) -> ComposeResult:
        yield EndAtOnce(
            [Column("Id", lambda r: str(r[0]), width=6), Column("Title", lambda r: r[1])],
            row_key=lambda r: r[0],
            fetch=self.source.fetch,
            count=self.source.count,
            id="t",
        )


async def test_end_pressed_as_the_rows_are_counted_shows_the_last_row() -> None:
    source = Source(size=20)
    app = EndHost(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        source.size = 5_000
        t.reload()
        await wait_for(pilot, lambda: t.count == 5_000, 5)
        await settle(pilot)
        assert t.cursor == 4_999
        assert "row 4999" in screen_text(app)  # scrolled to it, not left at the old end
