"""The questions every form asks: restore an earlier draft? leave with something typed?

Their look is in `dialogs.tcss` (`caseterm.tui.widgets.dialog_look` gives other dialogs the same
look)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean
from caseterm.tui.widgets.key_bar import KeyBar

DIALOGS_CSS = Path(__file__).with_name("dialogs.tcss")


def excerpt(text: str, limit: int = 120) -> str:
    """A single-line preview of stored text (controls stripped, shortened)."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class RestoreDraftModal(ModalScreen[bool]):
    """Offers back a draft left by a crash or an SSH drop: True restores, False discards it."""

    CSS_PATH = DIALOGS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "restore", "Restore", "restore_draft"),
        binding("d", "discard", "Discard draft", "discard_draft"),
    ]

    def __init__(self, question: str, saved_at: datetime, summary: str) -> None:
        super().__init__()
        self._question = question
        self._saved_at = saved_at
        self._summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self._question), classes="modal-title")
            yield Static(Content(f"Typed {self._saved_at:%a %d %b %Y %H:%M} and never saved:"))
            yield Static(Content(excerpt(self._summary) or "(no notes)"), markup=False)
            yield Static(
                Content.assemble(("r", "bold"), " restore it   ", ("d", "bold"), " discard it"),
                classes="modal-keys",
            )
        yield KeyBar()

    def action_restore(self) -> None:
        self.dismiss(True)

    def action_discard(self) -> None:
        self.dismiss(False)


class LeaveFormModal(ModalScreen[str]):
    """Leaving a form with something typed: "discard", "keep" (as a draft) or "edit"."""

    CSS_PATH = DIALOGS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("d", "choose('discard')", "Discard", "discard"),
        binding("k", "choose('keep')", "Keep as draft", "keep_draft"),
        binding("escape", "choose('edit')", "Keep editing", "back"),
    ]

    def __init__(self, title: str, said: str) -> None:
        super().__init__()
        self._title = title
        self._said = said

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self._title), classes="modal-title")
            yield Static(Content(self._said))
            yield Static(
                Content.assemble(
                    ("d", "bold"),
                    " discard it   ",
                    ("k", "bold"),
                    " keep as a draft   ",
                    ("esc", "bold"),
                    " keep editing",
                ),
                classes="modal-keys",
            )
        yield KeyBar()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
