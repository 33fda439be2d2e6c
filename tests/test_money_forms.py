"""The means form, a court result posted all or nothing, money decisions held for a checker
beyond the officer's limit, and the fine's increase (up to 50%, the fine only): exact pence,
every refusal, and nothing written when refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import (
    CourtResult,
    Imposition,
    MeansAssessment,
    MoneyDecision,
    Payment,
    PaymentTerms,
)
from caseterm.core.rules import means as means_rules
from caseterm.core.rules import money_decisions as limit_rules
from caseterm.core.rules.means import Figures
from caseterm.core.services import (
    accounts,
    court_results,
    fine_increase,
    ledger,
    means,
    money_decision_checks,
    money_decisions,
    staff,
)
from caseterm.core.services.court_results import Imposed
from caseterm.core.services.identity import Actor, resolve_actor
from caseterm.core.services.money_decisions import TermsAsked
from tests.factories import World

FINE, COSTS, SURCHARGE = 82_000, 62_000, 8_200
TOTAL = FINE + COSTS + SURCHARGE

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _account(world: World) -> int:
    case_id = world.case.id or 0
    with world.db.write() as s:
        for kind, pence in (("fine", FINE), ("costs", COSTS), ("victim_surcharge", SURCHARGE)):
            ledger.add_imposition(s, world.clerk, case_id=case_id, kind=kind, amount_pence=pence)
    return case_id


def _ledger(world: World) -> list[tuple[str, int, int | None]]:
    with world.db.read() as s:
        rows = s.exec(select(Payment).order_by(col(Payment.id))).all()
    return [(r.kind, r.amount_pence, r.created_by_id) for r in rows]


def _checker(world: World) -> Actor:
    with world.db.write() as s:
        staff.add_staff(
            s,
            world.admin,
            login="chk",
            name="Chris Checker",
            roles=["checker"],
            team_code="PRE-OM",
        )
    with world.db.read() as s:
        return resolve_actor(s, "chk")


# The means form ------------------------------------------------------------------------------


WEEKLY = Figures(
    wages=30_000,
    housing=12_000,
    council_tax=2_500,
    utilities=3_000,
    food=6_000,
    travel=1_500,
    debts=1_000,
    dependants=1,
)


def test_a_weekly_means_form_proposes_half_the_disposable_income_in_whole_pounds() -> None:
    a = means_rules.assess(WEEKLY, "weekly", TOTAL)
    # £300 in; £260 out plus £20 for one dependant: £20 disposable, half is £10.
    assert (a.income_pence, a.outgoings_pence, a.dependants_allowance_pence) == (
        30_000,
        28_000,
        2_000,
    )
    assert (a.disposable_pence, a.proposed_pence) == (2_000, 1_000)


def test_a_monthly_form_converts_the_weekly_allowances() -> None:
    figures = Figures(
        wages=130_000,
        housing=50_000,
        council_tax=12_000,
        utilities=15_000,
        food=25_000,
        travel=5_000,
        dependants=2,
    )
    a = means_rules.assess(figures, "monthly", TOTAL)
    # £20 a week is £86.66 a month (52/12, rounded down) each: £173.32 for two.
    assert a.dependants_allowance_pence == 17_332
    assert a.disposable_pence == 130_000 - 107_000 - 17_332 == 5_668
    assert a.proposed_pence == 2_800  # half is £28.34, down to whole pounds


def test_no_disposable_income_proposes_the_minimum_and_never_more_than_owed() -> None:
    assert means_rules.assess(Figures(housing=10_000), "weekly", TOTAL).proposed_pence == 500
    assert means_rules.assess(Figures(housing=10_000), "monthly", TOTAL).proposed_pence == 2_166
    assert means_rules.assess(Figures(wages=900_000), "weekly", 3_000).proposed_pence == 3_000


def test_the_means_rule_is_data() -> None:
    rule = means_rules.load_means_rule("share_percent = 100\nround_to_pence = 1\n")
    assert means_rules.assess(Figures(wages=1_234), "weekly", TOTAL, rule).proposed_pence == 1_234
    with pytest.raises(ValidationError, match="share_percent must be from 1 to 100"):
        means_rules.load_means_rule("share_percent = 0\n")


def test_bad_figures_are_refused_naming_the_field(world: World) -> None:
    case_id = _account(world)
    with (
        pytest.raises(ValidationError, match=r"^rent or mortgage: must not be negative$"),
        world.db.write() as s,
    ):
        means.record_means(s, world.worker, case_id=case_id, figures=Figures(housing=-1))
    with (
        pytest.raises(ValidationError, match=r"^dependants: must be from 0 to 20$"),
        world.db.write() as s,
    ):
        means.record_means(s, world.worker, case_id=case_id, figures=Figures(dependants=21))
    with pytest.raises(ValidationError, match="period: unknown 'daily'"), world.db.write() as s:
        means.record_means(s, world.worker, case_id=case_id, figures=WEEKLY, frequency="daily")
    with world.db.read() as s:
        assert s.exec(select(func.count()).select_from(MeansAssessment)).one() == 0


def test_a_means_form_is_saved_and_linked_to_the_terms_it_led_to(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        info = means.record_means(
            s,
            world.worker,
            case_id=case_id,
            figures=Figures(wages=60_000, housing=20_000, food=10_000),
            frequency="weekly",
            notes="by phone",
            terms_from=date(2026, 11, 30),
        )
    # £300 disposable a week: £150 proposed; £1,522 paid off in 11 weeks, within the limit.
    assert (info.disposable_pence, info.proposed_pence) == (30_000, 15_000)
    assert info.terms is not None and info.terms.status == "posted"
    with world.db.read() as s:
        row = s.exec(select(MeansAssessment)).one()
        terms = s.exec(select(PaymentTerms).where(col(PaymentTerms.active))).one()
    assert row.terms_id == terms.id == info.terms.terms_id
    assert (terms.instalment_pence, terms.frequency, terms.first_due) == (
        15_000,
        "weekly",
        date(2026, 11, 30),
    )
    assert terms.reason == f"means form #{row.id}"
    with world.db.read() as s:
        latest = means.latest_means(s, world.clerk, case_id=case_id)
    assert latest.figures.wages == 60_000 and latest.terms_id == terms.id


def test_terms_from_a_means_form_beyond_the_limit_are_held_then_linked_on_approval(
    world: World,
) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        # Nothing disposable: the £5 minimum a week takes years, over a caseworker's 24 months.
        info = means.record_means(
            s,
            world.worker,
            case_id=case_id,
            figures=Figures(benefits=10_000, food=10_000),
            terms_from=date(2026, 11, 30),
        )
    assert info.terms is not None and info.terms.status == "pending"
    assert "over your limit of 24 months" in info.terms.why_held
    with world.db.read() as s:
        assert s.exec(select(PaymentTerms)).all() == []
        assert s.exec(select(MeansAssessment)).one().terms_id is None
    with world.db.write() as s:
        done = money_decision_checks.approve_decision(
            s, world.manager, decision_id=info.terms.id or 0
        )
    with world.db.read() as s:
        terms = s.exec(select(PaymentTerms)).one()
        assert s.exec(select(MeansAssessment)).one().terms_id == terms.id == done.terms_id
    assert (terms.instalment_pence, terms.created_by_id) == (500, world.worker.id)


# Decisions held for a checker ----------------------------------------------------------------


def test_a_write_off_within_the_limit_is_posted_at_once(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        done = money_decisions.write_off(
            s, world.worker, case_id=case_id, reason_code="untraceable", amount_pence=5_000
        )
    assert (done.status, done.id, done.balance_after_pence) == ("posted", None, TOTAL - 5_000)
    assert _ledger(world) == [("write_off", 5_000, world.worker.id)]


def test_a_write_off_beyond_the_limit_waits_for_a_checker_who_is_not_the_maker(
    world: World,
) -> None:
    case_id = _account(world)
    checker = _checker(world)
    with world.db.write() as s:
        held = money_decisions.write_off(s, world.worker, case_id=case_id, reason_code="deceased")
    assert held.status == "pending" and held.txn_id is None
    assert held.why_held == "£1,522.00 is over your limit of £50.00"
    assert _ledger(world) == []
    with world.db.read() as s:
        rows = money_decision_checks.decisions_awaiting(s, checker)
        assert [(r.id, r.label, r.what) for r in rows] == [
            (held.id, "Write-off", "write off £1,522.00 (Deceased)")
        ]
        assert money_decision_checks.decisions_awaiting(s, world.manager)[0].id == held.id
    with (
        pytest.raises(
            PermissionDeniedError,
            match="may not approve write-offs, remissions and term changes held for a checker",
        ),
        world.db.write() as s,
    ):
        money_decision_checks.approve_decision(s, world.worker, decision_id=held.id or 0)
    with world.db.write() as s:
        done = money_decision_checks.approve_decision(s, checker, decision_id=held.id or 0)
    assert (done.status, done.checker, done.balance_after_pence) == ("approved", "Chris Checker", 0)
    assert _ledger(world) == [("write_off", TOTAL, world.worker.id)]
    with (
        pytest.raises(ValidationError, match=f"#{held.id} is approved already"),
        world.db.write() as s,
    ):
        money_decision_checks.approve_decision(s, world.manager, decision_id=held.id or 0)


def test_the_maker_never_checks_their_own_decision(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tight = limit_rules.load_limits("[write_off]\nmanager = 100\n")
    monkeypatch.setattr(limit_rules, "limits", lambda: tight)
    case_id = _account(world)
    with world.db.write() as s:
        held = money_decisions.write_off(
            s, world.manager, case_id=case_id, reason_code="remitted", amount_pence=200
        )
    with world.db.read() as s:
        assert money_decision_checks.decisions_awaiting(s, world.manager) == []
    with (
        pytest.raises(PermissionDeniedError, match="cannot check their own decision"),
        world.db.write() as s,
    ):
        money_decision_checks.approve_decision(s, world.manager, decision_id=held.id or 0)
    assert _ledger(world) == []


def test_a_rejected_decision_posts_nothing_and_keeps_the_reason(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        held = money_decisions.remit(
            s, world.clerk, case_id=case_id, amount_pence=1_000, reason="hardship"
        )
    assert held.why_held == "£10.00 is over your limit of £0.00"
    with pytest.raises(ValidationError, match=r"^reason: is required$"), world.db.write() as s:
        money_decision_checks.reject_decision(
            s, world.manager, decision_id=held.id or 0, reason=" "
        )
    with world.db.write() as s:
        done = money_decision_checks.reject_decision(
            s, world.manager, decision_id=held.id or 0, reason="no evidence of hardship"
        )
    assert (done.status, done.decision_reason) == ("rejected", "no evidence of hardship")
    assert _ledger(world) == []
    with world.db.read() as s:
        assert [
            d.status for d in money_decision_checks.case_decisions(s, world.clerk, case_id=case_id)
        ] == ["rejected"]


def test_approval_checks_the_account_again(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        held = money_decisions.write_off(s, world.worker, case_id=case_id, reason_code="deceased")
        ledger.take_payment(s, world.clerk, case_id=case_id, amount_pence=10_000, method="cash")
    with (
        pytest.raises(ValidationError, match=r"£1,522.00 is more than the balance £1,422.00"),
        world.db.write() as s,
    ):
        money_decision_checks.approve_decision(s, world.manager, decision_id=held.id or 0)
    with world.db.read() as s:
        assert s.get(MoneyDecision, held.id).status == "pending"  # type: ignore[union-attr]


def test_a_remission_within_the_limit_reduces_what_is_owed(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        done = money_decisions.remit(
            s, world.worker, case_id=case_id, amount_pence=2_500, reason="hardship"
        )
    assert (done.status, done.balance_after_pence) == ("posted", TOTAL - 2_500)
    with world.db.read() as s:
        row = s.exec(select(Payment)).one()
    assert (row.kind, row.amount_pence, row.reference, row.reason) == (
        "adjustment",
        2_500,
        "remission",
        "hardship",
    )


def test_terms_within_the_limit_are_set_beyond_it_held(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        quick = money_decisions.vary_terms(
            s,
            world.worker,
            case_id=case_id,
            asked=TermsAsked("instalments", date(2026, 12, 1), 10_000, "monthly"),
        )
    assert quick.status == "posted"  # 16 instalments: paid off 01/03/2028, 16 months
    with (
        pytest.raises(ValidationError, match=r"^reason: is required to change payment terms"),
        world.db.write() as s,
    ):
        money_decisions.vary_terms(
            s,
            world.worker,
            case_id=case_id,
            asked=TermsAsked("instalments", date(2026, 12, 1), 2_000, "monthly"),
        )
    with world.db.write() as s:
        slow = money_decisions.vary_terms(
            s,
            world.worker,
            case_id=case_id,
            asked=TermsAsked("instalments", date(2026, 12, 1), 2_000, "monthly"),
            reason="lost job",
        )
    assert slow.status == "pending"
    assert slow.why_held == "the terms take 77 months to pay off, over your limit of 24 months"
    with world.db.read() as s:
        active = s.exec(select(PaymentTerms).where(col(PaymentTerms.active))).one()
    assert active.instalment_pence == 10_000


def test_limits_are_data_per_role() -> None:
    rules = limit_rules.load_limits("[write_off]\ncaseworker = 700\nchecker = 900\n")
    assert limit_rules.over_amount("write_off", frozenset({"caseworker"}), 700, rules) == ""
    assert (
        limit_rules.over_amount("write_off", frozenset({"caseworker", "checker"}), 900, rules) == ""
    )
    assert (
        limit_rules.over_amount("remission", frozenset({"caseworker"}), 1, rules)
        == "£0.01 is over your limit of £0.00"
    )


# The fine's increase -------------------------------------------------------------------------


def test_the_fine_is_increased_by_up_to_half_and_no_more(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        first = fine_increase.increase_fine(
            s, world.worker, case_id=case_id, percent=30, reason="second default"
        )
    assert (first.amount_pence, first.most_pence) == (24_600, 41_000)
    assert first.balance_after_pence == TOTAL + 24_600
    with (
        pytest.raises(
            ValidationError,
            match=r"^increase: £205.00 would take the increases past 50% of the fine \(£410.00\); "
            r"£164.00 may still be added$",
        ),
        world.db.write() as s,
    ):
        fine_increase.increase_fine(
            s, world.worker, case_id=case_id, percent=25, reason="third default"
        )
    with world.db.write() as s:
        second = fine_increase.increase_fine(
            s, world.worker, case_id=case_id, amount_pence=16_400, reason="third default"
        )
    assert second.increased_so_far_pence == 41_000
    view = _view(world)
    fine = next(line for line in view.lines if line.kind == "fine")
    assert fine.outstanding_pence == FINE + 41_000
    assert [(k, a) for k, a, _ in _ledger(world)] == [
        ("adjustment", -24_600),
        ("adjustment", -16_400),
    ]


def test_an_increase_reversed_no_longer_counts(world: World) -> None:
    case_id = _account(world)
    with world.db.write() as s:
        up = fine_increase.increase_fine(
            s, world.worker, case_id=case_id, percent=50, reason="default"
        )
        ledger.reverse_transaction(s, world.manager, txn_id=up.txn_id, reason="made in error")
    with world.db.write() as s:
        again = fine_increase.increase_fine(
            s, world.worker, case_id=case_id, percent=50, reason="default"
        )
    assert again.increased_so_far_pence == 41_000


def _view(world: World) -> accounts.AccountView:
    with world.db.write() as s:
        return accounts.show_account(s, world.clerk, reference_or_id=world.case.id or 0)


def test_an_increase_applies_to_the_fine_only(world: World) -> None:
    case_id = _account(world)
    with world.db.read() as s:
        costs = s.exec(select(Imposition).where(Imposition.kind == "costs")).one()
    with (
        pytest.raises(
            ValidationError,
            match=r"^imposition: an increase applies to the fine only, not to costs$",
        ),
        world.db.write() as s,
    ):
        fine_increase.increase_fine(
            s, world.worker, case_id=case_id, percent=10, reason="x", imposition_id=costs.id
        )
    with (
        pytest.raises(PermissionDeniedError, match="may not increase a fine on default"),
        world.db.write() as s,
    ):
        fine_increase.increase_fine(s, world.desk, case_id=case_id, percent=10, reason="x")
    assert _ledger(world) == []


# A court result ------------------------------------------------------------------------------


def test_a_court_result_posts_impositions_terms_and_next_hearing_together(world: World) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        info = court_results.result_hearing(
            s,
            world.clerk,
            case_id=case_id,
            hearing_on=date(2026, 11, 20),
            court="Preston Magistrates' Court",
            impositions=[
                Imposed("fine", FINE),
                Imposed("costs", COSTS, "Crown Prosecution Service"),
                Imposed("victim_surcharge", SURCHARGE),
            ],
            collection_order=True,
            terms=TermsAsked("instalments", date(2026, 12, 18), 5_000, "monthly"),
            next_hearing_on=date(2027, 3, 1),
        )
    assert (info.imposed_pence, info.balance_pence, len(info.imposition_ids)) == (
        TOTAL,
        TOTAL,
        3,
    )
    assert info.terms is not None and info.terms.instalment_pence == 5_000
    with world.db.read() as s:
        result = s.exec(select(CourtResult)).one()
        imposed = s.exec(select(Imposition).order_by(col(Imposition.id))).all()
    assert result.imposition_ids == ",".join(str(i.id) for i in imposed)
    assert (result.next_hearing_on, result.collection_order, result.terms_id) == (
        date(2027, 3, 1),
        True,
        info.terms.id,
    )
    assert [(i.kind, i.creditor, i.imposed_on) for i in imposed][1] == (
        "costs",
        "Crown Prosecution Service",
        date(2026, 11, 20),
    )


@pytest.mark.parametrize(
    ("impositions", "terms", "message"),
    [
        ([Imposed("fine", FINE), Imposed("costs", 0)], None, "imposition 2 amount: must be more"),
        (
            [Imposed("fine", FINE), Imposed("bribe", 100)],
            None,
            "imposition 2 kind: unknown 'bribe'",
        ),
        ([], None, "impositions: at least one is required"),
        (
            [Imposed("fine", FINE)],
            TermsAsked("instalments", date(2026, 12, 1), 100, "monthly"),
            "instalment: too small",
        ),
    ],
)
def test_a_bad_court_result_posts_nothing(
    world: World, impositions: list[Imposed], terms: TermsAsked | None, message: str
) -> None:
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        court_results.result_hearing(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            hearing_on=date(2026, 11, 20),
            impositions=impositions,
            terms=terms,
        )
    with world.db.read() as s:
        assert s.exec(select(Imposition)).all() == []
        assert s.exec(select(CourtResult)).all() == []
        assert s.exec(select(PaymentTerms)).all() == []
