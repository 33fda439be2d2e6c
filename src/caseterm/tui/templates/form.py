"""Adding or editing a letter template (`a` and `e` in the template library): its code (a new
one only), title, case types, recipient, language (a Welsh letter names the English one it
translates) and its text with merge fields (`ctrl+f` lists them; `ctrl+r` previews the text as
it stands merged with a case, before it is saved). `ctrl+s` saves through the
same service as `caseterm template add|edit`: the text is checked first, and a syntax error or
an unknown merge field is refused with its line and the field, nothing saved; an edit is kept
as the next version (refused if someone saved another meanwhile). What is typed is kept by the
shared draft keeper, so nothing is lost."""

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

from caseterm.core.errors import CasetermError
from caseterm.core.rules.catalogue import LETTER_LANGUAGES, RECIPIENT_KINDS
from caseterm.core.services import letter_templates
from caseterm.core.services.letter_templates import TemplateInfo
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.dialogs import LeaveFormModal, RestoreDraftModal
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding, tab_moves_on
from caseterm.tui.safe import content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput, PlainTextArea, scrub_text_area
from caseterm.tui.widgets.top_bar import TopBar

DRAFT_KIND = "letter_template"
LINES = ("code", "name", "case_types", "variant_of")  # the one-line fields, by their ids


def draft_summary(data: dict[str, Any]) -> str | None:
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        return None
    return f"template {data.get('code') or '(new)'}: {str(data.get('name') or '')[:60]}"


class TemplateFormScreen(Screen[TemplateInfo | None]):
    """A new template (`code` None) or the template `code`; dismisses with it once saved."""

    CSS_PATH = Path(__file__).with_name("templates.tcss")
    HELP_TITLE = "Letter template"
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save template", "template_save"),
        binding("ctrl+f", "fields", "Merge fields", "template_fields"),
        binding("ctrl+r", "preview", "Preview with a case", "template_form_preview"),
        binding("escape", "back", "Back", "template_back"),
        *tab_moves_on(),
    ]

    def __init__(self, code: str | None) -> None:
        super().__init__()
        self.code = code
        self.loaded: TemplateInfo | None = None
        self.keeper = DraftKeeper(
            self,
            kind=DRAFT_KIND,
            key=code or "new",
            current=self._draft_data,
            restore=self._restore,
            describe=draft_summary,
            question="Unsaved template found",
            note=self._draft_note,
            kept_words="not yet saved in the library",
        )

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        yield TopBar(f"Edit template {self.code}" if self.code else "New letter template")
        with Vertical(id="tf-form"):
            for field, label, hint in (
                ("code", "Code", "a short unique code, e.g. APPT2 (letters, digits, - and _)"),
                ("name", "Title", "the letter's title"),
                ("case_types", "Case types", "comma-separated case type codes; empty: any"),
                ("variant_of", "Translates", "for a Welsh letter: the English letter's code"),
            ):
                with Horizontal(classes="tf-row", id=f"tf-row-{field}"):
                    yield Label(label, classes="tf-label")
                    yield PlainInput("", placeholder=hint, id=f"tf-{field}", max_length=200)
            with Horizontal(classes="tf-row"):
                yield Label("To", classes="tf-label")
                yield Select[str](
                    [(label, code) for code, label in RECIPIENT_KINDS.items()],
                    value="subject",
                    allow_blank=False,
                    compact=True,
                    id="tf-recipient",
                )
                yield Label("Language", classes="tf-label tf-gap")
                yield Select[str](
                    [(label, code) for code, label in LETTER_LANGUAGES.items()],
                    value="en",
                    allow_blank=False,
                    compact=True,
                    id="tf-language",
                )
            yield PlainTextArea("", id="tf-body", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="tf-draft", markup=False)
        yield Static("", id="tf-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        body = self.query_one("#tf-body", TextArea)
        body.border_title = (
            "The text ({{ person.full_name }}-style merge fields; ctrl+f lists them)"
        )
        if self.code is None:
            focus_now(self.query_one("#tf-code", Input))
            self.keeper.start()
            self._status("ctrl+s checks and saves the template (version 1)")
            return
        for field in ("code", "variant_of"):
            self.query_one(f"#tf-row-{field}").display = False
        actor, code = self.ctx.actor, self.code
        run_db(
            self,
            lambda s: letter_templates.show_template(s, actor, code=code),
            done=self._loaded,
            what="reading the template",
            group="template-form",
            exclusive=True,
        )

    def on_unmount(self) -> None:
        self.keeper.shut()

    def _loaded(self, t: TemplateInfo) -> None:
        self.loaded = t
        self._fill(
            {
                "name": t.name,
                "case_types": ",".join(t.case_types),
                "recipient_kind": t.recipient_kind,
                "language": t.language,
                "body": t.body,
            }
        )
        self.query_one("#tf-body", TextArea).focus()
        self._status(f"Version {t.version}: ctrl+s checks and saves it as version {t.version + 1}")
        self.keeper.start()

    def _fill(self, data: dict[str, Any]) -> None:
        for field in LINES:
            value = data.get(field)
            if isinstance(value, str):
                self.query_one(f"#tf-{field}", Input).value = value
        for field, widget, known in (
            ("recipient_kind", "#tf-recipient", RECIPIENT_KINDS),
            ("language", "#tf-language", LETTER_LANGUAGES),
        ):
            value = data.get(field)
            if isinstance(value, str) and value in known:
                self.query_one(widget, Select).value = value
        body = data.get("body")
        if isinstance(body, str):
            self.query_one("#tf-body", TextArea).load_text(body)

    # -- the form and its draft --------------------------------------------------------------

    def _values(self) -> dict[str, str]:
        data = {field: self.query_one(f"#tf-{field}", Input).value for field in LINES}
        if self.code is not None:
            data["code"] = self.code  # (its field is hidden: a template's code never changes)
        for field, widget in (("recipient_kind", "#tf-recipient"), ("language", "#tf-language")):
            value = self.query_one(widget, Select).value
            data[field] = value if isinstance(value, str) else ""
        data["body"] = self.query_one("#tf-body", TextArea).text
        return data

    def _draft_data(self) -> dict[str, Any] | None:
        data = self._values()
        if self.loaded is not None:
            unchanged = (
                data["name"] == self.loaded.name
                and data["body"] == self.loaded.body
                and data["case_types"] == ",".join(self.loaded.case_types)
                and data["recipient_kind"] == self.loaded.recipient_kind
                and data["language"] == self.loaded.language
            )
            if unchanged:
                return None
        elif not data["body"].strip() and not data["name"].strip():
            return None
        return data

    def _restore(self, data: dict[str, Any], _saved_at: datetime) -> None:
        if self.code is not None:
            data = {k: v for k, v in data.items() if k not in ("code", "variant_of")}
        self._fill(data)

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one("#tf-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#tf-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.keeper.changed()

    @on(TextArea.Changed, "#tf-body")
    def _body_changed(self, event: TextArea.Changed) -> None:
        if not scrub_text_area(event.text_area):
            self.keeper.changed()

    # -- actions ---------------------------------------------------------------------------------

    def action_fields(self) -> None:
        from caseterm.tui.templates.text_screen import TextScreen

        actor = self.ctx.actor

        def shown(rows: list[Any]) -> None:
            text = "\n".join(f"{{{{ {f.name} }}}}  {f.description}" for f in rows)
            self.app.push_screen(TextScreen("Merge fields a template may use", text))

        run_db(
            self,
            lambda s: letter_templates.merge_fields(s, actor),
            done=shown,
            what="reading the merge fields",
            group="template-fields",
            exclusive=True,
        )

    def action_preview(self) -> None:
        """The text as it stands on screen (not saved) merged with a case whose reference is
        typed (then any values to type, as in the library's preview)."""
        from caseterm.tui.screens.prompt import PromptScreen

        self.app.push_screen(
            PromptScreen(
                "Preview this text merged with which case?",
                "OM/2026/1 (then ; name=value for each value to type)",
            ),
            self._preview_case,
        )

    def _preview_case(self, answer: str | None) -> None:
        from caseterm.core.services import cases
        from caseterm.core.services.search import parse_reference
        from caseterm.core.services.template_preview import preview_template_text
        from caseterm.tui.templates.text_screen import TextScreen, split_answer

        if not answer:
            return
        data, actor = self._values(), self.ctx.actor
        try:
            typed, extra = split_answer(answer)
        except CasetermError as err:
            self._status(f"Cannot preview: {err}", error=True)
            return

        def work(session: Session) -> tuple[str, str]:
            case = cases.case_by_reference(session, parse_reference(typed) or typed)
            text = preview_template_text(
                session,
                actor,
                case_id=case.id or 0,
                body=data["body"],
                language=data["language"],
                extra=extra,
            )
            return case.reference, text

        def shown(got: tuple[str, str]) -> None:
            reference, text = got
            self._status(f"The text merged with {reference} (not saved)")
            self.app.push_screen(TextScreen(f"Preview (not saved) · {reference}", text))

        self._status(f"Merging with {typed}…")
        run_db(
            self,
            work,
            done=shown,
            failed=lambda err: self._status(f"Cannot preview: {describe_error(err)}", error=True),
            what="merging the template",
            write=True,  # a refused restricted case is logged
            group="template-form-preview",
            exclusive=True,
        )

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        data, actor, loaded = self._values(), self.ctx.actor, self.loaded
        if self.code is not None and loaded is None:
            return  # still reading it

        def work(session: Session) -> TemplateInfo:
            if loaded is None:
                return letter_templates.add_template(
                    session,
                    actor,
                    code=data["code"],
                    name=data["name"],
                    body=data["body"],
                    case_types=data["case_types"],
                    recipient_kind=data["recipient_kind"],
                    language=data["language"],
                    variant_of=data["variant_of"],
                )
            return letter_templates.edit_template(
                session,
                actor,
                code=loaded.code,
                name=data["name"],
                body=data["body"],
                case_types=data["case_types"],
                recipient_kind=data["recipient_kind"],
                language=data["language"],
                expected_version=loaded.version,
            )

        self._status("Checking and saving…")
        self.keeper.save(
            work, done=self._saved, failed=self._save_failed, what="saving the template"
        )

    def _saved(self, t: TemplateInfo) -> None:
        self.notify(f"Template {t.code} saved as version {t.version}", timeout=3, markup=False)
        self.dismiss(t)

    def _save_failed(self, error: Exception) -> None:
        self._status(f"Not saved: {describe_error(error)} (nothing you typed is lost)", error=True)

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this template?", "It has not been saved.", lambda: self.dismiss(None)
        )


KEYMAP_CLASSES: tuple[type, ...] = (TemplateFormScreen, RestoreDraftModal, LeaveFormModal)
