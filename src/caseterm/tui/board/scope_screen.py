"""Choosing whose board: a team code (PRE-OM) or an office code (PRE)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from caseterm.core.services.board import Scope
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.plain_input import PlainInput


class ScopeScreen(ModalScreen[str | None]):
    CSS_PATH = "board.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "board_scope_cancel"),
    ]

    def __init__(self, current: Scope | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content("Whose board?"))
            now = f"now {self.current.code}: " if self.current else ""
            yield PlainInput(
                "",
                placeholder=f"{now}a team code (PRE-OM) or an office code (PRE)",
                id="scope-code",
                max_length=20,
            )
            yield Static(
                content("enter shows the board · esc cancels"), id="scope-help", markup=False
            )

    @on(Input.Submitted, "#scope-code")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
