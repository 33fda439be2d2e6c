"""A table that pages its rows from the database, for lists of any length.

`PagedTable` is a Line-API `ScrollView`: it renders only the lines on screen and asks its data
source for the pages those lines need, in thread workers, keeping a bounded cache of pages. A
queue of 100k tasks scrolls end to end holding a few hundred rows. The source is two callables
run off the event loop:

    fetch(offset, limit) -> Sequence[row]      # one page, in display order
    count() -> int                             # how many rows there are

Cells are shown as plain text (stored strings are never markup). After `reload()` the old
pages stay on screen until fresh ones arrive, and the cursor stays where it was.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.message import Message

from caseterm.tui.widgets.table_columns import (
    Column,
    Count,
    Fetch,
    FirstPage,
    choose_columns,
)
from caseterm.tui.widgets.table_view import Page, TableView

R = TypeVar("R")

__all__ = ["Column", "Count", "Fetch", "FirstPage", "PagedTable", "choose_columns"]


class PagedTable(TableView[R], can_focus=True, inherit_bindings=False):
    """Rows paged from SQL through `fetch`/`count`, with a cursor and marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("home", "first", "First", show=False, id="first_row"),
        Binding("end", "last", "Last", show=False, id="last_row"),
        Binding("enter", "select", "Open", id="open"),
        Binding("space", "toggle_mark", "Mark", id="mark"),
        Binding("ctrl+u", "clear_marks", "Unmark all", show=False, id="unmark_all"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--marked",
        "paged-table--warning",
        "paged-table--muted",
        "paged-table--placeholder",
    }

    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 0;  /* the header says where you are */
        & > .paged-table--header { text-style: bold; background: $panel; }
        & > .paged-table--cursor { background: $block-cursor-blurred-background;
                                   text-style: bold; }
        & > .paged-table--marked { color: $text-accent; }
        & > .paged-table--warning { color: $text-warning; text-style: bold; }
        & > .paged-table--muted { color: $text-muted; }
        & > .paged-table--placeholder { color: $text-muted; }
        &:focus > .paged-table--cursor { background: $block-cursor-background;
                                         color: $block-cursor-foreground; }
    }
    """

    MAX_PAGES = 8  # bounded memory: at most MAX_PAGES * PAGE_SIZE rows held

    class _Event(Message):
        def __init__(self, table: PagedTable[Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class Selected(_Event):
        """Enter (or a second click) on a loaded row."""

        def __init__(self, table: PagedTable[Any], row: Any) -> None:
            super().__init__(table)
            self.row = row

    class Highlighted(_Event):
        """The cursor moved; `row` is None while its page is still loading."""

        def __init__(self, table: PagedTable[Any], row: Any | None) -> None:
            super().__init__(table)
            self.row = row

    class MarksChanged(_Event):
        def __init__(self, table: PagedTable[Any], count: int) -> None:
            super().__init__(table)
            self.count = count

    class Counted(_Event):
        """The source was counted (after a load or reload)."""

        def __init__(self, table: PagedTable[Any], count: int) -> None:
            super().__init__(table)
            self.count = count

    class _PageReady(Message):
        def __init__(
            self,
            generation: int,
            page: int,
            rows: Sequence[object],
            lines: Sequence[str | None],
            width: int,
        ) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows
            self.lines, self.width = lines, width

    class _CountReady(Message):
        def __init__(self, generation: int, count: int) -> None:
            super().__init__()
            self.generation, self.count = generation, count

    class _Failed(Message):
        def __init__(self, generation: int, page: int | None, error: Exception) -> None:
            super().__init__()
            self.generation, self.page, self.error = generation, page, error

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        row_key: Callable[[R], Hashable],
        fetch: Fetch[R] | None = None,
        count: Count | None = None,
        row_class: Callable[[R], str] | None = None,
        markable: bool = True,
        empty_text: str = "Nothing here.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.row_key = row_key
        self.row_class = row_class
        self.markable = markable
        self.empty_text = empty_text
        self._fetch = fetch
        self._count_fn = count
        self._generation = 0
        self._pages: OrderedDict[int, Page[R]] = OrderedDict()
        self._pending: set[tuple[int, int]] = set()  # (generation, page)
        self._count: int | None = None
        self._error: str | None = None
        self._marked: dict[Hashable, R] = {}
        self.cursor = 0
        self._ready = False  # mounted: workers may start
        self._width: int | None = None  # set while a repaint is under way
        self._top = 0
        self._last_width = 0  # the width rows are formatted for in advance
        self._columns_at: tuple[int, list[tuple[Column[R], int]]] | None = None
        self._primed: FirstPage[R] | None = None
        self._shown: list[R] | None = None  # the list `show_rows` gave, while it is shown

    # ---------------------------------------------------------------- the data source

    def set_source(self, fetch: Fetch[R], count: Count) -> None:
        """Show another list (another queue, another filter): cursor to the top, marks cleared."""
        self._shown = None
        self._fetch, self._count_fn = fetch, count
        self._pages.clear()
        self._marked.clear()
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.post_message(self.MarksChanged(self, 0))
        self._start(keep_pages=False)

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """Lay the rows out in other columns (another queue's), from the next repaint; call it
        before `set_source`, which reads the rows again."""
        self.columns = list(columns)
        self._columns_at = None
        self.refresh()

    def show_rows(self, rows: Sequence[R], *, again: bool = False) -> None:
        """Show a list already read in full (a board, a case's section, a checklist). With
        `again` (the same list read again: a refresh, another process's commit, the row just
        acted on gone) the rows are swapped in place and the cursor stays where the person
        left it; otherwise it is another list, shown from the top."""
        if again and self._shown is not None:
            self._shown[:] = rows
            self.reload()
            return
        shown = list(rows)
        self.set_source(lambda offset, limit: shown[offset : offset + limit], lambda: len(shown))
        self._shown = shown

    def prime(self, first: FirstPage[R]) -> None:
        """Rows read before the table was mounted (at start-up, while the screen was being
        built): the first frame shows them instead of "…", and the table fetches the rest."""
        self._primed = first

    def reload(self) -> None:
        """Fetch again what is on screen (someone changed the data); the cursor stays put and the
        old rows stay visible until the new ones arrive."""
        self._start(keep_pages=True)

    def _start(self, *, keep_pages: bool) -> None:
        self._generation += 1
        self._error = None
        if not keep_pages:
            self._count = None
            self._pages.clear()
        self._update_virtual_size()
        if self._fetch is None or self._count_fn is None or not self._ready:
            return
        primed, self._primed = self._primed, None
        if primed is not None and not keep_pages:
            self._install_first_page(primed)
        else:
            self._run_count(self._generation)
        self._load_visible()
        self.refresh()

    def _install_first_page(self, first: FirstPage[R]) -> None:
        self._count = first.count
        self._pages[0] = Page(self._generation, list(first.rows)[: self.PAGE_SIZE])
        self._update_virtual_size()
        self.post_message(self.Counted(self, first.count))
        if first.rows:
            self._announce_cursor()

    def on_mount(self) -> None:
        self._ready = True
        self._start(keep_pages=False)

    @property
    def count(self) -> int | None:
        """The number of rows, once counted."""
        return self._count

    @property
    def is_loading(self) -> bool:
        return bool(self._pending) or (self._count is None and self._error is None)

    def _run_count(self, generation: int) -> None:
        count_fn = self._count_fn
        assert count_fn is not None

        def work() -> None:
            try:
                self.post_message(self._CountReady(generation, count_fn()))
            except Exception as exc:
                self.post_message(self._Failed(generation, None, exc))

        self.run_worker(work, thread=True, group="paged-table", exit_on_error=False)

    def _run_fetch(self, generation: int, page: int) -> None:
        fetch = self._fetch
        assert fetch is not None
        key = (generation, page)
        if key in self._pending:
            return
        self._pending.add(key)
        size = self.PAGE_SIZE
        width = self._last_width

        def work() -> None:
            try:
                rows = list(fetch(page * size, size))
                lines = [self._row_cells(row, width) for row in rows] if width else []
            except Exception as exc:
                self.post_message(self._Failed(generation, page, exc))
            else:
                self.post_message(self._PageReady(generation, page, rows, lines, width))

        self.run_worker(work, thread=True, group="paged-table", exit_on_error=False)

    def _visible_pages(self) -> range:
        top = int(self.scroll_offset.y)
        bottom = top + max(self._data_height(), 1)
        last = bottom if self._count is None else min(bottom, max(self._count, 1))
        return range(top // self.PAGE_SIZE, (max(last, top + 1) - 1) // self.PAGE_SIZE + 1)

    def _load_visible(self) -> None:
        """Fetch the pages on screen now, and the pages either side once this frame is painted
        (so paging on rarely shows rows still loading, and the read ahead does not compete with
        the frame the key asked for)."""
        if self._fetch is None or not self._ready:
            return
        visible = self._visible_pages()
        self._fetch_pages(visible)
        self.call_after_refresh(self._fetch_pages, [visible.stop, visible.start - 1])

    def _fetch_pages(self, pages: Iterable[int]) -> None:
        if self._fetch is None or not self.is_attached:
            return
        last_page = max(((self._count or 1) - 1) // self.PAGE_SIZE, 0)
        for page in pages:
            if page < 0 or (page > last_page and self._count is not None):
                continue
            cached = self._pages.get(page)
            if cached is None or cached.generation < self._generation:
                self._run_fetch(self._generation, page)

    def on_paged_table__page_ready(self, message: PagedTable._PageReady) -> None:
        message.stop()
        self._pending.discard((message.generation, message.page))
        if message.generation != self._generation:
            return
        rows: Sequence[R] = message.rows  # type: ignore[assignment]
        self._pages[message.page] = Page(message.generation, rows, message.lines, message.width)
        self._pages.move_to_end(message.page)
        for row in rows:
            key = self.row_key(row)
            if key in self._marked:
                self._marked[key] = row
        self._evict()
        first = message.page * self.PAGE_SIZE
        top = int(self.scroll_offset.y)
        if first < top + self._data_height() and first + len(rows) > top:
            self.refresh()  # only when the page is (partly) on screen
        if first <= self.cursor < first + len(rows):
            self._announce_cursor()

    def on_paged_table__count_ready(self, message: PagedTable._CountReady) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        uncounted = self._count is None
        self._count = message.count
        self._update_virtual_size()
        if self.cursor >= message.count:
            self.cursor = max(message.count - 1, 0)
        if uncounted and self._count and self.current_row is not None:
            # The page came first: until counted there was no row to name (current_row is None
            # while uncounted), so the screen was told the cursor was on nothing. Tell it now,
            # or a refresh that slides another row under the cursor looks like the first row.
            self._announce_cursor()
        self._pages = OrderedDict(
            (p, pg) for p, pg in self._pages.items() if p * self.PAGE_SIZE < max(message.count, 1)
        )
        self.refresh()
        self.post_message(self.Counted(self, message.count))
        self._load_visible()

    def on_paged_table__failed(self, message: PagedTable._Failed) -> None:
        message.stop()
        if message.page is not None:
            self._pending.discard((message.generation, message.page))
        if message.generation != self._generation:
            return
        self._error = f"Could not load: {message.error}"
        self.refresh()
        self.notify(
            str(message.error), title="Could not load the list", severity="error", markup=False
        )

    def _evict(self) -> None:
        visible = self._visible_pages()
        keep = {*visible, visible.stop, visible.start - 1}
        for page in list(self._pages):
            if len(self._pages) <= self.MAX_PAGES:
                break
            if page not in keep:
                del self._pages[page]

    def row_at(self, index: int) -> R | None:
        """The loaded row at `index`, or None if its page is not in memory."""
        page = self._pages.get(index // self.PAGE_SIZE)
        if page is None:
            return None
        offset = index % self.PAGE_SIZE
        return page.rows[offset] if offset < len(page.rows) else None

    @property
    def current_row(self) -> R | None:
        if not self._count:
            return None
        return self.row_at(self.cursor)

    @property
    def held_rows(self) -> int:
        """How many rows are in memory (for tests and benchmarks)."""
        return sum(len(p.rows) for p in self._pages.values())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_mark", "clear_marks"):
            return self.markable
        return True

    # ---------------------------------------------------------------- marks

    @property
    def marked_rows(self) -> list[R]:
        """The marked rows as they were last loaded."""
        return list(self._marked.values())

    def rows_to_act_on(self) -> list[R]:
        """The marked rows, else the row under the cursor."""
        if self._marked:
            return self.marked_rows
        row = self.current_row
        return [row] if row is not None else []

    def unmark(self, keys: Iterable[Hashable]) -> None:
        """Drop these rows' marks (the action on them succeeded)."""
        before = len(self._marked)
        for key in keys:
            self._marked.pop(key, None)
        if len(self._marked) != before:
            self.refresh()
            self.post_message(self.MarksChanged(self, len(self._marked)))

    def clear_marks(self) -> None:
        if self._marked:
            self._marked.clear()
            self.refresh()
            self.post_message(self.MarksChanged(self, 0))

    def action_toggle_mark(self) -> None:
        row = self.current_row
        if not self.markable or row is None:
            return
        key = self.row_key(row)
        if key in self._marked:
            del self._marked[key]
        else:
            self._marked[key] = row
        self.post_message(self.MarksChanged(self, len(self._marked)))
        if self.cursor + 1 < (self._count or 0):
            self.action_cursor_down()
        self._refresh_row(self.cursor - 1)
        self._refresh_row(self.cursor)

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def _announce_cursor(self) -> None:
        self.post_message(self.Highlighted(self, self.current_row))

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))
