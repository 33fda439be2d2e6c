"""The dialog that records a casework event (`E` on the case screen): which event, when it
happened, what happened, and (optional, `tab` after the details) the document that evidences it:
one of the case's documents, or a file to store with the case. What is typed is kept as a draft
like every form's (the one draft keeper): leaving with something typed asks (discard, keep as a
draft, keep editing), and a draft left by leaving, a crash or a lost terminal is offered back the
next time the dialog opens on that case. Recording it drops the draft in the same transaction; a
refusal keeps the dialog open with what was typed and the reason."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from caseterm.core import clock
from caseterm.core.errors import CasetermError, ValidationError
from caseterm.core.rules.clocks import event_kinds
from caseterm.core.rules.when import parse_day
from caseterm.core.services import documents, received_evidence
from caseterm.core.services.case_events import Recorded
from caseterm.core.services.documents import DocumentRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain, template, uk_date
from caseterm.tui.screens.pickers import PICKER_CSS
from caseterm.tui.widgets.plain_input import PlainInput

DRAFT_KIND = "case_event"  # one draft per member of staff and case (the key is the case id)
DEFAULT_DATE = "today"


class EventScreen(ModalScreen[Recorded | None]):
    """Record a casework event on a case: its kind, when it happened, what happened."""

    HELP_TITLE = "Record an event"
    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "cancel", "Cancel", "cancel")]
    DEFAULT_CSS = (
        PICKER_CSS.format(name="EventScreen")
        + """
    EventScreen #event-status { height: auto; }
    EventScreen #event-status.-error { color: $text-error; text-style: bold; }
    EventScreen #event-draft { height: auto; color: $text-muted; }
    EventScreen #event-draft.-error { color: $text-error; }
    """
    )

    def __init__(self, case_id: int, reference: str, case_type: str) -> None:
        super().__init__()
        self._case_id = case_id
        self._reference = reference
        self._kinds = event_kinds(case_type)
        self._day: date | None = clock.today()
        self._focus_details = False  # after restoring a draft
        self._restored_kind: str | None = None
        self._restored_document: str | None = None  # chosen in a draft, set once they are read
        self.keeper = DraftKeeper(
            self,
            kind=DRAFT_KIND,
            key=str(case_id),
            current=self._draft_data,
            restore=self._restore,
            describe=self._draft_summary,
            question=f"Unsaved event on {reference} found",
            note=self._draft_note,
            kept_words="not yet recorded",
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Record an event on $ref[/b]", ref=self._reference))
            yield Select[str](
                [(text, key) for key, (text, _) in self._kinds.items()],
                prompt="Which event",
                id="event-kind",
            )
            yield PlainInput(
                value=DEFAULT_DATE, placeholder="when: today, 20/11/2026, -3", id="event-date"
            )
            yield Static(content(f"→ {clock.today():%A %d %B %Y}"), id="event-read")
            # Coming back to the details (a draft restored) carries on typing, never over them.
            yield PlainInput(
                placeholder="details (optional)", id="event-details", select_on_focus=False
            )
            yield Select[str](
                [], prompt="Evidenced by a document of the case (optional)", id="event-document"
            )
            yield PlainInput(placeholder="or a file to attach (its path)", id="event-file")
            yield Static("", id="event-status", markup=False)
            yield Static("", id="event-draft", markup=False)
            yield Static(
                content("enter next (saves on details) · tab document · esc cancel"),
                classes="picker-hint",
            )

    def on_mount(self) -> None:
        focus_now(self.query_one("#event-kind", Select))
        self.keeper.start()
        actor, case_id = cast(HasContext, self.app).ctx.actor, self._case_id
        run_db(
            self,
            lambda s: documents.list_documents(s, actor, case_id),
            done=self._documents_read,
            what="reading the case's documents",
            group="event-documents",
        )

    def _documents_read(self, rows: list[DocumentRow]) -> None:
        picker = self.query_one("#event-document", Select)
        chosen = self._restored_document or picker.value
        picker.set_options(
            [
                (plain(f"#{r.id} {uk_date(r.created_at.date())} {r.title}"[:60]), str(r.id))
                for r in rows
            ]
        )
        if isinstance(chosen, str) and any(str(r.id) == chosen for r in rows):
            picker.value = chosen
        self._restored_document = None

    def on_screen_resume(self) -> None:
        if self._focus_details:
            self.call_after_refresh(self._details_next)

    def _details_next(self) -> None:
        self._focus_details = False
        focus_now(self.query_one("#event-details", Input))

    def on_unmount(self) -> None:
        self.keeper.shut()

    # ---------------------------------------------------------------- the draft

    def _draft_data(self) -> dict[str, Any] | None:
        kind = self.query_one("#event-kind", Select).value
        document = self.query_one("#event-document", Select).value
        data = {
            "kind": kind if isinstance(kind, str) else "",
            "date": self.query_one("#event-date", Input).value,
            "details": self.query_one("#event-details", Input).value,
        }
        if isinstance(document, str):  # the evidence, only when some is given
            data["document"] = document
        if file := self.query_one("#event-file", Input).value:
            data["file"] = file
        if (
            len(data) == 3
            and not data["kind"]
            and not data["details"].strip()
            and data["date"] == DEFAULT_DATE
        ):
            return None  # nothing typed worth keeping
        return data

    def _draft_summary(self, data: dict[str, Any]) -> str | None:
        kind = str(data.get("kind") or "")
        label = self._kinds[kind][0] if kind in self._kinds else "(no event chosen)"
        return f"{label}, {data.get('date') or ''}: {data.get('details') or ''}".strip(" :,")

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        kind = str(data.get("kind") or "")
        if kind in self._kinds:
            self._restored_kind = kind  # choosing it here does not move on to the date
            self.query_one("#event-kind", Select).value = kind
        self.query_one("#event-date", Input).value = str(data.get("date") or DEFAULT_DATE)
        self.query_one("#event-details", Input).value = str(data.get("details") or "")
        self.query_one("#event-file", Input).value = str(data.get("file") or "")
        self._restored_document = str(data.get("document") or "") or None
        if self._restored_document is not None:
            with contextlib.suppress(InvalidSelectValueError):  # not read yet: set once read
                self.query_one("#event-document", Select).value = self._restored_document
                self._restored_document = None
        # Carry on typing the details: once the restore question has gone (coming back from it
        # puts the focus back where it was) and the event chosen above has been handled.
        self._focus_details = True

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#event-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#event-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    # ---------------------------------------------------------------- typing

    @on(Select.Changed, "#event-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        self.keeper.changed()
        if self._restored_kind is not None and event.value == self._restored_kind:
            self._restored_kind = None
            return
        if isinstance(event.value, str) and not self.keeper.saving:
            focus_now(self.query_one("#event-date", Input))  # next: when it happened

    @on(Input.Changed, "#event-date")
    def _read(self, event: Input.Changed) -> None:
        self.keeper.changed()
        shown = self.query_one("#event-read", Static)
        self._day = None
        try:
            self._day = parse_day(event.value, clock.today(), prefer="past", field="date")
        except ValidationError as exc:
            shown.update(content(exc.reason))
            return
        shown.update(content(f"→ {self._day:%A %d %B %Y}"))

    @on(Input.Changed, "#event-details")
    @on(Input.Changed, "#event-file")
    @on(Select.Changed, "#event-document")
    def _details_changed(self) -> None:
        self.keeper.changed()

    @on(Input.Submitted, "#event-date")
    def _date_given(self) -> None:
        if self._day is not None:
            focus_now(self.query_one("#event-details", Input))  # then enter saves

    # ---------------------------------------------------------------- recording and leaving

    @on(Input.Submitted, "#event-details")
    @on(Input.Submitted, "#event-file")
    def _submit(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        kind = self.query_one("#event-kind", Select).value
        if not isinstance(kind, str):
            self._say("Choose which event.", error=True)
            self.query_one("#event-kind", Select).focus()
            return
        day = self._day
        if day is None:
            self._say("Give the date it happened.", error=True)
            self.query_one("#event-date", Input).focus()
            return
        label, may_be_future = self._kinds[kind]
        if day > clock.today() and not may_be_future:
            self.query_one("#event-read", Static).update(
                content(f"{label} on {uk_date(day)} is in the future: record it once it happens")
            )
            self.query_one("#event-date", Input).focus()
            return
        details = self.query_one("#event-details", Input).value
        picked = self.query_one("#event-document", Select).value
        document_id = int(picked) if isinstance(picked, str) else None
        typed = self.query_one("#event-file", Input).value.strip()
        if typed and document_id is not None:
            self._say("Choose a document of the case or a file, not both.", error=True)
            self.query_one("#event-file", Input).focus()
            return
        file = Path(typed).expanduser() if typed else None
        actor, case_id = cast(HasContext, self.app).ctx.actor, self._case_id

        def record(session: Session) -> Recorded:
            data = None
            if file is not None:
                try:
                    data = file.read_bytes()
                except OSError as err:
                    raise ValidationError("file", f"cannot read {file}: {err.strerror}") from None
            return received_evidence.record_event_with_document(
                session, actor, case_id=case_id, kind=kind, event_date=day, details=details,
                document_id=document_id, filename=file.name if file else "", data=data,
            ).recorded  # fmt: skip

        self._say("Recording…")
        self.keeper.save(
            record, done=self.dismiss, failed=self._refused, what="recording the event"
        )

    def _refused(self, error: Exception) -> None:
        why = str(error) if isinstance(error, CasetermError) else describe_error(error)
        self._say(f"Not recorded: {why}", error=True)

    def action_cancel(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this event?", "Nothing has been recorded.", lambda: self.dismiss(None)
        )


# Every class whose bindings this dialog brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (EventScreen, RestoreDraftModal, LeaveFormModal)
