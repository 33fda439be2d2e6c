"""Logging an incoming item (post opened, a phone message, a referral, a walk-in): kind on a
single key, a one-line summary, whom it is about (name and date of birth as written on it),
where it came from, priority and details. `ctrl+s` records it as an untriaged task waiting in the
Incoming queue, and dismisses with its id. A refused save names the field and keeps everything
typed; `escape` with something typed asks before throwing it away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static, TextArea

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services.incoming import record_incoming
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content
from caseterm.tui.widgets.contact_entry_keys import KeyPicker, key_bindings
from caseterm.tui.widgets.contact_entry_modals import modal_css
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


class DiscardIncomingModal(ModalScreen[bool]):
    """Leaving the form with something typed: True throws it away, False keeps editing."""

    DEFAULT_CSS = modal_css("DiscardIncomingModal")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("d", "choose(True)", "Discard", "discard"),
        binding("escape", "choose(False)", "Keep editing", "back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Leave this incoming item?", classes="modal-title")
            yield Static("It has not been logged: what you typed will be lost.")
            yield Static(
                Content.assemble(("d", "bold"), " discard it   ", ("esc", "bold"), " keep editing"),
                classes="modal-keys",
            )
        yield KeyBar()

    def action_choose(self, discard: bool) -> None:
        self.dismiss(discard)


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
    IncomingEntryScreen #ie-status { height: auto; padding: 0 1; background: $panel; }
    IncomingEntryScreen #ie-status.-error { color: $text-error; text-style: bold; }
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
        self._finished = False

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
        yield Static("", id="ie-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ie-details", TextArea).border_title = "Details"
        self.query_one("#ie-kind", IncomingKindKeys).focus()
        actor = cast(HasContext, self.app).ctx.actor
        if not (actor.has("task.work") or actor.has("reception.desk")):
            roles = ", ".join(sorted(actor.roles)) or "none"
            self._status(f"You may not log incoming items (roles: {roles})", error=True)

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

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").removeprefix("ie-")
        if field in FIELDS:
            self._field_error(field, "")
        if field == "dob":
            self._show_dob(event.value)

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
        scrub_text_area(event.text_area)
        self._field_error("details", "")

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
            return Logged(task.id or 0, task.kind, task.title)

        self._saving = True
        self._status("Logging…")
        run_db(
            self,
            work,
            done=self._saved,
            failed=self._save_failed,
            write=True,
            what="logging the incoming item",
            group="incoming-save",
        )

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
        if self._saving:
            return
        if self.form().is_blank:
            self.dismiss(None)
            return
        self.app.push_screen(DiscardIncomingModal(), self._leave)

    def _leave(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (
    IncomingEntryScreen,
    IncomingKindKeys,
    PriorityKeys,
    DiscardIncomingModal,
)
