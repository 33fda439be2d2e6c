"""Someone else changed this since you opened it: say who and when; reload, compare or cancel.

Never a silent overwrite. The caller passes what it showed (`mine`) and how to read what is
stored now (`load_theirs`, run in a thread worker when the person asks to compare). Dismisses
with "reload" or "cancel".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from caseterm.core.errors import StaleEditError
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content, plain_lines, template, uk_datetime

Fields = Mapping[str, str]


class StaleScreen(ModalScreen[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "reload", "Reload", "stale_reload"),
        binding("c", "compare", "Compare", "stale_compare"),
        binding("escape", "cancel", "Cancel", "stale_cancel"),
    ]

    CSS_PATH = Path(__file__).with_name("stale.tcss")

    def __init__(
        self,
        error: StaleEditError,
        *,
        mine: Fields | None = None,
        load_theirs: Callable[[Session], Fields] | None = None,
    ) -> None:
        super().__init__()
        self.error = error
        self.mine = dict(mine or {})
        self.load_theirs = load_theirs
        self.theirs: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        e = self.error
        when = uk_datetime(e.changed_at) if e.changed_at else "just now"
        with Vertical():
            yield Label(template("[b]Changed by someone else[/b]"))
            yield Static(
                template(
                    "$what was changed by [b]$who[/b] at [b]$when[/b] since you opened it. "
                    "Nothing of yours was saved.",
                    what=e.what[:1].upper() + e.what[1:],
                    who=e.changed_by,
                    when=when,
                ),
                id="stale-message",
            )
            yield Static("", id="stale-compare")
            keys = "r reload (see their version, then do it again)"
            if self.load_theirs is not None:
                keys += " · c compare"
            yield Static(content(keys + " · esc cancel"), id="stale-keys")

    def action_reload(self) -> None:
        self.dismiss("reload")

    def action_cancel(self) -> None:
        self.dismiss("cancel")

    def action_compare(self) -> None:
        if self.load_theirs is None:
            return
        if self.theirs is not None:
            self._show_compare()
            return
        run_db(self, self.load_theirs, done=self._got_theirs, what="reading the latest version")

    def _got_theirs(self, theirs: Fields) -> None:
        self.theirs = dict(theirs)
        self._show_compare()

    def _show_compare(self) -> None:
        theirs = self.theirs or {}
        lines = [f"{'':13} {'you saw':<26} now"]
        for field in list(self.mine) + [k for k in theirs if k not in self.mine]:
            yours, now = clean(self.mine.get(field, "")), clean(theirs.get(field, ""))
            flag = "≠" if yours != now else " "
            lines.append(f"{flag}{field[:12]:<12} {yours[:25]:<26} {now[:26]}")
        self.query_one("#stale-compare", Static).update(plain_lines("\n".join(lines)))
