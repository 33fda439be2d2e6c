"""What the terminal can show, decided once at start-up, and the app set up to match.

Textual on its own sends 24-bit colour to `TERM=dumb` and `vt100`, turns `NO_COLOR` into
19 shades of grey on a forced dark background, and picks colours for 16-colour terminals that
come out as bright red on bright black. Here:

* `NO_COLOR` (any value), or a monochrome terminal (`vt100`, `vt220`…): no colour codes at all;
  what a key acts on is shown by bold, underline and reverse (see `no_color.tcss`).
* 16 colours (`linux`, `xterm`, `*-16color`, `ansi`…): a theme made of the terminal's own 16
  colours (`caseterm-16`), so the terminal's palette decides what "red" looks like.
* 256 colours (`*-256color`) and 24-bit (`COLORTERM=truecolor`): the normal theme.
* `TERM=dumb`, `unknown` or unset: refused with one line (a terminal that cannot move the
  cursor cannot show a full-screen program); the `caseterm` commands work there.
* Symbols in ASCII (see `symbols`) when the locale is not UTF-8, on the Linux console, or when
  the config file says `[display] symbols = "ascii"`.
* The text cursor does not blink over SSH (each blink is a write to the link: 400 B/s while a
  form sits open), or when `[display] cursor_blink = false`.
* A lone escape is reported after 25 ms instead of Textual's 100 ms (`ESCDELAY` still wins).
* Over SSH only the cells that changed are written (`thin_output`).
"""

from __future__ import annotations

import os
import selectors
import sys
from codecs import getincrementaldecoder
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rich.color import ColorSystem
from textual import constants, events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.filter import Monochrome, NoColor
from textual.theme import BUILTIN_THEMES, Theme

from caseterm.core.config import load_settings
from caseterm.core.errors import CasetermError
from caseterm.tui import thin_output
from caseterm.tui.symbols import AsciiFilter, use_ascii

Colours = Literal["none", "16", "256", "truecolor"]

MONOCHROME_TERMS = ("vt52", "vt100", "vt102", "vt220", "vt320", "vt420")
SIXTEEN_COLOUR_TERMS = ("linux", "ansi", "xterm", "vt100-color", "cons25", "screen", "tmux")
NO_SCREEN_TERMS = ("", "dumb", "unknown")
NEUTRAL = {"TERM": "xterm-256color", "LANG": "C.UTF-8"}
ESCAPE_DELAY = 0.025  # seconds: long enough for a key's sequence to arrive in one read


class TerminalRefused(CasetermError):
    """The terminal cannot show the workstation at all."""


@dataclass(frozen=True)
class TerminalCaps:
    colours: Colours
    ascii: bool
    over_ssh: bool
    cursor_blink: bool
    basic: bool  # a terminal without xterm's extra modes (mouse, paste, focus reports)


def _is_utf8(value: str) -> bool:
    return value.lower().replace("-", "").endswith("utf8") or ".utf8@" in value.lower()


def locale_is_utf8(environ: Mapping[str, str]) -> bool:
    """LC_ALL, else LANG (Python sets LC_CTYPE=C.UTF-8 itself when the locale is C, so a
    C.UTF-8 LC_CTYPE says nothing about the client); unset means UTF-8."""
    for name in ("LC_ALL", "LANG"):
        value = environ.get(name, "")
        if value:
            return _is_utf8(value)
    ctype = environ.get("LC_CTYPE", "")
    return not ctype or _is_utf8(ctype)


def detect(
    environ: Mapping[str, str],
    *,
    symbols: str | None = None,
    cursor_blink: bool | None = None,
) -> TerminalCaps:
    """What this terminal can show; raises TerminalRefused for a terminal without a screen.
    `symbols` ("ascii"/"unicode") and `cursor_blink` come from the config's [display]."""
    term = environ.get("TERM", "").strip().lower()
    if term in NO_SCREEN_TERMS:
        shown = f"TERM={term}" if term else "TERM is not set"
        raise TerminalRefused(
            f"this terminal ({shown}) cannot show the full-screen workstation; "
            "use a terminal such as xterm (TERM=xterm-256color), or the caseterm "
            "commands (caseterm --help)"
        )
    basic = term.split("-")[0] in MONOCHROME_TERMS
    colours: Colours
    if "NO_COLOR" in environ or (basic and "color" not in term):
        colours = "none"
    elif term.endswith("-16color") or term.split("-")[0] in ("linux", "ansi", "cons25") or basic:
        colours = "16"
    elif environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        colours = "truecolor"
    elif term.endswith(("-256color", "-direct")) or term in ("xterm-kitty", "alacritty"):
        colours = "256"
    elif term in SIXTEEN_COLOUR_TERMS:
        colours = "16"
    else:
        colours = "256"
    if symbols in ("ascii", "unicode"):
        ascii = symbols == "ascii"
    else:
        ascii = term == "linux" or basic or not locale_is_utf8(environ)
    over_ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
    blink = cursor_blink if cursor_blink is not None else not over_ssh
    return TerminalCaps(colours, ascii, over_ssh, blink, basic)


SIXTEEN_THEME = Theme(
    name="caseterm-16",
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    accent="ansi_cyan",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **BUILTIN_THEMES["ansi-dark"].variables,
        # The key bar: default text on the default background, keys bold cyan (Textual's
        # choice comes out as bright red on bright black).
        "footer-background": "ansi_default",
        "footer-foreground": "ansi_default",
        "footer-key-foreground": "ansi_cyan",
        "footer-description-foreground": "ansi_default",
        # Tabs: the inactive underline in white, not black on black.
        "border-blurred": "ansi_white",
        "block-cursor-background": "ansi_cyan",  # the cursor row, the active tab's underline
        "block-cursor-foreground": "ansi_black",
        # Unfocused lists: no background (any one is unreadable on someone's palette); the
        # highlighted row is reversed instead (no_color.tcss, `App:ansi`).
        "block-cursor-blurred-background": "ansi_default",
        "block-cursor-blurred-foreground": "ansi_default",
        "text-muted": "ansi_default",
        "text-warning": "ansi_yellow",
        "text-accent": "ansi_cyan",
    },
)


class PromptDriver(LinuxDriver):
    """Textual's Linux driver, but a lone escape is reported after ESCAPE_DELAY: Textual's
    input thread polls its parser only every 100 ms, so a shorter ESCDELAY alone changes
    nothing. The loop below is Textual 8's `run_input_thread` with that poll interval."""

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        poll = min(constants.ESCAPE_DELAY, 0.1)

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(ready):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(poll))
            selector.unregister(self.fileno)
            process(selector.select(poll), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


class BasicDriver(PromptDriver):
    """For terminals without xterm's extra modes (vt100 and kin): no mouse tracking, no
    bracketed paste, no terminal queries written to a screen that would print them."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        kwargs["mouse"] = False
        super().__init__(app, **kwargs)

    def _request_terminal_sync_mode_support(self) -> None:
        pass

    def _query_in_band_window_resize(self) -> None:
        pass

    def _enable_bracketed_paste(self) -> None:
        pass

    def _disable_bracketed_paste(self) -> None:
        pass


_caps: TerminalCaps | None = None


def current() -> TerminalCaps | None:
    """The capabilities the running app was set up for (None before `configure`)."""
    return _caps


def _on_a_terminal() -> bool:
    """Textual reads stdin and draws on stderr."""
    return all(f is not None and f.isatty() for f in (sys.__stdin__, sys.__stderr__))


def configure(app: App[Any], environ: Mapping[str, str] | None = None) -> TerminalCaps:
    """Set up `app` (just constructed) for the terminal. Raises TerminalRefused.

    Without a terminal (tests, headless runs) only the config file applies, unless `environ`
    is given: a test says which terminal it means."""
    global _caps
    env: Mapping[str, str]
    if environ is not None:
        env = environ
    elif _on_a_terminal():
        env = os.environ
    else:  # no terminal to ask; NO_COLOR is the user's wish, not the terminal's
        env = {**NEUTRAL, **{k: v for k, v in os.environ.items() if k == "NO_COLOR"}}
    settings = load_settings()
    caps = detect(env, symbols=settings.display_symbols, cursor_blink=settings.cursor_blink)
    _caps = caps
    use_ascii(caps.ascii)
    if "ESCDELAY" not in env:
        constants.ESCAPE_DELAY = ESCAPE_DELAY  # type: ignore[misc]
    explicit = constants.COLOR_SYSTEM not in (None, "auto")  # TEXTUAL_COLOR_SYSTEM wins
    if not explicit:
        # Textual's console guessed from TERM alone (and sends 24-bit to `dumb`).
        app.console._color_system = {
            "none": ColorSystem.STANDARD,
            "16": ColorSystem.STANDARD,
            "256": ColorSystem.EIGHT_BIT,
            "truecolor": ColorSystem.TRUECOLOR,
        }[caps.colours]
    # Without colour the NoColor filter drops every colour anyway; the 16-colour theme's
    # reversed rows would only get in the way of no_color.tcss's underlines.
    if caps.colours == "16" or (explicit and constants.COLOR_SYSTEM == "standard"):
        app.register_theme(SIXTEEN_THEME)
        app.theme = SIXTEEN_THEME.name
    elif app.theme == SIXTEEN_THEME.name:
        app.theme = "textual-dark"
    filters = app._filters  # Textual offers no other way to change them
    filters[:] = [f for f in filters if not isinstance(f, (Monochrome, NoColor, AsciiFilter))]
    app.no_color = caps.colours == "none"  # the :nocolor pseudo-class of no_color.tcss
    if caps.colours == "none":
        filters.append(NoColor())
    if caps.ascii:
        filters.append(AsciiFilter())
    if caps.basic:
        app.driver_class = BasicDriver
    elif app.driver_class is LinuxDriver:
        app.driver_class = PromptDriver
    if caps.over_ssh and not getattr(app, "_thin_output", None):
        app._thin_output = thin_output.install(app)  # type: ignore[attr-defined]
    return caps


def steady_cursor(event: events.DescendantFocus) -> None:
    """A text field that gets focus stops blinking where blinking is off (over SSH)."""
    if _caps is None or _caps.cursor_blink:
        return
    widget: Any = event.widget
    if hasattr(widget, "cursor_blink"):
        widget.cursor_blink = False
