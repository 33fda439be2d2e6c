"""What the diary lists: appointments and, in the agenda of a member of staff or a team, the
statutory deadlines (running clocks) falling due on their cases, each marked as a deadline on
its day before that day's appointments, the overdue ones first and in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from rich.text import Text

from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.rules.catalogue import appointment_kind_label
from caseterm.core.services.diary_deadlines import DiaryDeadline
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.safe import plain

View = Literal["day", "week", "agenda"]
Row = DiaryRow | DiaryDeadline
DEADLINE = "DEADLINE"  # how a deadline reads in the Kind column
STATUS_SHOWN: dict[str, str] = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.ARRIVED: "arrived",
    AppointmentStatus.SEEN: "seen",
    AppointmentStatus.FAILED_TO_ATTEND: "FTA",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.RESCHEDULED: "moved",
}
GONE = (AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED)  # no longer in the diary


def merged(appointments: Sequence[DiaryRow], deadlines: Sequence[DiaryDeadline]) -> list[Row]:
    """Appointments and deadlines in date order: a day's deadlines before its appointments
    (overdue ones, due before the range, come first of all)."""

    def day(row: Row) -> tuple[date, int, int]:
        if isinstance(row, DiaryDeadline):
            return (row.due_date, 0, row.clock.id)
        return (row.appointment.starts_at.date(), 1, 0)

    # sorted() is stable: appointments keep their time order within a day.
    return sorted([*deadlines, *appointments], key=day)


def row_key(row: Row) -> object:
    return f"deadline:{row.clock.id}" if isinstance(row, DiaryDeadline) else row.appointment.id


def row_class(row: Row) -> str:
    if isinstance(row, DiaryDeadline):
        return "warning" if row.clock.overdue else ""
    status = row.appointment.status
    if status == AppointmentStatus.FAILED_TO_ATTEND:
        return "warning"
    return "muted" if row.restricted or status in GONE else ""


def when_cell(row: Row, view: View) -> Text:
    if isinstance(row, DiaryDeadline):
        return plain(f"{row.due_date:%a %d/%m} due" if view != "day" else "due today")
    a = row.appointment
    span = f"{a.starts_at:%H:%M}–{a.ends_at:%H:%M}"
    return plain(span if view == "day" else f"{a.starts_at:%a %d} {span}")


def kind_cell(row: Row) -> Text:
    if isinstance(row, DiaryDeadline):
        return Text(DEADLINE, style="bold")
    return plain(appointment_kind_label(row.appointment.kind))


def case_cell(row: Row) -> Text:
    return plain(row.clock.case_reference if isinstance(row, DiaryDeadline) else row.case_reference)


def person_cell(row: Row) -> Text:
    """For a deadline: how long is left (or how late it is) in words, first so that a narrow
    column keeps it, then what falls due and whom it is about."""
    if isinstance(row, DiaryDeadline):
        about = f" ({row.person_name})" if row.person_name else ""
        letter = f" · letter {row.clock.letter_template}" if row.clock.letter_template else ""
        return plain(f"{row.clock.in_words}: {row.clock.label}{about}{letter}")
    return plain(row.person_name, "italic" if row.restricted else "")


def status_cell(row: Row) -> Text:
    if isinstance(row, DiaryDeadline):
        return plain("OVERDUE" if row.clock.overdue else "running")
    return plain(STATUS_SHOWN.get(row.appointment.status, ""))


def with_cell(row: Row) -> Text:
    """Whom it is with, and how many more attend (a meeting); a deadline's case owner."""
    if isinstance(row, DiaryDeadline):
        return plain(row.owner_name)
    more = f" +{len(row.attendees)}" if row.attendees else ""
    return plain(f"{row.staff_name}{more}")


def room_cell(row: Row) -> Text:
    return plain("" if isinstance(row, DiaryDeadline) else row.room_name)


def appointments_of(rows: Sequence[Row]) -> list[DiaryRow]:
    return [r for r in rows if isinstance(r, DiaryRow)]


def deadlines_summary(rows: Sequence[Row], hidden: int) -> str:
    """ " · 2 deadlines (1 overdue)" for the summary line; "" when there are none."""
    found = [r for r in rows if isinstance(r, DiaryDeadline)]
    if not found and not hidden:
        return ""
    overdue = sum(1 for r in found if r.clock.overdue)
    text = f" · {len(found)} deadline{'' if len(found) == 1 else 's'}"
    parts = [f"{overdue} overdue"] if overdue else []
    parts += [f"{hidden} on restricted cases not shown"] if hidden else []
    return text + (f" ({', '.join(parts)})" if parts else "")
