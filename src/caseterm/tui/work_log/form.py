"""A small form of labelled fields (one-line text, a choice, notes) with its draft kept by the
one draft keeper: what the work log's forms (correct an entry, add a task) are made of.

A subclass lists its FIELDS, says what its draft is called, and turns the values typed into a
service call (`work`); a refusal naming a field is shown beside it and nothing typed is lost.
`ctrl+s` saves, `escape` leaves (asking first if anything was typed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, TextArea

from caseterm.core.errors import CasetermError, ValidationError
from caseterm.core.services.identity import Actor
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding, tab_moves_on
from caseterm.tui.safe import clean, content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea
from caseterm.tui.widgets.top_bar import TopBar

FORM_CSS = Path(__file__).with_name("work_log.tcss")


@dataclass(frozen=True)
class Field:
    """One field: `line` (one line of text), `choice` (from `options`: (label, value)) or
    `text` (notes over several lines). `names` are the service's names for it (errors)."""

    name: str
    label: str
    kind: str = "line"
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()


class SmallForm(Screen[str | None]):
    """See the module docstring. Dismisses with the message saying what was saved, or None."""

    CSS_PATH = FORM_CSS
    TITLE_TEXT = ""
    DRAFT_KIND = ""
    SAVING = "saving"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "save"),
        binding("escape", "back", "Back", "back"),
        *tab_moves_on(),
    ]

    def __init__(self, *, key: str, about: str, initial: dict[str, str]) -> None:
        super().__init__()
        self.about = about
        self.initial = dict(initial)
        self.keeper = DraftKeeper(
            self,
            kind=self.DRAFT_KIND,
            key=key,
            current=self._draft,
            restore=self._restore,
            describe=lambda data: clean(" · ".join(str(v) for v in data.values() if v))[:80],
            question=f"Unsaved {self.TITLE_TEXT.lower()} found",
            note=self._draft_note,
        )

    def fields(self) -> list[Field]:
        raise NotImplementedError

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        """The service call for these values (run in one writing transaction), returning the
        message to show; raise ValidationError for a value that cannot be read."""
        raise NotImplementedError

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield TopBar(self.TITLE_TEXT)
        with Vertical(id="sf-form"):
            yield Static(content(self.about), id="sf-about", markup=False)
            for f in self.fields():
                value = self.initial.get(f.name, "")
                if f.kind == "text":
                    area = PlainTextArea(
                        value,
                        id=f"sf-{f.name}",
                        classes="sf-text",
                        soft_wrap=True,
                        tab_behavior="focus",
                        placeholder=f.placeholder,
                    )
                    area.border_title = f.label
                    yield area
                else:
                    with Horizontal(classes="sf-row"):
                        yield Label(f.label, classes="sf-label")
                        if f.kind == "choice":
                            known = any(k == value for _, k in f.options)
                            extra: dict[str, Any] = {"value": value} if known else {}
                            yield Select(
                                [(content(text), key) for text, key in f.options],
                                allow_blank=not known,
                                prompt=f.placeholder or "Select",
                                compact=True,
                                id=f"sf-{f.name}",
                                **extra,
                            )
                        else:
                            yield PlainInput(
                                value,
                                placeholder=f.placeholder,
                                id=f"sf-{f.name}",
                                compact=True,
                                max_length=300,
                            )
                yield Static("", id=f"sf-{f.name}-read", classes="sf-read", markup=False)
        with Horizontal(id="sf-foot"):
            yield Static("", id="sf-status", markup=False)
            yield Static("", id="sf-draft", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        first = self.fields()[0]
        focus_now(self.query_one(f"#sf-{first.name}"))
        self.keeper.start()

    def on_unmount(self) -> None:
        self.keeper.shut()

    # ---------------------------------------------------------------- values and the draft

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields():
            widget = self.query_one(f"#sf-{f.name}")
            if isinstance(widget, TextArea):
                out[f.name] = widget.text
            elif isinstance(widget, Select):
                out[f.name] = widget.value if isinstance(widget.value, str) else ""
            else:
                out[f.name] = cast(Input, widget).value
        return out

    def _draft(self) -> dict[str, Any] | None:
        values = self.values()
        return None if values == {k: self.initial.get(k, "") for k in values} else dict(values)

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        for f in self.fields():
            value = data.get(f.name)
            if not isinstance(value, str):
                continue
            widget = self.query_one(f"#sf-{f.name}")
            if isinstance(widget, TextArea):
                widget.text = value
            elif isinstance(widget, Select):
                if any(k == value for _, k in f.options):
                    widget.value = value
            else:
                cast(Input, widget).value = value

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#sf-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.keeper.ready:
            self.keeper.changed()

    # ---------------------------------------------------------------- saving

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#sf-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def show_read(self, name: str, text: str) -> None:
        self.query_one(f"#sf-{name}-read", Static).update(content(text))

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        for f in self.fields():
            self.show_read(f.name, "")
        actor = cast(HasContext, self.app).ctx.actor
        try:
            work = self.work(self.values(), actor)
        except ValidationError as exc:
            self._refused(exc)
            return
        self.say(f"{self.SAVING.capitalize()}…")
        self.keeper.save(work, done=self._saved, failed=self._refused, what=self.SAVING)

    def _saved(self, message: str) -> None:
        self.app.notify(message, timeout=6, markup=False)
        self.dismiss(message)

    def _refused(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            f = next((f for f in self.fields() if error.field in (f.name, *f.names)), None)
            if f is not None:
                self.show_read(f.name, f"{f.label}: {error.reason}")
                self.query_one(f"#sf-{f.name}").focus()
        text = describe_error(error) if isinstance(error, CasetermError) else str(error)
        self.say(f"Not saved: {text} (nothing you typed is lost)", error=True)

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            f"Leave the {self.TITLE_TEXT.lower()}?",
            "What you typed is not saved.",
            lambda: self.dismiss(None),
        )
