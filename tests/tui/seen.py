"""What a person sees, read through Textual's public API only (no `_compositor`, no
`_notifications`):

- `screen_text(app)`: the terminal as plain text lines, from `App.export_screenshot()`.
- `Noted…App`: test subclasses of the apps that keep every notification's message as it is
  shown (`notes_of(app)`) and every state of the database indicator (`waited_of(app)`).
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len
from textual.app import App

from caseterm.tui.app import CasetermApp
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.triage.app import TriageApp

# One run of text in rich's SVG export: its x (cells × char width), its line, its text.
_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)"'
    r' clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text lines (for assertions on what people see)."""
    svg = app.export_screenshot()
    runs = [
        (float(x), float(length), int(line), html.unescape(text).replace("\xa0", " "))
        for x, length, line, text in _TEXT.findall(svg)
    ]
    char_width = next((length / cell_len(t) for _x, length, _l, t in runs if cell_len(t)), 1.0)
    lines: dict[int, list[tuple[int, str]]] = {}
    for x, _length, line, text in runs:
        lines.setdefault(line, []).append((round(x / char_width), text))
    out: list[str] = []
    for number in range(app.size.height):
        built = ""
        for column, text in sorted(lines.get(number, [])):
            built += " " * max(column - cell_len(built), 0) + text
        out.append(built.rstrip())
    return "\n".join(out)


class _Notes:
    notes: list[str]

    def keep(self, message: object) -> None:
        self.__dict__.setdefault("notes", []).append(str(message))

    def watch_db_waiting(self, waiting: str) -> None:
        self.__dict__.setdefault("waited", []).append(waiting)


class NotedCasetermApp(CasetermApp, _Notes):
    def notify(self, message: str, **kwargs: Any) -> None:
        self.keep(message)
        super().notify(message, **kwargs)


class NotedCheckinApp(CheckinApp, _Notes):
    def notify(self, message: str, **kwargs: Any) -> None:
        self.keep(message)
        super().notify(message, **kwargs)


class NotedTriageApp(TriageApp, _Notes):
    def notify(self, message: str, **kwargs: Any) -> None:
        self.keep(message)
        super().notify(message, **kwargs)


def waited_of(app: App[Any]) -> list[str]:
    """Every "Waiting…"/"Reconnecting…" indicator `app` (a Noted…App) has shown, in order."""
    waited: list[str] = app.__dict__.get("waited", [])
    return waited


def notes_of(app: App[Any]) -> list[str]:
    """Every notification `app` (a Noted…App) has shown, in order."""
    notes: list[str] = app.__dict__.get("notes", [])
    return notes
