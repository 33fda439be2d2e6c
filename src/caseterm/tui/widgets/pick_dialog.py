"""Type to filter a list, enter picks the highlighted entry: the one pick dialog (triage's
decisions, the desk's account, which event received papers evidence)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core.text import fold
from caseterm.tui.safe import clean
from caseterm.tui.widgets.plain_input import PlainInput

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; max-width: 100%; height: auto; max-height: 90%;
    border: round $accent; padding: 0 1; background: $surface; }}
{name} OptionList {{ height: auto; max-height: 12; }}
{name} .error {{ color: $error; }}
"""


@dataclass(frozen=True)
class Choice:
    """One thing to choose: `key` is returned, `label` shown, `search` matched as you type."""

    key: str
    label: str
    search: str = ""


class PickDialog(ModalScreen[str | None]):
    """Type to filter a list, enter picks the highlighted entry."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PickDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield PlainInput(placeholder="type to filter…", id="filter")
            yield OptionList(*self._options(""), id="choices")
            yield Static(Text("↑↓ choose · enter pick · escape cancel", style="dim"))

    def _options(self, typed: str) -> list[Option]:
        wanted = fold(typed)
        return [
            Option(Text(clean(c.label)), id=c.key)
            for c in self.choices
            if not wanted or wanted in fold(c.search or c.label)
        ]

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(Input.Submitted, "#filter")
    def _pick_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
