"""Enforcement as data, holds and the officer's decision on a step (issue 14)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from caseterm.core.services import (
    cases,
    enforcement_hold,
    enforcement_paths,
    enforcement_steps,
    ledger,
    money_run,
    payment_terms,
)
from tests.audit_scenarios import audited, reads
from tests.factories import World

reads("enforcement_paths", "list_paths", "show_path", "paths_in_force")
reads("enforcement_state", "step_states", "holds_in_force", "hold_words")
reads("enforcement_steps", "step_of_task")


def _defaulted(w: World) -> int:
    """A fines case with weekly terms from four weeks ago and nothing paid (committed)."""
    with w.db.write() as s:
        case = cases.open_case(
            s, w.clerk, case_type="FINE", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        case_id = case.id or 0
        ledger.add_imposition(s, w.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
    with w.db.write() as s:
        payment_terms.set_terms(
            s,
            w.clerk,
            case_id=case_id,
            kind="instalments",
            instalment_pence=1_000,
            frequency="weekly",
            first_due=date(2026, 10, 26),
        )
    return case_id


def _proposed(w: World) -> int:
    case_id = _defaulted(w)
    with w.db.write() as s:
        money_run.run_enforcement(s, w.manager)
    return case_id


def _held(w: World) -> int:
    case_id = _defaulted(w)
    with w.db.write() as s:
        enforcement_hold.hold_account(s, w.worker, case_id=case_id, reason="appeal lodged")
    return case_id


def _own_path(w: World) -> None:
    with w.db.write() as s:
        enforcement_paths.set_path(
            s,
            w.admin,
            case_type="FINE",
            account_kind="by_date",
            steps="further_steps_notice:0",
            trigger_missed=1,
        )


@audited("enforcement_paths", "set_path", "enforcement_path.set")
def _set_path(s: Session, w: World, _: None) -> None:
    enforcement_paths.set_path(
        s,
        w.admin,
        case_type="FINE",
        account_kind="instalments",
        steps="reminder:0,further_steps_notice:7",
        trigger_missed=3,
    )


@audited("enforcement_paths", "reset_path", "enforcement_path.reset", _own_path)
def _reset_path(s: Session, w: World, _: None) -> None:
    enforcement_paths.reset_path(s, w.admin, case_type="FINE", account_kind="by_date")


@audited("enforcement_hold", "hold_account", "account.hold", _defaulted)
def _hold(s: Session, w: World, case_id: int) -> None:
    enforcement_hold.hold_account(
        s, w.worker, case_id=case_id, reason="means review", until=date(2027, 1, 12)
    )


@audited("enforcement_hold", "release_account", "account.release", _held)
def _release(s: Session, w: World, case_id: int) -> None:
    enforcement_hold.release_account(s, w.worker, case_id=case_id, reason="appeal withdrawn")


@audited("enforcement_steps", "confirm_step", "enforcement.confirm", _proposed)
def _confirm(s: Session, w: World, case_id: int) -> None:
    enforcement_steps.confirm_step(s, w.worker, case_id=case_id)


@audited("enforcement_steps", "reject_step", "enforcement.reject", _proposed)
def _reject(s: Session, w: World, case_id: int) -> None:
    enforcement_steps.reject_step(s, w.worker, case_id=case_id, reason="paid this morning")
