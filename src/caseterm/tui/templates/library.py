"""`W` in the workstation ("Letter templates" in the command palette), for managers and system
administrators (`template.admin`): the stock letter library, as `caseterm template list` shows
it (code, title, case types, recipient, language, version, whether in use). `enter` shows a
template's details, the merge fields it uses and its text; `p` previews it merged with a case
whose reference you type (and the values it asks to be typed: `OM/2026/1; court=Preston`); `e`
edits it and `a` adds one (tui/templates/form.py: checked by the service before it is saved,
each change audited and kept as a new version)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.errors import CasetermError
from caseterm.core.rules.catalogue import LETTER_LANGUAGES, RECIPIENT_KINDS
from caseterm.core.services import cases, letter_templates, letters
from caseterm.core.services.letter_templates import TemplateInfo
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain, plain_lines, template, uk_datetime
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.templates.text_screen import TextScreen, split_answer
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

CSS = Path(__file__).with_name("templates.tcss")
Say = Callable[[str, bool], None]

COLUMNS: list[Column[TemplateInfo]] = [
    Column("Code", lambda t: plain(t.code), width=20),
    Column("Title", lambda t: plain(t.name + ("" if t.active else " (not in use)")), grow=3),
    Column("Case types", lambda t: plain(",".join(t.case_types) or "any"), width=12),
    Column("To", lambda t: plain(t.recipient_kind), width=10, hide_below=90),
    Column("Lang", lambda t: plain(t.language), width=6),
    Column("Ver", lambda t: str(t.version), width=4),
]


def template_fields(t: TemplateInfo, used: list[str]) -> list[tuple[str, str]]:
    fields = [
        ("Title", t.name),
        ("Case types", ", ".join(t.case_types) or "any type of case"),
        ("To", RECIPIENT_KINDS.get(t.recipient_kind, t.recipient_kind)),
        ("Language", LETTER_LANGUAGES.get(t.language, t.language))
        if not t.variant_of
        else ("Language", f"{LETTER_LANGUAGES.get(t.language, t.language)} (of {t.variant_of})"),
        ("Version", str(t.version)),
        ("In use", "yes" if t.active else "no: not offered for new letters"),
    ]
    if t.updated_at:
        by = f" by {t.updated_by}" if t.updated_by != "someone" else ""  # no one: shipped
        fields.append(("Saved", f"{uk_datetime(t.updated_at)}{by}"))
    fields.append(("Merge fields", ", ".join(used) or "none"))
    return fields


def ask_preview(screen: Screen[Any], code: str, say: Say) -> None:
    """Ask for a case reference (and any typed values), then show the template merged with that
    case (a missing field, or a case the template is not for, is said on the status line)."""
    actor = cast(HasContext, screen.app).ctx.actor

    def work(session: Session, typed: str, extra: dict[str, str]) -> tuple[str, str]:
        from caseterm.core.services.search import parse_reference

        case = cases.case_by_reference(session, parse_reference(typed) or typed)
        text = letters.preview_letter(
            session, actor, case_id=case.id or 0, template_code=code, extra=extra
        )
        return case.reference, text

    def answered(answer: str | None) -> None:
        if not answer:
            return
        try:
            typed, extra = split_answer(answer)
        except CasetermError as err:
            say(f"{code} cannot be previewed: {err}", True)
            return
        say(f"Merging {code} with {typed}…", False)
        run_db(
            screen,
            lambda s: work(s, typed, extra),
            done=lambda got: shown(*got),
            failed=lambda err: say(f"{code} cannot be previewed: {describe_error(err)}", True),
            what="merging the template",
            write=True,  # a refused restricted case is logged
            group="template-preview",
            exclusive=True,
        )

    def shown(reference: str, text: str) -> None:
        say(f"{code} merged with {reference}", False)
        screen.app.push_screen(TextScreen(f"Preview: {code} · {reference}", text))

    screen.app.push_screen(
        PromptScreen(
            f"Preview {code} merged with which case?",
            "OM/2026/1 (then ; name=value for each value to type)",
        ),
        answered,
    )


class TemplateLibraryScreen(Screen[None]):
    CSS_PATH = CSS
    HELP_TITLE = "Letter templates"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("p", "preview", "Preview with a case", "templates_preview"),
        binding("e", "edit", "Edit template", "templates_edit"),
        binding("a", "add", "Add template", "templates_add"),
        binding("r", "refresh", "Refresh", "templates_refresh"),
    ]

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        yield TopBar("Letter templates")
        yield Static("Reading…", id="tl-note", markup=False)
        yield PagedTable(
            COLUMNS,
            row_key=lambda t: t.code,
            markable=False,
            empty_text="No letter templates: a adds one.",
            id="tl-table",
        )
        yield Static("", id="tl-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#tl-table", PagedTable))
        self.action_refresh()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        actor = self.ctx.actor
        run_db(
            self,
            lambda s: letter_templates.list_templates(s, actor, include_inactive=True),
            done=self._show,
            what="reading the templates",
            group="templates",
            exclusive=True,
        )

    def _show(self, rows: list[TemplateInfo]) -> None:
        self.query_one("#tl-table", PagedTable).show_rows(rows, again=True)
        self.query_one("#tl-note", Static).update(
            content(f"{len(rows)} template(s): enter shows one, p previews, e edits, a adds")
        )

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#tl-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _row(self) -> TemplateInfo | None:
        row = cast("TemplateInfo | None", self.query_one("#tl-table", PagedTable).current_row)
        if row is None:
            self.say("No template under the cursor", True)
        return row

    @on(PagedTable.Selected, "#tl-table")
    def _selected(self, event: PagedTable.Selected) -> None:
        row = cast(TemplateInfo, event.row)
        self.app.push_screen(TemplateViewScreen(row.code), lambda _: self.action_refresh())

    def action_preview(self) -> None:
        row = self._row()
        if row is not None:
            ask_preview(self, row.code, self.say)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "add"):
            return self.ctx.actor.has("template.admin")
        return True

    def action_edit(self) -> None:
        row = self._row()
        if row is not None:
            self._open_form(row.code)

    def action_add(self) -> None:
        self._open_form(None)

    def _open_form(self, code: str | None) -> None:
        from caseterm.tui.templates.form import TemplateFormScreen

        self.app.push_screen(TemplateFormScreen(code), self._saved)

    def _saved(self, saved: TemplateInfo | None) -> None:
        if saved is not None:
            self.say(f"Saved {saved.code} as version {saved.version}")
        self.action_refresh()


class TemplateViewScreen(Screen[None]):
    """One template: its details, the merge fields it uses and its text."""

    CSS_PATH = CSS
    HELP_TITLE = "Letter template"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("p", "preview", "Preview with a case", "template_preview"),
        binding("e", "edit", "Edit template", "template_edit"),
        binding("escape,q", "close", "Close", "template_close"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        yield TopBar(f"Letter template {self.code}")
        yield Vertical(id="tv-fields")
        with VerticalScroll(id="tv-body"):
            yield Static("Reading…", id="tv-text", markup=False)
        yield Static("", id="tv-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#tv-body", VerticalScroll))
        self._load()

    def _load(self) -> None:
        actor, code = self.ctx.actor, self.code

        def work(session: Session) -> tuple[TemplateInfo, list[str]]:
            from caseterm.core.rules.letter_fields import fields_used

            found = letter_templates.show_template(session, actor, code=code)
            return found, fields_used(found.body)

        run_db(
            self,
            work,
            done=lambda got: self._show(*got),
            what="reading the template",
            group="template",
            exclusive=True,
        )

    def _show(self, t: TemplateInfo, used: list[str]) -> None:
        self.query_one(TopBar).set_title(f"Letter template {t.code} · version {t.version}")
        fields = template_fields(t, used)
        width = max(len(name) for name, _ in fields)
        box = self.query_one("#tv-fields", Vertical)
        box.remove_children()
        box.mount_all(
            Static(template("[dim]$n[/dim] $v", n=f"{name:<{width}}", v=value))
            for name, value in fields
        )
        self.query_one("#tv-text", Static).update(plain_lines(t.body))

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#tv-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return self.ctx.actor.has("template.admin")
        return True

    def action_preview(self) -> None:
        ask_preview(self, self.code, self.say)

    def action_edit(self) -> None:
        from caseterm.tui.templates.form import TemplateFormScreen

        self.app.push_screen(TemplateFormScreen(self.code), lambda _saved: self._load())

    def action_close(self) -> None:
        self.dismiss(None)


KEYMAP_CLASSES: tuple[type, ...] = (TemplateLibraryScreen, TemplateViewScreen, TextScreen)
