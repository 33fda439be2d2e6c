"""What a paged table shows: its lines (the header with where the cursor is, each row cut to
its columns, a placeholder while a page loads) and the cursor's movement and scrolling. Where the
rows come from, the bounded page cache and marks are `PagedTable`'s (paged_table.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from caseterm.tui.safe import clean
from caseterm.tui.widgets.table_columns import Column, Fetch, cell_text, choose_columns, fit

R = TypeVar("R")

COMPONENTS = ("header", "cursor", "marked", "warning", "muted", "placeholder")


@dataclass
class Page(Generic[R]):
    generation: int
    rows: Sequence[R]
    # Each row's cells already cut to the columns at `width` (None where a cell is styled
    # Text): formatted in the fetching thread, so a page-down only has to paint.
    lines: Sequence[str | None] = ()
    width: int = 0


class TableView(ScrollView, Generic[R]):
    """Drawing and cursor movement for `PagedTable`, which owns the state declared here."""

    PAGE_SIZE = 100  # rows per page fetched
    columns: list[Column[R]]
    row_key: Callable[[R], Hashable]
    row_class: Callable[[R], str] | None
    markable: bool
    empty_text: str
    _fetch: Fetch[R] | None
    cursor: int
    _pages: OrderedDict[int, Page[R]]
    _count: int | None
    _error: str | None
    _marked: dict[Hashable, R]
    _width: int | None
    _top: int
    _last_width: int
    _columns_at: tuple[int, list[tuple[Column[R], int]]] | None

    def row_at(self, index: int) -> R | None:
        raise NotImplementedError

    def _load_visible(self) -> None:
        raise NotImplementedError

    def _announce_cursor(self) -> None:
        raise NotImplementedError

    def action_select(self) -> None:
        raise NotImplementedError

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
        """Scroll so the cursor row is visible; True if it scrolled. Forced: Textual allows a
        scroll only once a layout has found the rows too many for the view, and rows counted a
        moment ago (End pressed as they arrive) are not laid out yet; the table places its own
        view, within the rows it has counted."""
        top = int(self.scroll_offset.y)
        height = max(self._data_height(), 1)
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + height:
            target = self.cursor - height + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return True

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_down(self) -> None:
        step = max(self._data_height() - 1, 1)
        top = int(self.scroll_offset.y)
        self.scroll_to(y=top + step, animate=False, immediate=True, force=True)
        self.move_cursor(self.cursor + step)

    def action_page_up(self) -> None:
        step = max(self._data_height() - 1, 1)
        top = int(self.scroll_offset.y)
        self.scroll_to(y=max(top - step, 0), animate=False, immediate=True, force=True)
        self.move_cursor(self.cursor - step)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor((self._count or 1) - 1)

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
