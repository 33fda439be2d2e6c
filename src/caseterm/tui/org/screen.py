"""`N` in the workstation ("Offices, teams and rooms" in the command palette): the offices, teams
and rooms staff work in, as `caseterm org list` shows them, and where a system administrator
(`staff.admin`) adds one: `o` an office, `t` a team, `m` a room that can be booked (`enter` shows
a row in full). Each is a few questions in turn (escape at any of them adds nothing); each
addition is audited by the service (`services.org`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, cast

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.services import org
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


@dataclass(frozen=True)
class OrgRow:
    """One line of the list: an office, a team or a room."""

    kind: str  # "office", "team", "room"
    id: int
    code: str
    name: str
    office: str  # the office's code (a team's or a room's); an office's address


COLUMNS: list[Column[OrgRow]] = [
    Column("Kind", lambda r: r.kind, width=7),
    Column("Code", lambda r: plain(r.code), width=12),
    Column("Name", lambda r: plain(r.name), grow=2),
    Column("Office / address", lambda r: plain(r.office), grow=1),
]


def org_rows(session: Session) -> list[OrgRow]:
    """Every office, then every team, then every room (as `caseterm org list`)."""
    offices = org.list_offices(session)
    code_of = {o.id: o.code for o in offices}
    return (
        [OrgRow("office", o.id, o.code, o.name, o.address) for o in offices]
        + [
            OrgRow("team", t.id, t.code, t.name, code_of.get(t.office_id or 0, ""))
            for t in org.list_teams(session)
        ]
        + [OrgRow("room", r.id, "", r.name, r.office_code) for r in org.list_rooms(session)]
    )


def _prompt(question: str, placeholder: str) -> PromptScreen:
    return PromptScreen(question, placeholder, optional="(optional)" in question)


class OrgScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("org.tcss")
    HELP_TITLE = "Offices, teams and rooms"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("o", "add_office", "Add office", "org_add_office"),
        binding("t", "add_team", "Add team", "org_add_team"),
        binding("m", "add_room", "Add room", "org_add_room"),
        binding("r", "refresh", "Refresh", "org_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Offices, teams and rooms")
        yield Static(
            content("o adds an office, t a team, m a room that can be booked."),
            id="org-note",
            markup=False,
        )
        yield PagedTable(
            COLUMNS,
            row_key=lambda r: (r.kind, r.id),
            markable=False,
            empty_text="No offices yet: o adds one.",
            id="org-table",
        )
        yield Static("", id="org-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#org-table", PagedTable))
        self.action_refresh()

    @property
    def _actor(self) -> Any:
        return cast(HasContext, self.app).ctx.actor

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#org-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def action_refresh(self) -> None:
        table = self.query_one("#org-table", PagedTable)
        run_db(
            self,
            org_rows,
            done=lambda rows: table.show_rows(rows, again=True),
            what="reading the offices",
            group="org",
            exclusive=True,
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

    @on(PagedTable.Selected, "#org-table")
    def _selected(self, event: PagedTable.Selected) -> None:
        row: OrgRow = event.row
        where = "Address" if row.kind == "office" else "Office"
        fields = [("Kind", row.kind), ("Code", row.code), ("Name", row.name), (where, row.office)]
        self.app.push_screen(
            RecordScreen(f"{row.kind.capitalize()} {row.code or row.name}", fields)
        )

    # ---------------------------------------------------------------- adding

    def _ask(self, questions: list[tuple[str, str]], then: Callable[[list[str]], None]) -> None:
        """Ask each (question, placeholder) in turn; `then` gets the answers. Escape stops. A
        question saying "(optional)" may be answered with nothing."""
        answers: list[str] = []

        def answered(answer: str | None) -> None:
            if answer is None:
                self._status("Nothing added.")
                return
            answers.append(answer.strip())
            if len(answers) < len(questions):
                question, placeholder = questions[len(answers)]
                self.app.push_screen(_prompt(question, placeholder), answered)
            else:
                then(answers)

        question, placeholder = questions[0]
        self.app.push_screen(_prompt(question, placeholder), answered)

    def _add(self, what: str, call: Callable[[Session], Any], said: Callable[[Any], str]) -> None:
        run_db(
            self,
            call,
            write=True,
            done=lambda made: self._added(said(made)),
            failed=lambda error: self._status(
                f"{what} not added: {describe_error(error)}", error=True
            ),
            what=f"adding the {what.lower()}",
        )

    def _added(self, said: str) -> None:
        self._status(said)
        self.action_refresh()

    def action_add_office(self) -> None:
        actor = self._actor

        def add(answers: list[str]) -> None:
            code, name, address = answers
            self._add(
                "Office",
                lambda s: org.create_office(s, actor, code=code, name=name, address=address),
                lambda o: f"Added office {o.code}: {o.name}",
            )

        self._ask(
            [
                ("New office: its short code", "e.g. PRE"),
                ("Its name", "e.g. Preston"),
                ("Its postal address, on one line (optional)", "address"),
            ],
            add,
        )

    def action_add_team(self) -> None:
        actor = self._actor

        def add(answers: list[str]) -> None:
            code, name, office_code = answers

            def create(s: Session) -> org.TeamInfo:
                office = org.office_by_code(s, office_code) if office_code else None
                return org.create_team(
                    s, actor, code=code, name=name, office_id=office.id if office else None
                )

            self._add("Team", create, lambda t: f"Added team {t.code}: {t.name}")

        self._ask(
            [
                ("New team: its short code", "e.g. PRE-OM"),
                ("Its name", "e.g. Preston offender management"),
                ("The code of the office it works from (optional)", "e.g. PRE"),
            ],
            add,
        )

    def action_add_room(self) -> None:
        actor = self._actor

        def add(answers: list[str]) -> None:
            office_code, name = answers

            def create(s: Session) -> org.RoomInfo:
                office = org.office_by_code(s, office_code)
                return org.create_room(s, actor, office_id=office.id, name=name)

            self._add("Room", create, lambda r: f"Added room {r.label}")

        self._ask(
            [
                ("New room: the code of its office", "e.g. PRE"),
                ("Its name", "e.g. Interview 1"),
            ],
            add,
        )
