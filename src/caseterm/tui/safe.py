"""Stored text on screen, as plain text only.

Names, notes and titles come from the database, where anyone may have typed anything. They are
never parsed as markup (a stored `[@click=app.quit]` would become a live action) and control
characters are removed again on display (a stored ESC sequence would reach the terminal).
Bidirectional override characters go too: they can make a line read differently from its
contents. Right-to-left letters, emoji and combining marks stay as they are.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from rich.text import Text
from textual.content import Content

from caseterm.core.text import strip_controls

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean(value: object, *, multiline: bool = False) -> str:
    """`value` as a display string: None is empty, controls and bidi overrides removed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _BIDI_CONTROLS.sub("", strip_controls(text, multiline=multiline))


def plain(value: object, style: str = "") -> Text:
    """One line of stored text as a rich Text that is never parsed as markup; where it is cut
    it ends in "…"."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis", end="")


def plain_lines(value: object, style: str = "") -> Text:
    """Multi-line stored text (notes), newlines kept, never parsed as markup."""
    return Text(clean(value, multiline=True), style=style, end="")


def content(value: object) -> Content:
    """Stored text for widgets that take Textual `Content` (Static, Label, OptionList)."""
    return Content(clean(value))


def template(markup: str, **values: object) -> Content:
    """A trusted markup template with stored values substituted as plain text:
    `template("[b]$ref[/b] $name", ref=case.reference, name=person.full_name)`."""
    return Content.from_markup(markup, **{k: clean(v) for k, v in values.items()})


def uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def uk_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""
