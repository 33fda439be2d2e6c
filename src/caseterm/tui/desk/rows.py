"""How desk rows look: status words that read without colour, late rows marked in words too."""

from __future__ import annotations

from rich.text import Text

from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.services.reception import DeskMatch, DeskRow
from caseterm.tui.safe import clean, plain

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


def desk_cells(row: DeskRow) -> tuple[Text, ...]:
    return (
        Text(f"{row.starts_at:%H:%M}"),
        name_and_warnings(row.person_name, row.warnings),
        status_text(row),
        plain(row.staff_name),
        plain(row.date_of_birth),
        plain(row.kind),
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
        plain(row.kind if row else ""),
    )


# (heading, width), most needed first so that 80 columns show time, name with its desk warnings
# under it, status, whom they are seeing and date of birth; type follows on wider screens.
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("Time", 5),
    ("Name and desk warnings", 24),
    ("Status", 16),
    ("Seeing", 14),
    ("Born", 10),
    ("Type", 12),
)
