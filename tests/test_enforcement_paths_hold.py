"""Enforcement as data (issue 14): the shipped paths per case type and account kind, refused
when bad with one clear message; an administrator's own path over the default; holding an
account (the money run skips it; release or the until-date resumes it); and the officer's
decision on a step: confirming drafts its stock letter and sends it for checking, rejecting
cancels the task. Exact pence in the letters and the tasks."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import Document, EnforcementHold, EnforcementStep, Task
from caseterm.core.rules import money_enforcement as rules
from caseterm.core.rules.roles import CAPABILITY_LABELS
from caseterm.core.services import (
    accounts,
    cases,
    enforcement_hold,
    enforcement_paths,
    enforcement_steps,
    ledger,
    letter_templates,
    money_run,
    payment_terms,
)
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _fines_case(world: World, *, kind: str = "instalments") -> int:
    """A fine of £200 and £85 costs; weekly £20 from 2 November (4 missed by the 23rd), or pay
    in full by 16 November (missed)."""
    with world.db.write() as s:
        case = cases.open_case(
            s,
            world.clerk,
            case_type="FINE",
            subject_id=world.person.id or 0,
            owner_id=world.worker.id,
        )
        case_id = case.id or 0
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=20_000)
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="costs", amount_pence=8_500)
        if kind == "instalments":
            payment_terms.set_terms(
                s,
                world.clerk,
                case_id=case_id,
                kind="instalments",
                instalment_pence=2_000,
                frequency="weekly",
                first_due=date(2026, 11, 2),
            )
        else:
            payment_terms.set_terms(
                s,
                world.clerk,
                case_id=case_id,
                kind="by_date",
                first_due=date(2026, 11, 16),
            )
    return case_id


def _templates(world: World) -> None:
    with world.db.write() as s:
        letter_templates.install_stock_templates(s, world.admin)


def _run(world: World) -> money_run.RunResult:
    with world.db.write() as s:
        return money_run.run_enforcement(s, world.manager)


def _view(world: World, case_id: int) -> accounts.AccountView:
    with world.db.read() as s:
        return accounts.show_account(s, world.worker, reference_or_id=case_id)


# ---------------------------------------------------------------- the paths as data


def test_the_shipped_paths_load_and_bad_data_is_refused_in_one_line() -> None:
    actions, paths = rules.shipped()
    assert set(paths) == {("FINE", "*"), ("FINE", "by_date")}
    assert actions["further_steps_notice"].appeal_working_days == 10
    assert actions["further_steps_notice"].template == "FINE_FSN"
    assert actions["increase_fine"].fine_only and actions["warrant_of_control"].warrant
    assert paths[("FINE", "*")].steps_text().startswith("reminder:0,further_steps_notice:14")
    head = rules.PATHS_FILE.read_text("utf-8").split("\n[[paths]]")[0]
    for path_text, message in (
        (
            "steps = [{ action = 'reminder', days = 0 }, { action = 'clamping', days = 7 }]",
            "unknown action 'clamping'",
        ),
        (
            "steps = [{ action = 'reminder', days = 0 }, { action = 'further_steps_notice', "
            "days = -3 }]",
            "Further steps notice: days must not be negative (-3)",
        ),
        (
            "steps = [{ action = 'further_steps_notice', days = 0 }, { action = "
            "'attachment_of_earnings', days = 7 }, { action = 'further_steps_notice', days = 7 }]",
            "Further steps notice comes twice: a cycle without end",
        ),
        (
            "steps = [{ action = 'warrant_of_control', days = 0 }]",
            "Warrant of control may not follow nothing",
        ),
    ):
        text = head + f"\n[[paths]]\ncase_type = 'FINE'\ntrigger_missed = 2\n{path_text}\n"
        with pytest.raises(ValidationError, match="FINE/\\*: ") as refused:
            rules.load(text)
        assert message in str(refused.value)
    with pytest.raises(ValidationError, match="follows an unknown action 'clamp'"):
        rules.load("[actions.a]\nlabel = 'A'\nfollows = ['clamp']\n")


def test_an_administrators_path_is_checked_used_and_reset(world: World) -> None:
    case_id = _fines_case(world)
    with world.db.write() as s:
        with pytest.raises(ValidationError, match="Reminder may not follow Further steps"):
            enforcement_paths.set_path(
                s,
                world.admin,
                case_type="FINE",
                account_kind="instalments",
                steps="further_steps_notice:0,reminder:7",
                trigger_missed=1,
            )
        with pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.paths"]):
            enforcement_paths.set_path(
                s, world.manager, case_type="FINE", steps="reminder:0", trigger_missed=1
            )
    with world.db.write() as s:
        row = enforcement_paths.set_path(
            s,
            world.admin,
            case_type="fine",
            account_kind="instalments",
            steps="further_steps_notice:0, attachment_of_earnings:7",
            trigger_missed=5,
        )
    assert (row.key, row.source, row.describe()) == (
        "FINE/instalments",
        "added",
        "after 5 missed: Further steps notice, +7 days Attachment of earnings",
    )
    assert _run(world).proposed == ()  # 4 missed: the new path starts at 5
    with world.db.write() as s:
        enforcement_paths.set_path(
            s, world.admin, case_type="FINE", account_kind="instalments", trigger_missed=4
        )
    first = _run(world).proposed
    assert [(p.case_id, p.action, p.missed, p.arrears_pence) for p in first] == [
        (case_id, "further_steps_notice", 4, 8_000)
    ]
    with world.db.write() as s:
        back = enforcement_paths.reset_path(
            s, world.admin, case_type="FINE", account_kind="instalments"
        )
        listed = enforcement_paths.list_paths(s, world.worker, case_type="FINE")
    assert back is None  # no shipped path of its own: the one for any kind applies
    assert [(p.key, p.source) for p in listed] == [
        ("FINE/*", "default"),
        ("FINE/by_date", "default"),
    ]


def test_a_pay_by_date_account_takes_its_own_path(world: World) -> None:
    case_id = _fines_case(world, kind="by_date")
    proposed = _run(world).proposed
    assert [(p.case_id, p.action, p.missed, p.arrears_pence) for p in proposed] == [
        (case_id, "further_steps_notice", 1, 28_500)
    ]


# ---------------------------------------------------------------- hold


def test_a_held_account_is_skipped_until_released_or_the_date_passes(world: World) -> None:
    case_id = _fines_case(world)
    with world.db.write() as s:
        with pytest.raises(ValidationError, match="has passed"):
            enforcement_hold.hold_account(
                s, world.worker, case_id=case_id, reason="x", until=date(2026, 11, 20)
            )
        with pytest.raises(PermissionDeniedError, match=CAPABILITY_LABELS["money.enforce"]):
            enforcement_hold.hold_account(s, world.desk, case_id=case_id, reason="x")
    with world.db.write() as s:
        held = enforcement_hold.hold_account(
            s, world.worker, case_id=case_id, reason="appeal lodged", until=date(2027, 1, 12)
        )
    assert held.words() == "On hold until 12/01: appeal lodged"
    view = _view(world, case_id)
    assert view.stage == "On hold until 12/01: appeal lodged"
    assert view.next_step is None and "next on" not in view.header_text()
    with world.db.write() as s, pytest.raises(ValidationError, match="already on hold \\(On"):
        enforcement_hold.hold_account(s, world.worker, case_id=case_id, reason="again")
    run = _run(world)
    assert (run.proposed, run.held) == ((), 1)
    with world.db.write() as s:
        enforcement_hold.release_account(s, world.worker, case_id=case_id, reason="withdrawn")
        with pytest.raises(ValidationError, match="is not on hold"):
            enforcement_hold.release_account(s, world.worker, case_id=case_id)
    assert [p.action for p in _run(world).proposed] == ["reminder"]
    with world.db.read() as s:
        rows = s.exec(select(EnforcementHold)).all()
    assert [(r.reason, r.release_reason, r.released_by_id) for r in rows] == [
        ("appeal lodged", "withdrawn", world.worker.id)
    ]


def test_a_hold_ends_by_itself_after_its_until_date(world: World) -> None:
    case_id = _fines_case(world)
    with world.db.write() as s:
        enforcement_hold.hold_account(
            s, world.worker, case_id=case_id, reason="means review", until=date(2026, 11, 30)
        )
    assert _run(world).held == 1
    clock.freeze(datetime(2026, 12, 1, 9, 0))
    assert [p.action for p in _run(world).proposed] == ["reminder"]


# ---------------------------------------------------------------- confirming a step


def _proposed(world: World) -> tuple[int, int]:
    case_id = _fines_case(world)
    (proposal,) = _run(world).proposed
    return case_id, proposal.task_id or 0


def test_confirming_a_step_drafts_its_letter_for_checking_and_completes_the_task(
    world: World,
) -> None:
    _templates(world)
    case_id, task_id = _proposed(world)
    pending = _view(world, case_id).pending_step
    assert pending is not None and (pending.label, pending.template) == ("Reminder", "FINE_REM")
    with world.db.write() as s:
        done = enforcement_steps.confirm_step(s, world.worker, case_id=case_id)
    assert done.status == "confirmed" and done.letter_id is not None
    with world.db.read() as s:
        letter = s.get(Document, done.letter_id)
        task = s.get(Task, task_id)
        step = s.exec(select(EnforcementStep).where(EnforcementStep.case_id == case_id)).one()
    assert letter is not None and letter.status == "submitted"
    assert "£285.00 is outstanding" in letter.body
    assert task is not None and task.status == "done"
    assert (step.status, step.decided_on, step.document_id) == (
        "confirmed",
        date(2026, 11, 23),
        done.letter_id,
    )
    view = _view(world, case_id)
    assert (
        view.stage == ("Reminder sent 23/11; further steps notice next on 07/12")
        and view.pending_step is None
    )
    with (
        world.db.write() as s,
        pytest.raises(
            ValidationError, match="no step awaiting the officer \\(last: Reminder sent 23/11\\)"
        ),
    ):
        enforcement_steps.confirm_step(s, world.worker, case_id=case_id)


def test_a_step_with_no_template_still_confirms_and_says_so(world: World) -> None:
    case_id, _ = _proposed(world)  # no stock letters installed in this world
    with world.db.write() as s:
        done = enforcement_steps.confirm_step(s, world.worker, case_id=case_id)
    assert done.letter_id is None
    assert done.words() == (
        f"Reminder confirmed on {done.reference}; no letter template FINE_REM in use: "
        "no letter drafted"
    )
    with world.db.read() as s:
        assert s.exec(select(Document).where(Document.case_id == case_id)).all() == []


def test_rejecting_a_step_cancels_its_task_and_the_path_moves_on(world: World) -> None:
    case_id, task_id = _proposed(world)
    with world.db.write() as s:
        with pytest.raises(ValidationError, match="reason"):
            enforcement_steps.reject_step(s, world.worker, case_id=case_id, reason=" ")
        done = enforcement_steps.reject_step(
            s, world.worker, case_id=case_id, reason="paid at the counter this morning"
        )
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and task.status == "cancelled"
    assert task.outcome == "Reminder rejected: paid at the counter this morning"
    assert done.status == "rejected"
    assert _view(world, case_id).stage == (
        "Reminder rejected 23/11; further steps notice next on 07/12"
    )
    clock.freeze(datetime(2026, 12, 7, 9, 0))
    assert [p.action for p in _run(world).proposed] == ["further_steps_notice"]


# ---------------------------------------------------------------- the command line


@pytest.mark.sqlite_only
def test_the_commands(world: World, tmp_path: Path) -> None:
    _templates(world)
    case_id, _ = _proposed(world)
    ref = _ref(world, case_id)
    db = world.db.url
    shown = run_cli(tmp_path, "enforcement-paths", "show", "FINE", "--kind", "by_date", db=db)
    assert shown.code == 0, shown.err
    assert (
        "1. Further steps notice (at once); letter: Further steps notice, template FINE_FSN, "
        "appeal within 10 working days" in shown.out
    )
    bad = run_cli(
        tmp_path,
        "enforcement-paths",
        "set",
        "FINE",
        "--steps",
        "reminder:0,reminder:3",
        db=db,
        user="root",
    )
    assert bad.code != 0 and "Reminder comes twice" in bad.err and "Traceback" not in bad.err
    listed = run_cli(tmp_path, "enforcement-paths", "list", "--json", db=db)
    assert [p["key"] for p in json.loads(listed.out)["paths"]] == ["FINE/*", "FINE/by_date"]
    held = run_cli(
        tmp_path,
        "account",
        "hold",
        ref,
        "--reason",
        "appeal lodged",
        "--until",
        "12/01/2027",
        db=db,
    )
    assert held.out.strip() == f"{ref}: On hold until 12/01: appeal lodged", held.err
    released = run_cli(tmp_path, "account", "release", ref, "--json", db=db)
    assert json.loads(released.out)["released"] is True
    confirmed = run_cli(tmp_path, "account", "confirm-step", ref, "--json", db=db)
    data = json.loads(confirmed.out)
    assert (data["status"], data["action"]) == ("confirmed", "reminder") and data["letter_id"]
    again = run_cli(tmp_path, "account", "reject-step", ref, "--reason", "x", db=db)
    assert again.code != 0 and "no step awaiting the officer" in again.err


def _ref(world: World, case_id: int) -> str:
    with world.db.read() as s:
        return accounts.show_account(s, world.worker, reference_or_id=case_id).reference


def test_no_next_step_while_the_appeal_window_of_the_last_letter_is_open(world: World) -> None:
    """A further steps notice confirmed on Monday 23 November opens a 10-working-day appeal
    window: attachment of earnings, 1 day after it on the path, waits until 7 December."""
    case_id = _fines_case(world)
    with world.db.write() as s:
        enforcement_paths.set_path(
            s,
            world.admin,
            case_type="FINE",
            account_kind="instalments",
            steps="further_steps_notice:0,attachment_of_earnings:1",
            trigger_missed=2,
        )
    _run(world)
    with world.db.write() as s:
        enforcement_steps.confirm_step(s, world.worker, case_id=case_id)
    coming = _view(world, case_id).next_step
    assert coming is not None and (coming.action, coming.on) == (
        "attachment_of_earnings",
        date(2026, 12, 7),
    )
    clock.freeze(datetime(2026, 12, 4, 9, 0))
    assert _run(world).proposed == ()
    clock.freeze(datetime(2026, 12, 7, 9, 0))
    assert [p.action for p in _run(world).proposed] == ["attachment_of_earnings"]
    assert rules.next_step(
        rules.Path(1, (rules.Step("further_steps_notice", 0), rules.Step("reminder", 14))),
        missed=1,
        taken=1,
        last_confirmed=date(2026, 12, 14),
        today=date(2026, 12, 14),
        appeal_working_days=10,
    ) == rules.Due(1, rules.ACTIONS["reminder"], date(2026, 12, 30))  # bank holidays 25 and 28
