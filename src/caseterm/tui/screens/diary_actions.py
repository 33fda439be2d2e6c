"""The diary's actions on the appointment under the cursor: book, move or cancel it (or the rest
of its series), its attendees, its agenda and minutes, its outcome with one key (which logs the
contact entry and applies the breach rule), a contact on its case; and the diary on screen as a
calendar file, the kind filter and the court list. `DiaryScreen` (diary.py) binds the keys."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlmodel import Session
from textual.screen import Screen

from caseterm.core.errors import StaleEditError
from caseterm.core.models.vocab import ACTIVE_APPOINTMENT_STATUSES, AppointmentStatus
from caseterm.core.rules.catalogue import OUTCOMES
from caseterm.core.services import diary
from caseterm.core.services.diary_deadlines import DiaryDeadline
from caseterm.core.services.diary_views import DiaryRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.screens.diary_agenda import STATUS_SHOWN, Row, View
from caseterm.tui.screens.diary_attendees import DiaryAttendeesScreen
from caseterm.tui.screens.diary_booking import DiaryBookingScreen
from caseterm.tui.screens.diary_changes import DiaryCancelScreen, DiaryMoveScreen
from caseterm.tui.screens.diary_meetings import CourtListScreen, DiaryKindModal
from caseterm.tui.screens.diary_papers import BookingPapersScreen
from caseterm.tui.screens.stale import StaleScreen
from caseterm.tui.widgets.diary_pickers import DiarySubject
from caseterm.tui.widgets.paged_table import PagedTable


class DiaryActions(Screen[None]):
    """What the diary screen does to an appointment; the screen says whose diary and which days
    are shown (`subject`, `view`, `day`, `kind`) and reads them again (`_load`)."""

    subject: DiarySubject | None
    view: View
    day: date
    kind: str

    def _load(self, *, fresh: bool) -> None:
        raise NotImplementedError

    def _range(self) -> tuple[datetime, datetime]:
        raise NotImplementedError

    def action_export_diary(self) -> None:
        """What is on screen (the day, week or agenda) as an iCalendar file."""
        if self.subject is None:
            return
        from caseterm.core import exports
        from caseterm.core.services import export_views
        from caseterm.tui.screens.export_file import ask_and_write, writing_progress

        actor, subject = cast(HasContext, self.app).ctx.actor, self.subject
        start, end = self._range()
        filters: dict[str, Any] = {f"{subject.kind}_id": subject.id}

        shown = writing_progress(self, "appointments")

        def write(session: Any, target: Path) -> int:
            events = export_views.diary_events(session, actor, start=start, end=end, **filters)
            return exports.write_ics(
                target,
                events,
                name=f"caseterm: {subject.label}",
                option="file",
                progress=lambda n: shown(n, len(events)),
            )

        ask_and_write(
            self,
            what=f"the diary of {subject.label}",
            default_name=f"diary-{self.day:%Y-%m-%d}.ics",
            write=write,
            counted="appointments",
        )

    def current(self) -> Row | None:
        return cast(Row | None, self.query_one("#diary-table", PagedTable).current_row)

    def _usable(self, doing: str, statuses: tuple[str, ...] | None = None) -> DiaryRow | None:
        row = self.current()
        if row is None:
            self.notify("No appointment here.", severity="warning", markup=False)
            return None
        if isinstance(row, DiaryDeadline):
            self.notify(
                f"That is a deadline ({row.clock.label}): enter opens its case.",
                severity="warning",
                markup=False,
            )
            return None
        if row.restricted:
            self.notify(
                "That appointment is on a restricted case: ask its owner.",
                severity="warning",
                markup=False,
            )
            return None
        status = row.appointment.status
        if statuses is not None and status not in statuses:
            shown = STATUS_SHOWN.get(status, status)
            self.notify(f"Cannot {doing}: it is {shown}.", severity="warning", markup=False)
            return None
        return row

    def action_book(self) -> None:
        subject = self.subject
        staff_id = subject.id if subject is not None and subject.kind == "staff" else None
        self.app.push_screen(DiaryBookingScreen(staff_id=staff_id, day=self.day), self._booked)

    def _booked(self, ids: list[int] | None) -> None:
        if ids:
            many = f"{len(ids)} appointments" if len(ids) > 1 else "Appointment"
            self.notify(f"{many} booked.", markup=False)
            self._load(fresh=False)

    def action_move(self) -> None:
        row = self._usable("move it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(DiaryMoveScreen(row), self._changed)

    def action_cancel_appointment(self) -> None:
        row = self._usable("cancel it", ACTIVE_APPOINTMENT_STATUSES)
        if row is not None:
            self.app.push_screen(DiaryCancelScreen(row), self._changed)

    def action_move_rest(self) -> None:
        row = self._usable("move it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(
                DiaryMoveScreen(row, rest=row.appointment.series_id is not None), self._changed
            )

    def action_cancel_rest(self) -> None:
        row = self._usable("cancel it", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(
                DiaryCancelScreen(row, rest=row.appointment.series_id is not None), self._changed
            )

    def action_attendees(self) -> None:
        row = self._usable("change its attendees", (AppointmentStatus.BOOKED,))
        if row is not None:
            self.app.push_screen(DiaryAttendeesScreen(row), self._changed)

    def action_booking_papers(self) -> None:
        row = self._usable("see its agenda and minutes")
        if row is not None:
            self.app.push_screen(BookingPapersScreen(row), self._changed)

    def action_kind_filter(self) -> None:
        self.app.push_screen(DiaryKindModal(self.kind), self._kind_chosen)

    def _kind_chosen(self, kind: str | None) -> None:
        if kind is not None:
            self.kind = kind
            self._load(fresh=True)

    def action_court_list(self) -> None:
        self.app.push_screen(CourtListScreen(self.day))

    def _changed(self, _saved: bool | None) -> None:
        self._load(fresh=False)

    def action_outcome(self, outcome: str) -> None:
        row = self._usable("record an outcome", ACTIVE_APPOINTMENT_STATUSES)
        if row is None:
            return
        a = row.appointment
        if a.case_id is None:
            self.notify("This appointment has no case to record it in.", severity="warning")
            return
        actor = cast(HasContext, self.app).ctx.actor
        appointment_id, version, reference = a.id, a.version, row.case_reference

        def record(session: Session) -> int:
            entry = diary.record_outcome(
                session,
                actor,
                appointment_id=appointment_id,
                outcome=outcome,
                expected_version=version,
            )
            return entry.id or 0  # the screen keeps the number, not the record

        run_db(
            self,
            record,
            done=lambda entry_id: self._recorded(outcome, reference, entry_id),
            failed=self._not_recorded,
            write=True,
            what="recording the outcome",
        )

    def _recorded(self, outcome: str, reference: str, entry_id: int) -> None:
        self.notify(
            f"{OUTCOMES[outcome]} recorded on {reference} (contact entry {entry_id}).",
            markup=False,
        )
        self._load(fresh=False)

    def _not_recorded(self, error: Exception) -> None:
        if isinstance(error, StaleEditError):
            self.app.push_screen(StaleScreen(error), lambda _answer: self._load(fresh=False))
            return
        self.notify(f"Not recorded: {error}", severity="warning", markup=False)
        self._load(fresh=False)

    def action_new_contact(self) -> None:
        row = self._usable("log a contact")
        if row is not None and row.appointment.case_id is not None:
            cast(HasContext, self.app).new_contact(row.appointment.case_id)
