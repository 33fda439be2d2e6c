"""The Account section's payment terms form (`t`): pay in full by a date, or an instalment
weekly, fortnightly or monthly from a first date (with an optional lump sum), and the reason when
terms already exist. As it is typed it reads the date back (a weekend or bank holiday is flagged
with the next working day, which the service insists on) and works out when the terms pay off.
Within the officer's limit of months the terms are set at once; beyond it they are held for a
checker (`terms_requests.ask_terms`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session
from textual import on
from textual.widgets import Input, Select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules import terms as terms_rules
from caseterm.core.rules.money import format_pence, parse_amount
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day, read_day
from caseterm.core.services import terms_requests
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decisions import TermsAsked
from caseterm.tui.account.forms import PERIODS, MoneyForm, decided_words, pence_of
from caseterm.tui.work_log.form import Field

HOW = (("Instalments", "instalments"), ("Pay in full by a date", "by_date"))


class TermsScreen(MoneyForm):
    TITLE_TEXT = "Payment terms"
    DRAFT_KIND = "payment_terms"
    SAVING = "setting the terms"

    def __init__(self, view: AccountView, limit_months: int | None = None) -> None:
        now = view.terms.describe() if view.terms else "none set"
        limit = f"your limit of {limit_months} months" if limit_months is not None else "your limit"
        super().__init__(
            view,
            {
                "how": "instalments",
                "instalment": f"{view.next_due_pence / 100:.2f}" if view.next_due_pence else "",
                "frequency": view.terms.frequency if view.terms else "monthly",
                "first": "",
                "lump_sum": "",
                "reason": "",
            },
            f"Terms for {view.reference} (balance {format_pence(view.balance_pence)}; now: "
            f"{now}). Paid off beyond {limit}, they are held for a checker.",
        )

    def fields(self) -> list[Field]:
        return [
            Field("how", "Terms", "choice", options=HOW, names=("kind",)),
            Field("instalment", "Instalment (£)", placeholder="each instalment, e.g. 25"),
            Field("frequency", "Every", "choice", options=PERIODS),
            Field(
                "first",
                "From / pay by",
                placeholder=f"a working day; {DAY_EXAMPLES}",
                names=("first instalment", "pay by", "first due"),
            ),
            Field("lump_sum", "Lump sum (£)", placeholder="blank: none", names=("lump sum",)),
            Field("reason", "Reason", placeholder="why they change (needed if terms exist)"),
        ]

    def _asked(self, values: dict[str, str]) -> TermsAsked:
        how = values["how"] or "instalments"
        if not values["first"].strip():
            raise ValidationError("first", "give the first instalment date, or the date to pay by")
        first = parse_day(values["first"], clock.today(), field="first")
        if how == "by_date":
            return TermsAsked("by_date", first)
        if not values["instalment"].strip():
            raise ValidationError("instalment", "is required for instalments")
        return TermsAsked(
            "instalments",
            first,
            parse_amount(values["instalment"], "instalment"),
            values["frequency"] or "monthly",
            pence_of(values["lump_sum"], "lump_sum"),
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _preview(self) -> None:
        values = self.values()
        self.show_read("first", read_day(values["first"], clock.today()).preview)
        try:
            asked = self._asked(values)
            dues = terms_rules.schedule(
                terms_rules.Terms(
                    kind=asked.kind,
                    instalment_pence=asked.instalment_pence,
                    frequency=asked.frequency,
                    first_due=asked.first_due,
                    pay_by=asked.first_due if asked.kind == "by_date" else None,
                    lump_sum_pence=asked.lump_sum_pence,
                ),
                self.view.balance_pence,
            )
        except ValidationError as exc:
            self.say(f"{exc.field}: {exc.reason}" if values["first"].strip() else "")
            return
        if dues:
            self.say(f"Paid off by {dues[-1].on:%d/%m/%Y}: {len(dues)} payment(s)")

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        asked, reason, case_id = self._asked(values), values["reason"], self.view.case_id
        return lambda s: decided_words(
            terms_requests.ask_terms(s, actor, case_id=case_id, asked=asked, reason=reason)
        )
