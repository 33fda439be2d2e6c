"""What the two stand-alone modes (`caseterm triage`, `caseterm checkin`) add to the base every
caseterm app shares (`caseterm.tui.base_app`): `ctrl+q` quits, help lists the keys of the
screen, and there is no command palette."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from caseterm.tui.base_app import NO_COLOR_CSS, CasetermBaseApp
from caseterm.tui.keymap import binding

__all__ = ["NO_COLOR_CSS", "ModeApp", "mode_bindings"]


def mode_bindings(help_keys: str) -> list[BindingType]:
    """Quit and help. The desk's search box always has focus and takes `?`, so there help
    is on F1 alone."""
    return [
        binding("ctrl+q", "quit", "Quit", "quit", priority=True),
        binding(help_keys, "help", "Help", "help"),
    ]


class ModeApp(CasetermBaseApp):
    """Base of the stand-alone mode apps; subclasses push their one screen on mount."""

    CSS_PATH = NO_COLOR_CSS
    BINDINGS: ClassVar[list[BindingType]] = mode_bindings("question_mark,f1")
    ENABLE_COMMAND_PALETTE = False
