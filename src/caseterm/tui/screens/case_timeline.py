"""The case's Timeline section: its casework events (newest first, filtered by kind) and its
statutory clocks (running ones first, overdue marked in words), and the dialog that records an
event (`E` on the case screen). On a running clock, `m` records it met (today, or the day typed;
late by so many working days if after its end) and `w` waives it with a reason
(`case_events.close_clock`, as `caseterm clock met|waive`). Kept out of case_detail.py, which only
places it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, Select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import ClockStatus
from caseterm.core.rules.clocks import event_kinds
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day
from caseterm.core.services import case_events, deadlines
from caseterm.core.services.case_events import EventRow
from caseterm.core.services.deadlines import ClockRow
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, uk_date
from caseterm.tui.screens.event_dialog import EventScreen
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.paged_table import Column, PagedTable

# The case screen (case_detail.CaseDetailScreen), which imports this module: typed loosely here
# so that the two do not import each other.
CaseDetailScreen = Any

EVENT_COLUMNS: list[Column[EventRow]] = [
    Column("Date", lambda r: uk_date(r.event_date), width=10),
    Column("Event", lambda r: r.label, width=30),
    Column("Details", lambda r: r.details.replace("\n", " "), grow=2),
    Column("Documents", lambda r: ", ".join(d.short for d in r.documents), width=18),
    Column("Recorded by", lambda r: r.recorded_by, width=16, hide_below=100),
]
CLOCK_COLUMNS: list[Column[ClockRow]] = [
    Column("Ends", lambda r: uk_date(r.due_date), width=10),
    Column("Clock", lambda r: r.label, grow=2),
    Column("State", lambda r: r.in_words, width=28),
    Column("Started", lambda r: uk_date(r.started_on), width=10, hide_below=100),
    Column("Letter", lambda r: r.letter_template or "–", width=12, hide_below=100),
]


def event_record(r: EventRow) -> tuple[str, list[tuple[str, str]], str]:
    """An event as `enter` shows it: when, who recorded it, its documents, its details."""
    docs = [f"{d.short} ({'received' if d.kind == 'received' else d.kind})" for d in r.documents]
    fields = [
        ("Date", uk_date(r.event_date)),
        ("Recorded by", r.recorded_by or "–"),
        ("Documents", "; ".join(docs) or "none (E records an event with one; i on papers)"),
    ]
    return r.label, fields, r.details


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
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("m", "clock_met", "Clock met", "clock_met"),
        binding("w", "waive_clock", "Waive clock", "waive_clock"),
    ]

    def action_clock_met(self) -> None:
        close_clock(self.screen, waive=False)

    def action_waive_clock(self) -> None:
        close_clock(self.screen, waive=True)

    def compose(self) -> ComposeResult:
        yield from _section_widgets()

    @on(PagedTable.Selected, "#events-table")
    def _event_selected(self, event: PagedTable.Selected) -> None:
        """`enter` on an event: it in full, with the documents that evidence it."""
        self.app.push_screen(RecordScreen(*event_record(event.row)))

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


def record(screen: CaseDetailScreen) -> None:
    """`E`: ask for the event, record it, then show the timeline with the new clocks."""
    if screen.case_id is None or screen.view is None:
        return
    case_id = screen.case_id
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

    def chosen(result: case_events.Recorded | None) -> None:
        if result is not None:
            recorded(result)

    view = screen.view
    screen.app.push_screen(EventScreen(case_id, view.case.reference, view.case_type.code), chosen)


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


def close_clock(screen: CaseDetailScreen, *, waive: bool) -> None:
    """`m` / `w` on the clocks: the running clock under the cursor met (on the day asked; today
    if none is typed) or waived (the reason asked), then the timeline read again."""
    table = screen.table("clocks-table")
    row: ClockRow | None = table.current_row
    if row is None or not table.has_focus:
        table.focus()
        screen.notify("Put the cursor on a running clock, then press the key again.", markup=False)
        return
    if row.status != ClockStatus.RUNNING:
        screen.notify(
            f"{row.label} is {row.in_words.lower()}: only a running clock is met or waived.",
            severity="warning",
            markup=False,
        )
        return
    actor, clock_id, version = screen.ctx.actor, row.id, row.version

    def save(answer: str | None) -> None:
        if answer is None:
            return  # escape (or no reason to waive it): nothing recorded
        try:
            on = (
                None
                if waive or not answer.strip()
                else parse_day(answer, clock.today(), prefer="past")
            )
        except ValidationError as exc:
            screen.notify(f"Not recorded: {describe_error(exc)}", severity="error", markup=False)
            return

        def done(status: str) -> None:
            screen.notify(f"{row.label}: {status}.", markup=False)
            load(screen)

        def refused(error: Exception) -> None:
            screen.notify(f"Not recorded: {describe_error(error)}", severity="error", markup=False)

        run_db(
            screen,
            lambda s: case_events.close_clock(
                s,
                actor,
                clock_id=clock_id,
                on=on,
                waive_reason=answer if waive else "",
                expected_version=version,
            ),
            write=True,
            done=done,
            failed=refused,
            what="waiving the clock" if waive else "recording the clock met",
        )

    if waive:
        question, hint, optional = f"Waive {row.label}: why?", "the reason (required)", False
    else:
        question = f"{row.label} (ends {uk_date(row.due_date)}) met on which day?"
        hint, optional = f"blank: today; {DAY_EXAMPLES}", True
    screen.app.push_screen(PromptScreen(question, hint, optional=optional), save)
