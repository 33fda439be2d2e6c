"""Checks awaiting me: letters submitted for checking on my team's cases, never my own, oldest
first (`enter` opens one to read, approve or reject), and below them the sampled checks of
colleagues' work drawn to me or my team (`enter` opens one: the work in words with its
checklist; `p` passes the one under the cursor, `f` fails it with an error category and notes,
which raises a rework task to the officer). `P` prints a day's issued letters as one PDF in
postal order (the print pack, as `caseterm letters print`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.rules import checks as check_rules
from caseterm.core.services import check_outcomes, letter_views
from caseterm.core.services.check_outcomes import CheckInfo, SampledCheckRow
from caseterm.core.services.letter_views import CheckRow
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.letters.money_checks import (
    MONEY_BINDINGS,
    MoneyCheckActions,
    money_widgets,
    refresh_money,
)
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain, uk_date, uk_datetime
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

CHECK_COLUMNS: list[Column[CheckRow]] = [
    Column("Submitted", lambda r: uk_datetime(r.submitted_at), width=16),
    Column("Case", lambda r: plain(r.reference), width=15),
    Column("Letter", lambda r: plain(r.title), grow=3),
    Column("Maker", lambda r: plain(r.maker), width=18, hide_below=90),
]

SAMPLED_COLUMNS: list[Column[SampledCheckRow]] = [
    Column("Work of", lambda r: uk_date(r.drawn_for), width=10),
    Column("Case", lambda r: plain(r.reference), width=15),
    Column("Work", lambda r: plain(f"{r.work_label} #{r.item_id}"), grow=3),
    Column("Officer", lambda r: plain(r.officer), width=18, hide_below=90),
]


class ChecksScreen(MoneyCheckActions, Screen[None]):
    CSS_PATH = Path(__file__).with_name("letters.tcss")
    HELP_TITLE = "Checks awaiting me"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "refresh", "Refresh", "checks_refresh"),
        binding("p", "pass_check", "Pass check", "checks_pass"),
        binding("f", "fail_check", "Fail check", "checks_fail"),
        binding("P", "print_pack", "Print pack of a day's letters", "letters_print_pack"),
        *MONEY_BINDINGS,
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Checks awaiting me")
        yield Static("Reading…", id="checks-note", markup=False)
        yield PagedTable(
            CHECK_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="Nothing to check.",
            id="checks-table",
        )
        yield Static("", id="sampled-note", markup=False)
        yield PagedTable(
            SAMPLED_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="No sampled work to check.",
            id="sampled-table",
        )
        yield Static("", id="sampled-status", markup=False)
        yield from money_widgets()
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#checks-table", PagedTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        actor = cast(HasContext, self.app).ctx.actor
        run_db(
            self,
            lambda s: letter_views.checks_awaiting(s, actor),
            done=self._show,
            what="reading the checks",
            group="checks",
            exclusive=True,
        )
        run_db(
            self,
            lambda s: check_outcomes.checks_awaiting(s, actor),
            done=self._show_sampled,
            what="reading the sampled checks",
            group="sampled-checks",
            exclusive=True,
        )
        refresh_money(self)

    def _show_sampled(self, rows: list[SampledCheckRow]) -> None:
        table = self.query_one("#sampled-table", PagedTable)
        table.show_rows(rows, again=True)
        self.query_one("#sampled-note", Static).update(
            content(
                f"{len(rows)} sampled item(s) of work to check: enter opens one, p passes, f fails."
            )
        )

    def _sampled_row(self) -> SampledCheckRow | None:
        row = self.query_one("#sampled-table", PagedTable).current_row
        if row is None:
            self._status("No sampled check under the cursor", error=True)
        return cast("SampledCheckRow | None", row)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#sampled-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def action_pass_check(self) -> None:
        row = self._sampled_row()
        if row is None:
            return
        actor, check_id = cast(HasContext, self.app).ctx.actor, row.id
        run_db(
            self,
            lambda s: check_outcomes.pass_check(s, actor, check_id=check_id),
            write=True,
            done=self._decided,
            what="passing the check",
        )

    def action_fail_check(self) -> None:
        row = self._sampled_row()
        if row is None:
            return
        kind = check_rules.work_kinds().get(row.work_kind)
        codes = [code for code, _ in kind.categories] if kind else []
        check_id = row.id
        self.app.push_screen(
            PromptScreen(
                f"Fail check #{check_id}: which error? ({', '.join(codes)})",
                "error category",
                codes[0] if codes else "",
            ),
            lambda category: self._fail_category(check_id, category),
        )

    def _fail_category(self, check_id: int, category: str | None) -> None:
        if not category:
            self._status("Not failed: an error category is required", error=True)
            return
        self.app.push_screen(
            PromptScreen("What was wrong? (the officer sees this)", "notes (required)"),
            lambda notes: self._fail_notes(check_id, category, notes),
        )

    def _fail_notes(self, check_id: int, category: str, notes: str | None) -> None:
        if not notes:
            self._status("Not failed: notes are required", error=True)
            return
        actor = cast(HasContext, self.app).ctx.actor
        run_db(
            self,
            lambda s: check_outcomes.fail_check(
                s, actor, check_id=check_id, category=category, notes=notes
            ),
            write=True,
            done=self._decided,
            what="failing the check",
        )

    def _decided(self, info: CheckInfo) -> None:
        rework = f"; rework task #{info.rework_task_id}" if info.rework_task_id else ""
        self._status(f"Check #{info.id} {info.status}{rework}")
        self.action_refresh()

    def _show(self, rows: list[CheckRow]) -> None:
        table = self.query_one("#checks-table", PagedTable)
        table.show_rows(rows, again=True)
        self.query_one("#checks-note", Static).update(
            content(f"{len(rows)} letter(s) to check. enter reads one: a approves, x rejects.")
        )

    @on(PagedTable.Selected, "#checks-table")
    def _selected(self, event: PagedTable.Selected) -> None:
        from caseterm.tui.letters.letter_screen import LetterScreen

        row = cast(CheckRow, event.row)
        self.app.push_screen(LetterScreen(row.id), lambda _: self.action_refresh())

    @on(PagedTable.Selected, "#sampled-table")
    def _sampled_selected(self, event: PagedTable.Selected) -> None:
        from caseterm.tui.letters.sampled_check import SampledCheckScreen

        row = cast(SampledCheckRow, event.row)
        self.app.push_screen(SampledCheckScreen(row.id), self._sampled_closed)

    def _sampled_closed(self, info: CheckInfo | None) -> None:
        if info is not None:
            self._decided(info)
        else:
            self.action_refresh()

    def action_print_pack(self) -> None:
        from caseterm.tui.letters.print_pack import ask_and_print

        ask_and_print(self, lambda text, error: self._status(text, error=error))

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()
