"""The contact log entry form: type and outcome on single keys, a natural date/time, notes and a
sensitive flag. What is typed is kept as a draft in the database every few seconds, so a killed
terminal loses nothing: opening the form for the same case offers it back. `ctrl+s` appends the
entry (and drops the draft in the same transaction) and dismisses with the new entry's id."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar, cast

from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from caseterm.core import clock
from caseterm.core.errors import CasetermError, RestrictedError, ValidationError
from caseterm.core.rules.catalogue import CONTACT_TYPE_KEYS, CONTACT_TYPES, OUTCOMES
from caseterm.core.services import cases, contacts, drafts
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import read_unless_it_writes
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.screens.contact_entry_drafts import DRAFT_KIND
from caseterm.tui.widgets.contact_entry_keys import ContactOutcomeKeys, ContactTypeKeys
from caseterm.tui.widgets.contact_entry_modals import DiscardEntryModal, RestoreDraftModal
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar
from caseterm.tui.widgets.when_input import WhenInput

# Typed text reaches the database at most this long after the keystroke, and no more often.
DRAFT_EVERY = 2.0
# After this long without an answer from the database, say that we are waiting for it.
SLOW_AFTER = 0.5

# Service field names -> the form field whose error line shows the message.
FIELD_OF = {
    "contact_type": "type",
    "outcome": "outcome",
    "occurred_at": "when",
    "when": "when",
    "notes": "notes",
}


@dataclass(frozen=True)
class ContactForm:
    """What the form holds; also the shape of the stored draft."""

    contact_type: str | None = None
    outcome: str = ""
    when: str = "now"
    notes: str = ""
    sensitive: bool = False

    @property
    def is_blank(self) -> bool:
        return self == ContactForm()

    @classmethod
    def from_draft(cls, data: dict[str, Any]) -> ContactForm:
        """A stored draft back as a form; values no longer in the catalogue are dropped."""
        kind, outcome = data.get("contact_type"), data.get("outcome")
        return cls(
            contact_type=kind if kind in CONTACT_TYPES else None,
            outcome=outcome if isinstance(outcome, str) and outcome in OUTCOMES else "",
            when=str(data.get("when") or "now"),
            notes=str(data.get("notes") or ""),
            sensitive=bool(data.get("sensitive")),
        )


class ContactEntryScreen(Screen[int | None]):
    """New contact entry for one case; dismisses with the entry id, or None if left unsaved."""

    DEFAULT_CSS = """
    ContactEntryScreen { layout: vertical; }
    ContactEntryScreen #ce-form { height: 1fr; padding: 0 1; }
    ContactEntryScreen .ce-row { height: 1; margin-top: 1; }
    ContactEntryScreen .ce-label { width: 9; text-style: bold; }
    ContactEntryScreen KeyPicker { margin-top: 1; }
    ContactEntryScreen #ce-notes { height: 1fr; min-height: 3; border: round $secondary; }
    ContactEntryScreen #ce-notes:focus { border: round $accent; }
    ContactEntryScreen .ce-error { color: $text-error; text-style: bold; height: auto; }
    ContactEntryScreen .ce-error.-empty { display: none; }
    ContactEntryScreen #ce-flags { height: 1; }
    ContactEntryScreen #ce-sensitive { width: 1fr; }
    ContactEntryScreen #ce-draft { width: auto; color: $text-muted; }
    ContactEntryScreen #ce-draft.-error { color: $text-error; text-style: bold; }
    ContactEntryScreen #ce-status { height: 1; padding: 0 1; background: $panel; }
    ContactEntryScreen #ce-status.-error { color: $text-error; text-style: bold; }
    """

    HELP_TITLE = "Contact entry"
    IS_FORM = True  # the app's search/diary keys are off while it is open
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "save"),
        binding("escape", "back", "Back", "back"),
        binding("ctrl+t", "focus_field('ce-type')", "Type", "focus_type"),
        binding("ctrl+o", "focus_field('ce-outcome')", "Outcome", "focus_outcome"),
        binding("ctrl+n", "focus_field('ce-notes')", "Notes", "focus_notes"),
        binding("ctrl+r", "toggle_sensitive", "Sensitive", "toggle_sensitive"),
    ]

    class Loaded(Message):
        def __init__(
            self, title: str, problem: str, draft: dict[str, Any] | None, draft_at: datetime | None
        ) -> None:
            super().__init__()
            self.title = title
            self.problem = problem
            self.draft = draft
            self.draft_at = draft_at

    class DraftWritten(Message):
        def __init__(self, at: datetime | None, error: str = "", then_leave: bool = False) -> None:
            super().__init__()
            self.at = at
            self.error = error
            self.then_leave = then_leave

    class Saved(Message):
        def __init__(self, entry_id: int) -> None:
            super().__init__()
            self.entry_id = entry_id

    class SaveFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self._draft_lock = threading.Lock()
        self._finished = False  # saved or discarded: no more drafts may be written
        self._draft_ready = False  # until the restore question is answered, write no draft
        self._pending: ContactForm = ContactForm()
        self._stored: ContactForm = ContactForm()
        self._draft_timer: Timer | None = None
        self._slow_timer: Timer | None = None
        self._saving = False
        self._sensitive = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(f"New contact entry · case {self.case_id}")
        with Vertical(id="ce-form"):
            yield ContactTypeKeys(then_focus="#ce-outcome", id="ce-type")
            yield Static("", id="ce-type-error", classes="ce-error -empty", markup=False)
            yield ContactOutcomeKeys("", then_focus="#ce-notes", id="ce-outcome")
            yield Static("", id="ce-outcome-error", classes="ce-error -empty", markup=False)
            with Horizontal(classes="ce-row"):
                yield Label("When", classes="ce-label")
                yield WhenInput("now", field="occurred_at", id="ce-when")
            yield Static("", id="ce-when-error", classes="ce-error -empty", markup=False)
            yield TextArea(
                "",
                id="ce-notes",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Notes (enter for a new line; ctrl+s saves)",
            )
            yield Static("", id="ce-notes-error", classes="ce-error -empty", markup=False)
            with Horizontal(id="ce-flags"):
                yield Static("", id="ce-sensitive", markup=False)
                yield Static("", id="ce-draft", markup=False)
        yield Static("", id="ce-status", markup=False)
        yield KeyBar()

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def on_mount(self) -> None:
        self.query_one("#ce-notes", TextArea).border_title = "Notes"
        self._set_sensitive(False)
        self.query_one("#ce-type", ContactTypeKeys).focus()
        if not self.ctx.actor.has("contact.log"):
            self._status(
                f"You may not log contacts (roles: {', '.join(sorted(self.ctx.actor.roles))})",
                error=True,
            )
        self._load()

    # -- reading the form ----------------------------------------------------------------------

    def _form(self) -> ContactForm:
        return ContactForm(
            contact_type=self.query_one("#ce-type", ContactTypeKeys).value,
            outcome=self.query_one("#ce-outcome", ContactOutcomeKeys).value or "",
            when=self.query_one("#ce-when", WhenInput).text,
            notes=self.query_one("#ce-notes", TextArea).text,
            sensitive=self._sensitive,
        )

    def _fill(self, form: ContactForm) -> None:
        self.query_one("#ce-type", ContactTypeKeys).value = form.contact_type
        self.query_one("#ce-outcome", ContactOutcomeKeys).value = form.outcome
        self.query_one("#ce-when", WhenInput).text = form.when
        self.query_one("#ce-notes", TextArea).load_text(form.notes)
        self._set_sensitive(form.sensitive)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#ce-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _field_error(self, field: str, text: str) -> None:
        label = self.query_one(f"#ce-{field}-error", Static)
        label.update(content(text))
        label.set_class(not text, "-empty")

    def _clear_errors(self) -> None:
        for field in ("type", "outcome", "when", "notes"):
            self._field_error(field, "")

    # -- loading: case header and any draft ------------------------------------------------------

    @work(thread=True, group="contact-load")
    def _load(self) -> None:
        ctx = self.ctx
        title, problem = f"New contact entry · case {self.case_id}", ""
        try:
            # Views and refusals of restricted cases go to the access log; any other case is
            # read without waiting for a colleague's write.
            try:
                view = read_unless_it_writes(
                    ctx.db,
                    lambda s: cases.view_case(
                        s, ctx.actor, reference_or_id=self.case_id, where="contact"
                    ),
                )
            except RestrictedError as exc:
                problem = f"{exc}: you cannot log contacts on this case"
            else:
                title = f"New contact entry · {view.case.reference} · {view.subject.full_name}"
        except (CasetermError, SQLAlchemyError) as exc:
            problem = str(exc)
        found: dict[str, Any] | None = None
        found_at: datetime | None = None
        try:
            with ctx.db.read() as s:
                for info in drafts.list_drafts(s, ctx.actor, kind=DRAFT_KIND):
                    if info.key == str(self.case_id):
                        found, found_at = info.data, info.updated_at
        except (CasetermError, SQLAlchemyError) as exc:
            problem = problem or f"could not read drafts: {exc}"
        self.post_message(self.Loaded(title, problem, found, found_at))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.query_one(TopBar).set_title(event.title)
        if event.problem and self.ctx.actor.has("contact.log"):
            self._status(event.problem, error=True)
        draft = ContactForm.from_draft(event.draft) if event.draft is not None else None
        if draft is None or draft.is_blank or event.draft_at is None:
            self._draft_ready = True
            self._changed()  # anything typed while the case was loading is kept as well
            return
        self.app.push_screen(
            RestoreDraftModal(event.draft_at, draft.notes),
            lambda restore: self._restore_answered(draft, bool(restore)),
        )

    def _restore_answered(self, draft: ContactForm, restore: bool) -> None:
        if restore:
            self._stored = self._pending = draft
            self._fill(draft)
            self._status("Draft restored: ctrl+s saves it to the case")
            notes = self.query_one("#ce-notes", TextArea)
            notes.move_cursor(notes.document.end)
            notes.focus()
        else:
            self._stored = draft  # makes the next write (of this form) replace it
            self._pending = self._form()  # blank, unless keys were typed ahead of the question
            self._write_draft()
        self._draft_ready = True

    # -- autosave ----------------------------------------------------------------------------------

    @on(ContactTypeKeys.Picked, "#ce-type")
    def _type_picked(self) -> None:
        self._field_error("type", "")
        self._changed()

    @on(ContactOutcomeKeys.Picked, "#ce-outcome")
    def _outcome_picked(self) -> None:
        self._field_error("outcome", "")
        self._changed()

    @on(WhenInput.Changed, "#ce-when")
    def _when_changed(self) -> None:
        self._field_error("when", "")
        self._changed()

    @on(TextArea.Changed, "#ce-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        if not scrub_text_area(event.text_area):  # else its own Changed follows
            self._changed()

    def _changed(self) -> None:
        if self._finished:
            return
        self._pending = self._form()
        if self._draft_ready and self._draft_timer is None and self._pending != self._stored:
            self._draft_timer = self.set_timer(DRAFT_EVERY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        self._write_draft()

    @work(thread=True, group="contact-draft")
    def _write_draft(self, then_leave: bool = False) -> None:
        ctx, key = self.ctx, str(self.case_id)
        with self._draft_lock:  # the newest form is written last; none after save or discard
            form = self._pending
            if self._finished or form == self._stored:
                if then_leave:
                    self.post_message(self.DraftWritten(None, then_leave=True))
                return
            try:
                with ctx.db.write() as s:
                    if form.is_blank:
                        drafts.discard_draft(s, ctx.actor, DRAFT_KIND, key)
                    else:
                        drafts.save_draft(s, ctx.actor, DRAFT_KIND, key, asdict(form))
            except (CasetermError, SQLAlchemyError) as exc:
                self.post_message(self.DraftWritten(None, f"Draft not saved: {exc}", then_leave))
                return
            self._stored = form
        self.post_message(self.DraftWritten(clock.now(), then_leave=then_leave))

    @on(DraftWritten)
    def _draft_written(self, event: DraftWritten) -> None:
        if event.error:
            self._draft_note(event.error, error=True)
            return
        if event.then_leave:
            self.dismiss(None)
            return
        if event.at is not None:
            self._draft_note(f"draft kept {event.at:%H:%M:%S}, not yet in the case")

    def _draft_note(self, text: str, *, error: bool = False) -> None:
        note = self.query_one("#ce-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    # -- saving ------------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving or self._finished:
            return
        self._clear_errors()
        form = self._form()
        problems = False
        if form.contact_type is None:
            keys = ", ".join(f"{k} {v.replace('_', ' ')}" for k, v in CONTACT_TYPE_KEYS.items())
            self._field_error("type", f"Pick a type with ctrl+t then its key ({keys})")
            problems = True
        try:
            occurred_at = self.query_one("#ce-when", WhenInput).parse()
        except ValidationError as exc:
            self._field_error("when", exc.reason)
            problems = True
        if problems:
            self._status("Not saved: see the messages above", error=True)
            return
        self._saving = True
        self._status("Saving…")
        self._slow_timer = self.set_timer(SLOW_AFTER, self._still_saving)
        self._save(form, occurred_at)

    def _still_saving(self) -> None:
        self._status("Waiting for the database (another user is saving)…")

    @work(thread=True, group="contact-save")
    def _save(self, form: ContactForm, occurred_at: datetime) -> None:
        ctx = self.ctx
        assert form.contact_type is not None
        refused: RestrictedError | None = None
        entry_id: int | None = None
        try:
            with self._draft_lock, ctx.db.write() as s:
                try:
                    entry = contacts.log_contact(
                        s,
                        ctx.actor,
                        case_id=self.case_id,
                        contact_type=form.contact_type,
                        outcome=form.outcome,
                        notes=form.notes,
                        occurred_at=occurred_at,
                        sensitive=form.sensitive,
                    )
                except RestrictedError as exc:
                    refused = exc  # nothing but the access-log refusal is written: commit it
                else:
                    drafts.discard_draft(s, ctx.actor, DRAFT_KIND, str(self.case_id))
                    entry_id = entry.id
                    self._finished = True
        except (CasetermError, SQLAlchemyError) as exc:
            self._finished = False
            self.post_message(self.SaveFailed(exc))
            return
        if refused is not None or entry_id is None:
            self.post_message(self.SaveFailed(refused or CasetermError("entry not saved")))
            return
        self.post_message(self.Saved(entry_id))

    def _done_saving(self) -> None:
        self._saving = False
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self._done_saving()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.notify("Contact entry saved", timeout=3)
        self.dismiss(event.entry_id)

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self._done_saving()
        error = event.error
        if isinstance(error, ValidationError) and error.field in FIELD_OF:
            self._field_error(FIELD_OF[error.field], error.reason)
            self._status("Not saved: see the message above (nothing you typed is lost)", error=True)
        else:
            self._status(f"Not saved: {error}", error=True)

    # -- other keys --------------------------------------------------------------------------------

    def action_focus_field(self, field_id: str) -> None:
        self.query_one(f"#{field_id}").focus()

    def action_toggle_sensitive(self) -> None:
        self._set_sensitive(not self._sensitive)
        self._changed()

    def _set_sensitive(self, sensitive: bool) -> None:
        self._sensitive = sensitive
        # Words and reverse video, not colour alone: readable in 16 colours and with NO_COLOR.
        shown = (
            Content.assemble(("Sensitive", "bold"), "  ", (" YES ", "bold reverse"))
            if sensitive
            else Content.assemble(("Sensitive", "bold"), "  no")
        )
        self.query_one("#ce-sensitive", Static).update(shown + " (ctrl+r)")

    def action_back(self) -> None:
        if self._saving:
            return
        if self._form().is_blank:
            self._leave("discard")
            return
        self.app.push_screen(DiscardEntryModal(), self._leave)

    def _leave(self, choice: str | None) -> None:
        if choice == "discard":
            with self._draft_lock:
                self._pending = ContactForm()
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self._write_draft(then_leave=True)
        elif choice == "keep":
            self._pending = self._form()
            self._write_draft(then_leave=True)


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    ContactEntryScreen,
    ContactTypeKeys,
    ContactOutcomeKeys,
    RestoreDraftModal,
    DiscardEntryModal,
)
