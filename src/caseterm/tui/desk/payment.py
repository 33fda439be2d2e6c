"""F4 at the reception desk: take a payment from the person found (issue 14). Their accounts
are read through `services.desk_accounts`; one account opens the case's own payment form
(tui/account/payment.py, the instalment due offered), several are chosen from first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from caseterm.core.services import desk_accounts
from caseterm.core.services.accounts import AccountView
from caseterm.tui.account.actions import take_payment
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.triage.dialogs import Choice, PickDialog


def take_payment_at_desk(
    screen: Screen[Any], say: Callable[[str], None], person_id: int, name: str
) -> None:
    """Read the person's accounts, then the payment form; `say` puts a line on the desk."""
    actor = screen.app.ctx.actor  # type: ignore[attr-defined]

    def got(views: tuple[AccountView, ...]) -> None:
        payable = [v for v in views if v.accepts_payments]
        if not payable:
            say(f"{name} has no account that takes payments")
            return
        if len(payable) == 1:
            _pay(screen, payable[0])
            return
        by_ref = {v.reference: v for v in payable}
        choices = [
            Choice(v.reference, f"{v.reference} · {v.header_text()}", v.reference) for v in payable
        ]

        def picked(reference: str | None) -> None:
            if reference is not None:
                _pay(screen, by_ref[reference])

        screen.app.push_screen(PickDialog(f"Which account does {name} pay?", choices), picked)

    run_db(
        screen,
        lambda s: desk_accounts.accounts_of_person(s, actor, person_id=person_id),
        done=got,
        failed=lambda error: say(describe_error(error)),
        what=f"reading the accounts of {name}",
        group="desk-load-accounts",
    )


def _pay(screen: Screen[Any], view: AccountView) -> None:
    def after() -> None:
        # The desk reads its list again when the receipt is closed (on_screen_resume).
        screen.app.notify(f"Payment taken on {view.reference}", markup=False)

    take_payment(screen, view, after)


__all__ = ["take_payment_at_desk"]
