"""Small questions asked in the middle of a task action: the outcome of a completion (optional),
which priority, and whether a colleague's task was completed on their behalf."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.dialog_look import modal_css
from caseterm.tui.widgets.plain_input import PlainInput

PRIORITY_NAMES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}


class OutcomeScreen(ModalScreen[str | None]):
    """What was done: `enter` completes (with no outcome if nothing is typed), `escape` does
    not complete."""

    DEFAULT_CSS = modal_css("OutcomeScreen", 70)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(f"Complete {self._what}"), classes="modal-title", markup=False)
            yield PlainInput(
                placeholder="outcome: what was done (optional)", id="outcome", max_length=300
            )
            yield Static(
                content("enter completes · esc cancels"), classes="modal-keys", markup=False
            )

    @on(Input.Submitted, "#outcome")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class PriorityScreen(ModalScreen[int | None]):
    """A priority with one key: 1 urgent … 4 low."""

    DEFAULT_CSS = modal_css("PriorityScreen", 60)
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            binding(str(n), f"pick({n})", f"{n} {name}", f"priority_{n}")
            for n, name in PRIORITY_NAMES.items()
        ),
        binding("escape", "cancel", "Cancel", "cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(f"Priority of {self._what}"), classes="modal-title", markup=False)
            yield Static(
                content(" · ".join(f"{n} {name}" for n, name in PRIORITY_NAMES.items())),
                markup=False,
            )
            yield Static(content("esc cancels"), classes="modal-keys", markup=False)

    def action_pick(self, priority: int) -> None:
        self.dismiss(priority)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OnBehalfScreen(ModalScreen[bool]):
    """A colleague's task: `y` completes it on their behalf (recorded), `n`/`escape` does not."""

    DEFAULT_CSS = modal_css("OnBehalfScreen", 70)
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("y", "answer(True)", "Yes, on their behalf", "on_behalf_yes"),
        binding("n", "answer(False)", "No", "on_behalf_no"),
        binding("escape", "answer(False)", "Cancel", "cancel"),
    ]

    def __init__(self, said: str) -> None:
        super().__init__()
        self._said = said

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content("Someone else's task"), classes="modal-title", markup=False)
            yield Static(content(self._said), markup=False)
            yield Static(
                content("Did you do it on their behalf? y yes (recorded) · n no"),
                classes="modal-keys",
                markup=False,
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
