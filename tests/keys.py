"""Key presses for Pilot tests that wait for the app, not for a fixed slice of time.

`Pilot.press` waits after every key until the process has looked idle over two 20 ms windows
(40 ms at the least, a second at the most): about 60-90 ms a key, which made typing the larger
part of the Pilot tests' time (a test typing a file path spent five seconds on it). `press` here
sends the same key events, in the same order, one at a time, and after each waits until the
screen's widgets have handled every message queued so far and the process has then stayed
quiet over a 5 ms window (a worker thread still reading keeps it busy, as with `Pilot.press`).
What a key does is unchanged; only the dead time between keys is shorter. Tests still wait for
what they assert on (`settle`, `wait_for`, `until`): a key's effect that comes later, from a
worker, was never promised by either.

`idle` is the same wait on its own, for `await pilot.pause()` (which sleeps 20 ms at the least).
Only Textual's public API is used: `App.post_message`, `events.Key`, `Pilot.pause` and the key
names of `textual.keys`.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from typing import Any

from textual import events
from textual.keys import (
    ASCII_KEY_NAMES,
    KEY_NAME_REPLACEMENTS,
    KEY_TO_UNICODE_NAME,
    REPLACED_KEYS,
)
from textual.pilot import Pilot

STEP = 0.005  # seconds a quiet window lasts
QUIET_CPU = 0.001  # CPU seconds the whole process may use in a window and still count as quiet
MOST = 1.0  # a process busy for longer than this is left to the test's own waits (as Pilot does)


def key_event(key: str) -> events.Key:
    """The event `Pilot.press` sends for `key` (a key name such as `enter` or `ctrl+s`, or one
    character), with the same key name and character (tests/test_keys.py compares them)."""
    if len(key) == 1 and not key.isalnum():
        name = unicodedata.name(key, "").lower().replace("-", "_").replace(" ", "_")
        key = name or ASCII_KEY_NAMES.get(key, key)
        key = KEY_NAME_REPLACEMENTS.get(key, key)
    original = REPLACED_KEYS.get(key, key)
    unicode_name = KEY_TO_UNICODE_NAME.get(original, original)
    try:
        character: str | None = unicodedata.lookup(unicode_name)
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def idle(pilot: Pilot[Any]) -> None:
    """Until the screen has handled what was queued and the process then stays quiet."""
    started = time.monotonic()
    while True:
        await pilot.pause(0)  # every widget's queue handled first
        cpu = time.process_time()
        await asyncio.sleep(STEP)
        if time.process_time() - cpu < QUIET_CPU or time.monotonic() - started > MOST:
            await pilot.pause(0)  # and laid out: what mounted in the window is on screen
            return


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press `keys` one after another, as `Pilot.press` does, each handled before the next."""
    for key in keys:
        pilot.app.post_message(key_event(key))
        await idle(pilot)
