"""Where a case is in its lifecycle, for the header (issue 12): nothing at first; a closure under
way with its steps left; a pending transfer with its acknowledge-by date; the paper file's place
now."""

from __future__ import annotations

import pytest

from caseterm.core.errors import RestrictedError
from caseterm.core.services import (
    case_closure,
    case_state,
    case_transfer,
    cases,
    file_location,
)
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _state(w: World) -> case_state.LifecycleState:
    with w.db.read() as s:
        return case_state.lifecycle_state(s, w.clerk, case_id=w.case.id or 0)


def test_lifecycle_state_follows_closure_transfer_and_file(world: World) -> None:
    w = world
    cid = w.case.id or 0
    empty = _state(w)
    assert (empty.closing_reason, empty.transfer_to, empty.file_location) == (None, None, None)
    with w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=cid, reason="no_further_action")
        case_closure.tick_step(s, w.clerk, case_id=cid, step="tasks_closed")
        file_location.set_file_location(s, w.clerk, case_id=cid, kind="box", box="B-9")
        file_location.set_file_location(
            s, w.clerk, case_id=cid, kind="cabinet", office_id=w.office.id, place="C2"
        )
    state = _state(w)
    assert state.closing_reason == "No further action"
    assert (state.steps_left, state.steps_total, state.mandatory_left) == (1, 2, 1)
    assert state.file_location == "Cabinet or shelf, Preston, C2"
    with w.db.write() as s:
        case_closure.reopen_case(s, w.clerk, case_id=cid, reason="not yet")
        info = case_transfer.transfer_out(
            s, w.clerk, case_id=cid, office_id=w.other_office.id or 0, reason="moved",
            papers_sent=True, appointments_moved=True, tasks_handed_over=True,
        )  # fmt: skip
    state = _state(w)
    assert state.closing_reason is None
    assert (state.transfer_to, state.acknowledge_by) == ("Lancaster", info.acknowledge_by)


def test_lifecycle_state_of_a_restricted_case_is_refused(world: World) -> None:
    w = world
    with w.db.write() as s:
        cases.restrict_case(s, w.manager, case_id=w.case.id or 0, allow=[w.worker.id or 0])
    with pytest.raises(RestrictedError), w.db.read() as s:
        case_state.lifecycle_state(s, w.other, case_id=w.case.id or 0)
