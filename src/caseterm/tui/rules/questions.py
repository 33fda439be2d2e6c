"""A few one-line questions asked in turn in one small dialog (the clock rules and sampling rates
screens). `enter` answers and puts the next question in the same field, handled by the field
itself in the order the keys were typed: keys typed straight after it land in the next answer,
never in the one just given nor on the screen underneath (a dialog per question would let them
through while the next one opened). The answer a question offers is in the field with the
cursor after it: `enter` keeps it, `ctrl+u` clears it. `escape` at any question stops, and
nothing is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.plain_input import PlainInput


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # short enough for the dialog at 80 columns (about 66 characters)
    placeholder: str
    value: str = ""  # offered as the answer (enter keeps it, ctrl+u clears it)
    optional: bool = False  # may be answered with nothing


class AnswerInput(PlainInput):
    """The answer field: `enter` is taken here, in its place among the keys typed (a binding would
    run it when the key arrives, before the characters typed ahead of it are in the field)."""

    def __init__(self, answered: Callable[[], None], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._answered = answered

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._answered()
            return
        await super()._on_key(event)


class QuestionsScreen(ModalScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    QuestionsScreen { align: center middle; }
    QuestionsScreen > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    QuestionsScreen #questions-help { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "questions_cancel"),
    ]

    def __init__(self, questions: list[Question]) -> None:
        super().__init__()
        self.questions = questions
        self.answers: dict[str, str] = {}

    @property
    def _current(self) -> Question:
        return self.questions[len(self.answers)]

    def compose(self) -> ComposeResult:
        q = self.questions[0]
        with Vertical():
            yield Label(content(q.text), id="questions-text")
            yield AnswerInput(
                self.answer,
                q.value,
                placeholder=q.placeholder,
                id="questions-answer",
                max_length=500,
                select_on_focus=False,
            )
            yield Static(self._help(), id="questions-help", markup=False)

    def _help(self) -> str:
        n = len(self.questions)
        return (
            "" if n == 1 else f"{len(self.answers) + 1} of {n} · "
        ) + "enter answers · esc cancels"

    def on_mount(self) -> None:
        focus_now(self.query_one("#questions-answer", AnswerInput))

    def answer(self) -> None:
        field = self.query_one("#questions-answer", AnswerInput)
        answer = field.value.strip()
        if not answer and not self._current.optional:
            self.query_one("#questions-help", Static).update(
                content("An answer is needed here (esc cancels).")
            )
            return
        self.answers[self._current.key] = answer
        if len(self.answers) == len(self.questions):
            self.dismiss(self.answers)
            return
        q = self._current
        field.placeholder = q.placeholder
        field.value = q.value
        field.cursor_position = len(q.value)
        self.query_one("#questions-text", Label).update(content(q.text))
        self.query_one("#questions-help", Static).update(content(self._help()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_in_turn(
    app: App[object],
    questions: list[Question],
    then: Callable[[dict[str, str]], None],
    stopped: Callable[[], None],
) -> None:
    """Ask the questions in turn in one dialog; `then` gets the answers by key, `stopped` is
    called when it is escaped."""

    def done(answers: dict[str, str] | None) -> None:
        if answers is None:
            stopped()
        else:
            then(answers)

    app.push_screen(QuestionsScreen(questions), done)
