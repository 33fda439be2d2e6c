"""Closing a case through its checklist: pick a reason from the case type's list (enter), then
tick each step (t or enter: who and when are recorded, and a step with work to do does it) or
waive it with a reason (w); `ctrl+s` closes the case once no mandatory step is left. Escape
leaves the checklist where it is (it is in the database, to carry on later).

Also `ConfirmModal`: a yes/no question (adding a contact to a closed case)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core.models.vocab import StepState
from caseterm.core.services import case_closure
from caseterm.core.services.case_closure import ClosureInfo, ReasonInfo
from caseterm.core.services.identity import Actor
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, uk_datetime

CSS = Path(__file__).with_name("case_edit.tcss")
MARK: dict[str, str] = {StepState.DONE: "[x]", StepState.WAIVED: "[w]", StepState.PENDING: "[ ]"}


def step_line(step: case_closure.StepInfo) -> str:
    need = "" if step.mandatory else " (optional)"
    who = f" — {step.done_by} {uk_datetime(step.done_at)}" if step.done_by and step.done_at else ""
    note = f": {step.note}" if step.note else ""
    return f"{MARK.get(step.state, '[ ]')} {step.label}{need}{who}{note}"


class ClosureScreen(ModalScreen[bool]):
    """Dismisses with True once the case is closed, else False."""

    CSS_PATH = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("t", "tick", "Tick step", "closure_tick"),
        binding("w", "waive", "Waive step", "closure_waive"),
        binding("ctrl+s", "close_case", "Close the case", "closure_close"),
        binding("escape", "back", "Back", "back"),
    ]

    def __init__(self, case_id: int, reference: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.reference = reference
        self.info: ClosureInfo | None = None
        self.reasons: list[ReasonInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(f"Close {self.reference}"), classes="modal-title")
            yield Static(content("Reading the checklist…"), id="cl-intro")
            yield OptionList(id="cl-list")
            yield Static("", id="cl-status", markup=False)
            yield Static("", id="cl-keys", classes="modal-keys", markup=False)

    def on_mount(self) -> None:
        actor, case_id = self._actor(), self.case_id

        def load(s: Session) -> tuple[ClosureInfo | None, list[ReasonInfo]]:
            info = case_closure.closure_checklist(s, actor, case_id=case_id)
            return info, case_closure.reasons_for_case(s, actor, case_id=case_id)

        run_db(self, load, done=self._loaded, write="if_needed", what="reading the checklist")

    def _actor(self) -> Actor:
        return cast(HasContext, self.app).ctx.actor

    def _loaded(self, loaded: tuple[ClosureInfo | None, list[ReasonInfo]]) -> None:
        info, self.reasons = loaded
        self._show(info if info is not None and info.status == "in_progress" else None)

    def _show(self, info: ClosureInfo | None) -> None:
        self.info = info
        options = self.query_one("#cl-list", OptionList)
        options.clear_options()
        intro = self.query_one("#cl-intro", Static)
        keys = self.query_one("#cl-keys", Static)
        if info is None:
            intro.update(content("Why is the case closing? (enter chooses)"))
            for r in self.reasons:
                options.add_option(Option(content(f"{r.label} — {len(r.steps)} steps"), id=r.code))
            options.highlighted = 0 if self.reasons else None
            keys.update(content("enter choose · esc back"))
        else:
            intro.update(content(f"Closing: {info.reason_label}"))
            for step in info.steps:
                options.add_option(Option(content(step_line(step)), id=step.code))
            # The cursor goes to the next step still to do.
            pending = [i for i, st in enumerate(info.steps) if st.state == StepState.PENDING]
            options.highlighted = pending[0] if pending else 0
            left = len(info.outstanding)
            self._status(
                f"{left} mandatory step(s) to tick or waive" if left else "Ready: ctrl+s closes it",
                error=False,
            )
            keys.update(content("t/enter tick · w waive · ctrl+s close the case · esc back"))
        options.focus()

    def _status(self, text: str, *, error: bool = True) -> None:
        status = self.query_one("#cl-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _failed(self, error: Exception) -> None:
        self._status(f"Not done: {describe_error(error)}")

    def _write(self, work: Callable[[Session], ClosureInfo], what: str) -> None:
        run_db(
            self,
            work,
            write=True,
            done=self._show,
            failed=self._failed,
            what=what,
            group="closure",
        )

    def _current(self) -> str | None:
        options = self.query_one("#cl-list", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected, "#cl-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.info is None:
            actor, case_id, reason = self._actor(), self.case_id, event.option.id or ""
            self._write(
                lambda s: case_closure.start_closure(s, actor, case_id=case_id, reason=reason),
                "starting the closure",
            )
        else:
            self.action_tick()

    def action_tick(self) -> None:
        code = self._current()
        if self.info is None or code is None:
            return
        actor, case_id = self._actor(), self.case_id
        self._write(
            lambda s: case_closure.tick_step(s, actor, case_id=case_id, step=code), "ticking"
        )

    def action_waive(self) -> None:
        code = self._current()
        if self.info is None or code is None:
            return
        from caseterm.tui.case_edit.form import FormField, LifecycleForm

        actor, case_id = self._actor(), self.case_id
        form = LifecycleForm(
            "Waive the step",
            [FormField("reason", "Reason", placeholder="why it does not apply")],
            lambda v: (
                lambda s: case_closure.waive_step(
                    s, actor, case_id=case_id, step=code, reason=v["reason"]
                )
            ),
            what="the waiver",
        )
        self.app.push_screen(form, self._waived)

    def _waived(self, info: ClosureInfo | None) -> None:
        if info is not None:
            self._show(info)

    def action_close_case(self) -> None:
        if self.info is None:
            return
        actor, case_id, version = self._actor(), self.case_id, self.info.case_version
        run_db(
            self,
            lambda s: case_closure.close_case(s, actor, case_id=case_id, expected_version=version),
            write=True,
            done=lambda _info: self.dismiss(True),
            failed=self._failed,
            what="closing the case",
            group="closure",
        )

    def action_back(self) -> None:
        self.dismiss(False)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question: y answers yes, n or escape no."""

    CSS_PATH = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("y", "answer(True)", "Yes", "confirm_yes"),
        binding("n,escape", "answer(False)", "No", "confirm_no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text, self.question = title, question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text), classes="modal-title")
            yield Static(content(self.question))
            yield Static(content("y yes · n no"), classes="modal-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
