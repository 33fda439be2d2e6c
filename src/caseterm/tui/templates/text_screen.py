"""A text to read on its own screen, plain and scrolled (a template merged with a case, the
merge fields a template may use); escape or q closes. And how a preview's answer is read: a case
reference, then the values the template asks to be typed."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import plain_lines
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.top_bar import TopBar

CSS = Path(__file__).with_name("templates.tcss")


def split_answer(answer: str) -> tuple[str, dict[str, str]]:
    """`OM/2026/1; court=Preston; hearing_date=1 May 2027`: the case reference, then the values
    the template asks to be typed (as when drafting a letter)."""
    from caseterm.tui.letters.draft_screen import parse_values

    reference, _, rest = answer.partition(";")
    return reference.strip(), parse_values(rest)


class TextScreen(Screen[None]):
    """A text to read (a merged preview), plain, scrolled; escape or q closes."""

    CSS_PATH = CSS
    HELP_TITLE = "Preview"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape,q", "close", "Close", "text_close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        yield TopBar(self.title_text)
        with VerticalScroll(id="tp-body"):
            yield Static(plain_lines(self.text), id="tp-text")
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#tp-body", VerticalScroll))

    def action_close(self) -> None:
        self.dismiss(None)
