"""The desk: today's expected arrivals at one office, type-ahead search, one key to check in.

Everything runs through `core.services.reception`, which shows a desk only what a desk needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from caseterm.core import clock
from caseterm.core.models.vocab import AppointmentStatus
from caseterm.core.services import reception
from caseterm.core.services.reception import DeskMatch, DeskRow
from caseterm.tui.base_app import DbStatus
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.desk.modals import CloseSessionDialog, WalkIn, WalkInDialog
from caseterm.tui.desk.rows import desk_cells, desk_columns, match_cells
from caseterm.tui.focus import focus_now
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import clean
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput


@dataclass
class Selected:
    appointment_id: int | None
    person_id: int | None
    name: str
    status: str | None


SCROLLBAR = 2  # the table's vertical scroll bar, always reserved (desk.tcss)


class DeskScreen(Screen[None]):
    HELP_TITLE = "Reception desk"
    CSS_PATH = Path(__file__).with_name("desk.tcss")
    BINDINGS = [
        Binding("enter", "check_in", "Check in", id="check_in", priority=True),
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("escape", "clear_search", "Clear", id="back"),
        Binding("f2", "walk_in", "Walk-in", id="walk_in", priority=True),
        # Before F4 in the key bar: at 80 columns the end-of-day close stays in sight, and F4
        # (in help, the palette and from 100 columns) is behind the "…".
        Binding("f8", "close_session", "Close session", id="close_session", priority=True),
        # F4, not `$` as on a case: the search box always has the focus and takes `$`.
        Binding("f4", "take_payment", "Payment", id="desk_take_payment", priority=True),
        Binding("f5", "refresh", "Refresh", id="refresh", priority=True),
        Binding("down", "cursor_down", "Down", show=False, id="cursor_down", priority=True),
        Binding("up", "cursor_up", "Up", show=False, id="cursor_up", priority=True),
    ]

    def __init__(self, office_id: int, office_name: str, *, can_leave: bool = False) -> None:
        super().__init__()
        self.can_leave = can_leave  # opened from the workstation (not the locked-down desk app)
        self.office_id = office_id
        self.office_name = office_name
        self.rows: list[DeskRow] = []
        self.matches: list[DeskMatch] | None = None
        self.query_text = ""
        self._seen_generation = 0
        self._day_pending = False  # a read of today's list is under way
        self._loaded = False  # rows have been shown once
        self._columns: list[tuple[int, str, int]] = []  # (cell index, heading, width) shown

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield PlainInput(placeholder="Type a name, date of birth or reference…", id="search")
        yield DataTable(id="desk", cursor_type="row", zebra_stripes=False)
        yield Static(id="status")
        yield DbStatus()
        yield KeyBar()

    def on_mount(self) -> None:
        self._lay_out(self.app.size.width)
        self._title()
        focus_now(self.query_one(Input))
        self.refresh_rows()
        self.set_interval(30, self.refresh_rows)  # minutes waited keep counting

    def _lay_out(self, width: int) -> None:
        """Choose the columns for `width` (rows/desk_columns) and show the rows in them again."""
        columns = desk_columns(width - SCROLLBAR)
        if columns == self._columns:
            return
        self._columns = columns
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for _, heading, size in columns:
            table.add_column(heading, key=heading, width=size)
        if self._loaded:
            self._show(self.rows, self.matches)

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out(event.size.width)

    def _title(self) -> None:
        now = clock.now()
        mode = (
            f"search: {clean(self.query_text)}" if self.matches is not None else "today's arrivals"
        )
        self.query_one("#title", Static).update(
            Text(
                f" Reception — {clean(self.office_name)} — {now:%a %d/%m/%Y %H:%M} — ", style="bold"
            )
            + Text(mode)
        )

    def say(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(clean(text)))

    # ------------------------------------------------------------------ data
    @property
    def _actor(self) -> Any:
        return self.app.ctx.actor  # type: ignore[attr-defined]

    def refresh_rows(self, today_too: bool = True) -> None:
        """Refetch the search matches, and today's list unless only the typed text changed (a
        key press costs one search, not a reload of the day)."""
        actor, office_id, query = self._actor, self.office_id, self.query_text
        self._seen_generation = getattr(self.app, "data_generation", 0)
        # A read of the day that this one replaces (they are exclusive) is done by this one.
        today_too = today_too or self._day_pending
        self._day_pending = today_too
        kept = self.rows

        def read(s: Any) -> tuple[list[DeskRow], list[DeskMatch] | None]:
            rows = reception.expected_today(s, actor, office_id=office_id) if today_too else kept
            matches = (
                reception.desk_search(s, actor, office_id=office_id, text=query) if query else None
            )
            return rows, matches

        def got(result: tuple[list[DeskRow], list[DeskMatch] | None]) -> None:
            if today_too:
                self._day_pending = False
            self._show(*result)

        run_db(
            self,
            read,
            done=got,
            failed=lambda error: self.say(describe_error(error)),
            what="reading today's arrivals",
            group="desk-load",
            exclusive=True,
        )

    def _show(self, rows: list[DeskRow], matches: list[DeskMatch] | None) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.rows = rows
        self.matches = matches
        self._loaded = True
        table.clear()
        by_appt = {r.appointment_id: r for r in rows}
        shown = [i for i, _, _ in self._columns]
        if matches is None:
            for row in rows:
                cells = desk_cells(row)
                table.add_row(*(cells[i] for i in shown), key=f"a{row.appointment_id}", height=None)
            waiting = sum(1 for r in rows if r.status == AppointmentStatus.ARRIVED)
            expected = sum(1 for r in rows if r.status == "expected")
            self.say(f"{len(rows)} today · {expected} expected · {waiting} waiting")
        else:
            for m in matches:
                cells = match_cells(m, by_appt.get(m.appointment_id or 0))
                table.add_row(
                    *(cells[i] for i in shown),
                    key=f"p{m.person_id}",
                    height=None,  # desk warnings wrap under the name, never cut
                )
            self.say(
                f"{len(matches)} found" if matches else "Nobody found: F2 logs a walk-in by name"
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        self._title()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        typed = event.value.strip()
        if typed == self.query_text:
            return  # cleared by the desk itself, which reads again as it needs
        self.query_text = typed
        self.refresh_rows(today_too=False)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_check_in()

    # --------------------------------------------------------------- actions
    def selected(self) -> Selected | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        index = table.cursor_row
        if self.matches is None:
            if index >= len(self.rows):
                return None
            row = self.rows[index]
            return Selected(row.appointment_id, row.person_id, row.person_name, row.status)
        if index >= len(self.matches):
            return None
        m = self.matches[index]
        status = next((r.status for r in self.rows if r.appointment_id == m.appointment_id), None)
        return Selected(m.appointment_id, m.person_id, m.name, status)

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_clear_search(self) -> None:
        """escape clears the search; with nothing to clear it goes back to the workstation
        (only when the desk was opened from there: the desk app has nowhere to go back to)."""
        search = self.query_one(Input)
        if not search.value and self.can_leave:
            self.app.pop_screen()
            return
        search.value = ""
        search.focus()

    def action_refresh(self) -> None:
        self.refresh_rows()

    def action_check_in(self) -> None:
        choice = self.selected()
        if choice is None:
            self.say("Nothing selected")
            return
        if choice.appointment_id is None:
            self.say(f"{choice.name} has no appointment here today: F2 logs a walk-in")
            return
        if choice.status != "expected":
            state = (choice.status or "dealt with").replace("_", " ")
            self.say(f"{choice.name} is already {state}")
            return
        self._check_in(choice.appointment_id, choice.name)

    def _check_in(self, appointment_id: int, name: str) -> None:
        actor = self._actor
        run_db(
            self,
            lambda s: reception.check_in(s, actor, appointment_id),
            done=lambda _: self._checked_in(name),
            failed=lambda error: self._failed(f"{name} not checked in", error),
            write=True,
            what=f"checking in {name}",
            group="desk-write",
        )

    def _failed(self, title: str, error: Exception) -> None:
        """A write failed: say why here and in a notification; what was typed stays."""
        why = describe_error(error)
        self.say(f"{title}: {why}")
        self.app.notify(clean(why), title=clean(title), severity="error", markup=False)

    def _checked_in(self, name: str) -> None:
        self.app.notify(f"Checked in {clean(name)}; their worker has been told", markup=False)
        self._after_write()

    def _after_write(self) -> None:
        """Back to today's list for the next visitor; the desk stays open (escape leaves)."""
        search = self.query_one(Input)
        search.value = ""
        self.query_text = ""
        search.focus()
        self.refresh_rows()

    def action_take_payment(self) -> None:
        """F4: a payment from the person selected, on their case's account."""
        from caseterm.tui.desk.payment import take_payment_at_desk

        choice = self.selected()
        if choice is None or choice.person_id is None:
            self.say("Nothing selected: find the payer first")
            return
        take_payment_at_desk(self, self.say, choice.person_id, choice.name)

    def action_walk_in(self) -> None:
        choice = self.selected() if self.matches is not None else None
        person_id = choice.person_id if choice else None
        name = choice.name if choice else self.query_text
        self.app.push_screen(WalkInDialog(person_id, name), self._walk_in)

    def _walk_in(self, result: WalkIn | None) -> None:
        if result is not None:
            self._log_walk_in(result)

    def _log_walk_in(self, walk: WalkIn) -> None:
        actor, office_id = self._actor, self.office_id
        run_db(
            self,
            lambda s: reception.walk_in(
                s, actor, office_id, person_id=walk.person_id, name=walk.name, reason=walk.reason
            ),
            done=lambda _: self._walked_in(walk.name),
            failed=lambda error: self._walk_in_failed(walk, error),
            write=True,
            what="logging the walk-in",
            group="desk-write",
        )

    def _walk_in_failed(self, walk: WalkIn, error: Exception) -> None:
        self._failed(f"Walk-in for {walk.name} not logged", error)
        # The dialog again, as it was typed, with why it was not logged.
        why = describe_error(error)
        again = WalkInDialog(walk.person_id, walk.name, reason=walk.reason, error=why)
        self.app.push_screen(again, self._walk_in)

    def _walked_in(self, name: str) -> None:
        self.app.notify(f"Walk-in logged for {clean(name)}: sent to the duty queue", markup=False)
        self._after_write()

    def action_close_session(self) -> None:
        actor, office_id = self._actor, self.office_id
        run_db(
            self,
            lambda s: reception.not_arrived(s, actor, office_id),
            done=lambda rows: self.app.push_screen(CloseSessionDialog(rows), self._close_confirmed),
            failed=lambda error: self._failed("Cannot close the session", error),
            what="reading who has not arrived",
            group="desk-load-not-arrived",
        )

    def _close_confirmed(self, ids: list[int] | None) -> None:
        if ids:
            self._close_session(ids)

    def _close_session(self, ids: list[int]) -> None:
        actor, office_id = self._actor, self.office_id
        run_db(
            self,
            lambda s: reception.close_session(s, actor, office_id, ids),
            done=lambda entries: self._session_closed(len(entries)),
            failed=lambda error: self._failed("Session not closed", error),
            write=True,
            what="closing the session",
            group="desk-write",
        )

    def _session_closed(self, count: int) -> None:
        self.app.notify(
            f"{count} marked failed to attend; follow-up tasks raised for their owners",
            markup=False,
        )
        self.refresh_rows()

    def on_data_changed(self, _message: DataChanged) -> None:
        # The app's live updates send DataChanged to the screen on view.
        self.data_changed()

    def on_screen_resume(self) -> None:
        # Changes that arrived while a dialog was on top.
        if getattr(self.app, "data_generation", 0) != self._seen_generation:
            self.refresh_rows()

    def data_changed(self, _: Any = None) -> None:
        """Another process committed (a check-in elsewhere, an outcome recorded): refetch."""
        self.refresh_rows()
