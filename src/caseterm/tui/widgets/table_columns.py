"""Columns of a table and how they share the terminal's width: each column has a label, a
width or a share of what is left (`grow`), a priority (which goes first when there is no room)
and the cell it shows for a row. `choose_columns` picks and sizes them for a width; `fit` cuts a
cell with an ellipsis. Used by `PagedTable` and by any list laid out in columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from caseterm.tui import symbols
from caseterm.tui.safe import clean

R = TypeVar("R")

Fetch = Callable[[int, int], Sequence[R]]
Count = Callable[[], int]


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column. `width` 0 shares what the other columns leave (in proportion to `grow`).

    At each width every column is shown if it fits at its `min_width`; when they do not all
    fit, the column with the highest `priority` number goes first (ties: the rightmost), and
    so on. `priority` 0 means never dropped (only cut). `hide_below`, the older way of saying
    this, counts as the priority when no priority is given: a column that used to vanish below
    110 columns now goes before one that vanished below 90, and only when it must.

    `min_width` is the narrowest the column is cut to (with "…") rather than dropped: by
    default a column that may be dropped is shown whole or not at all, one that may not is cut
    down to its label's width (at least 8), and a sharing column to 12. What is left once every
    shown column has its minimum goes first to the fixed columns, never-dropped ones first,
    up to their `width`, then to the sharing columns."""

    label: str
    cell: Callable[[R], str | Text]
    width: int = 0
    hide_below: int = 0
    justify: Literal["left", "right"] = "left"
    grow: int = 1
    priority: int = 0
    min_width: int = 0

    @property
    def rank(self) -> int:
        """The order in which columns are dropped: higher first; 0 never."""
        return self.priority or self.hide_below

    @property
    def narrowest(self) -> int:
        if self.min_width:
            return min(self.min_width, self.width) if self.width else self.min_width
        if self.width:
            return self.width if self.rank else min(self.width, max(cell_len(self.label), 8))
        return 12


COMFORTABLE = 20  # cells per `grow` a sharing column should have before optional ones show


def choose_columns(
    columns: Sequence[Column[R]], width: int, gutter: int, *, comfortable: int = COMFORTABLE
) -> list[tuple[Column[R], int]]:
    """The columns shown at `width` and the width of each (see `Column`; `comfortable` is what
    a sharing column gets per `grow` before optional columns show or widen)."""
    shown = list(columns)

    def needed(cols: Sequence[Column[R]], *, whole: bool = False) -> int:
        # `whole`: the never-dropped columns at full width (they are cut only once every
        # column that may go has gone).
        return (
            sum(c.width if whole and c.width and not c.rank else c.narrowest for c in cols)
            + max(len(cols) - 1, 0)
            + gutter
        )

    droppable = sorted((i for i, c in enumerate(shown) if c.rank), key=lambda i: (shown[i].rank, i))
    dropped: set[int] = set()
    while droppable and (
        needed([c for i, c in enumerate(shown) if i not in dropped], whole=True) > width
    ):
        dropped.add(droppable.pop())
    # Then room for reading: a fixed column that may go (a kind, an assignee) goes when the
    # sharing columns (subject, task, notes) would get less than COMFORTABLE cells per `grow`.
    # One or two cells (a priority digit) cost too little to be worth dropping, and a column
    # with a `min_width` asked to be cut rather than dropped.
    optional = [i for i in droppable if shown[i].width > 2 or not shown[i].width]
    optional = [i for i in optional if not shown[i].min_width]
    while optional:
        kept_now = [c for i, c in enumerate(shown) if i not in dropped]
        fixed = (
            sum((c.narrowest if c.min_width else c.width) for c in kept_now if c.width)
            + max(len(kept_now) - 1, 0)
            + gutter
        )
        wants = sum(comfortable * c.grow for c in kept_now if not c.width)
        if width - fixed >= wants or not shown[optional[-1]].width:
            break  # room enough, or next in line is itself a sharing column: keep it
        dropped.add(optional.pop())
    kept = [(i, c) for i, c in enumerate(shown) if i not in dropped]
    sizes = {i: c.narrowest for i, c in kept}
    spare = width - needed([c for _, c in kept])

    def top_up(i: int, limit: int) -> None:
        nonlocal spare
        extra = max(min(limit - sizes[i], spare), 0)
        sizes[i] += extra
        spare -= extra

    # Never-dropped fixed columns whole; then the sharing columns up to COMFORTABLE; then the
    # optional fixed columns, most wanted first; then the sharing columns share what is left.
    for i, c in kept:
        if c.width and not c.rank:
            top_up(i, c.width)
    sharing = [(i, c) for i, c in kept if not c.width]
    for i, c in sharing:
        top_up(i, comfortable * c.grow)
    for i, c in sorted(kept, key=lambda ic: (ic[1].rank, ic[0])):
        if c.width and c.rank:
            top_up(i, c.width)
    if spare > 0 and sharing:
        total_grow = sum(c.grow for _, c in sharing) or 1
        given = 0
        for n, (i, c) in enumerate(sharing):
            extra = spare - given if n == len(sharing) - 1 else spare * c.grow // total_grow
            sizes[i] += extra
            given += extra
    return [(c, sizes[i]) for i, c in kept]


@dataclass(frozen=True)
class FirstPage(Generic[R]):
    """The first rows of a list and its length, read ahead of the table (see `prime`)."""

    rows: Sequence[R]
    count: int


def cell_text(column: Column[Any], row: Any) -> str | Text:
    value = column.cell(row)
    return value if isinstance(value, Text) else clean(value)


def fit(text: str, width: int, justify: str) -> str:
    """`text` made exactly `width` cells wide: cut with an ellipsis ("…", or "..." where the
    terminal needs ASCII), or padded."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        mark = symbols.current().ellipsis
        if len(mark) >= width:
            mark = mark[:1]
        return set_cell_size(text, width - len(mark)) + mark
    pad = " " * (width - length)
    return pad + text if justify == "right" else text + pad
