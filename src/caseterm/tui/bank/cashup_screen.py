"""The daily cash-up per officer (`c` on the banking screen): for one day, what each officer
took by each payment method (count and total), from the same service as `caseterm money
cashup`; `[` and `]` go to the day before and after."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.rules.money import format_pence
from caseterm.core.services import cashup
from caseterm.core.services.cashup import CashLine, CashUp
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

COLUMNS: list[Column[CashLine]] = [
    Column("Officer", lambda r: plain(r.staff_name), grow=1),
    Column("Login", lambda r: plain(r.staff_login), width=10),
    Column("Method", lambda r: plain(r.method), width=24),
    Column("Count", lambda r: plain(str(r.count)), width=6),
    Column("Total", lambda r: plain(format_pence(r.total_pence)), width=12),
]


class CashUpScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("bank.tcss")
    HELP_TITLE = "Cash-up per officer"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding(
            "left_square_bracket", "day_before", "Day before", "cashup_day_before", key_display="["
        ),
        binding(
            "right_square_bracket", "day_after", "Day after", "cashup_day_after", key_display="]"
        ),
        binding("r", "refresh", "Refresh", "cashup_refresh"),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day or clock.today()

    def compose(self) -> ComposeResult:
        yield TopBar("Cash-up per officer")
        yield Static("Reading…", id="cashup-note", markup=False)
        yield PagedTable(
            COLUMNS,
            row_key=lambda r: f"{r.staff_login}/{r.method}",
            markable=False,
            empty_text="Nothing taken this day.",
            id="cashup-table",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#cashup-table", PagedTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        actor, day = cast(HasContext, self.app).ctx.actor, self.day
        run_db(
            self,
            lambda s: cashup.cash_up(s, actor, day=day),
            done=self._show,
            what="reading the cash-up",
            group="cashup",
            exclusive=True,
        )

    def _show(self, result: CashUp) -> None:
        rows = list(result.lines)
        self.query_one("#cashup-table", PagedTable).set_source(
            lambda offset, limit: rows[offset : offset + limit], lambda: len(rows)
        )
        officers = len({r.staff_login for r in rows})
        self.query_one("#cashup-note", Static).update(
            content(
                f"{result.day:%a %d/%m/%Y}: {result.count} payments, "
                f"{format_pence(result.total_pence)} taken by {officers} "
                f"officer{'s' if officers != 1 else ''}. [ ] change the day."
            )
        )

    def action_day_before(self) -> None:
        self.day -= timedelta(days=1)
        self.action_refresh()

    def action_day_after(self) -> None:
        if self.day >= clock.today():
            self.notify("Nothing taken on days still to come.", markup=False)
            return
        self.day += timedelta(days=1)
        self.action_refresh()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()
