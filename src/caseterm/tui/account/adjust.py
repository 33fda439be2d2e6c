"""Two of the Account section's keys: a manual adjustment of the ledger (`J`: an amount either
way and the reason, posted within the officer's limit or held for a checker) and the means form
(`M`) opened filled from the case's last assessment, so a review starts from what was said
last time (`means.latest_means`); a case with none opens it blank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from caseterm.core.errors import NotFoundError
from caseterm.core.rules import means as means_rules
from caseterm.core.rules.money import format_pence, parse_signed_amount
from caseterm.core.services import means, money_decisions
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.identity import Actor
from caseterm.core.services.means import MeansInfo
from caseterm.tui.account.forms import MeansFormScreen, MoneyForm, decided_words
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.work_log.form import Field


class AdjustScreen(MoneyForm):
    TITLE_TEXT = "Adjustment"
    DRAFT_KIND = "adjustment"
    SAVING = "adjusting"

    def __init__(self, view: AccountView) -> None:
        super().__init__(
            view,
            {"amount": "", "reason": ""},
            f"Adjust the ledger of {view.reference} (balance {format_pence(view.balance_pence)}): "
            "25 reduces what is owed, -25 increases it. Beyond your limit it is held for a "
            "checker.",
        )

    def fields(self) -> list[Field]:
        return [
            Field("amount", "Amount (£)", placeholder="25 reduces, -25 increases"),
            Field("reason", "Reason", placeholder="the correction it makes (required)"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        amount = parse_signed_amount(values["amount"])
        reason, case_id = values["reason"], self.view.case_id
        return lambda s: decided_words(
            money_decisions.adjust(s, actor, case_id=case_id, amount_pence=amount, reason=reason)
        )


def means_values(last: MeansInfo) -> dict[str, str]:
    """The means form's fields as the last assessment left them (no terms, no notes)."""
    figures = {
        name: f"{pence / 100:.2f}" if pence else ""
        for name, pence in last.figures.amounts().items()
    }
    return figures | {
        "frequency": last.frequency,
        "dependants": str(last.figures.dependants),
        "terms_from": "",
        "instalment": "",
        "notes": "",
    }


class MeansFromLastScreen(MeansFormScreen):
    """The means form filled from the case's last assessment."""

    def __init__(self, view: AccountView, last: MeansInfo) -> None:
        self.view, self.last = view, last
        MoneyForm.__init__(self, view, means_values(last), self._about_text(None))

    def _about_text(self, result: means_rules.Assessment | None) -> str:
        last = self.last
        return (
            f"From means form #{last.id} of {last.taken_at:%d/%m/%Y} ({last.taken_by}). "
            + super()._about_text(result)
        )


def open_means_form(pane: Any) -> None:
    """`pane` is the Account section: its account's means form, filled from the last one."""
    view: AccountView | None = pane.view
    if view is None:
        pane.notify(
            "This case has no account for a means form: result a hearing first (G).",
            severity="warning",
            markup=False,
        )
        return
    screen: Any = pane.screen
    actor = pane.app.ctx.actor
    case_id = view.case_id

    def saved(message: str | None) -> None:
        if message is not None and hasattr(screen, "refresh_data"):
            screen.refresh_data()

    def found(last: MeansInfo) -> None:
        pane.app.push_screen(MeansFromLastScreen(view, last), callback=saved)

    def failed(error: Exception) -> None:
        if isinstance(error, NotFoundError):
            pane.app.push_screen(MeansFormScreen(view), callback=saved)
        else:
            pane.notify(describe_error(error), severity="error", markup=False)

    run_db(
        pane,
        lambda s: means.latest_means(s, actor, case_id=case_id),
        done=found,
        failed=failed,
        write="if_needed",
        what="reading the last means form",
    )


def open_adjustment(pane: Any) -> None:
    view: AccountView | None = pane.view
    if view is None:
        pane.notify(
            "This case has no account to adjust: result a hearing first (G).",
            severity="warning",
            markup=False,
        )
        return
    screen: Any = pane.screen

    def saved(message: str | None) -> None:
        if message is not None and hasattr(screen, "refresh_data"):
            screen.refresh_data()

    pane.app.push_screen(AdjustScreen(view), callback=saved)
