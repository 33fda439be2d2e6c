"""A few one-line questions asked in turn (the clock rules and sampling rates screens): each a
`PromptScreen`, the current answer offered where there is one; escape at any of them stops
and nothing is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import App

from caseterm.tui.screens.prompt import PromptScreen


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # short enough for the dialog at 80 columns (about 66 characters)
    placeholder: str
    value: str = ""  # offered as the answer (enter keeps it, ctrl+u clears it)
    optional: bool = False  # may be answered with nothing


def ask_in_turn(
    app: App[object],
    questions: list[Question],
    then: Callable[[dict[str, str]], None],
    stopped: Callable[[], None],
) -> None:
    """Ask each question in turn; `then` gets the answers by key, `stopped` is called when one
    is escaped (or a required one left empty)."""
    answers: dict[str, str] = {}

    def push(q: Question) -> None:
        app.push_screen(PromptScreen(q.text, q.placeholder, q.value, optional=q.optional), answered)

    def answered(answer: str | None) -> None:
        if answer is None:
            stopped()
            return
        answers[questions[len(answers)].key] = answer
        if len(answers) < len(questions):
            push(questions[len(answers)])
        else:
            then(answers)

    push(questions[0])
