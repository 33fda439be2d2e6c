"""Taking a payment from a screen that shows a case's account: the dialog, the posting through
`run_db`, then the receipt. The case and the account are those shown when the key was pressed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from caseterm.core.rules.money import format_pence
from caseterm.core.services import ledger
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.ledger import Receipt
from caseterm.tui.account.payment import PaymentDialog, PaymentRequest, ReceiptScreen
from caseterm.tui.dbwork import run_db


def take_payment(screen: Screen[Any], view: AccountView | None, after: Callable[[], None]) -> None:
    """Open the payment dialog for the account shown (if it takes payments), post what is
    entered, show the receipt and call `after` (to read the account again)."""
    if view is None:
        screen.notify("This case has no account to pay.", severity="warning", markup=False)
        return
    if not view.accepts_payments:
        screen.notify(
            f"{view.reference}: the account is {view.stage.lower()}; it takes no payments.",
            severity="warning",
            markup=False,
        )
        return
    actor = screen.app.ctx.actor  # type: ignore[attr-defined]
    case_id = view.case_id

    def chosen(request: PaymentRequest | None) -> None:
        if request is None:
            return
        run_db(
            screen,
            lambda s: ledger.take_payment(
                s,
                actor,
                case_id=case_id,
                amount_pence=request.amount_pence,
                method=request.method,
                reference=request.reference,
            ),
            write=True,
            done=shown,
            what="taking the payment",
        )

    def shown(receipt: Receipt) -> None:
        after()
        screen.app.push_screen(ReceiptScreen(receipt))

    screen.app.push_screen(PaymentDialog(view), callback=chosen)


def reverse_selected(screen: Screen[Any], after: Callable[[], None]) -> None:
    """Reverse the ledger row under the cursor (the row captured when the key was pressed),
    with a reason."""
    from caseterm.tui.account.payment import ReasonDialog
    from caseterm.tui.account.section import AccountPane
    from caseterm.tui.widgets.paged_table import PagedTable

    table = screen.query_one(AccountPane).query_one("#ledger-table", PagedTable)
    row = table.current_row
    if row is None:
        screen.notify("No transaction to reverse.", severity="warning", markup=False)
        return
    txn_id, what = row.id, f"{row.label} {format_pence(row.amount_pence)} on {row.on:%d/%m/%Y}"
    actor = screen.app.ctx.actor  # type: ignore[attr-defined]

    def reversed_(posted: ledger.Posted) -> None:
        screen.notify(
            f"Reversed {what}; balance now {format_pence(posted.balance_after_pence)}",
            markup=False,
        )
        after()

    def chosen(reason: str | None) -> None:
        if reason is None:
            return
        run_db(
            screen,
            lambda s: ledger.reverse_transaction(s, actor, txn_id=txn_id, reason=reason),
            write=True,
            done=reversed_,
            what="reversing the transaction",
        )

    screen.app.push_screen(ReasonDialog(f"Reverse {what}"), callback=chosen)
