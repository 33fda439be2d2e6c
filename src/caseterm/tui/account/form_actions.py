"""Opening the Account section's money forms from its keys: the form for the account shown
when the key was pressed, then the case read again once it is saved."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

NEEDS_ACCOUNT = {
    "means": "a means form",
    "write_off": "a write-off",
    "remit": "a remission",
    "increase": "an increase of the fine",
    "terms": "payment terms",
}


def open_money_form(pane: Any, which: str) -> None:
    """`pane` is the Account section (its `view` is the account shown, or None)."""
    from caseterm.tui.account import forms

    screen: Any = pane.screen
    view = pane.view
    form: Screen[str | None]
    if which == "court_result":
        case_id = getattr(screen, "case_id", None)
        case_view = getattr(screen, "view", None)
        if case_id is None or case_view is None:
            return
        form = forms.CourtResultScreen(case_id, case_view.case.reference)
    elif view is None:
        pane.notify(
            f"This case has no account for {NEEDS_ACCOUNT[which]}: result a hearing first (G).",
            severity="warning",
            markup=False,
        )
        return
    elif which == "means":
        form = forms.MeansFormScreen(view)
    elif which == "write_off":
        form = forms.WriteOffScreen(view)
    elif which == "remit":
        form = forms.RemitScreen(view)
    elif which == "terms":
        from caseterm.core.errors import ValidationError
        from caseterm.core.rules import money_decisions
        from caseterm.tui.account.terms_form import TermsScreen

        roles = pane.app.ctx.actor.roles
        try:  # the limits in force (the config file's may be refused: said when saving)
            months = money_decisions.limit_for(roles, money_decisions.limits().terms_months)
        except ValidationError:
            months = None
        form = TermsScreen(view, months)
    else:
        form = forms.IncreaseScreen(view)

    def saved(message: str | None) -> None:
        if message is not None and hasattr(screen, "refresh_data"):
            screen.refresh_data()

    pane.app.push_screen(form, callback=saved)
