"""The contact form's two questions: restore an earlier draft? discard what is typed?"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean
from caseterm.tui.widgets.key_bar import KeyBar


def modal_css(name: str, width: int = 64) -> str:
    """The look shared by small question boxes: centred, bordered, bold title."""
    return f"""
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: {width}; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; padding: 0 1; background: $surface;
    }}
    {name} .modal-title {{ text-style: bold; }}
    {name} .modal-keys {{ margin-top: 1; }}
    """


def excerpt(text: str, limit: int = 120) -> str:
    """A single-line preview of stored text (controls stripped, shortened)."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class RestoreDraftModal(ModalScreen[bool]):
    """Offers back a draft left by a crash or an SSH drop: True restores, False discards it."""

    DEFAULT_CSS = modal_css("RestoreDraftModal")
    BINDINGS = [
        binding("r", "restore", "Restore", "restore_draft"),
        binding("d", "discard", "Discard draft", "discard_draft"),
    ]
    TITLE_TEXT = "Unsaved contact entry found"  # other forms' drafts say what they are

    def __init__(self, saved_at: datetime, summary: str) -> None:
        super().__init__()
        self._saved_at = saved_at
        self._summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.TITLE_TEXT, classes="modal-title")
            yield Static(
                Content(f"Typed {self._saved_at:%a %d %b %Y %H:%M} and never saved:"),
            )
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


class DiscardEntryModal(ModalScreen[str]):
    """Leaving a form with typed text: "discard", "keep" (as a draft for later) or "edit"."""

    DEFAULT_CSS = modal_css("DiscardEntryModal")
    BINDINGS = [
        binding("d", "choose('discard')", "Discard", "discard"),
        binding("k", "choose('keep')", "Keep as draft", "keep_draft"),
        binding("escape", "choose('edit')", "Keep editing", "back"),
    ]
    TITLE_TEXT = "Leave this contact entry?"
    SAID_TEXT = "It has not been saved to the case."

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.TITLE_TEXT, classes="modal-title")
            yield Static(self.SAID_TEXT)
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
