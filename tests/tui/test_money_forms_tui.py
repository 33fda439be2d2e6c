"""The Account section's money forms with Pilot, asserted in the database: the means form (`M`)
linked to the terms it set, a write-off beyond the officer's limit (`w`) held, then approved in
Checks awaiting me (`K`, `A`) by someone else, the fine's increase (`+`) and a court result
(`G`) on a case with no account yet."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Input, Select

from caseterm.core.models import (
    CourtResult,
    Imposition,
    MeansAssessment,
    MoneyDecision,
    Payment,
    PaymentTerms,
)
from caseterm.core.services import ledger
from caseterm.tui.account import forms
from caseterm.tui.letters.checks_screen import ChecksScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for


def _account(tw: TuiWorld) -> int:
    w = tw.world
    case_id = w.case.id or 0
    with w.db.write() as s:
        for kind, pence in (("fine", 40_000), ("costs", 8_500), ("victim_surcharge", 4_000)):
            ledger.add_imposition(s, w.clerk, case_id=case_id, kind=kind, amount_pence=pence)
    return case_id


def _fill(screen: object, **values: str) -> None:
    for name, value in values.items():
        widget = screen.query_one(f"#sf-{name}")  # type: ignore[attr-defined]
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


async def test_a_means_form_sets_the_terms_it_proposes(tui_world: TuiWorld) -> None:
    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await press(pilot, "8")
        await settle(pilot)
        await press(pilot, "M")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.MeansFormScreen), 5)
        await settle(pilot)
        _fill(app.screen, wages="300", housing="120", food="60", terms_from="30/11/2026")
        await settle(pilot)
        # £120 disposable a week: £60 proposed, worked out as it is typed.
        await wait_for(
            pilot, lambda: "disposable £120.00 · proposed £60.00 weekly" in screen_text(app), 5
        )
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
        await wait_for(pilot, lambda: "£60.00 weekly from 30/11/2026" in screen_text(app), 5)
    with tui_world.db.read() as s:
        means = s.exec(select(MeansAssessment)).one()
        terms = s.exec(select(PaymentTerms)).one()
    assert (means.disposable_pence, means.proposed_pence, means.wages_pence) == (
        12_000,
        6_000,
        30_000,
    )
    assert means.terms_id == terms.id and terms.instalment_pence == 6_000
    assert means.created_by_id == tui_world.world.worker.id


async def test_a_write_off_beyond_the_limit_waits_for_a_checker(tui_world: TuiWorld) -> None:
    case_id = _account(tui_world)
    w = tui_world.world
    app = tui_world.app(w.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "8")
        await settle(pilot)
        await press(pilot, "w")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.WriteOffScreen), 5)
        await settle(pilot)
        _fill(app.screen, reason="deceased")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
    with tui_world.db.read() as s:
        decision = s.exec(select(MoneyDecision)).one()
        assert s.exec(select(Payment)).all() == []
    assert (decision.status, decision.amount_pence, decision.maker_id) == (
        "pending",
        52_500,
        w.worker.id,
    )
    checker = tui_world.app(w.manager)
    async with checker.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "K")
        await settle(pilot)
        assert isinstance(checker.screen, ChecksScreen)
        table = checker.screen.query_one("#money-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        assert "write off £525.00 (Deceased)" in screen_text(checker)
        await press(pilot, "A")
        await settle(pilot)
        await wait_for(pilot, lambda: table.count == 0, 5)
    with tui_world.db.read() as s:
        rows = s.exec(select(Payment)).all()
        decided = s.get(MoneyDecision, decision.id)
    assert [(r.kind, r.amount_pence, r.created_by_id) for r in rows] == [
        ("write_off", 52_500, w.worker.id)
    ]
    assert decided is not None and (decided.status, decided.checker_id) == (
        "approved",
        w.manager.id,
    )


async def test_increase_the_fine_by_half(tui_world: TuiWorld) -> None:
    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "8")
        await settle(pilot)
        await press(pilot, "plus")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.IncreaseScreen), 5)
        await settle(pilot)
        _fill(app.screen, percent="60", reason="second default")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "past 50% of the fine" in screen_text(app), 5)
        _fill(app.screen, percent="50")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
    with tui_world.db.read() as s:
        row = s.exec(select(Payment)).one()
    assert (row.kind, row.amount_pence, row.reference, row.reason) == (
        "adjustment",
        -20_000,
        "increase",
        "second default",
    )


async def test_a_court_result_makes_the_account(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await settle(pilot)
        await press(pilot, "8")
        await settle(pilot)
        await press(pilot, "G")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.CourtResultScreen), 5)
        await settle(pilot)
        _fill(
            app.screen,
            hearing="20/11/2026",
            impositions="fine 200, costs 85 @ CPS, bribe 5",
            start="18/12/2026",
            instalment="25",
        )
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "imposition 3 kind: unknown 'bribe'" in screen_text(app), 5)
        _fill(app.screen, impositions="fine 200, costs 85 @ CPS")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
        await wait_for(pilot, lambda: "Owes £285.00" in screen_text(app), 5)
    with tui_world.db.read() as s:
        imposed = s.exec(select(Imposition).order_by(col(Imposition.id))).all()
        result = s.exec(select(CourtResult)).one()
        terms = s.exec(select(PaymentTerms)).one()
    assert [(i.kind, i.amount_pence, i.creditor) for i in imposed] == [
        ("fine", 20_000, ""),
        ("costs", 8_500, "CPS"),
    ]
    assert result.terms_id == terms.id and terms.instalment_pence == 2_500


async def test_a_means_form_holds_its_terms_to_working_days(tui_world: TuiWorld) -> None:
    """ "Set terms from" a Saturday: the form reads it back with the next working day, saving
    is refused and nothing is written; on the Monday offered, the form and terms are saved."""
    case_id = _account(tui_world)
    app = tui_world.app(tui_world.world.worker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await press(pilot, "8")
        await wait_for(pilot, lambda: "Stage:" in screen_text(app), 5)
        await press(pilot, "M")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.MeansFormScreen), 5)
        await settle(pilot)
        app.screen.query_one("#sf-terms_from").focus()  # as someone typing the date there
        _fill(app.screen, wages="300", housing="120", food="60", terms_from="28/11/2026")
        await wait_for(
            pilot,
            lambda: (
                "Saturday 28/11/2026 is at the weekend: next working day" in screen_text(app)
                and "Monday 30/11/2026" in screen_text(app)
            ),
            5,
        )
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in screen_text(app), 5)
        with tui_world.db.read() as s:
            assert s.exec(select(MeansAssessment)).all() == []
            assert s.exec(select(PaymentTerms)).all() == []
        _fill(app.screen, terms_from="30/11/2026")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tui_world.db.read() as s:
        means = s.exec(select(MeansAssessment)).one()
        terms = s.exec(select(PaymentTerms)).one()
    assert means.terms_id == terms.id
    assert (terms.first_due.isoformat(), terms.instalment_pence) == ("2026-11-30", 6_000)
