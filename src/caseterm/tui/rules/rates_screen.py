"""`%` in the workstation ("Sampling rates for checks" in the command palette; co-ordinators,
`check.rate`): what share of each team's work of each kind is drawn every day for checking by a
colleague, as `caseterm checks rate list` shows them. `e` changes the rate under the cursor, `a`
sets a new one (a team, a kind of work, optionally one officer's work, the percentage), both
through the service `checks rate set` calls (`services.checks.set_rate`, audited there); a
refusal is said on the line at the bottom and nothing is saved. 0 stops sampling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from caseterm.core.errors import ValidationError
from caseterm.core.rules.checks import work_kinds
from caseterm.core.services import checks
from caseterm.core.services.checks import RateInfo
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.rules.questions import Question, ask_in_turn
from caseterm.tui.rules.rule_answers import read_whole
from caseterm.tui.rules.rules_screen import RulesScreen
from caseterm.tui.safe import content, plain
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


def _kind_label(code: str) -> str:
    kind = work_kinds().get(code)
    return kind.label if kind else code


RATE_COLUMNS: list[Column[RateInfo]] = [
    Column("Team", lambda r: plain(r.team), width=12),
    Column("Work", lambda r: plain(_kind_label(r.work_kind)), grow=1),
    Column("Whose", lambda r: plain(r.staff) if r.staff else "(the team)", width=14),
    Column("Checked", lambda r: f"{r.percent}%", width=8),
]


class SamplingRatesScreen(RulesScreen):
    STATUS_ID = "rates-status"
    CSS_PATH = Path(__file__).with_name("rules.tcss")
    HELP_TITLE = "Sampling rates for checks"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("e", "edit_rate", "Change rate", "rate_edit"),
        binding("a", "add_rate", "Set a rate", "rate_add"),
        binding("r", "refresh", "Refresh", "rates_refresh"),
    ]

    def compose(self) -> ComposeResult:
        kinds = ", ".join(work_kinds())
        yield TopBar("Sampling rates for checks")
        yield Static(
            content(
                "What share of each team's work is drawn each day for a colleague to check "
                f"(kinds: {kinds}). e changes the rate under the cursor, a sets one; 0 stops."
            ),
            id="rates-note",
            markup=False,
        )
        yield PagedTable(
            RATE_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="No sampling rates: nothing is drawn for checking. a sets one.",
            id="rates-table",
        )
        yield Static("", id="rates-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#rates-table", PagedTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        actor = self._actor
        table = self.query_one("#rates-table", PagedTable)
        run_db(
            self,
            lambda s: checks.list_rates(s, actor),
            done=lambda rows: table.show_rows(rows, again=True),
            what="reading the sampling rates",
            group="rates",
            exclusive=True,
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

    @on(PagedTable.Selected, "#rates-table")
    def _selected(self, event: PagedTable.Selected) -> None:
        r: RateInfo = event.row
        fields = [
            ("Team", r.team),
            ("Work", _kind_label(r.work_kind)),
            ("Whose", r.staff or "everyone in the team without a rate of their own"),
            ("Checked", f"{r.percent}% of each day's items"),
        ]
        self.app.push_screen(RecordScreen("Sampling rate", fields))

    def _ask(self, questions: list[Question], then: Callable[[dict[str, str]], None]) -> None:
        ask_in_turn(self.app, questions, then, lambda: self._status("No rate set."))

    def _set(self, team: str, kind: str, staff: str, percent_text: str) -> None:
        try:
            percent = read_whole("percent", percent_text.strip().rstrip("%"))
        except ValidationError as exc:
            self._status(f"Rate not set: {describe_error(exc)}", error=True)
            return
        actor = self._actor

        def work(s: Session) -> RateInfo:
            return checks.set_rate(
                s,
                actor,
                team=team.strip().upper(),
                work_kind=kind.strip().lower(),
                percent=percent,
                staff_login=staff.strip() or None,
            )

        run_db(
            self,
            work,
            write=True,
            done=self._saved,
            failed=lambda error: self._status(f"Rate not set: {describe_error(error)}", error=True),
            what="setting the sampling rate",
        )

    def _saved(self, rate: RateInfo) -> None:
        whose = f" of {rate.staff}" if rate.staff else ""
        self._status(
            f"Sampling rate set: {rate.team} · {_kind_label(rate.work_kind)}{whose} · "
            f"{rate.percent}% checked"
        )
        self.action_refresh()

    def action_edit_rate(self) -> None:
        rate = self.query_one("#rates-table", PagedTable).current_row
        if not isinstance(rate, RateInfo):
            self._status("No rate to change: a sets one.")
            return
        whose = f" of {rate.staff}" if rate.staff else ""
        self._ask(
            [
                Question(
                    "percent",
                    f"{rate.team} · {_kind_label(rate.work_kind)}{whose}: per cent checked",
                    "0 to 100",
                    str(rate.percent),
                )
            ],
            lambda a: self._set(rate.team, rate.work_kind, rate.staff, a["percent"]),
        )

    def action_add_rate(self) -> None:
        self._ask(
            [
                Question("team", "Sampling rate: the team's code", "e.g. PRE-OM"),
                Question("kind", f"Kind of work ({', '.join(work_kinds())})", "e.g. task"),
                Question(
                    "staff",
                    "One officer's work only: their login (blank: the whole team)",
                    "e.g. jbrown",
                    optional=True,
                ),
                Question("percent", "Per cent of each day's items checked (0 stops)", "0 to 100"),
            ],
            lambda a: self._set(a["team"], a["kind"], a["staff"], a["percent"]),
        )
