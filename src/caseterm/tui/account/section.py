"""The Account section of the case screen: what a caller asks first (balance, arrears, next
instalment, where enforcement stands) in a few lines, the impositions with creditor, imposed,
paid and outstanding, and the ledger newest first. Everything shown comes from
`accounts.AccountView`; this module only lays it out."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static

from caseterm.core.rules.money import format_pence
from caseterm.core.services.accounts import AccountView, ImpositionLine, TxnRow
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, template
from caseterm.tui.widgets.paged_table import Column, PagedTable

IMPOSITION_COLUMNS: list[Column[ImpositionLine]] = [
    Column("Imposition", lambda r: r.label, width=18),
    Column("Creditor", lambda r: r.creditor, grow=1, priority=2),
    Column("Imposed", lambda r: format_pence(r.imposed_pence), width=11, justify="right"),
    Column("Paid", lambda r: format_pence(r.paid_pence), width=11, justify="right"),
    Column(
        "Written off",
        lambda r: format_pence(r.written_off_pence),
        width=11,
        justify="right",
        priority=1,
    ),
    Column("Owed", lambda r: format_pence(r.outstanding_pence), width=11, justify="right"),
]


def _kind(r: TxnRow) -> str:
    if r.reversed:
        return f"{r.label} (reversed)"
    if r.reverses_id:
        return f"{r.label} of {r.reverses_id}"
    return r.label


LEDGER_COLUMNS: list[Column[TxnRow]] = [
    Column("Date", lambda r: f"{r.on:%d/%m/%y}", width=8),
    Column("Txn", lambda r: str(r.id), width=6, justify="right", priority=3),
    Column("Kind", _kind, width=20),
    Column("Amount", lambda r: format_pence(r.amount_pence), width=11, justify="right"),
    Column("Method", lambda r: r.method, width=14, priority=2),
    Column("Receipt", lambda r: r.receipt_no, width=11, priority=1),
    Column("Reason / reference", lambda r: r.reason or r.reference, grow=1, priority=4),
]


def summary_lines(view: AccountView) -> Content:
    lines = [
        template(
            "[b]Balance $balance[/b] · imposed $imposed · paid $paid$off$suspense",
            balance=format_pence(view.balance_pence),
            imposed=format_pence(view.imposed_pence),
            paid=format_pence(view.paid_pence),
            off=f" · written off {format_pence(view.written_off_pence)}"
            if view.written_off_pence
            else "",
            suspense=f" · {format_pence(view.suspense_pence)} in suspense"
            if view.suspense_pence
            else "",
        ),
        template(
            "Terms: $terms",
            terms=view.terms.describe() if view.terms else "none set",
        ),
    ]
    due = (
        f"next instalment {format_pence(view.next_due_pence)} on {view.next_due_on:%d/%m/%Y}"
        if view.next_due_on
        else "no instalment to come"
    )
    arrears = (
        template(
            "[b $text-warning]Arrears $a[/] ($n missed) · $due",
            a=format_pence(view.arrears_pence),
            n=str(view.missed),
            due=due,
        )
        if view.arrears_pence
        else template("No arrears · $due", due=due)
    )
    # The keys that act on the stage, said beside it (the key bar has no room at 80 columns).
    keys = " · c confirm, v reject" if view.pending_step else " · H release" if view.hold else ""
    lines += [arrears, template("Stage: $stage[dim]$keys[/]", stage=view.stage, keys=keys)]
    return Content("\n").join(lines)


class AccountPane(Vertical):
    """The section's content; `show(view)` fills it, `show(None)` says there is no account."""

    DEFAULT_CSS: ClassVar[str] = (Path(__file__).parent / "account.tcss").read_text("utf-8")
    # Money forms and decisions (tui/account/forms.py, opened by tui/account/form_actions.py).
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("M", "means_form", "Means form", "means_form"),
        binding("w", "money_form('write_off')", "Write off", "write_off"),
        binding("m", "money_form('remit')", "Remit", "remit"),
        binding(
            "plus", "money_form('increase')", "Increase fine", "increase_fine", key_display="+"
        ),
        binding("G", "money_form('court_result')", "Court result", "court_result"),
        # A manual adjustment and the case's money decisions (tui/account/adjust.py, decisions.py).
        binding("J", "adjust_account", "Adjust", "adjust_account"),
        binding("h", "money_decisions", "Decisions", "money_decisions"),
        binding("t", "money_form('terms')", "Payment terms", "payment_terms"),
        # Enforcement (tui/account/enforcement.py): decide the proposed step; hold or release.
        binding("c", "enforcement('confirm_step')", "Confirm step", "confirm_step"),
        binding("v", "enforcement('reject_step')", "Reject step", "reject_step", show=False),
        binding("H", "enforcement('hold_or_release')", "Hold", "enforcement_hold"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: AccountView | None = None

    def compose(self) -> ComposeResult:
        yield Static(content("Loading the account…"), id="account-summary")
        yield Label(content("Impositions"), classes="section-title")
        yield PagedTable(
            IMPOSITION_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="Nothing imposed.",
            id="impositions-table",
        )
        yield Label(content("Ledger (newest first)"), classes="section-title")
        yield PagedTable(
            LEDGER_COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="No transactions.",
            id="ledger-table",
        )

    def action_money_form(self, which: str) -> None:
        from caseterm.tui.account.form_actions import open_money_form

        open_money_form(self, which)

    def action_enforcement(self, what: str) -> None:
        from caseterm.tui.account import enforcement

        getattr(enforcement, what)(self)

    def action_means_form(self) -> None:
        from caseterm.tui.account.adjust import open_means_form

        open_means_form(self)

    def action_adjust_account(self) -> None:
        from caseterm.tui.account.adjust import open_adjustment

        open_adjustment(self)

    def action_money_decisions(self) -> None:
        from caseterm.tui.account.decisions import DecisionsScreen

        screen = self.screen
        case_id = getattr(screen, "case_id", None)
        case_view = getattr(screen, "view", None)
        if case_id is None or case_view is None:
            return
        self.app.push_screen(DecisionsScreen(case_id, case_view.case.reference))

    def show(self, view: AccountView | None) -> None:
        self.view = view
        summary = self.query_one("#account-summary", Static)
        if view is None:
            summary.update(content("This case has no account: nothing has been imposed."))
            return
        summary.update(summary_lines(view))
        self.query_one("#impositions-table", PagedTable).show_rows(view.lines, again=True)
        self.query_one("#ledger-table", PagedTable).show_rows(view.transactions, again=True)
