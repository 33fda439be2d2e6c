"""The banking against the cash-up, one day at a time: per payment method what the cash-up
says was taken, what was banked and the difference. `e` enters what was banked for the method
under the cursor (saved and audited; entering it again replaces it), `[` and `]` go to the day
before and after."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.errors import CasetermError
from caseterm.core.rules.money import PAYMENT_METHODS, format_pence
from caseterm.core.services import banking
from caseterm.core.services.banking import BankedLine, Reconciliation
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


def _banked(r: BankedLine) -> str:
    return format_pence(r.banked_pence) if r.banked_pence is not None else "not entered"


def _difference(r: BankedLine) -> str:
    return format_pence(r.difference_pence) if r.banked_pence is not None else ""


COLUMNS: list[Column[BankedLine]] = [
    Column("Method", lambda r: plain(r.label), grow=1),
    Column("Expected", lambda r: plain(format_pence(r.expected_pence)), width=14),
    Column("Banked", lambda r: plain(_banked(r)), width=14),
    Column("Difference", lambda r: plain(_difference(r)), width=14),
]


class BankingScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("bank.tcss")
    HELP_TITLE = "Banking"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("e", "enter_banked", "Enter banked", "banking_enter"),
        binding(
            "left_square_bracket",
            "day_before",
            "Day before",
            "banking_day_before",
            key_display="[",
        ),
        binding(
            "right_square_bracket",
            "day_after",
            "Day after",
            "banking_day_after",
            key_display="]",
        ),
        binding("r", "refresh", "Refresh", "banking_refresh"),
        binding("c", "cash_up", "Cash-up per officer", "banking_cashup"),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day or clock.today()

    def compose(self) -> ComposeResult:
        yield TopBar("Banking against the cash-up")
        yield Static("Reading…", id="banking-note", markup=False)
        yield PagedTable(
            COLUMNS,
            row_key=lambda r: r.method,
            markable=False,
            empty_text="Nothing taken or banked this day: e enters what was banked.",
            id="banking-table",
        )
        yield Static("", id="banking-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#banking-table", PagedTable))
        self.action_refresh()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#banking-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def action_refresh(self) -> None:
        actor, day = cast(HasContext, self.app).ctx.actor, self.day
        run_db(
            self,
            lambda s: banking.reconciliation(s, actor, day=day),
            done=self._show,
            what="reading the banking",
            group="banking",
            exclusive=True,
        )

    def _show(self, result: Reconciliation) -> None:
        rows = list(result.lines)
        if not rows:  # nothing taken: offer cash and cheque to enter the banking against
            rows = [BankedLine(m, PAYMENT_METHODS[m], 0, None, 0) for m in ("cash", "cheque")]
        self.query_one("#banking-table", PagedTable).set_source(
            lambda offset, limit: rows[offset : offset + limit], lambda: len(rows)
        )
        self.query_one("#banking-note", Static).update(
            content(f"{result.summary()}. e enters what was banked; [ ] change the day.")
        )

    def action_day_before(self) -> None:
        self.day -= timedelta(days=1)
        self.action_refresh()

    def action_day_after(self) -> None:
        if self.day >= clock.today():
            self._status("No banking to enter for days still to come", error=True)
            return
        self.day += timedelta(days=1)
        self.action_refresh()

    def action_enter_banked(self) -> None:
        row = cast("BankedLine | None", self.query_one("#banking-table", PagedTable).current_row)
        if row is None:
            return
        method, label = row.method, row.label
        self.app.push_screen(
            PromptScreen(
                f"{label} banked on {self.day:%d/%m/%Y} (expected "
                f"{format_pence(row.expected_pence)})",
                "amount, e.g. 123.45 (0 for nothing)",
                f"{row.expected_pence / 100:.2f}" if row.banked_pence is None else "",
            ),
            lambda answer: self._entered(method, answer),
        )

    def _entered(self, method: str, answer: str | None) -> None:
        if answer is None or not answer.strip():
            return
        try:
            pence = banking.parse_banked(f"{method}={answer}")[method]
        except CasetermError as e:
            self._status(f"Not saved: {e}", error=True)
            return
        actor, day = cast(HasContext, self.app).ctx.actor, self.day
        run_db(
            self,
            lambda s: banking.record_banking(s, actor, day=day, banked={method: pence}),
            write=True,
            done=self._saved,
            what="saving the banking",
        )

    def _saved(self, result: Reconciliation) -> None:
        self._show(result)
        self._status(f"Saved. {result.summary()}")

    def action_cash_up(self) -> None:
        """The day's cash-up per officer and method."""
        from caseterm.tui.bank.cashup_screen import CashUpScreen

        self.app.push_screen(CashUpScreen(self.day))

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()
