"""Help: every key of the screen it was opened from, with the binding id a keymap can change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from caseterm.core.config import config_path
from caseterm.tui import symbols
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, template

# Inherited bindings that say nothing useful about caseterm.
HIDDEN_ACTIONS = frozenset({"screen.copy_text", "app.copy_text"})


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    description: str
    binding_id: str


def describe_bindings(
    key_display: Callable[[Binding], str], active: dict[str, ActiveBinding]
) -> list[KeyHelp]:
    """One line per binding (keys joined), in the order the screen declares them."""
    grouped: dict[tuple[int, str], list[str]] = {}
    first: dict[tuple[int, str], ActiveBinding] = {}
    for active_binding in active.values():
        b = active_binding.binding
        if b.system or not b.description or b.action in HIDDEN_ACTIONS:
            continue
        group = (id(active_binding.node), b.id or b.action)
        display = key_display(b)
        grouped.setdefault(group, [])
        if display not in grouped[group]:
            grouped[group].append(display)
        first.setdefault(group, active_binding)
    return [
        KeyHelp(" ".join(keys), first[g].binding.description, first[g].binding.id or "")
        for g, keys in grouped.items()
    ]


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath, closed with escape or `?`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape,question_mark,q", "dismiss", "Close", "close_help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-keys { height: auto; max-height: 1fr; }
    HelpScreen Grid { grid-size: 2; grid-gutter: 0 2; grid-rows: 1; height: auto; }
    HelpScreen .help-line { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    HelpScreen #help-foot, HelpScreen .help-section { color: $text-muted; }
    HelpScreen #help-foot { dock: bottom; height: auto; }  /* whole, the keys scrolling above */
    """

    def __init__(self, title: str, keys: Iterable[KeyHelp]) -> None:
        super().__init__()
        self._title = title
        self._keys = list(keys)

    def compose(self) -> ComposeResult:
        # Two columns in a box 80 wide (less on a narrower screen): border, padding and gutter.
        column = (min(80, self.app.size.width) - 4 - 2) // 2
        with Vertical():
            yield Label(template("[b]Keys: $title[/b]", title=self._title))
            # caseterm's own keys (each with the id a keymap uses) first; then the keys the
            # focused text field or list brings with it (cursor, selection, scrolling), which
            # at the desk would otherwise bury the desk's five keys.
            ours = [k for k in self._keys if k.binding_id]
            theirs = [k for k in self._keys if not k.binding_id]
            with VerticalScroll(id="help-keys"):
                with Grid():
                    yield from _lines(ours, column)
                if theirs:
                    yield Label(content("Moving and editing:"), classes="help-section")
                    with Grid():
                        yield from _lines(theirs, column)
            palette = (
                "Ctrl+P finds any action by name, and 'go to case REF'. "
                if self.app.ENABLE_COMMAND_PALETTE
                else ""
            )
            example = getattr(self.app, "KEYMAP_EXAMPLE", 'take_task = "T"')
            yield Static(
                content(f"{palette}Change keys in {config_path()} under [keymap], e.g. {example}."),
                id="help-foot",
            )


def _lines(keys: Iterable[KeyHelp], column: int) -> Iterator[Static]:
    """One Static per key. The binding id is never cut (a keymap needs it whole): where a line
    is too long for its `column`, the description gives way, ending in an ellipsis."""
    for k in keys:
        shown = f"{k.keys:<7}"
        room = column - cell_len(shown) - cell_len(k.binding_id) - 2
        what = f"{k.description:<14}"
        if cell_len(what) > room:  # padding first, then the description itself gives way
            what = set_cell_size(k.description, max(room, 0))
            if cell_len(k.description) > room:
                mark = symbols.current().ellipsis
                what = set_cell_size(k.description, max(room - len(mark), 0)) + mark
        yield Static(
            template("[b]$keys[/b] $what [dim]$id[/dim]", keys=shown, what=what, id=k.binding_id),
            classes="help-line",
        )


def show_help(app: App[Any]) -> None:
    """Open help on the keys of the screen on top (once: not over help itself)."""
    if isinstance(app.screen, HelpScreen):
        return

    def key_display(b: Binding) -> str:
        return symbols.current().key(app.get_key_display(b))

    keys = describe_bindings(key_display, app.screen.active_bindings)
    title = getattr(app.screen, "HELP_TITLE", "") or app.screen.__class__.__name__
    app.push_screen(HelpScreen(title, keys))
