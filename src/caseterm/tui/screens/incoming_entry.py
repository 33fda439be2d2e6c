"""Logging an incoming item (post opened, a phone message, a referral, a walk-in): kind on a
single key, a one-line summary, whom it is about (name and date of birth as written on it),
where it came from, priority and details. `ctrl+s` records it as an untriaged task waiting in the
Incoming queue (and drops the draft in the same transaction), and dismisses with its id. A
refused save names the field and keeps everything typed; `escape` with something typed asks
before throwing it away (or keeping it as a draft).

What is typed is kept as a draft in the database a few seconds after the keystroke (one draft
per member of staff, see `contact_entry_drafts`), so an SSH drop or a killed terminal loses
nothing: the form offers it back when it next opens, and the workstation says so at start-up.
Draft writes run off the event loop and never hold up typing; the save waits for a draft write
under way, so a late draft can never outlive the logged item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import drafts
from caseterm.core.services.incoming import record_incoming
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content
from caseterm.tui.screens.contact_entry_drafts import (
    INCOMING_DRAFT_KEY,
    INCOMING_DRAFT_KIND,
    incoming_draft,
    incoming_draft_summary,
)
from caseterm.tui.widgets.contact_entry_keys import KeyPicker, key_bindings
from caseterm.tui.widgets.contact_entry_modals import DiscardEntryModal, RestoreDraftModal
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput, scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar

# Single keys for the kinds ("m" for a phone message: "p" is the post).
INCOMING_KIND_KEYS: dict[str, str] = {
    "r": "new_referral",
    "p": "post_in",
    "m": "phone_message",
    "w": "walk_in",
}
INCOMING_KIND_LABELS = {kind: TASK_KINDS[kind] for kind in INCOMING_KINDS}

PRIORITY_KEYS = {"1": "1", "2": "2", "3": "3", "4": "4"}
PRIORITY_LABELS = {"1": "urgent", "2": "high", "3": "normal", "4": "low"}

# Typed text reaches the database at most this long after the keystroke, and no more often.
DRAFT_EVERY = 2.0

# Service field names -> the form field whose error line shows the message.
FIELD_OF = {
    "kind": "kind",
    "title": "summary",
    "summary": "summary",
    "about": "name",
    "about_name": "name",
    "date of birth": "dob",
    "about_dob": "dob",
    "source": "source",
    "priority": "priority",
    "details": "details",
}
# Each form field as its label names it, for error messages.
FIELD_LABELS = {
    "kind": "Kind",
    "summary": "Summary",
    "name": "Name",
    "dob": "Date of birth",
    "source": "From",
    "priority": "Priority",
    "details": "Details",
}
FIELDS = tuple(FIELD_LABELS)


class IncomingKindKeys(KeyPicker):
    """The kind of incoming item, picked with one key."""

    KEYS = INCOMING_KIND_KEYS
    LABELS = INCOMING_KIND_LABELS
    TITLE = "Kind"
    BINDINGS = key_bindings(INCOMING_KIND_KEYS, INCOMING_KIND_LABELS, "incoming_kind")


class PriorityKeys(KeyPicker):
    """Priority 1 (urgent) to 4 (low)."""

    KEYS = PRIORITY_KEYS
    LABELS = PRIORITY_LABELS
    TITLE = "Priority"
    BINDINGS = key_bindings(PRIORITY_KEYS, PRIORITY_LABELS, "incoming_priority")


@dataclass(frozen=True)
class IncomingForm:
    """What the form holds, as typed."""

    kind: str | None = None
    summary: str = ""
    name: str = ""
    dob: str = ""
    source: str = ""
    priority: str = "3"
    details: str = ""

    @property
    def is_blank(self) -> bool:
        """Nothing typed or picked (the priority alone is not worth asking about)."""
        return not (
            self.kind
            or self.summary.strip()
            or self.name.strip()
            or self.dob.strip()
            or self.source.strip()
            or self.details.strip()
        )

    @property
    def as_draft(self) -> IncomingForm:
        """What a draft of this form holds: nothing at all if it is blank."""
        return IncomingForm() if self.is_blank else self

    @classmethod
    def from_draft(cls, data: dict[str, Any]) -> IncomingForm:
        """A stored draft back as a form; a kind or priority no longer offered is dropped."""
        kind, priority = data.get("kind"), data.get("priority")

        def text(name: str) -> str:
            value = data.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            kind=kind if isinstance(kind, str) and kind in INCOMING_KIND_LABELS else None,
            summary=text("summary"),
            name=text("name"),
            dob=text("dob"),
            source=text("source"),
            priority=priority if isinstance(priority, str) and priority in PRIORITY_KEYS else "3",
            details=text("details"),
        )


def read_dob(text: str) -> date | None:
    """The date of birth as typed (empty is none); raises ValidationError naming `about_dob`."""
    if not text.strip():
        return None
    born = parse_uk_date(text, field="about_dob")
    if not date(1900, 1, 1) <= born <= clock.today():
        raise ValidationError("about_dob", "must be between 1900 and today")
    return born


def show_dob(born: date) -> str:
    today = clock.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{born:%a %d %b %Y} (aged {age})"


@dataclass(frozen=True)
class Logged:
    task_id: int
    kind: str
    summary: str


class DiscardIncomingModal(DiscardEntryModal):
    """Leaving the form with something typed: "discard", "keep" (as a draft, offered back
    next time) or "edit" — the contact form's question, in this form's words."""

    TITLE_TEXT = "Leave this incoming item?"
    SAID_TEXT = "It has not been logged."


class RestoreIncomingModal(RestoreDraftModal):
    """Offers back an incoming item typed and never logged: True restores, False discards."""

    TITLE_TEXT = "Unsaved incoming item found"


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

    DEFAULT_CSS = """
    IncomingEntryScreen { layout: vertical; }
    IncomingEntryScreen #ie-form { height: 1fr; padding: 0 1; }
    IncomingEntryScreen KeyPicker { margin-top: 1; }
    IncomingEntryScreen .ie-row { height: 1; }
    IncomingEntryScreen .ie-gap { margin-top: 1; }
    IncomingEntryScreen .ie-label { width: 9; text-style: bold; }
    IncomingEntryScreen .ie-row > Input { width: 1fr; }
    IncomingEntryScreen #ie-dob { width: 14; }
    IncomingEntryScreen #ie-dob-read { width: 1fr; padding: 0 0 0 1; }
    IncomingEntryScreen #ie-dob-read.-invalid { color: $text-error; text-style: bold; }
    IncomingEntryScreen #ie-details { height: 1fr; min-height: 3; border: round $secondary; }
    IncomingEntryScreen #ie-details:focus { border: round $accent; }
    IncomingEntryScreen .ie-error { color: $text-error; text-style: bold; height: auto; }
    IncomingEntryScreen .ie-error.-empty { display: none; }
    IncomingEntryScreen #ie-foot { height: auto; background: $panel; }
    IncomingEntryScreen #ie-status { width: 1fr; height: auto; padding: 0 1; }
    IncomingEntryScreen #ie-status.-error { color: $text-error; text-style: bold; }
    IncomingEntryScreen #ie-draft { width: auto; max-width: 50%; padding: 0 1; color: $text-muted; }
    IncomingEntryScreen #ie-draft.-error { color: $text-error; text-style: bold; }
    """

    HELP_TITLE = "Log incoming item"
    IS_FORM = True  # the app's search/diary/triage keys are off while it is open
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Log it", "save"),
        binding("escape", "back", "Back", "back"),
        binding("ctrl+t", "focus_field('ie-kind')", "Kind", "focus_kind"),
        binding("ctrl+n", "focus_field('ie-details')", "Details", "focus_notes"),
        # Priority, so that keys typed ahead keep their order (see `key_bindings`): "Post⇥Ann"
        # puts "Ann" in the next field, not at the end of this one.
        binding("tab", "app.focus_next", "Next field", "next_field", show=False, priority=True),
        binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            "previous_field",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self._finished = False  # logged, or left: no more drafts may be written
        self._draft_ready = False  # until any earlier draft has been offered, write none
        self._pending = IncomingForm()  # the form as last typed
        self._stored = IncomingForm()  # what the stored draft holds (blank: there is none)
        self._draft_timer: Timer | None = None
        self._draft_writing = False  # one draft write at a time
        self._save_waiting: Callable[[], None] | None = None  # a save waiting for that write
        self._leaving = False  # leaving once the draft is written (or discarded)

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
            yield TextArea(
                "",
                id="ie-details",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Details (optional; enter for a new line; ctrl+s logs it)",
            )
            yield _error_line("details")
        with Horizontal(id="ie-foot"):
            yield Static("", id="ie-status", markup=False)
            yield Static("", id="ie-draft", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ie-details", TextArea).border_title = "Details"
        self.query_one("#ie-kind", IncomingKindKeys).focus()
        actor = cast(HasContext, self.app).ctx.actor
        if not (actor.has("task.work") or actor.has("reception.desk")):
            roles = ", ".join(sorted(actor.roles)) or "none"
            self._status(f"You may not log incoming items (roles: {roles})", error=True)
        self._load_draft()

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
        )

    def _fill(self, form: IncomingForm) -> None:
        self.query_one("#ie-kind", IncomingKindKeys).value = form.kind
        for field in ("summary", "name", "dob", "source"):
            self.query_one(f"#ie-{field}", Input).value = getattr(form, field)
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
        self._changed()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").removeprefix("ie-")
        if field in FIELDS:
            self._field_error(field, "")
        if field == "dob":
            self._show_dob(event.value)
        self._changed()

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
            self._changed()

    # -- the draft: offered back on opening, kept while typing -------------------------------------

    def _load_draft(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor

        def work(session: Session) -> tuple[dict[str, Any], datetime] | None:
            info = incoming_draft(session, actor)
            return (info.data, info.updated_at) if info else None

        run_db(
            self,
            work,
            done=self._draft_loaded,
            failed=self._draft_load_failed,
            group="incoming-draft",
        )

    def _draft_loaded(self, found: tuple[dict[str, Any], datetime] | None) -> None:
        draft = IncomingForm.from_draft(found[0]) if found is not None else IncomingForm()
        if found is None or draft.is_blank:
            self._draft_ready = True
            self._changed()  # anything typed while the draft was being looked for is kept
            return
        self.app.push_screen(
            RestoreIncomingModal(found[1], incoming_draft_summary(asdict(draft))),
            lambda restore: self._restore_answered(draft, bool(restore)),
        )

    def _draft_load_failed(self, error: Exception) -> None:
        self._draft_note(f"Drafts could not be read: {describe_error(error)}", error=True)
        self._draft_ready = True
        self._changed()

    def _restore_answered(self, draft: IncomingForm, restore: bool) -> None:
        self._stored = draft  # the stored draft, whichever the answer
        if restore:
            self._pending = draft
            self._fill(draft)
            self._status("Draft restored: ctrl+s logs it")
            if draft.kind is None:
                self.query_one("#ie-kind").focus()
            else:
                details = self.query_one("#ie-details", TextArea)
                details.move_cursor(details.document.end)
                details.focus()
        else:
            self._pending = self.form()  # blank, unless keys were typed ahead of the question
        self._draft_ready = True
        self._write_draft()  # declined: the stored draft goes (or becomes what was typed)

    def _changed(self) -> None:
        """The form changed: a draft write is due within DRAFT_EVERY seconds."""
        if self._finished:
            return
        self._pending = self.form()
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if (
            self._draft_ready
            and self._draft_timer is None
            and not (self._saving or self._leaving or self._finished)
            and self._pending.as_draft != self._stored
        ):
            self._draft_timer = self.set_timer(DRAFT_EVERY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        self._write_draft()

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def _write_draft(self) -> None:
        """Store the form as last typed (a blank one drops the draft), unless a write is under
        way: that one's end starts the next. Leaving waits for it; a save comes after it."""
        if self._draft_writing or self._finished or self._saving:
            return
        form = self._pending.as_draft
        if form == self._stored:
            if self._leaving:
                self._finished = True
                self.dismiss(None)
            return
        actor = cast(HasContext, self.app).ctx.actor

        def work(session: Session) -> None:
            if form.is_blank:
                drafts.discard_draft(session, actor, INCOMING_DRAFT_KIND, INCOMING_DRAFT_KEY)
            else:
                drafts.save_draft(
                    session, actor, INCOMING_DRAFT_KIND, INCOMING_DRAFT_KEY, asdict(form)
                )

        self._draft_writing = True
        run_db(
            self,
            work,
            done=lambda _: self._draft_written(form),
            failed=self._draft_failed,
            write=True,
            group="incoming-draft",
        )

    def _draft_written(self, form: IncomingForm) -> None:
        self._draft_writing = False
        self._stored = form
        if form.is_blank:
            self._draft_note("")
        else:
            self._draft_note(f"draft kept {clock.now():%H:%M:%S}, not yet logged")
        self._after_draft_write()

    def _draft_failed(self, error: Exception) -> None:
        """Shown beside the status line; typing goes on, and the next change tries again."""
        self._draft_writing = False
        self._draft_note(f"Draft not kept: {describe_error(error)}", error=True)
        if self._leaving:
            self._leaving = False  # stay: leaving now could lose what was typed
            self._status("Not left: the draft could not be written (see right)", error=True)
        self._after_draft_write()

    def _after_draft_write(self) -> None:
        if self._save_waiting is not None:
            start, self._save_waiting = self._save_waiting, None
            start()
        elif self._leaving:
            self._write_draft()
        else:
            self._schedule_draft()  # what was typed meanwhile (or a retry after a failure)

    def _draft_note(self, text: str, *, error: bool = False) -> None:
        note = self.query_one("#ie-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    # -- saving -----------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving or self._finished:
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
        # A draft not yet offered back (the form was saved before it was looked for) stays.
        drop_draft = self._draft_ready

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
            )
            if drop_draft:
                drafts.discard_draft(session, actor, INCOMING_DRAFT_KIND, INCOMING_DRAFT_KEY)
            return Logged(task.id or 0, task.kind, task.title)

        def start() -> None:
            run_db(
                self,
                work,
                done=self._saved,
                failed=self._save_failed,
                write=True,
                what="logging the incoming item",
                group="incoming-save",
            )

        self._saving = True
        self._status("Logging…")
        self._stop_draft_timer()
        if self._draft_writing:
            self._save_waiting = start  # after it, so that no draft outlives the item
        else:
            start()

    def _saved(self, logged: Logged) -> None:
        self._saving = False
        self._finished = True
        kind = INCOMING_KIND_LABELS.get(logged.kind, logged.kind)
        self.app.notify(
            f"Logged: {kind} — {clean(logged.summary)} (in Incoming for triage)",
            timeout=5,
            markup=False,
        )
        self.dismiss(logged.task_id)

    def _save_failed(self, error: Exception) -> None:
        self._saving = False
        self._changed()  # the draft is kept again (it was not written while saving)
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
        if self._saving or self._leaving:
            return
        if self.form().is_blank:
            self._leave("discard")
            return
        self.app.push_screen(DiscardIncomingModal(), self._leave)

    def _leave(self, choice: str | None) -> None:
        """ "discard" drops the draft, "keep" writes what is typed as the draft; either way the
        form closes once the database has it (at once if there is nothing to write)."""
        if choice not in ("discard", "keep"):
            return
        self._stop_draft_timer()
        self._pending = IncomingForm() if choice == "discard" else self.form()
        self._leaving = True
        self._write_draft()


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    IncomingEntryScreen,
    IncomingKindKeys,
    PriorityKeys,
    DiscardIncomingModal,
    RestoreIncomingModal,
)
