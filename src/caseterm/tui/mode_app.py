"""What the two stand-alone modes (`caseterm triage`, `caseterm checkin`) share with the
workstation: `ctrl+q` quits, help lists the keys of the screen, and the config file's
`[keymap]` applies."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import BindingType

from caseterm.tui.keymap import apply_user_keymap, binding, binding_ids

# By path: a relative CSS_PATH would be looked up beside each subclass's module.
NO_COLOR_CSS = Path(__file__).with_name("no_color.tcss")


def mode_bindings(help_keys: str) -> list[BindingType]:
    """Quit and help. The desk's search box always has focus and takes `?`, so there help
    is on F1 alone."""
    return [
        binding("ctrl+q", "quit", "Quit", "quit", priority=True),
        binding(help_keys, "help", "Help", "help"),
    ]


class ModeApp(App[None]):
    """Base of the stand-alone mode apps; subclasses push their one screen on mount."""

    CSS_PATH = NO_COLOR_CSS
    BINDINGS: ClassVar[list[BindingType]] = mode_bindings("question_mark,f1")
    SCREEN_CLASSES: ClassVar[tuple[type, ...]] = ()  # for the keymap: ids these declare

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO: subclasses need not call this.
        apply_user_keymap(self, lambda: binding_ids((type(self), *self.SCREEN_CLASSES)))

    def action_help(self) -> None:
        from caseterm.tui.screens.help import show_help

        show_help(self)
