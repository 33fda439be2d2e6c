"""One small form for the case lifecycle's dialogs (edit the case, transfer, accept or return,
add a party, link a case, where the paper file is): fields declared as data, `ctrl+s` saves
through a service in a writing transaction, `escape` leaves. The service's refusal is shown in
the form, naming the field, and nothing typed is lost; a record someone else changed since it
was opened offers reload or compare (`StaleScreen`). With `draft=(kind, key)` what is typed is
kept by the shared draft keeper and offered back after a crash."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea, scrub_text_area

Values = dict[str, Any]
Kind = Literal["text", "area", "select", "check"]


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: Kind = "text"
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for a select
    value: str | bool = ""
    placeholder: str = ""


class LifecycleForm(ModalScreen[Any]):
    """Dismisses with what the service returned, or None if left without saving."""

    CSS_PATH = Path(__file__).with_name("case_edit.tcss")
    IS_FORM = True  # the app's search/diary keys are off while it is open
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "save"),
        binding("escape", "back", "Back", "back"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        work: Callable[[Values], Callable[[Session], Any]],
        *,
        what: str,
        intro: str = "",
        draft: tuple[str, str] | None = None,
        stale_fields: Callable[[Session], Mapping[str, str]] | None = None,
        on_stale: Callable[[StaleEditError, Mapping[str, str], Any, Callable[[str], None]], None]
        | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.work = work
        self.what = what
        self.intro = intro
        self.stale_fields = stale_fields
        self.on_stale = on_stale  # shows "changed by someone else": reload, compare or cancel
        self._initial: Values | None = None
        self.keeper = (
            DraftKeeper(
                self,
                kind=draft[0],
                key=draft[1],
                current=self._draft_data,
                restore=self._restore,
                describe=self._describe,
                question=f"Unsaved {what} found",
                note=self._note,
            )
            if draft is not None
            else None
        )
        self._saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="lf-form"):
            yield Label(content(self.form_title), classes="modal-title")
            if self.intro:
                yield Static(content(self.intro), id="lf-intro")
            for f in self.fields:
                with Horizontal(classes="lf-row"):
                    yield Label(content(f.label), classes="lf-label")
                    yield self._widget(f)
            yield Static("", id="lf-error", classes="-empty", markup=False)
            yield Static("", id="lf-draft", markup=False)
            yield Static(content("ctrl+s save · esc leave"), classes="modal-keys")

    @staticmethod
    def _widget(f: FormField) -> Any:
        wid = f"lf-{f.id}"
        if f.kind == "area":
            return PlainTextArea(str(f.value), id=wid, soft_wrap=True, tab_behavior="focus")
        if f.kind == "select":
            value = f.value if any(v == f.value for _, v in f.options) else Select.NULL
            return Select(list(f.options), value=value, id=wid, compact=True, prompt="(none)")
        if f.kind == "check":
            return Checkbox("done", bool(f.value), id=wid, compact=True)
        return PlainInput(str(f.value), placeholder=f.placeholder, id=wid, max_length=300)

    def on_mount(self) -> None:
        self._initial = self.values()
        if self.fields:
            focus_now(self.query_one(f"#lf-{self.fields[0].id}"))
        if self.keeper is not None:
            self.keeper.start()

    def on_unmount(self) -> None:
        if self.keeper is not None:
            self.keeper.shut()

    # -- reading and filling ----------------------------------------------------------------------

    def values(self) -> Values:
        out: Values = {}
        for f in self.fields:
            widget = self.query_one(f"#lf-{f.id}")
            if isinstance(widget, TextArea):
                out[f.id] = widget.text
            elif isinstance(widget, Select):
                out[f.id] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, (Checkbox, Input)):
                out[f.id] = widget.value
        return out

    def fill(self, data: Mapping[str, Any]) -> None:
        for f in self.fields:
            if f.id not in data:
                continue
            widget, value = self.query_one(f"#lf-{f.id}"), data[f.id]
            if isinstance(widget, TextArea):
                widget.load_text(str(value))
            elif isinstance(widget, Select):
                known = any(v == value for _, v in f.options)
                widget.value = value if known else Select.NULL
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Input):
                widget.value = str(value)

    def _draft_data(self) -> Values | None:
        now = self.values()
        return None if now == self._initial else now

    def _restore(self, data: dict[str, Any], _at: datetime) -> None:
        self.fill(data)
        self._error("Draft restored: ctrl+s saves it", error=False)

    def _describe(self, data: dict[str, Any]) -> str | None:
        changed = [
            f.label for f in self.fields if data.get(f.id) != (self._initial or {}).get(f.id)
        ]
        return ("Changed: " + ", ".join(changed)) if changed else None

    def _note(self, text: str, error: bool) -> None:
        note = self.query_one("#lf-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def _error(self, text: str, *, error: bool = True) -> None:
        line = self.query_one("#lf-error", Static)
        line.update(content(text))
        line.set_class(not text, "-empty")
        line.set_class(error, "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if self.keeper is not None and self._initial is not None:
            self.keeper.changed()

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        if not scrub_text_area(event.text_area):
            self._changed()

    # -- saving and leaving ----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        values = self.values()
        try:
            work = self.work(values)
        except ValidationError as exc:
            self._error(f"Not saved: {exc.field}: {exc.reason}")
            return
        self._saving = True
        self._error("Saving…", error=False)
        if self.keeper is not None:
            self.keeper.save(
                work, done=self._saved, failed=self._failed, what=f"saving {self.what}"
            )
        else:
            run_db(
                self,
                work,
                write=True,
                done=self._saved,
                failed=self._failed,
                what=f"saving {self.what}",
                group="lifecycle-save",
            )

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.dismiss(result)

    def _failed(self, error: Exception) -> None:
        self._saving = False
        if isinstance(error, StaleEditError):
            self._error(f"Not saved: {error}")
            if self.on_stale is not None:
                mine = {
                    f.label: str(v)
                    for f, v in zip(self.fields, self.values().values(), strict=True)
                }
                self.on_stale(error, mine, self.stale_fields, self._stale_answer)
            return
        if isinstance(error, ValidationError):
            self._error(f"Not saved: {error.field}: {error.reason} (nothing you typed is lost)")
        else:
            self._error(f"Not saved: {describe_error(error)}")

    def _stale_answer(self, answer: str) -> None:
        if answer == "reload":  # leave: the case screen reads the case again
            if self.keeper is not None:
                self.keeper.close()
            self.dismiss(None)

    def action_back(self) -> None:
        if self.keeper is None:
            self.dismiss(None)
            return
        self.keeper.ask_to_leave(
            f"Leave {self.what}?", "It has not been saved.", lambda: self.dismiss(None)
        )


# Every class whose bindings these dialogs bring (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (LifecycleForm, RestoreDraftModal, LeaveFormModal)
