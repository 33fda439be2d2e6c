"""The two small dialogs of the Account section's enforcement keys: a yes/no for confirming a
step (`y` confirms, `n` or `escape` does not) and one line of reason for rejecting a step or
releasing a hold (`enter` gives it, `escape` gives up)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.plain_input import PlainInput


class ConfirmStepDialog(ModalScreen[bool]):
    DEFAULT_CSS = modal_css("ConfirmStepDialog", 70)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("y", "answer(True)", "Yes", "confirm_step_yes"),
        binding("n,escape", "answer(False)", "No", "confirm_step_no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text, self.question = title, question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.title_text), classes="modal-title")
            yield Static(content(self.question))
            yield Static(content("y confirm · n or escape not now"), classes="modal-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class StepReasonDialog(ModalScreen[str | None]):
    DEFAULT_CSS = (
        modal_css("StepReasonDialog", 70)
        + """
    StepReasonDialog .error { color: $error; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel_step_reason"),
    ]

    def __init__(self, title: str, label: str, *, required: bool = True) -> None:
        super().__init__()
        self.title_text, self.label, self.required = title, label, required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.title_text), classes="modal-title")
            yield Label(content(self.label))
            yield PlainInput(compact=True, id="step-reason", max_length=300)
            yield Static("", id="error", classes="error")
            yield Static(content("enter go ahead · escape cancel"), classes="modal-keys")

    def on_mount(self) -> None:
        focus_now(self.query_one("#step-reason", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = clean(event.value).strip()
        if not reason and self.required:
            self.query_one("#error", Static).update(content("reason: is required"))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
