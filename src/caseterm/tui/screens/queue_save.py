"""Saving a queue of one's own from the Queues screen, and confirming the deletion of one.

The form asks for a name, the task kinds (none ticked: every kind), whom they are assigned to,
their status, how soon they are due, the case type, and whether everyone sees the queue. It may
start from the saved queue on screen. `ctrl+s` saves through the queue service; a refusal names
the field, focuses it, and keeps everything typed. Dismisses with the saved queue, or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.services import org, saved_queues
from caseterm.core.services.identity import Actor
from caseterm.core.services.saved_queues import SAVED_PREFIX, QueueFilter, describe_filter
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content, plain, template
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput

ASSIGNEES = (("anyone", ""), ("me", "me"), ("my team", "team"), ("nobody", "none"))
# Open first: it is the default, and what a queue of work usually means.
STATUSES = [(s, s) for s in (TaskStatus.OPEN, *(s for s in TaskStatus if s != TaskStatus.OPEN))] + [
    ("any status", "")
]
SHARED = "shared"

# The service's field names -> (what the form calls it, the widget to focus).
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("Name", "#qs-name"),
    "kinds": ("Task kinds", "#qs-kinds"),
    "assignee": ("Assigned to", "#qs-assignee"),
    "status": ("Status", "#qs-status"),
    "due_within_days": ("Due within", "#qs-due"),
    "case_type": ("Case type", "#qs-case-type"),
}
HINT = "ctrl+s saves · esc cancels"


def read_days(text: str) -> int | None:
    """'Due within' as typed: blank for any date, else a whole number of days."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError("due_within_days", "a whole number of days, e.g. 7, or blank")
    return int(text)


@dataclass(frozen=True)
class SavedQueueResult:
    key: str  # saved:<id>
    name: str
    shared: bool


@dataclass(frozen=True)
class FormChoices:
    case_types: list[tuple[str, str]]  # (code, name)
    start: QueueFilter | None  # the filter of the saved queue the form starts from
    start_name: str


def _choices(session: Session, actor: Actor, start_key: str | None) -> FormChoices:
    types = [(t.code, t.name) for t in org.list_case_types(session)]
    if start_key is None or not start_key.startswith(SAVED_PREFIX):
        return FormChoices(types, None, "")
    saved = saved_queues.saved_queue(session, actor, start_key)  # refused unless theirs or shared
    return FormChoices(types, saved.filter, saved.name)


class TickList(OptionList):
    """Choices ticked and unticked with space or enter. The tick is a character, `[x]`, so it
    shows without colour (NO_COLOR, 16 colours), where a coloured box would not."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("space", "tick", "Tick", "toggle_tick")]

    class Changed(Message):
        def __init__(self, ticks: TickList) -> None:
            super().__init__()
            self.ticks = ticks

        @property
        def control(self) -> TickList:
            return self.ticks

    def __init__(
        self, choices: Iterable[tuple[str, str]], ticked: Iterable[str] = (), *, id: str
    ) -> None:
        self._labels = dict(choices)  # value -> label
        self.ticked: set[str] = set(ticked) & set(self._labels)
        super().__init__(*[Option(self._prompt(v), id=v) for v in self._labels], id=id)

    def _prompt(self, value: str) -> Content:
        return Content(("[x] " if value in self.ticked else "[ ] ") + clean(self._labels[value]))

    @property
    def values(self) -> list[str]:
        """The ticked values, in the order they are listed."""
        return [v for v in self._labels if v in self.ticked]

    def set_ticked(self, values: Iterable[str]) -> None:
        self.ticked = set(values) & set(self._labels)
        for value in self._labels:
            self.replace_option_prompt(value, self._prompt(value))
        self.post_message(self.Changed(self))

    def action_tick(self) -> None:
        if self.highlighted is None:
            return
        value = self.get_option_at_index(self.highlighted).id
        if value is not None:
            self.ticked.symmetric_difference_update({value})
            self.replace_option_prompt(value, self._prompt(value))
            self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter (or a click) ticks, as space does
        self.action_tick()


class SaveQueueScreen(ModalScreen[SavedQueueResult | None]):
    """Save a queue for the acting member of staff; `start_key` may name a saved queue whose
    filter the form starts from."""

    HELP_TITLE = "Save a queue"
    IS_FORM = True  # the app's search/diary/triage keys are off while it is open
    DEFAULT_CSS = (
        modal_css("SaveQueueScreen", 78)
        + """
    SaveQueueScreen #qs-body { height: auto; margin-top: 1; }
    SaveQueueScreen #qs-fields { width: 40; height: auto; }
    SaveQueueScreen #qs-kinds-box { width: 1fr; height: auto; margin-left: 2; }
    SaveQueueScreen .qs-row { height: 1; margin-bottom: 1; }
    SaveQueueScreen .qs-label { width: 12; text-style: bold; }
    SaveQueueScreen .qs-row Input { width: 1fr; }
    SaveQueueScreen .qs-row Select { width: 1fr; }
    SaveQueueScreen #qs-due { width: 6; }
    SaveQueueScreen #qs-due-note { width: 1fr; padding: 0 1; color: $text-muted; }
    SaveQueueScreen #qs-shared { width: 1fr; height: 1; border: none; padding: 0; }
    SaveQueueScreen #qs-kinds-title { text-style: bold; }
    SaveQueueScreen #qs-kinds { height: auto; max-height: 14; border: none; padding: 0; }
    /* Only the focused list shows its cursor: two highlighted rows would look like two foci. */
    SaveQueueScreen TickList:blur > .option-list--option-highlighted {
        background: $surface; color: $foreground; text-style: none;
    }
    SaveQueueScreen #qs-preview { height: auto; }
    SaveQueueScreen #qs-message { height: auto; margin-top: 1; }
    SaveQueueScreen #qs-message.-error { color: $text-error; text-style: bold; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "save"),
        binding("escape", "cancel", "Cancel", "cancel"),
    ]

    def __init__(self, start_key: str | None = None) -> None:
        super().__init__()
        self._start_key = start_key
        self._saving = False
        self._error_field: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save a queue", classes="modal-title")
            with Horizontal(id="qs-body"):
                with Vertical(id="qs-fields"):
                    with Horizontal(classes="qs-row"):
                        yield Label("Name", classes="qs-label")
                        yield PlainInput(
                            placeholder="e.g. My court results",
                            id="qs-name",
                            compact=True,
                            select_on_focus=False,  # focused after a refusal: keep the text
                        )
                    with Horizontal(classes="qs-row"):
                        yield Label("Assigned to", classes="qs-label")
                        yield Select[str](
                            ASSIGNEES, value="", allow_blank=False, id="qs-assignee", compact=True
                        )
                    with Horizontal(classes="qs-row"):
                        yield Label("Status", classes="qs-label")
                        yield Select[str](
                            STATUSES,
                            value=TaskStatus.OPEN,
                            allow_blank=False,
                            id="qs-status",
                            compact=True,
                        )
                    with Horizontal(classes="qs-row"):
                        yield Label("Due within", classes="qs-label")
                        yield PlainInput(
                            id="qs-due", compact=True, max_length=4, select_on_focus=False
                        )
                        yield Static("days (blank: any)", id="qs-due-note")
                    with Horizontal(classes="qs-row"):
                        yield Label("Case type", classes="qs-label")
                        yield Select[str]([], prompt="any", id="qs-case-type", compact=True)
                    with Horizontal(classes="qs-row"):
                        yield Label("Sharing", classes="qs-label")
                        yield TickList([(SHARED, "everyone sees it")], id="qs-shared")
                    yield Static("", id="qs-preview")
                    yield Static(HINT, id="qs-message", markup=False)
                with Vertical(id="qs-kinds-box"):
                    yield Label("Task kinds (none ticked: all)", id="qs-kinds-title")
                    yield TickList(TASK_KINDS.items(), id="qs-kinds")
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#qs-name", Input))
        start = self._start_key
        actor = cast(HasContext, self.app).ctx.actor
        run_db(self, lambda s: _choices(s, actor, start), done=self._got_choices)
        self._show_preview()

    def _got_choices(self, found: FormChoices) -> None:
        case_type = self.query_one("#qs-case-type", Select)
        case_type.set_options((plain(f"{code} {name}"), code) for code, name in found.case_types)
        flt = found.start
        if flt is None:
            return
        self.query_one("#qs-kinds", TickList).set_ticked(flt.kinds)
        self.query_one("#qs-assignee", Select).value = flt.assignee or ""
        self.query_one("#qs-status", Select).value = flt.status or ""
        due = "" if flt.due_within_days is None else str(flt.due_within_days)
        self.query_one("#qs-due", Input).value = due
        if flt.case_type and any(code == flt.case_type for code, _ in found.case_types):
            case_type.value = flt.case_type
        self._say(f"Starting from {found.start_name}. {HINT}")

    # ---------------------------------------------------------------- reading the form

    def queue_filter(self) -> QueueFilter:
        """The filter as the form shows it; ValidationError if 'due within' is not a number."""
        case_type = self.query_one("#qs-case-type", Select).value
        return QueueFilter(
            kinds=self.query_one("#qs-kinds", TickList).values,
            assignee=str(self.query_one("#qs-assignee", Select).value or "") or None,
            status=str(self.query_one("#qs-status", Select).value or "") or None,
            due_within_days=read_days(self.query_one("#qs-due", Input).value),
            case_type=case_type if isinstance(case_type, str) else None,
        )

    def _show_preview(self) -> None:
        try:
            shows = describe_filter(self.queue_filter())
        except ValidationError as exc:
            shows = f"✗ due within: {exc.reason}"
        self.query_one("#qs-preview", Static).update(template("[b]Shows:[/b] $shows", shows=shows))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TickList.Changed)
    def _changed(self, event: Message) -> None:
        self._show_preview()
        control = getattr(event, "control", None)
        in_error = FIELDS[self._error_field][1] if self._error_field else None
        if control is not None and f"#{control.id}" == in_error:
            self._error_field = None  # the field in error changed: its message has done its job
            self._say(HINT)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    # ---------------------------------------------------------------- saving

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#qs-message", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _refuse(self, error: ValidationError) -> None:
        label, selector = FIELDS.get(error.field, (error.field, "#qs-name"))
        self._error_field = error.field if error.field in FIELDS else None
        self._say(f"Not saved — {label}: {error.reason}", error=True)
        self.query_one(selector).focus()

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            flt = self.queue_filter()
        except ValidationError as exc:
            self._refuse(exc)
            return
        name = self.query_one("#qs-name", Input).value
        shared = SHARED in self.query_one("#qs-shared", TickList).ticked
        actor = cast(HasContext, self.app).ctx.actor

        def save(session: Session) -> SavedQueueResult:
            saved = saved_queues.save_queue(session, actor, name=name, flt=flt, shared=shared)
            return SavedQueueResult(saved.key, saved.name, saved.shared)

        self._saving = True
        self._say("Saving…")
        run_db(self, save, done=self._saved, failed=self._failed, write=True, what="saving")

    def _saved(self, result: SavedQueueResult) -> None:
        self._saving = False
        self.dismiss(result)

    def _failed(self, error: Exception) -> None:
        self._saving = False
        if isinstance(error, ValidationError):
            self._refuse(error)
        else:
            self._say(f"Not saved: {describe_error(error)}", error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DeleteQueueScreen(ModalScreen[bool]):
    """Delete a saved queue? True deletes it, False keeps it."""

    HELP_TITLE = "Delete a queue"
    DEFAULT_CSS = modal_css("DeleteQueueScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("y", "choose(True)", "Delete it", "confirm_delete"),
        binding("escape,n", "choose(False)", "Keep it", "cancel"),
    ]

    def __init__(self, name: str, owner: str = "", shared: bool = False) -> None:
        super().__init__()
        self._name = name
        self._owner = owner
        self._shared = shared

    def compose(self) -> ComposeResult:
        whose = f"{self._owner}'s" if self._owner else "your"
        with Vertical():
            yield Static("Delete a queue", classes="modal-title")
            yield Static(
                template("Delete $whose queue [b]$name[/b]?", whose=whose, name=self._name)
            )
            yield Static(
                "Its tasks stay as they are; only the queue goes."
                + (" Everyone it was shared with loses it too." if self._shared else "")
            )
            yield Static(
                Content.assemble(("y", "bold"), " delete it   ", ("esc", "bold"), " keep it"),
                classes="modal-keys",
            )
        yield KeyBar()

    def action_choose(self, delete: bool) -> None:
        self.dismiss(delete)
