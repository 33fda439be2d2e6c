"""Choosing a person to add as a party: type a name and/or a date of birth (or an identifier),
enter searches (services.search: typos, aliases and accents forgiven), the matches are listed
with their date of birth; enter on one picks it. Escape leaves without choosing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from caseterm.core.services import search
from caseterm.core.services.identity import Actor
from caseterm.tui.case_edit.closure import CSS
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, uk_date
from caseterm.tui.widgets.plain_input import PlainInput

LIMIT = 20


@dataclass(frozen=True)
class PickedPerson:
    person_id: int
    name: str
    date_of_birth: str  # "" when not known

    def describe(self) -> str:
        born = f" (b. {self.date_of_birth})" if self.date_of_birth else ""
        return f"{self.name}{born}, person {self.person_id}"


def people_of(hits: list[search.SearchHit]) -> list[PickedPerson]:
    """One row per person, best first; restricted hits are left out (they name nobody)."""
    seen: dict[int, PickedPerson] = {}
    for hit in hits:
        if hit.restricted or hit.person_id in seen:
            continue
        seen[hit.person_id] = PickedPerson(
            hit.person_id, hit.name, uk_date(hit.date_of_birth) if hit.date_of_birth else ""
        )
    return list(seen.values())


class PersonPickerScreen(ModalScreen[PickedPerson | None]):
    """Dismisses with the person chosen, or None."""

    CSS_PATH = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "back", "Back", "back"),
    ]

    def __init__(self, title: str = "Add a party: who?") -> None:
        super().__init__()
        self.title_text = title
        self.found: list[PickedPerson] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text), classes="modal-title")
            yield PlainInput(placeholder="name and/or date of birth, e.g. Rita Smith 04/05/1970",
                        id="pp-query")  # fmt: skip
            yield OptionList(id="pp-list")
            yield Static("", id="pp-status", markup=False)
            yield Static(
                content("enter search · down/enter pick · esc back"),
                classes="modal-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        focus_now(self.query_one("#pp-query", Input))

    def _actor(self) -> Actor:
        return cast(HasContext, self.app).ctx.actor

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#pp-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#pp-query")
    def _search(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._status("Type a name or a date of birth first.", error=True)
            return
        actor = self._actor()
        self._status("Searching…")
        run_db(
            self,
            lambda s: people_of(search.search(s, actor, text=text, limit=LIMIT)),
            done=self._show,
            failed=lambda error: self._status(describe_error(error), error=True),
            what="searching for people",
            group="party-person-search",
            exclusive=True,
        )

    def _show(self, found: list[PickedPerson]) -> None:
        self.found = found
        options = self.query_one("#pp-list", OptionList)
        options.clear_options()
        for i, person in enumerate(found):
            options.add_option(Option(content(person.describe()), id=str(i)))
        if found:
            options.highlighted = 0
            options.focus()
            self._status(f"{len(found)} found: enter picks the highlighted one.")
        else:
            self._status("Nobody found: try fewer letters or the date of birth.", error=True)

    @on(OptionList.OptionSelected, "#pp-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        if 0 <= index < len(self.found):
            self.dismiss(self.found[index])

    def action_back(self) -> None:
        self.dismiss(None)
