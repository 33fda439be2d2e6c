"""What the diary screen shows: the days a view covers, the table's columns, the title (whose
diary, which days, the kind shown), the summary line (the appointments by status, or per day in
the week view) and the one-key outcomes. The screen is `diary.py`; its actions on an
appointment are `diary_actions.py`; how each row reads is `diary_agenda.py`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from sqlmodel import Session
from textual.binding import BindingType

from caseterm.core.models.vocab import Outcome
from caseterm.core.rules.catalogue import OUTCOME_KEYS, OUTCOMES, appointment_kind_label
from caseterm.core.services import diary_views
from caseterm.core.services.diary import APPOINTMENT_OUTCOMES
from caseterm.core.services.identity import Actor
from caseterm.tui.keymap import binding
from caseterm.tui.screens import diary_agenda as agenda
from caseterm.tui.screens.diary_agenda import GONE, STATUS_SHOWN, Row, View
from caseterm.tui.widgets.paged_table import Column, PagedTable

VIEWS: tuple[View, ...] = ("day", "week", "agenda")
AGENDA_DAYS = 28
# The one-key outcomes: the contact form's outcome keys, for the outcomes an appointment can have.
OUTCOME_KEYS_HERE = {k: code for k, code in OUTCOME_KEYS.items() if code in APPOINTMENT_OUTCOMES}
SHORT_OUTCOME: dict[str, str] = {
    Outcome.ATTENDED_COMPLIED: "attended",
    Outcome.FAILED_TO_ATTEND: "failed to attend",
    Outcome.ACCEPTABLE_ABSENCE: "acceptable",
    Outcome.UNACCEPTABLE_ABSENCE: "unacceptable",
    Outcome.COMPLETED: "completed",
    Outcome.INFORMATION_GIVEN: "info given",
}


def subject_label(session: Session, actor: Actor, kind: str, key: int) -> str:
    """How the diary of staff, a team or a room `key` is named in the title."""
    if kind == "staff" and key == actor.id:
        return "My diary"
    name = diary_views.subject_name(session, actor, kind=kind, key=key)
    return {"staff": name, "team": f"Team: {name}", "room": f"Room: {name}"}[kind]


def outcome_bindings() -> list[BindingType]:
    """A key for each outcome an appointment can have (`1` attended, `2` failed to attend, …)."""
    return [
        binding(
            key, f"outcome({code!r})", f"Outcome: {OUTCOMES[code]}", f"outcome_{code}", show=False
        )
        for key, code in OUTCOME_KEYS_HERE.items()
    ]


def date_range(view: View, day: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of what `view` shows around `day`: the day, its week from
    Monday, or AGENDA_DAYS days from it."""
    first = day
    if view == "week":
        first = day - timedelta(days=day.weekday())
    days = {"day": 1, "week": 7, "agenda": AGENDA_DAYS}[view]
    start = datetime.combine(first, time.min)
    return start, start + timedelta(days=days)


def diary_table(view: Callable[[], View]) -> PagedTable[Row]:
    """The diary's table (`view` says which view the When column is for)."""
    return PagedTable(
        [
            Column("When", lambda r: agenda.when_cell(r, view()), width=18),
            Column("Kind", agenda.kind_cell, width=15),
            Column("Case", agenda.case_cell, width=15),
            Column("Person", agenda.person_cell),
            Column("Status", agenda.status_cell, width=9),
            Column("With", agenda.with_cell, width=16, hide_below=100),
            Column("Room", agenda.room_cell, width=14, hide_below=118),
        ],
        row_key=agenda.row_key,
        row_class=agenda.row_class,
        markable=False,
        empty_text="No appointments.",
        id="diary-table",
    )


def keys_text() -> str:
    """The line of keys under the table."""
    keys = " · ".join(f"{k} {SHORT_OUTCOME[c]}" for k, c in OUTCOME_KEYS_HERE.items())
    return f"Outcome: {keys} · [ ] previous/next · g go to day · enter open case"


def title_text(label: str, view: View, day: date, kind: str) -> str:
    """`My diary · week of Mon 23 Nov – Sun 29 Nov 2026 · Court hearing only`."""
    start, end = date_range(view, day)
    last = (end - timedelta(days=1)).date()
    if view == "day":
        when = f"{day:%A %d %B %Y}"
    elif view == "week":
        when = f"week of {start:%a %d %b} – {last:%a %d %b %Y}"
    else:
        when = f"agenda {start:%a %d %b} – {last:%a %d %b %Y}"
    only = f" · {appointment_kind_label(kind)} only" if kind else ""
    return f"{label} · {when}{only}"


def summary_text(
    rows: Sequence[Row],
    view: View,
    day: date,
    hidden_deadlines: int,
    *,
    page: diary_views.DiaryPage | None = None,
) -> str:
    """The week's appointments per day, or the appointments listed by status (with the
    agenda's deadlines). `page`: `rows` is the first page of a longer list, counted there."""
    counted = page is not None and page.total > len(rows)
    appointments = agenda.appointments_of(rows)
    if view == "week":
        start, _ = date_range(view, day)
        per_day: Counter[date] = Counter()
        if page is not None and counted:
            for (on, status), n in page.counts.items():
                per_day[on] += n if status not in GONE else 0
        else:
            per_day.update(
                r.appointment.starts_at.date()
                for r in appointments
                if r.appointment.status not in GONE
            )
        days = [start.date() + timedelta(days=i) for i in range(7)]
        return "  ".join(f"{d:%a %d}: {per_day.get(d, 0)}" for d in days)
    if page is not None and counted:
        return _counted(page)
    # Every appointment listed is counted, as the CLI lists them; the parts add up.
    statuses = Counter(STATUS_SHOWN.get(r.appointment.status, "") for r in appointments)
    parts = [f"{n} {status}" for status, n in statuses.items() if n]
    text = f"{len(appointments)} appointment{'s' if len(appointments) != 1 else ''}"
    text += f" ({', '.join(parts)})" if parts else ""
    text += agenda.deadlines_summary(rows, hidden_deadlines)
    return text


def _counted(page: diary_views.DiaryPage) -> str:
    """The summary of a list read a page at a time, from its counts by status."""
    statuses: Counter[str] = Counter()
    for status, n in sorted(page.by_status.items()):
        statuses[STATUS_SHOWN.get(status, "")] += n
    parts = [f"{n} {status}" for status, n in statuses.items() if n]
    text = f"{page.total} appointment{'s' if page.total != 1 else ''}"
    return text + (f" ({', '.join(parts)})" if parts else "")
