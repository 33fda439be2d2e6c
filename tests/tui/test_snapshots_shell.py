"""Snapshots of the workstation shell at 80×24 and 120×40 (clock frozen by `tui_world`), and
once with NO_COLOR. Update after a deliberate change with `pytest --snapshot-update` and look at
the SVGs in `__snapshots__/` before committing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from caseterm.core import clock
from caseterm.core.services import contacts, people, tasks
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def _stable_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    # The help screen names the config file; keep it the same on every machine.
    monkeypatch.setenv("CASETERM_CONFIG", "/etc/caseterm/config.toml")


def with_history(tw: TuiWorld) -> TuiWorld:
    w = tw.world
    now = clock.now()
    with w.db.write() as s:
        for i, (kind, outcome, notes) in enumerate(
            [
                ("phone_in", "", "Asked to move Thursday's appointment."),
                ("letter_out", "", f"Appointment letter sent. {HOSTILE}"),
                ("face_to_face", "attended_complied", "Seen at the office.\nNo concerns."),
                ("phone_out", "no_answer", "Rang about the missed session: no answer."),
            ]
        ):
            contacts.log_contact(
                s,
                w.worker,
                case_id=w.case.id or 0,
                contact_type=kind,
                outcome=outcome,
                notes=notes,
                occurred_at=now - timedelta(days=4 - i, hours=i),
            )
        people.add_warning(
            s,
            w.clerk,
            person_id=w.person.id or 0,
            kind="safeguarding",
            text="Lives with two children under 5",
        )
    return tw


def steps(*keys: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await press(pilot, key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_queues_home(snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    assert snap_compare(tui_world.app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_queues_marked_team_queue(
    snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]
) -> None:
    run = steps("right_square_bracket", "space")
    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_case_detail(snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    app = with_history(tui_world).app()
    assert snap_compare(app, terminal_size=size, run_before=steps("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_case_history(snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    app = with_history(tui_world).app()
    assert snap_compare(app, terminal_size=size, run_before=steps("enter", "6"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    assert snap_compare(tui_world.app(), terminal_size=size, run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_stale_edit_dialog(snap_compare: Any, tui_world: TuiWorld, size: tuple[int, int]) -> None:
    w = tui_world.world

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        with w.db.write() as s:
            tasks.bring_forward(
                s, w.other, task_id=tui_world.task_ids["mine_overdue"], due_date=clock.today()
            )
        for keys in (("c", "enter"), ("c",)):  # complete (no outcome) → stale; compare
            await press(pilot, *keys)
            await settle(pilot)

    assert snap_compare(tui_world.app(), terminal_size=size, run_before=run)


def test_no_color(snap_compare: Any, tui_world: TuiWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(tui_world.app(), terminal_size=(80, 24), run_before=steps("space"))
