"""Single-key pickers for forms: every choice shown with its key; pressing the key (while the
picker has focus) picks it. The keys are bindings, so help and keymaps see them."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from caseterm.tui.keymap import binding

TITLE_WIDTH = 9


def key_bindings(keys: dict[str, str], labels: dict[str, str], prefix: str) -> list[BindingType]:
    """One hidden binding per choice: `pick('<code>')`, id `<prefix>_<code or none>`.

    Priority bindings, so that keys typed ahead keep their order: the app runs a priority
    binding as it takes the key from its own queue, before it hands the next key to whatever
    is focused. A pick moves the focus on at once, so "h2Went" picks, picks, and the rest goes
    to the notes. (Ordinary bindings run only after the key has gone through the focused
    widget's queue, by which time the app may already have handed later keys to the picker,
    or to the next field, out of order.) They apply only while the picker itself has focus."""
    return [
        binding(
            key,
            f"pick({code!r})",
            labels[code],
            f"{prefix}_{code or 'none'}",
            show=False,
            priority=True,
        )
        for key, code in keys.items()
    ]


class KeyPicker(Widget, can_focus=True):
    """Shows `TITLE  k Label  k Label …` wrapped to the width; the picked choice is reversed."""

    DEFAULT_CSS = """
    KeyPicker { height: auto; width: 1fr; }
    KeyPicker:focus { background: $boost; }
    """

    KEYS: ClassVar[dict[str, str]] = {}
    LABELS: ClassVar[dict[str, str]] = {}
    TITLE: ClassVar[str] = ""

    value: reactive[str | None] = reactive(None)

    class Picked(Message):
        def __init__(self, picker: KeyPicker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> KeyPicker:
            return self.picker

    def __init__(
        self,
        value: str | None = None,
        *,
        then_focus: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`then_focus`: a selector (on this screen) of the field to move to after a pick."""
        super().__init__(id=id, classes=classes)
        self.set_reactive(KeyPicker.value, value)
        self._then_focus = then_focus

    def action_pick(self, code: str) -> None:
        self.value = code
        self.post_message(self.Picked(self, code))
        if self._then_focus:
            # At once, not through a message: the app hands the next key typed to whatever has
            # focus when it takes that key from its queue, which is straight after this.
            self.screen.set_focus(self.screen.query_one(self._then_focus))

    def _lines(self, width: int) -> list[Content]:
        # Focus shows as reverse video as well as colour, so it survives NO_COLOR and 16 colours.
        title_style = "bold reverse" if self.has_focus else "bold"
        title = Content.styled(self.TITLE.ljust(TITLE_WIDTH - 1), title_style) + " "
        indent = Content(" " * TITLE_WIDTH)
        lines: list[Content] = []
        line = title
        for key, code in self.KEYS.items():
            label = self.LABELS.get(code, code)
            picked = code == self.value
            part = Content.assemble(
                (key, "bold reverse" if picked else "bold underline"),
                (f" {label}", "reverse" if picked else ""),
            )
            gap = 2 if line.cell_length > TITLE_WIDTH else 0
            if line.cell_length > TITLE_WIDTH and line.cell_length + gap + part.cell_length > width:
                lines.append(line)
                line, gap = indent, 0
            line = line + Content(" " * gap) + part
        lines.append(line)
        return lines

    def render(self) -> Content:
        return Content("\n").join(self._lines(max(self.content_size.width, 20)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(max(width, 20)))

    def watch_value(self) -> None:
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
