"""Keys that arrive together are applied in the order they were typed, in every text field.

Textual's own fields insert a printable key at once but send an editing key (backspace, the
arrows…) up to the app before acting on it, so a burst of keys (typed ahead over SSH) could be
applied out of order (Textual issue 6605). The interface's fields run their own bindings as the
key arrives; these tests post a burst without letting the app catch up between keys."""

from __future__ import annotations

import re
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult

from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea
from tests.keys import idle

TUI = Path(__file__).resolve().parents[2] / "src" / "caseterm" / "tui"


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield PlainInput(id="line")
        yield PlainTextArea(id="area")
        yield PlainInput(id="next")

    submitted_by: list[str | None]

    def on_mount(self) -> None:
        self.submitted_by = []

    def on_input_submitted(self, message: PlainInput.Submitted) -> None:
        self.submitted_by.append(message.input.id)


def burst(app: App[None], *keys: str) -> None:
    """Post every key before any is handled."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_a_burst_with_backspaces_keeps_its_order_in_a_line() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        app.query_one("#line", PlainInput).focus()
        await idle(pilot)
        burst(app, *"28/11/2026", *["backspace"] * 10, *"30/11/2026")
        await idle(pilot)
        await pilot.wait_for_scheduled_animations()
        assert app.query_one("#line", PlainInput).value == "30/11/2026"
        burst(app, "home", "x", "end", "left", "y")
        await idle(pilot)
        assert app.query_one("#line", PlainInput).value == "x30/11/202y6"


async def test_a_burst_with_backspaces_keeps_its_order_in_notes() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        app.query_one("#area", PlainTextArea).focus()
        await idle(pilot)
        burst(app, "b", "a", "backspace", "c", "enter", "d", "left", "e")
        await idle(pilot)
        assert app.query_one("#area", PlainTextArea).text == "bc\ned"


async def test_an_enter_after_a_tab_is_the_next_fields() -> None:
    """`tab` is the screen's binding and bubbles up before it runs; an `enter` in the same burst
    must not overtake it: it submits the field the `tab` moved to, not the one left behind."""
    app = Fields()
    async with app.run_test() as pilot:
        app.query_one("#area", PlainTextArea).display = False  # two one-line fields in a row
        app.query_one("#line", PlainInput).focus()
        await idle(pilot)
        burst(app, "tab", "enter")
        await idle(pilot)
        await idle(pilot)
        assert app.submitted_by == ["next"]


def test_every_text_field_in_the_interface_is_a_plain_one() -> None:
    """A bare Input or TextArea would bring the reordering (and control characters) back."""
    bare = re.compile(r"(^|[^A-Za-z_.])(Input|TextArea)\(")
    found = [
        f"{path.relative_to(TUI)}:{number}: {line.strip()}"
        for path in sorted(TUI.rglob("*.py"))
        if path.name != "plain_input.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []
