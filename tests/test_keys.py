"""tests/keys.py sends the key events `Pilot.press` sends, in the same order, each handled before
the next."""

from __future__ import annotations

import string

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.keys import press

KEYS = [
    *string.punctuation,
    *"aZ09 \t",
    *"éñßÆøŁ€£çÇ🙂中\u202e\u200b",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "ctrl+s",
    "ctrl+u",
    "end",
    "home",
    "backspace",
    "delete",
    "space",
    "pagedown",
    "left_square_bracket",
    "question_mark",
    "slash",
    "plus",
    "minus",
    "underscore",
    "percent_sign",
]


class Recorder(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []

    def on_key(self, event: events.Key) -> None:
        self.seen.append((event.key, event.character))


async def test_the_same_key_events_as_pilot_press() -> None:
    by_pilot, by_us = Recorder(), Recorder()
    async with by_pilot.run_test() as pilot:
        await pilot.press(*KEYS)
    async with by_us.run_test() as pilot:
        await press(pilot, *KEYS)
    assert len(by_pilot.seen) == len(KEYS)
    assert by_us.seen == by_pilot.seen


class Typing(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="field")


async def test_typed_text_lands_in_the_field_in_order() -> None:
    app = Typing()
    async with app.run_test() as pilot:
        await press(pilot, *"31/12/2026 £12.50", "home", "delete", "4")
        assert app.query_one(Input).value == "41/12/2026 12.50"  # `£` has no character, as in Pilot
