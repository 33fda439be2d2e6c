"""Help: every key of the screen it was opened from, with the binding id a keymap can change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import events
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
    /* The foot is laid out first: on a short screen the keys scroll, the foot stays whole. */
    HelpScreen #help-foot { dock: bottom; height: auto; }
    """

    GUTTER = 2  # between the two columns of keys
    FRAME = 4  # border and padding, left and right

    def __init__(self, title: str, keys: Iterable[KeyHelp]) -> None:
        super().__init__()
        self._title = title
        self._keys = list(keys)
        # Every line in full (a keymap needs the whole binding id): keys, description and id
        # each padded to the longest.
        self._widths = (
            max((cell_len(k.keys) for k in self._keys), default=0),
            max((cell_len(k.description) for k in self._keys), default=0),
            max((cell_len(k.binding_id) for k in self._keys), default=0),
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Keys: $title[/b]", title=self._title))
            # caseterm's own keys (each with the id a keymap uses) first; then the keys the
            # focused text field or list brings with it (cursor, selection, scrolling), which
            # at the desk would otherwise bury the desk's five keys.
            ours = [k for k in self._keys if k.binding_id]
            theirs = [k for k in self._keys if not k.binding_id]
            with VerticalScroll(id="help-keys"):
                with Grid():
                    yield from _lines(ours, self._widths)
                if theirs:
                    yield Label(content("Moving and editing:"), classes="help-section")
                    with Grid():
                        yield from _lines(theirs, self._widths)
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

    @property
    def line_width(self) -> int:
        keys, what, ident = self._widths
        return keys + 1 + what + 1 + ident

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, screen_width: int) -> None:
        """Two columns of keys where whole lines fit side by side, else one."""
        line = self.line_width
        columns = 2 if 2 * line + self.GUTTER + self.FRAME <= screen_width else 1
        for grid in self.query(Grid):
            grid.styles.grid_size_columns = columns
        inner = columns * line + (self.GUTTER if columns == 2 else 0)
        self.query_one(Vertical).styles.width = max(inner + self.FRAME, min(80, screen_width))


def _lines(keys: Iterable[KeyHelp], widths: tuple[int, int, int]) -> Iterator[Static]:
    keys_w, what_w, _ = widths
    for k in keys:
        yield Static(
            template(
                "[b]$keys[/b] $what [dim]$id[/dim]",
                keys=_pad(k.keys, keys_w),
                what=_pad(k.description, what_w),
                id=k.binding_id,
            ),
            classes="help-line",
        )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


def show_help(app: App[Any]) -> None:
    """Open help on the keys of the screen on top (once: not over help itself)."""
    if isinstance(app.screen, HelpScreen):
        return

    def key_display(b: Binding) -> str:
        return symbols.current().key(app.get_key_display(b))

    keys = describe_bindings(key_display, app.screen.active_bindings)
    title = getattr(app.screen, "HELP_TITLE", "") or app.screen.__class__.__name__
    app.push_screen(HelpScreen(title, keys))
