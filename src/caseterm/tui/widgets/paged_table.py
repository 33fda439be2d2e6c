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
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from caseterm.tui.safe import clean
from caseterm.tui.widgets.table_columns import (
    Column,
    Count,
    Fetch,
    FirstPage,
    cell_text,
    choose_columns,
    fit,
)

R = TypeVar("R")

__all__ = ["Column", "Count", "Fetch", "FirstPage", "PagedTable", "choose_columns"]


@dataclass
class _Page(Generic[R]):
    generation: int
    rows: Sequence[R]
    # Each row's cells already cut to the columns at `width` (None where a cell is styled
    # Text): formatted in the fetching thread, so a page-down only has to paint.
    lines: Sequence[str | None] = ()
    width: int = 0


class PagedTable(ScrollView, Generic[R], can_focus=True, inherit_bindings=False):
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

    PAGE_SIZE = 100
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
        self._pages: OrderedDict[int, _Page[R]] = OrderedDict()
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

    # ---------------------------------------------------------------- the data source

    def set_source(self, fetch: Fetch[R], count: Count) -> None:
        """Show another list (another queue, another filter): cursor to the top, marks cleared."""
        self._fetch, self._count_fn = fetch, count
        self._pages.clear()
        self._marked.clear()
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.post_message(self.MarksChanged(self, 0))
        self._start(keep_pages=False)

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
        self._pages[0] = _Page(self._generation, list(first.rows)[: self.PAGE_SIZE])
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
        self._pages[message.page] = _Page(message.generation, rows, message.lines, message.width)
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
        self._count = message.count
        self._update_virtual_size()
        if self.cursor >= message.count:
            self.cursor = max(message.count - 1, 0)
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

    # ---------------------------------------------------------------- cursor and scrolling

    def _data_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 0)

    def _update_virtual_size(self) -> None:
        rows = self._count or 0
        self.virtual_size = Size(self.scrollable_content_region.width, rows + 1)

    def on_resize(self, _event: events.Resize) -> None:
        self._columns_at = None
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self._load_visible()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._load_visible()

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y) + 1
        if 1 <= y < self.size.height:
            self.refresh_line(y + int(self.scroll_offset.y))

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped), scrolling as little as needed."""
        total = self._count or 0
        index = max(0, min(index, total - 1)) if total else 0
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if not self._scroll_cursor_into_view():
            self._refresh_row(old)
            self._refresh_row(index)
            self.refresh(Region(0, 0, self.size.width, 1))  # the position in the header
        self._announce_cursor()

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll so the cursor row is visible; True if it scrolled."""
        top = int(self.scroll_offset.y)
        height = max(self._data_height(), 1)
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + height:
            target = self.cursor - height + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def _announce_cursor(self) -> None:
        self.post_message(self.Highlighted(self, self.current_row))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_down(self) -> None:
        step = max(self._data_height() - 1, 1)
        top = int(self.scroll_offset.y)
        self.scroll_to(y=top + step, animate=False, immediate=True)
        self.move_cursor(self.cursor + step)

    def action_page_up(self) -> None:
        step = max(self._data_height() - 1, 1)
        top = int(self.scroll_offset.y)
        self.scroll_to(y=max(top - step, 0), animate=False, immediate=True)
        self.move_cursor(self.cursor - step)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor((self._count or 1) - 1)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if index >= (self._count or 0):
            return
        if index == self.cursor and event.chain >= 2:
            self.action_select()
        else:
            self.move_cursor(index)

    # ---------------------------------------------------------------- rendering

    def _layout(self, width: int) -> list[tuple[Column[R], int]]:
        if self._columns_at is not None and self._columns_at[0] == width:
            return self._columns_at[1]
        result = choose_columns(self.columns, width, 2 if self.markable else 1)
        self._columns_at = (width, result)
        return result

    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles are looked up once per repaint, not once per line.
        self._styles = {
            name: self.get_component_rich_style(f"paged-table--{name}") for name in COMPONENTS
        }
        self._base = self.rich_style
        self._width = self._last_width = self.scrollable_content_region.width
        self._top = int(self.scroll_offset.y)
        try:
            return super().render_lines(crop)
        finally:
            self._width = None

    def _style(self, component: str) -> Style:
        cached: dict[str, Style] | None = getattr(self, "_styles", None)
        if cached is not None and component in cached:
            return cached[component]
        style: Style = self.get_component_rich_style(f"paged-table--{component}")
        return style

    def _row_cells(self, row: R, width: int) -> str | None:
        """The row's cells cut or padded to their columns, or None if a cell is styled Text.
        Safe in a worker thread: it reads only the row and the column layout."""
        cells = [cell_text(column, row) for column, _ in self._layout(width)]
        if not all(isinstance(cell, str) for cell in cells):
            return None
        return " ".join(
            fit(cell, size, column.justify)  # type: ignore[arg-type]
            for cell, (column, size) in zip(cells, self._layout(width), strict=False)
        )

    def _line(self, cells: Sequence[str | Text], gutter: str, style: Style, width: int) -> Strip:
        """One row as segments: each cell cut or padded to its column by cell width (wide
        characters count twice), with an ellipsis where text was cut."""
        # One segment per run of same-styled text: far cheaper for the compositor to cut.
        segments: list[Segment] = []
        run: list[str] = [gutter]
        used = len(gutter)
        for i, (cell, (column, size)) in enumerate(zip(cells, self._layout(width), strict=False)):
            if i:
                run.append(" ")
            used += size + (1 if i else 0)
            if isinstance(cell, str):
                run.append(fit(cell, size, column.justify))
                continue
            own = Style.parse(cell.style) if isinstance(cell.style, str) else cell.style
            segments.append(Segment("".join(run), style))
            segments.append(Segment(fit(cell.plain, size, column.justify), style + own))
            run = []
        return self._finish(segments, run, used, style, width)

    @staticmethod
    def _finish(
        segments: list[Segment], run: list[str], used: int, style: Style, width: int
    ) -> Strip:
        if used < width:
            run.append(" " * (width - used))
        segments.append(Segment("".join(run), style))
        if used > width:  # columns wider than the table (a very narrow terminal)
            return Strip(segments).crop(0, width)
        return Strip(segments, width)

    def _header(self, style: Style, width: int) -> Strip:
        """Column labels, and where the cursor is: `1,234/129,897` (there is no scrollbar: it
        says little about 100k rows and costs a repaint on every page)."""
        gutter = " " * (2 if self.markable else 1)
        labels = [c.label for c, _ in self._layout(width)]
        if not self._count:
            return self._line(labels, gutter, style, width)
        where = f" {self.cursor + 1:,}/{self._count:,} "
        keep = max(width - len(where), 0)
        # The labels as one string, cut with "…" where the position would cover them.
        text = (
            gutter
            + " ".join(
                fit(label, size, column.justify)
                for label, (column, size) in zip(labels, self._layout(width), strict=False)
            )
        ).rstrip()
        head = fit(text, keep, "left")
        return Strip([Segment(head + where, style)]).crop(0, width)

    def _gutter(self, index: int, row: R | None) -> str:
        cursor = ">" if index == self.cursor else " "
        if not self.markable:
            return cursor
        marked = row is not None and self.row_key(row) in self._marked
        return cursor + ("*" if marked else " ")

    def render_line(self, y: int) -> Strip:
        width = self._width if self._width is not None else self.scrollable_content_region.width
        base = getattr(self, "_base", None) or self.rich_style
        if y == 0:
            return self._header(base + self._style("header"), width)
        top = self._top if self._width is not None else int(self.scroll_offset.y)
        index = top + y - 1
        total = self._count
        if self._error is not None and y == 1:
            return self._message(self._error, "warning", width)
        if total is None or total == 0:
            if y > 1:
                return Strip.blank(width, base)
            return self._message(
                "Loading…" if total is None and self._fetch is not None else self.empty_text,
                "placeholder",
                width,
            )
        if index >= total:
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            return self._message("…", "placeholder", width, gutter=self._gutter(index, None))
        style = base
        extra = self.row_class(row) if self.row_class else ""
        if extra:
            style = style + self._style(extra)
        if self.row_key(row) in self._marked:
            style = style + self._style("marked")
        if index == self.cursor:
            style = style + self._style("cursor")
        gutter = self._gutter(index, row)
        page = self._pages.get(index // self.PAGE_SIZE)
        offset = index % self.PAGE_SIZE
        if page is not None and page.width == width and offset < len(page.lines):
            ready = page.lines[offset]
            if ready is not None:
                return self._finish(
                    [], [gutter, ready], len(gutter) + cell_len(ready), style, width
                )
        cells = [cell_text(column, row) for column, _ in self._layout(width)]
        return self._line(cells, gutter, style, width)

    def _message(self, text: str, component: str, width: int, gutter: str = "  ") -> Strip:
        style = (getattr(self, "_base", None) or self.rich_style) + self._style(component)
        return Strip([Segment(fit(gutter + clean(text), width, "left"), style)], width)


COMPONENTS = ("header", "cursor", "marked", "warning", "muted", "placeholder")
