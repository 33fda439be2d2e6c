"""`data_span`: a period or a day reaching before the first record, or after today, is refused
with one line naming the first day (or today); within the data it passes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.services import data_span, tasks
from tests.factories import World

pytestmark = pytest.mark.sqlite_only


def test_the_first_record_and_periods_outside_the_data(
    frozen_clock: datetime, world: World
) -> None:
    today = clock.today()
    with world.db.read() as s:  # the world's records are from today
        data_span.check_span(s, world.manager, start=today, end=today)
        with pytest.raises(ValidationError, match="before the first record"):
            data_span.check_span(s, world.manager, start=date(2025, 3, 4), end=None)
    clock.freeze(datetime(2025, 3, 4, 9))  # a task entered long before: the data starts then
    with world.db.write() as s:
        tasks.create_task(s, world.clerk, kind="general", title="Old", team_id=world.team.id)
    clock.freeze(frozen_clock)
    with world.db.read() as s:
        data_span.check_span(s, world.manager, start=date(2025, 3, 4), end=today)
        data_span.check_span(s, world.manager, start=None, end=None)
        with pytest.raises(ValidationError) as before:
            data_span.check_span(s, world.manager, start=date(2025, 3, 3), end=None,
                                 start_field="--from")  # fmt: skip
        with pytest.raises(ValidationError) as after:
            data_span.check_span(s, world.manager, start=None, end=date(2026, 11, 24),
                                 end_field="--to")  # fmt: skip
    assert str(before.value) == (
        "--from: 03/03/2025 is before the first record (04/03/2025): nothing is recorded for "
        "earlier days; start on or after 04/03/2025"
    )
    assert str(after.value) == (
        f"--to: 24/11/2026 is after today ({today:%d/%m/%Y}): nothing is recorded for days to "
        "come; choose today or earlier"
    )
