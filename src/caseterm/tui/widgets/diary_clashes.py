"""Pieces shared by the diary's booking and moving forms: reading a length ("45m", "1h30"),
and the list of clashes shown before saving."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from textual.content import Content
from textual.widgets import Static

from caseterm.core.errors import ValidationError
from caseterm.tui.safe import clean

LENGTH_EXAMPLES = "45, 45m, 1h, 1h30 or 1:30"
_LENGTH = re.compile(
    r"(?:(?P<h>\d{1,2})\s*(?:h|hr|hrs|hours?|:)\s*(?P<hm>\d{1,2})?\s*(?:m|min|mins)?"
    r"|(?P<m>\d{1,4})\s*(?:m|min|mins|minutes?)?)"
)


def parse_length(text: str, field: str = "length") -> timedelta:
    """How long an appointment lasts: minutes (`45`, `45m`) or hours (`1h`, `1h30`, `1:30`)."""
    m = _LENGTH.fullmatch(text.strip().lower())
    if m is None:
        raise ValidationError(field, f"cannot read {text.strip()!r}; try {LENGTH_EXAMPLES}")
    minutes = int(m["m"]) if m["m"] is not None else int(m["h"]) * 60 + int(m["hm"] or 0)
    if minutes <= 0:
        raise ValidationError(field, "must be at least a minute")
    if minutes > 24 * 60:
        raise ValidationError(field, "an appointment lasts at most 24 hours")
    return timedelta(minutes=minutes)


def show_length(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


class ClashList(Static):
    """ "No clashes", or each clash on its own line (bold, and marked with "!" for NO_COLOR)."""

    DEFAULT_CSS = """
    ClashList { height: auto; max-height: 6; }
    ClashList.-clashes { color: $text-warning; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.clashes: list[str] = []

    def show_clashes(self, clashes: Sequence[str], *, checked: bool = True) -> None:
        self.clashes = list(clashes)
        self.set_class(bool(self.clashes), "-clashes")
        if not checked:
            self.update("")
        elif not self.clashes:
            self.update("No clashes")
        else:
            lines = [f"! {clean(c)}" for c in self.clashes]
            self.update(Content("\n".join(lines)))
