"""The Account section's money forms, each a small form with its draft kept (tui/work_log/form):
the means form (`M`: income and outgoings, the disposable income and proposed instalment worked
out as it is typed, optionally setting terms from it), a write-off (`w`) and a remission (`m`),
each posted within the officer's limit or held for a checker, the fine's increase (`+`) and a
court result (`G`: impositions, collection order, terms and next hearing, all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from sqlmodel import Session
from textual import on
from textual.widgets import Input, Select, Static

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules import means as means_rules
from caseterm.core.rules.money import (
    FREQUENCIES,
    WRITE_OFF_REASONS,
    format_pence,
    parse_amount,
)
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day, parse_when, read_day
from caseterm.core.services import court_results, fine_increase, means, money_decisions
from caseterm.core.services.accounts import AccountView
from caseterm.core.services.court_results import Imposed
from caseterm.core.services.identity import Actor
from caseterm.core.services.money_decisions import Decision, TermsAsked
from caseterm.tui.safe import content
from caseterm.tui.work_log.form import FORM_CSS, Field, SmallForm

MONEY_CSS = Path(__file__).with_name("money_forms.tcss")
PERIODS = tuple((text.capitalize(), key) for key, text in FREQUENCIES.items())
MONEY_FIELDS = {**means_rules.INCOME_FIELDS, **means_rules.OUTGOING_FIELDS}


def pence_of(text: str, field: str) -> int:
    """Pence typed in a form's figure: blank or 0 is nothing."""
    if text.strip() in ("", "0", "0.00"):
        return 0
    return parse_amount(text, field)


def _day(text: str, field: str) -> date | None:
    return parse_day(text, clock.today(), field=field) if text.strip() else None


def _day_and_time(text: str, field: str) -> tuple[date | None, time | None]:
    """A day, with a time of day if one is typed ("12/01/2027 14:00")."""
    if not text.strip():
        return None, None
    try:
        return parse_day(text, clock.today(), field=field), None
    except ValidationError:
        at = parse_when(text, clock.now(), prefer="future", field=field)
        return at.date(), at.time()


def decided_words(d: Decision) -> str:
    if d.status == "posted":
        return f"{d.what}; balance now {format_pence(d.balance_after_pence)}"
    return f"{d.what}: held for a checker as decision #{d.id} ({d.why_held})"


class MoneyForm(SmallForm):
    CSS_PATH = [FORM_CSS, MONEY_CSS]  # type: ignore[assignment]  # SmallForm names one file

    def __init__(self, view: AccountView, initial: dict[str, str], about: str) -> None:
        self.view = view
        super().__init__(key=str(view.case_id), about=about, initial=initial)


class CaseMoneyForm(SmallForm):
    """A money form for a case that may have no account yet (a court result makes one)."""

    CSS_PATH = [FORM_CSS, MONEY_CSS]  # type: ignore[assignment]  # SmallForm names one file

    def __init__(self, case_id: int, reference: str, initial: dict[str, str], about: str) -> None:
        self.case_id, self.reference = case_id, reference
        super().__init__(key=str(case_id), about=about, initial=initial)


class MeansFormScreen(MoneyForm):
    TITLE_TEXT = "Means form"
    DRAFT_KIND = "means_form"
    SAVING = "saving the means form"

    def __init__(self, view: AccountView) -> None:
        initial = {name: "" for name in MONEY_FIELDS} | {
            "frequency": "weekly",
            "dependants": "0",
            "terms_from": "",
            "instalment": "",
            "notes": "",
        }
        self.view = view
        super().__init__(view, initial, self._about_text(None))

    def _about_text(self, result: means_rules.Assessment | None) -> str:
        head = f"Balance {format_pence(self.view.balance_pence)}"
        if result is None:
            return f"{head}. Figures in pounds a week (or as chosen below); blank is nothing."
        return (
            f"{head} · income {format_pence(result.income_pence)} · out "
            f"{format_pence(result.outgoings_pence)} · disposable "
            f"{format_pence(result.disposable_pence)} · proposed "
            f"{format_pence(result.proposed_pence)} {result.frequency}"
        )

    def fields(self) -> list[Field]:
        return [
            *[
                Field(name, label, placeholder="0.00", names=(label.lower(),))
                for name, label in MONEY_FIELDS.items()
            ],
            Field("dependants", "Dependants", placeholder="0"),
            Field(
                "terms_from",
                "Set terms from",
                placeholder=f"blank: no terms now; a working day; {DAY_EXAMPLES}",
                names=("first due", "first instalment"),
            ),
            Field("instalment", "Instalment instead", placeholder="blank: the proposed one"),
            Field("frequency", "Figures are", "choice", options=PERIODS, names=("period",)),
            Field("notes", "Notes", "text"),
        ]

    def _figures(self, values: dict[str, str]) -> tuple[means_rules.Figures, str]:
        amounts = {name: pence_of(values[name], name) for name in MONEY_FIELDS}
        try:
            dependants = int(values["dependants"].strip() or "0")
        except ValueError:
            raise ValidationError("dependants", "must be a whole number") from None
        frequency = values["frequency"] or "weekly"
        return means_rules.Figures(**amounts, dependants=dependants), frequency

    @on(Input.Changed)
    @on(Select.Changed)
    def _preview(self) -> None:
        values = self.values()
        self.show_read("terms_from", read_day(values["terms_from"], clock.today()).preview)
        try:
            figures, frequency = self._figures(values)
            result = means_rules.assess(figures, frequency, self.view.balance_pence)
        except ValidationError:
            return
        self.query_one("#sf-about", Static).update(content(self._about_text(result)))

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        figures, frequency = self._figures(values)
        terms_from = _day(values["terms_from"], "terms_from")
        instalment = pence_of(values["instalment"], "instalment") or None
        case_id, notes = self.view.case_id, values["notes"]

        def run(s: Session) -> str:
            info = means.record_means(
                s,
                actor,
                case_id=case_id,
                figures=figures,
                frequency=frequency,
                notes=notes,
                terms_from=terms_from,
                instalment_pence=instalment,
            )
            text = (
                f"Means form saved: disposable {format_pence(info.disposable_pence)}, proposed "
                f"{format_pence(info.proposed_pence)} {info.frequency}"
            )
            return text + (f"; {decided_words(info.terms)}" if info.terms else "")

        return run


class WriteOffScreen(MoneyForm):
    TITLE_TEXT = "Write-off"
    DRAFT_KIND = "write_off"
    SAVING = "writing off"

    def __init__(self, view: AccountView) -> None:
        super().__init__(
            view,
            {"reason": "", "amount": f"{view.balance_pence / 100:.2f}"},
            f"Write off on {view.reference} (balance {format_pence(view.balance_pence)}). "
            "Beyond your limit it is held for a checker.",
        )

    def fields(self) -> list[Field]:
        return [
            Field(
                "reason",
                "Reason",
                "choice",
                options=tuple((text, key) for key, text in WRITE_OFF_REASONS.items()),
            ),
            Field("amount", "Amount (£)"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        if not values["reason"]:
            raise ValidationError("reason", "choose why it is written off")
        amount, code, case_id = parse_amount(values["amount"]), values["reason"], self.view.case_id
        return lambda s: decided_words(
            money_decisions.write_off(
                s, actor, case_id=case_id, reason_code=code, amount_pence=amount
            )
        )


class RemitScreen(MoneyForm):
    TITLE_TEXT = "Remission"
    DRAFT_KIND = "remission"
    SAVING = "remitting"

    def __init__(self, view: AccountView) -> None:
        super().__init__(
            view,
            {"amount": "", "reason": ""},
            f"Remit part of what {view.reference} owes ({format_pence(view.balance_pence)}). "
            "Beyond your limit it is held for a checker.",
        )

    def fields(self) -> list[Field]:
        return [
            Field("amount", "Amount (£)"),
            Field("reason", "Reason", placeholder="why (required)"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        amount, reason, case_id = (
            parse_amount(values["amount"]),
            values["reason"],
            self.view.case_id,
        )
        return lambda s: decided_words(
            money_decisions.remit(s, actor, case_id=case_id, amount_pence=amount, reason=reason)
        )


class IncreaseScreen(MoneyForm):
    TITLE_TEXT = "Increase of the fine"
    DRAFT_KIND = "fine_increase"
    SAVING = "increasing the fine"

    def __init__(self, view: AccountView) -> None:
        fine = next((line for line in view.lines if line.kind == "fine"), None)
        about = (
            f"Increase the fine on {view.reference} on default"
            + (f" (imposed {format_pence(fine.imposed_pence)})" if fine else "")
            + ": up to 50% of the fine, on the fine only."
        )
        super().__init__(view, {"percent": "", "amount": "", "reason": ""}, about)

    def fields(self) -> list[Field]:
        return [
            Field("percent", "Per cent of the fine", placeholder="e.g. 50"),
            Field("amount", "or an amount (£)"),
            Field("reason", "Reason", placeholder="the default it follows (required)"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        percent = None
        if values["percent"].strip():
            try:
                percent = int(values["percent"].strip().rstrip("%"))
            except ValueError:
                raise ValidationError("percent", "must be a whole number, e.g. 50") from None
        amount = parse_amount(values["amount"]) if values["amount"].strip() else None
        reason, case_id = values["reason"], self.view.case_id

        def run(s: Session) -> str:
            done = fine_increase.increase_fine(
                s, actor, case_id=case_id, reason=reason, percent=percent, amount_pence=amount
            )
            return (
                f"Fine increased by {format_pence(done.amount_pence)}; balance now "
                f"{format_pence(done.balance_after_pence)}"
            )

        return run


def read_impositions(text: str) -> list[Imposed]:
    """ "fine 200, costs 85 @ CPS, victim_surcharge 20" → the impositions."""
    out = []
    for n, part in enumerate((p for p in text.split(",") if p.strip()), 1):
        what, _, creditor = part.partition("@")
        bits = what.split()
        if len(bits) != 2:
            raise ValidationError(
                "impositions", f"{part.strip()!r}: write each as KIND AMOUNT [@ CREDITOR]"
            )
        out.append(Imposed(bits[0], parse_amount(bits[1], f"imposition {n} amount"), creditor))
    return out


class CourtResultScreen(CaseMoneyForm):
    TITLE_TEXT = "Court result"
    DRAFT_KIND = "court_result"
    SAVING = "posting the result"

    def __init__(self, case_id: int, reference: str) -> None:
        super().__init__(
            case_id,
            reference,
            {
                "hearing": "today",
                "court": "",
                "impositions": "",
                "collection_order": "yes",
                "by": "",
                "start": "",
                "instalment": "",
                "frequency": "monthly",
                "next_hearing": "",
                "notes": "",
            },
            f"Result a hearing on {reference}: posted all together or not at all.",
        )

    def fields(self) -> list[Field]:
        return [
            Field("hearing", "Hearing date", names=("hearing date",)),
            Field("court", "Court"),
            Field(
                "impositions",
                "Impositions",
                placeholder="fine 200, costs 85 @ CPS, victim_surcharge 20",
            ),
            Field(
                "collection_order",
                "Collection order",
                "choice",
                options=(("Made", "yes"), ("Not made", "no")),
            ),
            Field("by", "Pay in full by", placeholder="a date, or instalments below"),
            Field("start", "Instalments from", names=("first due",)),
            Field("instalment", "Instalment (£)"),
            Field("frequency", "Every", "choice", options=PERIODS),
            Field(
                "next_hearing",
                "Next hearing",
                placeholder="day [time]: booked in the diary",
                names=("next hearing",),
            ),
            Field("notes", "Notes", "text"),
        ]

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        hearing = parse_day(values["hearing"], clock.today(), prefer="past", field="hearing")
        items = read_impositions(values["impositions"])
        by, start = _day(values["by"], "by"), _day(values["start"], "start")
        terms = None
        if by is not None:
            terms = TermsAsked("by_date", by)
        elif start is not None:
            terms = TermsAsked(
                "instalments",
                start,
                pence_of(values["instalment"], "instalment"),
                values["frequency"] or "monthly",
            )
        next_hearing, next_time = _day_and_time(values["next_hearing"], "next_hearing")
        case_id, court, notes = self.case_id, values["court"], values["notes"]
        order = values["collection_order"] != "no"

        def run(s: Session) -> str:
            info = court_results.result_hearing(
                s,
                actor,
                case_id=case_id,
                hearing_on=hearing,
                impositions=items,
                court=court,
                collection_order=order,
                terms=terms,
                next_hearing_on=next_hearing,
                next_hearing_time=next_time,
                notes=notes,
            )
            return (
                f"Result posted: {format_pence(info.imposed_pence)} imposed; balance "
                f"{format_pence(info.balance_pence)}"
            ) + _booked_words(info.next_hearing_at, info.next_hearing_with)

        return run


def _booked_words(at: datetime | None, who: str) -> str:
    return f"; next hearing {at:%a %d/%m/%Y %H:%M} in {who}'s diary" if at else ""
