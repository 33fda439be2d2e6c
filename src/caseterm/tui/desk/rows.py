"""How desk rows look: status words that read without colour, late rows marked in words too."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.services.reception import DeskMatch, DeskRow
from caseterm.tui.safe import clean, plain
from caseterm.tui.widgets.paged_table import Column, choose_columns

STATUS_WORDS: dict[str, str] = {
    "expected": "Expected",
    AppointmentStatus.ARRIVED: "Waiting",
    AppointmentStatus.SEEN: "Seen",
    AppointmentStatus.FAILED_TO_ATTEND: "Failed to attend",
}


def status_text(row: DeskRow) -> Text:
    if row.status == AppointmentStatus.ARRIVED:
        return Text(f"Waiting {row.minutes_waited or 0} min", style="bold")
    if row.status == "expected" and row.late:
        return Text("LATE", style="bold reverse")
    word = STATUS_WORDS.get(row.status, row.status)
    dim = (
        "dim" if row.status in (AppointmentStatus.SEEN, AppointmentStatus.FAILED_TO_ATTEND) else ""
    )
    return Text(word, style=dim, no_wrap=True, overflow="ellipsis")


def warnings_text(warnings: list[str]) -> Text:
    if not warnings:
        return Text("")
    return Text("! " + " · ".join(clean(w) for w in warnings), style="bold")


def name_and_warnings(name: str, warnings: list[str]) -> Text:
    """The name, and under it the desk warnings, wrapped onto as many lines as they need:
    they are safety information and are never cut (the row grows instead)."""
    if not warnings:
        return plain(name)
    return Text.assemble(Text(clean(name), style="bold"), "\n", warnings_text(warnings), end="")


def _capital(kind: str) -> str:
    """The appointment kind as a label ("Means interview"; the service gives it as it reads in a
    sentence, "means interview")."""
    return kind[:1].upper() + kind[1:]


def desk_cells(row: DeskRow) -> tuple[Text, ...]:
    return (
        Text(f"{row.starts_at:%H:%M}"),
        name_and_warnings(row.person_name, row.warnings),
        status_text(row),
        plain(row.staff_name),
        plain(row.date_of_birth),
        plain(_capital(row.kind)),
    )


def match_cells(match: DeskMatch, row: DeskRow | None) -> tuple[Text, ...]:
    when = Text(f"{row.starts_at:%H:%M}") if row else Text("—", style="dim")
    status = status_text(row) if row else Text("no appointment", style="dim")
    return (
        when,
        name_and_warnings(match.name, match.warnings),
        status,
        plain(row.staff_name if row else ""),
        plain(match.date_of_birth),
        plain(_capital(row.kind) if row else ""),
    )


def _unused(_row: object) -> str:
    return ""  # (the desk fills its DataTable itself; only the widths are chosen here)


# The desk's columns, in the order of the row's cells. Time, the name with its desk warnings
# wrapped under it, and the status are never dropped; when the screen is too narrow for
# everything, the type of appointment goes first, then whom they are seeing (cut with "…" down
# to 14 before that), and the date of birth last (it tells two people of one name apart). The
# name shares what is left (at least 16 cells; cut with "…").
COLUMNS: tuple[Column[object], ...] = (
    Column("Time", _unused, width=5),
    Column("Name and desk warnings", _unused, min_width=16),
    Column("Status", _unused, width=16, min_width=16),
    Column("Seeing", _unused, width=20, min_width=14, priority=2),
    Column("Born", _unused, width=10, min_width=10, priority=1),
    Column("Type", _unused, width=17, priority=3),
)
NAME_FIRST = 24  # the name's cells (with the padding) before whom they are seeing widens
CELL_PADDING = 1  # the DataTable's blank cell on each side of every column


def desk_columns(width: int) -> list[tuple[int, str, int]]:
    """The columns shown in `width` cells: (index into the row's cells, heading, width)."""
    # choose_columns counts one cell between columns; a DataTable column costs two more than
    # its width. So every column is asked for one cell more (and one gutter cell at the end).
    pad = 2 * CELL_PADDING - 1
    wider = [
        replace(
            c,
            width=c.width + pad if c.width else 0,
            min_width=c.min_width + pad if c.min_width else 0,
        )
        for c in COLUMNS
    ]
    chosen = choose_columns(wider, width, gutter=pad, comfortable=NAME_FIRST)
    index = {c.label: i for i, c in enumerate(COLUMNS)}
    return [(index[c.label], c.label, size - pad) for c, size in chosen]
