"""The case's Timeline section: its casework events (newest first, filtered by kind) and its
statutory clocks (running ones first, overdue marked in words), and the dialog that records an
event (`E` on the case screen). Kept out of case_detail.py, which only places it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.rules.clocks import event_kinds
from caseterm.core.rules.when import parse_day
from caseterm.core.services import case_events, deadlines
from caseterm.core.services.case_events import EventRow
from caseterm.core.services.deadlines import ClockRow
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, template, uk_date
from caseterm.tui.screens.pickers import PICKER_CSS
from caseterm.tui.widgets.paged_table import Column, PagedTable

# The case screen (case_detail.CaseDetailScreen), which imports this module: typed loosely here
# so that the two do not import each other.
CaseDetailScreen = Any

EVENT_COLUMNS: list[Column[EventRow]] = [
    Column("Date", lambda r: uk_date(r.event_date), width=10),
    Column("Event", lambda r: r.label, width=30),
    Column("Details", lambda r: r.details.replace("\n", " "), grow=2),
    Column("Recorded by", lambda r: r.recorded_by, width=16, hide_below=100),
]
CLOCK_COLUMNS: list[Column[ClockRow]] = [
    Column("Ends", lambda r: uk_date(r.due_date), width=10),
    Column("Clock", lambda r: r.label, grow=2),
    Column("State", lambda r: r.in_words, width=28),
    Column("Started", lambda r: uk_date(r.started_on), width=10, hide_below=100),
]


def clock_row_class(r: ClockRow) -> str:
    if r.overdue:
        return "warning"
    return "" if r.status == ClockStatus.RUNNING else "muted"


class TimelineSection(Vertical):
    """The Timeline tab: the event filter, the events, the clocks."""

    DEFAULT_CSS = """
    TimelineSection { height: 1fr; }
    TimelineSection > #events-table { height: 2fr; }
    TimelineSection > #clocks-table { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield from _section_widgets()

    @on(Select.Changed, "#filter-event")
    def _filter_changed(self) -> None:
        screen = self.screen
        if getattr(screen, "case_id", None) is not None:
            load(screen)


def _section_widgets() -> ComposeResult:
    yield Select[str]([], prompt="Any event", compact=True, id="filter-event")
    yield PagedTable(
        EVENT_COLUMNS,
        row_key=lambda r: r.id,
        markable=False,
        empty_text="No casework events. E records one.",
        id="events-table",
    )
    yield Label(content("Statutory clocks"), classes="section-title")
    yield PagedTable(
        CLOCK_COLUMNS,
        row_key=lambda r: r.id,
        row_class=clock_row_class,
        markable=False,
        empty_text="No clocks.",
        id="clocks-table",
    )


def load(screen: CaseDetailScreen) -> None:
    """Read the timeline (in the chosen kind) and the clocks into their tables."""
    actor, case_id = screen.ctx.actor, screen.case_id
    assert case_id is not None
    if screen.view is not None and "timeline-kinds" not in screen._loaded:
        kinds = event_kinds(screen.view.case_type.code)  # filled once, when first shown
        screen.query_one("#filter-event", Select).set_options(
            [(text, key) for key, (text, _) in kinds.items()]
        )
        screen._loaded.add("timeline-kinds")
    chosen = screen.query_one("#filter-event", Select).value
    kind = chosen if isinstance(chosen, str) else None

    def read(s: Any) -> tuple[list[EventRow], list[ClockRow]]:
        return (
            case_events.list_events(s, actor, case_id=case_id, kind=kind),
            deadlines.case_clocks(s, actor, case_id=case_id),
        )

    def show(found: tuple[list[EventRow], list[ClockRow]]) -> None:
        screen.table("events-table").show_rows(found[0], again=True)
        screen.table("clocks-table").show_rows(found[1], again=True)

    run_db(screen, read, done=show, what="reading the timeline", group="timeline", exclusive=True)


@dataclass(frozen=True)
class NewEvent:
    kind: str
    event_date: date
    details: str


class EventScreen(ModalScreen[NewEvent | None]):
    """Record a casework event: its kind, when it happened, what happened."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "cancel", "Cancel", "cancel")]
    DEFAULT_CSS = PICKER_CSS.format(name="EventScreen")

    def __init__(self, reference: str, case_type: str) -> None:
        super().__init__()
        self._reference = reference
        self._kinds = event_kinds(case_type)
        self._day: date | None = clock.today()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Record an event on $ref[/b]", ref=self._reference))
            yield Select[str](
                [(text, key) for key, (text, _) in self._kinds.items()],
                prompt="Which event",
                id="event-kind",
            )
            yield Input(value="today", placeholder="when: today, 20/11/2026, -3", id="event-date")
            yield Static(content(f"→ {clock.today():%A %d %B %Y}"), id="event-read")
            yield Input(placeholder="details (optional)", id="event-details")
            yield Static(
                content("enter next · enter on details saves · esc cancel"), classes="picker-hint"
            )

    def on_mount(self) -> None:
        focus_now(self.query_one("#event-kind", Select))

    @on(Select.Changed, "#event-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#event-date", Input).focus()  # next: when it happened

    @on(Input.Changed, "#event-date")
    def _read(self, event: Input.Changed) -> None:
        shown = self.query_one("#event-read", Static)
        self._day = None
        try:
            self._day = parse_day(event.value, clock.today(), prefer="past", field="date")
        except ValidationError as exc:
            shown.update(content(exc.reason))
            return
        shown.update(content(f"→ {self._day:%A %d %B %Y}"))

    @on(Input.Submitted, "#event-date")
    def _date_given(self) -> None:
        if self._day is not None:
            self.query_one("#event-details", Input).focus()  # then enter saves

    @on(Input.Submitted, "#event-details")
    def _submit(self) -> None:
        kind = self.query_one("#event-kind", Select).value
        if not isinstance(kind, str):
            self.notify("Choose which event.", severity="warning")
            self.query_one("#event-kind", Select).focus()
            return
        if self._day is None:
            self.notify("Give the date it happened.", severity="warning")
            self.query_one("#event-date", Input).focus()
            return
        label, may_be_future = self._kinds[kind]
        if self._day > clock.today() and not may_be_future:
            self.query_one("#event-read", Static).update(
                content(
                    f"{label} on {uk_date(self._day)} is in the future: record it once it happens"
                )
            )
            self.query_one("#event-date", Input).focus()
            return
        details = self.query_one("#event-details", Input).value
        self.dismiss(NewEvent(kind, self._day, details))

    def action_cancel(self) -> None:
        self.dismiss(None)


def record(screen: CaseDetailScreen) -> None:
    """`E`: ask for the event, record it, then show the timeline with the new clocks."""
    if screen.case_id is None or screen.view is None:
        return
    case_id, actor = screen.case_id, screen.ctx.actor
    if not event_kinds(screen.view.case_type.code):
        screen.app.notify(
            f"{screen.view.case_type.name} cases record no casework events.", severity="warning"
        )
        return

    def recorded(result: case_events.Recorded) -> None:
        started = len(result.started)
        screen.app.notify(
            f"Event recorded; {started} clock{'s' if started != 1 else ''} started."
            + (f" {len(result.task_ids)} task(s) raised." if result.task_ids else ""),
            markup=False,
        )
        screen.refresh_data()
        screen.action_section("timeline")

    def chosen(new: NewEvent | None) -> None:
        if new is None:
            return
        run_db(
            screen,
            lambda s: case_events.record_event(
                s,
                actor,
                case_id=case_id,
                kind=new.kind,
                event_date=new.event_date,
                details=new.details,
            ),
            write=True,
            done=recorded,
            what="recording the event",
        )

    view = screen.view
    screen.app.push_screen(EventScreen(view.case.reference, view.case_type.code), chosen)


def deadline_text(row: ClockRow | None) -> str:
    """The header's line: the soonest running clock and the working days left, in words."""
    if row is None:
        return ""
    ends = f"{row.due_date:%a} {uk_date(row.due_date)}"
    return f"Next deadline: {row.label}, ends {ends} — {row.in_words}"


def show_deadline(screen: CaseDetailScreen) -> None:
    """Put the case's next deadline in the header (nothing shown when no clock runs)."""
    from caseterm.tui.widgets.case_header import CaseHeader

    actor, case_id = screen.ctx.actor, screen.case_id
    if case_id is None:
        return
    run_db(
        screen,
        lambda s: deadlines.next_deadline(s, actor, case_id=case_id),
        done=lambda row: screen.query_one(CaseHeader).show_deadline(
            deadline_text(row), overdue=row is not None and row.overdue
        ),
        what="reading the deadlines",
        group="next-deadline",
        exclusive=True,
    )
