"""Money in suspense dealt with from its task in the Suspense queue (`L` on the queue): a bank
credit no account matched is allocated to the account it was traced to (the case reference,
and the amount confirmed), an account's overpayment applied to its balance or refunded. Each is
a small form with its draft kept; the posting and the task's completion are one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session
from textual.screen import Screen

from caseterm.core.rules.money import format_pence, parse_amount
from caseterm.core.services import bank_suspense
from caseterm.core.services.bank_suspense import BANK_LINE, SuspenseItem
from caseterm.core.services.identity import Actor
from caseterm.tui.dbwork import run_db
from caseterm.tui.work_log.form import Field, SmallForm


def _line_words(item: SuspenseItem) -> str:
    paid = f" on {item.paid_on:%d/%m/%Y}" if item.paid_on else ""
    payer = f" from {item.payer}" if item.payer else ""
    return (
        f"Bank credit {format_pence(item.amount_pence)}{paid}{payer}, reference "
        f"{item.reference or '(none)'}. {item.note}".strip()
    )


class AllocateSuspenseScreen(SmallForm):
    """Allocate a bank credit held in suspense to an account."""

    TITLE_TEXT = "Allocate to account"
    DRAFT_KIND = "allocate_suspense"
    SAVING = "allocating the credit"

    def __init__(self, item: SuspenseItem) -> None:
        self.item = item
        super().__init__(
            key=str(item.line_id),
            about=_line_words(item) + " Posted as a bank transfer on that date, with a receipt.",
            initial={"case": "", "amount": f"{item.amount_pence / 100:.2f}"},
        )

    def fields(self) -> list[Field]:
        return [
            Field("case", "Case reference", placeholder="the account it was traced to"),
            Field("amount", "Amount (£)", placeholder="as on the statement"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        amount = parse_amount(values["amount"])
        line_id, reference = self.item.line_id or 0, values["case"]

        def run(s: Session) -> str:
            done = bank_suspense.allocate_line(
                s, actor, line_id=line_id, case_reference=reference, amount_pence=amount
            )
            r = done.receipt
            extra = (
                f"; {format_pence(r.to_suspense_pence)} held in suspense"
                if r.to_suspense_pence
                else ""
            )
            return (
                f"Allocated {format_pence(r.amount_pence)} to {done.case_reference}, receipt "
                f"{r.receipt_no}; balance now {format_pence(r.balance_after_pence)}{extra}"
            )

        return run


class SettleOverpaymentScreen(SmallForm):
    """Apply an account's overpayment to its balance, or refund it."""

    TITLE_TEXT = "Overpayment in suspense"
    DRAFT_KIND = "settle_suspense"
    SAVING = "moving the money"

    def __init__(self, item: SuspenseItem) -> None:
        self.item = item
        super().__init__(
            key=str(item.task_id),
            about=f"{item.case_reference} holds {format_pence(item.amount_pence)} in suspense "
            "(more than was owed).",
            initial={"how": "", "reason": ""},
        )

    def fields(self) -> list[Field]:
        return [
            Field(
                "how",
                "Do",
                "choice",
                options=(
                    ("Refund it to the payer", "refund"),
                    ("Apply it to the balance", "apply"),
                ),
            ),
            Field("reason", "Reason", placeholder="e.g. refunded by cheque"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        from caseterm.core.errors import ValidationError

        if values["how"] not in ("refund", "apply"):
            raise ValidationError("how", "choose whether to refund or apply it")
        refund, reason, task_id = values["how"] == "refund", values["reason"], self.item.task_id

        def run(s: Session) -> str:
            posted = bank_suspense.settle_overpayment(
                s, actor, task_id=task_id, refund=refund, reason=reason
            )
            way = "Refunded" if refund else "Applied"
            return (
                f"{way} {format_pence(abs(posted.amount_pence))}; balance now "
                f"{format_pence(posted.balance_after_pence)}"
            )

        return run


def deal_with_suspense(screen: Screen[Any], task_id: int, after: Callable[[], None]) -> None:
    """Open the form for the Suspense task `task_id` (captured when the key was pressed), then
    call `after` once it is saved."""
    actor = screen.app.ctx.actor  # type: ignore[attr-defined]

    def saved(message: str | None) -> None:
        if message is not None:
            after()

    def loaded(item: SuspenseItem) -> None:
        if item.kind == BANK_LINE:
            screen.app.push_screen(AllocateSuspenseScreen(item), callback=saved)
        else:
            screen.app.push_screen(SettleOverpaymentScreen(item), callback=saved)

    run_db(
        screen,
        lambda s: bank_suspense.suspense_item(s, actor, task_id=task_id),
        done=loaded,
        write="if_needed",
        what="reading the money in suspense",
    )
