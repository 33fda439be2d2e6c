"""What the clock rules screen (`C`) adds to the services: removing an office closure day (a
working day again, audited; a day that is not a closure day, or a user without `rules.admin`,
refused with nothing changed), `caseterm closures remove` (in process), and a rule changed since
the screen read it refused instead of overwritten."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError, StaleEditError, ValidationError
from caseterm.core.models import AuditEvent, ClockRule, OfficeClosure
from caseterm.core.services import clock_rules
from tests.cli import run_cli
from tests.factories import World

DAY = date(2026, 11, 30)  # a Monday


def _close(world: World) -> None:
    with world.db.write() as s:
        clock_rules.add_closure(s, world.admin, day=DAY, reason="office move")


def test_a_removed_closure_day_is_a_working_day_again(world: World) -> None:
    _close(world)
    with world.db.write() as s, pytest.raises(PermissionDeniedError) as refused:
        clock_rules.remove_closure(s, world.worker, day=DAY)
    assert "may not change the statutory clock rules" in str(refused.value)
    with world.db.write() as s, pytest.raises(ValidationError) as wrong:
        clock_rules.remove_closure(s, world.admin, day=date(2026, 12, 1))
    assert "01/12/2026 is not an office closure day" in str(wrong.value)
    with world.db.write() as s:
        removed = clock_rules.remove_closure(s, world.admin, day=DAY)
    assert (removed.day, removed.reason) == (DAY, "office move")
    with world.db.read() as s:
        assert s.exec(select(OfficeClosure)).all() == []
        assert clock_rules.work_calendar(s).is_working_day(DAY)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "closure.remove")).one()
    assert json.loads(event.before) == {"day": "2026-11-30", "reason": "office move"}
    assert "office move" in event.summary


@pytest.mark.sqlite_only
def test_closures_remove_command(world: World, tmp_path: Path) -> None:
    _close(world)
    refused = run_cli(tmp_path, "closures", "remove", "30/11/2026", db=world.db.url)
    assert refused.code != 0
    assert "may not change the statutory clock rules" in refused.one_error_line()
    done = run_cli(
        tmp_path, "closures", "remove", "30/11/2026", "--json", db=world.db.url, user="root"
    )
    assert done.code == 0, done.err
    assert done.json() == {"day": "2026-11-30", "reason": "office move", "removed": True}
    again = run_cli(tmp_path, "closures", "remove", "30/11/2026", db=world.db.url, user="root")
    assert "not an office closure day" in again.one_error_line()
    with world.db.read() as s:
        assert s.exec(select(OfficeClosure)).all() == []


def test_a_rule_changed_since_it_was_read_is_refused(world: World) -> None:
    key = {"case_type": "OM", "event": "absence", "clock_key": "absence_evidence"}
    with world.db.read() as s:
        shown = clock_rules.show_rule(
            s, world.admin, case_type="OM", event="absence", clock="absence_evidence"
        )
    assert shown.version == 0  # the shipped default
    with world.db.write() as s:  # someone else changes it first
        first = clock_rules.set_rule(
            s, world.admin, **key, changes={"period": 6}, expected_version=shown.version
        )
    assert first.version == 1
    with world.db.write() as s, pytest.raises(StaleEditError) as stale:
        clock_rules.set_rule(
            s, world.admin, **key, changes={"priority": 1}, expected_version=shown.version
        )
    assert "was changed by Rhona Root" in str(stale.value)
    with world.db.read() as s:
        row = s.exec(select(ClockRule)).one()
    assert (row.period, row.priority, row.version) == (6, 2, 1)
