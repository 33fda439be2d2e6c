"""Money forms: the means form, a court result, decisions held for a checker, a fine's
increase."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from caseterm.core.rules.means import Figures
from caseterm.core.services import (
    court_results,
    fine_increase,
    ledger,
    means,
    money_decision_checks,
    money_decisions,
)
from caseterm.core.services.court_results import Imposed
from caseterm.core.services.money_decisions import TermsAsked
from tests.audit_scenarios import audited, part, reads
from tests.factories import World


def _account(w: World) -> int:
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=20_000)
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="costs", amount_pence=8_500)
    return w.case.id or 0


def _held(w: World) -> int:
    case_id = _account(w)
    with w.db.write() as s:
        held = money_decisions.write_off(s, w.worker, case_id=case_id, reason_code="deceased")
    assert held.id is not None
    return held.id


reads("means", "latest_means")
reads("money_decision_checks", "decisions_awaiting", "case_decisions")
reads("money_decision_posting", "account_case", "live_balance", "describe", "outcome")
part("money_decision_posting", "decide", "posts or holds write_off/remit/adjust/vary_terms")
part("money_decision_posting", "post_approved", "posts a held decision for approve_decision")
reads("fine_increase")


@audited("means", "record_means", "account.means", _account)
def _means(s: Session, w: World, case_id: int) -> None:
    means.record_means(s, w.worker, case_id=case_id, figures=Figures(wages=30_000, food=5_000))


@audited("money_decisions", "write_off", "account.write_off", _account)
def _write_off(s: Session, w: World, case_id: int) -> None:
    money_decisions.write_off(
        s, w.worker, case_id=case_id, reason_code="under_10", amount_pence=900
    )


@audited("money_decisions", "remit", "account.decision_held", _account)
def _remit(s: Session, w: World, case_id: int) -> None:
    money_decisions.remit(s, w.clerk, case_id=case_id, amount_pence=500, reason="hardship")


@audited("money_decisions", "vary_terms", "account.terms", _account)
def _vary(s: Session, w: World, case_id: int) -> None:
    money_decisions.vary_terms(
        s,
        w.worker,
        case_id=case_id,
        asked=TermsAsked("instalments", date(2026, 12, 1), 5_000, "monthly"),
    )


@audited("money_decision_checks", "approve_decision", "account.decision_approve", _held)
def _approve(s: Session, w: World, decision_id: int) -> None:
    money_decision_checks.approve_decision(s, w.manager, decision_id=decision_id)


@audited("money_decision_checks", "reject_decision", "account.decision_reject", _held)
def _reject(s: Session, w: World, decision_id: int) -> None:
    money_decision_checks.reject_decision(s, w.manager, decision_id=decision_id, reason="no proof")


@audited("money_decisions", "adjust", "account.adjust", _account)
def _adjust(s: Session, w: World, case_id: int) -> None:
    money_decisions.adjust(s, w.manager, case_id=case_id, amount_pence=-500, reason="court fee")


@audited("fine_increase", "increase_fine", "account.increase", _account)
def _increase(s: Session, w: World, case_id: int) -> None:
    fine_increase.increase_fine(s, w.worker, case_id=case_id, percent=10, reason="default")


@audited("court_results", "result_hearing", "account.result")
def _result(s: Session, w: World, _: Any) -> None:
    court_results.result_hearing(
        s,
        w.clerk,
        case_id=w.case.id or 0,
        hearing_on=date(2026, 11, 20),
        impositions=[Imposed("fine", 10_000), Imposed("costs", 8_500)],
    )


# Payment terms asked for on their own (the terms form, `account terms`): through vary_terms.
@audited("terms_requests", "ask_terms", "account.terms", _account)
def _ask_terms(s: Session, w: World, case_id: int) -> None:
    from caseterm.core.services import terms_requests

    terms_requests.ask_terms(
        s,
        w.worker,
        case_id=case_id,
        asked=TermsAsked("instalments", date(2026, 12, 1), 5_000, "monthly"),
    )
