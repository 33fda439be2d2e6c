"""What the terminal can show: colours, symbols, blinking, column choice and help at each width.

`detect` is a pure function of the environment; `configure` sets an app up for it. Pilot tests
check the app as set up (filters, theme, symbols on screen); the bytes a real terminal receives
are checked end to end in tests/e2e/test_tmux_terminals.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.segment import Segment
from textual.color import Color
from textual.filter import Monochrome, NoColor
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static, TextArea

from caseterm.core.config import load_settings
from caseterm.core.errors import DatabaseError
from caseterm.tui import symbols
from caseterm.tui.screens.help import HelpScreen
from caseterm.tui.symbols import AsciiFilter
from caseterm.tui.terminal_caps import (
    SIXTEEN_THEME,
    BasicDriver,
    TerminalRefused,
    configure,
    detect,
    locale_is_utf8,
)
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.table_columns import Column, choose_columns
from caseterm.tui.widgets.table_columns import fit as _fit
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, use_config

UTF8 = {"LANG": "en_GB.UTF-8"}


@pytest.fixture(autouse=True)
def _unicode_after() -> Iterator[None]:
    """The symbol set is per process: put it back for the next test."""
    yield
    symbols.use_ascii(False)


# ---------------------------------------------------------------- detect


def test_no_color_means_no_colour_whatever_the_terminal() -> None:
    caps = detect({"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "", **UTF8})
    assert caps.colours == "none"


@pytest.mark.parametrize("term", ["dumb", "unknown", ""])
def test_a_terminal_without_a_screen_is_refused_in_one_line(term: str) -> None:
    with pytest.raises(TerminalRefused) as refused:
        detect({"TERM": term, **UTF8})
    message = str(refused.value)
    assert "\n" not in message and "cannot show the full-screen workstation" in message


@pytest.mark.parametrize(
    ("env", "colours"),
    [
        ({"TERM": "vt100", "COLORTERM": "truecolor"}, "none"),  # vt100 has no colour at all
        ({"TERM": "vt220"}, "none"),
        ({"TERM": "linux"}, "16"),
        ({"TERM": "xterm-16color"}, "16"),
        ({"TERM": "xterm"}, "16"),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, "truecolor"),
        ({"TERM": "xterm-256color"}, "256"),
        ({"TERM": "tmux-256color", "COLORTERM": "24bit"}, "truecolor"),
    ],
)
def test_colours_follow_the_terminal(env: dict[str, str], colours: str) -> None:
    assert detect({**env, **UTF8}).colours == colours


def test_vt100_gets_no_xterm_modes_and_ascii() -> None:
    caps = detect({"TERM": "vt100", **UTF8})
    assert caps.basic and caps.ascii


@pytest.mark.parametrize(
    ("env", "utf8"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C"}, False),
        # Python coerces the C locale by setting LC_CTYPE=C.UTF-8 itself: LANG still counts.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),
        ({"LC_ALL": "en_GB.ISO-8859-1", "LANG": "en_GB.UTF-8"}, False),
        ({"LC_ALL": "C.utf8"}, True),
        ({}, True),
    ],
)
def test_locale(env: dict[str, str], utf8: bool) -> None:
    assert locale_is_utf8(env) is utf8
    assert detect({"TERM": "xterm-256color", **env}).ascii is not utf8


def test_linux_console_gets_ascii_symbols_and_the_setting_wins() -> None:
    assert detect({"TERM": "linux", **UTF8}).ascii
    assert not detect({"TERM": "linux", **UTF8}, symbols="unicode").ascii
    assert detect({"TERM": "xterm-256color", **UTF8}, symbols="ascii").ascii


def test_no_blinking_over_ssh_unless_asked() -> None:
    local = detect({"TERM": "xterm-256color", **UTF8})
    ssh = detect({"TERM": "xterm-256color", "SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22", **UTF8})
    assert local.cursor_blink and ssh.over_ssh and not ssh.cursor_blink
    assert detect(
        {"TERM": "xterm", "SSH_TTY": "/dev/pts/1", **UTF8}, cursor_blink=True
    ).cursor_blink
    assert not detect({"TERM": "xterm", **UTF8}, cursor_blink=False).cursor_blink


def test_display_settings_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[display]\nsymbols = "ascii"\ncursor_blink = false\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.display_symbols == "ascii" and settings.cursor_blink is False
    path.write_text('[display]\nsymbols = "emoji"\n', encoding="utf-8")
    with pytest.raises(DatabaseError, match="symbols"):
        load_settings(path)


# ---------------------------------------------------------------- symbols


def test_ascii_filter_keeps_widths_and_names() -> None:
    line = [Segment("╭─ Notes ─╮ Zoë Café-Nuñez … · ⏎ "), Segment("🔎 find", None)]
    out = AsciiFilter().apply(line, Color(0, 0, 0))
    assert [s.text for s in out] == ["+- Notes -+ Zoë Café-Nuñez . - J ", "?  find"]
    assert sum(s.cell_length for s in out) == sum(s.cell_length for s in line)


def test_a_cut_ends_in_an_ellipsis_in_either_set() -> None:
    assert _fit("Failed to attend", 10, "left") == "Failed to…"
    symbols.use_ascii(True)
    assert _fit("Failed to attend", 10, "left") == "Failed ..."
    assert _fit("Niamh", 10, "left") == "Niamh     "
    assert symbols.current().key("⏎") == "Enter"


# ---------------------------------------------------------------- columns by priority


QUEUE = [
    Column[str]("Due", str, width=6),
    Column[str]("P", str, width=1, hide_below=90),
    Column[str]("Case", str, width=15),
    Column[str]("Subject", str, hide_below=80),
    Column[str]("Task", str, grow=2),
    Column[str]("Assigned", str, width=16, hide_below=118),
    Column[str]("Kind", str, width=20, hide_below=150),
]


def _labels(width: int) -> list[str]:
    return [c.label for c, _ in choose_columns(QUEUE, width, 2)]


def test_columns_are_dropped_by_priority_only_when_they_do_not_fit() -> None:
    # The queue beside its list at 80 columns (53 wide) keeps Subject and priority.
    assert _labels(53) == ["Due", "P", "Case", "Subject", "Task"]
    # Optional fixed columns show once Subject and Task have room to be read.
    assert _labels(78) == ["Due", "P", "Case", "Subject", "Task"]
    assert _labels(93) == ["Due", "P", "Case", "Subject", "Task"]
    assert _labels(118) == ["Due", "P", "Case", "Subject", "Task", "Assigned"]
    assert _labels(150) == [c.label for c in QUEUE]
    # Narrower still: the lowest priority goes first; never-dropped columns stay.
    assert _labels(40) == ["Due", "Case", "Task"]


def test_layout_fills_the_width_exactly_and_keeps_fixed_columns_whole() -> None:
    for width in (30, 40, 53, 78, 93, 118, 150):
        chosen = choose_columns(QUEUE, width, 2)
        used = sum(size for _, size in chosen) + len(chosen) - 1 + 2
        assert used == width or width < 40, (width, chosen)
        if width >= 40:
            assert dict((c.label, n) for c, n in chosen)["Case"] == 15


def test_min_width_cuts_a_column_rather_than_dropping_it() -> None:
    log = [
        Column[str]("When", str, width=16),
        Column[str]("Fl", str, width=2),
        Column[str]("Type", str, width=15),
        Column[str]("Outcome", str, width=20, hide_below=72, min_width=12),
        Column[str]("By", str, width=16, hide_below=110, min_width=10),  # min_width: cut, kept
        Column[str]("Notes", str),
    ]
    chosen = {c.label: n for c, n in choose_columns(log, 78, 1)}
    assert list(chosen) == ["When", "Fl", "Type", "Outcome", "By", "Notes"]
    assert chosen["When"] == 16 and chosen["By"] >= 10


# ---------------------------------------------------------------- the app set up


async def test_no_color_app_sends_no_colour(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "xterm-256color", "NO_COLOR": "1", **UTF8})
    assert app.no_color
    filters = app.get_line_filters()
    assert any(isinstance(f, NoColor) for f in filters)
    assert not any(isinstance(f, Monochrome) for f in filters)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # every widget on screen as it paints itself (Widget.render_lines, public API)
        painted = [app.screen, *app.screen.walk_children(with_self=False)]
        segments = [
            seg
            for widget in painted
            if isinstance(widget, Widget) and widget.display and widget.size.area
            for strip in widget.render_lines(Region(0, 0, *widget.size))
            for seg in strip
        ]
    assert segments
    for f in filters:
        segments = f.apply(segments, Color(0, 0, 0))
    coloured = [
        seg
        for seg in segments
        if seg.style is not None
        and any(c is not None and not c.is_default for c in (seg.style.color, seg.style.bgcolor))
    ]
    assert coloured == []


async def test_sixteen_colours_get_the_ansi_theme(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "linux", **UTF8})
    assert app.theme == SIXTEEN_THEME.name
    assert app.console.color_system == ColorSystem.STANDARD.name.lower()
    configure(app, {"TERM": "xterm-256color", **UTF8})
    assert app.theme != SIXTEEN_THEME.name and not app.no_color


async def test_vt100_runs_without_mouse_or_paste_modes(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "vt100", **UTF8})
    assert app.driver_class is BasicDriver


async def test_ascii_symbols_on_screen(
    tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "xterm-256color", "LANG": "C"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        shown = {item.shown for item in bar.items()[0]}
        assert "Enter" in shown and "⏎" not in shown


async def test_text_fields_stop_blinking_over_ssh(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "xterm-256color", "SSH_CONNECTION": "a 1 b 22", **UTF8})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")  # the case
        await settle(pilot)
        await press(pilot, "n")  # the contact form
        await settle(pilot)
        await press(pilot, "ctrl+n")  # to Notes
        await settle(pilot)
        notes = app.screen.query_one("#ce-notes", TextArea)
        assert notes.has_focus
        assert notes.cursor_blink is False


async def test_text_fields_blink_locally(tui_world: TuiWorld) -> None:
    app = tui_world.app()
    configure(app, {"TERM": "xterm-256color", **UTF8})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("enter", "n", "ctrl+n"):
            await press(pilot, key)
            await settle(pilot)
        assert app.screen.query_one("#ce-notes", TextArea).cursor_blink is True


async def test_ascii_from_the_config_file(
    tui_world: TuiWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_config(tmp_path / "c.toml", monkeypatch, '[display]\nsymbols = "ascii"\n')
    app = tui_world.app()
    assert symbols.current() is symbols.ASCII
    assert any(isinstance(f, AsciiFilter) for f in app.get_line_filters())


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_help_shows_every_binding_id_in_full(
    tui_world: TuiWorld, size: tuple[int, int], frozen_clock: datetime
) -> None:
    app = tui_world.app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        await settle(pilot)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        lines = list(app.screen.query(".help-line").results(Static))
        shown = {str(line.render()).split()[-1]: line for line in lines}
        for binding_id in ("command_palette", "log_incoming", "previous_queue", "triage"):
            line = shown[binding_id]
            assert cell_len(str(line.render())) <= line.content_region.width, binding_id
        text = screen_text(app)
        assert "under [keymap]" in text and 'take_task = "T".' in text  # the foot is whole
        assert "↑ k" in text  # the first keys are on screen too


async def test_escape_is_reported_promptly(tui_world: TuiWorld) -> None:
    from textual import constants
    from textual.drivers.linux_driver import LinuxDriver

    from caseterm.tui.terminal_caps import ESCAPE_DELAY, PromptDriver

    app = tui_world.app()
    app.driver_class = LinuxDriver
    configure(app, {"TERM": "xterm-256color", **UTF8})
    assert app.driver_class is PromptDriver
    assert constants.ESCAPE_DELAY == ESCAPE_DELAY
