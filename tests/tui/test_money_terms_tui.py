"""The Account section's payment terms form (`t`), a remission (`m`) and a court result's next
hearing (`G`) with Pilot, asserted in the database: terms from a weekend refused naming the next
working day, then set; terms beyond the officer's limit held for a checker; a remission within
the limit posted and one beyond it held; the next hearing booked in the owner's diary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot

from caseterm.core.models import Appointment, MoneyDecision, Payment, PaymentTerms
from caseterm.tui.account import forms
from caseterm.tui.account.terms_form import TermsScreen
from caseterm.tui.app import CasetermApp
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for
from tests.tui.test_money_forms_tui import _account, _fill


async def _open_form(tui_world: TuiWorld, app: CasetermApp, pilot: Pilot[Any], key: str) -> None:
    """The case's Account section, then `key`."""
    app.open_case(tui_world.world.case.id or 0)
    await settle(pilot)
    assert isinstance(app.screen, CaseDetailScreen)
    await press(pilot, "8")
    await wait_for(
        pilot, lambda: "Stage:" in screen_text(app) or "has no account" in screen_text(app), 5
    )
    await press(pilot, key)


async def test_terms_from_a_working_day_are_set(tui_world: TuiWorld) -> None:
    _account(tui_world)  # £525.00
    app = tui_world.app(tui_world.world.worker)  # a caseworker: terms up to 24 months
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(tui_world, app, pilot, "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TermsScreen), 5)
        await settle(pilot)
        _fill(app.screen, instalment="50", first="28/11/2026")  # a Saturday
        await wait_for(pilot, lambda: "next working day Monday 30/11/2026" in screen_text(app), 5)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in screen_text(app), 5)
        with tui_world.db.read() as s:
            assert s.exec(select(PaymentTerms)).all() == []
        _fill(app.screen, first="30/11/2026")
        await wait_for(
            pilot, lambda: "Paid off by 30/09/2027: 11 payment(s)" in screen_text(app), 5
        )
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "£50.00 monthly from 30/11/2026" in screen_text(app), 5)
    with tui_world.db.read() as s:
        terms = s.exec(select(PaymentTerms)).one()
        assert s.exec(select(MoneyDecision)).all() == []
    assert (terms.kind, terms.instalment_pence, terms.frequency, terms.first_due) == (
        "instalments",
        5_000,
        "monthly",
        date(2026, 11, 30),
    )
    assert terms.created_by_id == tui_world.world.worker.id and terms.active


async def test_terms_beyond_the_limit_wait_for_a_checker(tui_world: TuiWorld) -> None:
    _account(tui_world)
    app = tui_world.app(tui_world.world.clerk)  # an administrator: terms up to 12 months
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_form(tui_world, app, pilot, "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TermsScreen), 5)
        await wait_for(pilot, lambda: "beyond your limit of 12 months" in screen_text(app), 5)
        _fill(app.screen, instalment="5", frequency="weekly", first="+1wd")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tui_world.db.read() as s:
        held = s.exec(select(MoneyDecision)).one()
        assert s.exec(select(PaymentTerms)).all() == []
    assert (held.kind, held.status, held.instalment_pence, held.frequency, held.first_due) == (
        "terms",
        "pending",
        500,
        "weekly",
        date(2026, 11, 24),
    )


async def test_a_remission_within_the_limit_is_posted_beyond_it_held(
    tui_world: TuiWorld,
) -> None:
    _account(tui_world)
    w = tui_world.world
    app = tui_world.app(w.worker)  # a caseworker may remit up to £25.00 alone
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(tui_world, app, pilot, "m")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.RemitScreen), 5)
        await settle(pilot)
        _fill(app.screen, amount="20", reason="hardship")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await wait_for(pilot, lambda: "Balance £505.00" in screen_text(app), 5)
        await press(pilot, "m")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.RemitScreen), 5)
        await settle(pilot)
        _fill(app.screen, amount="30", reason="hardship again")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
    with tui_world.db.read() as s:
        posted = s.exec(select(Payment)).one()
        held = s.exec(select(MoneyDecision)).one()
    assert (posted.kind, posted.amount_pence, posted.reference, posted.reason) == (
        "adjustment",
        2_000,
        "remission",
        "hardship",
    )
    assert posted.created_by_id == w.worker.id
    assert (held.kind, held.status, held.amount_pence, held.reason, held.maker_id) == (
        "remission",
        "pending",
        3_000,
        "hardship again",
        w.worker.id,
    )


async def test_a_court_results_next_hearing_is_booked_in_the_diary(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app(w.clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_form(tui_world, app, pilot, "G")
        await wait_for(pilot, lambda: isinstance(app.screen, forms.CourtResultScreen), 5)
        await settle(pilot)
        _fill(
            app.screen,
            hearing="20/11/2026",
            court="Preston Magistrates' Court",
            impositions="fine 200",
            next_hearing="12/01/2027 14:00",
        )
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
        await press(pilot, "2")  # the case's diary
        await settle(pilot)
        await wait_for(pilot, lambda: "12/01/2027" in screen_text(app), 5)
    with tui_world.db.read() as s:
        appt = s.exec(select(Appointment)).one()
    assert (appt.kind, appt.case_id, appt.staff_id, appt.starts_at, appt.location) == (
        "court_hearing",
        w.case.id,
        w.worker.id,
        datetime(2027, 1, 12, 14, 0),
        "Preston Magistrates' Court",
    )
