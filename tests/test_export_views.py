"""A queue as a spreadsheet and a diary as a calendar: the same rows the screens show, restricted
cases as "Restricted", the whole queue read a page at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from caseterm.core import exports
from caseterm.core.services import cases, export_views, tasks
from tests.factories import World, book


def test_a_queue_as_a_spreadsheet_with_restricted_rows_masked(
    world: World, frozen_clock: datetime, tmp_path: Path
) -> None:
    import openpyxl

    with world.db.write() as s:
        for n in range(3):
            tasks.create_task(
                s,
                world.clerk,
                kind="general",
                title=f"Task {n}",
                case_id=world.case.id,
                team_id=world.team.id,
                due_date=frozen_clock.date() + timedelta(days=n - 1),
            )
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, deny=[world.other.id])
    target = tmp_path / "q.xlsx"
    with world.db.read() as s:
        for actor, name in ((world.worker, "mine"), (world.other, "owen")):
            sheet = export_views.queue_sheet(s, actor, key="team_unallocated", title=name)
            exports.write_xlsx(target.with_name(f"{name}.xlsx"), [sheet])
    mine = openpyxl.load_workbook(tmp_path / "mine.xlsx").active
    owen = openpyxl.load_workbook(tmp_path / "owen.xlsx").active
    assert mine is not None and owen is not None
    assert [c.value for c in mine[4]][:6] == ["Task", "Due", "Overdue", "Priority", "Kind", "Title"]
    assert [mine.cell(row=r, column=6).value for r in (5, 6, 7)] == ["Task 0", "Task 1", "Task 2"]
    assert mine.cell(row=5, column=3).value == "overdue"
    titles = [owen.cell(row=r, column=6).value for r in (5, 6, 7)]
    assert titles == ["Restricted"] * 3 and owen.cell(row=5, column=8).value is None


def test_a_diary_as_calendar_events(world: World, frozen_clock: datetime) -> None:
    start = frozen_clock.replace(hour=14, minute=0)
    book(world, start)
    with world.db.read() as s:
        events = export_views.diary_events(
            s,
            world.worker,
            start=start.replace(hour=0),
            end=start.replace(hour=0) + timedelta(days=1),
            staff_id=world.worker.id,
        )
    (event,) = events
    assert event.starts_at == start and event.ends_at == start + timedelta(minutes=45)
    assert event.summary == f"Supervision: {world.case.reference} Siobhán O'Neill-Brady"
    assert event.location == "PRE · Interview 1" and not event.cancelled
