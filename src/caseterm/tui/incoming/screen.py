"""Logging an incoming item (post opened, a phone message, a referral, a walk-in): kind on a
single key, a one-line summary, whom it is about (name and date of birth as written on it),
where it came from, the office it arrived at (filled with the user's own), priority and
details. `ctrl+s` records it as an untriaged task waiting in the
Incoming queue (and drops the draft in the same transaction), and dismisses with its id. A
refused save names the field and keeps everything typed; `escape` with something typed asks
before throwing it away (or keeping it as a draft).

What is typed is kept as a draft within half a second (the shared `DraftKeeper`; one draft per
member of staff), so an SSH drop or a killed terminal loses nothing: the form offers it back when
it next opens, and the workstation says so at start-up."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static, TextArea

from caseterm.core.errors import ValidationError
from caseterm.core.services.incoming import arrival_office, record_incoming
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.incoming.drafts import (
    INCOMING_DRAFT_KEY,
    INCOMING_DRAFT_KIND,
    incoming_draft_summary,
)
from caseterm.tui.incoming.form import (
    FIELD_LABELS,
    FIELD_OF,
    FIELDS,
    INCOMING_KIND_KEYS,
    INCOMING_KIND_LABELS,
    IncomingForm,
    IncomingKindKeys,
    Logged,
    PriorityKeys,
    read_dob,
    show_dob,
)
from caseterm.tui.keymap import binding, tab_moves_on
from caseterm.tui.safe import clean, content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.key_picker import KeyPicker
from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea, scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar


def _summary(data: dict[str, Any]) -> str | None:
    """What the restore question shows of a stored draft; None if nothing is in it."""
    form = IncomingForm.from_draft(data)
    return None if form.is_blank else incoming_draft_summary(asdict(form))


def _error_line(field: str) -> Static:
    """Where a message about `field` shows (hidden while there is none)."""
    return Static("", id=f"ie-{field}-error", classes="ie-error -empty", markup=False)


def _text_row(label: str, field: str, placeholder: str, *, gap: bool = False) -> ComposeResult:
    """A labelled one-line field `#ie-<field>` and its message line."""
    yield Horizontal(
        Label(label, classes="ie-label"),
        PlainInput(placeholder=placeholder, id=f"ie-{field}", compact=True, max_length=200),
        classes="ie-row ie-gap" if gap else "ie-row",
    )
    yield _error_line(field)


class IncomingEntryScreen(Screen[int | None]):
    """Log one incoming item; dismisses with the new task's id, or None if left unsaved."""

    CSS_PATH = Path(__file__).with_name("incoming.tcss")
    HELP_TITLE = "Log incoming item"
    IS_FORM = True  # the app's search/diary/triage keys are off while it is open
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Log it", "save"),
        binding("escape", "back", "Back", "back"),
        binding("ctrl+t", "focus_field('ie-kind')", "Kind", "focus_kind"),
        binding("ctrl+n", "focus_field('ie-details')", "Details", "focus_notes"),
        *tab_moves_on(),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.keeper = DraftKeeper(
            self,
            kind=INCOMING_DRAFT_KIND,
            key=INCOMING_DRAFT_KEY,
            current=lambda: self.form().as_draft(),
            restore=self._restore,
            describe=_summary,
            question="Unsaved incoming item found",
            note=self._draft_note,
            kept_words="not yet logged",
        )

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar("Log incoming item")
        with Vertical(id="ie-form"):
            yield IncomingKindKeys(then_focus="#ie-summary", id="ie-kind")
            yield _error_line("kind")
            yield from _text_row(
                "Summary",
                "summary",
                "one line, e.g. Letter from solicitor re. change of address",
                gap=True,
            )
            yield from _text_row("About", "name", "name as written on it (optional)", gap=True)
            with Horizontal(classes="ie-row"):
                yield Label("Born", classes="ie-label")
                yield PlainInput(placeholder="DD/MM/YYYY", id="ie-dob", compact=True, max_length=20)
                yield Static("", id="ie-dob-read", markup=False)
            yield _error_line("dob")
            yield from _text_row(
                "From", "source", "e.g. Post, Preston Magistrates' Court (optional)"
            )
            yield PriorityKeys("3", then_focus="#ie-details", id="ie-priority")
            yield _error_line("priority")
            yield PlainTextArea(
                "",
                id="ie-details",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Details (optional; enter for a new line; ctrl+s logs it)",
            )
            yield _error_line("details")
            yield from _text_row(
                "Office", "office", "code of the office it arrived at (yours is filled in)"
            )
        with Horizontal(id="ie-foot"):
            yield Static("", id="ie-status", markup=False)
            yield Static("", id="ie-draft", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ie-details", TextArea).border_title = "Details"
        focus_now(self.query_one("#ie-kind", IncomingKindKeys))
        actor = cast(HasContext, self.app).ctx.actor
        if not (actor.has("task.work") or actor.has("reception.desk")):
            roles = ", ".join(sorted(actor.roles)) or "none"
            self._status(f"You may not log incoming items (roles: {roles})", error=True)
        self.keeper.start()
        run_db(
            self,
            lambda s: arrival_office(s, actor),
            done=self._own_office,
            failed=lambda _error: None,  # the office stays to be typed; saving names any problem
            what="reading your office",
        )

    def _own_office(self, office: tuple[int, str] | None) -> None:
        """The user's own office, filled in unless something is there already (a draft's)."""
        field = self.query_one("#ie-office", Input)
        if office is not None and not field.value:
            field.value = office[1]

    def on_unmount(self) -> None:
        self.keeper.shut()

    # -- reading the form -------------------------------------------------------------------------

    def form(self) -> IncomingForm:
        return IncomingForm(
            kind=self.query_one("#ie-kind", IncomingKindKeys).value,
            summary=self.query_one("#ie-summary", Input).value,
            name=self.query_one("#ie-name", Input).value,
            dob=self.query_one("#ie-dob", Input).value,
            source=self.query_one("#ie-source", Input).value,
            priority=self.query_one("#ie-priority", PriorityKeys).value or "3",
            details=self.query_one("#ie-details", TextArea).text,
            office=self.query_one("#ie-office", Input).value,
        )

    def _fill(self, form: IncomingForm) -> None:
        self.query_one("#ie-kind", IncomingKindKeys).value = form.kind
        for field in ("summary", "name", "dob", "source"):
            self.query_one(f"#ie-{field}", Input).value = getattr(form, field)
        if form.office:  # an older draft without one keeps the office filled in
            self.query_one("#ie-office", Input).value = form.office
        self.query_one("#ie-priority", PriorityKeys).value = form.priority
        self.query_one("#ie-details", TextArea).load_text(form.details)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#ie-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _field_error(self, field: str, text: str) -> None:
        label = self.query_one(f"#ie-{field}-error", Static)
        label.update(content(text))
        label.set_class(not text, "-empty")

    # -- as you type ------------------------------------------------------------------------------

    @on(KeyPicker.Picked)
    def _picked(self, event: KeyPicker.Picked) -> None:
        self._field_error("kind" if event.picker.id == "ie-kind" else "priority", "")
        self.keeper.changed()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").removeprefix("ie-")
        if field in FIELDS:
            self._field_error(field, "")
        if field == "dob":
            self._show_dob(event.value)
        self.keeper.changed()

    def _show_dob(self, text: str) -> None:
        read = self.query_one("#ie-dob-read", Static)
        try:
            born = read_dob(text)
        except ValidationError as exc:
            read.update(Content("✗ " + clean(exc.reason)))
            read.set_class(True, "-invalid")
            return
        read.update(Content.assemble("→ ", (show_dob(born), "bold")) if born else "")
        read.set_class(False, "-invalid")

    @on(TextArea.Changed, "#ie-details")
    def _details_typed(self, event: TextArea.Changed) -> None:
        self._field_error("details", "")
        if not scrub_text_area(event.text_area):  # else its own Changed follows
            self.keeper.changed()

    # -- the draft: offered back on opening, kept while typing (the keeper) ------------------------

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        draft = IncomingForm.from_draft(data)
        self._fill(draft)
        self._status("Draft restored: ctrl+s logs it")
        if draft.kind is None:
            self.query_one("#ie-kind").focus()
        else:
            details = self.query_one("#ie-details", TextArea)
            details.move_cursor(details.document.end)
            details.focus()

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#ie-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    # -- saving -----------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        for field in FIELDS:
            self._field_error(field, "")
        form = self.form()
        problems = False
        if form.kind is None:
            keys = ", ".join(
                f"{k} {INCOMING_KIND_LABELS[v]}" for k, v in INCOMING_KIND_KEYS.items()
            )
            self._field_error("kind", f"Pick a kind with ctrl+t then its key ({keys})")
            problems = True
        if not form.summary.strip():
            self._field_error("summary", "Summary is required: one line saying what it is")
            problems = True
        born: date | None = None
        try:
            born = read_dob(form.dob)
        except ValidationError as exc:
            self._field_error("dob", f"Date of birth: {exc.reason}")
            problems = True
        if problems:
            self._status(
                "Not logged: see the messages above (nothing you typed is lost)", error=True
            )
            self._focus_first_error()
            return
        assert form.kind is not None
        kind, priority = form.kind, int(form.priority)
        actor = cast(HasContext, self.app).ctx.actor

        def work(session: Session) -> Logged:
            task = record_incoming(
                session,
                actor,
                kind=kind,
                summary=form.summary,
                about_name=form.name,
                about_dob=born,
                source=form.source,
                details=form.details,
                priority=priority,
                office_code=form.office,
            )
            return Logged(task.id or 0, task.kind, task.title)

        self._status("Logging…")
        self.keeper.save(
            work, done=self._saved, failed=self._save_failed, what="logging the incoming item"
        )

    def _saved(self, logged: Logged) -> None:
        kind = INCOMING_KIND_LABELS.get(logged.kind, logged.kind)
        self.app.notify(
            f"Logged: {kind} — {clean(logged.summary)} (in Incoming for triage)",
            timeout=5,
            markup=False,
        )
        self.dismiss(logged.task_id)

    def _save_failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError) and error.field in FIELD_OF:
            field = FIELD_OF[error.field]
            self._field_error(field, f"{FIELD_LABELS[field]}: {error.reason}")
            self._status(
                "Not logged: see the message above (nothing you typed is lost)", error=True
            )
            self._focus_first_error()
        else:
            self._status(f"Not logged: {describe_error(error)}", error=True)

    def _focus_first_error(self) -> None:
        for field in FIELDS:
            if not self.query_one(f"#ie-{field}-error").has_class("-empty"):
                self.query_one(f"#ie-{field}").focus()
                return

    # -- other keys -------------------------------------------------------------------------------

    def action_focus_field(self, field_id: str) -> None:
        self.query_one(f"#{field_id}").focus()

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this incoming item?", "It has not been logged.", lambda: self.dismiss(None)
        )


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    IncomingEntryScreen,
    IncomingKindKeys,
    PriorityKeys,
    LeaveFormModal,
    RestoreDraftModal,
)
