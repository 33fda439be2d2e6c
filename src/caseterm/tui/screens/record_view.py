"""One record in full (a contact entry, a history event): labelled fields and a multi-line body,
all plain text. Read only; escape closes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain_lines, template


class RecordScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape,enter,q", "dismiss", "Close", "close_record"),
    ]

    CSS_PATH = Path(__file__).with_name("record_view.tcss")

    def __init__(self, title: str, fields: Sequence[tuple[str, str]], body: str = "") -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._body = body

    def compose(self) -> ComposeResult:
        width = max((len(name) for name, _ in self._fields), default=0)
        with Vertical():
            yield Label(template("[b]$title[/b]", title=self._title))
            for name, value in self._fields:
                yield Static(
                    template("[dim]$name[/dim] $value", name=f"{name:<{width}}", value=value),
                    classes="record-field",
                )
            if self._body:
                with VerticalScroll(id="record-body"):
                    yield Static(plain_lines(self._body))
            yield Static(content("esc close"), id="record-keys")
