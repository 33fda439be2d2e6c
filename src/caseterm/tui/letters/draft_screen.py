"""A letter on a case: pick a template, see it merged with the case's details, edit this
letter's wording, `ctrl+s` saves it as a draft (or, for a draft or rejected letter opened again,
saves the new wording). What is typed is kept by the shared draft keeper, so nothing is lost.
Values a template asks to be typed (a recall or hearing date) go in "Typed values" as
`name=value; name=value`, and `ctrl+r` merges the template again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, TextArea

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import LETTER_LANGUAGES, RECIPIENT_KINDS
from caseterm.core.services import letter_proposals, letter_views, letters
from caseterm.core.services.letter_records import LetterInfo
from caseterm.core.services.letter_views import LetterChoice
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding
from caseterm.tui.letters.pdf_warm import warm_pdf
from caseterm.tui.safe import content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea, scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar

DRAFT_KIND = "letter"


def parse_values(text: str) -> dict[str, str]:
    """`name=value; name=value` as typed (a part without `=` is refused, naming it)."""
    values: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValidationError("typed values", f"write name=value, not {part.strip()!r}")
        values[name.strip()] = value.strip()
    return values


def draft_summary(data: dict[str, Any]) -> str | None:
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        return None
    first = next((line for line in body.splitlines() if line.strip()), "")
    return f"{data.get('template') or 'letter'}: {first[:60]}"


class LetterDraftScreen(Screen[int | None]):
    """A new letter on `case_id`, or new wording for the letter `document_id`; dismisses with
    the letter's id once saved, None if left."""

    CSS_PATH = Path(__file__).with_name("letters.tcss")
    HELP_TITLE = "Letter"
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save draft", "letter_save"),
        binding("ctrl+r", "merge", "Merge again", "letter_merge"),
        binding("ctrl+t", "focus_template", "Template", "letter_focus_template"),
        binding("escape", "back", "Back", "letter_back"),
    ]

    def __init__(
        self,
        case_id: int,
        reference: str,
        document_id: int | None = None,
        *,
        for_task: int | None = None,
        template: str = "",
    ) -> None:
        super().__init__()
        self.case_id, self.reference, self.document_id = case_id, reference, document_id
        # A letter a "Send letter" task proposes: its template preselected, the task remembered.
        self.for_task, self.proposed = for_task, template
        self.choices: list[LetterChoice] = []
        self.letter: LetterInfo | None = None
        self._restoring = False
        self.keeper = DraftKeeper(
            self,
            kind=DRAFT_KIND,
            key=f"doc-{document_id}"
            if document_id
            else f"task-{for_task}"
            if for_task
            else str(case_id),
            current=self._draft_data,
            restore=self._restore,
            describe=draft_summary,
            question="Unsaved letter found",
            note=self._draft_note,
            kept_words="not yet a letter on the case",
        )

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        verb = f"Letter #{self.document_id}" if self.document_id else "New letter"
        if self.for_task:
            verb += f" for task {self.for_task}"
        yield TopBar(f"{verb} · {self.reference}")
        with Vertical(id="lt-form"):
            with Horizontal(classes="lt-row"):
                yield Label("Template", classes="lt-label")
                yield Select[str]([], prompt="Pick a template", compact=True, id="lt-template")
            with Horizontal(classes="lt-row"):
                yield Label("Typed", classes="lt-label")
                yield PlainInput(
                    "",
                    placeholder="values the template asks for: name=value; name=value",
                    id="lt-values",
                    max_length=2000,
                )
            yield PlainTextArea("", id="lt-body", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="lt-draft", markup=False)
        yield Static("", id="lt-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        warm_pdf(self)
        self.query_one("#lt-body", TextArea).border_title = "The letter (edit its wording here)"
        actor, case_id = self.ctx.actor, self.case_id
        run_db(
            self,
            lambda s: letter_views.templates_for_case(s, actor, case_id=case_id),
            done=self._templates,
            what="reading the templates",
            write=True,
        )
        if self.document_id is not None:
            document_id = self.document_id
            run_db(
                self,
                lambda s: letters.show_letter(s, actor, document_id=document_id),
                done=self._letter_loaded,
                what="reading the letter",
                write=True,
            )
        else:
            self.keeper.start()

    def on_unmount(self) -> None:
        self.keeper.shut()

    def _templates(self, choices: list[LetterChoice]) -> None:
        self.choices = choices
        select = cast(Select[str], self.query_one("#lt-template", Select))
        select.set_options(
            [
                (
                    f"{c.code} · {c.name} · to {RECIPIENT_KINDS.get(c.recipient_kind, '?')}"
                    + (f" · {LETTER_LANGUAGES[c.language]}" if c.language != "en" else ""),
                    c.code,
                )
                for c in choices
            ]
        )
        if self.document_id is None:
            select.focus()
            if self.proposed and self.proposed in self._codes() and not self._restoring:
                select.value = self.proposed  # merges it (Select.Changed)
        if not choices:
            self._status("No letter templates are in use for this type of case.", error=True)
        elif self.document_id is None and not self.proposed:
            self._status(f"{len(choices)} templates for this case: enter opens the list")

    def _letter_loaded(self, letter: LetterInfo) -> None:
        self.letter = letter
        self.query_one("#lt-template", Select).disabled = True
        self.query_one("#lt-values", Input).disabled = True
        body = self.query_one("#lt-body", TextArea)
        body.load_text(letter.body)
        body.focus()
        self._status(f"{letter.title} ({letter.status}); ctrl+s saves the new wording")
        self.keeper.start()

    # -- the form and its draft --------------------------------------------------------------

    def _template(self) -> str:
        value = self.query_one("#lt-template", Select).value
        return value if isinstance(value, str) else ""

    def _draft_data(self) -> dict[str, Any] | None:
        body = self.query_one("#lt-body", TextArea).text
        if not body.strip():
            return None
        return {
            "template": self._template(),
            "values": self.query_one("#lt-values", Input).value,
            "body": body,
        }

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        self._restoring = True
        code = data.get("template")
        if self.document_id is None and isinstance(code, str) and code in self._codes():
            self.query_one("#lt-template", Select).value = code
        values = data.get("values")
        if isinstance(values, str):
            self.query_one("#lt-values", Input).value = values
        body = data.get("body")
        if isinstance(body, str):
            self.query_one("#lt-body", TextArea).load_text(body)
        self.call_after_refresh(self._restored)

    def _restored(self) -> None:
        self._restoring = False

    def _codes(self) -> set[str]:
        return {c.code for c in self.choices}

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#lt-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#lt-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    @on(Select.Changed, "#lt-template")
    def _template_picked(self) -> None:
        if not self._restoring and self._template():
            self.action_merge()

    @on(Input.Changed, "#lt-values")
    def _values_changed(self) -> None:
        self.keeper.changed()

    @on(TextArea.Changed, "#lt-body")
    def _body_changed(self, event: TextArea.Changed) -> None:
        if not scrub_text_area(event.text_area):
            self.keeper.changed()

    # -- actions ---------------------------------------------------------------------------------

    def action_focus_template(self) -> None:
        self.query_one("#lt-template", Select).focus()

    def action_merge(self) -> None:
        """The template merged with the case again (replacing the text on screen)."""
        code = self._template()
        if self.document_id is not None or not code:
            return
        try:
            extra = parse_values(self.query_one("#lt-values", Input).value)
        except ValidationError as err:
            self._status(str(err), error=True)
            return
        actor, case_id = self.ctx.actor, self.case_id
        self._status("Merging…")
        run_db(
            self,
            lambda s: letters.preview_letter(
                s, actor, case_id=case_id, template_code=code, extra=extra
            ),
            done=lambda text: self._merged(code, text),
            failed=lambda error: self._status(
                f"{code} cannot be merged: {describe_error(error)}", error=True
            ),
            what="merging the letter",
            write=True,
            group="letter-merge",
            exclusive=True,
        )

    def _merged(self, code: str, text: str) -> None:
        body = self.query_one("#lt-body", TextArea)
        body.load_text(text)
        self._status(f"Merged {code}: edit the wording if you need to; ctrl+s saves the draft")
        self.keeper.changed()

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        body = self.query_one("#lt-body", TextArea).text
        actor, case_id, code = self.ctx.actor, self.case_id, self._template()
        if self.document_id is None and not code:
            self._status("Pick a template first (ctrl+t)", error=True)
            return
        try:
            extra = parse_values(self.query_one("#lt-values", Input).value)
        except ValidationError as err:
            self._status(str(err), error=True)
            return
        document_id, letter, for_task = self.document_id, self.letter, self.for_task

        def work(session: Session) -> int:
            if document_id is not None:
                return letters.revise_letter(
                    session,
                    actor,
                    document_id=document_id,
                    body=body,
                    expected_version=letter.version if letter else None,
                ).id
            if for_task is not None:
                return letter_proposals.draft_for_task(
                    session,
                    actor,
                    task_id=for_task,
                    case_id=case_id,
                    template_code=code,
                    extra=extra,
                    body=body,
                ).id
            return letters.draft_letter(
                session, actor, case_id=case_id, template_code=code, extra=extra, body=body
            ).id

        self._status("Saving…")
        self.keeper.save(work, done=self._saved, failed=self._save_failed, what="saving the letter")

    def _saved(self, document_id: int) -> None:
        self.notify(f"Letter #{document_id} saved as a draft", timeout=3, markup=False)
        self.dismiss(document_id)

    def _save_failed(self, error: Exception) -> None:
        self._status(f"Not saved: {describe_error(error)} (nothing you typed is lost)", error=True)

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this letter?", "It has not been saved to the case.", lambda: self.dismiss(None)
        )


KEYMAP_CLASSES: tuple[type, ...] = (LetterDraftScreen, RestoreDraftModal, LeaveFormModal)
