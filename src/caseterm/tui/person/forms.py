"""The person's forms: edit the record (names, dates, language…, date of death and its source)
and add a warning. Both keep a draft with the shared keeper; the edit carries the version the
record was read at, so a record someone else changed meanwhile is refused, not overwritten."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.rules.catalogue import WARNING_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import people, person_details
from caseterm.core.services.person_view import PersonView
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error
from caseterm.tui.focus import focus_now
from caseterm.tui.forms.draft_keeper import DraftKeeper
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.top_bar import TopBar

CSS = Path(__file__).with_name("person.tcss")

EDIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("date_of_birth", "Born (DD/MM/YYYY)"),
    ("gender", "Gender"),
    ("language", "Language"),
    ("interpreter", "Interpreter (y/n)"),
    ("date_of_death", "Died (DD/MM/YYYY)"),
    ("death_source", "Source of death"),
)
WARNING_FIELDS: tuple[tuple[str, str], ...] = (
    ("kind", "Kind"),
    ("reason", "Reason"),
    ("desk_text", "Desk text"),
    ("review_on", "Review (DD/MM/YYYY)"),
)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _read_day(text: str, field: str) -> date | None:
    return parse_uk_date(text, field=field) if text.strip() else None


class _Form(Screen[bool]):
    """A column of labelled inputs kept as a draft; ctrl+s saves, escape asks to leave."""

    CSS_PATH = CSS
    IS_FORM = True  # keys that leave the screen (d diary, / search…) are not offered
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()
    PREFIX = "pe"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+s", "save", "Save", "person_form_save", priority=True),
        binding("escape", "back", "Back", "person_form_back"),
    ]

    def __init__(self, *, kind: str, key: str, title: str, start: dict[str, str]) -> None:
        super().__init__()
        self.title_text = title
        self.start = start
        self.keeper = DraftKeeper(
            self,
            kind=kind,
            key=key,
            current=self._draft,
            restore=lambda data, _at: self._fill(data),
            describe=lambda data: "; ".join(f"{k}: {v}" for k, v in data.items() if v) or None,
            question=f"Unsaved {title.lower()} found",
            note=self._draft_note,
        )

    def compose(self) -> ComposeResult:
        yield TopBar(self.title_text)
        with Vertical(id=f"{self.PREFIX}-form"):
            for name, text in self.FIELDS:
                with Horizontal(classes="pe-row"):
                    yield Label(text, classes="pe-label")
                    yield PlainInput(
                        self.start.get(name, ""), id=f"{self.PREFIX}-{name}", compact=True
                    )
        yield Static("", id=f"{self.PREFIX}-status", markup=False)
        yield Static("", id=f"{self.PREFIX}-draft", classes="pe-draft", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query(Input).first())
        self.keeper.start()

    def on_unmount(self) -> None:
        self.keeper.shut()

    def values(self) -> dict[str, str]:
        return {n: self.query_one(f"#{self.PREFIX}-{n}", Input).value for n, _ in self.FIELDS}

    def _draft(self) -> dict[str, Any] | None:
        now = self.values()
        return None if now == self.start else dict(now)

    def _fill(self, data: dict[str, Any]) -> None:
        for name, _ in self.FIELDS:
            if name in data:
                self.query_one(f"#{self.PREFIX}-{name}", Input).value = str(data[name] or "")

    @on(Input.Changed)
    def _changed(self) -> None:
        self.keeper.changed()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one(f"#{self.PREFIX}-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _draft_note(self, text: str, error: bool) -> None:
        note = self.query_one(f"#{self.PREFIX}-draft", Static)
        note.update(content(text))
        note.set_class(error, "-error")

    def _failed(self, error: Exception) -> None:
        if isinstance(error, StaleEditError):
            self._status(
                f"Not saved: {describe_error(error)}; escape and open it again", error=True
            )
        else:
            self._status(
                f"Not saved: {describe_error(error)} (nothing you typed is lost)", error=True
            )

    def action_back(self) -> None:
        self.keeper.ask_to_leave(
            "Leave this form?", "It has not been saved.", lambda: self.dismiss(False)
        )

    def action_save(self) -> None:
        raise NotImplementedError


class PersonEditScreen(_Form):
    """Edit every field of the record; refused if someone changed it since it was read."""

    FIELDS = EDIT_FIELDS
    PREFIX = "pe"

    def __init__(self, view: PersonView) -> None:
        self.view = view
        start = {
            "title": view.title,
            "given_name": view.given_name,
            "family_name": view.family_name,
            "date_of_birth": _day(view.date_of_birth),
            "gender": view.gender,
            "language": view.language,
            "interpreter": "y" if view.interpreter else "n",
            "date_of_death": _day(view.date_of_death),
            "death_source": view.date_of_death_source,
        }
        super().__init__(
            kind="person_edit", key=str(view.id), title=f"Edit {view.full_name}", start=start
        )

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        typed, start = self.values(), self.start
        try:
            born = _read_day(typed["date_of_birth"], "date_of_birth")
            died = _read_day(typed["date_of_death"], "date_of_death")
        except ValidationError as exc:
            self._status(str(exc), error=True)
            return
        if typed["interpreter"].strip().lower()[:1] not in ("y", "n"):
            self._status("interpreter: answer y or n", error=True)
            return
        changes: dict[str, object] = {
            k: typed[k]
            for k in ("title", "given_name", "family_name", "gender", "language")
            if typed[k] != start[k]
        }
        if typed["date_of_birth"] != start["date_of_birth"]:
            changes["date_of_birth"] = born
        interpreter = typed["interpreter"].strip().lower().startswith("y")
        if interpreter != self.view.interpreter:
            changes["interpreter"] = interpreter
        death_changed = (typed["date_of_death"], typed["death_source"]) != (
            start["date_of_death"],
            start["death_source"],
        )
        actor, pid, version = cast(HasContext, self.app).ctx.actor, self.view.id, self.view.version

        def work(session: Session) -> int:
            expected = version
            if changes:
                expected = people.update_person(
                    session, actor, person_id=pid, expected_version=expected, **changes
                ).version
            if death_changed:
                expected = person_details.record_death(
                    session,
                    actor,
                    person_id=pid,
                    date_of_death=died,
                    source=typed["death_source"],
                    expected_version=expected,
                ).version
            return expected

        if not changes and not death_changed:
            self._status("Nothing changed")
            return
        self._status("Saving…")
        self.keeper.save(work, done=self._saved, failed=self._failed, what="saving the person")

    def _saved(self, _version: int) -> None:
        self.app.notify("Person saved", timeout=4, markup=False)
        self.dismiss(True)


class WarningFormScreen(_Form):
    """A new warning: kind, reason, desk text and review date."""

    FIELDS = WARNING_FIELDS
    PREFIX = "pw"

    def __init__(self, person_id: int, name: str) -> None:
        self.person_id = person_id
        super().__init__(
            kind="person_warning",
            key=str(person_id),
            title=f"Warning on {name}",
            start={"kind": "", "reason": "", "desk_text": "", "review_on": ""},
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._status("Kinds: " + ", ".join(WARNING_KINDS))

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        typed = self.values()
        try:
            review = _read_day(typed["review_on"], "review_on")
        except ValidationError as exc:
            self._status(str(exc), error=True)
            return
        actor, pid = cast(HasContext, self.app).ctx.actor, self.person_id

        def work(session: Session) -> int:
            return (
                people.add_warning(
                    session,
                    actor,
                    person_id=pid,
                    kind=typed["kind"].strip(),
                    text=typed["reason"],
                    desk_text=typed["desk_text"],
                    review_on=review,
                ).id
                or 0
            )

        self._status("Saving…")
        self.keeper.save(work, done=self._saved, failed=self._failed, what="adding the warning")

    def _saved(self, _warning_id: int) -> None:
        self.app.notify("Warning added", timeout=4, markup=False)
        self.dismiss(True)
