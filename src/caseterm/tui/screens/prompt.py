"""A one-line question in a small dialog (reusable): whose board, which period, where to save a
file.
`enter` answers (an empty answer is no answer), `escape` cancels."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.plain_input import PlainInput


class PromptScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PromptScreen #prompt-help { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "prompt_cancel"),
    ]

    def __init__(
        self, question: str, placeholder: str, value: str = "", *, optional: bool = False
    ) -> None:
        super().__init__()
        self.question, self.placeholder, self.value = question, placeholder, value
        self.optional = optional  # an empty answer is "" (escape alone is None)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.question))
            yield PlainInput(
                self.value, placeholder=self.placeholder, id="prompt-answer", max_length=500
            )
            yield Static(content("enter answers · esc cancels"), id="prompt-help", markup=False)

    def on_mount(self) -> None:
        focus_now(self.query_one("#prompt-answer", Input))  # type-ahead reaches the field

    @on(Input.Submitted, "#prompt-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        self.dismiss(answer if answer or self.optional else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
